"""A local date-time input with a calendar popup that can also be left empty."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, QTime, Signal
from PySide6.QtWidgets import QCheckBox, QDateTimeEdit, QHBoxLayout, QWidget

from desktop_app.domain.timeutil import DEFAULT_TZ, parse_local, to_local

DISPLAY_FORMAT = "yyyy-MM-dd HH:mm"


class DateTimeField(QWidget):
    """Shows and returns aware datetimes, edited in the wall-clock time of `tz`.

    With `optional=True` a checkbox in front says whether a value is set at all.
    """

    changed = Signal()

    def __init__(self, tz: str = DEFAULT_TZ, optional: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.tz = tz
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.enabled_box: QCheckBox | None = None
        if optional:
            self.enabled_box = QCheckBox()
            self.enabled_box.setToolTip(self.tr("Set a date and time"))
            self.enabled_box.toggled.connect(self._toggled)
            row.addWidget(self.enabled_box)
        self.edit = QDateTimeEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat(DISPLAY_FORMAT)
        self._remembered = QDateTime(QDate.currentDate().addDays(7), QTime(10, 0))
        self.edit.setDateTime(self._remembered)
        if optional:
            self.edit.setMinimumDateTime(QDateTime(QDate(2000, 1, 1), QTime(0, 0)))
            self.edit.setSpecialValueText("—")
        self.edit.dateTimeChanged.connect(lambda _v: self.changed.emit())
        row.addWidget(self.edit, 1)
        if optional:
            self._toggled(False)

    def _toggled(self, on: bool) -> None:
        # Unset shows "—" (the minimum value with special text) rather than a greyed-out
        # date the user might read as real; setting it again brings back the last value.
        self.edit.setEnabled(on)
        if on:
            if self.edit.dateTime() == self.edit.minimumDateTime():
                self.edit.setDateTime(self._remembered)
        else:
            if self.edit.dateTime() != self.edit.minimumDateTime():
                self._remembered = self.edit.dateTime()
            self.edit.setDateTime(self.edit.minimumDateTime())
        self.changed.emit()

    def is_set(self) -> bool:
        return self.enabled_box is None or self.enabled_box.isChecked()

    def value(self) -> datetime | None:
        """The chosen moment as an aware UTC datetime, or None when left empty."""
        if not self.is_set():
            return None
        naive = self.edit.dateTime().toPython()
        assert isinstance(naive, datetime)
        return parse_local(naive.replace(second=0, microsecond=0), self.tz)

    def set_value(self, value: datetime | None) -> None:
        local = to_local(value, self.tz)
        if local is not None:
            moment = QDateTime(
                QDate(local.year, local.month, local.day), QTime(local.hour, local.minute)
            )
            self._remembered = moment
            self.edit.setDateTime(moment)
        if self.enabled_box is not None:
            self.enabled_box.setChecked(value is not None)
            self._toggled(value is not None)
