"""The Sync screen: export for HQ, import HQ's campaign pack, event packs, and the history."""

from __future__ import annotations

import json
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import Cancelled, PaddockError
from desktop_app.domain.messages import field_label
from desktop_app.domain.timeutil import to_local
from desktop_app.services import campaigns, events, hq_export, packs
from ui.context import AppContext
from ui.widgets.file_dialogs import get_open_file_name, get_save_file_name
from ui.workers import submit

HISTORY_LIMIT = 200


def _local(value: datetime | str | None, tz: str) -> str:
    """'2026-11-24 14:05' in the dealer's time zone, from a datetime or an ISO string."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    local = to_local(value, tz)
    return local.strftime("%Y-%m-%d %H:%M") if local else "—"


def _value(value: Any, tz: str) -> str:
    """A changed field's value as a person reads it (ISO timestamps in local time)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime) or (
        isinstance(value, str) and len(value) >= 16 and value[4] == "-" and value[10] == "T"
    ):
        return _local(value, tz)
    return str(value)


def _table(headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().setVisible(False)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setAlternatingRowColors(True)
    t.horizontalHeader().setStretchLastSection(True)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return t


def _fill(table: QTableWidget, rows: list[list[str]], data: list[Any] | None = None) -> None:
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if len(text) > 40:
                item.setToolTip(text)  # long change lists are cut at the column's edge
            if c == 0 and data is not None:
                item.setData(Qt.ItemDataRole.UserRole, data[r])
            table.setItem(r, c, item)


class _Progress(QObject):
    """Carries progress from the worker thread to the bar (queued across threads)."""

    changed = Signal(int, int)


class JsonReportDialog(QDialog):
    """A stored report, shown as indented JSON (what HQ or IT would ask for)."""

    def __init__(self, title: str, report: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setPlainText(json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(720, 560)


class PackReportDialog(QDialog):
    """What an imported event pack brought: counts, double entries, conflicts."""

    def __init__(
        self,
        report: packs.PackImportReport,
        tz: str,
        parent: QWidget | None = None,
        lang: str = "en",
    ) -> None:
        super().__init__(parent)
        self.report = report
        self.setWindowTitle(self.tr("Event pack imported"))
        head = QLabel(
            self.tr(
                "%1: %2 scans added, %3 new check-ins, %4 walk-ins. "
                "Created %5, updated %6, unchanged %7, matched to existing %8."
            )
            .replace("%1", report.event_title)
            .replace("%2", str(report.scans_added))
            .replace("%3", str(report.checkins_added))
            .replace("%4", str(report.walk_ins_added))
            .replace("%5", str(report.created))
            .replace("%6", str(report.updated))
            .replace("%7", str(report.unchanged))
            .replace("%8", str(report.duplicates))
        )
        head.setWordWrap(True)
        self.summary = head
        self.doubles = _table(
            [
                self.tr("Name"),
                self.tr("Kept (earliest)"),
                self.tr("Also let in"),
                self.tr("Points not added"),
            ]
        )
        _fill(
            self.doubles,
            [
                [
                    str(d.get("name") or "—"),
                    f"{_local(d['kept']['at'], tz)} · {d['kept'].get('desk') or '—'}",
                    f"{_local(d['other']['at'], tz)} · {d['other'].get('desk') or '—'}",
                    str(d.get("points_not_added", 0)),
                ]
                for d in report.double_entries
            ],
        )
        self.conflicts = _table(
            [
                self.tr("Table"),
                self.tr("Fields"),
                self.tr("Here"),
                self.tr("In the pack"),
                self.tr("Kept"),
            ]
        )
        kept = {"here": self.tr("this database (newer)"), "pack": self.tr("the pack (newer)")}
        _fill(
            self.conflicts,
            [
                [
                    str(c["table"]),
                    ", ".join(c["fields"]),
                    "; ".join(f"{k}={v}" for k, v in c["here"].items()),
                    "; ".join(f"{k}={v}" for k, v in c["pack"].items()),
                    kept.get(str(c["kept"]), str(c["kept"])),
                ]
                for c in report.conflicts
            ],
        )
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        doubles_box = QGroupBox(
            self.tr("Double entries: let in at both places (%1)").replace(
                "%1", str(len(report.double_entries))
            )
        )
        QVBoxLayout(doubles_box).addWidget(self.doubles)
        conflicts_box = QGroupBox(
            self.tr("Changed at both places (%1)").replace("%1", str(len(report.conflicts)))
        )
        QVBoxLayout(conflicts_box).addWidget(self.conflicts)
        if report.rejected:
            rejected = QLabel(
                self.tr("Not imported: %1").replace(
                    "%1",
                    "; ".join(r.localized(lang) for r in report.rejected),
                )
            )
            rejected.setWordWrap(True)
            rejected.setObjectName("warning")
            layout.addWidget(rejected)
        layout.addWidget(doubles_box, 1)
        layout.addWidget(conflicts_box, 1)
        # empty sections say so in one line instead of showing an empty table
        doubles_box.setVisible(bool(report.double_entries))
        conflicts_box.setVisible(bool(report.conflicts))
        if not report.double_entries and not report.conflicts:
            clean = QLabel(self.tr("No double entries and no conflicts."))
            clean.setObjectName("hint")
            layout.addWidget(clean)
            layout.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        details = buttons.addButton(self.tr("Details (JSON)"), QDialogButtonBox.ButtonRole.HelpRole)
        details.clicked.connect(self.show_json)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(820, 560)

    def show_json(self) -> JsonReportDialog:
        dlg = JsonReportDialog(self.windowTitle(), self.report.to_json(), self)
        dlg.open()
        return dlg


class SyncPage(QWidget):
    """Exchanging files with HQ and with the coordinators' laptops; every run is kept."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tz = ctx.timezone()
        self._cancel = threading.Event()
        self._progress = _Progress()
        self._progress.changed.connect(self._on_progress)
        self.campaign_preview: campaigns.CampaignReport | None = None
        self.last_pack_report: packs.PackImportReport | None = None
        self.pack_dialog: PackReportDialog | None = None
        self.report_dialog: JsonReportDialog | None = None

        title = QLabel(self.tr("Sync"))
        title.setObjectName("pageTitle")
        intro = QLabel(
            self.tr(
                "Workbooks for HQ, HQ's campaign packs, and event packs for offline laptops. "
                "Every export and import is kept below with its report."
            )
        )
        intro.setWordWrap(True)
        intro.setObjectName("hint")
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_hq(), self.tr("Export for HQ"))
        self.tabs.addTab(self._build_campaigns(), self.tr("Campaign pack"))
        self.tabs.addTab(self._build_packs(), self.tr("Event packs"))
        self.tabs.addTab(self._build_history(), self.tr("History"))
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(self.tabs, 1)
        self.refresh()

    # ------------------------------------------------------------------ HQ export

    def _build_hq(self) -> QWidget:
        page = QWidget()
        form_box = QGroupBox(self.tr("New export"))
        self.mode_full = QRadioButton(self.tr("Everything (full export)"))
        self.mode_since = QRadioButton(self.tr("Only changes since the last export"))
        self.mode_full.setChecked(True)
        self.mode_group = QButtonGroup(self)
        self.mode_group.addButton(self.mode_full)
        self.mode_group.addButton(self.mode_since)
        modes = QVBoxLayout()
        modes.addWidget(self.mode_full)
        modes.addWidget(self.mode_since)
        self.last_label = QLabel()
        self.last_label.setObjectName("hint")
        modes.addWidget(self.last_label)

        self.pii_full = QRadioButton(self.tr("Full (names and phone numbers)"))
        self.pii_masked = QRadioButton(self.tr("Masked (138****5678, 张*)"))
        self.pii_hashed = QRadioButton(self.tr("Hashed (masked + a keyed hash HQ can match)"))
        self.pii_masked.setChecked(True)
        self.pii_group = QButtonGroup(self)
        for i, b in enumerate((self.pii_full, self.pii_masked, self.pii_hashed)):
            self.pii_group.addButton(b, i)
        self.pii_group.buttonToggled.connect(self._pii_changed)
        pii = QVBoxLayout()
        for b in (self.pii_full, self.pii_masked, self.pii_hashed):
            pii.addWidget(b)
        self.pii_warning = QLabel(
            self.tr(
                "Full PII: customers' real names and phone numbers leave the dealership. "
                "Choose it only when HQ asks for it in writing, and send the file securely."
            )
        )
        self.pii_warning.setWordWrap(True)
        self.pii_warning.setObjectName("warning")
        self.pii_warning.setStyleSheet("color: #b3261e; font-weight: 600;")
        self.pii_warning.setVisible(False)
        pii.addWidget(self.pii_warning)
        key_row = QHBoxLayout()
        self.hash_key_button = QPushButton(self.tr("Load HQ hash key…"))
        self.hash_key_button.clicked.connect(self.load_hash_key)
        self.hash_key_label = QLabel()
        self.hash_key_label.setObjectName("hint")
        key_row.addWidget(self.hash_key_button)
        key_row.addWidget(self.hash_key_label, 1)
        pii.addLayout(key_row)

        self.checkins = QComboBox()
        self.checkins.addItem(self.tr("All scans (accepted and refused)"), "all")
        self.checkins.addItem(self.tr("Accepted check-ins only"), "accepted")

        self.hq_file = QLineEdit()
        self.hq_file.setPlaceholderText(self.tr("Choose where to save the .xlsx"))
        choose = QPushButton(self.tr("Choose…"))
        choose.clicked.connect(self.choose_hq_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.hq_file, 1)
        file_row.addWidget(choose)

        self.export_button = QPushButton(self.tr("Export"))
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start_hq_export)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_export)
        self.hq_bar = QProgressBar()
        self.hq_bar.setVisible(False)
        self.hq_message = QLabel()
        self.hq_message.setWordWrap(True)
        self.hq_message.setObjectName("pageMessage")
        for b in (self.export_button, self.cancel_button):
            b.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            b.setMinimumWidth(120)
        run_row = QHBoxLayout()
        run_row.addWidget(self.export_button)
        run_row.addWidget(self.cancel_button)
        run_row.addWidget(self.hq_bar, 1)
        run_row.addStretch(0)  # keeps the buttons compact while the bar is hidden

        form = QFormLayout(form_box)
        form.addRow(self.tr("What"), modes)
        form.addRow(self.tr("Personal data"), pii)
        form.addRow(self.tr("Check-ins"), self.checkins)
        form.addRow(self.tr("File"), file_row)
        form.addRow("", run_row)
        form.addRow("", self.hq_message)

        last_box = QGroupBox(self.tr("Last exports"))
        self.exports_table = _table(
            [
                self.tr("When"),
                self.tr("What"),
                self.tr("Personal data"),
                self.tr("Rows"),
                self.tr("File"),
            ]
        )
        self.exports_table.itemDoubleClicked.connect(self._open_row_report)
        QVBoxLayout(last_box).addWidget(self.exports_table)
        layout = QVBoxLayout(page)
        layout.addWidget(form_box)
        layout.addWidget(last_box, 1)
        return page

    def _pii_changed(self, *_: object) -> None:
        self.pii_warning.setVisible(self.pii_full.isChecked())

    def pii_mode(self) -> str:
        if self.pii_full.isChecked():
            return "full"
        return "hashed" if self.pii_hashed.isChecked() else "masked"

    def choose_hq_file(self) -> str:
        code = (self.ctx.dealer().code if self.ctx.dealer() else "paddock") or "paddock"
        start = str(Path.home() / f"{code}-hq-{datetime.now():%Y%m%d}.xlsx")
        path, _ = get_save_file_name(
            self, self.tr("Save the HQ workbook"), start, self.tr("Excel workbook (*.xlsx)")
        )
        if path:
            if not path.lower().endswith(".xlsx"):
                path += ".xlsx"
            self.hq_file.setText(path)
        return path

    def load_hash_key(self) -> None:
        path, _ = get_open_file_name(
            self,
            self.tr("HQ hash key file"),
            str(Path.home()),
            self.tr("Key file (*.txt *.key);;All files (*)"),
        )
        if not path:
            return
        try:
            key = Path(path).read_text(encoding="utf-8")
            hq_export.set_hash_key(self.ctx.db, key)
        except (OSError, UnicodeDecodeError) as exc:
            self.hash_key_label.setText(str(exc))
            return
        except PaddockError as exc:
            self.hash_key_label.setText(exc.localized(self.ctx.language))
            return
        self.hash_key_label.setText(self.tr("HQ hash key stored."))

    def start_hq_export(self) -> None:
        out = self.hq_file.text().strip() or self.choose_hq_file()
        if not out:
            return
        mode = "since_last" if self.mode_since.isChecked() else "full"
        pii, checkins = self.pii_mode(), str(self.checkins.currentData())
        self._cancel.clear()
        self._busy(True)
        self.hq_message.setText(self.tr("Exporting…"))
        db, progress, cancel = self.ctx.db, self._progress, self._cancel

        def work() -> hq_export.ExportReport:
            return hq_export.export_hq(
                db,
                out,
                mode=mode,
                pii=pii,
                checkins=checkins,
                progress=lambda done, total: progress.changed.emit(done, total),
                is_cancelled=cancel.is_set,
            )

        submit(self.ctx.pool, work, self._hq_done, self._hq_failed)

    def cancel_export(self) -> None:
        self._cancel.set()
        self.cancel_button.setEnabled(False)
        self.hq_message.setText(self.tr("Cancelling…"))

    def _busy(self, busy: bool) -> None:
        self.export_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        self.hq_bar.setVisible(busy)
        if busy:
            self.hq_bar.setRange(0, 0)  # busy until the first progress report

    def _on_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.hq_bar.setRange(0, total)
            self.hq_bar.setValue(min(done, total))

    def _hq_done(self, rep: hq_export.ExportReport) -> None:
        self._busy(False)
        self.hq_message.setText(
            self.tr("Exported %1 rows to %2 (%3 s).")
            .replace("%1", str(sum(rep.rows.values())))
            .replace("%2", rep.file)
            .replace("%3", f"{rep.seconds:.1f}")
        )
        self.refresh()

    def _hq_failed(self, exc: BaseException) -> None:
        self._busy(False)
        if isinstance(exc, Cancelled):
            self.hq_message.setText(self.tr("Export cancelled; no file was written."))
        else:
            self.hq_message.setText(self._error_text(exc))

    # ------------------------------------------------------------------ campaigns

    def _build_campaigns(self) -> QWidget:
        page = QWidget()
        hint = QLabel(
            self.tr(
                "HQ sends national campaigns (member day, model day…) as a workbook. Paddock "
                "first shows what would change; nothing is written until you apply. Events you "
                "edited here are never overwritten silently: they are listed as conflicts."
            )
        )
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        self.campaign_file = QLineEdit()
        self.campaign_file.setReadOnly(True)
        self.campaign_file.setPlaceholderText(self.tr("No file chosen"))
        choose = QPushButton(self.tr("Choose campaign pack…"))
        choose.clicked.connect(self.choose_campaign_file)
        self.apply_button = QPushButton(self.tr("Apply"))
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.apply_campaigns)
        row = QHBoxLayout()
        row.addWidget(self.campaign_file, 1)
        row.addWidget(choose)
        row.addWidget(self.apply_button)
        self.campaign_summary = QLabel()
        self.campaign_summary.setWordWrap(True)
        self.campaign_summary.setObjectName("pageMessage")
        self.campaign_table = _table(
            [
                self.tr("Row"),
                self.tr("Campaign code"),
                self.tr("Event"),
                self.tr("Result"),
                self.tr("Changes and conflicts"),
            ]
        )
        layout = QVBoxLayout(page)
        layout.addWidget(hint)
        layout.addLayout(row)
        layout.addWidget(self.campaign_summary)
        layout.addWidget(self.campaign_table, 1)
        return page

    def choose_campaign_file(self) -> str:
        path, _ = get_open_file_name(
            self, self.tr("HQ campaign pack"), str(Path.home()), self.tr("Excel workbook (*.xlsx)")
        )
        if path:
            self.campaign_file.setText(path)
            self.preview_campaigns()
        return path

    def preview_campaigns(self) -> None:
        path, db = self.campaign_file.text(), self.ctx.db
        self.apply_button.setEnabled(False)
        self.campaign_preview = None
        self.campaign_summary.setText(self.tr("Reading…"))
        submit(
            self.ctx.pool,
            lambda: campaigns.import_campaigns(db, path, dry_run=True),
            self._campaign_previewed,
            self._campaign_failed,
        )

    def _outcome_label(self, outcome: str) -> str:
        return {
            "created": self.tr("new"),
            "updated": self.tr("updated"),
            "unchanged": self.tr("unchanged"),
            "conflict": self.tr("conflict (kept yours)"),
            "skipped": self.tr("skipped"),
            "rejected": self.tr("refused"),
            "warning": self.tr("imported, a value left out"),
            "duplicate": self.tr("a repeat, not applied"),
        }.get(outcome, outcome)

    def _show_campaigns(self, rep: campaigns.CampaignReport) -> None:
        rows: list[list[str]] = []
        lang, tz = self.ctx.language, self.tz
        for e in rep.events:
            bits = [
                f"{field_label(c.field, lang)}: {_value(c.old, tz)} → {_value(c.new, tz)}"
                for c in e.changes
            ]
            bits += [
                self.tr("%1: yours “%2” kept, HQ now “%3”")
                .replace("%1", field_label(c.field, lang))
                .replace("%2", _value(c.local, tz))
                .replace("%3", _value(c.hq_now, tz))
                for c in e.conflicts
            ]
            if e.note:
                bits.append(e.note.localized(lang))
            rows.append(
                [
                    str(e.row),
                    e.campaign_code,
                    e.title,
                    self._outcome_label(e.outcome),
                    "; ".join(bits),
                ]
            )
        for r in rep.rejected:
            rows.append([str(r.row), "", "", self._outcome_label("rejected"), r.localized(lang)])
        by_row = {e.row: e for e in rep.events}
        for w in rep.warnings:  # the value left out, by the row's campaign
            e = by_row.get(w.row or 0)
            code = e.campaign_code if e else (w.value or "") if w.field == "campaign_code" else ""
            kind = "duplicate" if w.code == "campaign_repeats" else "warning"
            rows.append(
                [str(w.row or ""), code, e.title if e else "", self._outcome_label(kind),
                 w.localized(lang)]
            )  # fmt: skip
        _fill(self.campaign_table, rows)
        self.campaign_summary.setText(
            self.tr("%1 new, %2 updated, %3 unchanged, %4 conflicts, %5 refused rows.")
            .replace("%1", str(rep.created))
            .replace("%2", str(rep.updated))
            .replace("%3", str(rep.unchanged))
            .replace("%4", str(rep.conflicts))
            .replace("%5", str(len(rep.rejected)))
        )

    def _campaign_previewed(self, rep: campaigns.CampaignReport) -> None:
        self.campaign_preview = rep
        self._show_campaigns(rep)
        if rep.rejected:
            self.campaign_summary.setText(
                self.campaign_summary.text()
                + " "
                + self.tr("Rows without a campaign code are refused; the others can be applied.")
            )
        self.campaign_summary.setText(
            self.campaign_summary.text() + " " + self.tr("Preview only — press Apply to import.")
        )
        self.apply_button.setEnabled(bool(rep.created or rep.updated))

    def apply_campaigns(self) -> None:
        path, db = self.campaign_file.text(), self.ctx.db
        self.apply_button.setEnabled(False)
        submit(
            self.ctx.write_pool,
            lambda: campaigns.import_campaigns(db, path),
            self._campaign_applied,
            self._campaign_failed,
        )

    def _campaign_applied(self, rep: campaigns.CampaignReport) -> None:
        self.campaign_preview = None
        self._show_campaigns(rep)
        self.campaign_summary.setText(self.tr("Imported.") + " " + self.campaign_summary.text())
        self.refresh()

    def _campaign_failed(self, exc: BaseException) -> None:
        self.campaign_table.setRowCount(0)
        self.campaign_summary.setText(self._error_text(exc))

    # ------------------------------------------------------------------ event packs

    def _build_packs(self) -> QWidget:
        page = QWidget()
        out_box = QGroupBox(self.tr("Take an event offline"))
        out_hint = QLabel(
            self.tr(
                "The pack holds the event, its registrations, tickets and the people needed. "
                "On the laptop open it with: paddock --db FILE — the normal desk works offline."
            )
        )
        out_hint.setWordWrap(True)
        out_hint.setObjectName("hint")
        self.pack_event = QComboBox()
        self.pack_event.setMinimumWidth(320)
        self.pack_out = QLineEdit()
        self.pack_out.setPlaceholderText(self.tr("Choose where to save the pack"))
        choose = QPushButton(self.tr("Choose…"))
        choose.clicked.connect(self.choose_pack_out)
        row = QHBoxLayout()
        row.addWidget(self.pack_out, 1)
        row.addWidget(choose)
        self.pack_export_button = QPushButton(self.tr("Export pack"))
        self.pack_export_button.clicked.connect(self.export_pack)
        self.pack_export_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        form = QFormLayout(out_box)
        form.addRow("", out_hint)
        form.addRow(self.tr("Event"), self.pack_event)
        form.addRow(self.tr("File"), row)
        form.addRow("", self.pack_export_button)

        in_box = QGroupBox(self.tr("Bring a laptop's pack back"))
        in_hint = QLabel(
            self.tr(
                "Scans and walk-ins merge into this database. Someone let in at both places "
                "keeps the earliest check-in and is listed as a double entry. Importing the "
                "same pack twice changes nothing; a pack damaged in copying is refused."
            )
        )
        in_hint.setWordWrap(True)
        in_hint.setObjectName("hint")
        self.pack_import_button = QPushButton(self.tr("Import pack…"))
        self.pack_import_button.clicked.connect(self.import_pack)
        in_layout = QVBoxLayout(in_box)
        in_layout.addWidget(in_hint)
        in_layout.addWidget(self.pack_import_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.pack_message = QLabel()
        self.pack_message.setWordWrap(True)
        self.pack_message.setObjectName("pageMessage")
        self.pack_message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(page)
        layout.addWidget(out_box)
        layout.addWidget(in_box)
        layout.addWidget(self.pack_message)
        layout.addStretch(1)
        return page

    def _load_events(self) -> None:
        current = self.pack_event.currentData()
        self.pack_event.clear()
        for e in events.list_events(self.ctx.db, statuses=["published", "closed", "draft"]):
            when = _local(e.starts_at, e.timezone) if e.starts_at else self.tr("no date")
            self.pack_event.addItem(f"{when[:10]}  {e.title}", str(e.id))
        if current:
            self.pack_event.setCurrentIndex(max(0, self.pack_event.findData(current)))

    def choose_pack_out(self) -> str:
        title = self.pack_event.currentText().split("  ", 1)[-1].strip() or "event"
        safe = "".join(ch for ch in title if ch not in '\\/:*?"<>|').strip() or "event"
        path, _ = get_save_file_name(
            self,
            self.tr("Save the event pack"),
            str(Path.home() / f"{safe}.pack"),
            self.tr("Event pack (*.pack)"),
        )
        if path:
            if not path.lower().endswith(".pack"):
                path += ".pack"
            self.pack_out.setText(path)
        return path

    def export_pack(self) -> None:
        event_id = self.pack_event.currentData()
        if not event_id:
            self.pack_message.setText(self.tr("Choose an event first."))
            return
        out = self.pack_out.text().strip() or self.choose_pack_out()
        if not out:
            return
        passphrase = self.ask_new_passphrase()  # packs are always encrypted (issue 18)
        if not passphrase:
            return
        db = self.ctx.db
        self.pack_export_button.setEnabled(False)
        self.pack_message.setText(self.tr("Writing the pack…"))
        submit(
            self.ctx.write_pool,
            lambda: packs.export_pack(db, event_id, out, passphrase=passphrase),
            self._pack_exported,
            self._pack_failed,
        )

    def ask_new_passphrase(self) -> str | None:
        """The pack's passphrase, typed twice (tests replace it)."""
        from ui.widgets.passphrase import ask_new_passphrase

        return ask_new_passphrase(self)

    def ask_pack_passphrase(self, file: str) -> str | None:
        from ui.widgets.passphrase import ask_pack_passphrase

        return ask_pack_passphrase(self, file)

    def _pack_exported(self, res: packs.PackExport) -> None:
        self.pack_export_button.setEnabled(True)
        self.pack_message.setText(
            self.tr(
                "Encrypted pack for “%1” written to %2 (%3 registrations, %4 people). "
                "On the laptop: paddock --db %2 (it asks for the passphrase)"
            )
            .replace("%1", res.info.event_title)
            .replace("%2", str(res.path))
            .replace("%3", str(res.info.counts.get("registrations", 0)))
            .replace("%4", str(res.info.counts.get("people", 0)))
        )
        self.refresh()

    def import_pack(self) -> None:
        path, _ = get_open_file_name(
            self,
            self.tr("Import an event pack"),
            str(Path.home()),
            self.tr("Event pack (*.pack);;All files (*)"),
        )
        if not path:
            return
        passphrase = None
        if packs.pack_is_encrypted(path):
            passphrase = self.ask_pack_passphrase(Path(path).name)
            if not passphrase:
                return
        db = self.ctx.db
        self.pack_import_button.setEnabled(False)
        self.pack_message.setText(self.tr("Checking and merging the pack…"))
        submit(
            self.ctx.write_pool,
            lambda: packs.import_pack(db, path, passphrase=passphrase),
            self._pack_imported,
            self._pack_failed,
        )

    def _pack_imported(self, rep: packs.PackImportReport) -> None:
        self.pack_import_button.setEnabled(True)
        self.last_pack_report = rep
        self.pack_message.setText(
            self.tr("Pack imported: %1 scans added, %2 double entries, %3 conflicts.")
            .replace("%1", str(rep.scans_added))
            .replace("%2", str(len(rep.double_entries)))
            .replace("%3", str(len(rep.conflicts)))
        )
        self.refresh()
        self.pack_dialog = PackReportDialog(rep, self.tz, self, self.ctx.language)
        self.pack_dialog.open()

    def _pack_failed(self, exc: BaseException) -> None:
        self.pack_export_button.setEnabled(True)
        self.pack_import_button.setEnabled(True)
        self.pack_message.setText(self._error_text(exc))

    # ------------------------------------------------------------------ history

    def _build_history(self) -> QWidget:
        page = QWidget()
        hint = QLabel(self.tr("Double-click a line to see its full report."))
        hint.setObjectName("hint")
        self.history_table = _table(
            [self.tr("When"), self.tr("Operation"), self.tr("Summary"), self.tr("File")]
        )
        self.history_table.itemDoubleClicked.connect(self._open_row_report)
        layout = QVBoxLayout(page)
        layout.addWidget(hint)
        layout.addWidget(self.history_table, 1)
        return page

    def kind_label(self, kind: str) -> str:
        return {
            hq_export.EXPORT_KIND: self.tr("HQ export"),
            packs.EXPORT_KIND: self.tr("Event pack export"),
            packs.IMPORT_KIND: self.tr("Event pack import"),
            campaigns.IMPORT_KIND: self.tr("Campaign pack import"),
        }.get(kind, kind)

    def pii_label(self, mode: object) -> str:
        return {
            "full": self.tr("full PII"),
            "masked": self.tr("masked"),
            "hashed": self.tr("hashed"),
        }.get(str(mode), str(mode))

    def summary(self, kind: str, report: dict[str, Any]) -> str:
        if kind == hq_export.EXPORT_KIND:
            rows = report.get("total_rows", sum((report.get("rows") or {}).values()))
            return (
                self.tr("%1 rows, personal data %2")
                .replace("%1", str(rows))
                .replace("%2", self.pii_label(report.get("pii_mode", "?")))
            )
        if kind == packs.EXPORT_KIND:
            counts = report.get("counts") or {}
            return (
                self.tr("%1: %2 registrations")
                .replace("%1", str(report.get("event_title", "")))
                .replace("%2", str(counts.get("registrations", 0)))
            )
        if kind == packs.IMPORT_KIND:
            return (
                self.tr("%1: %2 scans added, %3 double entries, %4 conflicts")
                .replace("%1", str(report.get("event_title", "")))
                .replace("%2", str(report.get("scans_added", 0)))
                .replace("%3", str(len(report.get("double_entries") or [])))
                .replace("%4", str(len(report.get("conflicts") or [])))
            )
        keys = ("created", "updated", "unchanged", "conflicts")
        if any(k in report for k in keys):
            return (
                self.tr("%1 new, %2 updated, %3 unchanged")
                .replace("%1", str(report.get("created", 0)))
                .replace("%2", str(report.get("updated", 0)))
                .replace("%3", str(report.get("unchanged", 0)))
            )
        return ""

    def _open_row_report(self, item: QTableWidgetItem) -> JsonReportDialog | None:
        table = item.tableWidget()
        first = table.item(item.row(), 0) if table else None
        op = first.data(Qt.ItemDataRole.UserRole) if first else None
        if not isinstance(op, packs.SyncHistoryRow):
            return None
        return self.open_report(op)

    def open_report(self, op: packs.SyncHistoryRow) -> JsonReportDialog:
        dlg = JsonReportDialog(
            f"{self.kind_label(op.kind)} — {_local(op.at, self.tz)}", op.report, self
        )
        dlg.open()
        self.report_dialog = dlg
        return dlg

    # ------------------------------------------------------------------ refresh

    def refresh(self) -> None:
        """Reload the history, the last exports and the event list (quick reads)."""
        history = packs.sync_history(self.ctx.db, limit=HISTORY_LIMIT)
        self.history = history
        _fill(
            self.history_table,
            [
                [
                    _local(op.at, self.tz),
                    self.kind_label(op.kind),
                    self.summary(op.kind, op.report),
                    op.file or "—",
                ]
                for op in history
            ],
            history,
        )
        exports = [op for op in history if op.kind == hq_export.EXPORT_KIND][:20]
        mode_names = {"full": self.tr("full"), "since_last": self.tr("since last")}
        _fill(
            self.exports_table,
            [
                [
                    _local(op.at, self.tz),
                    mode_names.get(str(op.report.get("mode")), str(op.report.get("mode", ""))),
                    self.pii_label(op.report.get("pii_mode", "")),
                    str(op.report.get("total_rows", sum((op.report.get("rows") or {}).values()))),
                    op.file or "—",
                ]
                for op in exports
            ],
            exports,
        )
        if exports:
            self.last_label.setText(
                self.tr("Last export: %1").replace("%1", _local(exports[0].at, self.tz))
            )
            self.mode_since.setEnabled(True)
        else:
            self.last_label.setText(self.tr("No export yet: the first one is always full."))
            self.mode_since.setEnabled(False)
            self.mode_full.setChecked(True)
        self._load_events()

    def _error_text(self, exc: BaseException) -> str:
        if isinstance(exc, PaddockError):
            return exc.localized(self.ctx.language)
        return self.tr("Something went wrong: %1").replace("%1", f"{type(exc).__name__}: {exc}")


__all__ = ["JsonReportDialog", "PackReportDialog", "SyncPage"]
