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

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QFileInfo
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QFileDialog, QFileIconProvider, QHeaderView, QTreeView, QWidget

from ui.widgets.screen_fit import resize_within_screen

# Two labels of Qt's own dialog that Qt's Chinese catalogue lacks (their source text
# gained an "&" in Qt 6, the catalogue kept the old one): ours carries them, in Qt's
# context, so the dialog says 查找范围 / 文件类型 instead of "Look in:" / "Files of type:".
QT_LABELS = (
    QT_TRANSLATE_NOOP("QFileDialog", "&Look in:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:"),
)


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
    dialog = QFileDialog(parent, caption, "", filters)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    provider = NamesOnly()
    dialog.setIconProvider(provider)
    # the folder only now: listed before, its first rows were named by Qt's own provider
    where = QFileInfo(directory)
    if directory and not where.isDir():  # a suggested file: its folder, its name selected
        dialog.setDirectory(where.absolutePath())
        dialog.selectFile(where.fileName())
    elif directory:
        dialog.setDirectory(directory)
    _fit_columns(dialog)
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


def _fit_columns(dialog: QFileDialog) -> None:
    """Size, type and date shown whole ("7 12 2…" in a Chinese date was cut off): those
    columns fit their text, the name takes the rest; the dialog opens large enough."""
    resize_within_screen(dialog, 920, 560)
    for view in dialog.findChildren(QTreeView):
        header = view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, header.count()):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)


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
