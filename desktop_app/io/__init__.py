"""Reading the files people bring: spreadsheets and CSV, column mapping, value parsers."""

from desktop_app.io.mapping import FieldSpec, column_letter, guess_mapping, normalise_header
from desktop_app.io.tables import Row, Table, read_table

__all__ = [
    "FieldSpec",
    "Row",
    "Table",
    "column_letter",
    "guess_mapping",
    "normalise_header",
    "read_table",
]
