"""What issues 14 and 15 hold about a person, in their own copy (services/person_copy,
PIPL Art. 45): their answers to an event's questions (sign-up, form and desk), the gifts
handed to them, the money they paid or were paid back, and their vouchers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from desktop_app.domain.money import json_money
from desktop_app.domain.timeutil import now_utc, to_local
from desktop_app.services.perks import voucher_status
from desktop_app.services.person_copy import Sheet, register_sheet
from desktop_app.services.questions import shown
from desktop_app.store.models import (
    Answer,
    DealerProfile,
    Event,
    Gift,
    GiftHandout,
    Partner,
    Payment,
    Perk,
    Person,
    Question,
    Registration,
    Voucher,
)

W: dict[str, tuple[str, str]] = {
    "answers": ("Answers", "问题回答"),
    "gifts": ("Gifts", "礼品领取"),
    "payments": ("Payments", "缴费记录"),
    "vouchers": ("Vouchers", "权益券"),
    "event": ("Event", "活动"),
    "question": ("Question", "问题"),
    "answer": ("Answer", "回答"),
    "source": ("Given", "填写方式"),
    "at": ("When", "时间"),
    "gift": ("Gift", "礼品"),
    "quantity": ("Quantity", "数量"),
    "desk": ("Desk", "签到台"),
    "returned": ("Returned", "退回时间"),
    "kind": ("Kind", "类型"),
    "amount": ("Amount (¥)", "金额（元）"),
    "method": ("Method", "方式"),
    "reference": ("Reference", "交易单号"),
    "note": ("Note", "备注"),
    "receipt": ("Receipt no.", "收据号"),
    "perk": ("Perk", "权益"),
    "code": ("Code", "券码"),
    "points": ("Points", "积分"),
    "issued": ("Issued", "兑换时间"),
    "valid_until": ("Valid until", "有效期至"),
    "status": ("Status", "状态"),
    "used": ("Used", "使用时间"),
    "cancelled_at": ("Cancelled", "取消时间"),
    "reason": ("Cancel reason", "取消原因"),
    # values
    "signup": ("at sign-up", "报名时"),
    "form": ("online form", "线上表单"),
    "desk_source": ("at the desk", "签到时"),
    "payment": ("payment", "缴费"),
    "refund": ("refund", "退款"),
    "correction": ("correction", "冲正"),
    "cash": ("cash", "现金"),
    "wechat": ("WeChat transfer", "微信转账"),
    "alipay": ("Alipay", "支付宝"),
    "bank": ("bank transfer", "银行转账"),
    "valid": ("valid", "可使用"),
    "consumed": ("used", "已使用"),
    "cancelled": ("cancelled", "已取消"),
    "expired": ("expired", "已过期"),
}


def _w(key: str, lang: str) -> str:
    en, zh = W.get(key, (key, key))
    return zh if lang == "zh" else en


def _h(lang: str, *keys: str) -> list[str]:
    return [_w(k, lang) for k in keys]


def _time(s: Any, value: datetime | None) -> str:
    profile = s.get(DealerProfile, 1)
    local = to_local(value, profile.timezone if profile else None)
    return local.strftime("%Y-%m-%d %H:%M") if local else ""


def _registrations(s: Any, p: Person) -> list[Any]:
    return list(s.scalars(select(Registration.id).where(Registration.person_id == p.id)))


def answers_sheet(s: Any, p: Person, lang: str) -> Sheet:
    rows = [
        [
            title,
            q.label,
            shown(q.type, a.value, lang),
            _w("desk_source" if a.source == "desk" else a.source, lang),
            _time(s, a.updated_at),
        ]
        for a, q, title in s.execute(
            select(Answer, Question, Event.title)
            .join(Question, Question.id == Answer.question_id)
            .join(Event, Event.id == Answer.event_id)
            .where(
                Answer.registration_id.in_(_registrations(s, p)),
                Answer.deleted_at.is_(None),
                Answer.value != "",
            )
            .order_by(Event.starts_at, Question.position, Question.key)
        )
    ]
    return _w("answers", lang), _h(lang, "event", "question", "answer", "source", "at"), rows


def gifts_sheet(s: Any, p: Person, lang: str) -> Sheet:
    rows = [
        [title, g.name, h.quantity, _time(s, h.handed_at), h.desk or "", _time(s, h.returned_at)]
        for h, g, title in s.execute(
            select(GiftHandout, Gift, Event.title)
            .join(Gift, Gift.id == GiftHandout.gift_id)
            .join(Event, Event.id == GiftHandout.event_id)
            .where(
                GiftHandout.registration_id.in_(_registrations(s, p)),
                GiftHandout.deleted_at.is_(None),
            )
            .order_by(GiftHandout.handed_at, GiftHandout.id)
        )
    ]
    headers = _h(lang, "event", "gift", "quantity", "at", "desk", "returned")
    return _w("gifts", lang), headers, rows


def payments_sheet(s: Any, p: Person, lang: str) -> Sheet:
    rows = [
        [
            title,
            _w(pay.kind, lang),
            json_money(pay.amount_cents),
            _w(pay.method, lang),
            pay.reference or "",
            pay.note or "",
            pay.receipt_no or "",
            _time(s, pay.taken_at),
        ]
        for pay, title in s.execute(
            select(Payment, Event.title)
            .join(Event, Event.id == Payment.event_id)
            .where(Payment.person_id == p.id, Payment.deleted_at.is_(None))
            .order_by(Payment.taken_at, Payment.id)
        )
    ]
    headers = _h(lang, "event", "kind", "amount", "method", "reference", "note", "receipt", "at")
    return _w("payments", lang), headers, rows


def vouchers_sheet(s: Any, p: Person, lang: str) -> Sheet:
    now = now_utc()
    rows = [
        [
            v.short_code,
            f"{partner} · {perk}",
            v.points,
            _time(s, v.created_at),
            _time(s, v.valid_until),
            _w(voucher_status(v, now), lang),
            _time(s, v.consumed_at),
            _time(s, v.cancelled_at),
            v.cancel_reason or "",
        ]
        for v, perk, partner in s.execute(
            select(Voucher, Perk.name, Partner.name)
            .join(Perk, Perk.id == Voucher.perk_id)
            .join(Partner, Partner.id == Perk.partner_id)
            .where(Voucher.person_id == p.id, Voucher.deleted_at.is_(None))
            .order_by(Voucher.created_at, Voucher.id)
        )
    ]
    headers = _h(
        lang, "code", "perk", "points", "issued", "valid_until", "status", "used",
        "cancelled_at", "reason",
    )  # fmt: skip
    return _w("vouchers", lang), headers, rows


for _key, _maker in (
    ("answers", answers_sheet),
    ("gifts", gifts_sheet),
    ("payments", payments_sheet),
    ("vouchers", vouchers_sheet),
):
    register_sheet(_maker, title=lambda lang, key=_key: _w(key, lang))
