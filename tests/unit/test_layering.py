"""desktop_app never imports Qt: the CLI, HQ tooling and most tests run without it."""

import importlib
import pkgutil
import subprocess
import sys

import desktop_app


def test_core_modules_import_without_qt() -> None:
    names = [
        m.name
        for m in pkgutil.walk_packages(desktop_app.__path__, "desktop_app.")
        if ".migrations" not in m.name and not m.name.endswith("__main__")
    ]
    code = (
        "import importlib, sys\n"
        f"for n in {names!r}: importlib.import_module(n)\n"
        "bad = [m for m in sys.modules if m.startswith('PySide6')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    assert len(names) > 5


def test_every_message_has_both_languages() -> None:
    from desktop_app.domain.messages import FIELD_LABELS, MESSAGES

    for code, (en, zh) in {**MESSAGES, **FIELD_LABELS}.items():
        assert en.strip() and zh.strip(), code
        assert en != zh or code == "nps", code
    importlib.import_module("desktop_app.cli")


def test_not_found_speaks_the_users_language() -> None:
    from desktop_app.domain.errors import NotFound

    err = NotFound("event", "xyz")
    assert str(err) == "event not found: xyz"
    assert err.localized("zh") == "找不到活动：xyz"
