"""People exports as dealer DMS / CRM systems and staff really hand them over: title and
query blocks over the header, two-row grouped headers, merged cells, footers and
sign-off lines, cover / 说明 / summary sheets, hidden rows, rows counted from B3, lead
lists, several numbers in a phone cell, "no date" placeholders, VIN typos, unregistered
plates, semicolon / tab / UTF-16 / GB18030 text.

Each fixture (tests/fixtures/make_people_variants.py) gives exactly these people,
vehicles, rejected rows and warnings; a dry run reports the same and changes nothing;
importing it again changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from desktop_app import cli
from desktop_app.io.tables import read_table
from desktop_app.services import people_import as pi
from desktop_app.store.db import Database
from desktop_app.store.models import Person
from tests.fixtures import make_people_variants as mk
from tests.unit.test_people_import import HEAD, _sheet, core, counts, people_state

FIXTURES = Path(__file__).parents[1] / "fixtures" / "people"
LANDLINE = "phone: {!r} is a landline, not a mobile"


def to_check(key: str, value: str) -> str:
    return pi.unverified_note(key, value)


@dataclass(frozen=True)
class Expected:
    """What one file must give. people: (name, phone, stage, wechat, notes, tags, butler);
    vehicles: (owner's phone, else name; VIN, plate, model, purchase date)."""

    sheet: str | None
    header_row: int
    mapping: dict[str, str]
    people: set[tuple[Any, ...]]
    vehicles: set[tuple[Any, ...]]
    rejected: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (row, field)
    duplicates: tuple[tuple[int, int], ...] = ()
    additional: tuple[tuple[int, int], ...] = ()  # (row, the row of its owner it adds to)
    staff: tuple[str, ...] = ()
    skipped: tuple[int, ...] = ()  # footers and header repeats below the header


EXPECTED: dict[str, Expected] = {
    "svw_retained_title_block.xlsx": Expected(
        sheet="保有客户",
        header_row=5,
        mapping={"name": "客户名称", "phone": "移动电话", "phone2": "固定电话",
                 "vin": "车辆识别代号", "plate": "牌照号", "model": "车系",
                 "purchase_date": "购车时间", "butler": "所属销售", "stage": "客户类型",
                 "notes": "备注"},
        people={
            ("张伟", "+8613800138000", "owner", None, "", (), "李娜"),
            ("上海申通物流有限公司", "+8613912345678", "owner", None, "公司车,联系人王经理", (),
             "李娜"),
            ("王芳", "+8613700002222", "owner", None, "", (), "赵强"),
            ("陈明", None, "owner", None, "", (), "李娜"),  # a landline only: no phone
            ("孙丽", "+8613611112222", "owner", None, "首保已做", (), "赵强"),
            ("黄磊", "+8618600004444", "owner", None, "", (), "李娜"),
            # a landline only: no phone, the number kept in the notes
            ("刘洋", None, "owner", None, to_check("phone", "021-55667788"), (), "赵强"),
        },
        vehicles={
            ("+8613800138000", mk.SVW[0], "沪AD12345", "帕萨特", date(2023, 5, 6)),
            ("+8613800138000", mk.SVW[6], "沪AD54321", "途昂", date(2024, 3, 15)),
            ("+8613912345678", mk.SVW[1], "沪B23456", "途观L", date(2023, 6, 18)),
            ("+8613700002222", mk.SVW[2], "沪AF12345", "ID.4 X", date(2024, 1, 20)),
            ("陈明", mk.SVW[4], "沪C54321", "凌渡", date(2024, 3, 3)),
            ("+8613611112222", mk.SVW[5], "沪A12345", "凌渡", date(2022, 12, 31)),
            ("+8618600004444", None, None, "帕萨特", date(2023, 7, 1)),
            ("刘洋", mk.SVW[3], None, "朗逸", date(2024, 2, 2)),
        },
        warnings=[(9, "phone")],
        additional=((12, 6),),  # 张伟's second car
        staff=("李娜", "赵强"),
        skipped=(15, 16, 17),  # 合计：共 8 条, 制表人：… 审核人：…, 打印时间：…
    ),
    "grouped_header_merged.xlsx": Expected(
        sheet="客户车辆明细",
        header_row=3,
        mapping={"name": "客户姓名", "phone": "联系电话", "vin": "VIN码", "plate": "车牌号码",
                 "model": "车型", "purchase_date": "开票日期", "butler": "专属顾问",
                 "notes": "备注"},
        people={
            ("张伟", "+8613800138000", "owner", None, "", (), "李娜"),
            ("王芳", "+8613912345678", "owner", None, "置换客户", (), "李娜"),  # 同上 of 同上
            ("李静", "+8613500001111", "owner", None, "", (), "赵强"),
            ("刘洋", "+8613700002222", "prospect", None, "未交车", ("意向:高尔夫",), "赵强"),
        },
        vehicles={
            ("+8613800138000", mk.GRP[0], "沪AD12345", "迈腾", date(2026, 10, 8)),
            # row 5: the owner's name and phone are the merged cells above
            ("+8613800138000", mk.GRP[1], "沪AD67890", "ID.4 CROZZ", date(2026, 10, 8)),
            ("+8613912345678", mk.GRP[2], "沪B23456", "探岳", date(2026, 10, 12)),
            ("+8613500001111", mk.GRP[3], None, "速腾", date(2025, 12, 9)),  # serial 46000
        },
        additional=((5, 4),),
        staff=("李娜", "赵强"),
        skipped=(10,),
    ),
    "grouped_header_gbk.csv": Expected(
        sheet=None,
        header_row=3,  # the header is rows 2 and 3 together
        mapping={"name": "客户姓名", "phone": "联系电话", "vin": "VIN码", "plate": "车牌号码",
                 "model": "车型", "purchase_date": "开票日期", "butler": "专属顾问",
                 "notes": "备注"},
        people={
            ("张伟", "+8613800138000", "owner", None, "", (), "李娜"),
            ("王芳", "+8613912345678", "owner", None, "置换客户", (), "李娜"),
            ("李静", "+8613500001111", "owner", None, "", (), "赵强"),
            ("刘洋", "+8613700002222", "prospect", None, "未交车", ("意向:高尔夫",), "赵强"),
        },
        vehicles={
            ("+8613800138000", mk.GRP[0], "沪AD12345", "迈腾", date(2026, 10, 8)),
            ("+8613912345678", mk.GRP[2], "沪B23456", "探岳", date(2026, 10, 12)),
            ("+8613500001111", mk.GRP[3], None, "速腾", date(2025, 12, 9)),
        },
        # the CSV lost the merge: nothing says whose car row 5 is
        rejected=[(5, "no name or phone for the owner of this vehicle")],
        staff=("李娜", "赵强"),
        skipped=(10,),
    ),
    "autohome_leads.csv": Expected(
        sheet=None,
        header_row=1,
        mapping={"name": "客户姓名", "phone": "手机号码", "model": "意向车系",
                 "source": "线索来源", "butler": "所属销售", "notes": "备注"},
        people={
            ("李女士", "+8613912340001", "prospect", None, "周末到店",
             ("意向:ID.4 X", "汽车之家-预约试驾"), "赵强"),
            ("用户6204", "+8613712340002", "prospect", None, "",
             ("意向:帕萨特", "汽车之家-400电话"), None),
            ("张先生", "+8613612340003", "prospect", None, "已在别家购买",
             ("意向:途昂", "汽车之家-询底价"), "李娜"),
            ("王先生", "+8613812340004", "prospect", None, "", ("意向:途观L", "汽车之家-询底价"),
             "李娜"),
            ("", "+8613512340005", "prospect", None, "", ("意向:凌渡", "汽车之家-经销商页"), None),
            ("王先生", None, "prospect", None, to_check("phone", "138****5678"),
             ("意向:途观L", "汽车之家-询底价"), "李娜"),  # a masked number: kept to check
        },
        vehicles=set(),
        warnings=[(2, "phone"), (7, "name")],
        staff=("赵强", "李娜"),  # rows with a phone first: row 2's number is no phone
    ),
    "dongchedi_leads.xlsx": Expected(
        sheet="线索列表",
        header_row=1,
        mapping={"name": "姓名", "phone": "电话", "model": "意向车型", "butler": "分配顾问",
                 "source": "线索渠道"},
        people={
            ("周先生", "+8613800001111", "prospect", None, "",
             ("意向:途观L 2025款 330TSI", "懂车帝-App"), "李娜"),
            ("吴女士", "+8613800001112", "prospect", None, "", ("意向:ID.3", "懂车帝-直播"),
             "赵强"),
            ("郑先生", "+8617000001113", "prospect", None, "", ("意向:帕萨特", "懂车帝-App"), None),
            ("冯女士", "+8619200001114", "prospect", None, "", ("意向:朗逸", "懂车帝-小程序"),
             "赵强"),
        },
        vehicles=set(),
        duplicates=((5, 3),),
        staff=("李娜", "赵强"),
    ),
    "crm_semicolon_multiline.csv": Expected(
        sheet=None,
        header_row=1,
        mapping={"name": "Customer Name", "phone": "Mobile", "email": "Email", "model": "Model",
                 "vin": "VIN", "purchase_date": "Purchase Date", "butler": "Sales Consultant",
                 "notes": "Notes"},
        people={
            ("Li Wei", "+8613800138000", "owner", None,
             "First service done\nNext: 2027-03; call before", (), "Anna Zhao"),
            ("Wang Fang", "+8613912345678", "owner", None, "", (), "Anna Zhao"),
            ("Zhang Min", "+8613700002222", "prospect", None, 'Said "call after 6pm"',
             ("意向:Verano",), "Bob Li"),
        },
        vehicles={
            ("+8613800138000", mk.CRM[0], None, "Envision Plus", date(2023, 5, 6)),
            ("+8613912345678", mk.CRM[1], None, "GL8", date(2024, 1, 20)),
        },
        warnings=[(4, "email")],
        staff=("Anna Zhao", "Bob Li"),
    ),
    "gb18030_rare_names.csv": Expected(
        sheet=None,
        header_row=1,
        mapping={"name": "客户姓名", "phone": "手机", "plate": "车牌号码", "vin": "车架号",
                 "purchase_date": "购车日期", "butler": "顾问"},
        people={
            ("𠮷祥", "+8613800138000", "owner", None, "", (), "李娜"),
            ("刘䶮", "+8613900139000", "owner", None, "", (), "李娜"),
            ("王芳", "+8613700137000", "prospect", None, "", (), "赵强"),
            ("李娜娜", "+8613600136000", "owner", None, "", (), "赵强"),
            ("Tom Lee", "+8613500135000", "prospect", None, "", (), None),
        },
        vehicles={
            ("+8613800138000", mk.GBR[0], "沪A12345", None, date(2023, 5, 6)),
            ("+8613900139000", mk.GBR[1], "京ND12345", None, date(2023, 6, 1)),
            ("+8613600136000", mk.GBR[2], None, None, date(2024, 2, 3)),
        },
        staff=("李娜", "赵强"),
    ),
    "excel_unicode_text.txt": Expected(
        sheet=None,
        header_row=1,
        mapping={"name": "姓名", "phone": "手机号码", "model": "车型", "vin": "车架号",
                 "purchase_date": "购车日期", "notes": "备注"},
        people={
            ("赵磊", "+8613800138000", "owner", None, "老客户\n推荐过两位朋友", (), None),
            ("孙悦", "+8613700137001", "prospect", None, "", ("意向:朗逸",), None),
            ("𠮷田", "+8613600136001", "prospect", None, "", (), None),
            ("钱进", None, "owner", None, to_check("phone", "8.6139E+12"), (), None),
        },
        vehicles={
            ("+8613800138000", mk.UNI[0], None, "帕萨特", date(2023, 5, 6)),
            ("钱进", mk.UNI[1], None, "途观L", date(2024, 1, 2)),
        },
        warnings=[(3, "phone")],  # 8.6139E+12: Excel shortened it; kept in the notes
    ),
    "java_dms_tsv.xls": Expected(
        sheet=None,
        header_row=3,
        mapping={"name": "客户名称", "phone": "联系电话", "vin": "车架号码", "plate": "车牌",
                 "model": "车型名称", "purchase_date": "交车时间", "butler": "销售顾问"},
        people={
            ("何军", "+8613800138000", "owner", None, "", (), "李娜"),
            ("马超", "+8613900139000", "owner", None, "", (), "李娜"),
            ("黄蓉", "+8613600136000", "owner", None, "", (), "赵强"),
            ("林涛", None, "prospect", None, to_check("phone", "1370013700"), ("意向:朗逸",),
             "赵强"),
        },
        vehicles={
            ("+8613800138000", mk.TSV[0], "沪C54321", "帕萨特", date(2023, 5, 6)),
            ("+8613900139000", mk.TSV[1], None, "途观L", date(2024, 2, 3)),
            ("+8613600136000", None, "沪D88888", "凌渡", None),
        },
        warnings=[(6, "phone")],  # 10 digits: kept in the notes to check
        staff=("李娜", "赵强"),
        skipped=(8, 9),  # 共 4 条记录, 第 1 页 共 1 页
    ),
    "wps_cover_and_notes.xlsx": Expected(
        sheet="客户明细",
        header_row=2,
        mapping={"name": "姓名", "phone": "手机号码", "stage": "客户类型", "model": "车型",
                 "vin": "车架号", "purchase_date": "购车日期", "butler": "顾问"},
        people={
            ("周杰", "+8613800138011", "owner", None, "", (), "李娜"),
            ("吴磊", "+8613800138012", "prospect", None, "", ("意向:ID.6 X",), "赵强"),
            ("郑爽", "+8613800138013", "member", None, "", (), "李娜"),
        },
        vehicles={
            ("+8613800138011", mk.HID[0], None, "途岳", date(2023, 8, 8)),
            ("+8613800138013", mk.HID[1], None, "途观L", date(2022, 3, 1)),
        },
        staff=("李娜", "赵强"),
    ),
    "summary_sheet_first.xlsx": Expected(
        sheet="客户清单",
        header_row=1,
        mapping={"name": "客户姓名", "phone": "手机", "stage": "客户类型", "model": "意向车型",
                 "butler": "销售顾问"},
        people={
            ("冯伟", "+8613800138021", "owner", None, "", (), "李娜"),
            ("陈静", "+8613800138022", "prospect", None, "", ("意向:途观L",), "赵强"),
        },
        vehicles={("+8613800138021", None, None, "帕萨特", None)},
        staff=("李娜", "赵强"),
    ),
    "hidden_rows_cols.xlsx": Expected(
        sheet="车主",
        header_row=3,  # as Excel numbers it: the sheet starts at B3
        mapping={"name": "车主姓名", "phone": "手机号码", "vin": "VIN码", "plate": "车牌号",
                 "purchase_date": "购车日期"},
        people={
            ("钱多多", "+8613800138031", "owner", None, "", (), None),
            ("周芷若", "+8613800138033", "owner", None, "", (), None),  # a hidden row
            ("张无忌", "+8613800138034", "prospect", None, "", (), None),
            ("赵敏", "+8613800138036", "owner", None, "", (), None),
            ("孙二娘", None, "owner", None, to_check("phone", "021-66668888"), (), None),
        },
        vehicles={
            ("+8613800138031", mk.HID[0], "沪A11111", None, date(2023, 1, 5)),
            ("+8613800138033", mk.HID[2], "沪A33333", None, date(2023, 3, 7)),
            ("+8613800138036", mk.HID[3], "沪A66666", None, date(2023, 6, 9)),
            ("孙二娘", mk.HID[1], None, None, date(2023, 2, 6)),
        },
        rejected=[(8, "no name, phone or VIN")],
        warnings=[(5, "phone")],
        skipped=(10,),  # 小计 with its SUBTOTAL formula
    ),
    "phones_messy.xlsx": Expected(
        sheet="客户",
        header_row=1,
        mapping={"name": "客户姓名", "phone": "手机1", "phone2": "手机2", "model": "车型",
                 "stage": "客户类型"},
        people={
            ("张伟", "+8613800138000", "owner", None, "", (), None),
            ("王芳", "+8613800138001", "owner", None, "", (), None),
            ("李娜", "+8613700001111", "prospect", None, "", (), None),
            ("刘洋", None, "prospect", None, "", (), None),  # 暂无
            ("陈明", "+8613800138002", "prospect", None, "", (), None),
            ("孙丽", "+8613600001111", "prospect", None, "", (), None),
            ("周杰", "+8613912345679", "prospect", None, "", (), None),
            ("吴磊", "+8613800138003", "prospect", None, "", (), None),
            ("郑爽", "+8613800138004", "prospect", None, "", (), None),
            ("马超", "+8613800138005", "prospect", None, "", (), None),
            ("何军", "+8613800138006", "prospect", None, "", (), None),
            ("赵强", None, "prospect", None, to_check("phone", "0571-88886666"), (), None),
            ("钱多多", None, "prospect", None, to_check("phone", "1380013800"), (), None),
        },
        vehicles={
            ("+8613800138000", None, None, "帕萨特", None),
            ("+8613800138001", None, None, "途观L", None),
        },
        # row 2: 手机2 holds another mobile (named, not imported); rows 5 and 12: no mobile
        warnings=[(2, "phone2"), (3, "phone"), (4, "phone"), (5, "phone"), (12, "phone"),
                  (13, "phone"), (14, "phone")],
    ),
    "dates_messy.xlsx": Expected(
        sheet="交车明细",
        header_row=1,
        mapping={"name": "客户姓名", "phone": "手机号码", "vin": "车架号",
                 "purchase_date": "交车日期", "birthday": "出生日期", "notes": "说明"},
        people={
            (f"客户{i + 1:02d}", f"+861380000{1000 + i:04d}", "owner", None, why, (), None)
            for i, (_cell, why) in enumerate(mk.DATE_CELLS)
        },
        vehicles={
            (f"+861380000{1000 + i:04d}", mk.DATES[i], None, None,
             date(2023, 5, 6) if i in (0, 1, 2, 3, 4, 5, 6, 7, 8, 17) else None)
            for i in range(len(mk.DATE_CELLS))
        },
        warnings=[(17, "purchase_date")],  # 2023-5: no day
    ),
    "vins_plates_messy.xlsx": Expected(
        sheet="车辆",
        header_row=1,
        mapping={"name": "车主姓名", "phone": "联系方式", "vin": "底盘号", "plate": "车牌号码",
                 "model": "车型", "purchase_date": "购车日期"},
        people={
            ("冯伟", "+8613800138041", "owner", None, "", (), None),
            ("陈静", "+8613800138042", "owner", None, "", (), None),
            ("褚红", "+8613800138043", "owner", None, "", (), None),
            ("卫东", "+8613800138044", "owner", None, "", (), None),
            ("韩梅", "+8613800138047", "owner", None, "", (), None),
            ("杨帆", "+8613800138048", "owner", None, "", (), None),
            ("朱丽", "+8613800138049", "prospect", None, "", ("意向:宝来",), None),
            # a VIN that cannot be used: the owner and the car come in, the VIN to check
            ("蒋雯", "+8613800138045", "owner", None, to_check("vin", "LFVOA21K8P3060501"), (), None),
            ("沈阳", "+8613800138046", "owner", None, to_check("vin", "LFV2A21K1P306****"), (), None),
        },
        vehicles={
            ("+8613800138041", mk.VP[0], "沪AD12345", "ID.4 X", date(2024, 1, 1)),
            ("+8613800138042", mk.VP[1], "沪A12345", "帕萨特", None),
            ("+8613800138043", mk.VP[2], "沪A54321", "途观L", None),  # O for 0 undone
            ("+8613800138044", mk.VP[3], "粤BD12345", "朗逸", None),  # I for 1 undone
            ("+8613800138047", mk.VP[6], None, "途岳", None),  # 无牌
            ("+8613800138048", mk.VP[7], None, "探歌", None),  # 未上牌
            ("+8613800138045", None, None, "速腾", None),
            ("+8613800138046", None, None, "凌渡", None),
        },
        warnings=[(4, "vin"), (5, "vin"), (6, "vin"), (7, "vin"), (10, "plate")],
    ),
    "xls97_cover_first.xls": Expected(
        sheet="保客明细",
        header_row=4,
        mapping={"name": "客户姓名", "phone": "手机", "model": "车型", "vin": "VIN",
                 "purchase_date": "购车日期", "notes": "备注"},
        people={
            ("许晴", "+8613800138051", "owner", None, "", (), None),
            ("何炅", "+8613800138052", "owner", None, "", (), None),
            ("谢娜", "+8613800138053", "owner", None, "已换车", (), None),
        },
        vehicles={
            ("+8613800138051", mk.XLS[0], None, "帕萨特", date(2023, 4, 1)),
            ("+8613800138052", mk.XLS[1], None, "途观L", date(2023, 4, 2)),
            ("+8613800138053", mk.XLS[2], None, "朗逸", date(2023, 4, 3)),
        },
    ),
    "web_dms_rowspan.xls": Expected(
        sheet=None,
        header_row=2,
        mapping={"name": "客户姓名", "phone": "手机号码", "stage": "客户类型", "vin": "车架号",
                 "plate": "车牌号", "model": "车型", "purchase_date": "开票日期"},
        people={
            ("蔡明", "+8613800138061", "owner", None, "", (), None),
            ("潘玮", "+8613800138062", "owner", None, "", (), None),
            ("韩红", "+8613800138063", "member", None, "", (), None),
        },
        vehicles={
            ("+8613800138061", mk.WEB[0], "沪A61001", "帕萨特", date(2023, 5, 6)),
            ("+8613800138061", mk.WEB[1], "沪A61002", "途昂", date(2024, 6, 7)),
            ("+8613800138062", mk.WEB[2], "沪B62001", "途观L", date(2024, 1, 2)),
            ("+8613800138063", mk.WEB[3], "沪C63001", "ID.4 X", date(2025, 2, 3)),
            ("+8613800138063", None, None, "ID.3", None),
        },
        additional=((4, 3), (7, 6)),  # a customer's second car on the row below, merged
        skipped=(8, 9),  # 共 3 条记录, 第 1 页 / 共 1 页
    ),
}  # fmt: skip
NAMES = sorted(EXPECTED)


def _rows(report: pi.ImportReport) -> dict[str, Any]:
    return {
        "rejected": [(r.row, r.reason) for r in report.rejected],
        "warnings": [(w.row, w.field) for w in report.warnings],
        "duplicates": report.duplicate_rows,
        "additional": report.counts.linked("additional_cars"),
    }


def test_every_fixture_of_the_generator_is_checked() -> None:
    made = {p.name for p in FIXTURES.iterdir()} - {
        "dms_export.xlsx", "dms_export.xls", "dms_export_gbk.csv", "dms_export_utf8bom.csv",
        "dms_export_html.xls", "dms_export_xml2003.xls", "truncated.xlsx", "empty.csv",
    }  # fmt: skip
    assert made == set(EXPECTED)


@pytest.mark.parametrize("name", NAMES)
def test_a_real_export_gives_exactly_the_right_people_and_report(
    dealer_db: Database, name: str
) -> None:
    want = EXPECTED[name]
    before = counts(dealer_db)
    dry = pi.import_people(dealer_db, FIXTURES / name, dry_run=True)
    assert counts(dealer_db) == before, "a dry run changes nothing"
    real = pi.import_people(dealer_db, FIXTURES / name)
    assert core(real) == core(dry) and _rows(real) == _rows(dry)
    assert real.vehicles_created == dry.vehicles_created == len(want.vehicles)
    assert core(real) == {
        "created": len(want.people),
        "updated": 0,
        "unchanged": 0,
        "duplicates": len(want.duplicates),
        "additional_cars": len(want.additional),
        "rejected": [{"row": r, "reason": why} for r, why in want.rejected],
    }
    assert _rows(real) == {
        "rejected": want.rejected,
        "warnings": want.warnings,
        "duplicates": want.duplicates,
        "additional": want.additional,
    }
    assert real.staff_created == want.staff
    assert (real.sheet, real.mapping) == (want.sheet, want.mapping)
    assert people_state(dealer_db) == (want.people, want.vehicles)


@pytest.mark.parametrize("name", NAMES)
def test_importing_a_real_export_again_changes_nothing(dealer_db: Database, name: str) -> None:
    pi.import_people(dealer_db, FIXTURES / name)
    state = people_state(dealer_db), counts(dealer_db)
    again = pi.import_people(dealer_db, FIXTURES / name)
    want = EXPECTED[name]
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(want.people))
    assert (again.vehicles_created, again.vehicles_updated) == (0, 0)
    assert [(r.row, r.reason) for r in again.rejected] == want.rejected
    assert (people_state(dealer_db), counts(dealer_db)) == state


