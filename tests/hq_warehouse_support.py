"""Dealer HQ workbooks made to order, a warehouse per test, and the KPIs computed the plain
way (every row in memory, domain/kpi.event_kpis per event) to hold the roll-ups against.

`community_rows` draws a dealer's sheets with the cases KPI code gets wrong: deleted rows,
registrations of deleted or unknown events, walk-ins, online minutes around the event's
threshold, stages stamped at creation, members who joined within and after 30 days, people
shared with another dealer (same UUID), events near a month's edge in their own time zone,
unknown time zones, cancelled and future events, feedback without a rating.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from desktop_app.domain import kpi
from desktop_app.io import hq_workbook as hw
from desktop_app.services import hq_merge

ZONES = ("Asia/Shanghai", "Asia/Shanghai", "Asia/Urumqi", "UTC", None, "Mars/Olympus_Mons")
CAMPAIGNS = ("HQ-2026-MBR11", "HQ-2026-MBR12", "HQ-2026-CARE")
STATUSES = ("registered", "registered", "attended", "no_show", "waitlisted", "cancelled", "pending")


def uid(rnd: random.Random) -> str:
    return str(uuid.UUID(int=rnd.getrandbits(128), version=4))


def fill(sheet: hw.Sheet, given: dict[str, Any], rnd: random.Random) -> dict[str, Any]:
    """A contract row: the given values, the other required columns filled plausibly."""
    row: dict[str, Any] = {}
    for c in sheet.columns:
        if c.key in given:
            row[c.key] = given[c.key]
        elif c.nullable:
            row[c.key] = None
        elif c.type == hw.UUID:
            row[c.key] = uid(rnd)
        elif c.type == hw.DATETIME:
            row[c.key] = datetime(2026, 6, 1, tzinfo=UTC)
        elif c.type == hw.INT:
            row[c.key] = 1
        elif c.type == hw.BOOL:
            row[c.key] = False
        else:
            row[c.key] = {"action": "check_in", "result": "accepted"}.get(c.key, "x")
    return row


def community_rows(
    rnd: random.Random,
    dealer: str,
    now: datetime,
    *,
    shared_people: list[str] = (),  # type: ignore[assignment]
    events: int = 8,
    people: int = 40,
    registrations: int = 90,
) -> dict[str, list[dict[str, Any]]]:
    sheets = hw.SHEET_BY_NAME
    out: dict[str, list[dict[str, Any]]] = {s.name: [] for s in hw.SHEETS}

    def stamp(row: dict[str, Any], created: datetime | None = None) -> dict[str, Any]:
        created = created or now - timedelta(days=rnd.randint(30, 400))
        deleted = rnd.random() < 0.06
        return {
            "id": uid(rnd),
            "dealer_code": dealer,
            "created_at": created,
            "updated_at": now - timedelta(seconds=rnd.randint(0, 10**6)),
            "deleted": deleted,
            "deleted_at": now - timedelta(days=1) if deleted else None,
            **row,
        }

    starts: dict[str, datetime | None] = {}
    for i in range(events):
        if rnd.random() < 0.12:
            start = None
        elif rnd.random() < 0.3:  # 00:30 local on the 1st: the previous month in UTC
            start = datetime(2026, rnd.randint(2, 11), 1, tzinfo=UTC) - timedelta(
                hours=7, minutes=30
            )
        else:
            start = now - timedelta(days=rnd.randint(-20, 300), minutes=rnd.randint(0, 600))
        ends = None if start is None or rnd.random() < 0.1 else start + timedelta(hours=3)
        row = stamp(
            {
                "title": f"{dealer} 活动{i}",
                "type": rnd.choice(("member_day", "care_class", "open_day")),
                "status": rnd.choice(("completed", "completed", "published", "cancelled")),
                "starts_at": start,
                "ends_at": ends,
                "timezone": rnd.choice(ZONES),
                "campaign_code": rnd.choice((*CAMPAIGNS, None)),
                "min_online_minutes": rnd.choice((None, None, 5, 30)),
                "budget": rnd.choice((None, 3000.0, 1234.5)),
            }
        )
        starts[row["id"]] = start
        out["events"].append(fill(sheets["events"], row, rnd))
    event_ids = [e["id"] for e in out["events"]]
    some_start = [s for s in starts.values() if s] or [now]
    for _ in range(people):
        created = now - timedelta(days=rnd.randint(5, 500))
        stage = rnd.choice(("prospect", "owner", "member", "member"))
        pick = rnd.random()
        if pick < 0.3:
            changed = None
        elif pick < 0.5:
            changed = created + timedelta(seconds=rnd.choice((2, -3, 5, 6)))  # stamped, or not
        else:
            changed = rnd.choice(some_start) + timedelta(
                days=rnd.choice((-3, 0, 2, 29, 30, 31, 60))
            )
        row = stamp(
            {"name": "张*", "stage": stage, "stage_changed_at": changed, "tier": None}, created
        )
        out["people"].append(fill(sheets["people"], row, rnd))
    for pid in shared_people:  # the same person at this dealer too, as this dealer knows them
        row = stamp({"id": pid, "name": "李*", "stage": rnd.choice(("prospect", "member"))})
        row["id"] = pid
        out["people"].append(fill(sheets["people"], row, rnd))
    person_ids = [p["id"] for p in out["people"]]
    clubs = [fill(sheets["clubs"], stamp({"name": f"{dealer}车友会"}), rnd) for _ in range(2)]
    out["clubs"] = clubs
    for _ in range(10):
        row = stamp(
            {
                "club_id": rnd.choice(clubs)["id"],
                "person_id": rnd.choice(person_ids),
                "joined_on": rnd.choice((None, date(2025, rnd.randint(1, 12), 1))),
            }
        )
        out["club_memberships"].append(fill(sheets["club_memberships"], row, rnd))
    for _ in range(registrations):
        event = rnd.choice(event_ids) if rnd.random() > 0.04 else uid(rnd)
        start = starts.get(event) or now
        row = stamp(
            {
                "event_id": event,
                "person_id": rnd.choice(person_ids) if rnd.random() > 0.04 else uid(rnd),
                "status": rnd.choice(STATUSES),
                "source": rnd.choice(("phone_invite", "walk_in", "form", None)),
                "party_size": rnd.choice((None, 1, 2, 4)),
                "is_walk_in": rnd.choice((None, False, False, False, True)),
                "checked_in_at": start + timedelta(minutes=rnd.randint(-30, 90))
                if rnd.random() < 0.5
                else None,
                "online_minutes": rnd.choice((None, None, 0, 4, 5, 10, 29, 30, 60)),
                "referred_by_id": rnd.choice(person_ids) if rnd.random() < 0.2 else None,
            }
        )
        out["registrations"].append(fill(sheets["registrations"], row, rnd))
    # People who joined right at the edges of "new member" (at the start, 30 days after).
    by_id = {p["id"]: p for p in out["people"]}
    for r in rnd.sample(out["registrations"], min(8, len(out["registrations"]))):
        p, start = by_id.get(r["person_id"]), starts.get(r["event_id"])
        if p is not None and start is not None:
            edge = rnd.choice((timedelta(0), timedelta(seconds=-1), timedelta(days=30),
                               timedelta(days=30, microseconds=-1000), timedelta(days=12)))  # fmt: skip
            p.update(stage="member", stage_changed_at=start + edge)
            r.update(status="registered", checked_in_at=start)
    reg_ids = [r["id"] for r in out["registrations"]]
    for _ in range(15):
        row = stamp(
            {
                "event_id": rnd.choice(event_ids),
                "rating": rnd.choice((None, 1, 3, 4, 5, 5)),
                "nps": rnd.choice((None, 0, 6, 7, 8, 9, 10)),
                "comment": rnd.choice((None, '=HYPERLINK("x")', "+86 138", "很好")),
            }
        )
        out["feedback"].append(fill(sheets["feedback"], row, rnd))
    for _ in range(20):
        row = stamp(
            {
                "person_id": rnd.choice(person_ids),
                "registration_id": rnd.choice(reg_ids) if rnd.random() > 0.1 else None,
                "delta": rnd.choice((50, 100, -20)),
            }
        )
        out["points_ledger"].append(fill(sheets["points_ledger"], row, rnd))
    for _ in range(6):
        out["vehicles"].append(
            fill(sheets["vehicles"], stamp({"person_id": rnd.choice(person_ids),
                                             "purchase_date": date(2024, 5, 17)}), rnd)
        )  # fmt: skip
        out["checkins"].append(
            fill(sheets["checkins"], stamp({"nonce": uid(rnd), "event_id": rnd.choice(event_ids),
                                             "scanned_at": now - timedelta(days=3)}), rnd)
        )  # fmt: skip
        out["online_attendance"].append(
            fill(sheets["online_attendance"], stamp({"event_id": rnd.choice(event_ids),
                                                      "minutes": 12}), rnd)
        )  # fmt: skip
    return out


def write_hq_file(
    path: Path,
    dealer: str,
    rows: dict[str, list[dict[str, Any]]],
    *,
    exported_at: datetime,
    region: str | None = "华东",
    schema_version: int = 1,
    **meta: Any,
) -> Path:
    """A dealer's HQ workbook with exactly these rows (the contract's sheets, keys, types
    and _meta row counts); region None leaves dealer_region out, as schema-1 files do."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    w = hq_merge._Writer(wb)
    meta_rows: list[tuple[str, Any]] = [
        ("schema_version", schema_version),
        ("dealer_code", dealer),
        ("dealer_name", meta.pop("dealer_name", f"{dealer} 汽车")),
        *([("dealer_region", region)] if region is not None else []),
        ("app_version", "0.1.0"),
        ("exported_at", exported_at),
        ("watermark", exported_at),
        ("since", ""),
        ("mode", "full"),
        ("pii_mode", "masked"),
        ("checkins", "all"),
        *meta.items(),
        *((hw.rows_meta_key(s.name), len(rows.get(s.name, []))) for s in hw.SHEETS),
    ]
    hq_merge._write_meta(w, meta_rows)
    for sheet in hw.SHEETS:
        w.sheet(
            sheet.name,
            [(c.key, c.type) for c in sheet.columns],
            ([r[k] for k in sheet.keys] for r in rows.get(sheet.name, [])),
        )
    wb.close()
    return path


