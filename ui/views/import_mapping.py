"""Step 2 of the import wizard: the guessed column mapping, editable per column, and the
first rows as they would be imported."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.phone import display_phone
from desktop_app.io.mapping import column_letter
from desktop_app.services import people_import
from ui import labels

PREVIEW_COLUMNS = ("name", "phone", "stage", "vin", "plate", "model")


class MappingStep(QWidget):
    remapped = Signal(object)  # {field: column or None} after the user changed a combo box
    sheet_chosen = Signal(str)  # the user picked another sheet of the workbook

    def __init__(self, parent: QWidget | None = None, language: str = "en") -> None:
        super().__init__(parent)
        self.language = language  # for the reasons a row was rejected
        self.combos: list[QComboBox] = []
        self.sheet = QComboBox()  # shown only for workbooks with several sheets
        self.sheet_label = QLabel(self.tr("Sheet:"))
        self.sheet.activated.connect(lambda _i: self.sheet_chosen.emit(self.sheet.currentText()))
        self.info = QLabel()
        self.info.setObjectName("mappingInfo")
        self.info.setWordWrap(True)
        self.columns = QTableWidget(0, 3)
        self.columns.setHorizontalHeaderLabels(
            [self.tr("Column in the file"), self.tr("Import as"), self.tr("First values")]
        )
        self.columns.verticalHeader().hide()
        self.columns.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.columns.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.rows = QTableWidget(0, len(PREVIEW_COLUMNS) + 2)
        self.rows.verticalHeader().hide()
        self.rows.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.rows.horizontalHeader().setStretchLastSection(True)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.remap_timer = QTimer(self)
        self.remap_timer.setSingleShot(True)
        self.remap_timer.setInterval(300)
        self.remap_timer.timeout.connect(lambda: self.remapped.emit(self.chosen_mapping()))
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.columns)
        split.addWidget(self.rows)
        box = QVBoxLayout(self)
        box.addWidget(heading(self.tr("2. Check the columns")))
        sheet_row = QHBoxLayout()
        sheet_row.addWidget(self.sheet_label)
        sheet_row.addWidget(self.sheet)
        sheet_row.addStretch(1)
        box.addLayout(sheet_row)
        box.addWidget(self.info)
        box.addWidget(split, 1)
        box.addWidget(self.error)

    def fill_columns(self, preview: Any, samples: list[list[str]]) -> None:
        """One line per column of the file: its header, a combo box, its first values."""
        self.sheet.clear()
        self.sheet.addItems(list(preview.sheets))
        self.sheet.setCurrentText(preview.sheet or "")
        several = len(preview.sheets) > 1
        self.sheet.setVisible(several)
        self.sheet_label.setVisible(several)
        by_column = {col: key for key, col in preview.mapping.items()}
        self.columns.setRowCount(len(preview.headers))
        self.combos = []
        for col, header in enumerate(preview.headers):
            name = f"{column_letter(col)} · {header}" if header else column_letter(col)
            self.columns.setItem(col, 0, readonly_item(name))
            combo = QComboBox()
            combo.addItem(self.tr("Do not import"), None)
            for key, text in field_labels().items():
                combo.addItem(text, key)
            combo.setCurrentIndex(max(combo.findData(by_column.get(col)), 0))
            combo.currentIndexChanged.connect(lambda _i: self.remap_timer.start())
            self.columns.setCellWidget(col, 1, combo)
            self.combos.append(combo)
            values = [r[col] for r in samples if col < len(r) and r[col] not in ("", "None")]
            self.columns.setItem(col, 2, readonly_item("  |  ".join(values[:3])))
        self.error.clear()

    def fill_rows(self, preview: Any) -> None:
        """The counts and the first parsed rows (refreshed after each mapping change)."""
        c = preview.counts
        where = self.tr("sheet “%1”, ").replace("%1", preview.sheet) if preview.sheet else ""
        self.info.setText(
            self.tr(
                "%1header on row %2 · %3 data rows: %4 ready, %5 rejected, %6 repeated in "
                "the file. The mapping was guessed from the headers; fix any column that is "
                "wrong (the rows below update)."
            )
            .replace("%1", where)
            .replace("%2", str(preview.header_row))
            .replace("%3", str(c.get("rows", 0)))
            .replace("%4", str(c.get("ready", 0)))
            .replace("%5", str(c.get("rejected", 0)))
            .replace("%6", str(c.get("duplicates", 0)))
        )
        labels_ = field_labels()
        heads = [self.tr("Row"), *(labels_[k] for k in PREVIEW_COLUMNS), self.tr("Check")]
        self.rows.setHorizontalHeaderLabels(heads)
        self.rows.setRowCount(len(preview.rows))
        for i, r in enumerate(preview.rows):
            self.rows.setItem(i, 0, readonly_item(str(r.row)))
            for j, key in enumerate(PREVIEW_COLUMNS, start=1):
                self.rows.setItem(i, j, readonly_item(_shown(key, r.values.get(key))))
            check = readonly_item(self._row_check(r))
            check.setToolTip(check.text())
            if r.status != "ok":
                check.setForeground(QColor("#b3261e"))
            self.rows.setItem(i, len(PREVIEW_COLUMNS) + 1, check)
        self.rows.resizeColumnsToContents()

    def _row_check(self, r: Any) -> str:
        if r.status == "rejected":
            return "; ".join(p.localized(self.language) for p in r.problems)
        if r.status == "duplicate":
            return self.tr("same as row %1").replace("%1", str(r.duplicate_of))
        if r.warnings:
            return "; ".join(w.localized(self.language) for w in r.warnings)
        return self.tr("OK")

    def chosen_mapping(self) -> dict[str, int | None]:
        """Every field → the column the user left it on, or None: the user's word is final
        (a field missing from the mapping would be guessed again by the service)."""
        mapping: dict[str, int | None] = dict.fromkeys(people_import.FIELD_KEYS)
        for col, combo in enumerate(self.combos):
            key = combo.currentData()
            if key and mapping.get(key) is None:
                mapping[key] = col
        return mapping


FIELD_LABELS: dict[str, str] = {  # in the order users think of them
    "name": QT_TRANSLATE_NOOP("ImportWizard", "Name"),
    "phone": QT_TRANSLATE_NOOP("ImportWizard", "Mobile phone"),
    "phone2": QT_TRANSLATE_NOOP("ImportWizard", "Second phone"),
    "wechat": QT_TRANSLATE_NOOP("ImportWizard", "WeChat ID"),
    "email": QT_TRANSLATE_NOOP("ImportWizard", "Email"),
    "stage": QT_TRANSLATE_NOOP("ImportWizard", "Stage"),
    "tags": QT_TRANSLATE_NOOP("ImportWizard", "Tags"),
    "vin": QT_TRANSLATE_NOOP("ImportWizard", "VIN"),
    "plate": QT_TRANSLATE_NOOP("ImportWizard", "Plate"),
    "model": QT_TRANSLATE_NOOP("ImportWizard", "Model"),
    "purchase_date": QT_TRANSLATE_NOOP("ImportWizard", "Purchase date"),
    "birthday": QT_TRANSLATE_NOOP("ImportWizard", "Birthday"),
    "butler": QT_TRANSLATE_NOOP("ImportWizard", "Sales consultant / butler"),
    "source": QT_TRANSLATE_NOOP("ImportWizard", "Source"),
    "notes": QT_TRANSLATE_NOOP("ImportWizard", "Notes"),
    "consent_marketing": QT_TRANSLATE_NOOP("ImportWizard", "Marketing consent (yes/no)"),
}


def field_labels(_widget: QWidget | None = None) -> dict[str, str]:
    """The importable fields, translated."""
    return {k: QCoreApplication.translate("ImportWizard", v) for k, v in FIELD_LABELS.items()}


def _shown(key: str, value: str | None) -> str:
    """A parsed value as people read it: 138 0013 8000, not +8613800138000."""
    if not value:
        return ""
    if key == "phone":
        return display_phone(value)
    if key == "stage":
        return labels.stage(value)
    return value


def readonly_item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


def heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.2)
    font.setBold(True)
    label.setFont(font)
    return label
