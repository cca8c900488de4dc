"""Files that leave the desk from the report screens and follow-up lists.

A report workbook/PDF holds counts and a few names (top referrers, converted prospects):
whoever may read reports may export them. A follow-up list holds names and phone
numbers: an export with personal data (admins, like the HQ workbook and packs). Every
export is a row in the audit log: who wrote which file, when, from which desk.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop_app.domain.roles import Permission
from desktop_app.services.auth import require
from desktop_app.services.common import audit
from desktop_app.services.dealer import get_dealer
from desktop_app.services.followup import FollowUpList
from desktop_app.services.reports import CommunityReport, EventReport
from desktop_app.store.db import Database


def report_file(
    db: Database,
    report: EventReport | CommunityReport,
    out: str | Path,
    lang: str = "en",
    actor: object = None,
    progress: Callable[[int, int], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> Path:
    """The report on screen to .xlsx (numbers and native charts) or .pdf (a document with
    the dealer in its title block), atomically."""
    require(db, actor, Permission.REPORTS)
    from desktop_app.io.report_export import export_report  # openpyxl: 0.25 s to import

    dealer = get_dealer(db)
    path = export_report(report, out, lang, dealer.name if dealer else "", progress, is_cancelled)
    detail: dict[str, Any] = {"file": path.name}
    if isinstance(report, EventReport):
        detail |= {"report": "event", "event_id": str(report.event_id)}
    else:
        detail |= {"report": "community", "from": str(report.date_from), "to": str(report.date_to)}
    with db.write() as s:
        audit(s, "export.report", "report", detail.get("event_id"), detail, actor)
    return path


def follow_up_file(
    db: Database,
    lst: FollowUpList,
    out: str | Path,
    lang: str = "en",
    title: str | None = None,
    actor: object = None,
) -> Path:
    """A follow-up list (names, phones, butlers) to .xlsx or .csv, atomically; `title`
    names the sheet (the list's kind by default)."""
    require(db, actor, Permission.EXPORT_PII)
    headers, rows = lst.table(lang)
    from desktop_app.io.report_export import write_rows

    path = write_rows(out, headers, rows, title=title or lst.kind)
    with db.write() as s:
        detail = {"file": path.name, "list": lst.kind, "rows": len(rows)}
        audit(s, "export.followup", "followup", None, detail, actor)
    return path
