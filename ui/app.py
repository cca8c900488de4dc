"""Starting the desktop app: QApplication, language, the window shell, then (off the UI
thread) the database; first-run setup; the pages.

The window paints before SQLAlchemy and Alembic are even imported: those imports and the
schema check take most of the start-up time, and a window that appears at once (saying
"Opening the database…") feels faster than one that appears late.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QThreadPool, QTranslator
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app import APP_NAME, __version__, config
from ui.main_window import MainWindow
from ui.resources import resource_path
from ui.workers import submit

if TYPE_CHECKING:
    from desktop_app.store.db import Database


def make_settings() -> QSettings:
    """Per-user settings in an INI file in the config dir (PADDOCK_HOME-aware)."""
    return QSettings(str(config.config_dir() / "paddock.ini"), QSettings.Format.IniFormat)


def choose_language(settings: QSettings) -> str:
    lang = str(settings.value("ui/language", "") or "")
    if lang in ("en", "zh"):
        return lang
    return "zh" if QLocale.system().language() == QLocale.Language.Chinese else "en"


def install_translators(app: QApplication, lang: str) -> list[QTranslator]:
    """Load our catalogue and Qt's own (dialog buttons) for `lang`; keep them referenced."""
    installed: list[QTranslator] = []
    if lang != "zh":
        return installed
    ours = QTranslator(app)
    if ours.load(str(resource_path("translations", "paddock_zh_CN.qm"))):
        app.installTranslator(ours)
        installed.append(ours)
    qt = QTranslator(app)
    if qt.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        installed.append(qt)
    return installed


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    font = QFont(app.font())
    # Noto Sans CJK covers Chinese; Qt falls back per glyph when it is not first.
    font.setFamilies(["Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", *font.families()])
    app.setFont(font)
    app.setWindowIcon(QIcon(str(resource_path("icons", "paddock.png"))))
    style = resource_path("styles", "paddock.qss")
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    return app


def _open(db_url: str | None, passphrase: str | None = None) -> Database:
    """Runs on a pool thread: the heavy imports, then open (and upgrade) the database."""
    from desktop_app.services import dealer, events  # noqa: F401 - warm the imports here
    from desktop_app.services.backup import daily_backup_quietly
    from desktop_app.store.db import open_database

    db = open_database(db_url, passphrase=passphrase)
    daily_backup_quietly(db)  # the daily SQLite backup, here off the UI thread
    return db


def _early_excepthook(lang: str) -> None:
    """Until the database is open, an error installs the full hook on demand: ui.errors
    imports SQLAlchemy (about a second), which must not delay the first paint."""

    def early(t: type[BaseException], e: BaseException, tb: TracebackType | None) -> None:
        from ui.errors import install_excepthook

        install_excepthook(lang)
        sys.excepthook(t, e, tb)

    sys.excepthook = early


def start(
    db_url: str | None = None, lang: str | None = None
) -> tuple[QApplication, MainWindow, int]:
    """Show the window shell now; open the database in the background, then ask for the
    dealer on first run and attach everything. `lang` (`paddock --lang zh`) overrides the
    saved language for this run. Returns (app, window, 0)."""
    app = make_app()
    settings = make_settings()
    lang = lang if lang in ("en", "zh") else choose_language(settings)
    app._paddock_translators = install_translators(app, lang)  # type: ignore[attr-defined]
    _early_excepthook(lang)
    window = MainWindow(settings=settings)
    window.show()

    def opened(db: Database) -> None:
        from ui.context import AppContext
        from ui.errors import install_excepthook
        from ui.views.setup import ensure_dealer

        install_excepthook(lang)  # log + friendly dialog for anything unexpected

        ctx = AppContext(db=db, settings=settings, language=lang)
        if not ensure_dealer(ctx, window):
            db.close()
            window.close()
            app.exit(0)
            return
        from ui.views.sign_in import install_sign_in

        install_sign_in(window, ctx, window.attach)  # attaches now, or after staff sign in

    def failed(exc: BaseException) -> None:
        text = exc.localized(lang) if hasattr(exc, "localized") else str(exc)
        code = getattr(exc, "code", None)
        if code in ("pack_encrypted", "pack_wrong_passphrase"):  # an encrypted event pack
            from ui.widgets.passphrase import ask_pack_passphrase

            shown = Path(db_url or "").name or APP_NAME
            passphrase = ask_pack_passphrase(
                window, shown, text if code == "pack_wrong_passphrase" else ""
            )
            if passphrase:
                submit(
                    QThreadPool.globalInstance(), lambda: _open(db_url, passphrase), opened, failed
                )
                return
        QMessageBox.critical(window, APP_NAME, text)
        window.close()
        app.exit(1)

    submit(QThreadPool.globalInstance(), lambda: _open(db_url), opened, failed)
    return app, window, 0


def run(db_url: str | None = None, lang: str | None = None) -> int:
    app, window, _ = start(db_url, lang)
    code = app.exec()
    ctx: Any = window.ctx
    QThreadPool.globalInstance().waitForDone(10000)
    if ctx is not None:
        ctx.pool.waitForDone(5000)
        ctx.write_pool.waitForDone(10000)  # let a last save finish before closing
        ctx.db.close()
    return int(code)
