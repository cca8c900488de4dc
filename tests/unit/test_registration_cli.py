"""`paddock register / cancel / registrations`: scripts get one JSON object, people get a line."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest

from desktop_app.cli import main
from desktop_app.domain.timeutil import now_utc
from desktop_app.services import events
from desktop_app.store.db import Database

SOON = now_utc().replace(microsecond=0) + timedelta(days=5)


def make_event(db: Database, **kw: object) -> uuid.UUID:
    base: dict[str, object] = dict(
        title="冬季养护课堂", type="care_class", starts_at=SOON, ends_at=SOON + timedelta(hours=2),
        venue="售后服务中心", capacity=2, waitlist_enabled=True,
    )  # fmt: skip
    e = events.create_event(db, events.EventDraft(**(base | kw)))  # type: ignore[arg-type]
    events.set_status(db, e.id, "published")
    return e.id


def run(db: Database, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--db", db.url, *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_register_cancel_and_list_from_the_command_line(
    dealer_sqlite: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    ev = str(make_event(dealer_sqlite))
    code, out, _ = run(dealer_sqlite, capsys, "register", ev, "--phone", "13800138000",
                       "--name", "张伟", "--party", "2", "--json")  # fmt: skip
    assert code == 0
    a = json.loads(out)
    assert a["status"] == "registered" and a["ticket_code"].startswith("P1.")
    assert {"id", "event_id", "person_id", "name", "checked_in", "short_code"} <= set(a)

    code, out, _ = run(dealer_sqlite, capsys, "register", ev, "--phone", "13900139000",
                       "--name", "李娜", "--source", "referral",
                       "--referred-by", a["person_id"])  # fmt: skip
    assert code == 0 and "waitlisted (position 1)" in out

    code, out, _ = run(dealer_sqlite, capsys, "registrations", ev, "--json")
    listing = json.loads(out)
    assert [i["status"] for i in listing["items"]] == ["registered", "waitlisted"]
    assert listing["occupancy"]["used"] == 2 and listing["occupancy"]["waitlisted"] == 1

    code, out, _ = run(dealer_sqlite, capsys, "cancel", a["id"], "--reason", "出差")
    assert code == 0 and "promoted from the waitlist: 李娜" in out

    code, out, _ = run(dealer_sqlite, capsys, "registrations", ev, "--status", "cancelled",
                       "--json")  # fmt: skip
    items = json.loads(out)["items"]
    assert [(i["name"], i["cancel_reason"]) for i in items] == [("张伟", "出差")]

    code, out, _ = run(dealer_sqlite, capsys, "registrations", ev)
    assert "1/2 seats used · 0 waitlisted" in out and "李娜" in out


def test_cli_errors_are_one_line_and_exit_1(
    dealer_sqlite: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    ev = str(make_event(dealer_sqlite, waitlist_enabled=False, capacity=1))
    assert (
        run(dealer_sqlite, capsys, "register", ev, "--phone", "13800138000", "--name", "甲")[0] == 0
    )
    code, out, err = run(dealer_sqlite, capsys, "register", ev, "--phone", "13800138000",
                         "--name", "甲", "--json")  # fmt: skip
    assert code == 1 and out == "" and "already registered" in err and err.count("\n") == 1
    code, _, err = run(dealer_sqlite, capsys, "register", ev, "--phone", "13900139000",
                       "--name", "乙")  # fmt: skip
    assert code == 1 and "full (1 of 1 seats)" in err
    code, _, err = run(dealer_sqlite, capsys, "--lang", "zh", "register", ev, "--phone",
                       "13900139000", "--name", "乙")  # fmt: skip
    assert code == 1 and "活动已满" in err
    code, _, err = run(dealer_sqlite, capsys, "register", ev, "--phone", "139")
    assert code == 1 and "Phone" in err and "too few digits" in err  # before "name required"
    code, _, err = run(dealer_sqlite, capsys, "cancel", str(uuid.uuid4()))
    assert code == 1 and "not found" in err
    with pytest.raises(SystemExit) as usage:  # --person or --phone is required
        run(dealer_sqlite, capsys, "register", ev)
    assert usage.value.code == 2
