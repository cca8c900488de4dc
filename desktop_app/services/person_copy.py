"""A person's own copy (PIPL Art. 45): everything held about them, in one .xlsx, in their
language (Chinese or English): profile, consent history, vehicles, clubs, registrations,
scans, points, feedback, online attendance, call notes, and (services/person_copy_sheets)
answers to event questions, gifts handed, payments and vouchers.

Other people's personal data is left out (who referred them is named only by that fact;
the people they referred are counted, not named). Times are in the dealership's time zone.
The export is an export of personal data (admins, like the HQ workbook) and is audited.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select

from desktop_app import __version__
from desktop_app.domain.errors import NotFound
from desktop_app.domain.phone import display_phone
from desktop_app.domain.roles import Permission
from desktop_app.domain.timeutil import now_utc, to_local
from desktop_app.io.report_labels import label
from desktop_app.services import consent
from desktop_app.services.auth import require
from desktop_app.services.common import audit, parse_id
from desktop_app.store.db import Database
from desktop_app.store.models import (
    Club,
    ClubMembership,
    DealerProfile,
    Event,
    Feedback,
    Invitation,
    OnlineAttendance,
    Person,
    PersonTag,
    PointsEntry,
    Registration,
    ScanLog,
    Staff,
    Vehicle,
)

# Words of this file only (sheet names, headers, values), English and Chinese.
W: dict[str, tuple[str, str]] = {
    "about": ("About this copy", "说明"),
    "profile": ("Profile", "个人资料"),
    "consents": ("Consents", "授权记录"),
    "vehicles": ("Vehicles", "车辆"),
    "clubs": ("Clubs", "车友会"),
    "registrations": ("Registrations", "活动报名"),
    "scans": ("Check-ins", "签到记录"),
    "points": ("Points", "积分"),
    "feedback": ("Feedback", "活动反馈"),
    "online": ("Online attendance", "线上参会"),
    "calls": ("Invitation calls", "邀约记录"),
    "field": ("Field", "项目"),
    "value": ("Value", "内容"),
    "name": ("Name", "姓名"),
    "phone": ("Mobile", "手机号"),
    "wechat": ("WeChat", "微信号"),
    "email": ("E-mail", "邮箱"),
    "stage": ("Stage", "客户阶段"),
    "tier": ("Member tier", "会员等级"),
    "balance": ("Points balance", "积分余额"),
    "butler": ("Your butler", "专属管家"),
    "referred": ("Referred by someone", "由他人推荐"),
    "referrals": ("People you referred", "您推荐的人数"),
    "birthday": ("Birthday", "生日"),
    "tags": ("Tags", "标签"),
    "notes": ("Notes", "备注"),
    "source": ("Source", "来源"),
    "created": ("Record created", "建档时间"),
    "updated": ("Last changed", "最近修改"),
    "person_id": ("Record ID", "客户编号"),
    "dealer": ("Dealership", "经销商"),
    "exported": ("Made at", "导出时间"),
    "what": ("What this file is", "本文件说明"),
    "what_text": (
        "Everything this dealership's Paddock holds about you, as asked under the Personal "
        "Information Protection Law (Art. 45). Each sheet is one kind of record.",
        "根据《个人信息保护法》第四十五条，本文件包含本经销商 Paddock 系统中保存的您的全部个人信息。"
        "每个工作表为一类记录。",
    ),
    "kind": ("Consent", "授权事项"),
    "marketing": ("Marketing contact", "营销联系"),
    "photos": ("Photos", "肖像使用"),
    "given": ("Given or withdrawn", "同意/撤回"),
    "give": ("given", "同意"),
    "withdraw": ("withdrawn", "撤回"),
    "at": ("When", "时间"),
    "method": ("How", "方式"),
    "by": ("Recorded by", "记录人"),
    "where": ("Form or reference", "表单/凭证"),
    "form": ("online form", "线上表单"),
    "desk": ("front desk", "前台"),
    "import": ("imported list", "名单导入"),
    "paper": ("paper form", "纸质表格"),
    "person_page": ("staff (person page)", "员工（客户页面）"),
    "cli": ("staff (command line)", "员工（命令行）"),
    "unknown": ("not recorded", "未记录"),
    "vin": ("VIN", "车架号"),
    "plate": ("Plate", "车牌"),
    "model": ("Model", "车型"),
    "purchased": ("Purchase date", "购车日期"),
    "club": ("Club", "车友会"),
    "role": ("Role", "角色"),
    "joined": ("Joined", "入会日期"),
    "event": ("Event", "活动"),
    "type": ("Type", "类型"),
    "starts": ("Starts", "开始时间"),
    "status": ("Status", "状态"),
    "party": ("Party size", "人数"),
    "registered_at": ("Registered at", "报名时间"),
    "checked_in": ("Checked in", "签到时间"),
    "answers": ("Form answers", "表单回答"),
    "action": ("Action", "操作"),
    "result": ("Result", "结果"),
    "desk_name": ("Desk", "签到台"),
    "delta": ("Points", "积分变动"),
    "reason": ("Reason", "原因"),
    "after": ("Balance after", "变动后余额"),
    "rating": ("Rating (1–5)", "评分（1–5）"),
    "nps": ("Would recommend (0–10)", "推荐意愿（0–10）"),
    "comment": ("Comment", "评价"),
    "platform": ("Platform", "平台"),
    "display_name": ("Name shown", "显示名称"),
    "minutes": ("Minutes", "分钟"),
    "call_status": ("Call outcome", "致电结果"),
    "called_at": ("Called at", "致电时间"),
    "note": ("Note", "备注"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    # statuses and roles
    "registered": ("registered", "已报名"),
    "waitlisted": ("waitlisted", "候补"),
    "cancelled": ("cancelled", "已取消"),
    "attended": ("attended", "已到场"),
    "no_show": ("no-show", "未到场"),
    "pending": ("pending approval", "待审核"),
    "declined": ("declined", "未通过"),
    "leader": ("leader", "会长"),
    "kol": ("KOL", "意见领袖"),
    "none": ("none", "无"),
    "silver": ("silver", "银卡"),
    "gold": ("gold", "金卡"),
    "platinum": ("platinum", "铂金卡"),
    "check_in": ("check-in", "签到"),
    "manual_check_in": ("check-in by staff", "人工签到"),
    "undo": ("check-in undone", "撤销签到"),
    "check_out": ("check-out", "签退"),
    "accepted": ("accepted", "成功"),
    "already_checked_in": ("already checked in", "已签到"),
    "to_call": ("to call", "待致电"),
    "no_answer": ("no answer", "未接通"),
    "invited": ("invited", "已邀约"),
}


def w(key: str, lang: str) -> str:
    """This file's word for `key`, else the report labels' (types, sources, stages)."""
    if key in W:
        en, zh = W[key]
        return zh if lang == "zh" else en
    return label(key, lang)


@dataclass(frozen=True, slots=True)
class PersonCopy:
    path: Path
    person_id: uuid.UUID
    sheets: dict[str, int]  # rows per sheet

    def to_json(self) -> dict[str, Any]:
        return {"file": str(self.path), "person_id": str(self.person_id), "sheets": self.sheets}


Sheet = tuple[str, list[str], list[list[Any]]]
# Other features' records of a person (e.g. desk question answers) add a sheet here:
# (session, person, lang) -> Sheet | None. Registered at import time by that feature.
SheetMaker = Callable[[Any, Person, str], Sheet | None]
_SHEETS: list[SheetMaker] = []
_TITLES: list[Callable[[str], str]] = []


def register_sheet(fn: SheetMaker, title: Callable[[str], str] | None = None) -> SheetMaker:
    """Add a feature's own sheet to every person's copy; `title(lang)` names it for
    sheet_titles (a maker without one may add no sheet)."""
    if fn not in _SHEETS:
        _SHEETS.append(fn)
        if title is not None:
            _TITLES.append(title)
    return fn


def export_person(
    db: Database,
    person_id: str | uuid.UUID,
    out: str | Path,
    *,
    lang: str = "zh",
    actor: object = None,
) -> PersonCopy:
    """Write the person's copy to `out` (.xlsx) atomically; audited (no values logged)."""
    require(db, actor, Permission.EXPORT_PII)
    lang = "zh" if lang == "zh" else "en"
    with db.read() as s:
        p = s.get(Person, parse_id(person_id, "person"))
        if p is None or (p.deleted_at is not None and p.merged_into_id is None):
            raise NotFound("person", person_id)
        profile = s.get(DealerProfile, 1)
        tz = profile.timezone if profile else None
        sheets = _collect(s, p, lang, tz, profile.name if profile else "")
    from desktop_app.io.report_export import write_sheets  # openpyxl: imported when writing

    path = write_sheets(out, sheets)
    with db.write() as s:
        audit(
            s,
            "export.person_copy",
            "person",
            p.id,
            {"file": path.name, "lang": lang, "sheets": len(sheets)},
            actor,
        )
    return PersonCopy(path, p.id, {title: len(rows) for title, _h, rows in sheets})


