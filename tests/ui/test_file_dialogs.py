"""Saving a report into the folder of the desk's SQLite database must not cost the desk its
later saves. Qt's own dialog read every listed file to guess its type; closing those reads
dropped this process's POSIX locks on the database, its -wal and -shm, so the next other
program to close the database (a second desk, a `paddock` command) deleted the -wal and
-shm, and this app's later saves went into a deleted file (a tester lost a voucher and a
partner that way)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QFileInfo, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit

from ui.widgets.file_dialogs import NamesOnly, get_open_file_name, get_save_file_name


def _other_program_opens_and_closes(db: Path) -> None:
    code = f"import sqlite3; c = sqlite3.connect({str(db)!r}); c.execute('SELECT count(*) FROM t').fetchone(); c.close()"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def _rows_another_program_sees(db: Path) -> int:
    code = (
        f"import sqlite3; print(sqlite3.connect({str(db)!r})"
        ".execute('SELECT count(*) FROM t').fetchone()[0])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    return int(out.stdout)


def _close_the_dialog_when_shown(qtbot: Any, answer: Callable[[QFileDialog], None]) -> None:
    def later() -> None:
        dialog = next(
            (
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, QFileDialog) and w.isVisible()
            ),
            None,
        )
        if dialog is None:
            QTimer.singleShot(50, later)
            return
        t0 = time.monotonic()  # let the dialog list the folder first, as a user would
        while time.monotonic() - t0 < 2.0:
            QApplication.processEvents()
        answer(dialog)

    QTimer.singleShot(50, later)


@pytest.mark.skipif(sys.platform == "win32", reason="Windows keeps its native dialog")
def test_a_save_dialog_over_the_database_folder_keeps_the_desks_later_saves(
    qtbot: Any, tmp_path: Path
) -> None:
    db = tmp_path / "shop.sqlite"
    desk = sqlite3.connect(db, isolation_level=None)
    desk.execute("PRAGMA journal_mode=WAL")
    desk.execute("CREATE TABLE t (x)")
    desk.execute("INSERT INTO t VALUES (1)")
    _close_the_dialog_when_shown(qtbot, lambda d: d.reject())
    assert get_save_file_name(None, "Export report", str(tmp_path), "Excel (*.xlsx)") == ("", "")
    _other_program_opens_and_closes(db)
    desk.execute("INSERT INTO t VALUES (2)")  # a save after the dialog
    assert (tmp_path / "shop.sqlite-wal").exists()
    assert _rows_another_program_sees(db) == 2
    desk.close()


def test_the_dialogs_answer_with_the_chosen_file(qtbot: Any, tmp_path: Path) -> None:
    existing = tmp_path / "名单.xlsx"
    existing.write_bytes(b"PK")

    def choose(name: str) -> Callable[[QFileDialog], None]:
        def answer(dialog: QFileDialog) -> None:
            dialog.findChild(QLineEdit, "fileNameEdit").setText(name)  # typed, then OK
            dialog.accept()

        return answer

    _close_the_dialog_when_shown(qtbot, choose("名单.xlsx"))
    path, _ = get_open_file_name(None, "Import", str(tmp_path), "Excel (*.xlsx)")
    assert Path(path) == existing
    _close_the_dialog_when_shown(qtbot, choose("report.pdf"))
    path, _ = get_save_file_name(None, "Export", str(tmp_path), "PDF (*.pdf)")
    assert Path(path) == tmp_path / "report.pdf"


def test_types_come_from_names_only(tmp_path: Path) -> None:
    wal = tmp_path / "shop.sqlite-wal"
    wal.write_bytes(b"\x37\x7f\x06\x82")
    provider = NamesOnly()
    assert provider.type(QFileInfo(str(wal))) == "SQLITE-WAL file"
    assert provider.type(QFileInfo(str(tmp_path / "report.xlsx"))) == "XLSX file"


def test_a_chinese_save_dialog_speaks_chinese_and_offers_the_suggested_name(
    qtbot: Any, tmp_path: Path
) -> None:
    """Qt's catalogue lacks "&Look in:" and "Files of &type:" (a tester saw them in English
    in the Chinese dialog): ours carries them. The suggested name is already typed in."""
    from PySide6.QtWidgets import QLabel

    from ui.app import install_translators

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    seen: dict[str, object] = {}

    def look(dialog: QFileDialog) -> None:
        seen["labels"] = {w.text() for w in dialog.findChildren(QLabel)}
        seen["name"] = dialog.findChild(QLineEdit, "fileNameEdit").text()
        seen["folder"] = dialog.directory().absolutePath()
        dialog.reject()

    translators = install_translators(app, "zh")
    try:
        _close_the_dialog_when_shown(qtbot, look)
        get_save_file_name(None, "导出报表", str(tmp_path / "月报.xlsx"), "Excel (*.xlsx)")
    finally:
        for tr in translators:
            app.removeTranslator(tr)
    labels = seen["labels"]
    assert isinstance(labels, set)
    assert {"查找范围(&L)：", "文件类型(&T)："} <= labels
    assert not {"&Look in:", "Files of &type:"} & labels
    assert seen["name"] == "月报.xlsx" and seen["folder"] == str(tmp_path)
