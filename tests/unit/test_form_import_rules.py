"""The general rules behind reading real 问卷星 / 金数据 / 腾讯问卷 exports, one by one (the
exports themselves: tests/unit/test_form_imports_real_exports.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.domain.errors import FileUnreadable, ValidationError
from desktop_app.domain.phone import PhoneError
from desktop_app.io import Row, Table, normalise_header
from desktop_app.io.values import clean, fill_in, parse_count, parse_multi, parse_phone
from desktop_app.services import feedback, signups_import
from desktop_app.services.row_problems import why
from desktop_app.store.db import Database
from tests.checkin_support import make_event, register

# --------------------------------------------------------------------------- values


@pytest.mark.parametrize("marker", ["跳过", "(跳过)", "（跳过）", "空", "(空)", "未填写", " - "])
def test_skip_and_empty_markers_with_or_without_brackets_are_empty(marker: str) -> None:
    assert clean(marker) is None
    assert parse_phone(marker) is None and parse_count(marker) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("仅本人", 1),
        ("本人", 1),
        ("自己", 1),
        ("4人及以上", 4),  # the least the option can mean
        ("3人以上", 3),
        ("5人或以上", 5),
        ("3+", 3),
        ("2人（含本人）", 2),  # a note in brackets is not a second count
        ("2位(含本人)", 2),
        ("3人（2大1小）", 3),
        ("(2大1小)", 3),  # nothing outside the brackets: the note is the count
        ("2个大人1个小孩", 3),
        ("1大+1小", 2),
        ("2位成人、1位儿童", 3),
        ("本人+1", 2),  # unchanged rules keep working
        ("1大1小", 2),
        ("两位", 2),
    ],
)
def test_head_counts_as_single_choice_options_write_them(raw: str, expected: int) -> None:
    assert parse_count(raw) == expected


@pytest.mark.parametrize("raw", ["全家都来", "看情况", "(含本人)", "2人(含本人"])
def test_a_head_count_nobody_can_read_is_still_refused(raw: str) -> None:
    with pytest.raises(ValueError, match="is not a number of people"):
        parse_count(raw)


@pytest.mark.parametrize(
    "raw", ["18600001234(已验证)", "18600001234（已验证）", "186 0000 1234【本人】"]
)
def test_a_note_after_a_phone_number_is_not_part_of_it(raw: str) -> None:
    assert parse_phone(raw) == "+8618600001234"


def test_a_note_is_no_phone_and_a_bad_number_stays_bad_with_a_note() -> None:
    with pytest.raises(PhoneError, match="contains letters"):
        parse_phone("(已验证)")
    with pytest.raises(PhoneError, match="10 digits"):
        parse_phone("1860000123(已验证)")


@pytest.mark.parametrize("raw", ["1.36123E+10", "1.38E+10", "1.3800138E+10"])
def test_a_phone_excel_turned_into_e_notation_says_the_digits_are_lost(raw: str) -> None:
    with pytest.raises(PhoneError) as err:
        parse_phone(raw)
    assert err.value.problem.code == "scientific"
    assert "digits are lost" in str(err.value)
    assert why(err.value, raw)("zh") == (
        f"{raw} 是 Excel 缩写成科学计数法的数字，后几位已丢失；请把手机号列设为文本格式后重新导出"
    )


def test_an_other_fill_in_reads_the_same_in_single_and_multi_select_answers() -> None:
    assert fill_in("其他〖4S店短信〗") == "其他: 4S店短信"
    assert fill_in("其他〖〗") == "其他"
    assert fill_in("朋友推荐") == "朋友推荐"
    assert parse_multi("试驾体验┋其他〖带狗〗") == ("试驾体验", "其他: 带狗")


# --------------------------------------------------------------------------- headers


@pytest.mark.parametrize(
    ("header", "normal"),
    [
        ("1.姓名【填空题】", "姓名"),
        ("3.参加人数[单选题]", "参加人数"),
        ("4.满意度【量表题】", "满意度"),
        ("5、您感兴趣的活动环节（多选）", "您感兴趣的活动环节"),
        ("2、手机号码(必填)", "手机号码"),
        ("2、手机号码：", "手机号码"),
        ("第3题：您的称呼", "您的称呼"),
    ],
)
def test_a_question_s_type_tag_and_numbering_are_not_part_of_its_title(
    header: str, normal: str
) -> None:
    assert normalise_header(header) == normal


def test_question_titles_with_type_tags_map_by_their_words() -> None:
    headers = ("编号", "1.姓名【填空题】", "2.手机【填空题】", "3.参加人数[单选题]")
    assert signups_import.map_columns(headers) == {"name": 1, "phone": 2, "party": 3}


# --------------------------------------------------------------------------- sign-ups


def table(headers: list[str], *rows: list[str | None]) -> Table:
    return Table(
        "t.xlsx", "xlsx", tuple(headers), tuple(Row(n, tuple(r)) for n, r in enumerate(rows, 2)), 1
    )


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (("联系人", "联系人电话", "参加人数"), {"name": 0, "phone": 1, "party": 2}),
        (("姓名", "联系人电话", "第二联系人电话"), {"name": 0, "phone": 1}),
        (("姓名", "手机号码", "联系人", "联系人电话"), {"name": 0, "phone": 1}),
        (("紧急联系人", "紧急联系人电话", "姓名", "手机"), {"name": 2, "phone": 3}),
    ],
)
def test_a_form_s_contact_person_is_the_registrant_a_second_one_is_not(
    headers: tuple[str, ...], expected: dict[str, int]
) -> None:
    assert signups_import.map_columns(headers) == expected


def test_a_companion_s_phone_is_never_the_registrant_s_but_their_count_is_the_party() -> None:
    headers = (
        "1、姓名",
        "2、请留下您的联系方式",
        "3、同行人姓名",
        "4、同行人手机号",
        "5、同行人数",
    )
    assert signups_import.map_columns(headers) == {"name": 0, "phone": 1, "companions": 4}
    with pytest.raises(FileUnreadable) as err:
        signups_import.map_columns(("姓名", "同行人手机号"))
    assert err.value.code == "signup_no_phone_column"
    assert err.value.localized("zh") == (
        "找不到手机号列（例如 手机号码 / 手机 / 联系电话）；现有的列：姓名, 同行人手机号"
    )


OPTION_HEADERS = [
    "姓名",
    "手机",
    "5、(新车静态展示)",
    "5、(试驾体验)",
    "第6题(上午)",
    "第6题(下午)",
    "7(A)",
]


def test_a_multi_select_split_into_0_1_columns_is_one_list_answer() -> None:
    t = table(
        OPTION_HEADERS,
        ["张伟", "13812345678", "1", "1", "0", "1", "1"],
        ["李娜", "13912345678", "0", "-2", "0", "0", "0"],
    )
    assert signups_import.option_columns(t) == {
        2: ("第5题", "新车静态展示"),
        3: ("第5题", "试驾体验"),
        4: ("第6题", "上午"),
        5: ("第6题", "下午"),
    }  # 7(A) alone is no split question
    mapping = signups_import.map_columns(t.headers, signups_import.option_columns(t))
    assert "test_drive" not in mapping  # 5、(试驾体验) is an option, not the question
    subs, problems = signups_import.parse_rows(t, mapping, "Asia/Shanghai")
    assert problems == []
    assert [s.answers for s in subs] == [
        {"第5题": ["新车静态展示", "试驾体验"], "第6题": ["下午"], "7(A)": "1"},
        {"7(A)": "0"},
    ]
    assert signups_import.option_number_download(t)


def test_matrix_columns_answered_with_text_stay_one_answer_each() -> None:
    t = table(
        ["姓名", "手机", "第4题(星辰 S7)", "第4题(星辰 X5)"],
        ["郑爽", "13500001111", "感兴趣", "一般"],
    )
    assert signups_import.option_columns(t) == {}
    assert not signups_import.option_number_download(t)
    subs, _ = signups_import.parse_rows(t, signups_import.map_columns(t.headers), "Asia/Shanghai")
    assert subs[0].answers == {"第4题(星辰 S7)": "感兴趣", "第4题(星辰 X5)": "一般"}


def test_a_skipped_question_written_minus_2_marks_the_option_number_download() -> None:
    t = table(
        ["姓名", "手机", "备注"], ["张伟", "13812345678", "-2"], ["李娜", "13912345678", "周六到"]
    )
    assert signups_import.option_number_download(t)
    assert not signups_import.option_number_download(
        table(["姓名", "手机", "备注"], ["张伟", "13812345678", "(跳过)"])
    )


@pytest.mark.parametrize("header", ["更新时间", "IP省份", "IP城市", "IP地址", "总分", "地理位置"])
def test_platform_columns_are_not_kept_as_answers(header: str) -> None:
    t = table(["姓名", "手机", header], ["张伟", "13812345678", "上海"])
    subs, _ = signups_import.parse_rows(t, signups_import.map_columns(t.headers), "Asia/Shanghai")
    assert subs[0].answers == {}


@pytest.mark.parametrize(
    ("status", "code"),
    [
        ("已支付", None),
        ("支付成功", None),
        ("部分退款", None),  # one of two tickets refunded: the entry still holds a place
        ("", None),  # a free entry of a paid form
        ("未支付", "signup_not_paid"),
        ("待支付", "signup_not_paid"),
        ("支付失败", "signup_not_paid"),
        ("已关闭", "signup_not_paid"),
        ("已退款", "signup_refunded"),
        ("退款成功", "signup_refunded"),
    ],
)
def test_a_paid_form_entry_holds_a_place_only_when_paid(status: str, code: str | None) -> None:
    t = table(["姓名", "手机", "支付状态", "订单号"], ["钱进", "13700001111", status, "JSJ1"])
    mapping = signups_import.map_columns(t.headers)
    assert mapping["payment"] == 2
    subs, problems = signups_import.parse_rows(t, mapping, "Asia/Shanghai")
    winners, _dupes, unpaid = signups_import.dedupe(subs)
    assert problems == []
    assert [u.unpaid.code for u in unpaid if u.unpaid] == ([code] if code else [])
    assert [s.answers for s in winners] == ([] if code else [{"订单号": "JSJ1"}])


def test_an_unpaid_entry_superseded_by_a_paid_one_is_a_duplicate_not_a_rejection() -> None:
    # (a person with only unpaid entries: the latest is kept unregistered, the rest repeat it)
    t = table(
        ["姓名", "手机", "支付状态", "填写时间"],
        ["钱进", "13700001111", "未支付", "2026/11/3 9:00"],  # payment given up
        ["钱进", "13700001111", "已支付", "2026/11/3 9:02"],
        ["孙俪", "13700002222", "已支付", "2026/11/3 9:05"],
        ["孙俪", "13700002222", "待支付", "2026/11/3 9:30"],  # a second order never paid
        ["邓超", "13700003333", "未支付", "2026/11/3 9:40"],
        ["邓超", "13700003333", "已关闭", "2026/11/3 9:45"],
    )
    subs, problems = signups_import.parse_rows(t, signups_import.map_columns(t.headers), "UTC")
    winners, dupes, unpaid = signups_import.dedupe(subs)
    assert problems == []
    assert [w.row for w in winners] == [3, 4] and dupes == [(2, 3), (5, 4), (6, 7)]
    assert [(u.row, u.unpaid.code if u.unpaid else None) for u in unpaid] == [
        (7, "signup_not_paid")
    ]


@pytest.mark.parametrize(
    ("said", "wants", "kept"),
    [
        ("需要试驾", True, False),
        ("是，安排试驾", True, False),
        ("想试驾", True, False),
        ("暂不需要", False, False),
        ("不需要试驾", False, False),
        ("否，谢谢", False, False),
        ("看情况", False, True),  # neither: the answer is kept
        ("想想再说", False, True),
    ],
)
def test_a_test_drive_answered_with_a_choice_s_text(said: str, wants: bool, kept: bool) -> None:
    t = table(["姓名", "手机", "是否需要试驾"], ["张伟", "13812345678", said])
    (sub,), _ = signups_import.parse_rows(t, signups_import.map_columns(t.headers), "UTC")
    assert sub.test_drive is wants
    assert sub.answers == ({"是否需要试驾": said.replace("，", ",")} if kept else {})


def test_several_models_ticked_the_first_is_the_model_and_all_are_kept() -> None:
    t = table(["姓名", "手机", "意向车型"], ["张伟", "13812345678", "星辰 S7┋星辰 X5"])
    (sub,), _ = signups_import.parse_rows(t, signups_import.map_columns(t.headers), "UTC")
    assert sub.model == "星辰 S7" and sub.answers == {"意向车型": ["星辰 S7", "星辰 X5"]}


@pytest.mark.parametrize(
    ("plate", "open_day", "drive"),
    [
        ("无", [], ["signup_drive_no_plate"]),  # no plate: fine, but a drive needs the car
        ("还没提车", [], ["signup_drive_no_plate"]),
        ("沪A1234", ["signup_plate_unverified"], ["signup_plate_unverified"]),  # a digit short
    ],
)
def test_a_plate_that_is_no_plate_is_an_answer_and_never_refuses_the_sign_up(
    plate: str, open_day: list[str], drive: list[str]
) -> None:
    t = table(["姓名", "手机", "车牌号"], ["张伟", "13812345678", plate])
    mapping = signups_import.map_columns(t.headers)
    (sub,), rejected = signups_import.parse_rows(t, mapping, "UTC")
    assert (sub.plate, sub.answers, rejected) == (None, {"车牌号": plate}, [])
    assert [w.code for w in sub.warnings] == open_day
    (car,), rejected = signups_import.parse_rows(t, mapping, "UTC", drive=True)
    assert (car.plate, car.answers, rejected) == (None, {"车牌号": plate}, [])
    assert [w.code for w in car.warnings] == drive


def test_an_open_day_signup_with_plate_none_registers_the_guest(
    dealer_db: Database, tmp_path: Path
) -> None:
    ev = make_event(dealer_db, "开放日")
    f = tmp_path / "s.csv"
    f.write_text("姓名,手机,车牌号\n张伟,13812345678,无\n李娜,13912345678,沪A·D12345\n", "utf-8")
    rep = signups_import.import_signups(dealer_db, ev, f)
    assert (rep.created, rep.rejected) == (2, ())


# --------------------------------------------------------------------------- surveys


def test_a_survey_phone_or_name_asked_as_a_sentence_is_found() -> None:
    cols = feedback.map_survey_columns(
        ("1、怎么称呼您?", "2、请留下您的手机号,方便回访:", "3、总体满意度")
    )
    assert (cols["name"], cols["phone"], cols["rating"]) == (0, 1, 2)


def test_an_overall_evaluation_is_the_rating_an_evaluation_and_suggestions_a_comment() -> None:
    cols = feedback.map_survey_columns(("3、您对本次活动的整体评价", "4、您对活动的评价和建议"))
    assert cols == {"rating": 0, "comment": 1}


def test_a_survey_column_about_someone_else_is_no_phone_name_or_answer() -> None:
    headers = ("紧急联系人电话", "推荐人姓名", "您的满意度", "意见")
    cols = feedback.map_survey_columns(headers)
    assert cols == {"rating": 2, "comment": 3}  # 推荐人 is no NPS question, nor a name
    assert feedback.map_survey_columns(headers, {"phone": "紧急联系人电话"})["phone"] == 0
    with pytest.raises(ValidationError):
        feedback.map_survey_columns(headers, {"phone": "微信"})


@pytest.mark.parametrize("said", ["无", "没有", "暂无。", "无建议", "None", "没什么"])
def test_a_comment_that_says_there_is_nothing_to_say_is_no_comment(
    dealer_db: Database, tmp_path: Path, said: str
) -> None:
    ev = make_event(dealer_db, "三月开放日")
    register(dealer_db, ev, "陈静", "+8613900139005")
    f = tmp_path / "s.csv"
    f.write_text(f"手机号码,满意度,意见建议\n13900139005,5,{said}\n", encoding="utf-8")
    feedback.import_feedback(dealer_db, ev, f)
    (view,) = feedback.list_feedback(dealer_db, ev)
    assert (view.rating, view.comment) == (5, "")


def test_the_latest_answer_of_a_registrant_counts_whatever_the_row_order(
    dealer_db: Database, tmp_path: Path
) -> None:
    ev = make_event(dealer_db, "三月开放日")
    register(dealer_db, ev, "陈静", "+8613900139005")
    f = tmp_path / "s.csv"
    f.write_text(
        "提交时间,手机号码,满意度,意见建议\n"
        "2026-03-07T12:00:00.000Z,13900139005,5,second\n"  # 20:00 in Shanghai
        "2026-03-07T10:30:00.000Z,13900139005,2,first\n"
        "2026-03-07T11:00:00.000Z,139 0013 9005,3,middle\n",
        encoding="utf-8",
    )
    rep = feedback.import_feedback(dealer_db, ev, f)
    assert rep.duplicate_rows == ((3, 2), (4, 2)) and rep.duplicates == 2
    (view,) = feedback.list_feedback(dealer_db, ev)
    assert (view.rating, view.comment) == (5, "second")


def test_an_option_number_download_without_scores_still_imports_its_comments(
    dealer_db: Database, tmp_path: Path
) -> None:
    ev = make_event(dealer_db, "三月开放日")
    register(dealer_db, ev, "陈静", "+8613900139005")
    f = tmp_path / "codes.csv"
    f.write_text("手机号码,1、您的性别,2、意见建议\n13900139005,-2,很好\n", encoding="utf-8")
    rep = feedback.import_feedback(dealer_db, ev, f)  # comments are text in both downloads
    assert rep.created == 1
    g = tmp_path / "codes_scores.csv"
    g.write_text("手机号码,1、满意度,2、意见建议\n13900139005,1,-2\n", encoding="utf-8")
    with pytest.raises(FileUnreadable) as err:
        feedback.import_feedback(dealer_db, ev, g)
    assert err.value.code == "feedback_option_numbers"
    assert "按选项文本" in err.value.localized("zh")


def test_an_unregistered_phone_answering_twice_is_one_anonymous_answer(
    dealer_db: Database, tmp_path: Path
) -> None:
    ev = make_event(dealer_db, "三月开放日")
    f = tmp_path / "s.csv"
    f.write_text(
        "提交答卷时间,手机号码,满意度,意见建议\n"
        "2026/3/7 18:01:05,13900139005,3,first\n"
        "2026/3/7 20:30:00,139 0013 9005,5,later\n"
        "2026/3/7 20:31:00,,4,(空)\n"  # no phone: nobody to tell apart, each counts
        "2026/3/7 20:32:00,,4,(空)\n",
        encoding="utf-8",
    )
    rep = feedback.import_feedback(dealer_db, ev, f)
    assert (rep.created, rep.unmatched, rep.duplicate_rows) == (3, 3, ((2, 3),))
    assert sorted((v.rating, v.comment) for v in feedback.list_feedback(dealer_db, ev)) == [
        (4, ""),
        (4, ""),
        (5, "later"),
    ]
    again = feedback.import_feedback(dealer_db, ev, f)
    assert (again.created, again.unchanged) == (0, 3)
