"""Sign-in with a PIN pad, the idle lock screen, quick switch user and kiosk mode."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.enums import StaffRole
from desktop_app.domain.errors import PaddockError
from desktop_app.domain.messages import ROLE_WORDS
from desktop_app.domain.roles import Permission, Principal
from desktop_app.services import auth
from desktop_app.store.db import Database

if TYPE_CHECKING:
    from ui.context import AppContext

IDLE_KEY, IDLE_DEFAULT = "security/idle_minutes", 10
# Pages a role cannot use are hidden (the services refuse anyway; this keeps the desk tidy).
PAGE_NEEDS: dict[str, Permission] = {
    "events": Permission.PLAN_EVENTS,
    "calls": Permission.INVITATIONS,
    "people": Permission.LOOK_UP_PEOPLE,
    "reports": Permission.REPORTS,
    "sync": Permission.EXPORT_PII,
    "audit": Permission.AUDIT,
    "settings": Permission.SETTINGS,
}
ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


FIRST_PIN_POLL_MS = 10_000  # how often a single-user desk checks for the first PIN


def role_word(role: str, lang: str) -> str:
    en, zh = ROLE_WORDS.get(role, (role, role))
    return zh if lang == "zh" else en


def idle_minutes(settings: QSettings) -> int:
    try:
        return max(1, int(settings.value(IDLE_KEY, IDLE_DEFAULT)))
    except (TypeError, ValueError):
        return IDLE_DEFAULT


class SignInPanel(QFrame):
    """Pick a name, type the PIN (keyboard or pad). Modes: sign_in, locked, kiosk_unlock."""

    signed_in = Signal(object)  # Principal
    cancelled = Signal()

    def __init__(
        self, db: Database, lang: str, mode: str = "sign_in", current: Principal | None = None
    ) -> None:
        super().__init__()
        self.db, self.lang, self.mode = db, lang, mode
        self.setObjectName("signInPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFixedWidth(360)
        titles = {
            "sign_in": (self.tr("Sign in"), self.tr("Choose your name and enter your PIN.")),
            "locked": (
                self.tr("Locked"),
                self.tr("This desk was idle. Enter the PIN again, or switch user."),
            ),
            "kiosk_unlock": (
                self.tr("Unlock kiosk mode"),
                self.tr("Kiosk mode allows check-in only. An admin PIN unlocks this desk."),
            ),
        }
        title, hint = titles[mode]
        self.title = QLabel(title)
        self.title.setObjectName("signInTitle")
        font = self.title.font()
        font.setPointSize(font.pointSize() + 6)
        font.setBold(True)
        self.title.setFont(font)
        self.hint = QLabel(hint)
        self.hint.setWordWrap(True)
        self.staff = QComboBox()
        self.staff.setObjectName("signInStaff")
        for acc in auth.list_accounts(db, with_secret_only=True):
            if mode == "kiosk_unlock" and acc.role != StaffRole.ADMIN:
                continue
            self.staff.addItem(f"{acc.name} · {role_word(acc.role, lang)}", acc.name)
        if current is not None:
            found = self.staff.findData(current.name)
            self.staff.setCurrentIndex(max(0, found))
        self.pin = QLineEdit()
        self.pin.setObjectName("signInPin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText(self.tr("PIN or password"))
        self.pin.returnPressed.connect(self.submit)
        self.error = QLabel()
        self.error.setObjectName("signInError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        self.ok = QPushButton(self.tr("Unlock") if mode != "sign_in" else self.tr("Sign in"))
        self.ok.setObjectName("signInButton")
        self.ok.setDefault(True)
        self.ok.clicked.connect(self.submit)
        col = QVBoxLayout(self)
        col.setSpacing(10)
        col.addWidget(self.title)
        col.addWidget(self.hint)
        col.addWidget(QLabel(self.tr("Staff member")))
        col.addWidget(self.staff)
        col.addWidget(self.pin)
        col.addLayout(self._pad())
        col.addWidget(self.error)
        col.addWidget(self.ok)
        if mode == "kiosk_unlock" or (mode == "sign_in" and current is not None):
            # back to the desk as it was (kiosk stays a kiosk; the signed-in person stays)
            self.cancel = QPushButton(self.tr("Cancel"))
            self.cancel.setObjectName("signInCancel")
            self.cancel.setFlat(True)
            self.cancel.clicked.connect(self.cancelled)
            col.addWidget(self.cancel)
        if mode == "locked":
            self.switch = QPushButton(self.tr("Switch user"))
            self.switch.setObjectName("signInSwitch")
            self.switch.setFlat(True)
            self.switch.clicked.connect(self._switch_user)
            col.addWidget(self.switch)

    def _pad(self) -> QGridLayout:
        grid = QGridLayout()
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "C", "0", "⌫"]
        for i, key in enumerate(keys):
            b = QPushButton(key)
            b.setObjectName(f"pad_{key}")
            b.setMinimumHeight(44)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.clicked.connect(lambda _=False, k=key: self.press(k))
            grid.addWidget(b, i // 3, i % 3)
        return grid

    def press(self, key: str) -> None:
        if key == "C":
            self.pin.clear()
        elif key == "⌫":
            self.pin.backspace()
        else:
            self.pin.insert(key)
        self.pin.setFocus()

    def _switch_user(self) -> None:
        self.mode = "sign_in"
        self.title.setText(self.tr("Switch user"))
        self.hint.setText(self.tr("Choose your name and enter your PIN."))
        self.pin.clear()
        self.pin.setFocus()

    def submit(self) -> None:
        name = self.staff.currentData()
        if not name:
            return
        try:
            if self.mode == "kiosk_unlock":
                who = auth.unlock_kiosk(self.db, name, self.pin.text())
            else:
                who = auth.sign_in(self.db, name, self.pin.text())
        except PaddockError as exc:
            self.error.setText(exc.localized(self.lang))
            self.pin.clear()
            return
        self.error.clear()
        self.pin.clear()
        self.signed_in.emit(who)


class Gate(QWidget):
    """Covers the whole window (no personal data visible) while nobody is signed in."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setObjectName("signInGate")
        # opaque: while locked, nothing of the page underneath (names, phones) shows through
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#signInGate { background: #eef2f6; }")
        self.panel: SignInPanel | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignCenter)
        window.installEventFilter(self)
        self.setGeometry(window.rect())
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect())
        return False

    def _drop_panel(self) -> None:
        if self.panel is not None:
            self._layout.removeWidget(self.panel)
            self.panel.hide()
            self.panel.deleteLater()
            self.panel = None

    def open(self, panel: SignInPanel) -> None:
        self._drop_panel()
        self.panel = panel
        self._layout.addWidget(panel)
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()
        panel.pin.setFocus()

    def close_gate(self) -> None:
        self.hide()
        self._drop_panel()


