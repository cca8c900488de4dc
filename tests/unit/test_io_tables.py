"""Reading any sheet people bring: encodings, delimiters, title rows, footers, bad files."""

from __future__ import annotations

import os
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.domain.errors import Cancelled, FileUnreadable
from desktop_app.io import tables
from desktop_app.io.mapping import FieldSpec
from desktop_app.io.tables import read_table

FIXTURES = Path(__file__).parents[1] / "fixtures" / "people"
PEOPLE = (
    FieldSpec("name", ("姓名", "客户姓名", "name")),
    FieldSpec("phone", ("手机", "手机号码", "mobile")),
)
ZOOM = (
    FieldSpec("name", ("name (original name)", "name", "名前 (元の名前)")),
    FieldSpec("email", ("user email", "email")),
    FieldSpec("join", ("join time", "参加時刻")),
    FieldSpec("leave", ("leave time", "退出時刻")),
    FieldSpec("minutes", ("duration (minutes)", "所要時間(分)")),
)
TENCENT = (
    FieldSpec("name", ("用户昵称(入会昵称)", "用户昵称")),
    FieldSpec("join", ("首次入会时间", "入会时间")),
    FieldSpec("leave", ("最后退会时间", "退会时间")),
    FieldSpec("duration", ("累计参会时长", "单次参会时长")),
)


def _csv(tmp_path: Path, text: str, encoding: str, name: str = "list.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


SAMPLE = "姓名,手机号码,备注\n张伟,13800138000,老客户\n王芳,13912345678,\n"


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("gbk", "gbk"),
        ("gb18030", "gbk"),
        ("utf-16", "utf-16"),
    ],
)
def test_csv_in_any_common_chinese_encoding_reads_the_same(
    tmp_path: Path, encoding: str, reported: str
) -> None:
    table = read_table(_csv(tmp_path, SAMPLE, encoding), fields=PEOPLE)
    assert table.encoding == reported
    assert table.headers == ("姓名", "手机号码", "备注")
    assert [r.cells for r in table.rows] == [
        ("张伟", "13800138000", "老客户"),
        ("王芳", "13912345678", None),
    ]
    assert [r.number for r in table.rows] == [2, 3]


def test_gb18030_only_characters_are_read_too(tmp_path: Path) -> None:
    table = read_table(_csv(tmp_path, "姓名,手机\n𠮷野家,13800138000\n", "gb18030"))
    assert table.rows[0].cells[0] == "𠮷野家"


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_the_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    text = SAMPLE.replace(",", delimiter)
    table = read_table(_csv(tmp_path, text, "utf-8", "list.txt"), fields=PEOPLE)
    assert table.delimiter == delimiter
    assert table.rows[0].cells == ("张伟", "13800138000", "老客户")


def test_a_title_row_and_blank_rows_above_the_header_are_skipped(tmp_path: Path) -> None:
    text = "客户信息导出 2026-11-01,,\n,,\n姓名,手机号码,备注\n张伟,13800138000,x\n,,\n王芳,13912345678,\n"
    table = read_table(_csv(tmp_path, text, "utf-8"), fields=PEOPLE)
    assert table.header_row == 3
    assert table.preamble == (("客户信息导出 2026-11-01", None, None),)
    assert [r.number for r in table.rows] == [4, 6]


def test_totals_footer_rows_are_not_data(tmp_path: Path) -> None:
    text = SAMPLE + "合计,2,\n共 2 条记录,,\nTotal,,\n"
    table = read_table(_csv(tmp_path, text, "utf-8"), fields=PEOPLE)
    assert [r.cells[0] for r in table.rows] == ["张伟", "王芳"]
    assert table.skipped == (4, 5, 6)


def test_two_exports_pasted_together_repeat_the_header_which_is_not_data(
    tmp_path: Path,
) -> None:
    text = SAMPLE + SAMPLE.replace("张伟", "李娜")
    table = read_table(_csv(tmp_path, text, "utf-8"), fields=PEOPLE)
    assert table.preamble_rows == () and table.skipped == (4,)
    assert [r.cells[0] for r in table.rows] == ["张伟", "王芳", "李娜", "王芳"]
    titled = read_table(_csv(tmp_path, "名单,,\n" + SAMPLE, "utf-8"), fields=PEOPLE)
    assert titled.preamble_rows == (1,) and titled.header_row == 2


