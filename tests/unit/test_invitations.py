"""Butlers phone their owners: a segment becomes per-butler call lists with outcomes."""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta
from typing import Any

import pytest

from desktop_app.cli import main
from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.domain.timeutil import now_utc
from desktop_app.services import events, invitations
from desktop_app.services import registration as reg
from desktop_app.services.invitations import Segment
from desktop_app.store.db import Database
from desktop_app.store.models import (
    Club,
    ClubMembership,
    Event,
    Person,
    PersonTag,
    Registration,
    Staff,
    Vehicle,
)

SOON = now_utc().replace(microsecond=0) + timedelta(days=5)


def make_event(db: Database, **kw: Any) -> uuid.UUID:
    base: dict[str, Any] = dict(
        title="车主见面会", type="city_meetup", starts_at=SOON, ends_at=SOON + timedelta(hours=3),
        venue="新天地", capacity=50,
    )  # fmt: skip
    e = events.create_event(db, events.EventDraft(**(base | kw)))
    events.set_status(db, e.id, "published")
    return e.id


class World:
    """Two butlers, six people with vehicles, tags, a club and past attendance."""

    def __init__(self, db: Database) -> None:
        self.db = db
        with db.write() as s:
            self.chen = Staff(name="陈管家")
            self.lin = Staff(name="林管家")
            s.add_all([self.chen, self.lin])
            s.flush()
            self.club = Club(name="S7 车友会")
            s.add(self.club)
            s.flush()
            self.p: dict[str, uuid.UUID] = {}
            spec = [
                # name, stage, tier, butler, model, purchased, tags
                ("张伟", "owner", "gold", self.chen, "星辰 S7", date(2024, 3, 1), ["VIP"]),
                ("李娜", "owner", "silver", self.chen, "星辰 X5", date(2025, 6, 1), []),
                ("王芳", "member", "gold", self.lin, "星辰 S7", date(2023, 1, 9), ["亲子"]),
                ("刘洋", "prospect", None, None, None, None, []),
                ("陈静", "owner", None, None, "星辰 S7", date(2025, 9, 1), ["亲子"]),
                ("赵磊", "owner", "silver", self.lin, "星辰 X5", date(2025, 10, 1), []),
            ]
            for n, (name, stage, tier, butler, model, bought, tags) in enumerate(spec):
                p = Person(name=name, phone=f"+86139000000{n:02d}", stage=stage, tier=tier,
                           butler_id=butler.id if butler else None,
                           consent_marketing_at=now_utc())  # fmt: skip
                s.add(p)
                s.flush()
                self.p[name] = p.id
                if model:
                    s.add(Vehicle(person_id=p.id, model=model, purchase_date=bought))
                for t in tags:
                    s.add(PersonTag(person_id=p.id, tag=t))
            s.add(ClubMembership(club_id=self.club.id, person_id=self.p["王芳"]))
            s.add(ClubMembership(club_id=self.club.id, person_id=self.p["张伟"]))
            # 张伟 came to an event 2 months ago; 李娜 registered 8 months ago and came
            recent = Event(title="九月开放日", type="open_day", status="completed",
                           starts_at=now_utc() - timedelta(days=60))  # fmt: skip
            old = Event(title="春季开放日", type="open_day", status="completed",
                        starts_at=now_utc() - timedelta(days=240))  # fmt: skip
            s.add_all([recent, old])
            s.flush()
            s.add(Registration(event_id=recent.id, person_id=self.p["张伟"],
                               checked_in_at=recent.starts_at))  # fmt: skip
            s.add(Registration(event_id=old.id, person_id=self.p["李娜"],
                               checked_in_at=old.starts_at))  # fmt: skip
            s.add(Registration(event_id=recent.id, person_id=self.p["赵磊"]))  # no-show
            self.chen_id, self.lin_id, self.club_id = self.chen.id, self.lin.id, self.club.id

    def names(self, seg: Segment) -> set[str]:
        return {r.name for r in invitations.preview(self.db, seg).rows}


@pytest.fixture
def world(dealer_db: Database) -> World:
    return World(dealer_db)


def test_the_segment_builder_filters_people(world: World) -> None:
    n = world.names
    assert n(Segment()) == {"张伟", "李娜", "王芳", "刘洋", "陈静", "赵磊"}
    assert n(Segment(stages=("owner",))) == {"张伟", "李娜", "陈静", "赵磊"}
    assert n(Segment(tiers=("gold",))) == {"张伟", "王芳"}
    assert n(Segment(club_ids=(world.club_id,))) == {"张伟", "王芳"}
    assert n(Segment(models=("s7",))) == {"张伟", "王芳", "陈静"}
    assert n(Segment(purchased_from=date(2025, 1, 1))) == {"李娜", "陈静", "赵磊"}
    assert n(Segment(purchased_from=date(2025, 1, 1), purchased_to=date(2025, 6, 1))) == {"李娜"}
    assert n(Segment(butler_ids=(world.lin_id,))) == {"王芳", "赵磊"}
    assert n(Segment(tags=("亲子", "VIP"))) == {"张伟", "王芳", "陈静"}
    assert n(Segment(attended_in_months=3)) == {"张伟"}
    assert n(Segment(attended_in_months=12)) == {"张伟", "李娜"}
    assert n(Segment(not_attended_in_months=3, stages=("owner",))) == {"李娜", "陈静", "赵磊"}
    assert n(Segment(never_attended=True)) == {"王芳", "刘洋", "陈静", "赵磊"}
    assert n(Segment(stages=("owner",), models=("S7",), never_attended=True)) == {"陈静"}
    assert invitations.preview(world.db, Segment(stages=("owner",))).count == 4


