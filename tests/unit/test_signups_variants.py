"""The other sign-up downloads coordinators bring: 问卷星's old .xls and its option-number
download, a 金数据 export with all its system columns (and the same entries as an API
CSV in UTC), and 腾讯问卷 with newest answers first.

Fixtures: tests/fixtures/signups/ (made by tests/fixtures/make_signups_variants.py).
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from desktop_app.cli import main
from desktop_app.domain.errors import FileUnreadable
from desktop_app.domain.timeutil import zone
from desktop_app.services import registration as reg
from desktop_app.services import signups_import
from desktop_app.store.db import Database
from desktop_app.store.models import Person, Registration
from tests.unit.test_signups_import import WJX_EXPECTED, make_event

FIX = Path(__file__).parents[1] / "fixtures" / "signups"
SHANGHAI = zone("Asia/Shanghai")


def registrations(db: Database, ev: uuid.UUID) -> dict[str, tuple[Any, ...]]:
    return {v.phone or "": (v.name, v.status, v.party_size) for v in reg.list_registrations(db, ev)}


def answers(db: Database, ev: uuid.UUID, name: str) -> Registration:
    view = next(v for v in reg.list_registrations(db, ev) if v.name == name)
    with db.read() as s:
        r = s.get(Registration, view.id)
        assert r is not None
        s.expunge(r)
        return r


def test_a_wjx_readable_xls_with_questions_as_sentences_and_skips(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    rep = signups_import.import_signups(dealer_db, ev, FIX / "wjx_readable.xls")
    assert rep.mapping["phone"] == "2、请留下您的手机号,方便联系"
    assert rep.mapping["party"] == "3、共几人参加?(含本人)"
    assert (rep.created, rep.duplicates) == (3, 1)
    assert [(r.row, r.reason[:6]) for r in rep.rejected] == [(6, "phone:")]
    assert registrations(dealer_db, ev) == {
        "+8613812345678": ("张伟", "registered", 3),  # the later row 5 wins
        "+8613912345678": ("李娜", "registered", 1),
        "+8613800138000": ("王芳", "registered", 3),
    }
    wang = answers(dealer_db, ev, "王芳")
    assert wang.answers == {
        "5、您感兴趣的活动环节(多选)": ["试驾体验", "其他: 带狗"],
        "7、其他想说的": "能带宠物吗",
    }
    assert wang.wants_test_drive and wang.interest_model == "星辰 X5"
    li = answers(dealer_db, ev, "李娜")
    assert li.interest_model is None and "4、意向车型" not in (li.answers or {})
    assert rep.warnings == ()


def test_the_wjx_option_number_download_imports_people_and_warns(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    rep = signups_import.import_signups(dealer_db, ev, FIX / "wjx_codes.xlsx")
    assert rep.created == 2 and rep.rejected == ()
    assert registrations(dealer_db, ev) == {
        "+8613812345678": ("张伟", "registered", 3),
        "+8613912345678": ("李娜", "registered", 1),
    }
    (warning,) = rep.warnings
    assert warning.row is None and warning.code == "signup_option_numbers"  # the whole file
    assert "按选项序号" in warning.reason and "按选项文本" in warning.reason
    zhang = answers(dealer_db, ev, "张伟")
    # option 1 is not a car model: it is kept as the answer it is, not as the model
    assert zhang.interest_model is None
    assert zhang.answers is not None and zhang.answers["4、意向车型"] == "1"
    assert "7、其他想说的" not in zhang.answers  # -2: skipped
    assert rep.to_json()["warnings"] == [warning.to_json()]


@pytest.mark.parametrize("name", ["jinshuju_full.xlsx", "jinshuju_api.csv"])
def test_a_jinshuju_export_keeps_answers_not_its_system_columns(
    dealer_db: Database, name: str
) -> None:
    ev = make_event(dealer_db)
    rep = signups_import.import_signups(dealer_db, ev, FIX / name)
    assert (rep.created, rep.rejected) == (3, ())
    assert registrations(dealer_db, ev) == {
        "+8613611112222": ("欧阳娜娜", "registered", 2),
        "+8618600001234": ("吴磊", "registered", 1),
        "+8613500008888": ("何炅", "registered", 2),
    }
    views = {v.name: v for v in reg.list_registrations(dealer_db, ev)}
    # the API CSV's 2026-11-12T06:03:22.000Z is the export's 14:03:22 in Shanghai
    assert views["欧阳娜娜"].registered_at.astimezone(SHANGHAI).replace(tzinfo=None) == datetime(
        2026, 11, 12, 14, 3, 22
    )
    assert answers(dealer_db, ev, "欧阳娜娜").answers == {"微信昵称": "娜娜"}
    assert answers(dealer_db, ev, "吴磊").answers == {}


def test_a_tencent_survey_listed_newest_first_is_queued_by_its_submit_times(
    dealer_db: Database,
) -> None:
    ev = make_event(dealer_db, capacity=3)
    rep = signups_import.import_signups(dealer_db, ev, FIX / "tencent_wj_signup.xlsx")
    assert rep.mapping["submitted"] == "结束答题时间"
    assert rep.duplicate_rows == ((4, 3),)  # 张伟's first answer, superseded by his second
    # 张伟 answered first (11-10) for 3 seats: he fits; 周杰 (11-11 evening) waits
    assert registrations(dealer_db, ev) == {
        "+8613812345678": ("张伟", "registered", 3),
        "+8618812345678": ("周杰", "waitlisted", 2),
    }
    assert answers(dealer_db, ev, "周杰").answers == {}


def test_two_wjx_downloads_pasted_together_import_as_one(
    dealer_db: Database, tmp_path: Path
) -> None:
    ev = make_event(dealer_db)
    one = (FIX / "wjx_open_day_gbk.csv").read_bytes()
    f = tmp_path / "pasted.csv"
    f.write_bytes(one + one)
    rep = signups_import.import_signups(dealer_db, ev, f)
    rows = [r.row for r in rep.rejected]
    assert rows == [4, 5, 16, 17]  # the header again on row 13 is no row
    assert rep.created == 7 and rep.duplicates == 11 and rep.rows == 22
    assert rep.counts.adds_up
    assert registrations(dealer_db, ev) == {
        phone: (name, status, party) for phone, (name, status, party, _w) in WJX_EXPECTED.items()
    }


def test_a_meeting_export_given_as_sign_ups_is_refused_and_changes_nothing(
    dealer_db: Database,
) -> None:
    ev = make_event(dealer_db)
    meeting = Path(__file__).parents[1] / "fixtures" / "attendance" / "tencent_member_list.xlsx"
    with pytest.raises(FileUnreadable, match="cannot find the name column"):
        signups_import.import_signups(dealer_db, ev, meeting)
    with dealer_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 0


def test_the_cli_shows_the_warning(
    dealer_sqlite: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    ev = make_event(dealer_sqlite)
    args = ["--db", dealer_sqlite.url, "signups", "import", str(ev), str(FIX / "wjx_codes.xlsx")]
    assert main([*args, "--dry-run", "--json"]) == 0
    assert "按选项序号" in json.loads(capsys.readouterr().out)["warnings"][0]["reason"]
    assert main(args) == 0
    assert "按选项序号" in capsys.readouterr().out
