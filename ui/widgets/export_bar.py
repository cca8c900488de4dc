"""Export buttons of the report screens: .xlsx (numbers + native Excel charts) and PDF, both
written by desktop_app/io/report_export off the UI thread behind a progress dialog."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressDialog, QPushButton, QWidget

from desktop_app.domain.errors import PaddockError
from desktop_app.domain.timeutil import to_local
from desktop_app.services import exports
from ui.context import AppContext
from ui.widgets.file_dialogs import get_save_file_name
from ui.widgets.report_parts import submit_for


class ExportBar(QWidget):
    """ ".xlsx…" and "PDF…" buttons: ask where, write off the UI thread behind a progress
    dialog, then say where the file went. `job()` gives the report on screen (or None)."""

    exported = Signal(str)  # the written file
    failed = Signal(str)  # the message shown

    def __init__(self, ctx: AppContext, job: Callable[[], Any], parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.job = job
        self.progress: QProgressDialog | None = None
        self.xlsx = QPushButton(self.tr("Export .xlsx…"))
        self.xlsx.setToolTip(self.tr("The numbers and native Excel charts, for HQ and the team"))
        self.pdf = QPushButton(self.tr("Export PDF…"))
        self.pdf.setToolTip(self.tr("A printable report for the manager's meeting"))
        self.xlsx.clicked.connect(lambda: self.export("xlsx"))
        self.pdf.clicked.connect(lambda: self.export("pdf"))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.xlsx)
        row.addWidget(self.pdf)

    def ask_path(self, fmt: str, suggested: str) -> str:
        """The file to write (tests replace this; the dialog is the user's way)."""
        filters = {"xlsx": self.tr("Excel workbook (*.xlsx)"), "pdf": self.tr("PDF (*.pdf)")}
        start = str(
            Path(str(self.ctx.settings.value("reports/export_dir", "") or Path.home())) / suggested
        )
        path, _ = get_save_file_name(self, self.tr("Export report"), start, filters[fmt])
        if path:
            self.ctx.settings.setValue("reports/export_dir", str(Path(path).parent))
            if not path.lower().endswith("." + fmt):
                path += "." + fmt
        return path

    def export(self, fmt: str) -> None:
        report = self.job()
        if report is None:
            return
        path = self.ask_path(fmt, f"{suggested_name(report)}.{fmt}")
        if not path:
            return
        self.progress = QProgressDialog(
            self.tr("Writing %1…").replace("%1", Path(path).name), "", 0, 0, self
        )
        self.progress.setCancelButton(None)  # one file, seconds at most: nothing to cancel
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(300)
        self.xlsx.setEnabled(False)
        self.pdf.setEnabled(False)
        lang = self.ctx.language
        submit_for(
            self,
            self.ctx.pool,
            lambda: exports.report_file(self.ctx.db, report, Path(path), lang),
            lambda _r: self._done(path),
            self._failed,
        )

    def _finish(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress = None
        self.xlsx.setEnabled(True)
        self.pdf.setEnabled(True)

    def _done(self, path: str) -> None:
        self._finish()
        self.exported.emit(path)

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        text = exc.localized(self.ctx.language) if isinstance(exc, PaddockError) else str(exc)
        self.failed.emit(text)
        if not isinstance(exc, PaddockError | OSError):
            raise exc


def suggested_name(report: Any) -> str:
    """A file name that says what is inside: the event's date and title, or the range."""
    if hasattr(report, "kpis"):
        local = to_local(report.starts_at, report.timezone)
        day = f"{local:%Y%m%d}-" if local else ""
        title = "".join(ch for ch in report.title if ch.isalnum() or ch in "-_ ")[:40].strip()
        return f"{day}{title or 'event'}".replace(" ", "-")
    return f"community-{report.date_from:%Y%m%d}-{report.date_to:%Y%m%d}"
