"""Spreadsheets that are really markup: the ".xls" many web systems (DMS, CRM, OA) send.

Two kinds are common in the field:
- an HTML page holding a <table> (Excel opens it and shows a warning); merged cells are
  `colspan`/`rowspan`, line breaks `<br>`, numbers often wrapped in
  `style="mso-number-format:'\\@'"` so Excel keeps them as text;
- "XML Spreadsheet 2003" (`<?xml …?><Workbook xmlns="urn:schemas-microsoft-com:office:
  spreadsheet">`): Worksheet → Table → Row → Cell → Data, with `ss:Index` for a cell or
  row that skips ahead and `ss:MergeAcross` / `ss:MergeDown` for merged cells.

Both become plain rows of text (None for an empty cell), one list per sheet; the caller
normalises the cells as for any other file. A cell merged down (rowspan, MergeDown) is in
each row it spans, as Excel shows it; one merged across is in its first column only. Nothing is fetched or executed: scripts and
styles are skipped, and the XML parser (expat) refuses entity-expansion bombs.
"""

from __future__ import annotations

from datetime import datetime
from html.parser import HTMLParser
from xml.etree import ElementTree as ET

SPREADSHEET_NS = "urn:schemas-microsoft-com:office:spreadsheet"
MAX_SPAN = 1000  # a colspan/rowspan larger than this is a typo, not a layout

Rows = list[list[str | datetime | None]]


def is_spreadsheet_xml(text: str) -> bool:
    return SPREADSHEET_NS in text[:4000]


# --------------------------------------------------------------------------- HTML


class _TableParser(HTMLParser):
    """Collects every <table>'s rows; nested tables are tables of their own."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[Rows] = []
        self._stack: list[tuple[Rows, dict[tuple[int, int], str | None]]] = []
        self._cell: list[str] | None = None
        self._span = (1, 1)
        self._skip = 0  # inside <script>/<style>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "table":
            self._end_cell()
            self._stack.append(([], {}))
        elif not self._stack:
            return
        elif tag == "tr":
            self._end_cell()
            self._stack[-1][0].append([])
        elif tag in ("td", "th"):
            self._end_cell()
            if not self._stack[-1][0]:
                self._stack[-1][0].append([])
            a = dict(attrs)
            self._span = (_span(a.get("rowspan")), _span(a.get("colspan")))
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in ("td", "th", "tr"):
            self._end_cell()
        elif tag == "table" and self._stack:
            self._end_cell()
            rows, _ = self._stack.pop()
            self.tables.append(rows)

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not self._skip:
            self._cell.append(data)

    def _end_cell(self) -> None:
        if self._cell is None or not self._stack:
            self._cell = None
            return
        rows, pending = self._stack[-1]
        text = " ".join(" ".join(part.split()) for part in "".join(self._cell).split("\n"))
        value = text.strip() or None
        row_index = len(rows) - 1
        row = rows[row_index]
        while (row_index, len(row)) in pending:  # cells a rowspan above reaches into
            row.append(pending.pop((row_index, len(row))))
        down, across = self._span
        for k in range(across):
            col = len(row)
            row.append(value if k == 0 else None)
            for d in range(1, down):  # as Excel shows a merged cell: in each row it spans
                pending[(row_index + d, col)] = value if k == 0 else None
        self._cell = None


def _span(raw: str | None) -> int:
    try:
        return max(1, min(int(str(raw).strip()), MAX_SPAN))
    except ValueError:
        return 1


def html_tables(text: str) -> list[Rows]:
    """Every table in the page with at least one row, the one with the most rows first."""
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    while parser._stack:  # a page cut off inside its table: keep what arrived
        parser.handle_endtag("table")
    found = [t for t in parser.tables if any(any(c is not None for c in r) for r in t)]
    return sorted(found, key=len, reverse=True)


# --------------------------------------------------------------------------- XML 2003


def spreadsheet_xml_sheets(text: str) -> list[tuple[str, Rows]]:
    """(sheet name, rows) for each Worksheet of an XML Spreadsheet 2003 file.

    Raises ValueError when the XML is broken."""
    try:
        root = ET.fromstring(text.lstrip("\ufeff"))
    except ET.ParseError as exc:
        raise ValueError(f"broken XML ({exc})") from None
    ns = {"ss": SPREADSHEET_NS}
    sheets = []
    for ws in root.iterfind("ss:Worksheet", ns):
        name = ws.get(f"{{{SPREADSHEET_NS}}}Name") or f"Sheet{len(sheets) + 1}"
        rows: Rows = []
        down: dict[tuple[int, int], str | datetime | None] = {}  # cells MergeDown covers
        for row in ws.iterfind("ss:Table/ss:Row", ns):
            index = _index(row)
            while index is not None and len(rows) < index - 1:
                rows.append([])
            r = len(rows)
            cells: list[str | datetime | None] = []
            for cell in row.iterfind("ss:Cell", ns):
                at = _index(cell)
                while at is not None and len(cells) < at - 1:
                    cells.append(down.pop((r, len(cells)), None))
                value = _value(cell.find("ss:Data", ns))
                for d in range(1, _merged(cell, "MergeDown") + 1):
                    down[(r + d, len(cells))] = value
                cells.append(value)
                cells.extend([None] * _merged(cell, "MergeAcross"))
            while (r, len(cells)) in down:  # covered cells at the end of the row
                cells.append(down.pop((r, len(cells))))
            rows.append(cells)
        sheets.append((name, rows))
    return sheets


def _value(data: ET.Element | None) -> str | datetime | None:
    """A Data element's value: text, or a datetime for ss:Type="DateTime"."""
    if data is None:
        return None
    text = "".join(data.itertext()).strip()
    if text and data.get(f"{{{SPREADSHEET_NS}}}Type") == "DateTime":
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            return text
    return text or None


def _merged(cell: ET.Element, attribute: str) -> int:
    """How many cells to the right (MergeAcross) or below (MergeDown) this one covers
    (ss:MergeAcross="2": two)."""
    try:
        return max(0, min(int(cell.get(f"{{{SPREADSHEET_NS}}}{attribute}") or 0), MAX_SPAN))
    except ValueError:
        return 0


def _index(element: ET.Element) -> int | None:
    raw = element.get(f"{{{SPREADSHEET_NS}}}Index")
    try:
        return int(raw) if raw else None
    except ValueError:
        return None
