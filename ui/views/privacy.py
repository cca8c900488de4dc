"""Personal-data duties on screen (issue 18): consent given/withdrawn, a person's own copy,
erasure (asked twice), the retention review. Services: consent, person_copy, erasure,
retention. Widgets only ask and show; every write runs on the write pool."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.phone import display_phone
from desktop_app.domain.roles import Permission
from desktop_app.domain.timeutil import to_local
from desktop_app.services import auth, consent, erasure, person_copy, retention
from ui.context import AppContext
from ui.views.person_dialogs import FormDialog, error_text, run_for
from ui.widgets.confirm import ask
from ui.widgets.file_dialogs import get_save_file_name


class PrivacyBar(QWidget):
    """Under the person's details: consent, the person's copy, erasure."""

    changed = Signal(object)  # person id whose record changed
    message = Signal(str)  # what happened, for the page's notice line

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.person: Any = None  # PersonView shown
        self.consent_button = QPushButton()
        self.copy_button = QPushButton(self.tr("Person's copy…"))
        self.copy_button.setToolTip(
            self.tr("Everything held about this person in one workbook (PIPL Art. 45)")
        )
        self.erase_button = QPushButton(self.tr("Erase personal data…"))
        self.erase_button.setObjectName("dangerButton")
        self.consent_button.clicked.connect(self.toggle_consent)
        self.copy_button.clicked.connect(self.export_copy)
        self.erase_button.clicked.connect(self.erase)
        # two rows: the detail pane is narrow (300 px and up), and three captions side by
        # side were cut off at both ends ("aw marketing con")
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 4, 0, 0)
        col.setSpacing(4)
        for buttons in ((self.consent_button,), (self.copy_button, self.erase_button)):
            row = QHBoxLayout()
            for b in buttons:
                row.addWidget(b)
            row.addStretch(1)
            col.addLayout(row)
        self.set_person(None)

    def set_person(self, person: Any) -> None:
        self.person = person
        has = person is not None and getattr(person, "merged_into_id", None) is None
        erased = bool(person is not None and person.name.startswith(erasure.NAME_PREFIX))
        given = has and person.consent_marketing_at is not None
        self.consent_button.setText(
            self.tr("Withdraw marketing consent…") if given else self.tr("Record consent…")
        )
        self.consent_button.setEnabled(has and not erased)
        self.copy_button.setEnabled(has and auth.can(self.ctx.db, Permission.EXPORT_PII))
        self.erase_button.setEnabled(
            has and not erased and auth.can(self.ctx.db, Permission.ERASE_PEOPLE)
        )
        if not auth.can(self.ctx.db, Permission.ERASE_PEOPLE):
            self.erase_button.setToolTip(self.tr("Only an admin may erase a person"))

    # ------------------------------------------------------------------ consent

    def toggle_consent(self) -> None:
        p = self.person
        if p is None:
            return
        if p.consent_marketing_at is not None:
            text = self.tr(
                "%1 no longer wants marketing calls or messages.\n\n"
                "They will be left out of every call list and follow-up list from now on."
            ).replace("%1", p.name)
            if self.confirm(self.tr("Withdraw marketing consent"), text):
                self._set(False, "person_page", None)
            return
        dialog = ConsentDialog(self.ctx, p.name, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._set(True, dialog.method(), dialog.source.text().strip() or None)

    def _set(self, given: bool, method: str, source: str | None) -> None:
        db, pid = self.ctx.db, self.person.id

        def done(_state: Any) -> None:
            self.changed.emit(pid)
            self.message.emit(
                self.tr("Marketing consent recorded.")
                if given
                else self.tr("Marketing consent withdrawn: left out of call lists from now on.")
            )

        run_for(
            self,
            self.ctx.write_pool,
            lambda: consent.set_consent(db, pid, "marketing", given, method, source=source),
            done,
            lambda exc: self.message.emit(error_text(exc, self.ctx.language)),
        )

    # ------------------------------------------------------------------ copy

    def ask_copy_path(self, suggested: str) -> tuple[str, str]:
        """(file, language): overridden in tests."""
        dialog = CopyDialog(self, suggested, self.ctx.language, self.ctx)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return "", ""
        return dialog.path.text().strip(), dialog.language()

    def export_copy(self) -> None:
        p = self.person
        if p is None:
            return
        path, lang = self.ask_copy_path(f"{p.name}-个人信息副本.xlsx")
        if not path:
            return
        db, pid = self.ctx.db, p.id
        run_for(
            self,
            self.ctx.pool,
            lambda: person_copy.export_person(db, pid, Path(path), lang=lang),
            lambda res: self.message.emit(
                self.tr("Copy written to %1").replace("%1", str(res.path))
            ),
            lambda exc: self.message.emit(error_text(exc, self.ctx.language)),
        )

    # ------------------------------------------------------------------ erase

    def confirm(self, title: str, text: str) -> bool:
        """A Yes/No question; tests replace it."""
        return ask(self, title, text, warning=True)

    def ask_erase_reason(self, person: Any) -> str:
        """What erasure does, and why (required); '' when cancelled. Tests replace it."""
        first = EraseDialog(self.ctx, person, self)
        if first.exec() != QDialog.DialogCode.Accepted:
            return ""
        return first.reason.text().strip()

    def erase(self) -> None:
        p = self.person
        if p is None:
            return
        reason = self.ask_erase_reason(p)  # the first question
        if not reason:
            return
        second = self.tr(
            "Really erase %1? This cannot be undone.\n\n"
            "Name, mobile, WeChat, e-mail, plates, VINs, notes and answers are removed now; "
            "the next HQ workbook tells HQ to remove them too."
        ).replace("%1", p.name)
        if not self.confirm(self.tr("Erase personal data — second confirmation"), second):
            return
        db, pid = self.ctx.db, p.id

        def done(res: Any) -> None:
            self.changed.emit(pid)
            self.message.emit(
                self.tr("Personal data erased; an anonymous record %1 keeps past figures.")
                .replace("%1", erasure.erased_name(res.person_id))
            )  # fmt: skip

        run_for(
            self,
            self.ctx.write_pool,
            lambda: erasure.erase_person(db, pid, reason),
            done,
            lambda exc: self.message.emit(error_text(exc, self.ctx.language)),
        )


class ConsentDialog(FormDialog):
    """How the person agreed (a paper form, on the phone, an online form)."""

    METHODS = ("paper", "person_page", "form", "desk")

    def __init__(self, ctx: AppContext, name: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("Record marketing consent"), parent)
        intro = QLabel(
            self.tr("%1 agrees to be contacted about events and offers.").replace("%1", name)
        )
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.how = QComboBox()
        labels = {
            "paper": self.tr("Signed a paper form"),
            "person_page": self.tr("Said so to staff (phone or in person)"),
            "form": self.tr("Ticked it on an online form"),
            "desk": self.tr("At the front desk"),
        }
        for m in self.METHODS:
            self.how.addItem(labels[m], m)
        self.source = QLineEdit()
        self.source.setPlaceholderText(self.tr("e.g. form no. 12, 2026-03-07"))
        self.add_field("method", self.tr("How"), self.how)
        self.add_field("source", self.tr("Reference"), self.source)

    def save(self) -> None:  # the bar records it (FormDialog's Save calls this)
        self.accept()

    def method(self) -> str:
        return str(self.how.currentData())


class CopyDialog(FormDialog):
    """Where to write the person's copy, and in which language."""

    def __init__(self, parent: QWidget, suggested: str, lang: str, ctx: Any = None) -> None:
        super().__init__(ctx, self.tr("Person's copy"), parent)
        self.path = QLineEdit(str(Path.home() / suggested))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        self.lang = QComboBox()
        self.lang.addItem("中文", "zh")
        self.lang.addItem("English", "en")
        self.lang.setCurrentIndex(0 if lang == "zh" else 1)
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.path, 1)
        line.addWidget(browse)
        self.form.addRow(self.tr("File"), row)
        self.form.addRow(self.tr("Language of the copy"), self.lang)
        note = QLabel(
            self.tr("Give the file to the person only: it holds their mobile, plates and VINs.")
        )
        note.setWordWrap(True)
        self.form.addRow(note)
        self.resize(520, self.sizeHint().height())

    def save(self) -> None:
        self.accept()

    def _browse(self) -> None:
        name, _ = get_save_file_name(self, self.windowTitle(), self.path.text(), "Excel (*.xlsx)")
        if name:
            self.path.setText(name if name.lower().endswith(".xlsx") else name + ".xlsx")

    def language(self) -> str:
        return str(self.lang.currentData())