@pytest.mark.parametrize("name", NAMES)
def test_the_header_and_the_rows_that_are_not_data_are_found(name: str) -> None:
    want = EXPECTED[name]
    table = read_table(FIXTURES / name, fields=pi.PEOPLE_FIELDS)
    assert (table.sheet, table.header_row, table.skipped) == (
        want.sheet,
        want.header_row,
        want.skipped,
    )
    preview = pi.preview(None, FIXTURES / name)
    assert preview.header_row == want.header_row
    assert preview.missing == tuple(k for k in pi.KEY_FIELDS if k not in want.mapping)
    # the preview does not look at the database: a car without an owner is found later
    assert preview.counts["rejected"] <= len(want.rejected)


@pytest.mark.parametrize("name", NAMES)
def test_the_cli_dry_run_prints_the_rows_as_excel_numbers_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    dbfile = str(tmp_path / "cli.sqlite")
    assert cli.main(["--db", dbfile, "init", "--dealer-code", "SH-0021",
                     "--dealer-name", "星辰汽车"]) == 0  # fmt: skip
    capsys.readouterr()
    code = cli.main(["--db", dbfile, "people", "import", str(FIXTURES / name), "--dry-run",
                     "--json"])  # fmt: skip
    report = json.loads(capsys.readouterr().out)
    want = EXPECTED[name]
    assert code == 0 and report["dry_run"] is True
    assert (report["created"], report["vehicles_created"]) == (
        len(want.people),
        len(want.vehicles),
    )
    assert [(r["row"], r["reason"]) for r in report["rejected"]] == want.rejected
    assert [(w["row"], w["field"]) for w in report["warnings"]] == want.warnings