def national_files(folder: Path, seed: int, dealers: int = 3) -> list[Path]:
    """Several dealers' files; some people are known to two dealers (same UUID)."""
    rnd = random.Random(seed)
    shared = [uid(rnd) for _ in range(4)]
    regions = ("华东", "华南", None)
    files = []
    for d in range(dealers):
        code = f"D{seed:02d}{d:02d}"
        now = datetime(2026, 11, 20, 10, 0, tzinfo=UTC) - timedelta(days=d)
        rows = community_rows(rnd, code, now, shared_people=shared[d % 2 :: 2] + shared[:1])
        files.append(
            write_hq_file(folder / f"{code}.xlsx", code, rows, exported_at=now,
                          region=regions[d % len(regions)])
        )  # fmt: skip
    return files


# --------------------------------------------------------------------------- reference


def _winners(files: Iterable[Path]) -> tuple[dict[str, dict[str, tuple[Any, ...]]], dict[str, Any]]:
    """Every sheet's winning row per UUID (the file merge's rule), and each dealer's newest
    _meta — all in memory, the plain way."""
    rows: dict[str, dict[str, tuple[Any, ...]]] = {s.name: {} for s in hw.SHEETS}
    metas: dict[str, dict[str, Any]] = {}
    for f in files:
        parsed = hw.read_workbook(f)
        for sheet in hw.SHEETS:
            table = rows[sheet.name]
            for r in parsed.rows[sheet.name]:
                old = table.get(r[0])
                if old is None or hq_merge.newer(sheet.name, r, old):
                    table[r[0]] = r
        prev = metas.get(parsed.dealer_code)
        if prev is None or hq_merge._meta_key(parsed.meta) > hq_merge._meta_key(prev):
            metas[parsed.dealer_code] = parsed.meta
    return rows, metas


