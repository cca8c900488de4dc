"""Reading any tabular file people bring (xlsx, xls, csv/txt in any common encoding) into
one `Table`: a header row and data rows that remember their spreadsheet row numbers.

The file type is decided from its first bytes, not its name: Chinese systems often save
HTML or tab-separated text as ".xls", and users rename files. Cells come out as text
(NFKC: full-width → half-width, trimmed; integral numbers as "13800138000"), date,
datetime, time or timedelta, or None for empty. Formula-looking text ("=HYPERLINK(…)",
"+86…", "@user") stays literal text: nothing is ever evaluated (for real formulas Excel's
cached value is read). What Excel shows is what a row holds: a merged cell's value is in
every row it spans (a customer's name merged over their cars' rows), 同上 / 〃 ("same as
above") is the cell above, an apostrophe that only kept a number as text is gone.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import operator
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import Cancelled, FileUnreadable, first_line
from desktop_app.domain.problems import Said, say
from desktop_app.io.mapping import FieldSpec, column_letter, header_score

Cell = str | date | datetime | time | timedelta | None
Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]

MAX_ROWS = 1_000_000
MAX_CELL_CHARS = 10_000
MAX_UNZIPPED_BYTES = 2_000_000_000  # a 1M-row sheet is ~ 300 MB of XML; more is a bomb
# Sheet XML deflates 5-20x; a big part that unpacks over 100x is a zip bomb (a 7 MB file
# inflating to 2 GB kept a desk busy for 90 s and 3 GB of RAM before the row cap hit).
MAX_RATIO, RATIO_FROM_BYTES = 100, 50_000_000
MAX_TEXT_BYTES = 500_000_000
HEADER_SEARCH_ROWS = 15
_PROGRESS_EVERY = 2000

_FOOTER = re.compile(
    r"^(?:合计|总计|小计|总数|汇总|共计|total|totals|sum|grand total|"
    r"共\s*\d+\s*(?:条|行|人|位|个|名)?(?:记录|数据)?)\s*[:：]?"
    # a report's sign-off and page lines: 制表人：王小明, 打印时间：…, 第 1 页 共 3 页
    r"|^(?:制表|制单|填表|填报|审核|审批|复核|打印|导出|统计|报表|经办)(?:人|时间|日期|部门)?\s*[:：]"
    r"|^(?:总记录数|记录数|总条数)\s*[:：]|^第\s*\d+\s*页"
    # a note under the table: 注：累计参会时长不含在等候室的时间
    r"|^(?:注|注意|说明|提示)\s*[:：]",
    re.IGNORECASE,
)
# "Same as above" in hand-kept sheets: the cell takes the value of the row above.
DITTO = frozenset({"同上", "〃"})
# An apostrophe an export put before a number, VIN or date so Excel keeps it as text.
_TEXT_MARK = re.compile(r"'(?=[+\dA-Za-z])(?=[^']*\d)[\dA-Za-z +\-/.:]+")
_TEXT_GUARDS = ("'", '="')  # '13812345678 and ="13812345678": kept as text for Excel
GOOD_FIT = 3.0  # a header naming this much (header_score) is the data sheet: look no further


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: `number` is 1-based as the spreadsheet shows it."""

    number: int
    cells: tuple[Cell, ...]

    def get(self, col: int | None) -> Cell:
        if col is None or col >= len(self.cells):
            return None
        return self.cells[col]


@dataclass(frozen=True, slots=True)
class Table:
    """A sheet as read: the header row (texts, '' for a blank header cell) and data rows.

    `header_row` is the 1-based row number of the header; `skipped` lists rows that are not
    data (blank rows are not listed; totals footers, title rows below the header and
    repeats of the header row — two exports pasted together — are);
    `kind` is what the file turned out to be ("xlsx", "xls", "csv"), `encoding` the text
    encoding of a CSV, `sheets` every sheet name of a workbook and `hidden_sheets` those
    Excel does not show; `preamble` holds the non-blank rows above the header (for a
    header written over two rows, the upper one too) and `preamble_rows` their numbers.
    """

    path: str
    kind: str
    headers: tuple[str, ...]
    rows: tuple[Row, ...]
    header_row: int
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    encoding: str | None = None
    delimiter: str | None = None
    skipped: tuple[int, ...] = ()
    preamble: tuple[tuple[Cell, ...], ...] = field(default=())  # rows above the header
    preamble_rows: tuple[int, ...] = ()  # their row numbers
    hidden_sheets: tuple[str, ...] = ()

    def column_name(self, col: int) -> str:
        """The header text, or 'Column C' for a blank header cell."""
        name = self.headers[col] if col < len(self.headers) else ""
        return name or f"Column {column_letter(col)}"