def test_full_width_text_and_trailing_spaces_are_normalised(tmp_path: Path) -> None:
    text = "姓名,手机号码\n张伟　 ,１３８００１３８０００\n  Ｗａｎｇ Ｆａｎｇ ,13912345678 \n"
    table = read_table(_csv(tmp_path, text, "utf-8"), fields=PEOPLE)
    assert [r.cells for r in table.rows] == [
        ("张伟", "13800138000"),
        ("Wang Fang", "13912345678"),
    ]


def test_formula_looking_text_stays_literal_text(tmp_path: Path) -> None:
    text = 'name,mobile,note\n"=HYPERLINK(""http://x"",""y"")",+8613800138000,@user\n-,=1+2,-5\n'
    table = read_table(_csv(tmp_path, text, "utf-8"), fields=PEOPLE)
    assert table.rows[0].cells == ('=HYPERLINK("http://x","y")', "+8613800138000", "@user")
    assert table.rows[1].cells == ("-", "=1+2", "-5")


def test_zoom_participants_csv_finds_the_header_below_the_meeting_block(tmp_path: Path) -> None:
    text = (
        "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants\n"
        "812 3456 7890,车主课堂,10/01/2023 09:50:01 AM,10/01/2023 12:02:10 PM,host@x.com,133,3\n"
        ",,,,,,\n"
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
        "003_Power Girl,,10/01/2023 09:54:15 AM,10/01/2023 12:01:59 PM,128,Yes\n"
    )
    table = read_table(_csv(tmp_path, text, "utf-8-sig"), fields=ZOOM)
    assert table.header_row == 4
    assert table.headers[0] == "Name (Original Name)"
    assert table.rows[0].number == 5
    assert table.rows[0].cells[4] == "128"


def _tencent_xlsx(path: Path) -> None:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("成员参会概况")
    for r, (k, v) in enumerate(
        [("会议主题", "车主课堂"), ("会议号", "123456789"), ("预定人", "李娜"),
         ("开始时间", "2023-10-01 09:50:00"), ("结束时间", "2023-10-01 12:00:00"),
         ("参会人数", "3"), ("", ""), ("", "")]
    ):  # fmt: skip
        if k:
            ws.write_row(r, 0, [k, v])
    ws.write_row(8, 0, ["用户昵称（入会昵称）", "首次入会时间", "最后退会时间", "入会次数",
                        "累计参会时长", "身份"])  # fmt: skip
    ws.write_row(9, 0, ["张伟(张伟)", "2023-10-01 09:54:15", "2023-10-01 11:54:15", 2,
                        "1:40:00", "普通参会者"])  # fmt: skip
    wb.close()


def test_tencent_meeting_export_header_on_row_9_is_found(tmp_path: Path) -> None:
    path = tmp_path / "腾讯会议-123456789-abc.xlsx"
    _tencent_xlsx(path)
    table = read_table(path, fields=TENCENT)
    assert table.header_row == 9
    assert table.headers[0] == "用户昵称(入会昵称)"  # NFKC: full-width brackets
    assert table.rows[0].number == 10
    assert table.rows[0].cells[:4] == (
        "张伟(张伟)",
        "2023-10-01 09:54:15",
        "2023-10-01 11:54:15",
        "2",
    )
    assert table.sheet == "成员参会概况"


def test_excel_numbers_dates_and_blanks_are_normalised(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("名单")
    fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, ["姓名", "手机号码", "购车日期", "积分", "完成"])
    ws.write_string(1, 0, "张伟")
    ws.write_number(1, 1, 13800138000)
    ws.write_datetime(1, 2, datetime(2023, 5, 6), fmt)
    ws.write_number(1, 3, 12.5)
    ws.write_boolean(1, 4, True)
    ws.write_string(3, 0, "王芳")
    ws.write_formula(3, 3, "=1+2", None, 3)
    wb.close()
    table = read_table(path, fields=PEOPLE)
    assert table.rows[0].cells == ("张伟", "13800138000", date(2023, 5, 6), "12.5", "TRUE")
    assert table.rows[1].number == 4  # the blank row 3 is skipped, numbering is kept
    assert table.rows[1].cells == ("王芳", None, None, "3", None)


