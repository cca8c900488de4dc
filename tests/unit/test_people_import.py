"""Importing people from a messy DMS export: exactly the right people, a report to act on,
nothing half-imported."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from desktop_app import cli
from desktop_app.domain.errors import Cancelled, FileUnreadable, ValidationError
from desktop_app.services import people_import as pi
from desktop_app.store.db import Database
from desktop_app.store.models import (
    AuditEntry,
    Person,
    PersonTag,
    Staff,
    SyncOperation,
    Vehicle,
    reversed_digits,
)
from tests.fixtures import make_people as mk

FIXTURES = Path(__file__).parents[1] / "fixtures" / "people"
DMS_FILES = [
    "dms_export.xlsx",
    "dms_export.xls",
    "dms_export_gbk.csv",
    "dms_export_utf8bom.csv",
    "dms_export_html.xls",  # a web DMS: an HTML table named .xls, GBK
    "dms_export_xml2003.xls",  # XML Spreadsheet 2003 named .xls
]
HYPERLINK = mk.HYPERLINK


# What the DMS export must give, whatever its format: (name, phone, stage, wechat, notes,
# tags, butler) and vehicles (owner phone or name, vin, plate, model, purchase date).
def to_check(key: str, value: str) -> str:
    return pi.unverified_note(key, value)


# What the DMS export must give, whatever its format: (name, phone, stage, wechat, notes,
# tags, butler) and vehicles (owner phone or name, vin, plate, model, purchase date).
# A phone or VIN that cannot be used never costs the customer: they come in without it,
# the value is kept in the notes to check, and the report warns.
EXPECTED_PEOPLE = {
    ("张伟", "+8613800138000", "owner", "wx_zhangwei", "首保已做", ("VIP", "老车主"), "李娜"),
    ("王芳", "+8613912345678", "owner", None, HYPERLINK, (), "李娜"),
    ("李静", "+8613500001111", "prospect", "@lijing", "+86 来自直播间", ("意向:ID.4", "抖音"), "赵强"),
    ("刘洋", "+8613700002222", "member", None, "-已流失后召回", (), "李娜"),
    ("陈明", None, "owner", None, to_check("phone", "138****2046"), (), None),
    ("周杰", None, "owner", None, to_check("phone", "021-8888-9999"), (), None),
    ("吴磊", None, "prospect", None, to_check("phone", "1380013800"), (), None),
    ("郑爽", "+8613912340000", "owner", None, to_check("vin", mk.BAD_CHECK), (), None),
    ("孙丽", "+8613611112222", "owner", None, to_check("vin", mk.WITH_O), (), None),
    ("何军", None, "owner", None, "", (), None),
    ("马超", None, "prospect", "wx_machao", "", (), None),
    ("王芳", "+8615800001111", "owner", None, "", (), None),
    ("林涛", "+8613700003333", "owner", None, "", (), None),
    ("黄磊", "+8618600004444", "owner", None, "@售后 张工", (), None),
    ("钱多多", None, "owner", None, to_check("phone", "138OO138000"), (), None),
}  # fmt: skip
EXPECTED_VEHICLES = {
    ("+8613800138000", mk.VIN1, "沪AD12345", "帕萨特", date(2023, 5, 6)),
    ("+8613912345678", mk.VIN2, "沪B23456", "途观L", date(2023, 5, 6)),
    ("+8613800138000", mk.VIN3, "沪AF12345", "途昂", date(2023, 3, 15)),
    ("+8613700002222", mk.VIN4, "粤B12345", "朗逸", date(2022, 11, 20)),
    ("陈明", None, None, "宝来", None),
    ("+8613912340000", None, None, "速腾", date(2023, 5, 6)),
    ("+8613611112222", None, None, "凌渡", None),
    ("何军", mk.VIN5, "沪C54321", "帕萨特", date(2023, 5, 6)),
    ("+8615800001111", mk.VIN6, None, "速腾", date(2023, 5, 6)),
    ("+8613700003333", mk.VIN7, None, "途岳", date(2023, 5, 6)),
    ("+8618600004444", None, None, "帕萨特", date(2023, 5, 6)),
}
# Only a row with nothing that identifies a person is rejected.
EXPECTED_REJECTED = [{"row": 18, "reason": "no name, phone or VIN"}]
EXPECTED_WARNINGS = [
    (11, "phone", "138****2046"),
    (12, "phone", "021-8888-9999"),
    (13, "phone", "1380013800"),
    (14, "vin", mk.BAD_CHECK),
    (15, "vin", mk.WITH_O),
    (20, "plate", "沪A12345X"),
    (22, "phone", "138OO138000"),
]
PEOPLE_ROWS = 15  # rows 4-22 but 6 (张伟's second car), 9 (a repeat of row 5) and 18


def people_state(db: Database) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    with db.read() as s:
        staff = dict(s.execute(select(Staff.id, Staff.name)).all())
        tags: dict[Any, list[str]] = {}
        for pid, tag in s.execute(select(PersonTag.person_id, PersonTag.tag)):
            tags.setdefault(pid, []).append(tag)
        people = {}
        for p in s.scalars(select(Person)):
            people[p.id] = p
        persons = {
            (p.name, p.phone, p.stage, p.wechat, p.notes, tuple(sorted(tags.get(p.id, []))),
             staff.get(p.butler_id))
            for p in people.values()
        }  # fmt: skip
        vehicles = {
            (people[v.person_id].phone or people[v.person_id].name, v.vin, v.plate, v.model,
             v.purchase_date)
            for v in s.scalars(select(Vehicle))
        }  # fmt: skip
    return persons, vehicles


def counts(db: Database) -> tuple[int, int, int, int]:
    with db.read() as s:
        return (
            s.scalar(select(func.count()).select_from(Person)) or 0,
            s.scalar(select(func.count()).select_from(Vehicle)) or 0,
            s.scalar(select(func.count()).select_from(Staff)) or 0,
            s.scalar(select(func.count()).select_from(PersonTag)) or 0,
        )


def core(report: pi.ImportReport) -> dict[str, Any]:
    data = report.to_json()
    assert sum(data["buckets"].values()) == data["rows"]
    return {
        "created": data["created"],
        "updated": data["updated"],
        "unchanged": data["unchanged"],
        "duplicates": data["duplicates"],
        "additional_cars": data["additional_cars"],
        "rejected": [{"row": r["row"], "reason": r["reason"]} for r in data["rejected"]],
    }


@pytest.mark.parametrize("name", DMS_FILES)
def test_a_messy_dms_export_gives_exactly_the_right_people_and_vehicles(
    dealer_db: Database, name: str
) -> None:
    report = pi.import_people(dealer_db, FIXTURES / name)
    assert report.rows == 18
    assert core(report) == {
        "created": PEOPLE_ROWS,
        "updated": 0,
        "unchanged": 0,
        "duplicates": 1,
        "additional_cars": 1,
        "rejected": EXPECTED_REJECTED,
    }
    assert report.vehicles_created == 11
    assert report.staff_created == ("李娜", "赵强")
    assert report.duplicate_rows == ((9, 5),)  # the same row again
    assert report.counts.linked("additional_cars") == ((6, 4),)  # 张伟, phone written apart
    assert [(w.row, w.field, w.value) for w in report.warnings] == EXPECTED_WARNINGS
    people, vehicles = people_state(dealer_db)
    assert people == EXPECTED_PEOPLE
    assert vehicles == EXPECTED_VEHICLES
    with dealer_db.read() as s:
        assert set(s.scalars(select(Person.source))) == {"import"}
        assert set(s.scalars(select(Staff.role))) == {"coordinator"}


def test_the_report_json_has_designs_keys_with_integer_counts(dealer_db: Database) -> None:
    data = pi.import_people(dealer_db, FIXTURES / "dms_export.xlsx").to_json()
    for key in ("created", "updated", "unchanged", "duplicates"):
        assert type(data[key]) is int
    assert all(set(r) >= {"row", "reason"} for r in data["rejected"])
    assert data["mapping"]["phone"] == "手机号码"
    json.dumps(data, ensure_ascii=False)


def test_reimporting_the_same_file_changes_nothing(dealer_db: Database) -> None:
    pi.import_people(dealer_db, FIXTURES / "dms_export.xlsx")
    before = people_state(dealer_db), counts(dealer_db)
    for name in DMS_FILES:
        again = pi.import_people(dealer_db, FIXTURES / name)
        assert core(again) == {
            "created": 0,
            "updated": 0,
            "unchanged": PEOPLE_ROWS,
            "duplicates": 1,
            "additional_cars": 1,
            "rejected": EXPECTED_REJECTED,
        }
        assert again.vehicles_created == again.vehicles_updated == 0
    assert (people_state(dealer_db), counts(dealer_db)) == before


def test_a_dry_run_reports_the_same_and_changes_nothing(dealer_db: Database) -> None:
    before = counts(dealer_db)
    dry = pi.import_people(dealer_db, FIXTURES / "dms_export.xlsx", dry_run=True)
    assert dry.dry_run and core(dry)["created"] == PEOPLE_ROWS
    assert counts(dealer_db) == before
    with dealer_db.read() as s:
        audited = select(func.count()).where(AuditEntry.action == "people.import")
        assert s.scalar(audited) == 0
        assert s.scalar(select(func.count()).select_from(SyncOperation)) == 0
    real = pi.import_people(dealer_db, FIXTURES / "dms_export.xlsx")
    assert core(real) == core(dry)


def test_an_import_is_audited_and_kept_in_the_sync_history(dealer_db: Database) -> None:
    pi.import_people(dealer_db, FIXTURES / "dms_export.xlsx")
    with dealer_db.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "people.import")).one()
        op = s.scalars(select(SyncOperation)).one()
    assert entry.detail["created"] == PEOPLE_ROWS and entry.detail["rejected"] == 1
    assert entry.detail["warnings"] == len(EXPECTED_WARNINGS)
    assert entry.detail["file"] == "dms_export.xlsx"
    assert op.kind == "people_import" and op.report["created"] == PEOPLE_ROWS


def test_cancelling_midway_leaves_the_database_untouched(dealer_db: Database) -> None:
    before = counts(dealer_db)
    polls = {"n": 0}

    def cancel_after_reading() -> bool:
        polls["n"] += 1
        return polls["n"] > 3

    with pytest.raises(Cancelled):
        pi.import_people(dealer_db, FIXTURES / "dms_export.xlsx", is_cancelled=cancel_after_reading)
    assert counts(dealer_db) == before


def test_cancelling_just_before_commit_rolls_everything_back(
    dealer_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = counts(dealer_db)
    seen: list[int] = []

    def progress(done: int, total: int) -> None:
        seen.append(done)

    with pytest.raises(Cancelled):
        pi.import_people(
            dealer_db,
            FIXTURES / "dms_export.xlsx",
            progress=progress,
            is_cancelled=lambda: bool(seen) and seen[-1] >= 950,
        )
    assert counts(dealer_db) == before


def test_progress_runs_from_0_to_the_total(dealer_db: Database) -> None:
    seen: list[tuple[int, int]] = []
    pi.import_people(
        dealer_db, FIXTURES / "dms_export.xlsx", progress=lambda d, t: seen.append((d, t))
    )
    assert {t for _, t in seen} == {pi.PROGRESS_TOTAL}
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert seen[-1][0] == pi.PROGRESS_TOTAL


@pytest.mark.parametrize("name", ["truncated.xlsx", "empty.csv"])
def test_a_bad_file_is_refused_with_the_reason_and_nothing_changes(
    dealer_db: Database, name: str
) -> None:
    before = counts(dealer_db)
    with pytest.raises(FileUnreadable, match=f"cannot read {name}: .*(damaged|empty)"):
        pi.import_people(dealer_db, FIXTURES / name)
    assert counts(dealer_db) == before


# --------------------------------------------------------------------------- rules on a DB


def _sheet(tmp_path: Path, rows: list[list[object]], name: str = "list.xlsx") -> Path:
    path = tmp_path / name
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    ws = wb.add_worksheet("客户")
    for r, cells in enumerate(rows):
        for c, cell in enumerate(cells):
            if cell is not None:
                ws.write(r, c, cell)
    wb.close()
    return path


HEAD = ["姓名", "手机", "微信", "客户类型", "车架号", "车牌", "车型", "购车日期", "顾问", "备注"]


def _person(db: Database, phone: str) -> Person:
    with db.read() as s:
        return s.scalars(select(Person).where(Person.phone == phone)).one()


def test_updates_fill_blanks_and_never_overwrite(dealer_db: Database, tmp_path: Path) -> None:
    first = _sheet(
        tmp_path, [HEAD, ["张伟", "13800138000", "", "潜客", "", "", "", "", "", "老客户"]]
    )
    pi.import_people(dealer_db, first)
    second = _sheet(
        tmp_path,
        [
            HEAD,
            [
                "张大伟",
                "138 0013 8000",
                "wx_zw",
                "",
                mk.VIN1,
                "沪A12345",
                "帕萨特",
                "2023-05-06",
                "李娜",
                "刚提车",
            ],
        ],
        "second.xlsx",
    )
    report = pi.import_people(dealer_db, second)
    assert core(report) == {"created": 0, "updated": 1, "unchanged": 0, "duplicates": 0,
                            "additional_cars": 0, "rejected": []}  # fmt: skip
    assert report.vehicles_created == 1
    p = _person(dealer_db, "+8613800138000")
    assert (p.name, p.wechat, p.stage, p.notes) == ("张伟", "wx_zw", "owner", "老客户\n刚提车")
    assert any(w.field == "name" and "kept" in w.reason for w in report.warnings)
    blank = _sheet(
        tmp_path, [HEAD, ["张伟", "13800138000", "", "", "", "", "", "", "", ""]], "b.xlsx"
    )
    assert core(pi.import_people(dealer_db, blank))["unchanged"] == 1
    p = _person(dealer_db, "+8613800138000")
    assert (p.wechat, p.stage, p.notes) == ("wx_zw", "owner", "老客户\n刚提车")


def test_stage_only_moves_forward(dealer_db: Database, tmp_path: Path) -> None:
    pi.import_people(dealer_db, _sheet(tmp_path, [HEAD, ["张伟", "13800138000", "", "会员"]]))
    again = _sheet(tmp_path, [HEAD, ["张伟", "13800138000", "", "潜客"]], "again.xlsx")
    assert core(pi.import_people(dealer_db, again))["unchanged"] == 1
    assert _person(dealer_db, "+8613800138000").stage == "member"


def test_several_rows_of_one_person_make_one_person_with_several_cars(
    dealer_db: Database, tmp_path: Path
) -> None:
    path = _sheet(
        tmp_path,
        [
            HEAD,
            ["张伟", "13800138000", "", "车主", mk.VIN1],
            ["张伟", "+86 13800138000", "", "车主", mk.VIN3],
        ],
    )
    report = pi.import_people(dealer_db, path)
    assert (report.created, report.duplicates, report.vehicles_created) == (1, 0, 2)


def test_two_people_with_the_same_name_and_different_phones_stay_two(
    dealer_db: Database, tmp_path: Path
) -> None:
    path = _sheet(tmp_path, [HEAD, ["王芳", "13912345678"], ["王芳", "15800001111"]])
    assert pi.import_people(dealer_db, path).created == 2


def test_a_row_matches_an_existing_person_by_vin_and_fills_the_phone(
    dealer_db: Database, tmp_path: Path
) -> None:
    pi.import_people(dealer_db, _sheet(tmp_path, [HEAD, ["何军", "", "", "车主", mk.VIN5]]))
    report = pi.import_people(
        dealer_db, _sheet(tmp_path, [HEAD, ["何军", "13700009999", "", "", mk.VIN5]], "b.xlsx")
    )
    assert (report.created, report.updated) == (0, 1)
    assert _person(dealer_db, "+8613700009999").name == "何军"


def test_a_vin_on_someone_elses_car_is_left_out_not_guessed_and_the_person_still_comes_in(
    dealer_db: Database, tmp_path: Path
) -> None:
    pi.import_people(
        dealer_db,
        _sheet(
            tmp_path, [HEAD, ["张伟", "13800138000", "", "车主", mk.VIN1], ["王芳", "13912345678"]]
        ),
    )
    path = _sheet(
        tmp_path,
        [
            HEAD,
            ["王芳", "13912345678", "", "车主", mk.VIN1],
            ["李四", "13600001234", "", "车主", mk.VIN1],
        ],
        "b.xlsx",
    )
    report = pi.import_people(dealer_db, path)
    assert report.rejected == ()
    assert [(w.row, w.field, w.value) for w in report.warnings] == [
        (2, "vin", mk.VIN1),
        (3, "vin", mk.VIN1),
    ]
    assert "张伟" in report.warnings[0].reason and "王芳" in report.warnings[0].reason
    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)  # 李四; 王芳 owner
    assert _person(dealer_db, "+8613600001234").name == "李四"
    with dealer_db.read() as s:  # the car stays with 张伟
        owner = s.scalar(select(Person.phone).join(Vehicle).where(Vehicle.vin == mk.VIN1))
    assert owner == "+8613800138000"


def test_phone_less_people_are_matched_by_name_and_plate_or_name_on_reimport(
    dealer_db: Database, tmp_path: Path
) -> None:
    path = _sheet(
        tmp_path,
        [
            HEAD,
            ["何军", "", "", "车主", "", "沪C54321", "帕萨特"],
            ["马超", "", "wx_machao", "潜客"],
            ["马超", "", "wx_other", "潜客"],
        ],
    )
    first = pi.import_people(dealer_db, path)
    assert (first.created, first.vehicles_created) == (3, 1)  # two 马超: different WeChat
    again = pi.import_people(dealer_db, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    with_phone = _sheet(
        tmp_path, [HEAD, ["何军", "13700005555", "", "", "", "沪C·54321"]], "phone.xlsx"
    )
    report = pi.import_people(dealer_db, with_phone)
    assert (report.created, report.updated) == (0, 1)
    assert _person(dealer_db, "+8613700005555").name == "何军"


def test_a_person_without_a_name_or_phone_cannot_be_created_for_a_vin(
    dealer_db: Database, tmp_path: Path
) -> None:
    report = pi.import_people(dealer_db, _sheet(tmp_path, [HEAD, ["", "", "", "", mk.VIN1]]))
    assert [(r.row, r.reason) for r in report.rejected] == [
        (2, "no name or phone for the owner of this vehicle")
    ]


def test_a_butler_on_the_staff_list_is_linked_not_duplicated(
    dealer_db: Database, tmp_path: Path
) -> None:
    with dealer_db.write() as s:
        s.add(Staff(name="李娜", role="front_desk"))
    path = _sheet(tmp_path, [HEAD, ["张伟", "13800138000", "", "", "", "", "", "", "李娜"]])
    report = pi.import_people(dealer_db, path)
    assert report.staff_created == ()
    with dealer_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Staff)) == 1
        staff_id = s.scalar(select(Staff.id))
    assert _person(dealer_db, "+8613800138000").butler_id == staff_id


def test_a_prospects_model_is_kept_as_an_interest_tag(dealer_db: Database, tmp_path: Path) -> None:
    path = _sheet(tmp_path, [HEAD, ["李静", "13500001111", "", "潜客", "", "", "ID.4"]])
    report = pi.import_people(dealer_db, path)
    assert report.vehicles_created == 0
    _, vehicles = people_state(dealer_db)
    assert vehicles == set()
    people, _ = people_state(dealer_db)
    assert next(iter(people))[5] == ("意向:ID.4",)


def test_user_mapping_overrides_the_guess(dealer_db: Database, tmp_path: Path) -> None:
    path = _sheet(tmp_path, [["姓名", "手机", "备用手机"], ["张伟", "138****0000", "13800138000"]])
    # left to the guess, 手机's masked number is refused and 备用手机's mobile is used instead
    guessed = pi.import_people(dealer_db, path, dry_run=True)
    assert guessed.created == 1 and "masked" in guessed.warnings[0].reason
    # the user says there is no second column: 张伟 comes in without a phone
    alone = pi.import_people(dealer_db, path, mapping={"phone2": None}, dry_run=True)
    assert alone.rejected == () and alone.created == 1
    assert [(w.field, w.value) for w in alone.warnings] == [("phone", "138****0000")]
    report = pi.import_people(dealer_db, path, mapping={"phone": "备用手机"})
    assert report.created == 1 and report.rejected == ()


def test_a_sheet_without_name_phone_or_vin_columns_asks_for_a_mapping(
    dealer_db: Database, tmp_path: Path
) -> None:
    path = _sheet(tmp_path, [["甲", "乙"], ["1", "2"]])
    with pytest.raises(ValidationError, match="no column for the name, phone or VIN"):
        pi.import_people(dealer_db, path)
    with pytest.raises(ValidationError, match="mapping"):
        pi.import_people(dealer_db, path, mapping={"colour": "甲"})


def test_preview_shows_headers_mapping_first_rows_and_counts() -> None:
    pv = pi.preview(None, FIXTURES / "dms_export_gbk.csv")
    assert pv.kind == "csv" and pv.encoding == "gbk" and pv.header_row == 3
    assert pv.mapped_header("vin") == "车架号" and pv.missing == ()
    assert pv.counts == {
        "rows": 18,
        "ready": PEOPLE_ROWS,
        "rejected": 1,
        "duplicates": 1,
        "additional_cars": 1,
        "warnings": len(EXPECTED_WARNINGS),
    }
    by_row = {r.row: r for r in pv.rows}
    assert by_row[4].values["phone"] == "+8613800138000"
    assert by_row[6].status == "additional_car" and by_row[6].duplicate_of == 4
    assert by_row[9].status == "duplicate" and by_row[9].duplicate_of == 5
    assert by_row[11].status == "ok" and "masked" in by_row[11].warnings[0].reason
    assert by_row[18].status == "rejected" and by_row[18].problems[0].code == "import_no_key"
    assert by_row[20].warnings[0].field == "plate"
    assert 23 not in by_row  # the 合计 footer
    json.dumps(pv.to_json(), ensure_ascii=False)


# --------------------------------------------------------------------------- CLI


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_imports_and_prints_one_json_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dbfile = str(tmp_path / "cli.sqlite")
    code, out, _ = _cli(capsys, "--db", dbfile, "people", "import",
                        str(FIXTURES / "dms_export.xlsx"), "--dry-run", "--json")  # fmt: skip
    assert code == 0
    report = json.loads(out)
    assert (report["created"], report["dry_run"]) == (PEOPLE_ROWS, True)
    assert sum(report["buckets"].values()) == report["rows"] == 18
    assert report["rejected"] == [
        {
            "row": 18,
            "reason": EXPECTED_REJECTED[0]["reason"],
            "field": "name",
            "value": None,
            "code": "import_no_key",
        }
    ]
    assert report["warnings"][0] == {
        "row": 11,
        "field": "phone",
        "value": "138****2046",
        "code": "import_phone_unverified",
        "reason": "phone: masked number '138****2046' cannot be used; the person is imported "
        "without a phone, the number is kept in the notes to check",
    }
    assert report["duplicate_rows"] == [{"row": 9, "same_as": 5}]
    assert report["additional_cars_rows"] == [{"row": 6, "adds_to": 4}]
    code, out, _ = _cli(capsys, "--db", dbfile, "people", "import",
                        str(FIXTURES / "dms_export.xlsx"), "--json", "--map", "wechat=")  # fmt: skip
    assert json.loads(out)["created"] == PEOPLE_ROWS and "wechat" not in json.loads(out)["mapping"]
    code, out, _ = _cli(
        capsys, "--db", dbfile, "people", "import", str(FIXTURES / "dms_export.xlsx")
    )
    assert code == 0 and "0 created, 3 updated, 12 unchanged" in out  # WeChat IDs now filled


def test_cli_exits_1_with_the_reason_when_the_file_cannot_be_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dbfile = str(tmp_path / "cli.sqlite")
    code, out, err = _cli(capsys, "--db", dbfile, "people", "import",
                          str(FIXTURES / "truncated.xlsx"), "--json")  # fmt: skip
    assert code == 1 and out == ""
    assert "truncated.xlsx: the file is damaged" in err
    code, _, err = _cli(capsys, "--db", dbfile, "people", "import",
                        str(FIXTURES / "dms_export.xlsx"), "--map", "bogus=A")  # fmt: skip
    assert code == 1 and "map" in err


# --------------------------------------------------------------------------- fuzz


@pytest.fixture
def fuzz_dir(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "fuzz"
    path.mkdir()
    yield path
    shutil.rmtree(path, ignore_errors=True)


_CELL = st.one_of(
    st.none(),
    st.text(max_size=25),
    st.sampled_from(
        [
            "13800138000",
            "+86 139 1234 5678",
            "138****2046",
            mk.VIN1,
            mk.VIN2,
            mk.BAD_CHECK,
            "沪A12345",
            "车主",
            "潜客",
            "2023/5/6",
            "45000",
            "合计",
            "=1+2",
            "(空)",
            "张伟",
            "王芳",
            "",
        ]
    ),
    st.integers(min_value=-(10**12), max_value=10**12),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.lists(_CELL, min_size=6, max_size=6), min_size=0, max_size=12))
def test_random_cells_give_a_report_never_a_crash(
    dealer_sqlite: Database, fuzz_dir: Path, rows: list[list[object]]
) -> None:
    path = _sheet(fuzz_dir, [["姓名", "手机", "车架号", "车牌", "客户类型", "购车日期"], *rows])
    try:
        report = pi.import_people(dealer_sqlite, path, dry_run=True)
    except FileUnreadable:
        return
    # each data row is created, matched, a duplicate or rejected — at most one of them
    assert report.created + len(report.rejected) + report.duplicates <= report.rows <= len(rows)
    assert all(r.row >= 2 for r in report.rejected)


def test_imported_people_are_searchable_by_phone_and_vin_endings(
    dealer_db: Database, tmp_path: Path
) -> None:
    pi.import_people(dealer_db, FIXTURES / "dms_export.xlsx")
    pi.import_people(dealer_db, _sheet(tmp_path, [HEAD, ["何军", "13700009999", "", "", mk.VIN5]]))
    with dealer_db.read() as s:
        people = s.scalars(select(Person)).all()
        vehicles = s.scalars(select(Vehicle)).all()
    assert all(p.phone_rev == reversed_digits(p.phone) for p in people)
    assert any(p.phone_rev == "9999000073168" for p in people)  # filled by the update
    assert all(v.vin_rev == (v.vin[::-1] if v.vin else None) for v in vehicles)
    assert all(v.plate_rev == (v.plate[::-1] if v.plate else None) for v in vehicles)


@pytest.mark.parametrize("scan_factor", [0, 3], ids=["probe", "scan"])
def test_a_phone_of_a_merged_person_leads_to_the_survivor(
    dealer_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scan_factor: int
) -> None:
    from desktop_app.store.models import utcnow

    monkeypatch.setattr(pi, "SCAN_FACTOR", scan_factor)

    with dealer_db.write() as s:
        keep = Person(name="张伟", phone="+8613800138000")
        s.add(keep)
        s.flush()
        s.add(Person(name="张伟", phone="+8613900000001", merged_into_id=keep.id,
                     deleted_at=utcnow()))  # fmt: skip
        s.add(Person(name="王五", phone="+8613900000002", deleted_at=utcnow()))
    path = _sheet(tmp_path, [HEAD, ["张伟", "13900000001", "wx_zw"], ["王五", "13900000002"]])
    report = pi.import_people(dealer_db, path)
    assert (report.created, report.updated) == (0, 1)
    assert [(r.row, r.field) for r in report.rejected] == [(3, "phone")]
    assert "deleted person" in report.rejected[0].reason
    assert _person(dealer_db, "+8613800138000").wechat == "wx_zw"


def test_probing_a_big_database_gives_the_same_result_as_scanning_a_small_one(
    dealer_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pi, "SCAN_FACTOR", 0)  # always probe with IN (...) lists
    first = pi.import_people(dealer_db, FIXTURES / "dms_export.xlsx")
    again = pi.import_people(dealer_db, FIXTURES / "dms_export_gbk.csv")
    assert (core(first)["created"], core(again)["unchanged"], again.created) == (
        PEOPLE_ROWS,
        PEOPLE_ROWS,
        0,
    )
    assert people_state(dealer_db) == (EXPECTED_PEOPLE, EXPECTED_VEHICLES)
    with dealer_db.write() as s:
        gone = s.scalars(select(Person).where(Person.name == "何军")).one()
        gone.deleted_at = gone.created_at
    report = pi.import_people(dealer_db, FIXTURES / "dms_export.xlsx")
    assert [(r.row, r.field) for r in report.rejected if r.row == 16] == [(16, "vin")]


def _index_sql(db: Database) -> list[tuple[str, str]]:
    with db.read() as s:
        return [
            tuple(r)
            for r in s.connection().exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                "AND tbl_name IN ('people', 'vehicles', 'person_tags') ORDER BY name"
            )
        ]


def test_a_big_first_import_rebuilds_the_indexes_and_gives_the_same_people(
    dealer_sqlite: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    indexes = _index_sql(dealer_sqlite)
    monkeypatch.setattr(pi, "REBUILD_MIN_ROWS", 1)  # the fixture is small: force a bulk load
    report = pi.import_people(dealer_sqlite, FIXTURES / "dms_export.xlsx")
    assert report.created == PEOPLE_ROWS
    assert people_state(dealer_sqlite) == (EXPECTED_PEOPLE, EXPECTED_VEHICLES)
    assert _index_sql(dealer_sqlite) == indexes  # every index is back, defined as before
    with dealer_sqlite.read() as s:
        conn = s.connection()
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        plan = " ".join(
            str(r[-1])
            for r in conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT id FROM people WHERE name = '张伟'"
            )
        )
    assert "ix_people_name" in plan
    again = pi.import_people(dealer_sqlite, FIXTURES / "dms_export.xlsx")  # and it still matches
    assert (again.created, again.unchanged) == (0, PEOPLE_ROWS)


def test_a_bulk_load_that_fails_leaves_the_indexes_in_place(
    dealer_sqlite: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    indexes = _index_sql(dealer_sqlite)
    monkeypatch.setattr(pi, "REBUILD_MIN_ROWS", 1)
    seen: list[int] = []
    with pytest.raises(Cancelled):  # after the rows are written, before the commit
        pi.import_people(
            dealer_sqlite,
            FIXTURES / "dms_export.xlsx",
            progress=lambda done, _total: seen.append(done),
            is_cancelled=lambda: bool(seen) and seen[-1] >= 950,
        )
    assert _index_sql(dealer_sqlite) == indexes
    assert counts(dealer_sqlite) == (0, 0, 0, 0)


EXPECTED_WARNINGS_ZH = {
    11: "手机号：138****2046 是打码号码（****），无法使用；客户已导入（未存手机号），该号码已记入备注待核实",
    12: "手机号：021-8888-9999 是座机号码，不是手机号；客户已导入（未存手机号），该号码已记入备注待核实",
    13: "手机号：1380013800 位数太少，不是手机号；客户已导入（未存手机号），该号码已记入备注待核实",
    14: "车架号：校验位（第 9 位）是 2，应为 1：车架号可能有误；客户和车辆已导入（未存车架号），"
    "该车架号已记入备注待核实",
    15: "车架号：车架号不含 I、O、Q（发现 O）；客户和车辆已导入（未存车架号），该车架号已记入备注待核实",
    22: "手机号：138OO138000 含有字母或汉字；客户已导入（未存手机号），该号码已记入备注待核实",
}


def test_a_chinese_desk_reads_every_rejection_and_warning_in_chinese(dealer_db: Database) -> None:
    report = pi.import_people(dealer_db, FIXTURES / "dms_export.xlsx")
    assert {r.row: r.localized("zh") for r in report.rejected} == {18: "没有姓名、手机号或车架号"}
    kept = {w.row: w.localized("zh") for w in report.warnings if w.field in ("phone", "vin")}
    assert kept == EXPECTED_WARNINGS_ZH
    assert [r.localized("en") for r in report.rejected] == [
        r["reason"] for r in EXPECTED_REJECTED
    ]  # English stays as it was


def test_warnings_and_conflicts_have_chinese_words_too(dealer_db: Database, tmp_path: Path) -> None:
    pi.import_people(dealer_db, FIXTURES / "dms_export.xlsx")
    rows = [
        HEAD,
        ["张三", "13800138000", "wx_other", "", mk.VIN2],  # phone of 张伟, VIN of 王芳
        ["张伟", "13800138000", "wx_new", "", "", "沪Z"],  # WeChat differs; a bad plate
    ]
    report = pi.import_people(dealer_db, _sheet(tmp_path, rows))
    assert report.rejected == ()
    conflict = report.warnings[0].localized("zh")
    assert conflict.startswith("车架号登记在 王芳 名下，但手机号属于 张伟：未导入车架号")
    warnings = [w.localized("zh") for w in report.warnings]
    assert "微信保留原值 'wx_zhangwei'（文件中为 'wx_new'）" in warnings
    assert "车牌未导入：车牌应为 7 位（新能源 8 位），沪Z 有 2 位" in warnings
    words = [re.sub(r"'[^']*'", "", w) for w in warnings]  # the values themselves aside
    assert not any(re.search(r"[A-Za-z]{4,}", w) for w in words)


def test_a_chinese_desk_reads_why_a_purchase_date_was_dropped_in_chinese(
    dealer_db: Database, tmp_path: Path
) -> None:
    rows = [HEAD, ["陈静", "13700001111", "", "", "", "", "", "明天"]]
    report = pi.import_people(dealer_db, _sheet(tmp_path, rows))
    (dropped,) = report.warnings
    assert dropped.localized("zh") == (
        "购车日期未导入：'明天' 不是日期（可写 2023-05-06、2023/5/6 或 2023年5月6日）"
    )
    assert dropped.localized("en") == (
        "Purchase date dropped: '明天' is not a date (use 2023-05-06, 2023/5/6 or 2023年5月6日)"
    )


def test_a_second_number_column_gives_the_mobile_when_the_first_has_none(
    dealer_db: Database, tmp_path: Path
) -> None:
    # DMS lists often carry 联系电话 (a landline as often as not) beside 手机, or 备用电话.
    path = _sheet(
        tmp_path,
        [
            ["姓名", "联系电话", "手机"],
            ["张伟", "021-62345678", "13800138000"],  # 手机 is the phone; the landline is normal
            ["李娜", "13900139000", ""],  # 手机 empty: the other column's mobile
            ["王强", "13700137000", "13600136000"],  # two mobiles: 手机's, the other named
            ["赵磊", "", "021-62345679"],  # a landline in 手机 and nothing else: kept to check
            ["", "", "021-62345670"],  # nobody: refused for the landline
        ],
    )
    preview = pi.preview(dealer_db, path)
    assert (preview.mapped_header("phone"), preview.mapped_header("phone2")) == ("手机", "联系电话")
    report = pi.import_people(dealer_db, path)
    assert report.created == 4 and [r.row for r in report.rejected] == [6]
    assert "landline" in report.rejected[0].reason
    assert [(w.row, w.field) for w in report.warnings if w.row == 5] == [(5, "phone")]
    for phone, name in (("+8613800138000", "张伟"), ("+8613900139000", "李娜"),
                        ("+8613600136000", "王强")):  # fmt: skip
        assert _person(dealer_db, phone).name == name
    (more,) = [w for w in report.warnings if w.row == 4]
    assert "13700137000" in more.reason and "13700137000" in more.localized("zh")


def test_a_landline_in_the_phone_column_falls_back_to_the_backup_mobile_with_a_warning(
    dealer_db: Database, tmp_path: Path
) -> None:
    path = _sheet(
        tmp_path, [["客户姓名", "手机号码", "备用电话"], ["陈静", "021-62345678", "15000150002"]]
    )
    report = pi.import_people(dealer_db, path)
    assert report.created == 1 and not report.rejected
    assert _person(dealer_db, "+8615000150002").name == "陈静"
    (w,) = report.warnings
    assert "the second number 15000150002 was imported" in w.reason
    assert w.localized("zh").startswith("手机号：021-62345678 不是手机号")
    # the user can also say which column is the second one, or that there is none
    again = pi.preview(dealer_db, path, {"phone2": None})
    assert again.mapped_header("phone2") is None


_ODD_CELLS = st.one_of(
    st.none(),
    st.text(max_size=8),
    st.sampled_from(
        [
            "无",
            "暂无",
            "未上牌",
            "-",
            "N/A",
            "(空)",
            "NA",
            "13800138000",
            "+86 139 1234 5678",
            "1.38E+10",
            "LSVAB2BM8MN123456",
            "lsvab2bm8mn12345",
            "沪A·12345",
            "王 芳",
            "x" * 120,
            "bad@",
            "1900-01-01",
            "车主",
            "unknown",
            "VIP、VIP",
            "是",
            "maybe",
        ]
    ),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    width=st.integers(1, 6),
    cells=st.lists(st.lists(_ODD_CELLS, max_size=7), max_size=12),
    picks=st.lists(st.integers(0, 7), min_size=len(pi.FIELD_KEYS), max_size=len(pi.FIELD_KEYS)),
)
def test_parsing_a_column_at_a_time_gives_what_each_row_cell_by_cell_gives(
    width: int, cells: list[list[Any]], picks: list[int]
) -> None:
    """_parse_all takes each mapped column in one step (_columns); cell by cell — the cell
    of each row, 暂无 and the like as None, the text fields as _txt — gives the same."""
    from desktop_app.io.tables import Row, Table
    from desktop_app.io.values import NONE_WORDS

    rows = tuple(Row(n, tuple(c)) for n, c in enumerate(cells, start=2))
    table = Table("x.csv", "csv", tuple(f"h{i}" for i in range(width)), rows, 1)
    cols = {k: c for k, c in zip(pi.FIELD_KEYS, picks, strict=True) if c < 7}

    def cell(row: Row, key: str) -> object:
        value = row.get(cols.get(key))
        value = None if isinstance(value, str) and value in NONE_WORDS else value
        return pi._txt(value) if key in pi._TEXT_FIELDS else value

    by_cell = [[cell(r, key) for key in pi._ROW_FIELDS] for r in rows]
    assert [list(c) for c in zip(*pi._columns(table, cols), strict=True)] == by_cell

    def outcome(number: int, row_cells: list[object]) -> object:
        try:
            return pi._parse_row(number, *row_cells)
        except pi._Reject as rej:
            return rej.problem(number)

    good, rejected = pi._parse_all(table, cols)
    want = [outcome(r.number, c) for r, c in zip(rows, by_cell, strict=True)]
    assert [*good, *rejected] == [w for w in want if isinstance(w, pi._Parsed)] + [
        w for w in want if not isinstance(w, pi._Parsed)
    ]


@given(
    st.lists(st.one_of(st.none(), st.uuids()), max_size=20),
    st.lists(st.one_of(st.none(), st.dates()), max_size=20),
)
def test_a_bulk_writes_ids_and_days_are_the_text_sqlalchemy_would_store(
    ids: list[Any], days: list[Any]
) -> None:
    """The bulk write's whole-column passes for UUIDs and days give, value for value, what
    the column types' own SQLite bind processors give (None kept)."""
    from sqlalchemy import Date, Uuid
    from sqlalchemy.dialects import sqlite

    d = sqlite.dialect()
    for values, type_ in ((ids, Uuid()), (days, Date())):
        proc = type_.dialect_impl(d).bind_processor(d)
        assert proc is not None
        assert pi._bound(values, proc) == [None if v is None else proc(v) for v in values]
