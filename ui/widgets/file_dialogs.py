"""Open and save dialogs that never open the files they list.

Qt's own file dialog reads the start of every file it lists to guess its type and icon.
In the folder of a SQLite database that includes the database and its -wal and -shm
files, and on Linux and macOS closing those reads drops every POSIX lock this process
holds on them (locks belong to the process, not to the file handle). Another desk or a
`paddock` command on the same file then takes itself for the database's last user when
it closes, checkpoints and deletes the -wal and -shm — and every later save of this app
goes into a deleted file and is lost (found by a tester; reproduced in
tests/ui/test_file_dialogs.py). These dialogs name a file's type from its name only.

Windows keeps its native dialog: its locks belong to the handle, so nothing is dropped.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QFileInfo
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QFileDialog, QFileIconProvider, QWidget


class NamesOnly(QFileIconProvider):
    """Types and icons from the name alone: a folder or an "XLSX file"."""

    def type(self, info: QFileInfo) -> str:  # Qt override
        if info.isDir():
            return QCoreApplication.translate("FileDialogs", "Folder")
        suffix = info.suffix().upper()
        if not suffix:
            return QCoreApplication.translate("FileDialogs", "File")
        return QCoreApplication.translate("FileDialogs", "%1 file").replace("%1", suffix)

    def icon(self, what: object) -> QIcon:  # Qt override (IconType or QFileInfo)
        if isinstance(what, QFileInfo):
            kind = (
                QFileIconProvider.IconType.Folder
                if what.isDir()
                else QFileIconProvider.IconType.File
            )
            return super().icon(kind)
        return super().icon(what)  # type: ignore[arg-type]


def _ask(
    parent: QWidget | None, caption: str, directory: str, filters: str, save: bool
) -> tuple[str, str]:
    if sys.platform == "win32":  # the native dialog: Windows locks belong to the handle
        native = QFileDialog.getSaveFileName if save else QFileDialog.getOpenFileName
        return native(parent, caption, directory, filters)
    dialog = QFileDialog(parent, caption, directory, filters)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    provider = NamesOnly()
    dialog.setIconProvider(provider)
    if save:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    else:
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    try:
        if not dialog.exec():
            return "", ""
        files = dialog.selectedFiles()
        return (files[0] if files else ""), dialog.selectedNameFilter()
    finally:
        dialog.deleteLater()


def get_save_file_name(
    parent: QWidget | None = None, caption: str = "", directory: str = "", filters: str = ""
) -> tuple[str, str]:
    """QFileDialog.getSaveFileName that leaves the listed files alone: (path, filter)."""
    return _ask(parent, caption, directory, filters, save=True)


def get_open_file_name(
    parent: QWidget | None = None, caption: str = "", directory: str = "", filters: str = ""
) -> tuple[str, str]:
    """QFileDialog.getOpenFileName that leaves the listed files alone: (path, filter)."""
    return _ask(parent, caption, directory, filters, save=False)