# --------------------------------------------------------------------------- cells


def _text(value: str) -> str | None:
    return _marked(
        value.strip() if value.isascii() else unicodedata.normalize("NFKC", value).strip()
    )


def _marked(text: str) -> str | None:
    """A cell's NFKC, trimmed text as the cell: line breaks as \n, an export's text guard
    ('0123, ="0123") taken off, '' → None."""
    if "\r" in text:  # a CRLF file's line breaks inside a quoted cell
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.startswith(_TEXT_GUARDS):  # one test for the common case (600k cells)
        return text or None
    if text[0] == "'":
        return (text[1:].strip() or None) if _TEXT_MARK.fullmatch(text) else text
    if text.endswith('"') and len(text) > 2:
        # ="13812345678": the text guard CSV exports put around long numbers so Excel keeps
        # every digit; the value is what is inside (never evaluated: it is not a formula).
        inner = text[2:-1]
        if '"' not in inner.replace('""', ""):
            return inner.replace('""', '"').strip() or None
    return text


def _float(value: float) -> str | None:
    if value.is_integer():  # not for NaN or ±inf
        return str(int(value)) if -1e16 < value < 1e16 else repr(value)
    return None if value != value or value in _INFINITE else repr(value)


_INFINITE = (float("inf"), float("-inf"))


def _keep(value: Cell) -> Cell:
    return value


# Dispatch on the exact type: a 50k-row sheet has 600k cells, an isinstance chain per
# cell costs as much as calamine's whole parse.
_BY_TYPE: dict[type, Callable[[Any], Cell]] = {
    str: _text,
    float: _float,
    int: str,
    bool: lambda v: "TRUE" if v else "FALSE",
    type(None): _keep,
    datetime: _keep,
    date: _keep,
    time: _keep,
    timedelta: _keep,
}


def normalise_cell(value: object) -> Cell:
    """Calamine/xlrd/CSV value → Cell: '' → None, 13800138000.0 → '13800138000'."""
    fn = _BY_TYPE.get(type(value))
    if fn is not None:
        return fn(value)
    if isinstance(value, datetime | date | time | timedelta):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, int):
        return str(value)
    return _text(str(value))


_ONLY_TEXT = {str}


def _column(values: Sequence[object]) -> tuple[list[Cell], int]:
    """normalise_cell of each cell of one column, and the length of its longest text.

    A column of text only (most of a sheet) goes through C-level passes: NFKC, trim, and
    one look at the whole column for a line break or text guard (_marked is needed only
    for a column that has one); any other column a cell at a time."""
    if set(map(type, values)) == _ONLY_TEXT:
        texts: list[str] = list(map(str.strip, map(_nfkc, values)))
        longest = max(map(len, texts))
        joined = "\x00".join(texts)
        if "\r" in joined or "'" in joined or '="' in joined:
            return list(map(_marked, texts)), longest
        return [t or None for t in texts], longest
    by_type = _BY_TYPE
    cells = [(by_type.get(type(v)) or normalise_cell)(v) for v in values]
    return cells, max([len(c) for c in cells if c.__class__ is str], default=0)


_nfkc = functools.partial(unicodedata.normalize, "NFKC")


# --------------------------------------------------------------------------- sniffing


