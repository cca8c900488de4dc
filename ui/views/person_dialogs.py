"""Dialogs of the People page: create/edit a person, add a vehicle, adjust points, a person picker.

Saving runs on the write pool; a ValidationError is shown under the field it names, in
the user's language. The duplicates/merge dialogs live in merge_dialogs.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import shiboken6
from PySide6.QtCore import QDate, QObject, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import PaddockError, ValidationError
from desktop_app.domain.messages import text as message_text
from desktop_app.domain.phone import display_phone
from desktop_app.services import people as people_service
from desktop_app.services import points as points_service
from desktop_app.services import staff as staff_service
from ui import labels
from ui.context import AppContext
from ui.widgets.field_error import ErrorField
from ui.workers import submit


def run_for(
    owner: QObject,
    pool: QThreadPool,
    fn: Callable[[], Any],
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
) -> None:
    """workers.submit, but the callbacks are skipped once `owner` is gone (a dialog or page
    closed while its query was still running must not be touched)."""

    def guard(cb: Callable[[Any], None] | None) -> Callable[[Any], None] | None:
        if cb is None:
            return None
        return lambda value: cb(value) if shiboken6.isValid(owner) else None

    submit(pool, fn, guard(on_done), guard(on_error))


def error_text(exc: BaseException, lang: str) -> str:
    """What to tell the user about a failure, in their language."""
    if isinstance(exc, PaddockError):
        return exc.localized(lang)
    return f"{type(exc).__name__}: {exc}"


def field_message(exc: ValidationError, lang: str) -> str:
    """The problem alone (the field's own label already names it)."""
    return message_text(exc.code or "", lang, **exc.params)


class FormDialog(QDialog):
    """A form whose fields are ErrorFields keyed by the service's field names."""

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.fields: dict[str, ErrorField] = {}
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.general_error = QLabel()
        self.general_error.setObjectName("fieldError")
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.saving = False

    def add_field(self, key: str, label: str, widget: QWidget) -> QWidget:
        wrapped = ErrorField(widget)
        self.fields[key] = wrapped
        self.form.addRow(label, wrapped)
        return widget

    def clear_errors(self) -> None:
        for f in self.fields.values():
            f.clear_error()
        self.general_error.hide()

    def show_error(self, exc: BaseException) -> None:
        lang = self.ctx.language
        target = self.fields.get(getattr(exc, "field", "") or "")
        if isinstance(exc, ValidationError) and target is not None:
            target.show_error(field_message(exc, lang))
            target.field.setFocus()
        else:
            self.general_error.setText(error_text(exc, lang))
            self.general_error.show()

    def error_of(self, key: str) -> str:
        f = self.fields[key]
        return f.message.text() if f.has_error() else ""

    def run_save(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        """Run a write on the write pool; errors land next to their field."""
        self.saving = True
        self.buttons.setEnabled(False)

        def finished(result: Any) -> None:
            self.saving = False
            self.buttons.setEnabled(True)
            done(result)
            self.accept()

        def failed(exc: BaseException) -> None:
            self.saving = False
            self.buttons.setEnabled(True)
            self.show_error(exc)

        run_for(self, self.ctx.write_pool, work, finished, failed)

    def save(self) -> None:  # pragma: no cover - every dialog overrides it
        raise NotImplementedError


class PersonPicker(QComboBox):
    """Type a name or phone, pick a person from what matches (searched off the UI thread)."""

    picked = Signal(object)  # uuid or None

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.lineEdit().setPlaceholderText(self.tr("Type a name or phone…"))
        self.lineEdit().setClearButtonEnabled(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self._search)
        self.lineEdit().textEdited.connect(lambda _t: self._timer.start())
        self.activated.connect(lambda i: self.picked.emit(self.itemData(i)))

    def set_person(self, person_id: uuid.UUID | None, name: str | None) -> None:
        self.clear()
        if person_id is not None:
            self.addItem(name or str(person_id), person_id)
            self.setCurrentIndex(0)

    def person_id(self) -> uuid.UUID | None:
        if not self.currentText().strip():
            return None
        i = self.findText(self.currentText())
        return self.itemData(i) if i >= 0 else self.currentData()

    def _search(self) -> None:
        query, db = self.currentText().strip(), self.ctx.db
        if not query:
            return
        run_for(
            self,
            self.ctx.pool,
            lambda: people_service.search_people(db, query, limit=20),
            lambda rows: self._show(query, rows),
        )

    def _show(self, query: str, rows: list[Any]) -> None:
        if self.currentText().strip() != query:
            return
        self.blockSignals(True)
        self.clear()
        for r in rows:
            phone = display_phone(r.phone) if r.phone else ""
            self.addItem(f"{r.name}  {phone}".strip(), r.id)
        self.setEditText(query)
        self.blockSignals(False)
        if rows:
            self.showPopup()


class PersonDialog(FormDialog):
    """Create a person, or edit one (`person_id`)."""

    saved = Signal(object)  # PersonView

    def __init__(
        self, ctx: AppContext, person_id: uuid.UUID | None = None, parent: QWidget | None = None
    ) -> None:
        title = self.tr("Edit person") if person_id else self.tr("New person")
        super().__init__(ctx, title, parent)
        self.person_id = person_id
        self.setMinimumWidth(480)
        self.name = self.add_field("name", self.tr("Name"), QLineEdit())
        self.phone = self.add_field("phone", self.tr("Mobile phone"), QLineEdit())
        self.phone.setPlaceholderText(self.tr("e.g. 138 0013 8000 or +86 138-0013-8000"))
        self.wechat = self.add_field("wechat", self.tr("WeChat ID"), QLineEdit())
        self.email = self.add_field("email", self.tr("Email"), QLineEdit())
        self.stage = self.add_field("stage", self.tr("Stage"), QComboBox())
        for key in labels.STAGES:
            self.stage.addItem(labels.stage(key), key)
        self.butler = self.add_field("butler_id", self.tr("Butler"), QComboBox())
        self.butler.addItem(self.tr("(none)"), None)
        for st in staff_service.list_staff(ctx.db):
            self.butler.addItem(st.name, str(st.id))  # text: findData cannot match UUIDs
        self.referrer = self.add_field("referred_by_id", self.tr("Referred by"), PersonPicker(ctx))
        self.consent_marketing = QCheckBox(self.tr("Agrees to marketing contact"))
        self.consent_photos = QCheckBox(self.tr("Agrees to photos being used"))
        consents = QWidget()
        box = QVBoxLayout(consents)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.consent_marketing)
        box.addWidget(self.consent_photos)
        self.form.addRow(self.tr("Consents"), consents)
        self.tags = self.add_field("tags", self.tr("Tags"), QLineEdit())
        self.tags.setPlaceholderText(self.tr("comma separated, e.g. VIP, 试驾意向"))
        self.source = self.add_field("source", self.tr("Source"), QLineEdit())
        self.notes = self.add_field("notes", self.tr("Notes"), QPlainTextEdit())
        self.notes.setFixedHeight(70)
        if person_id is not None:
            self._load(people_service.get_person(ctx.db, person_id))

    def _load(self, p: Any) -> None:
        self.name.setText(p.name)
        self.phone.setText(display_phone(p.phone) if p.phone else "")
        self.wechat.setText(p.wechat or "")
        self.email.setText(p.email or "")
        self.stage.setCurrentIndex(max(self.stage.findData(p.stage), 0))
        self.butler.setCurrentIndex(max(self.butler.findData(str(p.butler_id)), 0))
        self.referrer.set_person(p.referred_by_id, p.referred_by_name)
        self.consent_marketing.setChecked(p.consent_marketing_at is not None)
        self.consent_photos.setChecked(p.consent_photos_at is not None)
        self.tags.setText(", ".join(p.tags))
        self.source.setText(p.source or "")
        self.notes.setPlainText(p.notes)
        self._birthday = p.birthday

    def draft(self) -> Any:
        tags = [t.strip() for t in self.tags.text().replace("，", ",").split(",") if t.strip()]
        return people_service.PersonDraft(
            name=self.name.text(),
            phone=self.phone.text() or None,
            wechat=self.wechat.text() or None,
            email=self.email.text() or None,
            stage=self.stage.currentData(),
            butler_id=self.butler.currentData(),
            referred_by_id=self.referrer.person_id(),
            consent_marketing=self.consent_marketing.isChecked(),
            consent_photos=self.consent_photos.isChecked(),
            tags=tags,
            notes=self.notes.toPlainText(),
            source=self.source.text() or None,
            birthday=getattr(self, "_birthday", None),
        )

    def save(self) -> None:
        self.clear_errors()
        draft = self.draft()
        problems = people_service.validate_person(draft)
        for problem in reversed(problems):  # focus ends on the first problem
            self.show_error(problem)
        if problems:
            return
        db, pid = self.ctx.db, self.person_id
        if pid is None:
            work: Callable[[], Any] = lambda: people_service.create_person(db, draft)  # noqa: E731
        else:
            work = lambda: people_service.update_person(db, pid, draft)  # noqa: E731
        self.run_save(work, self.saved.emit)


class VehicleDialog(FormDialog):
    saved = Signal(object)  # VehicleView

    def __init__(
        self, ctx: AppContext, person_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, self.tr("Add vehicle"), parent)
        self.person_id = person_id
        self.setMinimumWidth(440)
        self.vin = self.add_field("vin", self.tr("VIN"), QLineEdit())
        self.vin.setPlaceholderText(self.tr("17 characters, e.g. LSVAU2180N2183294"))
        self.plate = self.add_field("plate", self.tr("Plate"), QLineEdit())
        self.plate.setPlaceholderText(self.tr("e.g. 沪A·D12345"))
        self.model = self.add_field("model", self.tr("Model"), QLineEdit())
        self.known_date = QCheckBox(self.tr("Known"))
        self.purchase = QDateEdit(QDate.currentDate())
        self.purchase.setCalendarPopup(True)
        self.purchase.setDisplayFormat("yyyy-MM-dd")
        self.purchase.setEnabled(False)
        self.known_date.toggled.connect(self.purchase.setEnabled)
        row = QWidget()
        line = QFormLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addRow(self.known_date, self.purchase)
        self.add_field("purchase_date", self.tr("Purchase date"), row)

    def save(self) -> None:
        self.clear_errors()
        purchase: date | None = (
            self.purchase.date().toPython() if self.known_date.isChecked() else None  # type: ignore[assignment]
        )
        draft = people_service.VehicleDraft(
            vin=self.vin.text() or None,
            plate=self.plate.text() or None,
            model=self.model.text() or None,
            purchase_date=purchase,
        )
        db, pid = self.ctx.db, self.person_id
        self.run_save(lambda: people_service.add_vehicle(db, pid, draft), self.saved.emit)


class AdjustPointsDialog(FormDialog):
    """A manual points change; the reason is required and lands in the audit log."""

    saved = Signal(object)  # PointsChange

    def __init__(
        self, ctx: AppContext, person_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, self.tr("Adjust points"), parent)
        self.person_id = person_id
        self.setMinimumWidth(540)  # the reason's example must show in full
        balance = points_service.balance(ctx.db, person_id)
        self.form.addRow(self.tr("Balance now"), QLabel(str(balance)))
        self.delta = self.add_field("delta", self.tr("Change (+/−)"), QSpinBox())
        self.delta.setRange(-1_000_000, 1_000_000)
        self.delta.setSingleStep(10)
        self.reason = self.add_field("reason", self.tr("Reason"), QLineEdit())
        self.reason.setPlaceholderText(
            self.tr("required, e.g. 老带新奖励 / goodwill for late delivery")
        )

    def save(self) -> None:
        self.clear_errors()
        db, pid = self.ctx.db, self.person_id
        delta, reason = self.delta.value(), self.reason.text()
        self.run_save(lambda: points_service.adjust_points(db, pid, delta, reason), self.saved.emit)