def test_the_data_sheet_is_chosen_and_a_named_sheet_can_be_asked_for(tmp_path: Path) -> None:
    path = tmp_path / "b.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("说明")
    ws = wb.add_worksheet("客户")
    ws.write_row(0, 0, ["姓名", "手机"])
    ws.write_row(1, 0, ["张伟", "13800138000"])
    other = wb.add_worksheet("其他")
    other.write_row(0, 0, ["name", "mobile"])
    other.write_row(1, 0, ["Li", "13912345678"])
    wb.close()
    assert read_table(path, fields=PEOPLE).sheet == "客户"
    table = read_table(path, fields=PEOPLE, sheet="其他")
    assert table.rows[0].cells == ("Li", "13912345678")
    assert table.sheets == ("说明", "客户", "其他")
    with pytest.raises(FileUnreadable, match=r"no sheet named '不存在'.*说明, 客户, 其他"):
        read_table(path, sheet="不存在")


def test_an_old_xls_workbook_is_read(tmp_path: Path) -> None:
    table = read_table(FIXTURES / "dms_export.xls", fields=PEOPLE)
    assert table.kind == "xls"
    assert table.header_row == 3
    assert table.rows[0].cells[1:3] == ("张伟", "13800138000")


def test_the_header_row_can_be_forced(tmp_path: Path) -> None:
    text = "a,b\n姓名,手机\n张伟,13800138000\n"
    table = read_table(_csv(tmp_path, text, "utf-8"), header_row=2)
    assert table.headers == ("姓名", "手机")


# --------------------------------------------------------------------------- bad files


def test_a_truncated_workbook_says_it_is_damaged() -> None:
    with pytest.raises(FileUnreadable, match=r"truncated\.xlsx: the file is damaged"):
        read_table(FIXTURES / "truncated.xlsx")


def test_an_empty_file_says_it_is_empty() -> None:
    with pytest.raises(FileUnreadable, match="empty"):
        read_table(FIXTURES / "empty.csv")


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(FileUnreadable, match="file not found"):
        read_table(tmp_path / "nope.xlsx")


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"%PDF-1.7\n...", "PDF document"),
        (b"\x89PNG\r\n\x1a\n....", "picture"),
        (b"<html><body><p>Session expired, please log in</p></body></html>", "web page"),
        (b"SQLite format 3\x00" + b"\x00" * 100, "database file"),
        (b"\xef\xbb\xbf\r\n\r\n", "empty"),
    ],
)
def test_files_that_are_not_sheets_say_what_they_seem_to_be(
    tmp_path: Path, data: bytes, why: str
) -> None:
    path = tmp_path / "export.xls"
    path.write_bytes(data)
    with pytest.raises(FileUnreadable, match=why):
        read_table(path)


def test_a_word_document_renamed_xlsx_is_called_a_word_document(tmp_path: Path) -> None:
    path = tmp_path / "名单.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(FileUnreadable, match="Word document"):
        read_table(path)


def test_a_password_protected_workbook_asks_to_remove_the_password(tmp_path: Path) -> None:
    # What Excel writes for an encrypted .xlsx: an OLE container with an EncryptedPackage.
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    path = tmp_path / "locked.xlsx"
    path.write_bytes(header + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 1000)
    with pytest.raises(FileUnreadable, match="password-protected"):
        read_table(path)


def test_a_damaged_xls_says_so(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(2000))
    with pytest.raises(FileUnreadable, match="damaged"):
        read_table(path)


def test_too_many_rows_is_refused_with_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tables, "MAX_ROWS", 10)
    monkeypatch.setattr(tables, "_PROGRESS_EVERY", 1)
    text = "姓名,手机\n" + "张伟,13800138000\n" * 20
    with pytest.raises(FileUnreadable, match=r"at most 10|more than 10"):
        read_table(_csv(tmp_path, text, "utf-8"))


def test_a_huge_cell_is_refused_with_its_address(tmp_path: Path) -> None:
    text = "姓名,手机\n张伟," + "9" * 20_000 + "\n"
    with pytest.raises(FileUnreadable, match="cell B2 has 20,000 characters"):
        read_table(_csv(tmp_path, text, "utf-8"))


def test_a_zip_bomb_is_refused_before_unpacking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tables, "MAX_UNZIPPED_BYTES", 1000)
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", "<c>" + "0" * 100_000 + "</c>")
    with pytest.raises(FileUnreadable, match="unpacks to"):
        read_table(path)