def sniff_kind(head: bytes) -> str:
    """What the first bytes say the file is: xlsx, ole (xls or encrypted), pdf, html, text…"""
    if not head:
        return "empty"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head[:4] in (b"\x89PNG", b"GIF8") or head[:3] == b"\xff\xd8\xff":
        return "image"
    if head.startswith((b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")):
        return "archive"
    if head.startswith(b"SQLite format 3"):
        return "sqlite"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")):
        return "html"
    return "text"


_KIND_CODES = {  # what sniff_kind found → the message saying so (domain/messages.py)
    "pdf": "unreadable_pdf",
    "image": "unreadable_image",
    "archive": "unreadable_archive",
    "sqlite": "unreadable_sqlite",
    "html": "unreadable_html",
}


def _unreadable(path: Path, code: str, **params: object) -> FileUnreadable:
    """'cannot read FILE: REASON' (unreadable_file) with REASON from message `code`."""
    return FileUnreadable(code="unreadable_file", file=path.name, reason=say(code, **params))


def unreadable_reason(exc: FileUnreadable) -> str | None:
    """The reason code of a file _unreadable() refused (None for other refusals)."""
    reason = exc.params.get("reason")
    return reason.code if isinstance(reason, Said) else None


# --------------------------------------------------------------------------- public


def read_table(
    path: str | Path,
    *,
    sheet: str | None = None,
    fields: Sequence[FieldSpec] | None = None,
    header_row: int | None = None,
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
) -> Table:
    """Read a spreadsheet or CSV file into a Table.

    sheet: sheet name for workbooks (default: the first visible sheet that has data).
    fields: the fields the caller wants; the header is the row among the first 15 that
      best matches their names (a title row or meeting-info block above it is skipped).
      Without fields, the first row that is as wide as the table and mostly text.
    header_row: force the 1-based header row number instead of detecting it.
    progress(done, total): rows read so far of the total (called every few thousand rows).
    is_cancelled(): polled while reading; when true, raises Cancelled.

    Raises FileUnreadable with a reason a person can act on (corrupt, empty, password,
    not a spreadsheet, too big).
    """
    path = Path(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except FileNotFoundError:
        raise FileUnreadable(code="file_missing", path=str(path)) from None
    except IsADirectoryError:
        raise FileUnreadable(code="file_is_folder", path=str(path)) from None
    except OSError as exc:
        raise FileUnreadable(
            code="unopenable_file", file=path.name, reason=exc.strerror or str(exc)
        ) from None
    kind = sniff_kind(head)
    if kind == "empty":
        raise _unreadable(path, "unreadable_empty_bytes")
    if kind == "html":  # a web system's ".xls": an HTML table or XML Spreadsheet 2003
        raw = _read_markup(path, sheet, progress, is_cancelled)
        return _finish(path, "html", raw, fields, header_row)
    if kind in _KIND_CODES:
        raise _unreadable(path, _KIND_CODES[kind])
    if kind in ("zip", "ole"):
        fmt = "xlsx" if kind == "zip" else "xls"

        def read_sheet(name: str | None) -> Table:
            raw = (
                _read_xlsx(path, name, progress, is_cancelled)
                if kind == "zip"
                else _read_ole(path, head, name, progress, is_cancelled)
            )
            return _finish(path, fmt, raw, fields, header_row)

        table = read_sheet(sheet)
        first_fit = _fit(table, fields) if sheet is None and fields else (True, GOOD_FIT)
        if first_fit < (True, GOOD_FIT):
            # a cover, 说明 or summary sheet first: the visible sheet whose header names
            # the fields best (the first of equals)
            best, best_fit = table, first_fit
            for name in table.sheets:
                if name == table.sheet or name in table.hidden_sheets:
                    continue
                try:
                    other = read_sheet(name)
                except FileUnreadable:
                    continue
                if (fit := _fit(other, fields)) > best_fit:
                    best, best_fit = other, fit
            return best
        return table
    raw = _read_text(path, progress, is_cancelled)
    return _finish(path, "csv", raw, fields, header_row)


def _fit(table: Table, fields: Sequence[FieldSpec]) -> tuple[bool, float]:
    """How well the header names the fields: (every required field has a column,
    header_score). A sheet whose header names none of them does not fit at all."""
    from desktop_app.io.mapping import guess_mapping

    found = guess_mapping(table.headers, fields)
    if not found:
        return (False, 0.0)
    required = all(f.key in found for f in fields if f.required)
    return (required, header_score(table.headers, fields))


@dataclass(slots=True)
class _Raw:
    rows: list[tuple[int, tuple[Cell, ...]]]  # (row number, cells), blank rows removed
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    encoding: str | None = None
    delimiter: str | None = None
    hidden: tuple[str, ...] = ()  # sheets Excel does not show


class _Guard:
    """Counts rows, checks cell sizes, reports progress and polls for cancel."""

    def __init__(
        self, path: Path, total: int, progress: Progress | None, is_cancelled: IsCancelled | None
    ) -> None:
        self.path, self.total = path, max(total, 1)
        self.progress, self.is_cancelled = progress, is_cancelled
        self.count = 0  # rows read (rows())
        if total > MAX_ROWS:
            raise _unreadable(path, "unreadable_rows", rows=f"{total:,}", limit=f"{MAX_ROWS:,}")

    def tick(self, done: int) -> None:
        if done % _PROGRESS_EVERY:
            return
        if self.is_cancelled is not None and self.is_cancelled():
            raise Cancelled("reading cancelled")
        if self.progress is not None:
            self.progress(min(done, self.total), self.total)
        if done > MAX_ROWS:
            raise _unreadable(self.path, "unreadable_rows_more", limit=f"{MAX_ROWS:,}")

    def rows(
        self, values: Iterable[Sequence[object]], ticks_from: int = 0
    ) -> list[tuple[int, tuple[Cell, ...]]]:
        """The rows `values` gives that hold anything, as (1-based row number, cells), each
        cell normalised (normalise_cell); tick(i + ticks_from) comes before row i. The
        rows between two ticks are taken as a batch and normalised a column at a time.
        `self.count` is how many rows `values` gave; when it raises, the rows it gave
        before are checked first (a too-long cell among them is the error)."""
        out: list[tuple[int, tuple[Cell, ...]]] = []
        it, every, i = iter(values), _PROGRESS_EVERY, ticks_from
        while True:
            batch: list[Sequence[object]] = []
            try:
                batch.extend(itertools.islice(it, every - i % every))
            except Exception:
                self.count = i - ticks_from + len(batch)
                self._batch(batch, i, i - ticks_from, out)
                raise
            if not batch:
                break
            self._batch(batch, i, i - ticks_from, out)
            i += len(batch)
        self.count = i - ticks_from
        return out

    def _batch(
        self,
        batch: list[Sequence[object]],
        tick: int,
        done: int,
        out: list[tuple[int, tuple[Cell, ...]]],
    ) -> None:
        """Rows done+1… (tick(`tick`) first when it is due): normalised a column at a time
        into `out`, blank rows left out; each row keeps its own length (a CSV's rows may
        differ)."""
        if not batch:
            return
        if not tick % _PROGRESS_EVERY:
            self.tick(tick)
        lengths = list(map(len, batch))
        width = max(lengths)
        if not width:
            return
        short = min(lengths) < width
        if short:
            batch = [(*r, *(None,) * (width - len(r))) for r in batch]
        columns = [_column(column) for column in zip(*batch, strict=True)]
        rows: list[tuple[Cell, ...]] = list(zip(*(cells for cells, _ in columns), strict=True))
        if short:
            rows = [r[:n] for r, n in zip(rows, lengths, strict=True)]
        if max(longest for _, longest in columns) > MAX_CELL_CHARS:
            for number, cells in enumerate(rows, done + 1):
                self._check_long(number, cells)
        numbered = zip(itertools.count(done + 1), rows)
        if all(None in cells for cells, _ in columns):  # a row may be blank
            out += [(n, r) for n, r in numbered if r.count(None) != len(r)]
        else:
            out += numbered

    def _check_long(self, number: int, cells: tuple[Cell, ...]) -> None:
        longest = max((len(c) for c in cells if type(c) is str), default=0)
        if longest > MAX_CELL_CHARS:
            col = next(i for i, c in enumerate(cells) if type(c) is str and len(c) == longest)
            raise _unreadable(
                self.path,
                "unreadable_cell_long",
                cell=f"{column_letter(col)}{number}",
                chars=f"{longest:,}",
                limit=f"{MAX_CELL_CHARS:,}",
            )

    def done(self, count: int) -> None:
        if self.is_cancelled is not None and self.is_cancelled():
            raise Cancelled("reading cancelled")
        if self.progress is not None:
            self.progress(self.total, self.total)


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            size = sum(i.file_size for i in zf.infolist())
            ratio = max(
                (
                    i.file_size / max(i.compress_size, 1)
                    for i in zf.infolist()
                    if i.file_size > RATIO_FROM_BYTES
                ),
                default=0.0,
            )
    except (zipfile.BadZipFile, NotImplementedError):  # NotImplemented: a mangled version
        raise _unreadable(path, "unreadable_damaged") from None
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
        if "word/document.xml" in names:
            raise _unreadable(path, "unreadable_word")
        if "ppt/presentation.xml" in names:
            raise _unreadable(path, "unreadable_powerpoint")
        if "content.xml" in names:
            raise _unreadable(path, "unreadable_opendocument")
        raise _unreadable(path, "unreadable_zip")
    if "xl/workbook.bin" in names:
        raise _unreadable(path, "unreadable_xlsb")
    if size > MAX_UNZIPPED_BYTES:
        raise _unreadable(path, "unreadable_unpacks", gb=f"{size / 1e9:.1f}")
    if ratio > MAX_RATIO:
        raise _unreadable(path, "unreadable_ratio", ratio=f"{ratio:.0f}", mb=f"{size / 1e6:,.0f}")


def _read_xlsx(
    path: Path, sheet: str | None, progress: Progress | None, is_cancelled: IsCancelled | None
) -> _Raw:
    _check_zip(path)
    return _read_calamine(path, sheet, progress, is_cancelled, "xlsx")


_SUFFIXES = {"xlsx": (".xlsx", ".xlsm", ".xlam"), "xls": (".xls", ".xla")}


def _read_calamine(
    path: Path,
    sheet: str | None,
    progress: Progress | None,
    is_cancelled: IsCancelled | None,
    what_kind: str,
) -> _Raw:
    import python_calamine as pc

    try:
        if path.suffix.lower() in _SUFFIXES[what_kind]:
            wb = pc.CalamineWorkbook.from_path(str(path))
        else:  # calamine picks its reader by the name; by the content for a renamed file
            with path.open("rb") as fh:
                wb = pc.CalamineWorkbook.from_filelike(fh)
    except pc.PasswordError:
        raise _unreadable(path, "unreadable_password") from None
    except Exception as exc:  # calamine raises several types for damaged files
        raise _unreadable(path, f"unreadable_{what_kind}_damaged", detail=first_line(exc)) from None
    try:
        visible = [
            m.name
            for m in wb.sheets_metadata
            if str(m.visible).endswith("Visible") and str(m.typ).endswith("WorkSheet")
        ] or list(wb.sheet_names)
        names = tuple(wb.sheet_names)
        hidden = tuple(n for n in names if n not in visible)
        if sheet is not None:
            if sheet not in names:
                raise _unreadable(path, "unreadable_no_sheet", sheet=sheet, sheets=", ".join(names))
            order = [sheet]
        else:
            order = visible
        for name in order:
            try:
                sh = wb.get_sheet_by_name(name)
            except Exception as exc:
                raise _unreadable(
                    path, "unreadable_sheet_damaged", sheet=name, detail=first_line(exc)
                ) from None
            if sh.height == 0 and sheet is None and name != order[-1]:
                continue
            guard = _Guard(path, sh.height, progress, is_cancelled)
            row0, col0 = sh.start or (0, 0)
            pad = (None,) * col0
            rows = guard.rows(sh.iter_rows())
            if col0:
                rows = [(number, pad + cells) for number, cells in rows]
            if row0 and guard.count == sh.height:  # rows counted from the first used one
                rows = [(number + row0, cells) for number, cells in rows]
            guard.done(len(rows))
            if rows or sheet is not None or name == order[-1]:
                _fill_merged(rows, _merged_down(sh))
                return _Raw(rows, sheet=name, sheets=names, hidden=hidden)
        return _Raw([], sheet=None, sheets=names, hidden=hidden)
    finally:
        wb.close()


def _merged_down(sheet: Any) -> list[tuple[int, int, int]]:
    """(first row, last row, column) of each merged range that spans rows (1-based rows,
    0-based column: its first one)."""
    try:
        ranges = sheet.merged_cell_ranges or []
    except Exception:  # not every calamine reader knows merged cells
        return []
    return [(r0 + 1, r1 + 1, c0) for (r0, c0), (r1, _c1) in ranges if r1 > r0]


def _fill_merged(
    rows: list[tuple[int, tuple[Cell, ...]]], merged: list[tuple[int, int, int]]
) -> None:
    """A cell merged down over several rows shows its value in each of them (a customer's
    name over their cars' rows), so each row that holds anything else gets it too. A row
    that is blank but for the merge stays out."""
    if not merged:
        return
    at = {number: i for i, (number, _) in enumerate(rows)}
    for first, last, col in merged:
        top = at.get(first)
        value = rows[top][1][col] if top is not None and col < len(rows[top][1]) else None
        if value is None:
            continue
        for number in range(first + 1, last + 1):
            i = at.get(number)
            if i is None:
                continue
            cells = list(rows[i][1])
            cells += [None] * (col + 1 - len(cells))
            if cells[col] is None:
                cells[col] = value
                rows[i] = (number, tuple(cells))


def _read_ole(
    path: Path,
    head: bytes,
    sheet: str | None,
    progress: Progress | None,
    is_cancelled: IsCancelled | None,
) -> _Raw:
    data = path.read_bytes()[:1_000_000]
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise _unreadable(path, "unreadable_password")
    if "WordDocument".encode("utf-16-le") in data:
        raise _unreadable(path, "unreadable_doc")
    try:
        return _read_calamine(path, sheet, progress, is_cancelled, "xls")
    except FileUnreadable as first:
        if unreadable_reason(first) in ("unreadable_password", "unreadable_no_sheet"):
            raise
        try:
            return _read_xlrd(path, sheet, progress, is_cancelled)
        except FileUnreadable:
            raise first from None


def _read_xlrd(
    path: Path, sheet: str | None, progress: Progress | None, is_cancelled: IsCancelled | None
) -> _Raw:
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
    except Exception as exc:
        raise _unreadable(path, "unreadable_xls_damaged", detail=first_line(exc)) from None
    try:
        names = tuple(book.sheet_names())
        name = sheet or names[0]
        if name not in names:
            raise _unreadable(path, "unreadable_no_sheet", sheet=name, sheets=", ".join(names))
        sh = book.sheet_by_name(name)
        guard = _Guard(path, sh.nrows, progress, is_cancelled)

        def values_of(r: int) -> list[object]:
            values: list[object] = []
            for c in range(sh.ncols):
                cell = sh.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    try:
                        values.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                    except Exception:
                        values.append(cell.value)
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    values.append(bool(cell.value))
                elif cell.ctype == xlrd.XL_CELL_ERROR:
                    values.append(None)
                else:
                    values.append(cell.value)
            return values

        rows = guard.rows(map(values_of, range(sh.nrows)))
        guard.done(len(rows))
        return _Raw(rows, sheet=name, sheets=names)
    finally:
        book.release_resources()


# --------------------------------------------------------------------------- text / CSV


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding): BOMs first (UTF-8, UTF-16), then strict UTF-8, strict GB18030
    (what Excel on Chinese Windows writes as GBK), then charset-normalizer's guess."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", "utf-16")
    sample = data[:4000]
    if len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4 and 0 not in sample[0::2][:50]:
        return _strict(data, "utf-16-le", "utf-16-le")
    if len(sample) >= 4 and sample[0::2].count(0) > len(sample) // 4 and 0 not in sample[1::2][:50]:
        return _strict(data, "utf-16-be", "utf-16-be")
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc), ("gbk" if enc == "gb18030" and _is_gbk(data) else enc)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ValueError("not text in any known encoding")
    return str(best), best.encoding


def _is_gbk(data: bytes) -> bool:
    try:
        data.decode("gbk")
    except UnicodeDecodeError:
        return False
    return True


def _strict(data: bytes, codec: str, name: str) -> tuple[str, str]:
    try:
        return data.decode(codec), name
    except UnicodeDecodeError as exc:
        raise ValueError(f"broken {name} text at byte {exc.start}") from None


def sniff_delimiter(text: str) -> str:
    """Comma, tab or semicolon: the one that splits the first lines most consistently."""
    lines = [ln for ln in text.splitlines()[:30] if ln.strip()]
    best, best_key = ",", (-1.0, -1)
    for delim in (",", "\t", ";", "|"):
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=delim)]
        except csv.Error:
            continue
        if not counts:
            continue
        widest = max(counts)
        if widest < 2:
            continue
        share = sum(1 for n in counts if n == widest) / len(counts)
        common = max(set(counts), key=counts.count)
        key = (share + (0.5 if common > 1 else 0), widest)
        if key > best_key:
            best, best_key = delim, key
    return best


