"""Campaign packs: HQ's national campaigns become draft events, re-importing changes nothing,
HQ's revisions update what the dealer did not touch, and local edits are never lost silently."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop_app.cli import main
from desktop_app.domain.errors import FileUnreadable
from desktop_app.services.campaigns import import_campaigns
from desktop_app.store.db import Database
from desktop_app.store.models import AuditEntry, Event, SyncOperation

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "hq"
V1 = FIXTURES / "campaigns_2026q4.xlsx"
V2 = FIXTURES / "campaigns_2026q4_v2.xlsx"
BAD = FIXTURES / "campaigns_bad.xlsx"


def event_by_code(db: Database, code: str) -> Event:
    with db.read() as s:
        return s.scalars(select(Event).where(Event.campaign_code == code)).one()


def count_events(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Event)) or 0


def test_importing_hqs_pack_creates_draft_events_for_this_dealer(dealer_db: Database) -> None:
    report = import_campaigns(dealer_db, V1)
    assert (report.created, report.updated, report.skipped, report.rejected) == (4, 0, 1, ())
    assert report.rows == 5 and report.counts.adds_up
    assert report.applied
    skipped = [e for e in report.events if e.outcome == "skipped"]
    assert (
        skipped[0].campaign_code == "HQ-2026-BJ-ONLY"
        and "not for this dealer" in skipped[0].note.en
    )
    member_day = event_by_code(dealer_db, "HQ-2026-MBR12")
    assert member_day.status == "draft" and member_day.title == "12月会员日 · 冬季关爱"
    # HQ's times are the dealer's local time (14:00 Shanghai = 06:00 UTC).
    assert member_day.starts_at == datetime(2026, 12, 12, 6, 0, tzinfo=UTC)
    assert member_day.capacity == 80 and member_day.points_award == 200
    assert str(member_day.budget) == "12000.00"
    model_day = event_by_code(dealer_db, "HQ-2026-MD-S7")
    assert model_day.starts_at == datetime(2026, 12, 19, 2, 0, tzinfo=UTC)  # text time
    assert model_day.format == "hybrid" and model_day.online_link.startswith("https://")
    assert member_day.hq_snapshot and member_day.hq_snapshot["capacity"] == 80
    with dealer_db.read() as s:
        assert (
            s.scalar(select(func.count()).where(AuditEntry.action == "event.create_from_campaign"))
            == 4
        )
        op = s.scalars(select(SyncOperation).where(SyncOperation.kind == "campaign_import")).one()
        assert op.report["created"] == 4


def test_importing_the_same_pack_twice_changes_nothing(dealer_db: Database) -> None:
    import_campaigns(dealer_db, V1)
    before = {e.id: e.updated_at for e in _events(dealer_db)}
    again = import_campaigns(dealer_db, V1)
    assert (again.created, again.updated, again.unchanged, again.conflicts) == (0, 0, 4, 0)
    assert {e.id: e.updated_at for e in _events(dealer_db)} == before


def _events(db: Database) -> list[Event]:
    with db.read() as s:
        return list(s.scalars(select(Event)))


def test_hqs_revision_updates_untouched_fields_and_lists_what_changed(dealer_db: Database) -> None:
    import_campaigns(dealer_db, V1)
    report = import_campaigns(dealer_db, V2)
    assert (report.created, report.updated, report.unchanged, report.conflicts) == (1, 2, 2, 0)
    by_code = {e.campaign_code: e for e in report.events}
    changed = {c.field: (c.old, c.new) for c in by_code["HQ-2026-MBR12"].changes}
    assert set(changed) == {"starts_at", "ends_at", "capacity"}
    assert changed["capacity"] == (80, 100)
    assert [c.field for c in by_code["HQ-2026-MD-S7"].changes] == ["description"]
    assert by_code["HQ-2026-CARE-WIN"].outcome == "unchanged"
    assert by_code["HQ-2026-YEAREND"].outcome == "created"
    assert event_by_code(dealer_db, "HQ-2026-MBR12").capacity == 100


def test_a_local_edit_is_kept_and_reported_when_hq_changes_the_same_field(
    dealer_db: Database,
) -> None:
    import_campaigns(dealer_db, V1)
    with dealer_db.write() as s:
        e = s.scalars(select(Event).where(Event.campaign_code == "HQ-2026-MBR12")).one()
        e.capacity = 60  # the showroom is smaller than HQ thinks
        e.venue = "二楼会员中心"  # HQ never changes the venue: stays local, no conflict
        m = s.scalars(select(Event).where(Event.campaign_code == "HQ-2026-MD-S7")).one()
        m.title = "星辰 S7 品鉴日（浦东）"  # local title; HQ changes only the description
    report = import_campaigns(dealer_db, V2)
    member = next(e for e in report.events if e.campaign_code == "HQ-2026-MBR12")
    assert member.outcome == "conflict"
    assert [(c.field, c.local, c.hq_before, c.hq_now) for c in member.conflicts] == [
        ("capacity", 60, 80, 100)
    ]
    assert {c.field for c in member.changes} == {"starts_at", "ends_at"}  # untouched: taken
    e = event_by_code(dealer_db, "HQ-2026-MBR12")
    assert e.capacity == 60 and e.venue == "二楼会员中心"
    assert e.starts_at == datetime(2026, 12, 13, 6, 0, tzinfo=UTC)
    m = event_by_code(dealer_db, "HQ-2026-MD-S7")
    assert m.title == "星辰 S7 品鉴日（浦东）" and "金融方案" in m.description
    # The conflict is reported once; importing the same revision again is quiet.
    again = import_campaigns(dealer_db, V2)
    assert again.conflicts == 0 and again.updated == 0


def test_dry_run_shows_the_changes_and_changes_nothing(dealer_db: Database) -> None:
    preview = import_campaigns(dealer_db, V1, dry_run=True)
    assert preview.created == 4 and not preview.applied and preview.dry_run
    assert count_events(dealer_db) == 0
    with dealer_db.read() as s:
        assert s.scalars(select(SyncOperation)).all() == []


def test_a_pack_with_bad_values_imports_every_campaign_and_warns_per_value(
    dealer_db: Database,
) -> None:
    report = import_campaigns(dealer_db, BAD)
    assert report.applied and report.rejected == ()
    assert (report.created, report.duplicates, report.rows) == (4, 1, 5)
    assert report.duplicate_rows == ((6, 5),)  # HQ-2026-X4 again: the first row stands
    got = {(w.row, w.field): w for w in report.warnings}
    assert sorted(got) == [(2, "type"), (3, "ends_at"), (4, "title"), (6, "campaign_code")]
    assert got[2, "type"].value == "party" and "other was used" in got[2, "type"].reason
    assert "left out" in got[3, "ends_at"].reason and "HQ-2026-X3" in got[4, "title"].reason
    assert "repeats row 5" in got[6, "campaign_code"].reason
    assert event_by_code(dealer_db, "HQ-2026-X1").type == "other"
    assert event_by_code(dealer_db, "HQ-2026-X2").ends_at is None
    assert event_by_code(dealer_db, "HQ-2026-X3").title == "HQ-2026-X3"
    assert event_by_code(dealer_db, "HQ-2026-X4").title == "正常活动"


def test_a_campaign_row_without_a_code_is_the_only_rejection(
    dealer_db: Database, tmp_path: Path
) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(V1)
    ws = wb["campaigns"]
    ws.cell(row=2, column=1).value = None  # the first campaign lost its code
    path = tmp_path / "no_code.xlsx"
    wb.save(path)
    report = import_campaigns(dealer_db, path)
    assert [(r.row, r.field, r.code) for r in report.rejected] == [
        (2, "campaign_code", "campaign_required")
    ]
    assert report.created == 3 and report.counts.adds_up


def test_a_file_that_is_not_a_campaign_pack_is_refused(dealer_db: Database, tmp_path: Path) -> None:
    junk = tmp_path / "campaigns.xlsx"
    junk.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(FileUnreadable):
        import_campaigns(dealer_db, junk)
    assert count_events(dealer_db) == 0


def test_cli_import_campaigns_dry_run_then_real_with_json(
    dealer_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--db", dealer_db.url, "import", "campaigns", str(V1), "--dry-run", "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["dry_run"] and data["created"] == 4 and data["applied"] is False
    assert {"created", "updated", "unchanged", "duplicates", "rejected"} <= set(data)
    assert count_events(dealer_db) == 0
    assert main(["--db", dealer_db.url, "import", "campaigns", str(V1), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["applied"] is True
    assert count_events(dealer_db) == 4
    assert main(["--db", dealer_db.url, "import", "campaigns", str(BAD), "--json"]) == 0
    bad = json.loads(capsys.readouterr().out)
    assert bad["applied"] is True and bad["rejected"] == [] and len(bad["warnings"]) == 4
    assert sum(bad["buckets"].values()) == bad["rows"] == 5


def test_a_chinese_desk_reads_why_each_bad_value_was_left_out(dealer_db: Database) -> None:
    report = import_campaigns(dealer_db, BAD)
    zh = {w.row: w.localized("zh") for w in report.warnings}
    assert zh[2].startswith("类型（type）：'party' 不是") and zh[2].endswith("已按 other 导入")
    assert zh[3].startswith("结束时间（ends_at）") and "活动编码 HQ-2026-X3" in zh[4]
    assert zh[6] == "活动编码 HQ-2026-X4 与第 5 行重复；未应用该行"
    skipped = import_campaigns(dealer_db, V1, dry_run=True).events
    note = next(e.note for e in skipped if e.outcome == "skipped")
    assert note is not None and note.localized("zh") == "不是发给本经销商的活动"
