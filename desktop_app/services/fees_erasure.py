"""Issue 15's part of erasing a person (services/erasure.py, PIPL Art. 47): the free text
typed next to their money and vouchers — a payment's reference and note (a transfer
note may carry a name or a phone), a voucher's cancel reason — is removed. Amounts,
dates, receipt numbers and points stay, so the event's accounts and the perk report keep
adding up; the rows stay linked to the anonymous record. The audit rows naming a voucher
or a payment are about the person (their reason loses the name too)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from desktop_app.domain.timeutil import now_utc
from desktop_app.services.erasure import register_eraser, register_owned
from desktop_app.store.models import Payment, Voucher


@register_eraser
def erase_fees_and_vouchers(s: Session, pids: set[uuid.UUID], rids: set[uuid.UUID]) -> int:
    now = now_utc()
    paid = s.execute(
        update(Payment)
        .where(
            or_(Payment.person_id.in_(list(pids)), Payment.registration_id.in_(list(rids))),
            or_(Payment.reference.is_not(None), Payment.note.is_not(None)),
        )
        .values(reference=None, note=None, updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    vouchers = s.execute(
        update(Voucher)
        .where(Voucher.person_id.in_(list(pids)), Voucher.cancel_reason.is_not(None))
        .values(cancel_reason=None, updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    return int(paid or 0) + int(vouchers or 0)


@register_owned
def vouchers_and_payments(
    s: Session, pids: set[uuid.UUID]
) -> Iterable[tuple[uuid.UUID, uuid.UUID]]:
    """The audit log names a voucher's cancel (with the reason typed) by the voucher."""
    for model in (Voucher, Payment):
        yield from s.execute(select(model.person_id, model.id).where(model.person_id.in_(pids)))