# --------------------------------------------------------------------------- details


def _person(db: Database, name: str) -> Person:
    with db.read() as s:
        return s.scalars(select(Person).where(Person.name == name)).one()


def test_placeholder_dates_are_no_date_and_real_birthdays_are_kept(dealer_db: Database) -> None:
    pi.import_people(dealer_db, FIXTURES / "dates_messy.xlsx")
    assert _person(dealer_db, "客户01").birthday == date(1985, 3, 2)
    assert _person(dealer_db, "客户02").birthday is None  # "1900-01-01"
    assert _person(dealer_db, "客户03").birthday is None  # a date cell holding 1900-01-01


def test_an_email_in_capitals_is_kept_in_lower_case(dealer_db: Database) -> None:
    pi.import_people(dealer_db, FIXTURES / "crm_semicolon_multiline.csv")
    assert _person(dealer_db, "Wang Fang").email == "wang.fang@example.com"
    assert _person(dealer_db, "Zhang Min").email is None


def test_the_numbers_left_out_of_a_phone_cell_are_said_in_both_languages(
    dealer_db: Database,
) -> None:
    report = pi.import_people(dealer_db, FIXTURES / "phones_messy.xlsx", dry_run=True)
    said = {w.row: (w.reason, w.localized("zh")) for w in report.warnings}
    assert said[4] == (
        "phone: the cell holds more numbers; +8613700001111 was imported, not 021-12345678",
        "手机号：单元格中有多个号码，已导入 +8613700001111，未导入 021-12345678",
    )
    assert said[13][0].endswith("+8613800138005 was imported, not 13900139006")


