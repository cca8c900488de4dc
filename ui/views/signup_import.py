"""Import an online sign-up form export (问卷星 / 金数据 / 腾讯问卷) into an event, from the
attendee tab: choose the file, see what it would do (a dry run), turn the form's unknown
question columns into questions of the event in one click, then import.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import PaddockError
from desktop_app.services import questions, signups_import
from desktop_app.services.signups_import import QuestionCandidate, SignupReport
from ui import labels
from ui.context import AppContext
from ui.widgets.file_dialogs import get_open_file_name
from ui.workers import submit

FILES = "Forms (*.xlsx *.xls *.csv *.txt)"


class SignupImportDialog(QDialog):
    """`imported(SignupReport)` after a real import."""

    imported = Signal(object)
    previewed = Signal(object)  # the dry run's report, with the candidates on screen

    def __init__(self, ctx: AppContext, event_id: uuid.UUID, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.event_id = ctx, event_id
        self.report: SignupReport | None = None
        self.candidates: list[QuestionCandidate] = []
        self.setWindowTitle(self.tr("Import online sign-ups"))
        self.resize(720, 560)
        self.path = QLineEdit(
            placeholderText=self.tr("问卷星 / 金数据 / 腾讯问卷 export (.xlsx, .xls, .csv)")
        )
        self.path.setReadOnly(True)
        self.browse_btn = QPushButton(self.tr("Choose file…"))
        self.summary = QLabel(wordWrap=True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cand_caption = QLabel(
            self.tr("Columns that would fill nothing yet — tick the ones to ask as questions:"),
            wordWrap=True,
        )
        self.cand_list = QListWidget()
        self.make_btn = QPushButton(self.tr("Make them questions"))
        self.problems = QListWidget()
        self.import_btn = QPushButton(self.tr("Import"))
        self.import_btn.setDefault(True)
        self.close_btn = QPushButton(self.tr("Close"))
        top = QHBoxLayout()
        top.addWidget(self.path, 1)
        top.addWidget(self.browse_btn)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.make_btn)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.import_btn)
        bottom.addWidget(self.close_btn)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.summary)
        lay.addWidget(self.cand_caption)
        lay.addWidget(self.cand_list)
        lay.addLayout(row)
        lay.addWidget(QLabel(self.tr("Rows left out and answers that did not fit:")))
        lay.addWidget(self.problems, 1)
        lay.addLayout(bottom)
        self.browse_btn.clicked.connect(self.browse)
        self.make_btn.clicked.connect(self.make_questions)
        self.import_btn.clicked.connect(lambda: self.run(dry_run=False))
        self.close_btn.clicked.connect(self.reject)
        self._show_candidates()
        self.import_btn.setEnabled(False)

    # ------------------------------------------------------------------ steps
    def browse(self) -> None:
        path, _ = get_open_file_name(self, self.tr("Choose a form export"), "", FILES)
        if path:
            self.choose(path)

    def choose(self, path: str | Path) -> None:
        """Take this file: preview what it would do (nothing is written)."""
        self.path.setText(str(path))
        self.run(dry_run=True)

    def run(self, *, dry_run: bool) -> None:
        path, db, eid = self.path.text(), self.ctx.db, self.event_id
        if not path:
            return
        self.import_btn.setEnabled(False)
        self.summary.setText(self.tr("Reading the file…") if dry_run else self.tr("Importing…"))

        def work() -> tuple[SignupReport, list[QuestionCandidate]]:
            rep = signups_import.import_signups(db, eid, path, dry_run=dry_run)
            cands = signups_import.question_candidates(db, eid, path) if dry_run else []
            return rep, cands

        # a dry run opens (and rolls back) a write transaction too: the write pool, in order
        submit(self.ctx.write_pool, work, lambda res: self._done(res, dry_run), self._failed)

    def _done(self, result: tuple[SignupReport, list[QuestionCandidate]], dry_run: bool) -> None:
        rep, cands = result
        self.report = rep
        if dry_run:
            self.candidates = cands
            self._show_candidates()
        self._show_report(rep, dry_run)
        self.import_btn.setEnabled(dry_run)
        if dry_run:
            self.previewed.emit(rep)
        else:
            self.imported.emit(rep)

    def _failed(self, exc: BaseException) -> None:
        self.summary.setText(
            exc.localized(self.ctx.language) if isinstance(exc, PaddockError) else str(exc)
        )
        self.import_btn.setEnabled(False)

    def make_questions(self) -> None:
        """One click: the ticked columns become questions; the preview is read again."""
        picked = [
            c.draft
            for i, c in enumerate(self.candidates)
            if self.cand_list.item(i).checkState() == Qt.CheckState.Checked
        ]
        if not picked:
            return
        db, eid = self.ctx.db, self.event_id
        submit(
            self.ctx.write_pool,
            lambda: questions.add_questions(db, eid, picked),
            lambda _qs: self.run(dry_run=True),
            self._failed,
        )

    # ------------------------------------------------------------------ showing
    def _show_candidates(self) -> None:
        self.cand_list.clear()
        for c in self.candidates:
            d = c.draft
            options = f" [{' / '.join(d.choices)}]" if d.choices else ""
            item = QListWidgetItem(
                f"{c.column}  →  {d.label} · {labels.question_type(d.type)}{options}"
            )
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            item.setToolTip(" · ".join(c.samples))
            self.cand_list.addItem(item)
        has = bool(self.candidates)
        for w in (self.cand_caption, self.cand_list, self.make_btn):
            w.setVisible(has)

    def _show_report(self, rep: SignupReport, dry_run: bool) -> None:
        regs = rep.registrations
        head = self.tr("If imported:") if dry_run else self.tr("Imported:")
        parts = [
            self.tr("%1 rows").replace("%1", str(rep.rows)),
            self.tr("%1 new people").replace("%1", str(rep.created)),
            self.tr("%1 registered").replace("%1", str(regs.get("registered", 0))),
            self.tr("%1 waitlisted").replace("%1", str(regs.get("waitlisted", 0))),
            self.tr("%1 awaiting approval").replace("%1", str(regs.get("pending", 0))),
            self.tr("%1 duplicates").replace("%1", str(rep.duplicates)),
            self.tr("%1 left out").replace("%1", str(len(rep.rejected))),
        ]
        text = f"{head} " + " · ".join(parts)
        if rep.questions_filled:
            text += "\n" + self.tr("Questions answered by the file: %1").replace(
                "%1", ", ".join(rep.questions_filled)
            )
        self.summary.setText(text)
        self.problems.clear()
        lang = self.ctx.language
        for p in (*rep.rejected, *rep.warnings):
            if p.row is None:  # about the whole file
                self.problems.addItem(p.localized(lang))
                continue
            self.problems.addItem(
                QCoreApplication.translate("SignupImportDialog", "Row %1: %2")
                .replace("%1", str(p.row))
                .replace("%2", p.localized(lang))
            )


def open_signup_import(ctx: AppContext, event_id: uuid.UUID, parent: QWidget | None = None) -> Any:
    dlg = SignupImportDialog(ctx, event_id, parent)
    dlg.open()
    return dlg