def _text_of(path: Path) -> tuple[str, str]:
    """The file's text and its encoding, within the size limit."""
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        raise _unreadable(path, "unreadable_text_big", mb=f"{size / 1e6:.0f}")
    data = path.read_bytes()
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise _unreadable(path, "unreadable_empty_rows")
    try:
        return decode_text(data)
    except ValueError as exc:
        raise _unreadable(path, "unreadable_not_text", detail=str(exc)) from None


def _read_markup(
    path: Path, sheet: str | None, progress: Progress | None, is_cancelled: IsCancelled | None
) -> _Raw:
    from desktop_app.io import markup_tables as mt

    text, encoding = _text_of(path)
    if mt.is_spreadsheet_xml(text):
        try:
            sheets = mt.spreadsheet_xml_sheets(text)
        except ValueError as exc:
            raise _unreadable(path, "unreadable_xml_damaged", detail=str(exc)) from None
        names = tuple(n for n, _ in sheets)
        if sheet is not None and sheet not in names:
            raise _unreadable(path, "unreadable_no_sheet", sheet=sheet, sheets=", ".join(names))
        chosen = [(n, r) for n, r in sheets if (n == sheet if sheet else any(r))]
        name, rows = chosen[0] if chosen else (names[0] if names else None, [])
    else:
        tables = mt.html_tables(text)
        if not tables:
            raise _unreadable(path, _KIND_CODES["html"])
        name, rows, names = None, tables[0], ()
    guard = _Guard(path, len(rows), progress, is_cancelled)
    out = guard.rows(rows, ticks_from=1)
    guard.done(len(out))
    return _Raw(out, sheet=name, sheets=names, encoding=encoding)


