"""The desk, headless: `paddock checkin|checkout|walkin|desk|attendance` with --json."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop_app.cli import main
from desktop_app.domain.timeutil import zone
from desktop_app.services import gifts
from desktop_app.services.gifts import GiftDraft
from desktop_app.store.db import Database
from desktop_app.store.models import ScanLog
from tests.checkin_support import make_event, register

FIX = Path(__file__).parents[1] / "fixtures" / "attendance"


def run(db: Database, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code = main(["--db", str(db.path), *argv])
    out = capsys.readouterr().out.strip()
    return code, (json.loads(out) if out.startswith("{") else {"text": out})


def test_checkin_prints_one_json_object_and_exits_0_then_3(
    dealer_sqlite: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    ev = make_event(dealer_sqlite)
    seat = register(dealer_sqlite, ev, "李娜", "+8613800138000")
    code, obj = run(dealer_sqlite, capsys, "checkin", str(ev), seat.code, "--desk", "A", "--json")
    assert code == 0 and obj["result"] == "accepted" and obj["name"] == "李娜"
    assert obj["registration_id"] == str(seat.registration_id)
    assert obj["person_id"] == str(seat.person_id) and obj["event_id"] == str(ev)
    code, obj = run(dealer_sqlite, capsys, "checkin", str(ev), seat.code, "--desk", "B", "--json")
    assert code == 3 and obj["result"] == "already_checked_in"
    assert obj["first_desk"] == "A" and obj["first_checked_in_at"].endswith("+08:00")
    code, obj = run(dealer_sqlite, capsys, "checkin", str(ev), "P1.XXXX", "--json")
    assert code == 3 and obj["result"] == "invalid_ticket"


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "Take back from the guest: 签到礼 × 1 · 停车券 × 3 (returned to stock)"),
        ("zh", "请向客人收回礼品：签到礼 × 1 · 停车券 × 3（已退回库存）"),
    ],
)
def test_undoing_a_check_in_on_the_command_line_names_the_gifts_to_take_back(
    dealer_sqlite: Database, capsys: pytest.CaptureFixture[str], lang: str, said: str
) -> None:
    """王芳 (a party of 3) was let in and handed her gifts by mistake: the coordinator undoes
    the check-in from a terminal and is told which gifts, how many, to ask back."""
    ev = make_event(dealer_sqlite)
    gifts.add_gift(dealer_sqlite, ev, GiftDraft("签到礼", 10))
    gifts.add_gift(dealer_sqlite, ev, GiftDraft("停车券", 10, "per_person"))
    seat = register(dealer_sqlite, ev, "王芳", "+8613912345678", party_size=3)
    run(dealer_sqlite, capsys, "checkin", str(ev), seat.code)
    gifts.hand(dealer_sqlite, seat.registration_id)
    code, obj = run(
        dealer_sqlite,
        capsys,
        "--lang",
        lang,
        "checkin",
        str(ev),
        "--undo",
        str(seat.registration_id),
    )
    assert code == 0 and obj["text"].splitlines()[-1] == said
    assert [g.left for g in gifts.list_gifts(dealer_sqlite, ev)] == [10, 10], "back in stock"


def test_checkin_human_output_undo_and_short_code(
    dealer_sqlite: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    ev = make_event(dealer_sqlite, points=20)
    seat = register(dealer_sqlite, ev, "王芳", "+8613912345678", party_size=3)
    short = f"{seat.short_code[:4].lower()}-{seat.short_code[4:]}"
    code, obj = run(dealer_sqlite, capsys, "checkin", str(ev), short, "--desk", "门口")
    assert code == 0 and obj["text"].startswith("ACCEPTED") and "party 3" in obj["text"]
    code, obj = run(
        dealer_sqlite, capsys, "checkin", str(ev), "--undo", str(seat.registration_id), "--json"
    )
    assert code == 0 and obj["action"] == "undo" and obj["points_awarded"] == -20
    assert obj["gifts_returned"] == [], "no gift was handed: nothing to take back"
    code, _ = run(dealer_sqlite, capsys, "checkin", str(ev), "--undo", str(seat.registration_id))
    assert code == 1, "nothing to undo is bad input"
    with dealer_sqlite.read() as s:
        assert s.scalar(select(func.count()).select_from(ScanLog)) == 2


def test_not_open_and_the_override(
    dealer_sqlite: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    ev = make_event(dealer_sqlite, starts_at=datetime(2030, 1, 1, 9, tzinfo=zone("UTC")))
    seat = register(dealer_sqlite, ev)
    code, obj = run(dealer_sqlite, capsys, "checkin", str(ev), seat.code, "--json")
    assert (code, obj["result"]) == (3, "not_open")
    assert obj["window_opens_at"].startswith("2030-01-01T15:00")  # 07:00 UTC in Shanghai
    code, obj = run(
        dealer_sqlite, capsys, "checkin", str(ev), seat.code, "--override-window", "--json"
    )
    assert (code, obj["result"]) == (0, "accepted")


def test_checkout_walkin_and_desk_counts(
    dealer_sqlite: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    ev = make_event(dealer_sqlite, type="club_drive")
    seat = register(dealer_sqlite, ev, "刘洋", "+8618600002222", plate="沪A·D12345")
    code, obj = run(dealer_sqlite, capsys, "checkout", str(ev), seat.code, "--json")
    assert (code, obj["result"]) == (3, "not_checked_in")
    run(dealer_sqlite, capsys, "checkin", str(ev), seat.code, "--json")
    code, obj = run(
        dealer_sqlite,
        capsys,
        "walkin",
        str(ev),
        "--phone",
        "139 1234 5678",
        "--name",
        "周杰",
        "--model",
        "星辰 S7",
        "--test-drive",
        "--consent",
        "--plate",
        "沪B·54321",
        "--json",
    )
    assert code == 0 and obj["result"] == "accepted" and obj["person_created"] is True
    code, obj = run(dealer_sqlite, capsys, "desk", "still-out", str(ev), "--json")
    assert sorted(i["name"] for i in obj["items"]) == ["刘洋", "周杰"]
    code, obj = run(dealer_sqlite, capsys, "checkout", str(ev), seat.code, "--json")
    assert (code, obj["result"], obj["action"]) == (0, "accepted", "check_out")
    code, obj = run(dealer_sqlite, capsys, "desk", "counts", str(ev), "--json")
    assert code == 0
    assert (obj["expected"], obj["arrived"], obj["walk_ins"], obj["checked_out"]) == (1, 2, 1, 1)
    assert (obj["arrived_registered"], obj["still_to_come"]) == (1, 0)
    code, obj = run(dealer_sqlite, capsys, "desk", "search", str(ev), "d12345", "--json")
    assert [i["name"] for i in obj["items"]] == ["刘洋"]
    code, _ = run(dealer_sqlite, capsys, "walkin", str(ev), "--phone", "12345", "--name", "x")
    assert code == 1


def test_attendance_import_from_the_command_line(
    dealer_sqlite: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    # the member day of the export (an export of another day is refused: --any-date)
    starts = datetime(2026, 12, 7, 19, 0, tzinfo=zone("Asia/Shanghai"))
    ev = make_event(dealer_sqlite, starts_at=starts, format="online", type="member_day")
    register(dealer_sqlite, ev, "李娜", "+8613800138000")
    register(dealer_sqlite, ev, "刘洋", "+8618600002222")
    path = str(FIX / "zoom_participants_classic.csv")
    code, obj = run(
        dealer_sqlite, capsys, "attendance", "import", str(ev), path, "--dry-run", "--json"
    )
    assert code == 0 and obj["dry_run"] is True and obj["matched"] == 2
    code, obj = run(dealer_sqlite, capsys, "attendance", "import", str(ev), path, "--json")
    assert (obj["created"], obj["participants"], obj["attended"]) == (6, 6, 2)
    key = next(u["key"] for u in obj["unmatched_participants"] if u["name"] == "路人甲")
    regs = run(dealer_sqlite, capsys, "desk", "search", str(ev), "李娜", "--json")[1]["items"]
    code, obj = run(
        dealer_sqlite,
        capsys,
        "attendance",
        "match",
        str(ev),
        key,
        regs[0]["registration_id"],
        "--json",
    )
    assert code == 0 and obj["name"] == "李娜"
    code, _ = run(dealer_sqlite, capsys, "attendance", "import", str(ev), "/nope.csv")
    assert code == 1


@pytest.mark.parametrize(
    "argv",
    [
        ("checkin", "{missing}", "P1.AAAAAAAA.BBBBBBBBBBBBBBBB.CCCCCCCCCCCCCCCC"),
        ("checkin", "{missing}", "K7QX-M2PA"),
        ("checkout", "{missing}", "K7QX-M2PA"),
        ("checkin", "{event},{missing}", "K7QX-M2PA"),
        ("desk", "counts", "{missing}"),
        ("desk", "search", "{missing}", "李"),
        ("desk", "still-out", "{missing}"),
        ("register", "{missing}", "--phone", "13800138000", "--name", "李娜"),
        ("walkin", "{missing}", "--phone", "13800138000", "--name", "李娜"),
    ],
)
def test_a_desk_verb_for_an_event_that_does_not_exist_says_event_not_found(
    dealer_db: Database, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    """The same words and exit code from every verb that names an event; nothing written
    (a scan used to end in IntegrityError, desk counts printed zeros)."""
    ev = make_event(dealer_db)
    missing = "6f1c2a9e-3b7d-4e25-9a41-0c8d5e7f1a23"
    args = [a.format(missing=missing, event=ev) for a in argv]
    code = main(["--db", dealer_db.url, *args, "--json"])
    captured = capsys.readouterr()
    assert code == 1 and captured.out == ""
    assert captured.err.strip() == f"paddock: event not found: {missing}"
    with dealer_db.read() as s:
        assert s.scalar(select(func.count()).select_from(ScanLog)) == 0
    main(["--db", dealer_db.url, "--lang", "zh", *args])
    assert "找不到活动" in capsys.readouterr().err
