"""The per-type parts of the event editor: club drive (route) and care class (sessions)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.timeutil import now_utc, zone
from desktop_app.services.events import SessionSlot
from ui.widgets.datetime_field import DateTimeField
from ui.widgets.field_error import ErrorField


class ClubDriveSection(QGroupBox):
    """Meeting point, an ordered list of route stops, departure time and max cars."""

    def __init__(self, tz: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Club drive"))
        form = QFormLayout(self)
        self.meeting_point = QLineEdit()
        self.meeting_point.setPlaceholderText(self.tr("e.g. G60 Songjiang service area"))
        self.stops = QListWidget()
        self.stops.setMaximumHeight(110)
        self.stop_input = QLineEdit()
        self.stop_input.setPlaceholderText(self.tr("Next stop, then Add"))
        self.stop_input.returnPressed.connect(self.add_stop)
        self.add_button = QPushButton(self.tr("Add"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.up_button = QPushButton(self.tr("Up"))
        self.down_button = QPushButton(self.tr("Down"))
        self.add_button.clicked.connect(self.add_stop)
        self.remove_button.clicked.connect(self.remove_stop)
        self.up_button.clicked.connect(lambda: self.move_stop(-1))
        self.down_button.clicked.connect(lambda: self.move_stop(1))
        entry = QHBoxLayout()
        entry.addWidget(self.stop_input, 1)
        entry.addWidget(self.add_button)
        buttons = QHBoxLayout()
        for b in (self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        stops_box = QWidget()
        col = QVBoxLayout(stops_box)
        col.setContentsMargins(0, 0, 0, 0)
        col.addLayout(entry)
        col.addWidget(self.stops)
        col.addLayout(buttons)
        self.departure = DateTimeField(tz, optional=True)
        self.max_cars = QSpinBox()
        self.max_cars.setRange(0, 500)
        self.max_cars.setSpecialValueText(self.tr("No limit"))
        self.fields = {
            "meeting_point": ErrorField(self.meeting_point),
            "route_stops": ErrorField(stops_box),
            "departure_time": ErrorField(self.departure),
            "max_cars": ErrorField(self.max_cars),
        }
        form.addRow(self.tr("Meeting point"), self.fields["meeting_point"])
        form.addRow(self.tr("Route stops (in order)"), self.fields["route_stops"])
        form.addRow(self.tr("Departure"), self.fields["departure_time"])
        form.addRow(self.tr("Max cars"), self.fields["max_cars"])
        self.stops.currentRowChanged.connect(self._update_buttons)
        self._update_buttons()

    def add_stop(self) -> None:
        text = self.stop_input.text().strip()
        if text:
            self.stops.addItem(QListWidgetItem(text))
            self.stop_input.clear()
            self.stops.setCurrentRow(self.stops.count() - 1)
        self._update_buttons()

    def remove_stop(self) -> None:
        row = self.stops.currentRow()
        if row >= 0:
            self.stops.takeItem(row)
        self._update_buttons()

    def move_stop(self, step: int) -> None:
        row = self.stops.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.stops.count():
            return
        item = self.stops.takeItem(row)
        self.stops.insertItem(target, item)
        self.stops.setCurrentRow(target)

    def _update_buttons(self) -> None:
        row, n = self.stops.currentRow(), self.stops.count()
        self.remove_button.setEnabled(row >= 0)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < n - 1)

    def route(self) -> list[str]:
        return [self.stops.item(i).text() for i in range(self.stops.count())]

    def details(self) -> dict[str, Any]:
        dep = self.departure.value()
        return {
            "meeting_point": self.meeting_point.text().strip() or None,
            "route_stops": self.route(),
            "departure_time": dep.astimezone(zone(self.departure.tz)).isoformat() if dep else None,
            "max_cars": self.max_cars.value() or None,
        }

    def load(self, details: dict[str, Any]) -> None:
        self.meeting_point.setText(details.get("meeting_point") or "")
        self.stops.clear()
        for stop in details.get("route_stops") or []:
            self.stops.addItem(str(stop))
        dep = details.get("departure_time")
        self.departure.set_value(datetime.fromisoformat(dep) if dep else None)
        self.max_cars.setValue(int(details.get("max_cars") or 0))
        self._update_buttons()


class CareClassSection(QGroupBox):
    """Instructor, topic and one or more sessions (start, end, topic)."""

    def __init__(self, tz: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tz = tz
        self.setTitle(self.tr("Care class"))
        form = QFormLayout(self)
        self.instructor = QLineEdit()
        self.topic = QLineEdit()
        self.sessions = QTableWidget(0, 3)
        self.sessions.setHorizontalHeaderLabels(
            [self.tr("Session start"), self.tr("Session end"), self.tr("Session topic")]
        )
        header = self.sessions.horizontalHeader()
        # Fixed widths: ResizeToContents collapses the date columns while the table is empty.
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 190)
        header.resizeSection(1, 220)
        self.sessions.verticalHeader().setDefaultSectionSize(34)
        self.sessions.setMinimumHeight(150)
        self.add_button = QPushButton(self.tr("Add session"))
        self.remove_button = QPushButton(self.tr("Remove session"))
        self.add_button.clicked.connect(lambda: self.add_session())
        self.remove_button.clicked.connect(self.remove_session)
        self.sessions.itemSelectionChanged.connect(self._update_buttons)
        self.sessions.currentCellChanged.connect(lambda *_: self._update_buttons())
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        box = QWidget()
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.sessions)
        col.addLayout(buttons)
        self.fields = {
            "instructor": ErrorField(self.instructor),
            "topic": ErrorField(self.topic),
            "sessions": ErrorField(box),
        }
        form.addRow(self.tr("Instructor"), self.fields["instructor"])
        form.addRow(self.tr("Topic"), self.fields["topic"])
        form.addRow(self.tr("Sessions"), self.fields["sessions"])
        self.default_start: datetime | None = None
        self._update_buttons()

    def add_session(self, slot: SessionSlot | None = None) -> None:
        if slot is None:
            start = self._next_start()
            slot = SessionSlot(start, start + timedelta(hours=2), None)
        row = self.sessions.rowCount()
        self.sessions.insertRow(row)
        start_field, end_field = DateTimeField(self.tz), DateTimeField(self.tz, optional=True)
        start_field.set_value(slot.starts_at)
        end_field.set_value(slot.ends_at)
        topic = QLineEdit(slot.topic or "")
        self.sessions.setCellWidget(row, 0, start_field)
        self.sessions.setCellWidget(row, 1, end_field)
        self.sessions.setCellWidget(row, 2, topic)
        self.sessions.setCurrentCell(row, 2)
        self._update_buttons()

    def _next_start(self) -> datetime:
        n = self.sessions.rowCount()
        if n:
            last = self.sessions.cellWidget(n - 1, 0)
            assert isinstance(last, DateTimeField)
            value = last.value()
            if value:
                return value + timedelta(days=7)  # classes usually repeat weekly
        return self.default_start or now_utc().replace(minute=0, second=0, microsecond=0)

    def remove_session(self) -> None:
        row = self.sessions.currentRow()
        if row >= 0:
            self.sessions.removeRow(row)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(self.sessions.currentRow() >= 0)

    def slots(self) -> tuple[SessionSlot, ...]:
        out = []
        for row in range(self.sessions.rowCount()):
            start, end, topic = (self.sessions.cellWidget(row, c) for c in range(3))
            assert isinstance(start, DateTimeField) and isinstance(end, DateTimeField)
            assert isinstance(topic, QLineEdit)
            begin = start.value()
            if begin is not None:
                out.append(SessionSlot(begin, end.value(), topic.text().strip() or None))
        return tuple(out)

    def details(self) -> dict[str, Any]:
        return {
            "instructor": self.instructor.text().strip() or None,
            "topic": self.topic.text().strip() or None,
        }

    def load(self, details: dict[str, Any], slots: tuple[SessionSlot, ...]) -> None:
        self.instructor.setText(details.get("instructor") or "")
        self.topic.setText(details.get("topic") or "")
        self.sessions.setRowCount(0)
        for slot in slots:
            self.add_session(slot)
        self._update_buttons()
