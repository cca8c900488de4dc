"""Call lists for butlers: build an audience with the segment builder, split it per butler,
record each call (no answer / invited / declined / registered + a note), see progress."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QDate,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import PaddockError
from desktop_app.domain.phone import display_phone
from desktop_app.services import approval, events, invitations, staff
from desktop_app.services.invitations import InvitationRow, Segment
from ui import labels
from ui.context import AppContext
from ui.models.rows_model import ROW_ROLE, RowsModel
from ui.workers import submit

CALL_STATUSES: dict[str, str] = {
    "to_call": QT_TRANSLATE_NOOP("CallLists", "To call"),
    "no_answer": QT_TRANSLATE_NOOP("CallLists", "No answer"),
    "invited": QT_TRANSLATE_NOOP("CallLists", "Invited"),
    "declined": QT_TRANSLATE_NOOP("CallLists", "Declined"),
    "registered": QT_TRANSLATE_NOOP("CallLists", "Registered"),
}
HEADERS = (
    QT_TRANSLATE_NOOP("CallLists", "Name"),
    QT_TRANSLATE_NOOP("CallLists", "Phone"),
    QT_TRANSLATE_NOOP("CallLists", "Butler"),
    QT_TRANSLATE_NOOP("CallLists", "Call"),
    QT_TRANSLATE_NOOP("CallLists", "Note"),
    QT_TRANSLATE_NOOP("CallLists", "Registration"),
)
ATTENDANCE = (
    ("any", QT_TRANSLATE_NOOP("CallLists", "Any attendance")),
    ("attended", QT_TRANSLATE_NOOP("CallLists", "Attended in the last N months")),
    ("not_attended", QT_TRANSLATE_NOOP("CallLists", "Not attended in the last N months")),
    ("never", QT_TRANSLATE_NOOP("CallLists", "Never attended")),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("CallLists", text)


class InvitationsModel(RowsModel):
    headers = HEADERS

    def header_label(self, text: str) -> str:
        return _tr(text)

    def display(self, r: InvitationRow, column: int) -> Any:
        return (
            r.name,
            display_phone(r.phone),
            r.butler_name or QCoreApplication.translate("CallLists", "Unassigned"),
            _tr(CALL_STATUSES.get(r.status, r.status)),
            r.note,
            labels.registration_status(r.registration_status) if r.registration_status else "",
        )[column]


class CallListsPage(QWidget):
    """The butlers' call-list screen (one event at a time)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.event_box = QComboBox()
        self.butler = QComboBox()
        self.model = InvitationsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.progress_label = QLabel(wordWrap=True)
        self.pending_label = QLabel(wordWrap=True)  # issue 14: their people awaiting approval
        self.pending_label.setObjectName("hint")
        self.message = QLabel(wordWrap=True)
        self.note = QLineEdit(
            placeholderText=QCoreApplication.translate("CallLists", "Note for this call")
        )
        self.call_buttons = {s: QPushButton(_tr(t)) for s, t in CALL_STATUSES.items()}
        self._segment_box = self._build_segment_box()
        self._layout()
        self.reload_choices()
        self.event_box.currentIndexChanged.connect(self.refresh)
        self.butler.currentIndexChanged.connect(self.refresh)
        for status, btn in self.call_buttons.items():
            btn.clicked.connect(lambda _c=False, st=status: self.record(st))
        self.refresh()

    # ------------------------------------------------------------------ building

    def _build_segment_box(self) -> QGroupBox:
        box = QGroupBox(QCoreApplication.translate("CallLists", "Audience"))
        self.stages = {s: QCheckBox(labels.stage(s)) for s in ("prospect", "owner", "member")}
        self.tier = QComboBox()
        self.tier.addItem(QCoreApplication.translate("CallLists", "Any tier"), None)
        for t in ("none", "silver", "gold", "platinum"):
            self.tier.addItem(labels.tier(t), t)
        self.models = QLineEdit(
            placeholderText=QCoreApplication.translate(
                "CallLists", "Vehicle models, comma separated"
            )
        )
        self.tags = QLineEdit(
            placeholderText=QCoreApplication.translate("CallLists", "Tags, comma separated")
        )
        self.bought_from = QDateEdit(calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.bought_to = QDateEdit(calendarPopup=True, displayFormat="yyyy-MM-dd")
        today = QDate.currentDate()
        self.bought_from.setDate(today.addYears(-3))
        self.bought_to.setDate(today)
        self.use_bought = QCheckBox(QCoreApplication.translate("CallLists", "Purchased between"))
        for w in (self.bought_from, self.bought_to):
            w.setEnabled(False)
            self.use_bought.toggled.connect(w.setEnabled)
        self.attendance = QComboBox()
        for key, text in ATTENDANCE:
            self.attendance.addItem(_tr(text), key)
        self.months = QSpinBox(
            minimum=1,
            maximum=60,
            value=6,
            suffix=QCoreApplication.translate("CallLists", " months"),
        )
        self.segment_butler = QComboBox()
        self.preview_btn = QPushButton(QCoreApplication.translate("CallLists", "Preview"))
        self.build_btn = QPushButton(QCoreApplication.translate("CallLists", "Build call lists"))
        self.preview_label = QLabel()
        stages = QHBoxLayout()
        for cb in self.stages.values():
            stages.addWidget(cb)
        bought = QHBoxLayout()
        for w in (self.use_bought, self.bought_from, self.bought_to):
            bought.addWidget(w)
        att = QHBoxLayout()
        att.addWidget(self.attendance)
        att.addWidget(self.months)
        form = QFormLayout(box)
        form.addRow(QCoreApplication.translate("CallLists", "Stage"), stages)
        form.addRow(QCoreApplication.translate("CallLists", "Tier"), self.tier)
        form.addRow(QCoreApplication.translate("CallLists", "Vehicle model"), self.models)
        form.addRow(QCoreApplication.translate("CallLists", "Tags"), self.tags)
        form.addRow(QCoreApplication.translate("CallLists", "Butler"), self.segment_butler)
        form.addRow("", bought)
        form.addRow(QCoreApplication.translate("CallLists", "Attendance"), att)
        buttons = QHBoxLayout()
        for w in (self.preview_btn, self.build_btn, self.preview_label):
            buttons.addWidget(w)
        form.addRow(buttons)
        self.preview_btn.clicked.connect(self.preview)
        self.build_btn.clicked.connect(self.build)
        return box

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel(QCoreApplication.translate("CallLists", "Event")))
        top.addWidget(self.event_box, 1)
        top.addWidget(QLabel(QCoreApplication.translate("CallLists", "List")))
        top.addWidget(self.butler)
        calls = QHBoxLayout()
        calls.addWidget(self.note, 1)
        for btn in self.call_buttons.values():
            calls.addWidget(btn)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self._segment_box)
        lay.addWidget(self.progress_label)
        lay.addWidget(self.pending_label)
        lay.addWidget(self.table, 1)
        lay.addLayout(calls)
        lay.addWidget(self.message)

    def reload_choices(self) -> None:
        self.event_box.blockSignals(True)
        self.event_box.clear()
        for e in events.list_events(self.ctx.db, statuses=["published"]):
            self.event_box.addItem(e.title, e.id)
        self.event_box.blockSignals(False)
        self.butler.blockSignals(True)
        self.butler.clear()
        self.butler.addItem(QCoreApplication.translate("CallLists", "All butlers"), None)
        self.segment_butler.clear()
        self.segment_butler.addItem(QCoreApplication.translate("CallLists", "Any butler"), None)
        for st in staff.list_staff(self.ctx.db):
            self.butler.addItem(st.name, st.id)
            self.segment_butler.addItem(st.name, st.id)
        self.butler.addItem(QCoreApplication.translate("CallLists", "Unassigned"), "none")
        self.butler.blockSignals(False)

    def event_id(self) -> uuid.UUID | None:
        return self.event_box.currentData()

    def segment(self) -> Segment:
        def split(text: str) -> tuple[str, ...]:
            return tuple(x.strip() for x in text.replace("，", ",").split(",") if x.strip())

        mode = self.attendance.currentData()
        months = self.months.value()
        frm: date | None = (
            self.bought_from.date().toPython() if self.use_bought.isChecked() else None
        )  # type: ignore[assignment]
        to: date | None = self.bought_to.date().toPython() if self.use_bought.isChecked() else None  # type: ignore[assignment]
        butler = self.segment_butler.currentData()
        return Segment(
            stages=tuple(s for s, cb in self.stages.items() if cb.isChecked()),
            tiers=(self.tier.currentData(),) if self.tier.currentData() else (),
            models=split(self.models.text()),
            tags=split(self.tags.text()),
            butler_ids=(butler,) if butler else (),
            purchased_from=frm,
            purchased_to=to,
            attended_in_months=months if mode == "attended" else None,
            not_attended_in_months=months if mode == "not_attended" else None,
            never_attended=mode == "never",
        )

    # ------------------------------------------------------------------ actions

    def preview(self) -> None:
        pv = invitations.preview(self.ctx.db, self.segment(), exclude_event_id=self.event_id())
        self.preview_label.setText(
            QCoreApplication.translate("CallLists", "People who match: {count}").format(
                count=pv.count
            )
            + (
                QCoreApplication.translate(
                    "CallLists", " ({count} more left out: no marketing consent)"
                ).format(count=pv.left_out_no_consent)
                if pv.left_out_no_consent
                else ""
            )
        )

    def build(self) -> None:
        ev = self.event_id()
        if ev is None:
            return
        seg = self.segment()
        submit(
            self.ctx.write_pool,
            lambda: invitations.build_call_lists(self.ctx.db, ev, seg),
            self._built,
            self._failed,
        )

    def _built(self, res: invitations.BuildResult) -> None:
        self.message.setText(
            QCoreApplication.translate(
                "CallLists",
                "{added} added to the call lists ({already} already there or registered)",
            )
            .replace("{added}", str(res.added))
            .replace("{already}", str(res.already))
        )
        self.refresh()

    def selected(self) -> InvitationRow | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def record(self, status: str) -> None:
        row = self.selected()
        if row is None:
            return
        note = self.note.text().strip() or None
        submit(
            self.ctx.write_pool,
            lambda: invitations.set_call_status(self.ctx.db, row.id, status, note=note),
            self._recorded,
            self._failed,
        )

    def _recorded(self, row: InvitationRow) -> None:
        self.note.clear()
        self.message.setText(f"{row.name}: {_tr(CALL_STATUSES.get(row.status, row.status))}")
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        text = exc.localized(self.ctx.language) if isinstance(exc, PaddockError) else str(exc)
        self.message.setText(text)

    def refresh(self) -> None:
        ev = self.event_id()
        if ev is None:
            self.model.set_rows([])
            self.progress_label.setText(
                QCoreApplication.translate("CallLists", "No published event to invite people to.")
            )
            return
        self.model.set_rows(
            invitations.list_invitations(self.ctx.db, ev, self.butler.currentData())
        )
        parts = []
        for p in invitations.progress(self.ctx.db, ev):
            name = p.butler_name or QCoreApplication.translate("CallLists", "Unassigned")
            parts.append(
                f"{name}: {p.called}/{p.total} · "
                + QCoreApplication.translate("CallLists", "registered {n}").replace(
                    "{n}", str(p.counts.get("registered", 0))
                )
            )
        self.progress_label.setText(
            "   ".join(parts) or QCoreApplication.translate("CallLists", "No call lists yet.")
        )
        pending = approval.pending_of(self.ctx.db, ev, self.butler.currentData())
        self.pending_label.setVisible(bool(pending))
        self.pending_label.setText(
            QCoreApplication.translate("CallLists", "Awaiting approval ({n}): {names}")
            .replace("{n}", str(len(pending)))
            .replace("{names}", "、".join(f"{p.name} {display_phone(p.phone)}" for p in pending))
        )
