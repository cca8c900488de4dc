"""A real X server for end-to-end tests: Xvfb (its own display, from -displayfd), an
optional window manager (openbox), xdotool for the keyboard, fcitx5 for a Chinese input
method, and the real `paddock` process.

xdotool types through XTEST the way a USB HID device does: a Shift press and release
around every capital, NumLock around keypad digits, each key stamped by the X server.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

TOOLS = ("Xvfb", "xdotool")
SCREEN = "1366x768x24"


def require_tools(*extra: str) -> None:
    """Skip (with the reason) where the X tools are missing; ./scripts/run-tests installs
    them and sets PADDOCK_REQUIRE_X11=1, which turns a missing tool into a failure."""
    missing = [t for t in (*TOOLS, *extra) if shutil.which(t) is None]
    if missing:
        why = f"not installed: {', '.join(missing)} (./scripts/run-tests installs them)"
        if os.environ.get("PADDOCK_REQUIRE_X11") == "1":
            pytest.fail(why)
        pytest.skip(why)


def wait_for(check: Callable[[], object], timeout: float = 15.0, what: str = "condition") -> object:
    """Poll `check` until it returns something true; the value, or TimeoutError."""
    end = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > end:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)


class XDisplay:
    """Xvfb on a free display (-displayfd: two helpers or two desks never collide)."""

    def __init__(self, tmp: Path, *, window_manager: bool = True, screen: str = SCREEN) -> None:
        self.tmp = tmp
        self.screen = screen
        self.procs: list[subprocess.Popen[bytes]] = []
        # Several test runs share this machine's /tmp/.X11-unix: a display number Xvfb
        # reports may turn out unreachable (a socket or lock file another run removed),
        # also after it first answered (openbox then cannot open it). Only a server that
        # answers, with its window manager running, is used; else a new one is started.
        self.window_manager = window_manager
        for attempt in range(3):
            self.xvfb, number = self._start_xvfb(screen, attempt)
            self.name = f":{number}"
            self.env = {
                **{
                    k: v
                    for k, v in os.environ.items()
                    if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")
                },
                "DISPLAY": self.name,
                "QT_QPA_PLATFORM": "xcb",
            }
            try:
                wait_for(self._answers, 20, f"Xvfb on {self.name}")
                if window_manager:
                    wm = self.spawn(["openbox", "--sm-disable"], "openbox")
                    wait_for(lambda wm=wm: self._wm_running(wm), 30, "openbox")
                break
            except TimeoutError:
                self.close()
                self.procs = []
        else:
            raise RuntimeError("no Xvfb with openbox answered: " + (tmp / "xvfb.log").read_text())

    def _start_xvfb(self, screen: str, attempt: int) -> tuple[subprocess.Popen[bytes], int]:
        read, write = os.pipe()
        log = (self.tmp / "xvfb.log").open("ab")
        log.write(f"--- attempt {attempt + 1}\n".encode())
        log.flush()
        # -noreset: by default the server resets when its last client leaves, and a client
        # connecting at that moment is dropped ("could not connect to display"). A display
        # without a window manager (the two-desk test) resets after every xdotool call, and
        # a desk started then died at start-up (measured: 2 of 400 concurrent connects).
        argv = ["Xvfb", "-displayfd", str(write), "-screen", "0", screen, "-nolisten", "tcp"]
        proc = subprocess.Popen(
            [*argv, "-noreset"],
            pass_fds=(write,),
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        os.close(write)
        number = b""
        end = time.monotonic() + 15
        while not number.endswith(b"\n"):
            ready, _, _ = select.select([read], [], [], max(0.0, end - time.monotonic()))
            chunk = os.read(read, 16) if ready else b""
            if not chunk:
                proc.kill()
                raise RuntimeError("Xvfb did not start: " + (self.tmp / "xvfb.log").read_text())
            number += chunk
        os.close(read)
        return proc, int(number)

    def _answers(self) -> bool:
        """Our Xvfb is alive and the display answers with the screen it was given."""
        if self.xvfb.poll() is not None:
            raise TimeoutError("Xvfb exited")
        out = self.run(["xdotool", "getdisplaygeometry"], check=False)
        return out.returncode == 0 and out.stdout.split() == self.screen.split("x")[:2]

    def _wm_running(self, wm: subprocess.Popen[bytes]) -> bool:
        if wm.poll() is not None:  # e.g. "Failed to open the display": try another server
            raise TimeoutError("openbox exited")
        return self.run(["xdotool", "get_num_desktops"], check=False).returncode == 0

    def spawn(
        self, argv: Sequence[str], log: str, env: dict[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(
            list(argv),
            env=env or self.env,
            stdout=(self.tmp / f"{log}.out").open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs.append(proc)
        return proc

    def run(self, argv: Sequence[str], check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            list(argv), env=self.env, check=check, capture_output=True, text=True, timeout=60
        )

    # ------------------------------------------------------------------ keyboard
    def xdotool(self, *args: str) -> None:
        # a scanner is hardware that keeps its pace; xdotool is a process that a loaded CI
        # machine may stall mid-burst. Where we may (root), it gets the CPU first.
        boost = ["nice", "-n", "-10"] if os.geteuid() == 0 and shutil.which("nice") else []
        self.run([*boost, "xdotool", *args])

    def type(self, text: str, ms_per_key: int) -> None:
        """`xdotool type`: what a keyboard-wedge scanner (or a person) sends, `ms_per_key`
        apart. xdotool's `type --delay` waits half its value between keys (measured on
        Debian 12's 3.20160805: --delay 300 → 150 ms a key), `key --delay` the whole."""
        self.xdotool("type", "--delay", str(2 * ms_per_key), text)

    def key(self, *keys: str, delay_ms: int = 12) -> None:
        self.xdotool("key", "--delay", str(delay_ms), *keys)

    def active_window_name(self) -> str:
        """The window that gets the keys (the window manager's active one, if there is one)."""
        which = "getactivewindow" if self.window_manager else "getwindowfocus"
        return self.run(["xdotool", which, "getwindowname"], check=False).stdout.strip()

    def focus(self, window: str) -> None:
        which = "windowactivate" if self.window_manager else "windowfocus"
        self.xdotool(which, "--sync", window)

    def window_geometry(self, pattern: str) -> tuple[int, int]:
        out = self.run(
            ["xdotool", "search", "--onlyvisible", "--name", pattern, "getwindowgeometry"]
        ).stdout
        m = re.search(r"Geometry: (\d+)x(\d+)", out)
        assert m, out
        return int(m.group(1)), int(m.group(2))

    def close(self) -> None:
        for proc in reversed([*self.procs, self.xvfb]):
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    if proc is self.xvfb:
                        proc.terminate()
                    else:
                        os.killpg(proc.pid, signal.SIGTERM)  # its own session: children too
        for proc in [*self.procs, self.xvfb]:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


