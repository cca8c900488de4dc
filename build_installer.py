"""Build the Paddock desktop bundle with PyInstaller (one folder, or --onefile) and smoke-test it.

Usage:
    python build_installer.py                 # dist/paddock/ (one folder; fastest start-up)
    python build_installer.py --onefile       # dist/paddock[.exe] (one self-extracting file)
    python build_installer.py --smoke         # build, then run the built bundle's smoke test
    python build_installer.py --smoke-only    # smoke-test an existing build

Builds for the system it runs on: Linux here; run the same command on Windows (gets a
version resource and paddock.exe) and on macOS (Paddock.app with --windowed). See README.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent
BUILD = ROOT / "build" / "installer"
DIST = ROOT / "dist"
NAME = "paddock"
ICON_PNG = ROOT / "resources" / "icons" / "paddock.png"

# Qt modules the app never uses: leaving them out keeps the bundle ~half the size.
EXCLUDED_MODULES = [
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebEngineQuick",
    "PySide6.QtWebChannel",
    "PySide6.QtWebSockets",
    "PySide6.QtWebView",
    "PySide6.Qt3DCore",
    "PySide6.Qt3DRender",
    "PySide6.Qt3DInput",
    "PySide6.Qt3DLogic",
    "PySide6.Qt3DAnimation",
    "PySide6.Qt3DExtras",
    "PySide6.QtQuick",
    "PySide6.QtQuick3D",
    "PySide6.QtQuickWidgets",
    "PySide6.QtQuickControls2",
    "PySide6.QtQml",
    "PySide6.QtCharts",
    "PySide6.QtDataVisualization",
    "PySide6.QtGraphs",
    "PySide6.QtBluetooth",
    "PySide6.QtNfc",
    "PySide6.QtPositioning",
    "PySide6.QtLocation",
    "PySide6.QtSensors",
    "PySide6.QtSerialPort",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtDesigner",
    "PySide6.QtHelp",
    "PySide6.QtPdfWidgets",  # (QtPdf stays: the desk renders badge PDFs for label printers)
    "PySide6.QtRemoteObjects",
    "PySide6.QtScxml",
    "PySide6.QtStateMachine",
    "PySide6.QtTextToSpeech",
    "PySide6.QtHttpServer",
    "PySide6.QtSpatialAudio",
    "tkinter",
    "matplotlib",
    "IPython",
    "pytest",
    "hypothesis",
    "numpy.f2py",
]
# Loaded by name at run time (importlib; reportlab its encodings and fonts), so
# PyInstaller's import scan cannot see them.
COLLECT_SUBMODULES = ["desktop_app", "ui", "alembic", "sqlalchemy.dialects", "reportlab"]
HIDDEN_IMPORTS = ["psycopg", "psycopg_binary", "psycopg_binary.pq", "psycopg_binary._psycopg",
                  "sqlcipher3", "sqlcipher3.dbapi2"]  # fmt: skip
COLLECT_BINARIES = ["psycopg_binary", "zxingcpp", "sqlcipher3"]


def log(msg: str) -> None:
    print(f"[build] {msg}", flush=True)


def version() -> str:
    text = (ROOT / "desktop_app" / "__init__.py").read_text(encoding="utf-8")
    m = re.search(r'__version__\s*=\s*"([^"]+)"', text)
    return m.group(1) if m else "0.0.0"


def tool(name: str) -> str:
    local = Path(sys.executable).with_name(name + (".exe" if os.name == "nt" else ""))
    found = str(local) if local.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: pip install -e '.[dev]' first")
    return found


def compile_translations() -> list[Path]:
    """pyside6-lrelease every .ts so the bundle carries current .qm catalogues."""
    done = []
    for ts in sorted((ROOT / "resources" / "translations").glob("*.ts")):
        qm = ts.with_suffix(".qm")
        subprocess.run([tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)
        done.append(qm)
    log(f"translations compiled: {', '.join(p.name for p in done) or 'none'}")
    return done


def windows_version_file(path: Path) -> Path:
    """A VSVersionInfo resource (File > Properties > Details on Windows)."""
    parts = [int(x) for x in re.findall(r"\d+", version())[:4]]
    parts += [0] * (4 - len(parts))
    v = tuple(parts)
    path.write_text(
        f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={v}, prodvers={v}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('080404B0', [
      StringStruct('CompanyName', 'Paddock'),
      StringStruct('FileDescription', 'Paddock — owner community events for dealers'),
      StringStruct('FileVersion', '{version()}'),
      StringStruct('InternalName', 'paddock'),
      StringStruct('OriginalFilename', 'paddock.exe'),
      StringStruct('ProductName', 'Paddock'),
      StringStruct('ProductVersion', '{version()}')])]),
    VarFileInfo([VarStruct('Translation', [2052, 1200, 1033, 1200])])
  ]
)
""",
        encoding="utf-8",
    )
    return path


