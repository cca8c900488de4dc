"""The HQ workbook, schema version 2: fees, payments, partners, perks and redemptions
sheets with exact money (integer fen); `hq merge` reads version-1 and version-2 files."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import python_calamine as pc

from desktop_app.io import hq_workbook as hw
from desktop_app.services import fees, perks, points
from desktop_app.services.hq_export import export_hq
from desktop_app.services.hq_merge import merge_hq
from desktop_app.store.db import Database
from tests.checkin_support import add_person
from tests.fees_support import event_with


def money_and_perks(db: Database) -> dict[str, object]:
    ev, regs = event_with(db, [("王磊", 2, "沪A12345"), ("李娜", 1, "沪B23456")])
    fees.add_cost_item(db, ev, "油费", "1000", "car", subsidy="200")
    fees.record_payment(db, regs[0], "400", "wechat", "微信转账 13812345678")
    fees.record_refund(db, regs[0], amount="0.01")
    pid = add_person(db, "赵敏", "+8613800000009")
    points.adjust_points(db, pid, 1000, "opening balance")
    perks.add_partner(db, "洁速洗车", contact="周经理 13900001111")
    perks.add_perk(db, "洁速洗车", perks.PerkDraft("精洗一次", 300, 5))
    perks.redeem(db, pid, "精洗一次")
    return {"event": ev, "regs": regs}


def test_version_2_sheets_carry_fees_payments_and_redemptions(
    dealer_db: Database, tmp_path: Path
) -> None:
    money_and_perks(dealer_db)
    out = tmp_path / "SH-0021.xlsx"
    report = export_hq(dealer_db, out, pii="masked")
    assert (report.rows["fees"], report.rows["payments"], report.rows["redemptions"]) == (1, 2, 1)
    wb = pc.CalamineWorkbook.from_path(str(out))
    meta = {r[0]: r[1] for r in wb.get_sheet_by_name("_meta").to_python()[1:]}
    assert meta["schema_version"] == 2
    for name in ("fees", "payments", "partners", "perks", "redemptions"):
        assert name in wb.sheet_names
    pay = wb.get_sheet_by_name("payments").to_python()
    head = pay[0]
    amounts = sorted(r[head.index("amount_cents")] for r in pay[1:])
    assert amounts == [-1, 40000]
    refs = [r[head.index("reference")] for r in pay[1:]]
    assert "13812345678" not in str(refs) and any("138****5678" in str(x) for x in refs)
    fee = wb.get_sheet_by_name("fees").to_python()
    assert fee[1][fee[0].index("amount_cents")] == 100000
    assert fee[1][fee[0].index("subsidy_cents")] == 20000
    red = wb.get_sheet_by_name("redemptions").to_python()
    assert red[1][red[0].index("points")] == 300
    assert "13900001111" not in str(wb.get_sheet_by_name("partners").to_python())


def _as_version_1(src: Path, dst: Path) -> None:
    """What an older Paddock wrote: no version-2 sheets, schema_version 1."""
    wb = openpyxl.load_workbook(src)
    newer = {s.name for s in hw.SHEETS if s.since > 1}
    for name in newer:
        del wb[name]
    meta = wb[hw.META_SHEET]
    for row in list(meta.iter_rows()):
        key = row[0].value
        if key == "schema_version":
            row[1].value = 1
        elif isinstance(key, str) and key.removeprefix("rows.") in newer:
            meta.delete_rows(row[0].row)
    wb.save(dst)


def test_hq_merge_reads_version_1_and_version_2_files_together(
    dealer_db: Database, tmp_path: Path
) -> None:
    money_and_perks(dealer_db)
    v2 = tmp_path / "SH-0021_v2.xlsx"
    export_hq(dealer_db, v2, pii="masked")
    v1 = tmp_path / "SZ-0107_v1.xlsx"
    _as_version_1(v2, v1)
    # the old file pretends to be another dealer's
    wb = openpyxl.load_workbook(v1)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value == "SH-0021":
                    cell.value = "SZ-0107"
    wb.save(v1)
    report = merge_hq([v1, v2], tmp_path / "rollup.xlsx")
    assert [f.status for f in report.files] == ["merged", "merged"]
    assert report.rows["payments"] == 2 and report.rows["redemptions"] == 1
    rolled = pc.CalamineWorkbook.from_path(str(tmp_path / "rollup.xlsx"))
    pay = rolled.get_sheet_by_name("payments").to_python()
    assert {r[pay[0].index("dealer_code")] for r in pay[1:]} == {"SH-0021"}
