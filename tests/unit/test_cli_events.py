"""A coordinator plans events from the command line: `paddock init`, `paddock event …`,
`paddock demo`; bad input and usage errors give the documented exit codes."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from desktop_app.cli import main
from desktop_app.domain.enums import EventType
from desktop_app.domain.timeutil import parse_local
from desktop_app.store.db import Database, open_database
from desktop_app.store.models import Event, EventTemplate, Person, Registration


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `paddock argv…`; returns (exit code, stdout, stderr) as a shell would see them."""
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse usage errors and --help
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], db: Database, *argv: str) -> dict:
    code, out, err = run(capsys, "--db", db.url, *argv, "--json")
    assert code == 0, err
    assert len(out.strip().splitlines()) == 1, "--json prints exactly one line"
    return json.loads(out)


def count(db: Database, model: type = Event) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def cli_db(db: Database, capsys: pytest.CaptureFixture[str]) -> Database:
    run_json(capsys, db, "init", "--dealer-code", "sh-0021", "--dealer-name", "星辰汽车")
    return db


def add(capsys: pytest.CaptureFixture[str], db: Database, *extra: str, title: str = "开放日"):
    return run_json(
        capsys,
        db,
        "event",
        "add",
        "--type",
        "open_day",
        "--title",
        title,
        "--starts",
        "2026-12-05 09:30",
        "--ends",
        "2026-12-05 17:00",
        "--venue",
        "浦东展厅",
        *extra,
    )