def test_reading_reports_progress_and_can_be_cancelled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tables, "_PROGRESS_EVERY", 10)
    text = "姓名,手机\n" + "".join(f"人{i},138{i:08d}\n" for i in range(100))
    path = _csv(tmp_path, text, "utf-8")
    seen: list[tuple[int, int]] = []
    read_table(path, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1][0] == seen[-1][1] and len(seen) > 5
    calls = iter(range(1000))
    with pytest.raises(Cancelled):
        read_table(path, is_cancelled=lambda: next(calls) >= 3)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".csv", ".xlsx", ".xls", ".txt"]))
def test_random_bytes_never_crash_the_reader(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        table = read_table(path, fields=PEOPLE)
    except FileUnreadable as exc:
        assert str(exc).startswith("cannot read")
    else:
        assert all(r.number > table.header_row for r in table.rows)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.lists(
            st.one_of(
                st.text(max_size=20),
                st.integers(),
                st.floats(allow_nan=True),
                st.none(),
                st.booleans(),
            ),
            min_size=1,
            max_size=5,
        ),
        min_size=1,
        max_size=8,
    )
)
def test_random_cells_in_a_workbook_never_crash_the_reader(
    tmp_path: Path, rows: list[list[object]]
) -> None:
    path = tmp_path / "cells.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "nan_inf_to_errors": True})
    ws = wb.add_worksheet()
    for r, cells in enumerate(rows):
        for c, cell in enumerate(cells):
            if isinstance(cell, str):
                ws.write_string(r, c, cell)
            elif cell is not None:
                ws.write(r, c, cell)
    wb.close()
    try:
        table = read_table(path, fields=PEOPLE)
    except FileUnreadable as exc:
        assert "no rows" in str(exc)
    else:
        assert all(len(r.cells) == len(table.headers) for r in table.rows)


@pytest.mark.parametrize(
    ("source", "name", "kind"),
    [
        ("dms_export.xlsx", "导出.xls", "xlsx"),
        ("dms_export.xls", "导出.xlsx", "xls"),
        ("dms_export.xlsx", "导出.csv", "xlsx"),
        ("dms_export_gbk.csv", "导出.xls", "csv"),
    ],
)
def test_a_renamed_file_is_read_by_what_it_is_not_by_its_name(
    tmp_path: Path, source: str, name: str, kind: str
) -> None:
    path = tmp_path / name
    path.write_bytes((FIXTURES / source).read_bytes())
    table = read_table(path, fields=PEOPLE)
    assert (table.kind, table.header_row, len(table.rows)) == (kind, 3, 18)


def test_a_notes_sheet_before_the_data_sheet_is_passed_over(tmp_path: Path) -> None:
    path = tmp_path / "dms.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    notes = wb.add_worksheet("说明")
    notes.write_row(0, 0, ["本表由DMS导出"])
    notes.write_row(1, 0, ["导出时间 2026-11-01"])
    data = wb.add_worksheet("客户")
    data.write_row(0, 0, ["客户姓名", "手机号码", "车型"])
    data.write_row(1, 0, ["张伟", "13800138000", "SUV"])
    wb.close()
    table = read_table(path, fields=PEOPLE)
    assert table.sheet == "客户" and table.sheets == ("说明", "客户")
    assert read_table(path, sheet="说明").sheet == "说明", "an explicit sheet is respected"


def test_a_web_systems_html_xls_reads_like_a_sheet_with_merged_cells_undone(
    tmp_path: Path,
) -> None:
    page = """<html><head><meta charset="gbk"><script>var x = "<td>no</td>";</script></head>
    <body><table><tr><td colspan="3">客户信息导出</td></tr>
    <tr><th>姓名</th><th>手机</th><th>车型</th></tr>
    <tr><td rowspan="2">张伟</td><td style="mso-number-format:'\\@'">13800138000</td>
        <td>帕萨特<br>2023款</td></tr>
    <tr><td>13900139000</td><td>途观L</td></tr>
    <tr><td>李&amp;娜</td><td>="13700137000"</td><td><table><tr><td>inner</td></tr></table></td></tr>
    </table></body></html>"""
    path = tmp_path / "export.xls"
    path.write_bytes(page.encode("gbk"))
    table = read_table(path, fields=PEOPLE)
    assert table.kind == "html" and table.headers == ("姓名", "手机", "车型")
    assert [r.cells for r in table.rows] == [
        ("张伟", "13800138000", "帕萨特 2023款"),
        ("张伟", "13900139000", "途观L"),  # a rowspan is in each row it spans, as Excel shows it
        ("李&娜", "13700137000", None),  # ="…" is Excel's text guard; a nested table apart
    ]