class SessionGuard(QObject):
    """Who is at the desk: sign-in on start, lock after idle time, switch user, kiosk."""

    changed = Signal(object)  # Principal | None

    def __init__(self, window: QMainWindow, ctx: AppContext) -> None:
        super().__init__(window)
        self.window, self.ctx = window, ctx
        self.gate = Gate(window)
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.timeout.connect(self.lock)
        self.button = QToolButton()
        self.button.setObjectName("sessionButton")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setStyleSheet("QToolButton { padding-right: 18px; }")  # room for the arrow
        menu = QMenu(self.button)
        self.switch_action = QAction(self.tr("Switch user"), menu)
        self.switch_action.triggered.connect(lambda: self.ask("sign_in"))
        self.lock_action = QAction(self.tr("Lock now"), menu)
        self.lock_action.setShortcut("Ctrl+L")
        self.lock_action.triggered.connect(self.lock)
        self.kiosk_action = QAction(self.tr("Kiosk mode (check-in only)"), menu)
        self.kiosk_action.triggered.connect(self.toggle_kiosk)
        for action in (self.switch_action, self.lock_action, self.kiosk_action):
            menu.addAction(action)
        window.addAction(self.lock_action)
        self.button.setMenu(menu)
        window.statusBar().addPermanentWidget(self.button)
        self._attached = False
        QApplication.instance().installEventFilter(self)

    def attach_once(self, attach: Callable[[AppContext], None]) -> None:
        if not self._attached:
            self._attached = True
            attach(self.ctx)

    @property
    def who(self) -> Principal | None:
        return auth.current(self.ctx.db)

    def ask(self, mode: str) -> SignInPanel:
        panel = SignInPanel(self.ctx.db, self.ctx.language, mode, self.who)
        panel.signed_in.connect(self._signed_in)
        panel.cancelled.connect(self._cancelled)
        self.idle.stop()
        self.gate.open(panel)
        return panel

    def lock(self) -> None:
        who = self.who
        if who is not None and who.kiosk:
            return  # a kiosk is meant to stay open for check-in
        self.ask("locked" if who is not None else "sign_in")

    def toggle_kiosk(self) -> None:
        who = self.who
        if who is not None and who.kiosk:
            self.ask("kiosk_unlock")
            return
        try:
            auth.enter_kiosk(self.ctx.db)
        except PaddockError:
            return
        self._apply(self.who)

    def _cancelled(self) -> None:
        self.gate.close_gate()
        self._restart_idle()

    def _signed_in(self, who: Principal) -> None:
        auth.bind(self.ctx.db, who)
        self.gate.close_gate()
        self._apply(who)

    def _apply(self, who: Principal | None) -> None:
        kiosk = bool(who and who.kiosk)
        set_kiosk = getattr(self.window, "set_kiosk", None)
        if callable(set_kiosk):
            set_kiosk(kiosk)
        if not kiosk:
            self._hide_pages(who)
        lang = self.ctx.language
        if who is None:
            self.button.setText("")
        else:
            label = f"{who.name} · {role_word(who.role, lang)}"
            self.button.setText(label + (" · " + self.tr("Kiosk") if kiosk else ""))
        self.kiosk_action.setText(
            self.tr("Leave kiosk mode…") if kiosk else self.tr("Kiosk mode (check-in only)")
        )
        self.switch_action.setEnabled(not kiosk)
        self.lock_action.setEnabled(not kiosk)
        self._restart_idle()
        self.changed.emit(who)

    def _hide_pages(self, who: Principal | None) -> None:
        nav = getattr(self.window, "nav", None)
        if nav is None:
            return
        keys = [nav.item(r).data(Qt.ItemDataRole.UserRole) for r in range(nav.count())]
        for row, key in enumerate(keys):
            need = PAGE_NEEDS.get(key)
            nav.item(row).setHidden(bool(need and (who is None or not who.can(need))))
        current = nav.currentItem()
        if current is not None and current.isHidden() and "checkin" in keys:
            nav.setCurrentRow(keys.index("checkin"))

    def _restart_idle(self) -> None:
        who = self.who
        if who is None or who.kiosk or self.gate.isVisible():
            self.idle.stop()
            return
        self.idle.start(idle_minutes(self.ctx.settings) * 60_000)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY and self.idle.isActive():
            self.idle.start()  # any input at the desk restarts the idle countdown
        return False


