"""Fees in event packs (issue 15): the laptop on the drive takes payments offline, and they
merge back exactly once. Called from services/packs.py at three marked places.

- Export: the event's cost items (deleted ones too, so a removal travels) and its payments
  ledger go into the pack; the pack gets its own block of this dealer's receipt numbers
  (`RECEIPT_BLOCK` numbers taken off the dealership's series), so a receipt written on the
  mountain road never repeats one written at the dealership.
- Import: payments by nonce (a payment already here is skipped: re-importing the pack
  changes nothing), never edited; cost items like other editable rows (newest wins, both
  changed = a conflict listed). A receipt number that is already taken here (the same pack
  copied onto two laptops) gets the next number of this database and is reported.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from desktop_app.services.fees import RECEIPT_SERIES, next_receipt_no, reserve_receipt_block
from desktop_app.store.models import FeeItem, Payment

RECEIPT_BLOCK = 1000  # receipts one pack can write (a drive has a few dozen cars)
TABLES = ("fee_items", "payments")  # in foreign-key order, after registrations


def slice_rows(s: Session, event_id: uuid.UUID) -> dict[str, list[dict[str, Any]]]:
    """The event's fee rows for the pack."""
    items = s.execute(select(FeeItem.__table__).where(FeeItem.event_id == event_id)).mappings()
    ledger = s.execute(
        select(Payment.__table__)
        .where(Payment.event_id == event_id)
        .order_by(Payment.created_at, Payment.id)  # a correction after the row it reverses
    ).mappings()
    return {"fee_items": [dict(r) for r in items], "payments": [dict(r) for r in ledger]}


def reserve_block(s: Session) -> dict[str, Any]:
    """The pack's receipt series: a block taken off this database's series (the
    `settings` row the pack gets under the same key)."""
    return {"key": RECEIPT_SERIES, "value": reserve_receipt_block(s, RECEIPT_BLOCK)}


def merge_rows(m: Any, rows: dict[str, list[dict[str, Any]]], table: Any) -> None:
    """Bring the laptop's cost items and payments in (`m` is packs._Merge)."""
    items: Table = table("fee_items")
    for row in rows.get("fee_items", ()):
        m.upsert(items, m.remap(items, row))
    ledger: Table = table("payments")
    incoming = [m.remap(ledger, r) for r in rows.get("payments", ())]
    have = set(
        m.s.scalars(select(Payment.nonce).where(Payment.nonce.in_([r["nonce"] for r in incoming])))
        if incoming
        else ()
    )
    for row in incoming:
        if row["nonce"] in have:
            m.unchanged += 1
            continue
        if row["receipt_no"] and m.s.scalar(
            select(Payment.id).where(Payment.receipt_no == row["receipt_no"])
        ):
            new = next_receipt_no(m.s)
            m.receipts_renumbered.append(
                {"payment_id": str(row["id"]), "was": row["receipt_no"], "now": new}
            )
            row = {**row, "receipt_no": new}
        if m.current(ledger, row["id"]) is not None:
            row = {**row, "id": uuid.uuid4()}  # impossible in practice: the nonce is the identity
        m.insert(ledger, row)
        have.add(row["nonce"])
        m.payments_added += 1
