"""Dealers' workbooks read and checked in a thread, a bounded number of rows ahead of
the one who uses them (`paddock hq load`).

Reading a workbook (calamine, then the contract's checks of every cell) is the loader's own
CPU work; the database's (COPY, upserts, commit) happens in the server. With the next
file read while the server works on this one, a load takes about the longer of the two
instead of their sum. At most AHEAD chunks of CHUNK rows wait in between, so memory does
not grow with the number or the size of the files.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_app.io import hq_workbook as hw
from desktop_app.services.hq_merge import digest

CHUNK = 1000
AHEAD = 8


@dataclass(frozen=True, slots=True)
class _Opened:  # a file checked and opened: its rows follow as _Rows, then _End
    index: int
    sha256: str
    meta: dict[str, Any]


@dataclass(frozen=True, slots=True)
class _Rows:
    sheet: str
    rows: list[tuple[Any, ...]]
    last: bool  # the sheet's last chunk


@dataclass(frozen=True, slots=True)
class _End:  # the file was read whole
    pass


@dataclass(frozen=True, slots=True)
class Refused:  # the file is not a valid HQ workbook (at once or midway): its last item
    index: int
    sha256: str | None
    error: str


class QueuedFile:
    """One file as the read-ahead hands it over: `meta`, then `rows(sheet)` sheet after
    sheet (a WorkbookReader's interface); a problem found midway raises the ContractError
    there. `close()` skips what is left of it."""

    def __init__(self, ahead: ReadAhead, path: Path, opened: _Opened) -> None:
        self.path = path
        self.meta = opened.meta
        self.sha256 = opened.sha256
        self._ahead = ahead
        self._index = opened.index
        self._done = False

    @property
    def dealer_code(self) -> str:
        return str(self.meta["dealer_code"])

    def rows(self, sheet: hw.Sheet) -> Iterator[tuple[Any, ...]]:
        while True:
            item = self._ahead._get()
            if isinstance(item, Refused):
                self._done = True
                raise hw.ContractError(item.error)
            assert isinstance(item, _Rows) and item.sheet == sheet.name, item
            yield from item.rows
            if item.last:
                return

    def close(self) -> None:
        """Drop the rest of this file (read or not), up to its end."""
        if self._done:
            return
        self._ahead._skip = self._index
        while not isinstance(self._ahead._get(), _End | Refused):
            pass
        self._done = True


class ReadAhead:
    """Reads `paths` in order in a thread; `next()` gives each in turn: a QueuedFile, or a
    Refused with the reason. Use as a context manager (the thread is stopped on exit)."""

    def __init__(self, paths: Sequence[Path]) -> None:
        self._paths = list(paths)
        self._q: queue.Queue[Any] = queue.Queue(maxsize=AHEAD)
        self._stop = threading.Event()
        self._skip = -1  # the index of a file the consumer drops (read no further)
        self._thread = threading.Thread(target=self._run, name="hq-read-ahead", daemon=True)

    def __enter__(self) -> ReadAhead:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()  # a put() waiting for room gives up within 0.1 s
        self._thread.join()

    def next(self) -> QueuedFile | Refused:
        """The next file: open (its rows to follow), or refused with the reason."""
        item = self._get()
        if isinstance(item, Refused):
            return item
        assert isinstance(item, _Opened), item
        return QueuedFile(self, self._paths[item.index], item)

    # ------------------------------------------------------------------ both sides

    def _get(self) -> Any:
        item = self._q.get()
        if isinstance(item, BaseException):  # the thread failed for a reason of its own
            raise item
        return item

    def _put(self, item: Any) -> bool:
        """False when the loader stopped (the thread should end)."""
        while not self._stop.is_set():
            try:
                self._q.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        try:
            for index, path in enumerate(self._paths):
                if not self._read(index, path):
                    return
        except BaseException as exc:
            self._put(exc)

    def _read(self, index: int, path: Path) -> bool:
        try:
            sha = digest(path)
        except OSError as exc:
            return self._put(Refused(index, None, f"cannot read the file ({exc.strerror})"))
        try:
            with hw.open_workbook(path) as reader:
                if not self._put(_Opened(index, sha, reader.meta)):
                    return False
                for sheet in hw.SHEETS:
                    chunk: list[tuple[Any, ...]] = []
                    for row in reader.rows(sheet):
                        chunk.append(row)
                        if len(chunk) == CHUNK:
                            if self._skip == index:
                                return self._put(_End())
                            if not self._put(_Rows(sheet.name, chunk, False)):
                                return False
                            chunk = []
                    if not self._put(_Rows(sheet.name, chunk, True)):
                        return False
        except hw.ContractError as exc:
            return self._put(Refused(index, sha, str(exc)))
        return self._put(_End())