def test_a_vin_with_o_typed_for_0_says_what_it_was_read_as(dealer_db: Database) -> None:
    report = pi.import_people(dealer_db, FIXTURES / "vins_plates_messy.xlsx", dry_run=True)
    fixed = next(w for w in report.warnings if w.row == 4)
    assert fixed.value == mk.VIN_O_FOR_0
    assert fixed.reason == (
        f"VIN {mk.VIN_O_FOR_0} read as {mk.VP[2]} (a VIN has no I, O or Q; they were typed "
        "for 1 and 0)"
    )
    assert fixed.localized("zh") == (
        f"车架号 {mk.VIN_O_FOR_0} 按 {mk.VP[2]} 导入（车架号中没有字母 I、O、Q，应为数字 1 和 0）"
    )


def test_an_explicit_sheet_is_read_even_when_another_fits_better(dealer_db: Database) -> None:
    path = FIXTURES / "summary_sheet_first.xlsx"
    table = read_table(path, sheet="按顾问汇总", fields=pi.PEOPLE_FIELDS)
    assert table.sheet == "按顾问汇总"
    assert read_table(path, fields=pi.PEOPLE_FIELDS).hidden_sheets == ()
    wps = read_table(FIXTURES / "wps_cover_and_notes.xlsx", fields=pi.PEOPLE_FIELDS)
    assert wps.hidden_sheets == ("字典",) and wps.sheets[0] == "字典"


