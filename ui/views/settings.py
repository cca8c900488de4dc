"""Settings: the dealer profile, the language, where the database is, and the version."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app import __version__
from desktop_app.domain.errors import PaddockError, ValidationError
from desktop_app.services import dealer
from ui.context import AppContext
from ui.widgets.field_error import ErrorField


class SettingsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        title = QLabel(self.tr("Settings"))
        title.setObjectName("pageTitle")

        profile = QGroupBox(self.tr("Dealer profile"))
        self.code = QLineEdit()
        self.code.setReadOnly(True)
        self.code.setToolTip(
            self.tr("The dealer code cannot change (tickets and HQ files carry it).")
        )
        self.name, self.city, self.region = QLineEdit(), QLineEdit(), QLineEdit()
        self.fields = {"dealer_name": ErrorField(self.name)}
        self.save_button = QPushButton(self.tr("Save profile"))
        self.save_button.clicked.connect(self.save_profile)
        self.profile_message = QLabel()
        self.profile_message.setObjectName("pageMessage")
        form = QFormLayout(profile)
        form.addRow(self.tr("Dealer code"), self.code)
        form.addRow(self.tr("Dealer name"), self.fields["dealer_name"])
        form.addRow(self.tr("City"), self.city)
        form.addRow(self.tr("Region"), self.region)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.profile_message, 1)
        form.addRow("", buttons)

        appearance = QGroupBox(self.tr("Language"))
        self.language = QComboBox()
        self.language.addItem("中文（简体）", "zh")
        self.language.addItem("English", "en")
        saved = str(ctx.settings.value("ui/language", ctx.language) or ctx.language)
        self.language.setCurrentIndex(max(0, self.language.findData(saved)))
        self.language.currentIndexChanged.connect(self.save_language)
        self.language_note = QLabel(self.tr("A new language applies the next time Paddock starts."))
        self.language_note.setObjectName("hint")
        form2 = QFormLayout(appearance)
        form2.addRow(self.tr("Language"), self.language)
        form2.addRow("", self.language_note)

        about = QGroupBox(self.tr("About"))
        where = ctx.db.path
        self.db_label = QLabel(str(where) if where else _safe_url(ctx.db.url))
        self.db_label.setWordWrap(True)
        self.db_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form3 = QFormLayout(about)
        form3.addRow(self.tr("Database"), self.db_label)
        form3.addRow(self.tr("Version"), QLabel(__version__))

        # A readable column: forms stretched over a wide window are hard to scan.
        column = QWidget()
        column.setMaximumWidth(760)
        inner = QVBoxLayout(column)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(title)
        inner.addWidget(profile)
        inner.addWidget(appearance)
        inner.addWidget(about)
        inner.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addWidget(column, 1)
        layout.addStretch(0)
        self.load()

    def load(self) -> None:
        d = dealer.get_dealer(self.ctx.db)
        if d is None:
            return
        self.code.setText(d.code)
        self.name.setText(d.name)
        self.city.setText(d.city or "")
        self.region.setText(d.region or "")

    def save_profile(self) -> None:
        self.fields["dealer_name"].clear_error()
        try:
            d = dealer.init_dealer(
                self.ctx.db,
                self.code.text(),
                self.name.text(),
                self.city.text().strip() or None,
                self.region.text().strip() or None,
            )
        except ValidationError as exc:
            target = self.fields.get(exc.field)
            if target:
                target.show_error(exc.localized(self.ctx.language))
            else:
                self.profile_message.setText(exc.localized(self.ctx.language))
            return
        except PaddockError as exc:
            self.profile_message.setText(exc.localized(self.ctx.language))
            return
        self.profile_message.setText(self.tr("Saved."))
        window = self.window()
        if hasattr(window, "update_status"):
            window.update_status()
        self.name.setText(d.name)

    def save_language(self) -> None:
        self.ctx.settings.setValue("ui/language", self.language.currentData())
        self.ctx.settings.sync()
        changed = self.language.currentData() != self.ctx.language
        self.language_note.setText(
            self.tr("Saved. Restart Paddock to switch the language.")
            if changed
            else self.tr("A new language applies the next time Paddock starts.")
        )


def _safe_url(url: str) -> str:
    """A server database URL without its password."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
