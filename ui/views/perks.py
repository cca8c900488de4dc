"""The Perks page (异业合作): partners and their perks with stock left, redeeming a perk for
a member, the "Redeem voucher" screen where a partner's voucher is checked and used, and
redemptions per partner and perk."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain import voucher as payload
from desktop_app.domain.timeutil import to_local
from desktop_app.services import perks
from ui import labels
from ui.context import AppContext
from ui.models.rows_model import ColumnsModel
from ui.views.perk_dialogs import PartnerDialog, PerkDialog, RedeemDialog
from ui.views.person_dialogs import error_text, run_for
from ui.widgets.row_table import row_table, selected_row


class _Columns(ColumnsModel):
    context = "Perks"
    stretch = 1  # the perk's name


class PerksModel(_Columns):
    columns = (
        (QT_TRANSLATE_NOOP("Perks", "Partner"), lambda k: k.partner),
        (QT_TRANSLATE_NOOP("Perks", "Perk"), lambda k: k.name),
        (QT_TRANSLATE_NOOP("Perks", "Points"), lambda k: str(k.points)),
        (QT_TRANSLATE_NOOP("Perks", "Left"), lambda k: f"{k.stock_left} / {k.stock}"),
        (
            QT_TRANSLATE_NOOP("Perks", "Members of"),
            lambda k: (
                labels.tier(k.min_tier)
                if k.min_tier
                else QCoreApplication.translate("Perks", "everyone")
            ),
        ),
        (QT_TRANSLATE_NOOP("Perks", "Per person"), lambda k: str(k.per_person_limit or "—")),
        (
            QT_TRANSLATE_NOOP("Perks", "Valid until"),
            lambda k: k.valid_until.isoformat() if k.valid_until else "—",
        ),
        (
            QT_TRANSLATE_NOOP("Perks", "Offered"),
            lambda k: (
                QCoreApplication.translate("Perks", "yes")
                if k.active
                else QCoreApplication.translate("Perks", "no")
            ),
        ),
    )


class ReportModel(_Columns):
    columns = (
        (QT_TRANSLATE_NOOP("Perks", "Partner"), lambda r: r.partner),
        (QT_TRANSLATE_NOOP("Perks", "Perk"), lambda r: r.perk),
        (QT_TRANSLATE_NOOP("Perks", "Redeemed"), lambda r: str(r.redeemed)),
        (QT_TRANSLATE_NOOP("Perks", "Used at the partner"), lambda r: str(r.consumed)),
        (QT_TRANSLATE_NOOP("Perks", "Cancelled"), lambda r: str(r.cancelled)),
        (QT_TRANSLATE_NOOP("Perks", "Points spent"), lambda r: str(r.points_spent)),
        (QT_TRANSLATE_NOOP("Perks", "Stock left"), lambda r: f"{r.stock_left} / {r.stock}"),
    )


# result → panel colour (the desk's: green valid, amber used/expired, red cancelled/invalid)
RESULT_COLOURS = {
    "valid": ("#1e7b34", "#ffffff"),
    "consumed": ("#f2b400", "#1f1600"),
    "expired": ("#f2b400", "#1f1600"),
    "cancelled": ("#b3261e", "#ffffff"),
    "invalid": ("#b3261e", "#ffffff"),
    "unknown": ("#b3261e", "#ffffff"),
}


class VoucherDesk(QWidget):
    """ "Redeem voucher": scan or type a voucher, see at once whether it is good, use it."""

    checked = Signal(object)  # the VerifyResult shown

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.last: perks.VerifyResult | None = None
        self.code = QLineEdit(
            placeholderText=QCoreApplication.translate(
                "Perks", "Scan the voucher's QR, or type its code"
            )
        )
        self.code.setObjectName("voucherInput")
        self.code.setMinimumHeight(44)
        self.by = QLineEdit(
            placeholderText=QCoreApplication.translate("Perks", "Verified by (the partner's staff)")
        )
        self.check_btn = QPushButton(QCoreApplication.translate("Perks", "Check"))
        self.consume_btn = QPushButton(QCoreApplication.translate("Perks", "Use it now"))
        self.consume_btn.setObjectName("primaryButton")
        self.cancel_btn = QPushButton(
            QCoreApplication.translate("Perks", "Cancel voucher (points back)")
        )
        self.result = QLabel(QCoreApplication.translate("Perks", "Ready — scan a voucher"))
        self.result.setObjectName("voucherResult")
        self.result.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.result.setMinimumHeight(90)
        self.details = QLabel(wordWrap=True, alignment=Qt.AlignmentFlag.AlignCenter)
        self.details.setObjectName("voucherDetails")
        self.details.setStyleSheet("font-size: 18px;")
        for b in (self.consume_btn, self.cancel_btn):
            b.setMinimumHeight(44)
        self._paint("idle")
        top = QHBoxLayout()
        top.addWidget(self.code, 3)
        top.addWidget(self.by, 2)
        top.addWidget(self.check_btn)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.consume_btn)
        actions.addWidget(self.cancel_btn)
        actions.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.result)
        lay.addWidget(self.details)
        lay.addLayout(actions)
        lay.addStretch(1)
        self.code.returnPressed.connect(lambda: self.check())
        self.check_btn.clicked.connect(lambda: self.check())
        self.consume_btn.clicked.connect(lambda: self.check(consume=True))
        self.cancel_btn.clicked.connect(self.cancel)
        self._buttons(None)

    def _paint(self, result: str) -> None:
        bg, fg = RESULT_COLOURS.get(result, ("#37474f", "#ffffff"))
        self.result.setStyleSheet(
            f"QLabel#voucherResult {{ background: {bg}; color: {fg}; border-radius: 12px;"
            " font-size: 30px; font-weight: bold; padding: 12px; }"
        )

    def _buttons(self, res: perks.VerifyResult | None) -> None:
        live = res is not None and res.result == payload.VALID and not res.consumed_now
        self.consume_btn.setEnabled(live)
        self.cancel_btn.setEnabled(
            res is not None
            and res.result in (payload.VALID, payload.EXPIRED)
            and not res.consumed_now
        )

    def check(self, consume: bool = False) -> None:
        raw = self.code.text().strip() or (self.last.code if self.last else "")
        if not raw:
            return
        db, by = self.ctx.db, self.by.text()
        pool = self.ctx.write_pool if consume else self.ctx.pool
        run_for(
            self,
            pool,
            lambda: perks.verify(db, raw, consume=consume, by=by),
            self.show_result,
            self._failed,
        )

    def cancel(self) -> None:
        if self.last is None or self.last.voucher is None:
            return
        code, db = self.last.code, self.ctx.db

        def done(_v: Any) -> None:
            self.check()

        run_for(
            self, self.ctx.write_pool, lambda: perks.cancel_voucher(db, code), done, self._failed
        )

    def show_result(self, res: perks.VerifyResult) -> None:
        self.last = res
        self.code.clear()
        self._paint(res.result)
        title = labels.voucher_result(res.result)
        if res.consumed_now:
            title = QCoreApplication.translate("Perks", "Valid — now used. Hand over the perk.")
        self.result.setText(title)
        v = res.voucher
        lines: list[str] = []
        if v is not None:
            tz = self.ctx.timezone()
            lines.append(f"{v.partner} · {v.perk}")
            lines.append(f"{v.name} · {payload.format_short_code(v.short_code)}")
            if v.last_day:
                lines.append(
                    QCoreApplication.translate("Perks", "Valid until %1").replace(
                        "%1", v.last_day.isoformat()
                    )
                )
            if v.consumed_at and not res.consumed_now:
                when = to_local(v.consumed_at, tz)
                lines.append(
                    QCoreApplication.translate("Perks", "Used %1 by %2")
                    .replace("%1", f"{when:%Y-%m-%d %H:%M}" if when else "")
                    .replace("%2", v.consumed_by or "—")
                )
        elif res.result == payload.UNKNOWN:
            lines.append(
                QCoreApplication.translate("Perks", "A genuine code, but not in this database.")
            )
        elif res.reason:
            lines.append(
                QCoreApplication.translate("Perks", "Do not honour it: typo or forged code.")
            )
        self.details.setText("\n".join(lines))
        self._buttons(res)
        self.checked.emit(res)

    def _failed(self, exc: BaseException) -> None:
        self._paint("invalid")
        self.result.setText(error_text(exc, self.ctx.language))


class PerksPage(QWidget):
    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.partners: list[perks.PartnerView] = []
        self.dialog: QWidget | None = None
        title = QLabel(QCoreApplication.translate("Perks", "Partner perks"))
        title.setObjectName("pageTitle")
        self.perks = PerksModel(self)
        self.report = ReportModel(self)
        self.perks_view = row_table(self.perks)
        self.report_view = row_table(self.report)
        self.totals = QLabel()
        self.message = QLabel(wordWrap=True)
        self.message.setObjectName("pageMessage")
        self.empty = QLabel(
            QCoreApplication.translate(
                "Perks", "No perks yet. Add a partner (car wash, hotel, coffee…), then its perks."
            ),
            wordWrap=True,
        )
        self.empty.setObjectName("emptyState")
        self.add_partner_btn = QPushButton(QCoreApplication.translate("Perks", "Add partner…"))
        self.add_perk_btn = QPushButton(QCoreApplication.translate("Perks", "Add perk…"))
        self.edit_perk_btn = QPushButton(QCoreApplication.translate("Perks", "Change perk…"))
        self.redeem_btn = QPushButton(QCoreApplication.translate("Perks", "Redeem for a member…"))
        self.redeem_btn.setObjectName("primaryButton")
        self.desk = VoucherDesk(ctx)
        self.tabs = QTabWidget()
        catalogue = QWidget()
        cl = QVBoxLayout(catalogue)
        buttons = QHBoxLayout()
        for b in (self.redeem_btn, self.add_partner_btn, self.add_perk_btn, self.edit_perk_btn):
            buttons.addWidget(b)
        buttons.addStretch(1)
        cl.addLayout(buttons)
        cl.addWidget(self.empty)
        cl.addWidget(self.perks_view, 1)
        rep = QWidget()
        rl = QVBoxLayout(rep)
        rl.addWidget(self.totals)
        rl.addWidget(self.report_view, 1)
        self.tabs.addTab(catalogue, QCoreApplication.translate("Perks", "Perks"))
        self.tabs.addTab(self.desk, QCoreApplication.translate("Perks", "Redeem voucher"))
        self.tabs.addTab(rep, QCoreApplication.translate("Perks", "Redemptions"))
        lay = QVBoxLayout(self)
        lay.addWidget(title)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.message)
        self.add_partner_btn.clicked.connect(self.add_partner)
        self.add_perk_btn.clicked.connect(lambda: self.edit_perk(None))
        self.edit_perk_btn.clicked.connect(lambda: self.edit_perk(self.selected()))
        self.redeem_btn.clicked.connect(lambda: self.redeem())
        self.perks_view.doubleClicked.connect(lambda _i: self.redeem())
        self.desk.checked.connect(lambda _r: self.refresh())
        self.refresh()

    def selected(self) -> perks.PerkView | None:
        return selected_row(self.perks_view)  # type: ignore[no-any-return]

    def refresh(self) -> None:
        db = self.ctx.db
        run_for(
            self,
            self.ctx.pool,
            lambda: (perks.list_partners(db), perks.list_perks(db), perks.perk_report(db)),
            self._show,
            lambda exc: self.message.setText(error_text(exc, self.ctx.language)),
        )

    def _show(
        self, got: tuple[list[perks.PartnerView], list[perks.PerkView], perks.PerkReport]
    ) -> None:
        self.partners, rows, report = got
        self.perks.set_rows(rows)
        self.report.set_rows(report.rows)
        j = report.to_json()
        self.totals.setText(
            QCoreApplication.translate("Perks", "%1 redeemed · %2 points spent · %3 items left")
            .replace("%1", str(j["redeemed"]))
            .replace("%2", str(j["points_spent"]))
            .replace("%3", str(j["stock_left"]))
        )
        self.empty.setVisible(not rows)
        self.add_perk_btn.setEnabled(bool(self.partners))
        self.redeem_btn.setEnabled(any(k.active and k.stock_left for k in rows))
        self.loaded.emit()

    def _open(self, dlg: Any, done_text: str) -> Any:
        def saved(_r: Any) -> None:
            self.message.setText(done_text)
            self.refresh()

        dlg.saved.connect(saved)
        self.dialog = dlg
        dlg.open()
        return dlg

    def add_partner(self) -> PartnerDialog:
        return self._open(
            PartnerDialog(self.ctx, self), QCoreApplication.translate("Perks", "Partner added.")
        )

    def edit_perk(self, perk: perks.PerkView | None) -> PerkDialog | None:
        if not self.partners:
            return None
        return self._open(
            PerkDialog(self.ctx, self.partners, perk, self),
            QCoreApplication.translate("Perks", "Perk saved."),
        )

    def redeem(self) -> RedeemDialog:
        offered = [k for k in self.perks.rows if k.active and k.stock_left]
        return self._open(
            RedeemDialog(self.ctx, offered, self.selected(), self),
            QCoreApplication.translate("Perks", "Voucher issued."),
        )
