"""Check-in page: pick today's event(s), the desk name, the staff member, badge printing,
then "Start desk" opens the full-screen desk. After the event: the paper sign-in sheet, and
the online participants export."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.timeutil import now_utc, to_local
from desktop_app.io.pdf.badges import DEFAULT_SIZE
from desktop_app.services import checkin, events, staff
from ui.badge_printer import BadgePrinter, printer_names
from ui.context import AppContext
from ui.sounds import DeskSounds
from ui.views.bulk_attendance import BulkAttendanceDialog
from ui.views.desk import DeskView
from ui.views.online_attendance import OnlineAttendanceDialog
from ui.views.scanner_test import ScannerTestDialog
from ui.widgets.scanner_input import ScannerSettings

KEY_DESK = "desk/name"
KEY_STAFF = "desk/staff_id"
KEY_PRINT = "desk/print_badges"
KEY_PRINTER = "desk/printer"
KEY_BADGE_SIZE = "desk/badge_size"
KEY_SOUNDS = "desk/sounds"
EID = Qt.ItemDataRole.UserRole


def badge_size_choices() -> list[tuple[str, str]]:
    """The label presets (desktop_app/io/pdf/badges.py) as the printer boxes name them."""
    return [
        ("90x55", QCoreApplication.translate("BadgeSizes", "90 × 55 mm — badge card")),
        ("62x29", QCoreApplication.translate("BadgeSizes", "62 × 29 mm — Brother DK-11209")),
        ("62x100", QCoreApplication.translate("BadgeSizes", "62 × 100 mm — Brother DK-11202")),
        ("89x36", QCoreApplication.translate("BadgeSizes", "89 × 36 mm — DYMO 99012")),
        ("101x54", QCoreApplication.translate("BadgeSizes", "101 × 54 mm — DYMO 99014")),
        ("102x59", QCoreApplication.translate("BadgeSizes", "102 × 59 mm — DYMO name badge 30857")),
    ]


def _flag(value: object, default: bool) -> bool:
    if value is None or value == "":
        return default
    return str(value).lower() in ("1", "true", "yes")


class CheckinPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.desk_view: DeskView | None = None
        s = ctx.settings
        title = QLabel(self.tr("Check-in"))
        title.setObjectName("pageTitle")
        intro = QLabel(
            self.tr(
                "Tick the event(s) this desk admits today — several at once is fine — then start the desk."
            )
        )
        intro.setWordWrap(True)
        self.events_list = QListWidget()
        self.events_list.setMinimumHeight(96)  # four events; more scroll
        self.events_list.itemChanged.connect(lambda _i: self._update_start())
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.load_events)
        self.desk_name = QLineEdit(str(s.value(KEY_DESK, "") or "1"))
        self.desk_name.setMaxLength(64)
        self.desk_name.editingFinished.connect(
            lambda: s.setValue(KEY_DESK, self.desk_name.text().strip())
        )
        self.staff_box = QComboBox()
        self.sounds_box = QCheckBox(self.tr("Play a sound for each result"))
        self.sounds_box.setChecked(_flag(s.value(KEY_SOUNDS), True))
        self.print_box = QCheckBox(self.tr("Print a badge for each accepted guest"))
        self.print_box.setChecked(_flag(s.value(KEY_PRINT), False))
        self.printer_box = QComboBox()
        names = printer_names()
        self.printer_box.addItems(names)
        if not names:
            self.printer_box.addItem(self.tr("(no printer installed)"), "")
        saved = str(s.value(KEY_PRINTER, "") or "")
        if saved in names:
            self.printer_box.setCurrentText(saved)
        self.size_box = QComboBox()
        for key, text in badge_size_choices():
            self.size_box.addItem(text, key)
        i = self.size_box.findData(str(s.value(KEY_BADGE_SIZE, "") or DEFAULT_SIZE))
        self.size_box.setCurrentIndex(max(0, i))
        self.size_box.setToolTip(
            self.tr("Set the same label size in the printer's own settings (its driver).")
        )
        self.scanner_label = QLabel()
        self.scanner_label.setWordWrap(True)
        self.scanner_button = QPushButton(self.tr("Test your scanner…"))
        self.scanner_button.clicked.connect(self.open_scanner_test)
        self.start_button = QPushButton(self.tr("Start desk"))
        self.start_button.setDefault(True)
        self.start_button.setMinimumHeight(44)
        self.start_button.clicked.connect(self.start_desk)
        self.start_button.setToolTip(self.tr("Ctrl+Enter"))
        for keys in ("Ctrl+Return", "Ctrl+Enter"):  # keyboard-only desks start it without a mouse
            start = QShortcut(QKeySequence(keys), self)
            start.activated.connect(lambda: self.start_button.isEnabled() and self.start_desk())
        self.past_box = QComboBox()
        self.sheet_button = QPushButton(self.tr("Enter sign-in sheet…"))
        self.sheet_button.clicked.connect(self.open_sheet)
        self.online_button = QPushButton(self.tr("Import online attendance…"))
        self.online_button.clicked.connect(self.open_online)
        self.past_box.currentIndexChanged.connect(lambda _i: self._update_online_button())

        today = QGroupBox(self.tr("Today's events"))
        tcol = QVBoxLayout(today)
        tcol.addWidget(self.events_list, 1)
        tcol.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignLeft)
        setup = QGroupBox(self.tr("This desk (remembered on this computer)"))
        form = QFormLayout(setup)
        form.addRow(self.tr("Desk name"), self.desk_name)
        form.addRow(self.tr("Staff"), self.staff_box)
        form.addRow("", self.sounds_box)
        form.addRow("", self.print_box)
        form.addRow(self.tr("Badge printer"), self.printer_box)
        form.addRow(self.tr("Badge label size"), self.size_box)
        form.addRow(self.tr("Scanner"), self.scanner_label)
        form.addRow("", self.scanner_button)
        self._show_scanner_timing()
        after = QGroupBox(self.tr("After the event"))
        arow = QHBoxLayout(after)
        arow.addWidget(self.past_box, 1)
        arow.addWidget(self.sheet_button)
        arow.addWidget(self.online_button)
        # today's events and Start desk beside the desk's setup: the page fits a
        # 1366×768 laptop's main window with the status bar on screen (docs/screens.md)
        left = QVBoxLayout()
        left.addWidget(today, 1)
        left.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignLeft)
        row = QHBoxLayout()
        row.addLayout(left, 3)
        row.addWidget(setup, 2, Qt.AlignmentFlag.AlignTop)
        col = QVBoxLayout(self)
        col.addWidget(title)
        col.addWidget(intro)
        col.addLayout(row, 1)
        col.addWidget(after)
        self.load_staff()
        self.load_events()

    # ------------------------------------------------------------------ data
    def load_staff(self) -> None:
        self.staff_box.clear()
        self.staff_box.addItem(self.tr("(not named)"), "")
        for st in staff.list_staff(self.ctx.db):
            self.staff_box.addItem(st.name, str(st.id))
        saved = str(self.ctx.settings.value(KEY_STAFF, "") or "")
        i = self.staff_box.findData(saved)
        if i >= 0:
            self.staff_box.setCurrentIndex(i)

    def load_events(self) -> None:
        self.events_list.blockSignals(True)
        self.events_list.clear()
        for e in checkin.events_of_day(self.ctx.db):
            start = to_local(e.starts_at, e.timezone)
            when = start.strftime("%H:%M") if start else ""
            state = self.tr("check-in open") if e.is_open else self.tr("check-in not open yet")
            item = QListWidgetItem(f"{when}  {e.title}  ·  {state}")
            item.setData(EID, str(e.id))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if self.events_list.count() == 0 else Qt.CheckState.Unchecked
            )
            self.events_list.addItem(item)
        if self.events_list.count() == 0:
            item = QListWidgetItem(self.tr("No published event today."))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.events_list.addItem(item)
        self.events_list.blockSignals(False)
        self.past_box.clear()
        now = now_utc()
        for e in reversed(
            events.list_events(self.ctx.db, starts_from=now - timedelta(days=60), starts_to=now)
        ):
            if e.status in ("published", "closed", "completed"):
                start = to_local(e.starts_at, e.timezone)
                self.past_box.addItem(
                    f"{start:%Y-%m-%d}  {e.title}" if start else e.title, str(e.id)
                )
                self.past_box.setItemData(
                    self.past_box.count() - 1, str(e.format), Qt.ItemDataRole.UserRole + 1
                )
        self.sheet_button.setEnabled(self.past_box.count() > 0)
        self._update_online_button()
        self._update_start()

    def _update_online_button(self) -> None:
        """Only an online or hybrid event has a participants export to import."""
        fmt = self.past_box.currentData(Qt.ItemDataRole.UserRole + 1)
        online = fmt in ("online", "hybrid")
        self.online_button.setEnabled(online)
        self.online_button.setToolTip(
            ""
            if online or self.past_box.count() == 0
            else self.tr("An on-site event has no online participants to import.")
        )

    def chosen_events(self) -> list[uuid.UUID]:
        out = []
        for i in range(self.events_list.count()):
            item = self.events_list.item(i)
            if item.data(EID) and item.checkState() == Qt.CheckState.Checked:
                out.append(uuid.UUID(str(item.data(EID))))
        return out

    def _update_start(self) -> None:
        self.start_button.setEnabled(bool(self.chosen_events()))

    def _staff(self) -> tuple[uuid.UUID | None, str]:
        sid = str(self.staff_box.currentData() or "")
        return (uuid.UUID(sid), self.staff_box.currentText()) if sid else (None, "")

    def _save(self) -> None:
        s = self.ctx.settings
        s.setValue(KEY_DESK, self.desk_name.text().strip())
        s.setValue(KEY_STAFF, str(self.staff_box.currentData() or ""))
        s.setValue(KEY_PRINT, self.print_box.isChecked())
        s.setValue(
            KEY_PRINTER,
            str(self.printer_box.currentText() if self.printer_box.currentData() != "" else ""),
        )
        s.setValue(KEY_SOUNDS, self.sounds_box.isChecked())
        s.setValue(KEY_BADGE_SIZE, str(self.size_box.currentData() or DEFAULT_SIZE))

    # ------------------------------------------------------------------ actions
    def badge_printer(self) -> BadgePrinter | None:
        if not self.print_box.isChecked():
            return None
        name = self.printer_box.currentText() if self.printer_box.currentData() != "" else ""
        size = str(self.size_box.currentData() or DEFAULT_SIZE)
        return BadgePrinter(name, size=size) if name else None

    def start_desk(self, *, full_screen: bool = True) -> DeskView | None:
        ids = self.chosen_events()
        if not ids:
            return None
        self._save()
        staff_id, staff_name = self._staff()
        desk = DeskView(
            self.ctx,
            ids,
            self.desk_name.text().strip() or "1",
            staff_id,
            staff_name=staff_name,
            badge_printer=self.badge_printer(),
            sounds=DeskSounds(enabled=self.sounds_box.isChecked()),
        )
        desk.sounds.setParent(desk)
        desk.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        desk.closed.connect(self._desk_closed)
        self.desk_view = desk
        if full_screen:
            desk.showFullScreen()
        else:
            desk.show()
        return desk

    def _desk_closed(self) -> None:
        self.desk_view = None
        self.load_events()

    def _show_scanner_timing(self) -> None:
        t = ScannerSettings.load(self.ctx.settings)
        self.scanner_label.setText(
            self.tr("keys at most %1 ms apart · a code without Enter ends after %2 ms")
            .replace("%1", str(round(t.max_gap * 1000)))
            .replace("%2", str(round(t.end_pause * 1000)))
        )

    def open_scanner_test(self) -> ScannerTestDialog:
        dlg = ScannerTestDialog(self.ctx.settings, parent=self)
        dlg.finished.connect(lambda _r: (self._show_scanner_timing(), dlg.deleteLater()))
        dlg.open()
        return dlg

    def open_sheet(self) -> Any:
        eid = self.past_box.currentData()
        if not eid:
            return None
        staff_id, _ = self._staff()
        dlg = BulkAttendanceDialog(
            self.ctx, eid, self.past_box.currentText(), staff_id, parent=self
        )
        dlg.open()
        return dlg

    def open_online(self) -> OnlineAttendanceDialog | None:
        eid = self.past_box.currentData()
        if not eid:
            return None
        dlg = OnlineAttendanceDialog(self.ctx, eid, self.past_box.currentText(), parent=self)
        dlg.open()
        return dlg