def _read_text(path: Path, progress: Progress | None, is_cancelled: IsCancelled | None) -> _Raw:
    text, encoding = _text_of(path)
    if "\x00" in text[:10000]:
        raise _unreadable(path, "unreadable_binary")
    text = text.lstrip("\ufeff")
    delimiter = sniff_delimiter(text)
    total = text.count("\n") + 1
    guard = _Guard(path, 0, progress, is_cancelled)
    guard.total = total
    csv.field_size_limit(MAX_CELL_CHARS * 4 + 10)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = guard.rows(reader, ticks_from=1)
    except csv.Error as exc:
        raise _unreadable(
            path, "unreadable_csv_row", row=guard.count + 1, detail=str(exc)
        ) from None
    guard.done(len(rows))
    return _Raw(rows, encoding=encoding, delimiter=delimiter)


# --------------------------------------------------------------------------- header


def is_footer(cells: Sequence[Cell]) -> bool:
    """A totals row: its first non-empty cell says 合计 / 总计 / 共 N 条记录 / Total."""
    for first in cells:
        if first is not None:
            return isinstance(first, str) and _FOOTER.match(first) is not None
    return False


def _looks_like_header_without_fields(
    rows: list[tuple[int, tuple[Cell, ...]]],
) -> int:
    """Index of the first row that is nearly as wide as the widest and mostly text."""
    window = rows[:HEADER_SEARCH_ROWS]
    widths = [sum(1 for c in cells if c is not None) for _, cells in window]
    widest = max(widths)
    for i, (_, cells) in enumerate(window):
        filled = [c for c in cells if c is not None]
        texts = [c for c in filled if isinstance(c, str) and not _numberish(c)]
        if widths[i] >= max(2, int(widest * 0.8)) and len(texts) >= 0.8 * len(filled):
            return i
    return 0