def test_call_lists_are_split_per_butler_and_unassigned_people_shared_out(world: World) -> None:
    ev = make_event(world.db)
    res = invitations.build_call_lists(world.db, ev, Segment())
    assert (res.added, res.already) == (6, 0)
    per = {p.butler_name: p.total for p in res.per_butler}
    assert per == {"陈管家": 3, "林管家": 3}  # 刘洋 and 陈静 shared out evenly
    chen = {r.name for r in invitations.list_invitations(world.db, ev, world.chen_id)}
    assert {"张伟", "李娜"} <= chen
    again = invitations.build_call_lists(world.db, ev, Segment())
    assert (again.added, again.already) == (0, 6)


def test_people_without_a_butler_can_stay_on_an_unassigned_list(world: World) -> None:
    ev = make_event(world.db)
    invitations.build_call_lists(world.db, ev, Segment(), unassigned="unassigned")
    rows = invitations.list_invitations(world.db, ev, "none")
    assert {r.name for r in rows} == {"刘洋", "陈静"}
    prog = invitations.progress(world.db, ev)
    assert [(p.butler_name, p.total) for p in prog] == [("林管家", 2), ("陈管家", 2), (None, 2)]


def test_already_registered_people_are_not_put_on_the_list(world: World) -> None:
    ev = make_event(world.db)
    reg.register(world.db, ev, world.p["张伟"])
    res = invitations.build_call_lists(world.db, ev, Segment(stages=("owner",)))
    assert res.added == 3


def test_recording_calls_and_registering_from_the_list(world: World) -> None:
    ev = make_event(world.db)
    invitations.build_call_lists(world.db, ev, Segment(butler_ids=(world.chen_id,)))
    rows = {r.name: r for r in invitations.list_invitations(world.db, ev, world.chen_id)}
    r1 = invitations.set_call_status(world.db, rows["李娜"].id, "no_answer", note="关机")
    assert r1.status == "no_answer" and r1.note == "关机" and r1.called_at is not None
    r2 = invitations.set_call_status(world.db, rows["张伟"].id, "registered", party_size=2)
    assert r2.status == "registered" and r2.registration_id is not None
    assert r2.registration_status == "registered"
    v = reg.get_registration(world.db, r2.registration_id)
    assert v.invited_by_id == world.chen_id and v.source == "phone_invite" and v.party_size == 2
    assert v.ticket_code
    prog = {p.butler_name: p for p in invitations.progress(world.db, ev)}
    assert prog["陈管家"].counts["registered"] == 1 and prog["陈管家"].counts["no_answer"] == 1
    assert prog["陈管家"].called == 2 and prog["陈管家"].to_json()["total"] == 2
    with pytest.raises(ValidationError):
        invitations.set_call_status(world.db, rows["李娜"].id, "maybe")


def test_registering_from_the_list_links_an_existing_sign_up(world: World) -> None:
    ev = make_event(world.db)
    invitations.build_call_lists(world.db, ev, Segment(butler_ids=(world.lin_id,)))
    row = next(r for r in invitations.list_invitations(world.db, ev) if r.name == "王芳")
    online = reg.register(world.db, ev, world.p["王芳"], source="online_form")
    assert invitations.get_invitation(world.db, row.id).registration_status == "registered"
    done = invitations.set_call_status(world.db, row.id, "registered")
    assert done.registration_id == online.id
    assert reg.get_registration(world.db, online.id).invited_by_id == world.lin_id


def test_registering_from_the_list_into_a_full_event_keeps_the_call_open(world: World) -> None:
    ev = make_event(world.db, capacity=1)
    reg.register(world.db, ev, world.p["刘洋"])
    invitations.build_call_lists(world.db, ev, Segment(butler_ids=(world.chen_id,)))
    row = invitations.list_invitations(world.db, ev)[0]
    with pytest.raises(RuleViolation, match="full"):
        invitations.set_call_status(world.db, row.id, "registered")
    assert invitations.get_invitation(world.db, row.id).status == "to_call"


def test_the_cli_builds_lists_and_records_calls(
    dealer_sqlite: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    w = World(dealer_sqlite)
    ev = make_event(dealer_sqlite)
    db = ["--db", dealer_sqlite.url]
    assert main([*db, "invite", "build", str(ev), "--stage", "owner", "--preview", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["count"] == 4
    assert main([*db, "invite", "build", str(ev), "--model", "S7", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["added"] == 3
    assert main([*db, "invite", "list", str(ev), "--butler", str(w.chen_id), "--json"]) == 0
    items = json.loads(capsys.readouterr().out)["items"]
    assert items and all(i["butler_id"] == str(w.chen_id) for i in items)
    assert main([*db, "invite", "set", items[0]["id"], "invited", "--note", "周六来"]) == 0
    assert "invited" in capsys.readouterr().out
    assert main([*db, "invite", "progress", str(ev), "--json"]) == 0
    prog = json.loads(capsys.readouterr().out)["items"]
    assert sum(p["invited"] for p in prog) == 1