def test_an_xml_spreadsheet_2003_reads_its_sheets_with_skipped_cells(tmp_path: Path) -> None:
    xml = """<?xml version="1.0"?>
    <Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
              xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
     <Worksheet ss:Name="说明"><Table/></Worksheet>
     <Worksheet ss:Name="客户"><Table>
      <Row><Cell><Data ss:Type="String">姓名</Data></Cell><Cell><Data ss:Type="String">手机</Data></Cell>
           <Cell><Data ss:Type="String">购车日期</Data></Cell></Row>
      <Row ss:Index="3"><Cell><Data ss:Type="String">王芳</Data></Cell>
           <Cell ss:Index="3"><Data ss:Type="DateTime">2023-05-06T00:00:00.000</Data></Cell></Row>
     </Table></Worksheet></Workbook>"""
    path = tmp_path / "export.xls"
    path.write_text(xml, encoding="utf-8")
    table = read_table(path, fields=PEOPLE)
    assert (table.sheet, table.sheets) == ("客户", ("说明", "客户"))
    assert [(r.number, r.cells) for r in table.rows] == [(3, ("王芳", None, datetime(2023, 5, 6)))]


def test_a_broken_xml_spreadsheet_says_it_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "export.xls"
    path.write_text(
        '<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
        "<Worksheet><Table><Row>",
        encoding="utf-8",
    )
    with pytest.raises(FileUnreadable, match="XML spreadsheet is damaged"):
        read_table(path)


# --------------------------------------------------------------------------- real exports


def _xlsx(path: Path, write: Any) -> Path:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    write(wb)
    wb.close()
    return path


def test_rows_are_numbered_as_excel_shows_them_when_the_sheet_starts_below_row_1(
    tmp_path: Path,
) -> None:
    def write(wb: Any) -> None:
        ws = wb.add_worksheet("客户")
        ws.write_row(2, 1, ["姓名", "手机"])  # B3: rows 1–2 and column A are empty
        ws.write_row(3, 1, ["张伟", "13800138000"])
        ws.write_row(5, 1, ["王芳", "13912345678"])

    table = read_table(_xlsx(tmp_path / "b3.xlsx", write), fields=PEOPLE)
    assert (table.header_row, table.headers) == (3, ("", "姓名", "手机"))
    assert [(r.number, r.cells) for r in table.rows] == [
        (4, (None, "张伟", "13800138000")),
        (6, (None, "王芳", "13912345678")),
    ]
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sh = book.add_sheet("客户")
    for r, cells in ((2, ["姓名", "手机"]), (3, ["张伟", "13800138000"])):
        for c, text in enumerate(cells, start=1):
            sh.write(r, c, text)
    book.save(str(tmp_path / "b3.xls"))
    old = read_table(tmp_path / "b3.xls", fields=PEOPLE)
    assert (old.header_row, [r.number for r in old.rows]) == (3, [4])


def test_a_cell_merged_down_is_in_each_row_it_spans_as_excel_shows_it(tmp_path: Path) -> None:
    def write(wb: Any) -> None:
        ws = wb.add_worksheet("客户")
        ws.write_row(0, 0, ["姓名", "手机", "车架号", "备注"])
        ws.merge_range(1, 0, 2, 0, "张伟")  # over his two cars
        ws.merge_range(1, 1, 3, 1, "13800138000")  # row 4 is otherwise blank
        ws.write_row(1, 2, ["VIN-1"])
        ws.write_row(2, 2, ["VIN-2"])
        ws.merge_range(4, 2, 4, 3, "across")  # merged across: its first column only
        ws.write(4, 0, "王芳")

    table = read_table(_xlsx(tmp_path / "merged.xlsx", write), fields=PEOPLE)
    assert [(r.number, r.cells) for r in table.rows] == [
        (2, ("张伟", "13800138000", "VIN-1", None)),
        (3, ("张伟", "13800138000", "VIN-2", None)),
        (5, ("王芳", None, "across", None)),  # row 4 held only the merge: still blank
    ]


