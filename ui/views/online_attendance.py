"""After an online event: import the Zoom / 腾讯会议 / 钉钉 / 微信视频号 participants export
and see who attended. A file from another day is refused with both days named; the
coordinator may still import it ("Import anyway")."""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import ConfirmationRequired
from desktop_app.services import attendance_import
from desktop_app.services.attendance_import import AttendanceReport
from ui.context import AppContext
from ui.views.person_dialogs import error_text, run_for
from ui.widgets.file_dialogs import get_open_file_name
from ui.widgets.import_buckets import ImportBuckets

FILE_FILTER = "Exports (*.xlsx *.xls *.csv *.txt);;All files (*)"


class OnlineAttendanceDialog(QDialog):
    imported = Signal(object)  # the AttendanceReport

    def __init__(
        self,
        ctx: AppContext,
        event_id: uuid.UUID | str,
        title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.event_id = event_id
        self.report: AttendanceReport | None = None
        self.refusal: ConfirmationRequired | None = None  # the file is from another day
        self.setWindowTitle(self.tr("Online attendance — %1").replace("%1", title))
        self.resize(680, 520)
        intro = QLabel(
            self.tr(
                "Choose the participants export of the meeting or live stream (Zoom, "
                "腾讯会议 参会成员明细, 钉钉, 微信视频号). Registrants who stayed long enough "
                "are marked attended; you can import the same file again."
            )
        )
        intro.setWordWrap(True)
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(self.tr("Choose an .xlsx, .xls, .csv or .txt export"))
        self.path_edit.textChanged.connect(lambda _t: self._forget_refusal())
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self.browse)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.buckets = ImportBuckets()  # where every row of the file went
        self.buckets.hide()
        self.unmatched = QListWidget()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.import_button = buttons.addButton(
            self.tr("Import"), QDialogButtonBox.ButtonRole.ApplyRole
        )
        self.import_button.clicked.connect(lambda: self.start())
        self.anyway_button = buttons.addButton(
            self.tr("Import anyway"), QDialogButtonBox.ButtonRole.ApplyRole
        )
        self.anyway_button.clicked.connect(lambda: self.start(any_date=True))
        self.anyway_button.hide()
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        col = QVBoxLayout(self)
        col.addWidget(intro)
        col.addLayout(row)
        col.addWidget(self.message)
        col.addWidget(self.buckets)
        col.addWidget(self.unmatched, 1)
        col.addWidget(buttons)

    def browse(self) -> None:
        path, _ = get_open_file_name(
            self, self.tr("Participants export"), self.path_edit.text(), FILE_FILTER
        )
        if path:
            self.path_edit.setText(path)

    def start(self, *, any_date: bool = False) -> None:
        """Import the chosen file on the write pool; `any_date` after a refusal."""
        text = self.path_edit.text().strip()
        if not text:
            self.message.setText(self.tr("Choose the file first."))
            return
        db, eid, path = self.ctx.db, self.event_id, Path(text)
        self._busy(True)
        self.message.setText(self.tr("Importing…"))
        run_for(
            self,
            self.ctx.write_pool,
            lambda: attendance_import.import_attendance(db, eid, path, any_date=any_date),
            self._done,
            self._failed,
        )

    def _busy(self, busy: bool) -> None:
        self.import_button.setEnabled(not busy)
        self.anyway_button.setEnabled(not busy)

    def _forget_refusal(self) -> None:
        self.refusal = None
        self.anyway_button.hide()

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        self.message.setText(error_text(exc, self.ctx.language))
        if isinstance(exc, ConfirmationRequired):
            self.refusal = exc
            self.anyway_button.show()

    def _done(self, rep: AttendanceReport) -> None:
        self._busy(False)
        self._forget_refusal()
        self.report = rep
        self.message.setText(self.summary(rep))
        self.buckets.show_counts(rep.counts)
        self.buckets.show()
        self.unmatched.clear()
        lang = self.ctx.language
        for st in rep.staff_left_out:
            self.unmatched.addItem(
                self.tr("Staff, left out: %1  ·  %2")
                .replace("%1", st.name)
                .replace("%2", st.why.localized(lang))
            )
        for u in rep.unmatched_list:
            minutes = self.tr("%1 min").replace("%1", str(u.minutes))
            self.unmatched.addItem(f"{u.name}  ·  {minutes}  ·  {u.localized(lang)}")
        for r in (*rep.rejected, *rep.warnings):
            self.unmatched.addItem(
                self.tr("Row %1: %2").replace("%1", str(r.row)).replace("%2", r.localized(lang))
            )
        self.imported.emit(rep)

    def summary(self, rep: AttendanceReport) -> str:
        return (
            self.tr(
                "%1 participants (%6 staff left out): %2 matched to registrations, %3 "
                "attended for at least %4 min, %5 not matched (listed below with the reason)."
            )
            .replace("%1", str(rep.participants))
            .replace("%2", str(rep.matched))
            .replace("%3", str(rep.attended))
            .replace("%4", str(rep.min_minutes))
            .replace("%5", str(rep.unmatched))
            .replace("%6", str(rep.hosts))
        )
