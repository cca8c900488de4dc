"""Import people from a DMS/CRM export: file → mapping preview → dry run → import → report."""

from __future__ import annotations

import csv
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import Cancelled
from desktop_app.io.cells import csv_safe
from desktop_app.io.tables import read_table
from desktop_app.services import people_import
from ui.context import AppContext
from ui.views.import_mapping import MappingStep, field_labels, heading, readonly_item
from ui.views.person_dialogs import error_text, run_for
from ui.widgets.file_dialogs import get_open_file_name, get_save_file_name
from ui.widgets.import_buckets import ImportBuckets

PAGE_FILE, PAGE_MAPPING, PAGE_RUNNING, PAGE_REPORT = range(4)
SAMPLE_ROWS = 5


class ProgressRelay(QObject):
    """Carries progress from the worker thread to the progress bar (queued signal)."""

    progressed = Signal(int, int)


class ImportWizard(QDialog):
    imported = Signal(object)  # the final ImportReport

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Import people"))
        self.resize(900, 620)
        self.path: Path | None = None
        self.sheet: str | None = None  # None: the service picks the first sheet with data
        self._refill_columns = False
        self.preview: Any = None
        self.report: Any = None
        self.report_is_dry_run = False
        self.cancel_flag = threading.Event()
        self.running = False
        self.relay = ProgressRelay(self)
        self.relay.progressed.connect(self._progressed)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._file_page())
        self.mapping = MappingStep(language=ctx.language)
        self.mapping.remapped.connect(self.load_preview)
        self.mapping.sheet_chosen.connect(self.choose_sheet)
        self.pages.addWidget(self.mapping)
        self.pages.addWidget(self._running_page())
        self.pages.addWidget(self._report_page())
        self.back_button = QPushButton(self.tr("Back"))
        self.next_button = QPushButton(self.tr("Next"))
        self.close_button = QPushButton(self.tr("Close"))
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.back_button, self.next_button, self.close_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self._show(PAGE_FILE)

    # ------------------------------------------------------------------ pages

    def _file_page(self) -> QWidget:
        page = QWidget()
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(self.tr("Choose an .xlsx, .xls or .csv file"))
        self.path_edit.textChanged.connect(lambda _t: self._update_buttons())
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        intro = QLabel(
            self.tr(
                "Bring in owners and prospects from a DMS/CRM export or any sheet. Excel "
                "(.xlsx, .xls) and CSV (UTF-8 or GBK) are read; a title row above the "
                "header, blank rows and a totals row are skipped. You will see the column "
                "mapping and a dry run before anything is saved."
            )
        )
        intro.setWordWrap(True)
        self.file_error = QLabel()
        self.file_error.setObjectName("fieldError")
        self.file_error.setWordWrap(True)
        box = QVBoxLayout(page)
        box.addWidget(heading(self.tr("1. Choose the file")))
        box.addWidget(intro)
        box.addLayout(row)
        box.addWidget(self.file_error)
        box.addStretch(1)
        return page

    def _running_page(self) -> QWidget:
        page = QWidget()
        self.running_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.cancel_button = QPushButton(self.tr("Cancel import"))
        self.cancel_button.clicked.connect(self.cancel_import)
        box = QVBoxLayout(page)
        box.addStretch(1)
        box.addWidget(self.running_label)
        box.addWidget(self.progress)
        box.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignRight)
        box.addStretch(1)
        return page

    def _report_page(self) -> QWidget:
        page = QWidget()
        self.report_title = heading("")
        self.report_summary = QLabel()
        self.report_summary.setObjectName("importSummary")
        self.report_summary.setWordWrap(True)
        # where every row read went: the buckets add up to the rows
        self.buckets = ImportBuckets()
        self.rejected_label = QLabel(self.tr("Rejected (nothing identifies a person):"))
        self.rejected_table = self._problem_table()
        self.export_button = QPushButton(self.tr("Export rejected rows as CSV…"))
        self.export_button.clicked.connect(self.export_rejected)
        # what was imported without one of its values (a second number, a plate that is no
        # plate, a VIN read with 0 for O): every one, not only the preview's first rows
        self.warnings_label = QLabel(self.tr("Imported, with a value left out:"))
        self.warnings_table = self._problem_table()
        box = QVBoxLayout(page)
        box.addWidget(self.report_title)
        box.addWidget(self.buckets)
        box.addWidget(self.report_summary)
        box.addWidget(self.rejected_label)
        box.addWidget(self.rejected_table, 1)
        box.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(self.warnings_label)
        box.addWidget(self.warnings_table, 1)
        return page

    def _problem_table(self) -> QTableWidget:
        table = QTableWidget(0, 4)
        table.setHorizontalHeaderLabels(
            [self.tr("Row"), self.tr("Column"), self.tr("Value"), self.tr("Reason")]
        )
        table.verticalHeader().hide()
        table.horizontalHeader().setStretchLastSection(True)
        table.setWordWrap(True)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        return table

    # ------------------------------------------------------------------ navigation

    def _show(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        self._update_buttons()

    def _update_buttons(self) -> None:
        page = self.pages.currentIndex()
        self.back_button.setEnabled(page in (PAGE_MAPPING, PAGE_REPORT) and not self.running)
        self.next_button.setVisible(page != PAGE_RUNNING)
        self.close_button.setEnabled(not self.running)
        if page == PAGE_FILE:
            self.next_button.setText(self.tr("Next"))
            self.next_button.setEnabled(bool(self.path_edit.text().strip()))
        elif page == PAGE_MAPPING:
            self.next_button.setText(self.tr("Dry run"))
            self.next_button.setEnabled(True)
        elif page == PAGE_REPORT:
            done = self.report is not None and not self.report_is_dry_run
            self.next_button.setText(self.tr("Finish") if done else self.tr("Import"))
            self.next_button.setEnabled(self.report is not None)

    def go_back(self) -> None:
        page = self.pages.currentIndex()
        if page == PAGE_REPORT and self.report_is_dry_run:
            self._show(PAGE_MAPPING)
        elif page == PAGE_REPORT:
            self._show(PAGE_FILE)
        else:
            self._show(PAGE_FILE)

    def go_next(self) -> None:
        page = self.pages.currentIndex()
        if page == PAGE_FILE:
            self.load_preview()
        elif page == PAGE_MAPPING:
            self.start(dry_run=True)
        elif page == PAGE_REPORT and self.report_is_dry_run:
            self.start(dry_run=False)
        elif page == PAGE_REPORT:
            self.accept()

    def browse(self) -> None:
        path, _ = get_open_file_name(
            self,
            self.tr("Choose a file to import"),
            "",
            self.tr("Spreadsheets (*.xlsx *.xls *.csv);;All files (*)"),
        )
        if path:
            self.path_edit.setText(path)

    # ------------------------------------------------------------------ preview

    def choose_sheet(self, sheet: str) -> None:
        """Another sheet has other columns: guess its mapping afresh."""
        self.sheet = sheet
        self._refill_columns = True
        self.load_preview()

    def load_preview(self, mapping: dict[str, int | None] | None = None) -> None:
        """Read the file off the UI thread: the service's preview, plus the first raw
        cells of each column so the user can see what an unmapped column holds."""
        path = Path(self.path_edit.text().strip())
        if path != self.path:
            self.sheet = None  # a new file: its first sheet with data
        self.path = path
        self.file_error.clear()
        self.next_button.setEnabled(False)
        db, sheet = self.ctx.db, self.sheet

        def work() -> tuple[Any, list[list[str]]]:
            result = people_import.preview(db, path, mapping, sheet=sheet)
            table = read_table(path, sheet=result.sheet, fields=people_import.PEOPLE_FIELDS)
            samples = [[str(c) for c in row.cells] for row in table.rows[:SAMPLE_ROWS]]
            return result, samples

        run_for(self, self.ctx.pool, work, self._preview_ready, self._preview_failed)

    def _preview_failed(self, exc: BaseException) -> None:
        if self.pages.currentIndex() == PAGE_MAPPING:
            self.mapping.error.setText(error_text(exc, self.ctx.language))
        else:
            self.file_error.setText(error_text(exc, self.ctx.language))
        self._update_buttons()

    def _preview_ready(self, result: tuple[Any, list[list[str]]]) -> None:
        self.preview, samples = result
        if self.pages.currentIndex() != PAGE_MAPPING or self._refill_columns:
            self._refill_columns = False
            self.mapping.fill_columns(self.preview, samples)
        self.mapping.fill_rows(self.preview)
        self._show(PAGE_MAPPING)

    # ------------------------------------------------------------------ run

    def start(self, *, dry_run: bool) -> None:
        mapping = self.mapping.chosen_mapping()
        if all(mapping.get(k) is None for k in people_import.KEY_FIELDS):
            self.mapping.error.setText(
                self.tr("Choose the column with the name, the phone or the VIN.")
            )
            return
        self.cancel_flag.clear()
        self.running = True
        self.progress.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.running_label.setText(
            self.tr("Checking every row (dry run, nothing is saved)…")
            if dry_run
            else self.tr("Importing… nothing is saved until the last row is done.")
        )
        self._show(PAGE_RUNNING)
        path, db, relay, flag = self.path, self.ctx.db, self.relay, self.cancel_flag
        sheet = self.preview.sheet if self.preview is not None else None

        def work() -> Any:
            return people_import.import_people(
                db,
                path,
                mapping=mapping,
                sheet=sheet,
                dry_run=dry_run,
                progress=lambda done, total: relay.progressed.emit(done, total),
                is_cancelled=flag.is_set,
            )

        pool = self.ctx.pool if dry_run else self.ctx.write_pool
        run_for(self, pool, work, lambda r: self._finished(r, dry_run), self._failed)

    def _progressed(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            self.progress.setFormat("%p%")

    def cancel_import(self) -> None:
        self.cancel_flag.set()
        self.cancel_button.setEnabled(False)
        self.running_label.setText(self.tr("Cancelling… nothing will be saved."))

    def _finished(self, report: Any, dry_run: bool) -> None:
        self.running = False
        self.report = report
        self.report_is_dry_run = dry_run
        self._fill_report(report, dry_run)
        self._show(PAGE_REPORT)
        if not dry_run:
            self.imported.emit(report)

    def _failed(self, exc: BaseException) -> None:
        self.running = False
        self.report = None
        if isinstance(exc, Cancelled):
            self.report_title.setText(self.tr("Import cancelled"))
            self.report_summary.setText(self.tr("Nothing was changed."))
        else:
            self.report_title.setText(self.tr("The import stopped"))
            self.report_summary.setText(
                error_text(exc, self.ctx.language) + "\n" + self.tr("Nothing was changed.")
            )
        self.rejected_table.setRowCount(0)
        self.warnings_table.setRowCount(0)
        self.buckets.hide()
        self.warnings_label.hide()
        self.warnings_table.hide()
        self.export_button.setEnabled(False)
        self._show(PAGE_REPORT)

    def _fill_report(self, report: Any, dry_run: bool) -> None:
        data = report.to_json()
        self.report_title.setText(
            self.tr("3. Dry run: what the import would do") if dry_run else self.tr("Imported")
        )
        self.buckets.show_counts(report.counts)
        self.buckets.show()
        lines = [
            self.tr("Vehicles added: %1").replace("%1", str(data.get("vehicles_created", 0))),
        ]
        if data.get("staff_created"):
            lines.append(
                self.tr("New staff added as butlers: %1").replace(
                    "%1", ", ".join(data["staff_created"])
                )
            )
        if dry_run:
            lines.append(self.tr("Nothing has been saved yet. Press Import to save."))
        self.report_summary.setText("\n".join(lines))
        self._fill_problems(self.rejected_table, report.rejected)
        self.rejected_label.setVisible(bool(report.rejected))
        self.rejected_table.setVisible(bool(report.rejected))
        self.export_button.setVisible(bool(report.rejected))
        self.export_button.setEnabled(bool(report.rejected))
        self._fill_problems(self.warnings_table, report.warnings)
        self.warnings_label.setVisible(bool(report.warnings))
        self.warnings_table.setVisible(bool(report.warnings))

    def _fill_problems(self, table: QTableWidget, problems: Any) -> None:
        table.setRowCount(len(problems))
        names = field_labels()
        for i, r in enumerate(problems):
            cells = (
                str(r.row),
                names.get(r.field or "", ""),
                r.value or "",
                r.localized(self.ctx.language),
            )
            for col, text in enumerate(cells):
                item = readonly_item(str(text))
                item.setToolTip(str(text))
                table.setItem(i, col, item)
        for col in range(3):
            table.resizeColumnToContents(col)
        table.resizeRowsToContents()

    # ------------------------------------------------------------------ export

    def export_rejected(self) -> None:
        path, _ = get_save_file_name(
            self,
            self.tr("Save rejected rows"),
            "rejected_rows.csv",
            self.tr("CSV files (*.csv)"),
        )
        if path:
            self.write_rejected_csv(Path(path))

    def write_rejected_csv(self, path: Path) -> None:
        """Row number and reason per rejected row; UTF-8 with BOM so Excel shows Chinese."""
        rejected = self.report.rejected if self.report else ()
        names = field_labels()
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".rejected-", suffix=".csv")
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(
                [self.tr("Row"), self.tr("Column"), self.tr("Value"), self.tr("Reason")]
            )
            for r in rejected:
                writer.writerow(
                    [
                        r.row,
                        names.get(r.field or "", ""),
                        csv_safe(r.value or ""),  # the file's own text: maybe a formula
                        r.localized(self.ctx.language),
                    ]
                )
        os.replace(tmp, path)

    def reject(self) -> None:
        if self.running:  # the worker must finish (or cancel) before the window goes
            self.cancel_import()
            return
        super().reject()