def reference_kpis(
    files: Iterable[Path],
    *,
    campaign: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> dict[str, Any]:
    """The `kpis` object computed with every row in memory and kpi.event_kpis per event.
    Filters choose events (local start day, campaign); who is "new" still looks at all."""
    winners, metas = _winners(files)

    def dicts(sheet: str) -> Iterator[dict[str, Any]]:
        keys = hw.SHEET_BY_NAME[sheet].keys
        return (dict(zip(keys, v, strict=True)) for v in winners[sheet].values())

    events = {e["id"]: e for e in dicts("events") if not e["deleted"]}
    member_since: dict[str, datetime] = {}
    for m in dicts("club_memberships"):
        if m["deleted"]:
            continue
        j = m["joined_on"]
        since = datetime(j.year, j.month, j.day, tzinfo=UTC) if j else m["created_at"]
        if since is not None and (
            m["person_id"] not in member_since or since < member_since[m["person_id"]]
        ):
            member_since[m["person_id"]] = since
    people = {
        p["id"]: kpi.PersonFacts(p["id"], p["stage"],
                                 kpi.stage_change(p["stage_changed_at"], p["created_at"]),
                                 member_since.get(p["id"]))
        for p in dicts("people") if not p["deleted"]
    }  # fmt: skip
    regs: dict[str, list[kpi.RegistrationFacts]] = defaultdict(list)
    reg_event: dict[str, str] = {}
    first: dict[str, datetime] = {}
    for r in dicts("registrations"):
        if r["deleted"] or r["event_id"] not in events:
            continue
        e = events[r["event_id"]]
        regs[r["event_id"]].append(
            kpi.RegistrationFacts(r["id"], r["person_id"], r["status"], r["source"] or "",
                                  r["party_size"] or 1, bool(r["is_walk_in"]), r["checked_in_at"],
                                  r["online_minutes"], r["referred_by_id"])
        )  # fmt: skip
        reg_event[r["id"]] = r["event_id"]
        came = r["status"] in kpi.CONFIRMED and kpi.attended(
            r["checked_in_at"], r["online_minutes"], e["min_online_minutes"]
        )
        start = e["starts_at"]
        if (
            came
            and start is not None
            and (r["person_id"] not in first or start < first[r["person_id"]])
        ):
            first[r["person_id"]] = start
    feedback: dict[str, list[kpi.FeedbackFacts]] = defaultdict(list)
    for f in dicts("feedback"):
        if not f["deleted"] and f["event_id"] in events:
            feedback[f["event_id"]].append(kpi.FeedbackFacts(f["rating"], f["nps"]))
    points: dict[str, list[int]] = defaultdict(list)
    for p in dicts("points_ledger"):
        if not p["deleted"] and p["registration_id"] in reg_event:
            points[reg_event[p["registration_id"]]].append(p["delta"])

    per_event = []
    for eid in sorted(events, key=lambda i: (events[i]["dealer_code"], i)):
        e = events[eid]
        local = (
            e["starts_at"].astimezone(hq_merge._zone(e["timezone"])).date()
            if e["starts_at"]
            else None
        )
        if campaign is not None and e["campaign_code"] != campaign:
            continue
        if (date_from or date_to) and local is None:
            continue
        if (date_from and local < date_from) or (date_to and local > date_to):
            continue
        facts = kpi.EventFacts(eid, e["starts_at"], e["ends_at"], e["status"],
                               Decimal(str(e["budget"])) if e["budget"] is not None else None,
                               e["min_online_minutes"])  # fmt: skip
        meta = metas[e["dealer_code"]]
        now = meta["exported_at"]
        k = kpi.event_kpis(facts, regs[eid], people, first, feedback[eid], points[eid], now=now)
        ratings = [f.rating for f in feedback[eid] if f.rating is not None]
        per_event.append(
            hq_merge.event_row(
                e,
                held=e["status"] != "cancelled" and kpi.event_over(facts, now),
                kpis={key: getattr(k, key) for key in hq_merge.EVENT_KPI_KEYS},
                ratings_sum=sum(ratings),
                ratings_n=len(ratings),
                region=hq_merge.dealer_region(meta),
                month=local.strftime("%Y-%m") if local else None,
            )
        )
    groups = {name: hq_merge._aggregate(per_event, key, by) for name, key, by in hq_merge.GROUPS}
    for d in groups["dealers"]:
        d["dealer_name"] = metas[d["dealer_code"]].get("dealer_name")
        d["region"] = hq_merge.dealer_region(metas[d["dealer_code"]])
    return hq_merge.kpis_json(per_event, groups)


# --------------------------------------------------------------------------- warehouse


def warehouse_url(name_suffix: str = "hq") -> str:
    """A database next to the test database (its name + _hq), created when missing; the
    warehouse schema in it is dropped, so each test starts from an empty warehouse."""
    import os

    import psycopg
    from sqlalchemy.engine import make_url

    from tests.conftest import database_beside

    base = os.environ.get("PADDOCK_TEST_PG_URL")
    if not base:
        pytest.skip("PostgreSQL not configured (set PADDOCK_TEST_PG_URL; .ci/run does)")
    url = make_url(database_beside(base, name_suffix))
    target = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(target, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS hq CASCADE")
    return target


def dump_warehouse(url: str) -> dict[str, Any]:
    """Every table's rows (loaded_files without who/when, and without the per-file counts
    that depend on what was there before), ordered: two warehouses compare equal when
    they hold the same data."""
    import psycopg

    out: dict[str, Any] = {}
    with psycopg.connect(url) as conn:
        for sheet in hw.SHEETS:
            out[sheet.name] = conn.execute(
                f'SELECT * FROM hq."{sheet.name}" ORDER BY id'
            ).fetchall()
        out["dealers"] = conn.execute("SELECT * FROM hq.dealers ORDER BY dealer_code").fetchall()
        out["loaded_files"] = conn.execute(
            "SELECT sha256, file, dealer_code, rows FROM hq.loaded_files ORDER BY sha256"
        ).fetchall()
    return out
