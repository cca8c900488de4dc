"""Column mapping: Chinese and English headers, survey numbering, user overrides."""

from __future__ import annotations

import pytest

from desktop_app.io.mapping import (
    FieldSpec,
    column_letter,
    guess_mapping,
    normalise_header,
    resolve_column,
)
from desktop_app.services.people_import import PEOPLE_FIELDS


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1、客户姓名（必填）：", "客户姓名"),
        ("Q2. Mobile Phone*", "mobilephone"),
        ("2.手机号码", "手机号码"),
        ("第3题 车牌号", "车牌号"),
        ("（4）购车日期", "购车日期"),
        ("三、备注", "备注"),
        ("  ＶＩＮ ", "vin"),
        ("*联系电话", "联系电话"),
        (None, ""),
    ],
)
def test_headers_are_compared_without_numbering_marks_and_case(raw: object, expected: str) -> None:
    assert normalise_header(raw) == expected


def _guess(headers: list[str]) -> dict[str, str]:
    cols = guess_mapping(headers, PEOPLE_FIELDS)
    return {k: headers[c] for k, c in cols.items()}


def test_a_dms_export_maps_every_column() -> None:
    headers = ["序号", "客户姓名", "手机号码", "微信号", "客户类型", "车型", "车架号",
               "车牌号", "购车日期", "销售顾问", "标签", "备注"]  # fmt: skip
    assert _guess(headers) == {
        "name": "客户姓名", "phone": "手机号码", "wechat": "微信号", "stage": "客户类型",
        "model": "车型", "vin": "车架号", "plate": "车牌号", "purchase_date": "购车日期",
        "butler": "销售顾问", "tags": "标签", "notes": "备注",
    }  # fmt: skip


def test_english_headers_map_too() -> None:
    headers = ["Customer Name", "Mobile", "E-mail", "VIN", "Plate Number", "Purchase Date",
               "Advisor", "Birthday", "Lead Source"]  # fmt: skip
    assert _guess(headers) == {
        "name": "Customer Name", "phone": "Mobile", "email": "E-mail", "vin": "VIN",
        "plate": "Plate Number", "purchase_date": "Purchase Date", "butler": "Advisor",
        "birthday": "Birthday", "source": "Lead Source",
    }  # fmt: skip


def test_survey_question_titles_map_after_numbering_is_removed() -> None:
    headers = ["序号", "提交答卷时间", "所用时间", "1、您的姓名：", "2、您的手机号码：",
               "3、意向车型", "4、您的微信号（选填）"]  # fmt: skip
    assert _guess(headers) == {
        "name": "1、您的姓名：", "phone": "2、您的手机号码：", "model": "3、意向车型",
        "wechat": "4、您的微信号（选填）",
    }  # fmt: skip


def test_an_exact_header_wins_over_one_that_merely_contains_the_word() -> None:
    headers = ["联系人电话", "联系人", "姓名"]
    assert _guess(headers) == {"phone": "联系人电话", "name": "姓名"}


def test_a_slightly_misspelt_english_header_is_matched_fuzzily() -> None:
    fields = (FieldSpec("phone", ("mobile",)), FieldSpec("email", ("email",)))
    assert guess_mapping(["mobil", "emial address"], fields) == {"phone": 0}


def test_user_overrides_win_and_none_unmaps() -> None:
    headers = ["姓名", "手机", "备用电话"]
    cols = guess_mapping(headers, PEOPLE_FIELDS, {"phone": "备用电话", "name": None})
    assert cols == {"phone": 2, "phone2": 1}  # the other phone column is the second one
    assert guess_mapping(headers, PEOPLE_FIELDS, {"phone": "C"})["phone"] == 2
    assert guess_mapping(headers, PEOPLE_FIELDS, {"phone": 1})["phone"] == 1


def test_an_override_naming_a_missing_column_lists_the_columns() -> None:
    with pytest.raises(ValueError, match=r"no column named '电话号码'.*姓名, 手机"):
        resolve_column(["姓名", "手机"], "电话号码")