def test_init_sets_up_the_dealer(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    out = run_json(
        capsys,
        db,
        "init",
        "--dealer-code",
        "sh-0021",
        "--dealer-name",
        "星辰汽车",
        "--city",
        "上海",
    )
    assert (out["code"], out["name"], out["city"]) == ("SH-0021", "星辰汽车", "上海")
    assert out["timezone"] == "Asia/Shanghai"


@pytest.mark.parametrize("kind", [t.value for t in EventType])
def test_every_event_type_can_be_added(
    cli_db: Database, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    extra: list[str] = []
    if kind == "club_drive":
        extra = [
            "--meeting-point", "G60 松江服务区",
            "--route-stop", "千岛湖",
            "--route-stop", "文渊狮城",
            "--departure", "2026-12-05 07:30",
            "--max-cars", "15",
        ]  # fmt: skip
    if kind == "care_class":
        extra = [
            "--instructor", "王师傅",
            "--topic", "冬季保养",
            "--session", "2026-12-05 10:00/2026-12-05 12:00/轮胎",
            "--session", "2026-12-05 14:00/2026-12-05 16:00/电池",
        ]  # fmt: skip
    out = run_json(
        capsys,
        cli_db,
        "event", "add", "--type", kind, "--title", f"{kind} 活动",
        "--starts", "2026-12-05T09:00", "--ends", "2026-12-05T17:00+08:00",
        "--capacity", "30", "--format", "hybrid", "--venue", "浦东展厅",
        "--link", "https://live.example.com/x", "--waitlist",
        *extra,
    )  # fmt: skip
    assert out["type"] == kind and out["status"] == "draft"
    assert out["starts_at"] == "2026-12-05T09:00:00+08:00"
    assert out["capacity"] == 30 and out["waitlist"] is True and out["format"] == "hybrid"
    if kind == "club_drive":
        assert out["details"]["route_stops"] == ["千岛湖", "文渊狮城"]
        assert out["details"]["max_cars"] == 15
        departure = datetime.fromisoformat(out["details"]["departure_time"])
        assert departure == parse_local("2026-12-05 07:30", "Asia/Shanghai")
    if kind == "care_class":
        assert out["details"] == {"instructor": "王师傅", "topic": "冬季保养"}
        assert [s["topic"] for s in out["sessions"]] == ["轮胎", "电池"]


def test_list_prints_items_with_the_documented_keys(
    cli_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    add(capsys, cli_db, title="A")
    add(capsys, cli_db, title="B")
    out = run_json(capsys, cli_db, "event", "list")
    assert set(out) == {"items"}
    assert [i["title"] for i in out["items"]] == ["A", "B"]
    first = out["items"][0]
    for key in ("id", "title", "type", "format", "status", "starts_at", "venue", "capacity"):
        assert key in first
    only_b = run_json(capsys, cli_db, "event", "list", "--search", "B")
    assert [i["title"] for i in only_b["items"]] == ["B"]


def test_human_list_and_show(cli_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", cli_db.url, "event", "list")
    assert code == 0 and out.strip() == "no events"
    ev = add(capsys, cli_db)
    shown = run_json(capsys, cli_db, "event", "show", ev["id"])
    assert shown["id"] == ev["id"] and shown["venue"] == "浦东展厅"
    code, out, _ = run(capsys, "--db", cli_db.url, "event", "show", ev["id"])
    assert code == 0 and "开放日" in out and "2026-12-05 09:30" in out


def test_lifecycle_through_set_status(cli_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    ev = add(capsys, cli_db)
    for status in ("published", "closed", "completed"):
        out = run_json(capsys, cli_db, "event", "set-status", ev["id"], status)
        assert out["status"] == status
    code, _, err = run(capsys, "--db", cli_db.url, "event", "set-status", ev["id"], "published")
    assert code == 1 and err.count("\n") == 1 and "cannot change status" in err


def test_cancelling_with_registrations_needs_yes_and_keeps_them(
    cli_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    ev = add(capsys, cli_db, "--publish")
    with cli_db.write() as s:
        p = Person(name="张伟", phone="+8613800138000")
        s.add(p)
        s.flush()
        s.add(Registration(event_id=__import__("uuid").UUID(ev["id"]), person_id=p.id))
    code, _, err = run(capsys, "--db", cli_db.url, "event", "set-status", ev["id"], "cancelled")
    assert code == 1 and "1 registrations" in err and err.count("\n") == 1
    assert run_json(capsys, cli_db, "event", "show", ev["id"])["status"] == "published"
    out = run_json(
        capsys, cli_db, "event", "set-status", ev["id"], "cancelled", "--yes", "--reason", "暴雨"
    )
    assert out["status"] == "cancelled" and out["cancel_reason"] == "暴雨"
    assert count(cli_db, Registration) == 1


def test_duplicate_moves_all_times(cli_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    ev = add(capsys, cli_db, "--registration-closes", "2026-12-04 20:00")
    copy = run_json(capsys, cli_db, "event", "duplicate", ev["id"], "--starts", "2026-12-12 09:30")
    assert copy["id"] != ev["id"] and copy["status"] == "draft"
    assert copy["starts_at"] == "2026-12-12T09:30:00+08:00"
    assert copy["registration_closes_at"] == "2026-12-11T20:00:00+08:00"
    assert count(cli_db) == 2


def test_templates_save_list_and_create(
    cli_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    ev = add(capsys, cli_db, "--capacity", "80")
    tpl = run_json(capsys, cli_db, "event", "save-template", ev["id"], "--name", "标准开放日")
    assert tpl["name"] == "标准开放日" and tpl["type"] == "open_day"
    listed = run_json(capsys, cli_db, "event", "templates")
    assert [t["id"] for t in listed["items"]] == [tpl["id"]]
    new = run_json(
        capsys, cli_db, "event", "from-template", tpl["id"], "--starts", "2027-01-09 09:30",
        "--title", "一月开放日",
    )  # fmt: skip
    assert new["title"] == "一月开放日" and new["capacity"] == 80
    assert new["ends_at"] == "2027-01-09T17:00:00+08:00"


def test_demo_fills_every_event_type(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    summary = run_json(capsys, db, "demo")
    assert summary["events"] >= 8
    # today's open day shows issue 14: sign-up questions answered, gifts handed at the desk
    assert (summary["questions"], summary["gifts"]) == (2, 2)
    assert summary["answers"] > 0 and summary["gifts_handed"] > summary["checked_in"]
    items = run_json(capsys, db, "event", "list")["items"]
    assert {i["type"] for i in items} == {t.value for t in EventType}
    # a second demo would double every event: refused, nothing added
    code, _out, err = run(capsys, "--db", db.url, "demo")
    assert code == 1 and "already has events" in err
    assert count(db) == len(items)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--title", "X", "--starts", "2026-12-05 10:00", "--ends", "2026-12-05 09:00"],
         "Ends: must be after the start"),
        (["--title", " ", "--starts", "2026-12-05 10:00"], "Title: is required"),
        (["--title", "X", "--starts", "next friday"], "Starts: is not a date and time"),
        (["--title", "X", "--capacity", "0"], "Capacity: must be at least 1"),
        (["--title", "X", "--budget", "lots"], "Budget: must be an amount"),
    ],
)  # fmt: skip
def test_bad_input_exits_1_with_one_line_and_saves_nothing(
    cli_db: Database, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = run(capsys, "--db", cli_db.url, "event", "add", "--type", "open_day", *args)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    assert count(cli_db) == 0


def test_errors_speak_chinese_when_asked(
    cli_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, "--db", cli_db.url, "--lang", "zh", "event", "add", "--type", "open_day",
        "--title", "",
    )  # fmt: skip
    assert code == 1 and "标题：必填" in err


def test_unknown_event_is_a_clear_error(
    cli_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--db", cli_db.url, "event", "show", "not-an-id")
    assert code == 1 and "not found" in err and err.count("\n") == 1


@pytest.mark.parametrize(
    "argv",
    [
        ["event", "add", "--title", "no type"],
        ["event", "add", "--type", "picnic", "--title", "X"],
        ["event", "set-status", "x", "archived"],
        ["event"],
        ["event", "add", "--type", "open_day", "--title", "X", "--capacity", "many"],
    ],
)
def test_usage_errors_exit_2(
    cli_db: Database, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, out, err = run(capsys, "--db", cli_db.url, *argv)
    assert code == 2 and out == "" and err
    assert count(cli_db) == 0


def test_a_text_file_as_database_is_refused_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping list: tyres, wipers\n", encoding="utf-8")
    code, out, err = run(capsys, "--db", str(notes), "event", "list", "--json")
    assert code == 1 and out == ""
    assert "not a Paddock database" in err and "Traceback" not in err
    assert err.count("\n") == 1
    assert notes.read_text(encoding="utf-8") == "shopping list: tyres, wipers\n"


def test_a_database_from_a_newer_paddock_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "newer.sqlite"
    open_database(str(path)).close()
    db = open_database(str(path))
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00dfacecafe'"))
    db.close()
    code, out, err = run(capsys, "--db", str(path), "event", "list")
    assert code == 1 and out == ""
    assert "newer Paddock" in err and err.count("\n") == 1


def test_nothing_is_saved_when_publishing_right_away_fails(
    cli_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, "--db", cli_db.url, "event", "add", "--type", "open_day", "--title", "无日期",
        "--venue", "展厅", "--publish",
    )  # fmt: skip
    assert code == 1 and "without a start" in err
    # The CLI writes the draft, then removes it (soft delete) when publishing fails: no
    # event is left for anyone to see.
    with cli_db.read() as s:
        alive = s.scalar(select(func.count()).select_from(Event).where(Event.deleted_at.is_(None)))
    assert alive == 0
    assert run_json(capsys, cli_db, "event", "list")["items"] == []
    assert count(cli_db, EventTemplate) == 0


def test_event_edit_changes_only_the_options_given(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    run_json(capsys, db, "init", "--dealer-code", "SH-0021", "--dealer-name", "星辰")
    made = run_json(capsys, db, "event", "add", "--type", "care_class", "--format", "hybrid",
                    "--title", "冬季养护课堂", "--starts", "2026-12-05 14:00",
                    "--ends", "2026-12-05 16:00", "--capacity", "30")  # fmt: skip
    code, _out, err = run(capsys, "--db", db.url, "event", "set-status", made["id"], "published")
    assert code == 1 and "needs a venue" in err
    edited = run_json(capsys, db, "event", "edit", made["id"], "--venue", "二楼教室",
                      "--link", "https://live.example.com/x", "--instructor", "王师傅")  # fmt: skip
    assert edited["venue"] == "二楼教室" and edited["capacity"] == 30
    assert edited["details"]["instructor"] == "王师傅"
    assert edited["starts_at"] == "2026-12-05T14:00:00+08:00"
    published = run_json(capsys, db, "event", "set-status", made["id"], "published")
    assert published["status"] == "published"
    code, _out, err = run(capsys, "--db", db.url, "event", "edit", made["id"],
                          "--ends", "2026-12-05 13:00")  # fmt: skip
    assert code == 1 and "Ends" in err
    assert run_json(capsys, db, "event", "show", made["id"])["ends_at"].startswith("2026-12-05T16")


@pytest.mark.parametrize("local", ["03:10", "09:00", "12:00", "16:50", "22:40"])
def test_the_demo_open_day_is_in_progress_whatever_the_hour(local: str) -> None:
    """A demo made at night (or in Europe's afternoon) still shows an open day under way:
    its guests and walk-ins arrive at times an open day has them, never at 2 a.m. for an
    event at 09:30."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from desktop_app.services.checkin import window
    from desktop_app.services.demo import open_day_now

    hour, minute = map(int, local.split(":"))
    now = datetime(2026, 12, 8, hour, minute, tzinfo=ZoneInfo("Asia/Shanghai"))
    starts, ends = open_day_now(now)
    opens, closes = window(starts, ends)
    assert opens is not None and closes is not None
    assert starts - timedelta(minutes=40) <= now <= ends and opens <= now <= closes
    assert ends - starts >= timedelta(hours=7)
    if "10:00" <= local <= "16:30":
        assert (starts.hour, starts.minute, ends.hour) == (9, 30, 17)


def test_a_chinese_desk_reads_events_today_and_counters_in_chinese(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--lang zh`: statuses, types, the event card's labels, the Today lines and the
    desk's counters are Chinese words, not stored keys (`published`, `open_day`)."""
    run_json(capsys, db, "demo")
    items = run_json(capsys, db, "event", "list")["items"]
    live = next(e for e in items if e["status"] == "published" and e["type"] == "open_day")
    code, listing, _ = run(capsys, "--db", db.url, "--lang", "zh", "event", "list")
    assert code == 0 and "已发布  开放日  星辰开放日" in listing
    assert "published" not in listing and "open_day" not in listing
    _, card, _ = run(capsys, "--db", db.url, "--lang", "zh", "event", "show", live["id"])
    assert "[开放日, 现场, 已发布]" in card and "地点: 浦东展厅" in card
    _, today, _ = run(capsys, "--db", db.url, "--lang", "zh", "today")
    assert "：已报名 " in today and "其中现场报名" in today and "purchase_anniversary" not in today
    _, counts, _ = run(capsys, "--db", db.url, "--lang", "zh", "desk", "counts", live["id"])
    assert counts.startswith("应到 ") and "其中现场报名" in counts
    _, english, _ = run(capsys, "--db", db.url, "--lang", "en", "desk", "counts", live["id"])
    assert english.startswith("expected ")
