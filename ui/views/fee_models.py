"""Table models of the Fees tab: cost items, who owes what, outstanding by car, the payments
ledger. Each names its columns as (header, function of the row) pairs; amounts align right."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from desktop_app.domain.money import show_money
from desktop_app.domain.timeutil import to_local
from desktop_app.services.tickets import display_plate
from ui import labels
from ui.models.rows_model import ColumnsModel


def money(cents: int) -> str:
    return show_money(cents, fen=True)


class FeeTable(ColumnsModel):
    context = "Fees"


class ItemsModel(FeeTable):
    columns = (
        (QT_TRANSLATE_NOOP("Fees", "Item"), lambda i: i.label),
        (
            QT_TRANSLATE_NOOP("Fees", "Amount"),
            lambda i: (
                money(i.amount_cents)
                + (" " + QCoreApplication.translate("Fees", "each") if i.priced_per_unit else "")
            ),
        ),
        (QT_TRANSLATE_NOOP("Fees", "Shared"), lambda i: labels.fee_split(i.split)),
        (QT_TRANSLATE_NOOP("Fees", "Units"), lambda i: str(i.units)),
        (QT_TRANSLATE_NOOP("Fees", "Dealer subsidy"), lambda i: money(i.subsidy_total_cents)),
        (QT_TRANSLATE_NOOP("Fees", "Participants pay"), lambda i: money(i.charged_cents)),
    )
    right = frozenset({1, 4, 5})


class OwedModel(FeeTable):
    columns = (
        (QT_TRANSLATE_NOOP("Fees", "Name"), lambda r: r.name),
        (QT_TRANSLATE_NOOP("Fees", "Car"), lambda r: display_plate(r.plate) if r.plate else ""),
        (QT_TRANSLATE_NOOP("Fees", "People"), lambda r: str(r.party_size)),
        (QT_TRANSLATE_NOOP("Fees", "Status"), lambda r: labels.registration_status(r.status)),
        (QT_TRANSLATE_NOOP("Fees", "Owes"), lambda r: money(r.owed)),
        (QT_TRANSLATE_NOOP("Fees", "Paid"), lambda r: money(r.paid)),
        (
            QT_TRANSLATE_NOOP("Fees", "Outstanding"),
            lambda r: money(r.outstanding) if r.outstanding else "",
        ),
        (
            QT_TRANSLATE_NOOP("Fees", "Refund due"),
            lambda r: money(r.refund_due) if r.refund_due else "",
        ),
    )
    right = frozenset({4, 5, 6, 7})


class CarsModel(FeeTable):
    columns = (
        (QT_TRANSLATE_NOOP("Fees", "Car"), lambda c: display_plate(c.plate) if c.plate else "—"),
        (QT_TRANSLATE_NOOP("Fees", "Who"), lambda c: "、".join(c.names)),
        (QT_TRANSLATE_NOOP("Fees", "People"), lambda c: str(c.people)),
        (QT_TRANSLATE_NOOP("Fees", "Owes"), lambda c: money(c.owed)),
        (QT_TRANSLATE_NOOP("Fees", "Paid"), lambda c: money(c.paid)),
        (QT_TRANSLATE_NOOP("Fees", "Outstanding"), lambda c: money(c.outstanding)),
    )
    right = frozenset({3, 4, 5})
    stretch = 1


class LedgerModel(FeeTable):
    tz = "Asia/Shanghai"
    columns = (
        (QT_TRANSLATE_NOOP("Fees", "Receipt"), lambda p: p.receipt_no or "—"),
        (
            QT_TRANSLATE_NOOP("Fees", "When"),
            lambda p: f"{to_local(p.taken_at, LedgerModel.tz):%m-%d %H:%M}",
        ),
        (QT_TRANSLATE_NOOP("Fees", "Name"), lambda p: p.name),
        (
            QT_TRANSLATE_NOOP("Fees", "Kind"),
            lambda p: (
                labels.payment_kind(p.kind)
                + (" (" + QCoreApplication.translate("Fees", "voided") + ")" if p.voided else "")
            ),
        ),
        (QT_TRANSLATE_NOOP("Fees", "Amount"), lambda p: money(p.amount_cents)),
        (QT_TRANSLATE_NOOP("Fees", "Method"), lambda p: labels.payment_method(p.method)),
        (QT_TRANSLATE_NOOP("Fees", "Reference"), lambda p: p.reference or p.note or ""),
        (QT_TRANSLATE_NOOP("Fees", "Taken by"), lambda p: p.taken_by or ""),
    )
    right = frozenset({4})
    stretch = 6