def _numberish(text: str) -> bool:
    return bool(re.fullmatch(r"[-+]?\d[\d,.:/ -]*", text))


_CELLS = operator.itemgetter(1)  # of a (row number, cells) pair


def _finish(
    path: Path,
    kind: str,
    raw: _Raw,
    fields: Sequence[FieldSpec] | None,
    header_row: int | None,
) -> Table:
    rows = raw.rows
    if not rows:
        if raw.sheet:
            raise _unreadable(path, "unreadable_no_rows_sheet", sheet=raw.sheet)
        raise _unreadable(path, "unreadable_no_rows")
    if header_row is not None:
        idx = next((i for i, (n, _) in enumerate(rows) if n == header_row), None)
        if idx is None:
            raise _unreadable(path, "unreadable_header_blank", row=header_row)
    elif fields:
        scores = [header_score(cells, fields) for _, cells in rows[:HEADER_SEARCH_ROWS]]
        top = max(scores)
        idx = scores.index(top) if top > 0 else _looks_like_header_without_fields(rows)
    else:
        idx = _looks_like_header_without_fields(rows)
    header_number, header_cells = rows[idx]
    repeats: tuple[tuple[Cell, ...], ...] = (header_cells,)  # the header again: not data
    if fields and header_row is None and (two := _two_row_header(rows, idx, fields)):
        idx, header_cells = two
        header_number = rows[idx][0]
        repeats = (rows[idx - 1][1], rows[idx][1], header_cells)
    width = max(map(len, map(_CELLS, rows)))
    headers = tuple(
        (str(c) if not isinstance(c, str) else c) if c is not None else ""
        for c in header_cells + (None,) * (width - len(header_cells))
    )
    data: list[Row] = []
    skipped: list[int] = []
    above: tuple[Cell, ...] = (None,) * width
    body = rows[idx + 1 :]
    # one look at every cell: most sheets have no 同上 at all
    dittos = not DITTO.isdisjoint(itertools.chain.from_iterable(map(_CELLS, body)))
    for number, cells in body:
        if is_footer(cells) or cells in repeats:  # a totals row; exports pasted together
            skipped.append(number)
            continue
        if len(cells) < width:
            cells = cells + (None,) * (width - len(cells))
        if dittos and not DITTO.isdisjoint(cells):
            cells = tuple(above[i] if c in DITTO else c for i, c in enumerate(cells))
        data.append(Row(number, cells))
        above = cells
    return Table(
        path=str(path),
        kind=kind,
        headers=headers,
        rows=tuple(data),
        header_row=header_number,
        sheet=raw.sheet,
        sheets=raw.sheets,
        encoding=raw.encoding,
        delimiter=raw.delimiter,
        skipped=tuple(skipped),
        preamble=tuple(cells for _, cells in rows[:idx]),
        preamble_rows=tuple(number for number, _ in rows[:idx]),
        hidden_sheets=raw.hidden,
    )


def _two_row_header(
    rows: list[tuple[int, tuple[Cell, ...]]], idx: int, fields: Sequence[FieldSpec]
) -> tuple[int, tuple[Cell, ...]] | None:
    """A header written over two rows — group cells (车辆信息 over VIN码 | 车牌号码) with the
    other names merged down, as a CSV keeps it: (index of the lower row, the header).

    Each column is named by the lower row, else by the upper one. Taken only when the two
    rows are adjacent, hold nothing but text, and together name the fields better than the
    row found alone (a group row over a complete header adds nothing and is left out)."""
    alone = header_score(rows[idx][1], fields)
    for upper in (idx - 1, idx):
        lower = upper + 1
        if upper < 0 or lower >= len(rows) or rows[lower][0] != rows[upper][0] + 1:
            continue
        top, bottom = rows[upper][1], rows[lower][1]
        if not (_all_text(top) and _all_text(bottom)):
            continue
        joined = tuple(b if b is not None else t for t, b in itertools.zip_longest(top, bottom))
        if header_score(joined, fields) > alone:
            return lower, joined
    return None


def _all_text(cells: Sequence[Cell]) -> bool:
    return all(c is None or (isinstance(c, str) and not _numberish(c)) for c in cells)
