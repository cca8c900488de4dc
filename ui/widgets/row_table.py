"""A read-only table of row dataclasses (a ColumnsModel): whole rows selected, one at a
time, columns fitted to their contents except the one that stretches."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from ui.models.rows_model import ROW_ROLE, ColumnsModel


def row_table(model: ColumnsModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(model.stretch, QHeaderView.ResizeMode.Stretch)
    return view


def fit_rows(view: QTableView, rows: int, most: int = 6) -> None:
    """As tall as its rows (up to `most`, then it scrolls)."""
    shown = max(1, min(rows, most))
    height = view.horizontalHeader().height() + 2 * view.frameWidth() + 4
    height += shown * view.verticalHeader().defaultSectionSize()
    view.setFixedHeight(height)


def selected_row(view: QTableView) -> Any:
    """The selected row's dataclass, or None."""
    rows = view.selectionModel().selectedRows()
    return rows[0].data(ROW_ROLE) if rows else None