class InputMethod:
    """fcitx5 with pinyin, switched on, reached by Qt through its IBus portal.

    PySide6's wheel carries Qt's ibus input-context plugin, not fcitx5's (a plugin built
    for Debian's Qt does not load into another Qt); fcitx5's ibusfrontend answers as
    org.freedesktop.portal.IBus on the session bus, which Qt uses with IBUS_USE_PORTAL=1.
    """

    def __init__(self, display: XDisplay) -> None:
        require_tools("fcitx5", "dbus-daemon", "dbus-send")
        self.display = display
        root = display.tmp / "fcitx5"
        conf = root / "config" / "fcitx5"
        conf.mkdir(parents=True)
        (conf / "profile").write_text(
            "[Groups/0]\nName=Default\nDefault Layout=us\nDefaultIM=pinyin\n\n"
            "[Groups/0/Items/0]\nName=keyboard-us\nLayout=\n\n"
            "[Groups/0/Items/1]\nName=pinyin\nLayout=\n\n[GroupOrder]\n0=Default\n"
        )
        (conf / "config").write_text("[Behavior]\nActiveByDefault=True\nShareInputState=All\n")
        root.chmod(0o700)
        env = {
            **display.env,
            "XDG_CONFIG_HOME": str(root / "config"),
            "XDG_DATA_HOME": str(root / "data"),
            "XDG_RUNTIME_DIR": str(root),
            "HOME": str(root),
        }
        bus = subprocess.run(
            ["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout.split()
        self.bus_address, self.bus_pid = bus[0], int(bus[1])
        self.env = {**env, "DBUS_SESSION_BUS_ADDRESS": self.bus_address}
        display.spawn(["fcitx5", "--disable=wayland,waylandim"], "fcitx5", env=self.env)
        # ask the bus, not fcitx5: a call to fcitx5 before it owns its name would make
        # dbus-daemon start a second one (D-Bus activation) and ours would give up
        wait_for(lambda: self._owned("org.freedesktop.portal.IBus"), 40, "fcitx5's IBus portal")
        # what the app needs to talk to it: Qt's ibus plugin through the portal
        self.app_env = {
            "DBUS_SESSION_BUS_ADDRESS": self.bus_address,
            "QT_IM_MODULE": "ibus",
            "IBUS_USE_PORTAL": "1",
        }

    def _owned(self, name: str) -> bool:
        out = subprocess.run(
            ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
             "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", f"string:{name}"],
            env=self.env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        return "boolean true" in out.stdout

    def state(self) -> str:
        """fcitx5-remote: 2 = composing Chinese (pinyin active), 1 = English."""
        return subprocess.run(
            ["fcitx5-remote"], env=self.env, capture_output=True, text=True, check=False
        ).stdout.strip()

    def activate(self) -> None:
        subprocess.run(["fcitx5-remote", "-o"], env=self.env, check=False)

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.bus_pid, signal.SIGTERM)


def paddock_command() -> list[str]:
    """The installed `paddock` script next to this interpreter (the real entry point)."""
    script = Path(sys.executable).with_name("paddock")
    return [str(script)] if script.exists() else [sys.executable, "-m", "desktop_app"]


class PaddockApp:
    """`paddock --db URL` on a display, with its own settings folder (PADDOCK_HOME)."""

    MAIN = r"^Paddock — "
    DESK = r"^(Check-in desk|签到台)"

    def __init__(
        self,
        display: XDisplay,
        db_url: str,
        home: Path,
        *,
        lang: str = "en",
        desk: str = "1",
        settings: dict[str, str] | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.display = display
        (home / "config").mkdir(parents=True, exist_ok=True)
        lines = {"ui/language": lang, "window/page": "checkin", "desk/name": desk,
                 "desk/sounds": "false", **(settings or {})}  # fmt: skip
        ini: dict[str, list[str]] = {}
        for key, value in lines.items():
            group, name = key.split("/", 1)
            ini.setdefault(group, []).append(f"{name}={value}")
        (home / "config" / "paddock.ini").write_text(
            "".join(f"[{g}]\n" + "\n".join(v) + "\n\n" for g, v in ini.items()), encoding="utf-8"
        )
        app_env = {**display.env, "PADDOCK_HOME": str(home), **(env or {})}
        app_env.pop("PADDOCK_DB", None)
        self.proc = display.spawn([*paddock_command(), "--db", db_url], f"paddock-{desk}", app_env)
        self.log = display.tmp / f"paddock-{desk}.out"
        self.app_log = home / "logs" / "paddock.log"  # desktop_app/logging_setup.py

    def _alive(self) -> None:
        if self.proc.poll() is not None:
            log = Path(self.log).read_text(errors="replace")[-2000:]
            raise AssertionError(f"paddock exited with {self.proc.returncode}:\n{log}")

    def logged(self, text: str) -> int:
        """How many lines of the app's log file contain `text`."""
        if not self.app_log.exists():
            return 0
        return sum(text in line for line in self.app_log.read_text("utf-8").splitlines())

    def wait_logged(self, text: str, times: int = 1, timeout: float = 60) -> None:
        """Until the app has logged `text` `times` times: the desk logs each step it took
        (ui/views/desk.py), so a test waits for the step, not for a guessed time."""

        def done() -> bool:
            self._alive()
            return self.logged(text) >= times

        wait_for(done, timeout, f"the desk to log {text!r} ({times}x)")

    def wait_window(self, pattern: str, timeout: float = 60) -> str:
        def found() -> str:
            self._alive()
            out = self.display.run(
                ["xdotool", "search", "--onlyvisible", "--name", pattern], check=False
            ).stdout.split()
            return out[0] if out else ""

        return str(wait_for(found, timeout, f"a window named {pattern!r}"))

    def start_desk(self) -> None:
        """Check-in page (opened on start) → Ctrl+Enter starts the desk; wait until it has focus."""
        main = self.wait_window(self.MAIN, 60)
        self.display.focus(main)
        self.display.key("ctrl+Return")
        self.wait_window(self.DESK)
        wait_for(
            lambda: re.match(self.DESK, self.display.active_window_name()), 30, "the desk's focus"
        )
        self.wait_logged("listening for scans")  # its scanner filter is on, focus in place

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
