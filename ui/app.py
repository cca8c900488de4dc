"""Starting the desktop app: QApplication, language, database, first-run setup, main window."""

from __future__ import annotations

import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app import APP_NAME, __version__, config
from desktop_app.domain.errors import DatabaseError
from desktop_app.store.db import open_database
from ui.context import AppContext
from ui.resources import resource_path


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
    return app


def run(db_url: str | None = None) -> int:
    app = make_app()
    settings = make_settings()
    lang = choose_language(settings)
    app._paddock_translators = install_translators(app, lang)  # type: ignore[attr-defined]
    try:
        db = open_database(db_url)
    except DatabaseError as exc:
        QMessageBox.critical(None, APP_NAME, exc.localized("zh" if lang == "zh" else "en"))
        return 1
    ctx = AppContext(db=db, settings=settings, language=lang)
    from ui.main_window import MainWindow
    from ui.views.setup import ensure_dealer

    if not ensure_dealer(ctx):
        return 0
    window = MainWindow(ctx)
    window.show()
    code = app.exec()
    db.close()
    return int(code)
