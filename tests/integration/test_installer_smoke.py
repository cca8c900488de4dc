"""The installer's checks, without the 7-minute build: what goes into the bundle, and the
`--self-test` the built bundle runs. The full build + smoke run is
`python build_installer.py --smoke` (set PADDOCK_TEST_BUNDLE=1 to smoke-test an existing
dist/ build from pytest)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import build_installer
from desktop_app.store import db as store_db

ROOT = Path(__file__).resolve().parents[2]


def test_the_bundle_carries_resources_migrations_and_the_plugins_we_load_by_name() -> None:
    args = build_installer.pyinstaller_args(onefile=False, windowed=False)
    data = [args[i + 1] for i, a in enumerate(args) if a == "--add-data"]
    assert any(d.endswith(f"{os.pathsep}resources") for d in data)
    assert any(d.endswith(f"{os.pathsep}desktop_app/store/migrations") for d in data)
    collected = [args[i + 1] for i, a in enumerate(args) if a == "--collect-submodules"]
    assert {"desktop_app", "ui", "alembic"} <= set(collected)  # verbs and pages load by name
    excluded = [args[i + 1] for i, a in enumerate(args) if a == "--exclude-module"]
    assert "PySide6.QtWebEngineCore" in excluded
    assert "PySide6.QtMultimedia" not in excluded  # sounds and camera need it
    assert "PySide6.QtPdf" not in excluded  # the desk renders badge PDFs for label printers
    assert "reportlab" in collected  # loads its encodings and fonts by name


def test_the_bundle_ships_the_pdf_fonts_and_their_licence() -> None:
    fonts = ROOT / "resources" / "fonts"  # bundled with resources/ (checked above)
    for name in (*build_installer.PDF_FONT_FILES, "OFL.txt"):
        assert (fonts / name).stat().st_size > 0, name


def test_migrations_are_found_where_the_bundle_puts_them() -> None:
    # In the bundle db.py sits at _MEIPASS/desktop_app/store/, the data at .../migrations.
    assert Path(store_db.__file__).with_name("migrations") == store_db.MIGRATIONS_DIR
    assert (store_db.MIGRATIONS_DIR / "env.py").exists()
    assert list((store_db.MIGRATIONS_DIR / "versions").glob("0001_*.py"))


@pytest.mark.slow
def test_self_test_opens_the_main_window_and_exits_zero(tmp_path: Path) -> None:
    env = {**os.environ, "PADDOCK_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    db = tmp_path / "shop.sqlite"
    init = subprocess.run(
        [sys.executable, "-m", "desktop_app", "--db", str(db), "init", "--dealer-code",
         "SH-0021", "--dealer-name", "星辰汽车"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert init.returncode == 0, init.stderr
    r = subprocess.run(
        [sys.executable, "-m", "desktop_app", "--db", str(db), "--self-test"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert "self-test ok: main window painted and database attached" in r.stdout


@pytest.mark.slow
def test_the_built_bundle_passes_its_smoke_test() -> None:
    exe = build_installer.executable(onefile=False)
    if not os.environ.get("PADDOCK_TEST_BUNDLE") or not exe.exists():
        pytest.skip("run `python build_installer.py --smoke` (or set PADDOCK_TEST_BUNDLE=1)")
    build_installer.smoke(exe)