# --------------------------------------------------------------------------- row rules


def test_none_words_leave_any_column_empty(dealer_db: Database, tmp_path: Path) -> None:
    rows = [
        [*HEAD, "标签"],
        ["刘洋", "暂无", "无", "未知", mk.VP[0], "未上牌", "朗逸", "/", "待定", "无", "无"],
    ]
    report = pi.import_people(dealer_db, _sheet(tmp_path, rows))
    assert (report.created, report.rejected, report.warnings) == (1, (), ())
    assert report.staff_created == ()
    assert people_state(dealer_db) == (
        {("刘洋", None, "owner", None, "", (), None)},
        {("刘洋", mk.VP[0], None, "朗逸", None)},
    )


def test_a_name_padded_with_spaces_is_the_same_person(dealer_db: Database, tmp_path: Path) -> None:
    first = _sheet(tmp_path, [HEAD, ["王芳", "", "wx_wf"], ["李娜", "13800138000"]])
    pi.import_people(dealer_db, first)
    padded = _sheet(
        tmp_path,
        [
            HEAD,
            ["王\u3000芳", "", "wx_wf"],
            ["李 娜", "13800138000", "", "", "", "", "", "", "赵　强"],
        ],
        "padded.xlsx",
    )
    report = pi.import_people(dealer_db, padded)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert report.staff_created == ("赵强",)


def test_a_date_before_1901_is_a_systems_default_not_a_date(
    dealer_db: Database, tmp_path: Path
) -> None:
    rows = [
        [*HEAD, "生日"],
        [
            "张伟",
            "13800138000",
            "",
            "",
            mk.VP[0],
            "",
            "",
            "1900-01-01",
            "",
            "",
            "1900-01-01 00:00:00",
        ],
        ["王芳", "13912345678", "", "", mk.VP[1], "", "", "1901-01-01", "", "", "1985-03-02"],
    ]
    report = pi.import_people(dealer_db, _sheet(tmp_path, rows))
    assert report.warnings == ()
    _, vehicles = people_state(dealer_db)
    assert {(v[1], v[4]) for v in vehicles} == {(mk.VP[0], None), (mk.VP[1], date(1901, 1, 1))}
    assert _person(dealer_db, "张伟").birthday is None
    assert _person(dealer_db, "王芳").birthday == date(1985, 3, 2)