class EraseDialog(QDialog):
    """The first question: what erasure does, and why (a reason is required)."""

    def __init__(self, ctx: AppContext, person: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Erase personal data"))
        who = f"{person.name}  {display_phone(person.phone)}".strip()
        head = QLabel(f"<b>{who}</b>")
        text = QLabel(
            self.tr(
                "Removed: name, mobile, WeChat, e-mail, birthday, notes, tags, plates and VINs, "
                "form answers, feedback comments, call notes — also from the audit log.\n"
                "Kept, without personal data: registrations, check-ins, points and referrals, "
                "so past reports show the same figures.\n"
                "HQ is told in the next HQ workbook. Backups older than today still hold the "
                "data until they are rotated away (see docs/privacy.md)."
            )
        )
        text.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("e.g. asked by phone on 2026-05-01"))
        form = QFormLayout()
        form.addRow(self.tr("Reason"), self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.go = self.buttons.addButton(self.tr("Erase…"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.go.setEnabled(False)
        self.reason.textChanged.connect(lambda t: self.go.setEnabled(bool(t.strip())))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(560, self.sizeHint().height())


class RetentionDialog(QDialog):
    """Prospects with no activity for N months, for review; anonymise them (asked twice)."""

    anonymised = Signal(int)  # how many were anonymised

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[Any] = []
        self.setWindowTitle(self.tr("Retention review"))
        self.months = QSpinBox()
        self.months.setRange(1, retention.MAX_MONTHS)
        self.months.setSuffix(self.tr(" months"))
        self.months.setValue(retention.retention_months(ctx.db))
        self.save_months = QPushButton(self.tr("Keep as the setting"))
        self.save_months.setEnabled(auth.can(ctx.db, Permission.SETTINGS))
        self.save_months.clicked.connect(self._save_months)
        self.months.valueChanged.connect(lambda _v: self.reload())
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Prospects with no activity for")))
        top.addWidget(self.months)
        top.addWidget(self.save_months)
        top.addStretch(1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Name"), self.tr("Mobile"), self.tr("Source"), self.tr("Last activity")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.empty = QLabel(self.tr("Nobody is due: every prospect has had activity recently."))
        self.empty.setObjectName("emptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.anonymise_button = QPushButton(self.tr("Anonymise everyone listed…"))
        self.anonymise_button.setObjectName("dangerButton")
        self.anonymise_button.clicked.connect(self.anonymise)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.anonymise_button)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(bottom)
        self.resize(760, 480)
        self.reload()

    def confirm(self, title: str, text: str) -> bool:
        return ask(self, title, text, warning=True)

    def reload(self) -> None:
        rev = retention.review(self.ctx.db, months=self.months.value())
        self.rows = list(rev.rows)
        tz = self.ctx.timezone()
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            last = to_local(r.last_activity_at, tz)
            for c, value in enumerate(
                (r.name, display_phone(r.phone), r.source or "",
                 last.strftime("%Y-%m-%d") if last else "")
            ):  # fmt: skip
                self.table.setItem(i, c, QTableWidgetItem(value))
        self.summary.setText(
            self.tr("%1 prospect(s) had no registration, visit, call or consent change since %2.")
            .replace("%1", str(rev.count))
            .replace("%2", (to_local(rev.cutoff, tz) or rev.cutoff).strftime("%Y-%m-%d"))
        )  # fmt: skip
        self.table.setVisible(bool(self.rows))
        self.empty.setVisible(not self.rows)
        self.anonymise_button.setEnabled(
            bool(self.rows) and auth.can(self.ctx.db, Permission.ERASE_PEOPLE)
        )

    def _save_months(self) -> None:
        retention.set_retention_months(self.ctx.db, self.months.value())
        self.summary.setText(self.summary.text() + " " + self.tr("(saved as the setting)"))

    def anonymise(self) -> None:
        n = len(self.rows)
        first = self.tr(
            "Anonymise %1 prospect(s)? Their names, mobiles, plates and notes are removed; "
            "the anonymous records keep past figures."
        ).replace("%1", str(n))
        if not self.confirm(self.tr("Anonymise"), first):
            return
        if not self.confirm(
            self.tr("Anonymise — second confirmation"),
            self.tr("This cannot be undone. Anonymise %1 prospect(s) now?").replace("%1", str(n)),
        ):
            return
        ids = [r.person_id for r in self.rows]
        months = self.months.value()
        db = self.ctx.db

        def finished(results: Any) -> None:
            self.anonymised.emit(len(results))
            self.reload()

        run_for(
            self,
            self.ctx.write_pool,
            lambda: retention.anonymise(db, ids, months=months),
            finished,
            lambda exc: self.summary.setText(error_text(exc, self.ctx.language)),
        )