def _collect(s: Any, p: Person, lang: str, tz: str | None, dealer: str) -> list[Sheet]:
    def t(value: datetime | None) -> str:
        local = to_local(value, tz)
        return local.strftime("%Y-%m-%d %H:%M") if local else ""

    def d(value: date | None) -> str:
        return value.isoformat() if value else ""

    def h(*keys: str) -> list[str]:
        return [w(k, lang) for k in keys]

    def yn(value: bool) -> str:
        return w("yes" if value else "no", lang)

    butler = s.get(Staff, p.butler_id) if p.butler_id else None
    balance = int(
        s.scalar(select(func.sum(PointsEntry.delta)).where(PointsEntry.person_id == p.id)) or 0
    )
    referrals = int(
        s.scalar(
            select(func.count()).where(Person.referred_by_id == p.id, Person.deleted_at.is_(None))
        )
        or 0
    )
    tags = sorted(s.scalars(select(PersonTag.tag).where(PersonTag.person_id == p.id)))
    profile_rows = [
        [w("name", lang), p.name],
        [w("phone", lang), display_phone(p.phone)],
        [w("wechat", lang), p.wechat or ""],
        [w("email", lang), p.email or ""],
        [w("birthday", lang), d(p.birthday)],
        [w("stage", lang), w(p.stage, lang)],
        [w("tier", lang), w(p.tier or "none", lang)],
        [w("balance", lang), balance],
        [w("butler", lang), butler.name if butler else ""],
        [w("referred", lang), yn(p.referred_by_id is not None)],
        [w("referrals", lang), referrals],
        [w("marketing", lang), t(p.consent_marketing_at) or w("no", lang)],
        [w("photos", lang), t(p.consent_photos_at) or w("no", lang)],
        [w("tags", lang), "、".join(tags) if lang == "zh" else ", ".join(tags)],
        [w("notes", lang), p.notes or ""],
        [w("source", lang), p.source or ""],
        [w("created", lang), t(p.created_at)],
        [w("updated", lang), t(p.updated_at)],
        [w("person_id", lang), str(p.id)],
    ]
    consents = [
        [
            w(c.kind, lang),
            w("give" if c.given else "withdraw", lang),
            t(c.at),
            w(c.method, lang),
            c.staff_name or "",
            c.source or "",
        ]
        for c in consent.history_in(s, p.id)
    ]
    vehicles = [
        [v.vin or "", v.plate or "", v.model or "", d(v.purchase_date)]
        for v in s.scalars(
            select(Vehicle)
            .where(Vehicle.person_id == p.id, Vehicle.deleted_at.is_(None))
            .order_by(Vehicle.created_at, Vehicle.id)
        )
    ]
    clubs = [
        [c.name, w(m.role, lang), d(m.joined_on)]
        for m, c in s.execute(
            select(ClubMembership, Club)
            .join(Club, Club.id == ClubMembership.club_id)
            .where(ClubMembership.person_id == p.id, ClubMembership.deleted_at.is_(None))
            .order_by(Club.name)
        )
    ]
    regs = list(
        s.execute(
            select(Registration, Event)
            .join(Event, Event.id == Registration.event_id)
            .where(Registration.person_id == p.id, Registration.deleted_at.is_(None))
            .order_by(Event.starts_at, Event.id)
        )
    )
    titles = {r.id: e.title for r, e in regs}
    registrations = [
        [
            e.title,
            w(e.type, lang),
            t(e.starts_at),
            w(r.status, lang),
            r.party_size,
            r.plate or "",
            t(r.registered_at),
            t(r.checked_in_at),
            _answers(r.answers),
        ]
        for r, e in regs
    ]
    scans = [
        [
            titles.get(sc.registration_id, ""),
            w(sc.action, lang),
            w(sc.result, lang),
            sc.desk or "",
            t(sc.scanned_at),
        ]
        for sc in s.scalars(
            select(ScanLog)
            .where(ScanLog.registration_id.in_(list(titles)))
            .order_by(ScanLog.scanned_at, ScanLog.id)
        )
    ]
    running = 0
    points = []
    for pe in s.scalars(
        select(PointsEntry)
        .where(PointsEntry.person_id == p.id)
        .order_by(PointsEntry.created_at, PointsEntry.id)
    ):
        running += pe.delta
        points.append([t(pe.created_at), pe.delta, pe.reason, running])
    feedback = [
        [_title(s, f.event_id), f.rating, f.nps, f.comment or "", t(f.created_at)]
        for f in s.scalars(
            select(Feedback)
            .where(
                or_(Feedback.person_id == p.id, Feedback.registration_id.in_(list(titles))),
                Feedback.deleted_at.is_(None),
            )
            .order_by(Feedback.created_at, Feedback.id)
        )
    ]
    online = [
        [_title(s, o.event_id), o.platform, o.display_name, o.minutes, t(o.first_join_at)]
        for o in s.scalars(
            select(OnlineAttendance)
            .where(
                or_(
                    OnlineAttendance.person_id == p.id,
                    OnlineAttendance.registration_id.in_(list(titles)),
                ),
                OnlineAttendance.deleted_at.is_(None),
            )
            .order_by(OnlineAttendance.first_join_at, OnlineAttendance.id)
        )
    ]
    calls = [
        [_title(s, i.event_id), w(i.status, lang), t(i.called_at), i.note or ""]
        for i in s.scalars(
            select(Invitation)
            .where(Invitation.person_id == p.id, Invitation.deleted_at.is_(None))
            .order_by(Invitation.created_at, Invitation.id)
        )
    ]
    about = [
        [w("what", lang), w("what_text", lang)],
        [w("dealer", lang), dealer],
        [w("exported", lang), t(now_utc())],
        [w("person_id", lang), str(p.id)],
        ["Paddock", __version__],
    ]
    fv = h("field", "value")
    extra = [sheet for fn in _SHEETS if (sheet := fn(s, p, lang)) is not None]
    return [
        (w("about", lang), fv, about),
        (w("profile", lang), fv, profile_rows),
        (w("consents", lang), h("kind", "given", "at", "method", "by", "where"), consents),
        (w("vehicles", lang), h("vin", "plate", "model", "purchased"), vehicles),
        (w("clubs", lang), h("club", "role", "joined"), clubs),
        (
            w("registrations", lang),
            h(
                "event",
                "type",
                "starts",
                "status",
                "party",
                "plate",
                "registered_at",
                "checked_in",
                "answers",
            ),
            registrations,
        ),
        (w("scans", lang), h("event", "action", "result", "desk_name", "at"), scans),
        (w("points", lang), h("at", "delta", "reason", "after"), points),
        (w("feedback", lang), h("event", "rating", "nps", "comment", "at"), feedback),
        (w("online", lang), h("event", "platform", "display_name", "minutes", "at"), online),
        (w("calls", lang), h("event", "call_status", "called_at", "note"), calls),
        *extra,
    ]


def _title(s: Any, event_id: uuid.UUID | None) -> str:
    if event_id is None:
        return ""
    return str(s.scalar(select(Event.title).where(Event.id == event_id)) or "")


def _answers(answers: dict[str, Any] | None) -> str:
    if not answers:
        return ""
    return "; ".join(f"{k}: {v}" for k, v in answers.items() if v not in (None, ""))


def sheet_titles(lang: str) -> Sequence[str]:
    """The sheet names a copy has, in order (tests, docs)."""
    keys = (
        "about",
        "profile",
        "consents",
        "vehicles",
        "clubs",
        "registrations",
        "scans",
        "points",
        "feedback",
        "online",
        "calls",
    )
    return [w(k, lang) for k in keys] + [title(lang) for title in _TITLES]


# Issues 14 and 15: answers, gifts, payments, vouchers (imported last: it registers here).
from desktop_app.services import person_copy_sheets  # noqa: E402,F401