def pyinstaller_args(onefile: bool, windowed: bool) -> list[str]:
    sep = os.pathsep
    BUILD.mkdir(parents=True, exist_ok=True)
    entry = BUILD / "paddock_entry.py"
    entry.write_text(
        '"""Bundle entry point: the `paddock` command (no verb opens the app)."""\n'
        "import multiprocessing\n\n"
        "from desktop_app.cli import main\n\n"
        "if __name__ == '__main__':\n"
        "    multiprocessing.freeze_support()\n"
        "    raise SystemExit(main())\n",
        encoding="utf-8",
    )
    args = [
        str(entry),
        "--name",
        NAME,
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        str(DIST),
        "--workpath",
        str(BUILD / "work"),
        "--specpath",
        str(BUILD),
        "--paths",
        str(ROOT),
        "--onefile" if onefile else "--onedir",
        "--add-data",
        f"{ROOT / 'resources'}{sep}resources",
        # Alembic reads env.py and versions/*.py as files: ship them as data, at the path
        # store/db.py computes (MIGRATIONS_DIR next to the frozen db module).
        "--add-data",
        f"{ROOT / 'desktop_app' / 'store' / 'migrations'}{sep}desktop_app/store/migrations",
    ]
    if ICON_PNG.exists():  # Pillow converts the PNG to .ico / .icns where needed
        args += ["--icon", str(ICON_PNG)]
    if windowed:
        args.append("--windowed")
    if sys.platform == "win32":
        args += ["--version-file", str(windows_version_file(BUILD / "version_info.txt"))]
    if sys.platform == "darwin":
        args += ["--osx-bundle-identifier", "com.paddock.desktop"]
    for mod in COLLECT_SUBMODULES:
        args += ["--collect-submodules", mod]
    for mod in HIDDEN_IMPORTS:
        args += ["--hidden-import", mod]
    for mod in COLLECT_BINARIES:
        args += ["--collect-binaries", mod]
    for mod in EXCLUDED_MODULES:
        args += ["--exclude-module", mod]
    return args


def build(onefile: bool, windowed: bool) -> Path:
    compile_translations()
    started = time.monotonic()
    cmd = [sys.executable, "-m", "PyInstaller", *pyinstaller_args(onefile, windowed)]
    log("pyinstaller " + " ".join(cmd[3:6]) + " …")
    subprocess.run(cmd, check=True, cwd=ROOT)
    exe = executable(onefile)
    prune_qt(exe)
    log(
        f"built {exe} in {time.monotonic() - started:.0f} s; size {size_mb(bundle_root(exe)):.0f} MB"
    )
    return exe


def executable(onefile: bool) -> Path:
    suffix = ".exe" if sys.platform == "win32" else ""
    if onefile:
        return DIST / f"{NAME}{suffix}"
    if sys.platform == "darwin" and (DIST / f"{NAME}.app").exists():
        return DIST / f"{NAME}.app" / "Contents" / "MacOS" / NAME
    return DIST / NAME / f"{NAME}{suffix}"


def bundle_root(exe: Path) -> Path:
    return exe if exe.parent == DIST else exe.parent


def prune_qt(exe: Path) -> None:
    """Drop Qt translations for languages we do not ship (zh_CN and en stay)."""
    root = bundle_root(exe)
    if root.is_file():
        return
    for qm in root.rglob("PySide6/Qt/translations/*.qm"):
        if not re.search(r"_(zh_CN|en)\.qm$", qm.name):
            qm.unlink()
    # The virtual keyboard and the PDF image plugin are not used. (libQt6Pdf stays: badges.
    # Qml/Quick stay: the FFmpeg multimedia plugin, used for sounds and the camera, needs them.)
    for pattern in (
        "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.*",
        "PySide6/Qt/lib/libQt6VirtualKeyboard*",
        "PySide6/Qt/plugins/imageformats/libqpdf.*",
    ):
        for path in root.rglob(pattern):
            path.unlink()


def size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    files = (p for p in path.rglob("*") if p.is_file() and not p.is_symlink())
    return sum(p.stat().st_size for p in files) / 1e6


# --- smoke test --------------------------------------------------------------------------


class SmokeFailed(Exception):
    pass


PDF_FONT_FILES = ("NotoSansSC-TT-Regular.ttf", "NotoSansSC-TT-Bold.ttf")


def check_pdfs(paddock: Any, event_id: str, home: Path) -> None:
    """Ticket sheet and badges from the bundle: the shipped font is embedded (a subset
    with a Unicode map), so the PDFs read the same everywhere (docs/pdf.md)."""
    _, out = paddock("tickets", event_id, "--out", str(home / "t"), "--per-page", "4", "--json")
    sheet = Path(json.loads(out)["files"][0])
    _, out = paddock("badges", event_id, "--out", str(home / "badges.pdf"), "--json")
    for pdf in (sheet, Path(json.loads(out)["file"])):
        data = pdf.read_bytes()
        if not (b"/FontFile2" in data and b"NotoSansCJKsc" in data and b"/ToUnicode" in data):
            raise SmokeFailed(f"{pdf.name}: the Chinese font is not embedded")
    log("  ticket sheet and badges: vector PDFs with the shipped font embedded")


