"""The detail pane of the People page: everything about one person, read-only, loaded off-thread."""

from __future__ import annotations

import html
import uuid
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from desktop_app.domain.phone import display_phone
from desktop_app.domain.timeutil import to_local
from desktop_app.domain.voucher import format_short_code
from desktop_app.services import consent as consent_service
from desktop_app.services import people as people_service
from desktop_app.services import points as points_service
from ui import labels
from ui.context import AppContext
from ui.views.person_dialogs import error_text, run_for
from ui.views.privacy import PrivacyBar

STYLE = """
<style>
h2 { margin: 0 0 4px 0; }
h3 { margin: 14px 0 4px 0; color: #1a4f8b; font-size: 13px; }
td { padding: 1px 10px 1px 0; vertical-align: top; }
.muted { color: #5f6368; }
.warn { color: #b3261e; font-weight: bold; }
.plus { color: #1b5e20; }
.minus { color: #b3261e; }
</style>
"""


class PersonDetailPane(QWidget):
    """Shows contact, consents, vehicles, clubs, points, events and referrals of one person."""

    person_linked = Signal(object)  # a referral's id was clicked
    loaded = Signal(object)  # the PersonDetail now shown

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.detail: Any = None
        self.consents: tuple[Any, ...] = ()
        self._wanted: uuid.UUID | None = None
        self.browser = QTextBrowser()
        self.browser.setObjectName("personDetail")
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._link)
        self.hint = QLabel(self.tr("Select a person to see their vehicles, clubs and points."))
        self.hint.setWordWrap(True)
        self.hint.setObjectName("emptyState")
        # consent, the person's copy, erasure (issue 18): under the details
        self.privacy = PrivacyBar(ctx, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.hint)
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.privacy)
        self.browser.hide()
        self.setMinimumWidth(300)

    def show_person(self, person_id: uuid.UUID) -> None:
        self._wanted = person_id
        db = self.ctx.db

        def load() -> Any:
            return (
                people_service.person_detail(db, person_id),
                consent_service.consent_state(db, person_id).history,
            )

        run_for(
            self,
            self.ctx.pool,
            load,
            lambda d: self._arrived(person_id, d),
            lambda exc: self._failed(person_id, exc),
        )

    def clear(self) -> None:
        self._wanted = None
        self.detail = None
        self.privacy.set_person(None)
        self.browser.hide()
        self.hint.show()

    def text(self) -> str:
        return self.browser.toPlainText()

    def _arrived(self, person_id: uuid.UUID, loaded: Any) -> None:
        if person_id != self._wanted:
            return  # the user has moved on to someone else
        detail, self.consents = loaded
        self.detail = detail
        self.privacy.set_person(detail.person)
        self.browser.setHtml(STYLE + self.render(detail))
        self.hint.hide()
        self.browser.show()
        self.loaded.emit(detail)

    def _failed(self, person_id: uuid.UUID, exc: BaseException) -> None:
        if person_id == self._wanted:
            self.detail = None
            self.browser.hide()
            self.hint.setText(error_text(exc, self.ctx.language))
            self.hint.show()

    def _link(self, url: QUrl) -> None:
        if url.scheme() == "person":
            self.person_linked.emit(uuid.UUID(url.path()))

    # ------------------------------------------------------------------ rendering

    def render(self, d: Any) -> str:
        tz = self.ctx.timezone()
        p = d.person
        parts = [self._header(p)]
        if p.erased_at is not None:
            erased = self.tr(
                "Personal data erased on %1. This anonymous record keeps past figures."
            ).replace("%1", _when(p.erased_at, tz, day_only=True))
            parts.append(f"<p class='warn'>{_e(erased)}</p>")
        parts.append(self._contact(p, tz))
        parts.append(self._section(self.tr("Vehicles"), self._vehicles(d.vehicles)))
        parts.append(self._section(self.tr("Clubs"), self._clubs(d.clubs)))
        parts.append(self._section(self.tr("Points history"), self._points(d.points, tz)))
        parts.append(self._section(self.tr("Perk vouchers"), self._vouchers(d.vouchers, tz)))
        parts.append(self._section(self.tr("Events attended"), self._events(d.events, tz)))
        parts.append(self._section(self.tr("Referrals made"), self._referrals(d.referrals)))
        if p.notes:
            parts.append(self._section(self.tr("Notes"), f"<p>{_e(p.notes)}</p>"))
        return "".join(parts)

    def _header(self, p: Any) -> str:
        bits = [labels.stage(p.stage)]
        if p.tier and p.tier != "none":
            bits.append(labels.tier(p.tier))
        bits.append(self.tr("%1 points").replace("%1", str(p.balance)))
        tags = " ".join(f"[{_e(t)}]" for t in p.tags)
        return (
            f"<h2>{_e(p.name)}</h2><p>{_e(' · '.join(bits))}{' &nbsp; ' + tags if tags else ''}</p>"
        )

    def _contact(self, p: Any, tz: str) -> str:
        unreachable = self.tr("No mobile number — unreachable")
        phone = (
            _e(display_phone(p.phone))
            if p.phone
            else f"<span class='warn'>{_e(unreachable)}</span>"
        )
        rows = [
            (self.tr("Phone"), phone),
            (self.tr("WeChat"), _e(p.wechat or "—")),
            (self.tr("Email"), _e(p.email or "—")),
            (self.tr("Butler"), _e(p.butler_name or "—")),
            (self.tr("Referred by"), _person_link(p.referred_by_id, p.referred_by_name)),
            (self.tr("Source"), _e(labels.person_source(p.source) or "—")),
            (self.tr("Marketing contact"), self._consent(p.consent_marketing_at, tz)),
            (self.tr("Photos"), self._consent(p.consent_photos_at, tz)),
        ]
        history = "".join(
            f"<tr><td class='muted'>{_e(_when(h.at, tz))}</td><td>{_e(self._change(h))}</td></tr>"
            for h in reversed(self.consents)
        )
        more = f"<table>{history}</table>" if history else ""
        return self._section(self.tr("Contact and consents"), _table(rows) + more)

    def _change(self, h: Any) -> str:
        what = self.tr("marketing") if h.kind == "marketing" else self.tr("photos")
        verb = self.tr("given") if h.given else self.tr("withdrawn")
        how = {
            "form": self.tr("online form"),
            "desk": self.tr("front desk"),
            "import": self.tr("imported list"),
            "paper": self.tr("paper form"),
            "person_page": self.tr("staff"),
            "cli": self.tr("command line"),
        }.get(h.method, self.tr("not recorded"))
        by = f" · {h.staff_name}" if h.staff_name else ""
        src = f" · {h.source}" if h.source else ""
        if self.ctx.language == "zh":
            return f"{what}{verb}（{how}{by}{src}）"
        return f"{what} {verb} ({how}{by}{src})"

    def _consent(self, at: datetime | None, tz: str) -> str:
        if at is None:
            not_given = self.tr("not given")
            return f"<span class='muted'>{_e(not_given)}</span>"
        return _e(self.tr("given %1").replace("%1", _when(at, tz)))

    def _vehicles(self, vehicles: Any) -> str:
        rows = [
            (
                _e(v.plate or self.tr("no plate")),
                _e(" · ".join(x for x in (v.model, v.vin, _day(v.purchase_date)) if x)),
            )
            for v in vehicles
        ]
        return _table(rows) if rows else self._none(self.tr("No vehicles on file."))

    def _clubs(self, clubs: Any) -> str:
        rows = []
        for c in clubs:
            role = _e(labels.club_role(c.role))
            if c.joined_on:
                since = self.tr("since %1").replace("%1", _day(c.joined_on))
                role += f" <span class='muted'>{_e(since)}</span>"
            rows.append((_e(c.club_name), role))
        return _table(rows) if rows else self._none(self.tr("Not in any club."))

    def _points(self, entries: Any, tz: str) -> str:
        rows = []
        for e in reversed(entries):  # newest first: what staff ask about
            cls = "plus" if e.delta > 0 else "minus"
            rows.append(
                (
                    f"<span class='muted'>{_e(_when(e.created_at, tz))}</span>",
                    f"<span class='{cls}'>{e.delta:+d}</span>",
                    _e(points_service.reason_text(e.kind, e.reason, self.ctx.language)),
                    f"<span class='muted'>= {e.balance_after}</span>",
                )
            )
        return _table(rows) if rows else self._none(self.tr("No points yet."))

    def _vouchers(self, vouchers: Any, tz: str) -> str:
        """Issue 15: what they redeemed, and whether each voucher is still good."""
        rows = []
        for v in vouchers:
            status = labels.voucher_result(v.status)
            cls = "plus" if v.status == "valid" else "muted"
            until = (
                self.tr("until %1").replace("%1", v.last_day.isoformat())
                if v.last_day and v.status == "valid"
                else ""
            )
            rows.append(
                (
                    f"<span class='muted'>{_e(_when(v.issued_at, tz, day_only=True))}</span>",
                    _e(f"{v.partner} · {v.perk}"),
                    f"<span class='minus'>-{v.points}</span>",
                    f"<span class='{cls}'>{_e(status)}</span> <span class='muted'>{_e(until)}</span>",
                    f"<span class='muted'>{_e(format_short_code(v.short_code))}</span>",
                )
            )
        return _table(rows) if rows else self._none(self.tr("No vouchers."))

    def _events(self, events: Any, tz: str) -> str:
        rows = [
            (
                f"<span class='muted'>{_e(_when(ev.starts_at, tz, day_only=True))}</span>",
                _e(ev.title),
                _e(labels.event_type(ev.type)),
            )
            for ev in events
        ]
        return _table(rows) if rows else self._none(self.tr("No events attended yet."))

    def _referrals(self, refs: Any) -> str:
        rows = [(_person_link(r.id, r.name), _e(labels.stage(r.stage))) for r in refs]
        return _table(rows) if rows else self._none(self.tr("Has not referred anyone yet."))

    def _section(self, title: str, body: str) -> str:
        return f"<h3>{_e(title)}</h3>{body}"

    def _none(self, text: str) -> str:
        return f"<p class='muted'>{_e(text)}</p>"


def _e(text: object) -> str:
    return html.escape(str(text))


def _table(rows: list[tuple[str, ...]]) -> str:
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table>{body}</table>"


def _person_link(person_id: uuid.UUID | None, name: str | None) -> str:
    if person_id is None:
        return "—"
    return f"<a href='person:{person_id}'>{_e(name or person_id)}</a>"


def _when(value: datetime | None, tz: str, *, day_only: bool = False) -> str:
    local = to_local(value, tz)
    if local is None:
        return ""
    return local.strftime("%Y-%m-%d" if day_only else "%Y-%m-%d %H:%M")


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""
