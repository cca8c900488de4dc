"""Sign-up and survey exports as 问卷星, 金数据 and 腾讯问卷 really give them: numbered titles
with full-width colons, option text and option numbers, per-option and matrix columns,
skip markers, mistyped phones, payments, title rows, GBK / BOM / HTML-.xls files, and the
same person submitting twice.

Fixtures: tests/fixtures/signups/ and surveys/ (made by tests/fixtures/make_forms_real.py).
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from desktop_app.cli import main
from desktop_app.domain.errors import FileUnreadable
from desktop_app.services import feedback, signups_import
from desktop_app.services import registration as reg
from desktop_app.store.db import Database
from desktop_app.store.models import Feedback, Person, Registration
from tests.unit.test_feedback_variants import answers as survey_answers
from tests.unit.test_feedback_variants import setup_event
from tests.unit.test_signups_import import make_event, result

FIX = Path(__file__).parents[1] / "fixtures"
SIGNUPS, SURVEYS = FIX / "signups", FIX / "surveys"


def answers_of(db: Database, ev: uuid.UUID) -> dict[str, tuple[Any, ...]]:
    """name → (answers, interest model, wants a test drive, plate)."""
    out: dict[str, tuple[Any, ...]] = {}
    with db.read() as s:
        for view in reg.list_registrations(db, ev):
            r = s.get(Registration, view.id)
            assert r is not None
            out[view.name] = (r.answers or {}, r.interest_model, r.wants_test_drive, view.plate)
    return out


def rejected(report: signups_import.SignupReport) -> list[tuple[int, str]]:
    return [(r.row, r.reason) for r in report.rejected]


# --------------------------------------------------------------------------- 问卷星 sign-ups


def test_a_wjx_text_download_with_numbered_titles_option_text_and_skips(
    dealer_db: Database,
) -> None:
    ev = make_event(dealer_db)  # 8 seats, waitlist
    rep = signups_import.import_signups(dealer_db, ev, SIGNUPS / "wjx_text_numbered.xlsx")
    assert rep.mapping == {
        "name": "1、您的姓名:",
        "phone": "2、手机号码:",
        "party": "4、参加人数:",
        "model": "3、您的车型:",
        "test_drive": "6、是否需要试驾:",
        "submitted": "提交答卷时间",
    }
    assert rejected(rep) == [
        (4, "phone: '138123456789' has too many digits for a mobile number"),
        (8, "phone: no phone number"),  # 跳过
    ]
    assert rep.duplicate_rows == ((2, 7),) and rep.warnings == ()
    # queue by first submission: 张伟 3 (his later answer), 李娜 1, 陈静 4 = 8 seats
    assert result(dealer_db, ev) == {
        "+8613812345678": ("张伟", "registered", 3, None),
        "+8613912345678": ("李娜", "registered", 1, None),  # 仅本人
        "+8618612345678": ("陈静", "registered", 4, None),  # 4人及以上, full-width digits
        "+8615912345678": ("赵磊", "waitlisted", 3, 1),  # 3人（2大1小）
        "+8618812345678": ("周杰", "waitlisted", 2, 2),  # 2人（含本人）
    }
    multi = "5、您感兴趣的活动环节:"
    assert answers_of(dealer_db, ev) == {
        "张伟": ({multi: ["试驾体验"], "7、备注:": "老婆也来"}, "星辰 S7", True, None),
        "李娜": ({multi: ["茶歇交流"]}, None, False, None),  # 车型 "-", 备注 跳过
        "陈静": (
            {multi: ["儿童乐园", "其他: 带狗"], "7、备注:": "带孩子来"},
            "星辰 X5",
            True,
            None,
        ),
        "赵磊": ({multi: ["儿童乐园"]}, None, False, None),
        "周杰": ({multi: ["新车静态展示", "茶歇交流"]}, None, False, None),
    }  # 总分 and the other system columns are not answers


def test_the_wjx_option_number_download_groups_per_option_columns_and_warns(
    dealer_db: Database,
) -> None:
    ev = make_event(dealer_db)
    rep = signups_import.import_signups(dealer_db, ev, SIGNUPS / "wjx_codes_numbered.xlsx")
    assert [w.reason for w in rep.warnings] == [signups_import.OPTION_NUMBERS_WARNING]
    assert rep.rejected == ()
    assert result(dealer_db, ev) == {
        "+8613812345678": ("张伟", "registered", 2, None),
        "+8613912345678": ("李娜", "registered", 1, None),
        "+8618612345678": ("陈静", "registered", 4, None),
    }
    assert answers_of(dealer_db, ev) == {
        # option 1 of 车型 is not a car model: kept as the answer it is
        "张伟": ({"3、您的车型:": "1", "第5题": ["新车静态展示", "试驾体验"]}, None, True, None),
        "李娜": (
            {"第5题": ["茶歇交流"], "6、是否需要试驾:": "2", "7、备注:": "周六下午到"},
            None,
            False,
            None,
        ),  # -3: 车型 not shown
        "陈静": ({"3、您的车型:": "2", "第5题": ["儿童乐园"]}, None, True, None),
    }


def test_a_wjx_csv_with_the_survey_title_on_row_one_in_gbk(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    rep = signups_import.import_signups(dealer_db, ev, SIGNUPS / "wjx_title_row_gbk.csv")
    assert (rep.mapping["phone"], rep.mapping["party"]) == ("2、联系电话:", "3、参加人数(含本人):")
    assert rejected(rep) == [
        (
            5,
            "phone: '1.36123E+10' is a number Excel shortened (E+ notation): its last "
            "digits are lost; format the phone column as text and export again",
        )
    ]
    assert rep.duplicate_rows == ((3, 6),)  # same minute: the lower row is the later one
    assert result(dealer_db, ev) == {
        "+8613712345678": ("刘洋", "registered", 3, None),
        "+8613612345678": ("吴磊", "registered", 1, None),
    }
    got = answers_of(dealer_db, ev)
    assert got["刘洋"][1] == "星辰 X5" and got["吴磊"] == ({}, None, False, None)


def test_an_old_wjx_xls_with_a_matrix_question(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    rep = signups_import.import_signups(dealer_db, ev, SIGNUPS / "wjx_matrix_old.xls")
    assert rep.mapping["party"] == "3、几位参加?"
    assert rejected(rep) == []
    assert [(w.row, w.field, w.value) for w in rep.warnings] == [(4, "party", "看情况")]
    assert result(dealer_db, ev) == {
        "+8613500001111": ("郑爽", "registered", 2, None),
        "+8613500002222": ("黄磊", "registered", 2, None),  # 两位
        "+8613500003333": ("马丽", "registered", 1, None),  # 看情况: counted as 1, warned
    }
    heard = "5、您是如何得知本次活动的?"
    assert answers_of(dealer_db, ev) == {
        "郑爽": (
            {"第4题(星辰 S7)": "非常感兴趣", "第4题(星辰 X5)": "一般", heard: "朋友推荐"},
            None,
            False,
            None,
        ),
        "黄磊": ({"第4题(星辰 X5)": "感兴趣", heard: "其他: 4S店短信"}, None, False, None),
        "马丽": ({"第4题(星辰 S7)": "一般", "第4题(星辰 X5)": "一般"}, None, False, None),
    }


# --------------------------------------------------------------------------- 金数据 sign-ups


def test_a_jinshuju_export_with_its_wechat_and_update_columns(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    rep = signups_import.import_signups(dealer_db, ev, SIGNUPS / "jinshuju_wechat.xlsx")
    assert rep.mapping["submitted"] == "填写时间"
    assert rejected(rep) == [(4, "phone: '1860000123' has 10 digits; a mobile number has 11")]
    assert rep.duplicate_rows == ((2, 5),)
    assert result(dealer_db, ev) == {
        "+8613611112222": ("欧阳娜娜", "registered", 2, None),
        "+8618600001234": ("吴磊", "registered", 2, None),  # 18600001234(已验证)
    }
    assert answers_of(dealer_db, ev) == {
        "欧阳娜娜": ({"备注": "和老公一起", "微信昵称": "娜娜"}, "星辰 S7", False, None),
        "吴磊": ({}, None, False, None),  # 更新时间, 地理位置, 微信OpenID… are not answers
    }


def test_a_jinshuju_paid_form_registers_only_the_paid_entries(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    rep = signups_import.import_signups(dealer_db, ev, SIGNUPS / "jinshuju_paid.xlsx")
    assert rep.mapping["payment"] == "支付状态"
    assert rejected(rep) == [] and rep.not_registered == 2
    assert [(w.row, w.field, w.value, w.reason) for w in rep.warnings] == [
        (3, "payment", "未支付", "payment: '未支付' — not paid, so it holds no place; "
         "the person is kept, without a registration"),
        (4, "payment", "已退款", "payment: '已退款' — refunded, so it holds no place; "
         "the person is kept, without a registration"),
    ]  # fmt: skip
    assert result(dealer_db, ev) == {
        "+8613700001111": ("钱进", "registered", 2, None),
        "+8613700004444": ("李晨", "registered", 1, None),
    }
    qian = answers_of(dealer_db, ev)["钱进"][0]
    assert qian == {"订单号": "JSJ20261103000001", "金额": "¥198.00"}
    with dealer_db.read() as s:  # the unpaid and refunded: prospects, never lost
        assert s.scalar(select(func.count()).select_from(Person)) == 4


def test_a_jinshuju_html_table_saved_as_xls(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    rep = signups_import.import_signups(dealer_db, ev, SIGNUPS / "jinshuju_html.xls")
    assert rejected(rep) == [] and [(w.row, w.field) for w in rep.warnings] == [(4, "name")]
    assert result(dealer_db, ev) == {
        "+8613800001111": ("冯绍峰", "registered", 2, None),  # 同行 1 + 本人
        "+8613800002222": ("赵丽颖", "registered", 1, None),
        "+8613800003333": ("13800003333", "registered", 2, None),  # no name: by the phone
    }
    got = answers_of(dealer_db, ev)
    assert {n: (a[0], a[3]) for n, a in got.items()} == {
        "冯绍峰": ({}, "沪AD12345"),
        "赵丽颖": ({}, "沪B67890"),
        "13800003333": ({}, None),
    }


# --------------------------------------------------------------------------- 腾讯问卷 sign-ups


def test_a_tencent_csv_with_bom_newest_first(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    rep = signups_import.import_signups(dealer_db, ev, SIGNUPS / "tencent_wj_bom.csv")
    assert rep.mapping["submitted"] == "结束答题时间" and rep.mapping["name"] == "Q1.您的姓名"
    assert rejected(rep) == [(4, "phone: '138001380001' has too many digits for a mobile number")]
    assert rep.duplicate_rows == ((5, 3),)
    assert result(dealer_db, ev) == {
        "+8613812345678": ("张伟", "registered", 3, None),
        "+8618812345678": ("周杰", "registered", 2, None),
    }
    assert answers_of(dealer_db, ev) == {
        "张伟": ({"Q4.是否需要试驾": "看情况"}, None, False, None),  # not yes or no: kept
        "周杰": ({}, None, True, None),  # IP省份 / IP城市 / 答题时长 are not answers
    }


def test_a_tencent_export_with_type_tags_a_companion_s_phone_and_choice_texts(
    dealer_db: Database,
) -> None:
    ev = make_event(dealer_db)
    rep = signups_import.import_signups(dealer_db, ev, SIGNUPS / "tencent_wj_typed.xlsx")
    assert rep.mapping == {
        "name": "1.姓名【填空题】",
        "phone": "2.请留下您的联系方式【填空题】",
        "companions": "4.同行人数【单选题】",
        "model": "5.意向车型【多选题】",
        "test_drive": "6.是否需要试驾【单选题】",
        "plate": "7.车牌号【填空题】",
        "submitted": "结束答题时间",
    }
    assert rejected(rep) == [(4, "phone: no phone number")]  # never the companion's
    assert result(dealer_db, ev) == {
        "+8618812345678": ("周杰", "registered", 2, None),  # 本人 + 同行 1人
        "+8613812345678": ("张伟", "registered", 1, None),
    }
    assert answers_of(dealer_db, ev) == {
        "周杰": (
            {
                "3.同行人手机号【填空题】": "13900000001",
                "5.意向车型【多选题】": ["星辰 S7", "星辰 X5"],
                "7.车牌号【填空题】": "无",  # no plate: kept, the guest still registered
            },
            "星辰 S7",
            True,  # 需要试驾
            None,
        ),
        "张伟": ({}, "星辰 X5", False, "沪AD12345"),  # 暂不需要
    }


def test_a_jinshuju_payment_given_up_and_made_again_is_one_registration(
    dealer_db: Database,
) -> None:
    ev = make_event(dealer_db)
    rep = signups_import.import_signups(dealer_db, ev, SIGNUPS / "jinshuju_paid_retry.xlsx")
    assert rep.duplicate_rows == ((2, 3), (5, 4), (6, 7))  # 邓超 twice unpaid: one person
    assert rejected(rep) == [] and rep.not_registered == 1
    assert [(w.row, w.value) for w in rep.warnings] == [(7, "已关闭")]
    assert result(dealer_db, ev) == {
        "+8613700001111": ("钱进", "registered", 2, None),
        "+8613700002222": ("孙俪", "registered", 1, None),  # the unpaid second order: not 2
    }
    assert answers_of(dealer_db, ev)["钱进"][0] == {"订单号": "JSJ2", "金额": "¥198.00"}


def test_reimporting_each_real_export_changes_nothing(dealer_db: Database) -> None:
    names = ("wjx_text_numbered.xlsx", "jinshuju_paid_retry.xlsx", "tencent_wj_typed.xlsx")
    for name in (*names, "jinshuju_paid.xlsx", "tencent_wj_bom.csv"):
        ev = make_event(dealer_db, title=name)
        first = signups_import.import_signups(dealer_db, ev, SIGNUPS / name)
        again = signups_import.import_signups(dealer_db, ev, SIGNUPS / name)
        assert (again.created, again.updated) == (0, 0)
        assert again.unchanged == first.created + first.updated  # 张伟 is in two files
        assert rejected(again) == rejected(first)


def test_the_chinese_reasons_of_the_new_rules(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    paid = signups_import.import_signups(dealer_db, ev, SIGNUPS / "jinshuju_paid.xlsx")
    assert [w.localized("zh") for w in paid.warnings] == [
        "支付状态：未支付——尚未付款，不占名额；已保留该客户，但未报名",
        "支付状态：已退款——款项已退回，不占名额；已保留该客户，但未报名",
    ]
    title = signups_import.import_signups(dealer_db, ev, SIGNUPS / "wjx_title_row_gbk.csv")
    assert [r.localized("zh") for r in title.rejected] == [
        "手机号：1.36123E+10 是 Excel 缩写成科学计数法的数字，后几位已丢失；"
        "请把手机号列设为文本格式后重新导出"
    ]


# --------------------------------------------------------------------------- surveys


def test_a_wjx_survey_text_download_the_later_answer_wins(dealer_db: Database) -> None:
    ev = setup_event(dealer_db)
    rep = feedback.import_feedback(dealer_db, ev, SURVEYS / "wjx_feedback_text.xlsx")
    assert rep.mapping == {
        "phone": "2、请留下您的手机号,方便回访:",
        "name": "1、您的姓名:",
        "rating": "3、您对本次活动的总体满意度:",
        "nps": "5、您有多大可能向朋友推荐星辰汽车?",
        "comment": "6、您对我们还有什么意见或建议?",
        "submitted": "提交答卷时间",
    }
    assert rep.rejected == ()
    assert [(w.row, w.reason) for w in rep.warnings] == [
        (
            5,
            "phone: '139001390041' has too many digits for a mobile number; "
            "the answer is kept without it",
        )
    ]
    assert (rep.created, rep.duplicates, rep.unmatched) == (4, 1, 0)
    assert rep.duplicate_rows == ((2, 6),)
    assert survey_answers(dealer_db) == {
        ("+8613900139005", 5, 9, "补充:讲解很专业"),  # row 6, not her first answer
        ("+8618600186009", 5, 10, ""),  # 跳过
        ("+8613800138002", 3, 6, ""),  # no phone: her unique name; "无" is no comment
        ("+8613900139004", 2, 3, "停车难"),  # 12-digit phone dropped: his unique name
    }
    again = feedback.import_feedback(dealer_db, ev, SURVEYS / "wjx_feedback_text.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


def test_a_wjx_survey_option_number_download_is_refused(dealer_db: Database) -> None:
    ev = setup_event(dealer_db)
    with pytest.raises(FileUnreadable, match=r"按选项序号.*按选项文本"):
        feedback.import_feedback(dealer_db, ev, SURVEYS / "wjx_feedback_codes.xlsx")
    with dealer_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Feedback)) == 0


def test_a_tencent_survey_gbk_csv_newest_first(dealer_db: Database) -> None:
    ev = setup_event(dealer_db)
    rep = feedback.import_feedback(dealer_db, ev, SURVEYS / "tencent_wj_feedback_gbk.csv")
    assert rep.mapping["rating"] == "2.请为本次活动打分"
    assert rep.mapping["nps"] == "3.推荐意愿(0-10分)"
    assert rep.mapping["submitted"] == "结束答题时间"
    assert rep.rejected == () and rep.duplicate_rows == ((4, 2),)
    assert survey_answers(dealer_db) == {
        ("+8618600186009", 5, 10, "第二次来,更满意了"),  # his newer answer, listed first
        ("+8613800138002", 4, 9, ""),
    }


def test_a_jinshuju_survey_bom_csv(dealer_db: Database) -> None:
    ev = setup_event(dealer_db)
    rep = feedback.import_feedback(dealer_db, ev, SURVEYS / "jinshuju_feedback_bom.csv")
    assert rep.mapping["phone"] == "手机号码" and rep.mapping["submitted"] == "填写时间"
    assert rep.rejected == ()
    assert [(w.row, w.field, w.value) for w in rep.warnings] == [(5, "rating", "6分")]
    assert (rep.created, rep.unmatched, rep.duplicates) == (4, 2, 0)
    assert survey_answers(dealer_db) == {
        ("+8613800138009", 4, 8, ""),  # the second 王伟, by his phone
        (None, 5, 10, "很好"),  # a 王伟 without phone: two registrants share the name
        (None, 3, 5, "没有茶歇"),
        ("+8613900139004", None, 9, ""),  # 6分 of 5: left out, the NPS kept
    }


def test_the_cli_imports_a_real_survey_export(
    dealer_sqlite: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    ev = setup_event(dealer_sqlite)
    path = SURVEYS / "wjx_feedback_text.xlsx"
    args = ["--db", dealer_sqlite.url, "feedback", "import", str(ev), str(path), "--json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["duplicate_rows"] == [{"row": 2, "same_as": 6}]
    codes = SURVEYS / "wjx_feedback_codes.xlsx"
    assert main(["--db", dealer_sqlite.url, "feedback", "import", str(ev), str(codes)]) == 1
    assert "按选项文本" in capsys.readouterr().err


def test_the_option_number_warning_in_the_reader_s_language(
    dealer_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ev = make_event(dealer_db)
    rep = signups_import.import_signups(dealer_db, ev, SIGNUPS / "wjx_codes_numbered.xlsx")
    monkeypatch.setenv("PADDOCK_LANG", "zh_CN")  # --json and the CLI on a Chinese desk
    (warning,) = rep.to_json()["warnings"]
    assert warning["reason"].startswith("这看起来是问卷星的“按选项序号”下载")
    assert warning["code"] == "signup_option_numbers" and warning["row"] is None
    assert f"  整个文件：{warning['reason']}" in rep.summary()
    assert rep.warnings[0].reason == signups_import.OPTION_NUMBERS_WARNING  # English for logs