def test_an_xml_spreadsheet_cell_merged_down_is_in_each_row_it_spans(tmp_path: Path) -> None:
    down = ' ss:MergeDown="1"'

    def cell(text: str, extra: str = "") -> str:
        return "<Cell" + extra + '><Data ss:Type="String">' + text + "</Data></Cell>"

    rows = [
        cell("姓名") + cell("手机") + cell("车型"),
        cell("张伟", down) + cell("13800138000", down) + cell("帕萨特"),
        cell("途观L", ' ss:Index="3"'),
        cell("王芳") + cell("13912345678", down),
        cell("李娜"),
    ]
    xml = (
        '<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"'
        ' xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="客户">'
        "<Table>"
        + "".join("<Row>" + r + "</Row>" for r in rows)
        + "</Table></Worksheet></Workbook>"
    )
    path = tmp_path / "export.xls"
    path.write_text(xml, encoding="utf-8")
    assert [r.cells for r in read_table(path, fields=PEOPLE).rows] == [
        ("张伟", "13800138000", "帕萨特"),
        ("张伟", "13800138000", "途观L"),
        ("王芳", "13912345678", None),
        ("李娜", "13912345678", None),  # the merge reaches the end of the row
    ]


PEOPLE_WIDE = (
    *PEOPLE,
    FieldSpec("vin", ("车架号", "vin码")),
    FieldSpec("plate", ("车牌号码", "车牌")),
    FieldSpec("model", ("车型",)),
)


def test_a_header_written_over_two_rows_is_read_as_one(tmp_path: Path) -> None:
    text = (
        "交付明细,,,,,\n"
        "序号,客户姓名,手机号码,车辆信息,,\n"  # names merged down, a group over three columns
        ",,,VIN码,车牌号码,车型\n"
        "1,张伟,13800138000,LSVAU2180N2183294,沪A12345,帕萨特\n"
    )
    table = read_table(_csv(tmp_path, text, "gbk"), fields=PEOPLE_WIDE)
    assert table.header_row == 3 and table.preamble_rows == (1, 2)
    assert table.headers == ("序号", "客户姓名", "手机号码", "VIN码", "车牌号码", "车型")
    assert [r.number for r in table.rows] == [4]
    # a group row over a complete header names nothing more: the header is one row
    grouped = "客户信息,,车辆信息\n客户姓名,手机号码,车型\n张伟,13800138000,帕萨特\n"
    table = read_table(_csv(tmp_path, grouped, "utf-8", "g.csv"), fields=PEOPLE_WIDE)
    assert (table.header_row, table.headers) == (2, ("客户姓名", "手机号码", "车型"))
    # a data row under a header is never taken for a second header row
    half = "姓名,手机号码,,\n张伟,13800138000,车型,VIN码\n"
    table = read_table(_csv(tmp_path, half, "utf-8", "h.csv"), fields=PEOPLE_WIDE)
    assert table.header_row == 1 and len(table.rows) == 1


def test_a_reports_sign_off_and_page_lines_are_not_data(tmp_path: Path) -> None:
    text = SAMPLE + (
        "制表人：王小明,,审核人：\n"
        "打印时间：2026-11-03 14:22,,\n"
        "第 1 页 共 3 页,,\n"
        "总记录数：2,,\n"
        "制表：信息部,,\n"
    )
    table = read_table(_csv(tmp_path, text, "utf-8"), fields=PEOPLE)
    assert [r.cells[0] for r in table.rows] == ["张伟", "王芳"]
    assert table.skipped == (4, 5, 6, 7, 8)
    assert not tables.is_footer(("打印机", None)) and not tables.is_footer(("第一页码",))


def test_same_as_above_takes_the_value_of_the_row_above(tmp_path: Path) -> None:
    text = "姓名,手机号码,顾问\n张伟,13800138000,李娜\n张伟,同上,〃\n王芳,13912345678,同上\n"
    table = read_table(_csv(tmp_path, text, "utf-8"), fields=PEOPLE)
    assert [r.cells for r in table.rows] == [
        ("张伟", "13800138000", "李娜"),
        ("张伟", "13800138000", "李娜"),
        ("王芳", "13912345678", "李娜"),  # the row above's own 同上, already read
    ]
    first = read_table(_csv(tmp_path, "姓名,顾问\n张伟,同上\n", "utf-8", "f.csv"), fields=PEOPLE)
    assert first.rows[0].cells == ("张伟", None)  # nothing above it


