"""Files are written whole or not at all: to a temp name in the same folder, then renamed."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def _umask() -> int:
    """The process's umask, read without changing it (os.umask sets it while it reads, a
    moment another thread could create a file in)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def write_atomically(path: Path, write: Callable[[Path], None]) -> Path:
    """Call `write(tmp)` with a temp file next to `path`, then rename it over `path`.

    A crash, an error or a cancel (any exception) leaves no half file and no temp file;
    the folder is created when missing. The file gets the mode any new file gets (0644
    under the usual umask), not the temp file's private 0600: a ticket sheet or a report
    is made to be opened by a print service or a colleague."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def write_bytes_atomically(path: Path, data: bytes) -> Path:
    """`data` as the whole of `path`, written atomically (write_atomically)."""
    return write_atomically(path, lambda tmp: tmp.write_bytes(data))