def install_sign_in(
    window: QMainWindow, ctx: AppContext, attach: Callable[[AppContext], None]
) -> SessionGuard | None:
    """Single-user desk (no staff accounts): `attach` now. Otherwise cover the window and
    `attach` only after the first sign-in, so no page loads people before someone signs in."""
    if not auth.accounts_exist(ctx.db):
        attach(ctx)
        _watch_for_first_pin(window, ctx)
        return None
    guard = _asking_guard(window, ctx)
    guard.changed.connect(lambda _who: guard.attach_once(attach))
    return guard


def _asking_guard(window: QMainWindow, ctx: AppContext) -> SessionGuard:
    """A SessionGuard kept on the window, its sign-in panel open."""
    guard = SessionGuard(window, ctx)
    window.session_guard = guard  # type: ignore[attr-defined]  # keep it alive
    guard.ask("sign_in")
    return guard


def _watch_for_first_pin(window: QMainWindow, ctx: AppContext) -> None:
    """A single-user desk whose database gets its first PIN (set here or at another desk on
    the same database) covers itself with the sign-in screen, instead of refusing every
    action with "sign in first" until Paddock is restarted."""
    timer = QTimer(window)

    def check() -> None:
        if auth.accounts_exist(ctx.db):  # cached for a few seconds: no query per tick
            timer.stop()
            _asking_guard(window, ctx)

    timer.timeout.connect(check)
    timer.start(FIRST_PIN_POLL_MS)
    window.first_pin_watch = timer  # type: ignore[attr-defined]