def test_an_apostrophe_that_kept_a_number_as_text_is_not_part_of_it(tmp_path: Path) -> None:
    text = (
        "姓名,手机号码,车架号,备注\n"
        "张伟,'13800138000,'LSVAU2180N2183294,'2023-05-06\n"
        "王芳,'+86 139 1234 5678,,'s good\n"
        "李娜,13700137000,,'quoted' 2 times\n"
    )
    table = read_table(_csv(tmp_path, text, "utf-8"), fields=PEOPLE)
    assert [r.cells for r in table.rows] == [
        ("张伟", "13800138000", "LSVAU2180N2183294", "2023-05-06"),
        ("王芳", "+86 139 1234 5678", None, "'s good"),  # words, not a number: kept
        ("李娜", "13700137000", None, "'quoted' 2 times"),
    ]


def test_line_breaks_in_a_crlf_files_cells_are_newlines(tmp_path: Path) -> None:
    text = '姓名,手机号码,备注\r\n张伟,13800138000,"首保已做\r\n下次 2027-03"\r\n'
    table = read_table(_csv(tmp_path, text, "utf-8"), fields=PEOPLE)
    assert table.rows[0].cells == ("张伟", "13800138000", "首保已做\n下次 2027-03")


def test_a_hidden_sheet_and_a_summary_sheet_are_passed_over(tmp_path: Path) -> None:
    fields = (*PEOPLE, FieldSpec("butler", ("销售顾问", "顾问")), FieldSpec("stage", ("客户类型",)))

    def write(wb: Any) -> None:
        old = wb.add_worksheet("旧模板")  # hidden: it would name the fields best
        old.write_row(0, 0, ["姓名", "手机", "销售顾问", "客户类型"])
        old.write_row(1, 0, ["示例", "13800000000", "顾问", "车主"])
        old.hide()
        summary = wb.add_worksheet("汇总")  # names one field: not a customer list
        summary.write_row(0, 0, ["销售顾问", "客户数"])
        summary.write_row(1, 0, ["李娜", 12])
        data = wb.add_worksheet("明细")
        data.write_row(0, 0, ["姓名", "手机"])
        data.write_row(1, 0, ["张伟", "13800138000"])
        data.activate()  # Excel cannot hide the sheet it opens on

    path = _xlsx(tmp_path / "book.xlsx", write)
    table = read_table(path, fields=fields)
    assert (table.sheet, table.hidden_sheets) == ("明细", ("旧模板",))
    assert read_table(path, sheet="汇总", fields=fields).sheet == "汇总"


_CELL_VALUES = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "  ",
            "１３８００１３８０００",
            "'0123",
            "'abc",
            '="138"',
            '="a""b"',
            "a\r\nb",
            "同上",
            "Ａ　Ｂ",
            "x\u0301",
            " 王芳 ",
            "\u00a0",
            "ﾃｽﾄ",
            "+86 138",
            "-",
            "（空）",
        ]
    ),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.booleans(),
    st.dates(),
    st.datetimes(),
)
_SHEETS = st.integers(1, 5).flatmap(
    lambda width: st.lists(
        st.one_of(
            st.lists(_CELL_VALUES, min_size=width, max_size=width),
            st.lists(_CELL_VALUES, max_size=width + 2),  # a CSV's rows differ in length
            st.lists(st.sampled_from(["", "  ", None]), min_size=width, max_size=width),
        ),
        max_size=30,
    )
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(rows=_SHEETS, every=st.integers(1, 7), ticks_from=st.integers(0, 1))
def test_rows_normalised_a_column_at_a_time_are_each_cell_normalised(
    rows: list[list[Any]], every: int, ticks_from: int
) -> None:
    """The column-at-a-time normalising (_Guard.rows) gives exactly normalise_cell of each
    cell, row by row, blank rows left out, whatever the batch boundaries."""
    guard = tables._Guard(Path("x.csv"), len(rows), None, None)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(tables, "_PROGRESS_EVERY", every)
        got = guard.rows(iter(rows), ticks_from=ticks_from)
    want = [
        (number, cells)
        for number, values in enumerate(rows, start=1)
        if (cells := tuple(tables.normalise_cell(v) for v in values)).count(None) != len(cells)
    ]
    assert got == want
    assert guard.count == len(rows)


def test_a_csv_error_comes_after_the_rows_read_before_it(tmp_path: Path) -> None:
    """A too-long cell above a broken CSV line is what is reported (it comes first)."""
    text = "姓名,手机\n张伟," + "9" * 20_000 + '\n王芳,"1380013\0\n'
    with pytest.raises(FileUnreadable, match="cell B2 has 20,000 characters"):
        read_table(_csv(tmp_path, text, "utf-8"))
