"""Cold start: launch to the first painted main window, against a bare QApplication with an
empty QMainWindow. Each launch is a fresh interpreter (nothing cached in-process); medians."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import Figure, median

ROOT = Path(__file__).resolve().parent.parent

# Both children print "painted" on the window's first Paint event, then quit.
_PAINT_HOOK = """
from PySide6.QtCore import QEvent, QObject, QTimer
class _FirstPaint(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint:
            print("painted", flush=True)
            if QUIT_ON_PAINT:
                QTimer.singleShot(0, app.quit)
            obj.removeEventFilter(self)
        return False
hook = _FirstPaint()
"""

BARE = (
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "app = QApplication([])\n"
    "QUIT_ON_PAINT = True\n"
    + _PAINT_HOOK
    + "w = QMainWindow()\nw.resize(1280, 800)\nw.installEventFilter(hook)\nw.show()\napp.exec()\n"
)

PADDOCK = (
    "import sys\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "app = QApplication([])\n"
    "QUIT_ON_PAINT = False  # keep going until the database is attached\n"
    + _PAINT_HOOK
    + "_show = QMainWindow.show\n"
    "def _show_hooked(self):\n"
    "    self.installEventFilter(hook)\n"
    "    _show(self)\n"
    "QMainWindow.show = _show_hooked\n"
    "from ui.app import start\n"
    "app2, window, code = start(sys.argv[1])\n"
    "def _ready():\n"
    "    print('ready', flush=True)\n"
    "    app.quit()\n"
    "window.ready.connect(_ready)\n"
    "app.exec()\n"
)


def _launch(code: str, env: dict[str, str], *args: str) -> tuple[float, float]:
    """Milliseconds from launch to the first paint, and to "ready" (0 if never said)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    painted = ready = 0.0
    for line in proc.stdout:
        word = line.strip()
        if word == "painted" and not painted:
            painted = (time.perf_counter() - t0) * 1000
        elif word == "ready":
            ready = (time.perf_counter() - t0) * 1000
    proc.wait(timeout=60)
    if not painted:
        raise RuntimeError("the child never painted its window")
    return painted, ready


def _prepare(home: Path) -> str:
    """A database with a dealer and the demo data, as after a first run."""
    env_home = os.environ.get("PADDOCK_HOME")
    os.environ["PADDOCK_HOME"] = str(home)
    try:
        from desktop_app.services.demo import fill_demo
        from desktop_app.store.db import open_database

        path = home / "paddock.sqlite"
        db = open_database(str(path))
        fill_demo(db)
        db.close()
        return str(path)
    finally:
        if env_home is None:
            os.environ.pop("PADDOCK_HOME", None)
        else:
            os.environ["PADDOCK_HOME"] = env_home


def run(quick: bool = False) -> list[Figure]:
    runs = 3 if quick else 7
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        db_path = _prepare(home)
        env = dict(os.environ, PADDOCK_HOME=str(home), QT_QPA_PLATFORM="offscreen")
        env.setdefault("PYTHONPATH", str(ROOT))
        _launch(BARE, env)  # warm the OS file cache for both, as a second start would be
        _launch(PADDOCK, env, db_path)
        bare, app, ready = [], [], []
        for _ in range(runs):  # interleaved, so background load hits both alike
            bare.append(_launch(BARE, env)[0])
            painted, done = _launch(PADDOCK, env, db_path)
            app.append(painted)
            ready.append(done)
    return [
        Figure(
            "start-up to first painted main window",
            median(app),
            median(bare),
            max_ratio=1.5,
            note=f"median of {runs}; baseline: bare QApplication + empty QMainWindow",
        ),
        Figure(
            "start-up until the database is open and the page built",
            median(ready),
            median(bare),
            note="informative: the window shows 'Opening the database…' until then",
        ),
    ]


if __name__ == "__main__":
    for f in run():
        print(f)
