"""Files Paddock writes (ticket sheets, reports, receipts, vouchers) arrive whole, and
anyone the folder lets read them can: a print service, a colleague, HQ's share."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from desktop_app.io.atomic import write_atomically, write_bytes_atomically


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_written_file_gets_the_mode_of_any_new_file_not_the_temp_files_0600(
    tmp_path: Path,
) -> None:
    old = os.umask(0o022)
    try:
        sheet = write_bytes_atomically(tmp_path / "tickets.pdf", b"%PDF-1.7 ...")
        report = write_atomically(tmp_path / "report.xlsx", lambda t: t.write_bytes(b"PK"))
        os.umask(0o077)  # a user who keeps everything private gets that
        private = write_bytes_atomically(tmp_path / "copy.xlsx", b"PK")
    finally:
        os.umask(old)
    assert (_mode(sheet), _mode(report)) == (0o644, 0o644)
    assert _mode(private) == 0o600
    assert sheet.read_bytes() == b"%PDF-1.7 ..."


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path: Path) -> None:
    target = write_bytes_atomically(tmp_path / "out" / "receipt.png", b"old")

    def broken(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, broken)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in target.parent.iterdir()) == ["receipt.png"]