def smoke(exe: Path) -> None:
    """Run the BUILT bundle offscreen on a temp database: init, event, scan, GUI self-test."""
    if not exe.exists():
        raise SmokeFailed(f"no bundle at {exe}: build first")
    home = Path(tempfile.mkdtemp(prefix="paddock-smoke-"))
    env = {
        **os.environ,
        "PADDOCK_HOME": str(home),
        "PADDOCK_LANG": "en",
        "QT_QPA_PLATFORM": "offscreen",
    }
    env.pop("PADDOCK_DB", None)
    db = home / "smoke.sqlite"
    started = time.monotonic()

    def paddock(*argv: str, ok: tuple[int, ...] = (0,)) -> tuple[int, str]:
        t = time.monotonic()
        r = subprocess.run(
            [str(exe), "--db", str(db), *argv],
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=180,
        )
        log(f"  paddock {' '.join(argv)[:70]} → exit {r.returncode} ({time.monotonic() - t:.1f} s)")
        if r.returncode not in ok:
            raise SmokeFailed(
                f"`paddock {' '.join(argv)}` exited {r.returncode}\n{r.stdout}\n{r.stderr}"
            )
        return r.returncode, r.stdout

    try:
        log(f"smoke test of {exe} (PADDOCK_HOME={home})")
        _, out = paddock("--version")
        log(f"  {out.strip()}")
        _, out = paddock(
            "init", "--dealer-code", "SMOKE-01", "--dealer-name", "冒烟测试店", "--json"
        )
        if json.loads(out).get("code") != "SMOKE-01":
            raise SmokeFailed(f"init did not return the dealer: {out}")
        # Starts within the hour in the dealer's time zone: the check-in window is open now.
        local = datetime.now(ZoneInfo("Asia/Shanghai")).replace(second=0, microsecond=0)
        starts, ends = local + timedelta(minutes=30), local + timedelta(hours=4)
        _, out = paddock(
            "event",
            "add",
            "--type",
            "open_day",
            "--title",
            "安装检查开放日",
            "--starts",
            f"{starts:%Y-%m-%dT%H:%M}",
            "--ends",
            f"{ends:%Y-%m-%dT%H:%M}",
            "--capacity",
            "50",
            "--venue",
            "展厅",
            "--publish",
            "--json",
        )
        event = json.loads(out)
        if event.get("status") != "published":
            raise SmokeFailed(f"event not published: {out}")
        _, helptext = paddock("--help")
        if re.search(r"\bcheckin\b", helptext) and re.search(r"\bregister\b", helptext):
            _, out = paddock(
                "register", event["id"], "--phone", "13912345678", "--name", "王小明", "--json"
            )
            code = json.loads(out)["ticket_code"]
            _, out = paddock("checkin", event["id"], code, "--json")
            if json.loads(out).get("result") != "accepted":
                raise SmokeFailed(f"scan not accepted: {out}")
            _, out = paddock("checkin", event["id"], code, "--json", ok=(3,))
            if json.loads(out).get("result") != "already_checked_in":
                raise SmokeFailed(f"second scan not refused: {out}")
            log("  scan through the CLI entry point: accepted, then already_checked_in")
            check_pdfs(paddock, event["id"], home)
        else:
            log("  SKIPPED the scan: this build has no `register`/`checkin` verbs yet")
        _, out = paddock("backup", "--json")
        if not Path(json.loads(out)["path"]).exists():
            raise SmokeFailed(f"backup file missing: {out}")
        _, out = paddock("--self-test")
        log(f"  {out.strip()}")
        # Again in Chinese: proves the .qm catalogues and CJK text made it into the bundle.
        env.update(LANG="zh_CN.UTF-8", LC_ALL="zh_CN.UTF-8", PADDOCK_LANG="zh")
        _, out = paddock("--self-test")
        log(f"  {out.strip()}")
        if "language zh" not in out or " 0 translators" in out:
            raise SmokeFailed(f"the Chinese catalogue did not load in the bundle: {out}")
        log(f"smoke test passed in {time.monotonic() - started:.1f} s")
    finally:
        shutil.rmtree(home, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--onefile", action="store_true", help="one self-extracting executable")
    p.add_argument(
        "--windowed",
        action="store_true",
        help="no console window (Windows/macOS GUI-only build; CLI output is then hidden)",
    )
    p.add_argument("--smoke", action="store_true", help="after building, smoke-test the bundle")
    p.add_argument("--smoke-only", action="store_true", help="smoke-test an existing build")
    args = p.parse_args(argv)
    log(
        f"Paddock {version()} on {platform.system()} {platform.machine()}, Python {sys.version.split()[0]}"
    )
    exe = executable(args.onefile) if args.smoke_only else build(args.onefile, args.windowed)
    if args.smoke or args.smoke_only:
        try:
            smoke(exe)
        except (SmokeFailed, subprocess.TimeoutExpired, json.JSONDecodeError, KeyError) as exc:
            log(f"SMOKE TEST FAILED: {exc}")
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