def test_column_letters_match_excel() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A", "Z", "AA", "AB", "ZZ", "AAA"
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (  # a DMS customer list: VIN in the header, 型号, 销售日期, 所属顾问
            ["序号", "客户名称", "性别", "客户手机", "车辆VIN码", "车牌号码", "车辆型号",
             "销售日期", "所属顾问", "会员等级", "地址"],
            {"name": "客户名称", "phone": "客户手机", "vin": "车辆VIN码", "plate": "车牌号码",
             "model": "车辆型号", "purchase_date": "销售日期", "butler": "所属顾问"},
        ),
        (  # a CRM template with notes in full-width brackets
            ["客户编号", "车主姓名（必填）", "手机号码（必填）", "车架号（VIN）", "车牌号", "车系",
             "交付日期", "跟进顾问", "证件号码"],
            {"name": "车主姓名（必填）", "phone": "手机号码（必填）", "vin": "车架号（VIN）",
             "plate": "车牌号", "model": "车系", "purchase_date": "交付日期", "butler": "跟进顾问"},
        ),
        (  # an import template with formats in brackets
            ["客户姓名", "手机号码(11位)", "VIN(17位)", "购车日期(yyyy-mm-dd)"],
            {"name": "客户姓名", "phone": "手机号码(11位)", "vin": "VIN(17位)",
             "purchase_date": "购车日期(yyyy-mm-dd)"},
        ),
        (  # a brand column next to the model: the model wins 车型
            ["姓名*", "手机*", "品牌", "车型名称", "负责人"],
            {"name": "姓名*", "phone": "手机*", "model": "车型名称", "butler": "负责人"},
        ),
    ],
    ids=["dms-list", "crm-fullwidth-notes", "template-formats", "brand-and-model"],
)  # fmt: skip
def test_headers_of_other_dealer_systems_map_to_the_right_fields(
    headers: list[str], expected: dict[str, str]
) -> None:
    got = guess_mapping(headers, PEOPLE_FIELDS)
    assert {k: headers[c] for k, c in got.items()} == expected


def test_a_survey_question_written_as_a_sentence_is_found_by_its_keyword() -> None:
    fields = (
        FieldSpec("rating", ("满意度", "评分"), keywords=("满意",)),
        FieldSpec("nps", ("推荐度",), keywords=("推荐",)),
    )
    headers = ["1.您的手机号码", "2.您对本次活动的满意度", "3.您有多大可能向朋友推荐我们？"]
    assert guess_mapping(headers, fields) == {"rating": 1, "nps": 2}
    # an alias match always beats a keyword: 满意度 names column 1, not the long question
    assert guess_mapping(["您对讲解满意吗", "满意度"], fields) == {"rating": 1}
    # without keywords the 40% rule keeps short aliases out of long titles
    plain = (FieldSpec("rating", ("满意度",)),)
    assert guess_mapping(["2.您对本次活动的满意度"], plain) == {}


def test_pandas_unnamed_columns_are_blank_headers() -> None:
    assert normalise_header("Unnamed: 0") == "" and normalise_header("Unnamed: 3_level_1") == ""
    # "unnamed: 0" contains "name": the index pandas wrote must not become the names
    assert _guess(["Unnamed: 0", "Mobile", "Model", "Unnamed: 9"]) == {
        "phone": "Mobile",
        "model": "Model",
    }


def test_an_alias_marked_whole_header_only_is_not_found_inside_other_headers() -> None:
    fields = (FieldSpec("name", ("姓名", "=客户")), FieldSpec("code", ("编号",)))
    assert guess_mapping(["客户编号", "保有客户数"], fields) == {"code": 0}
    assert guess_mapping(["客户", "编号"], fields) == {"name": 0, "code": 1}


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (  # a 保有客户 list: 车系 is the car (车型 the trim); 所属销售 before 服务顾问
            ["序号", "客户编号", "车辆识别代号", "牌照号", "客户名称", "证件号码", "移动电话",
             "固定电话", "车系", "车型", "购车时间", "所属销售", "服务顾问", "客户类型"],
            {"name": "客户名称", "phone": "移动电话", "phone2": "固定电话", "vin": "车辆识别代号",
             "plate": "牌照号", "model": "车系", "purchase_date": "购车时间", "butler": "所属销售",
             "stage": "客户类型"},
        ),
        (  # a lead list: 线索类型 is no customer stage, 意向车系 the car of interest
            ["线索ID", "客户姓名", "手机号码", "意向车系", "意向车型", "线索来源", "线索类型",
             "跟进状态", "意向级别", "所属销售"],
            {"name": "客户姓名", "phone": "手机号码", "model": "意向车系", "source": "线索来源",
             "butler": "所属销售"},
        ),
        (  # a DMS schema: 车主手机 is the mobile, 车主电话 may be a landline; 车主名
            ["客户id", "客户类型", "车主名", "车主电话", "住宅电话", "车主手机", "证件号码"],
            {"stage": "客户类型", "name": "车主名", "phone": "车主手机"},
        ),
        (  # a summary: counts and prices are not names or consultants
            ["销售顾问", "保有客户数", "潜客数", "销售价格", "销售日期"],
            {"butler": "销售顾问", "purchase_date": "销售日期"},
        ),
        (  # 手机1 / 手机2: the first is the phone, the other the second number
            ["客户姓名", "手机1", "手机2", "车型"],
            {"name": "客户姓名", "phone": "手机1", "phone2": "手机2", "model": "车型"},
        ),
    ],
    ids=["retained-list", "lead-list", "dms-schema", "summary", "two-mobiles"],
)  # fmt: skip
def test_headers_of_real_dms_and_lead_exports_map_to_the_right_fields(
    headers: list[str], expected: dict[str, str]
) -> None:
    assert _guess(headers) == expected
