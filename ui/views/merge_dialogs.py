"""Duplicates and merging: a list of likely pairs, a side-by-side merge dialog, undo last merge."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.phone import display_phone
from desktop_app.services import duplicates
from desktop_app.services import people as people_service
from ui import labels
from ui.context import AppContext
from ui.views.person_dialogs import error_text, run_for


class DuplicatesDialog(QDialog):
    """Likely duplicate pairs (why, and how sure), most likely first; pick one to compare."""

    merged = Signal(object)  # MergeReport

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.pairs: list[Any] = []
        self.setWindowTitle(self.tr("Find duplicates"))
        self.resize(780, 460)
        self.info = QLabel(self.tr("Looking for people who are probably the same person…"))
        self.info.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Person A"), self.tr("Person B"), self.tr("Why"), self.tr("Score")]
        )
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update)
        self.table.doubleClicked.connect(lambda _i: self.compare())
        self.compare_button = QPushButton(self.tr("Compare and merge…"))
        self.compare_button.clicked.connect(self.compare)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.compare_button)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self._update()
        self.load()

    def load(self) -> None:
        db = self.ctx.db
        run_for(
            self, self.ctx.pool, lambda: duplicates.find_duplicates(db), self._loaded, self._failed
        )

    def _loaded(self, pairs: list[Any]) -> None:
        self.pairs = pairs
        self.table.setRowCount(len(pairs))
        for i, p in enumerate(pairs):
            for col, text in enumerate(
                (p.a_name, p.b_name, p.localized(self.ctx.language), f"{p.score:.0f}")
            ):
                item = QTableWidgetItem(text)
                if col == 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(i, col, item)
        self.info.setText(
            self.tr(
                "%n likely pairs. Compare two people side by side before merging.", "", len(pairs)
            )
            if pairs
            else self.tr("No likely duplicates found.")
        )
        if pairs:
            self.table.selectRow(0)

    def _failed(self, exc: BaseException) -> None:
        self.info.setText(error_text(exc, self.ctx.language))

    def _update(self) -> None:
        self.compare_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def compare(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        pair = self.pairs[rows[0].row()]
        dialog = MergeDialog(self.ctx, pair.a_id, pair.b_id, self)
        dialog.merged.connect(self._merged)
        dialog.open()

    def _merged(self, report: Any) -> None:
        self.merged.emit(report)
        self.load()  # the pair (and any other pair of the dropped person) is gone now


class MergeDialog(QDialog):
    """Two people side by side; choose who stays; see what moves; merge (undoable)."""

    merged = Signal(object)  # MergeReport

    def __init__(
        self, ctx: AppContext, a_id: uuid.UUID, b_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ids = (a_id, b_id)
        self.details: tuple[Any, Any] | None = None
        self.setWindowTitle(self.tr("Merge two people"))
        self.resize(820, 680)
        self.keep_a = QRadioButton()
        self.keep_b = QRadioButton()
        self.keep_a.toggled.connect(lambda _on: self._describe())
        choose = QHBoxLayout()
        choose.addWidget(QLabel(self.tr("Keep:")))
        choose.addWidget(self.keep_a)
        choose.addWidget(self.keep_b)
        choose.addStretch(1)
        self.table = QTableWidget(0, 2)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setDefaultSectionSize(26)  # all 13 facts fit unscrolled
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.moves = QLabel()
        self.moves.setObjectName("mergeMoves")
        self.moves.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = self.buttons.addButton(
            self.tr("Merge"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.merge_button.setEnabled(False)
        self.buttons.accepted.connect(self.merge)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(choose)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.moves)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        db = ctx.db
        run_for(
            self,
            ctx.pool,
            lambda: (
                people_service.person_detail(db, a_id),
                people_service.person_detail(db, b_id),
            ),
            self._loaded,
            lambda exc: self.error.setText(error_text(exc, ctx.language)),
        )

    def _loaded(self, details: tuple[Any, Any]) -> None:
        self.details = details
        a, b = details
        self.keep_a.setText(_who(a))
        self.keep_b.setText(_who(b))
        # Default survivor: the older record (it is the one HQ and other desks know).
        older_a = a.person.created_at <= b.person.created_at
        (self.keep_a if older_a else self.keep_b).setChecked(True)
        self.table.setHorizontalHeaderLabels([a.person.name, b.person.name])
        rows = [(label, fn(a), fn(b)) for label, fn in self._facts()]
        self.table.setRowCount(len(rows))
        self.table.setVerticalHeaderLabels([r[0] for r in rows])
        for i, (_label, left, right) in enumerate(rows):
            for col, text in enumerate((left, right)):
                item = QTableWidgetItem(text)
                if left != right:  # differences are what the user must look at
                    item.setBackground(QColor("#fff4cc"))
                self.table.setItem(i, col, item)
        self.merge_button.setEnabled(True)
        self._describe()

    def _facts(self) -> list[tuple[str, Callable[[Any], str]]]:
        return [
            (self.tr("Phone"), lambda d: display_phone(d.person.phone) if d.person.phone else "—"),
            (self.tr("WeChat"), lambda d: d.person.wechat or "—"),
            (self.tr("Email"), lambda d: d.person.email or "—"),
            (self.tr("Stage"), lambda d: labels.stage(d.person.stage)),
            (
                self.tr("Tier / points"),
                lambda d: f"{labels.tier(d.person.tier)} · {d.person.balance}",
            ),
            (self.tr("Butler"), lambda d: d.person.butler_name or "—"),
            (self.tr("Vehicles"), lambda d: _join(_vehicle(v) for v in d.vehicles)),
            (
                self.tr("Clubs"),
                lambda d: _join(f"{c.club_name} ({labels.club_role(c.role)})" for c in d.clubs),
            ),
            (self.tr("Events attended"), lambda d: str(len(d.events))),
            (self.tr("Referrals made"), lambda d: str(len(d.referrals))),
            (self.tr("Tags"), lambda d: _join(d.person.tags)),
            (self.tr("Source"), lambda d: d.person.source or "—"),
            (self.tr("Created"), lambda d: d.person.created_at.strftime("%Y-%m-%d")),
        ]

    def keep_drop(self) -> tuple[Any, Any]:
        assert self.details is not None
        a, b = self.details
        return (a, b) if self.keep_a.isChecked() else (b, a)

    def _describe(self) -> None:
        if self.details is None:
            return
        keep, drop = self.keep_drop()
        n = drop.vehicles, drop.clubs, drop.points, drop.events, drop.referrals
        lines = [
            self.tr("What moves from %1 to %2:")
            .replace("%1", drop.person.name)
            .replace("%2", keep.person.name),
            self.tr("• vehicles: %1").replace("%1", str(len(n[0]))),
            self.tr("• club memberships: %1").replace("%1", str(len(n[1]))),
            self.tr("• points ledger rows: %1 (balance %2)")
            .replace("%1", str(len(n[2])))
            .replace("%2", str(drop.person.balance)),
            self.tr("• events attended: %1").replace("%1", str(len(n[3]))),
            self.tr("• referrals made: %1").replace("%1", str(len(n[4]))),
            self.tr(
                "• every registration, invitation and feedback. Empty fields of %1 are "
                "filled from %2; %2 is then hidden. “Undo last merge” can reverse it."
            )
            .replace("%1", keep.person.name)
            .replace("%2", drop.person.name),
        ]
        self.moves.setText("\n".join(lines))

    def merge(self) -> None:
        keep, drop = self.keep_drop()
        db, keep_id, drop_id = self.ctx.db, keep.person.id, drop.person.id
        self.merge_button.setEnabled(False)

        def done(report: Any) -> None:
            self.merged.emit(report)
            self.accept()

        def failed(exc: BaseException) -> None:
            self.error.setText(error_text(exc, self.ctx.language))
            self.merge_button.setEnabled(True)

        run_for(
            self,
            self.ctx.write_pool,
            lambda: duplicates.merge_people(db, keep_id, drop_id),
            done,
            failed,
        )


def merge_summary(report: Any) -> str:
    """One line about a merge or an undone merge, in the user's language."""
    if report.undone:
        return QCoreApplication.translate(
            "MergeDialog", "Merge undone: %1 is a separate person again."
        ).replace("%1", report.dropped_name)
    return (
        QCoreApplication.translate("MergeDialog", "Merged %1 into %2 (%3 linked rows moved).")
        .replace("%1", report.dropped_name)
        .replace("%2", report.kept_name)
        .replace("%3", str(sum(report.moved.values())))
    )


def undo_last_merge(
    ctx: AppContext,
    parent: QWidget,
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
) -> None:
    """Ask, then undo the most recent merge on the write pool."""
    answer = QMessageBox.question(
        parent,
        QCoreApplication.translate("MergeDialog", "Undo last merge"),
        QCoreApplication.translate(
            "MergeDialog",
            "Undo the most recent merge? The merged-away person comes back with their "
            "phone, vehicles, registrations and points.",
        ),
    )
    if answer != QMessageBox.StandardButton.Yes:
        return
    db = ctx.db
    run_for(parent, ctx.write_pool, lambda: duplicates.undo_last_merge(db), on_done, on_error)


def _who(d: Any) -> str:
    """Name and phone: two records of one person often have the same name."""
    phone = display_phone(d.person.phone) if d.person.phone else ""
    return f"{d.person.name}  {phone}".strip()


def _vehicle(v: Any) -> str:
    return " ".join(x for x in (v.plate, v.model) if x) or (v.vin or "")


def _join(values: Any) -> str:
    items = [str(v) for v in values if v]
    return ", ".join(items) if items else "—"
