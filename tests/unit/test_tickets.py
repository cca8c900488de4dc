"""Every confirmed seat gets a signed QR ticket that decodes (zxing-cpp) to what the desk accepts."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from sqlalchemy import select

from desktop_app.cli import main
from desktop_app.domain import ticket as payload
from desktop_app.domain.enums import EventType
from desktop_app.domain.errors import RuleViolation
from desktop_app.domain.timeutil import now_utc
from desktop_app.services import events, tickets
from desktop_app.services import registration as reg
from desktop_app.services.dealer import get_dealer
from desktop_app.store.db import Database
from desktop_app.store.models import Registration, Ticket
from tests.pdf_support import needs_poppler, qr_texts, render

SOON = now_utc().replace(microsecond=0) + timedelta(days=5)


def make_event(db: Database, **kw: Any) -> uuid.UUID:
    draft = replace(
        events.EventDraft(
            title="星辰开放日：新能源试驾体验",
            type=EventType.OPEN_DAY,
            starts_at=SOON,
            ends_at=SOON + timedelta(hours=7),
            venue="浦东展厅",
        ),
        **kw,
    )
    e = events.create_event(db, draft)
    events.set_status(db, e.id, "published")
    return e.id


def decode(img: Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode)]


def key(db: Database) -> str:
    d = get_dealer(db)
    assert d is not None
    return d.ticket_key


def test_a_ticket_card_png_decodes_to_the_payload_the_desk_accepts(
    dealer_db: Database, tmp_path: Path
) -> None:
    ev = make_event(dealer_db)
    v = reg.register(dealer_db, ev, phone="13800138000", name="张伟", party_size=2)
    card = tickets.card_for(dealer_db, v.id)
    for lang in ("zh", "en"):
        path = tickets.save_card_png(card, tmp_path / f"{lang}.png", lang)
        texts = decode(Image.open(path))
        assert texts == [v.ticket_code]
        verified = payload.verify(key(dealer_db), texts[0])
        assert verified.event_tag == payload.event_tag(ev)
        assert verified.short_code == v.short_code


def test_one_changed_character_is_rejected_as_invalid(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    v = reg.register(dealer_db, ev, phone="13800138000", name="张伟")
    code = decode(tickets.render_card(tickets.card_for(dealer_db, v.id), "zh"))[0]
    for pos in (3, 12, 30, len(code) - 1):
        swapped = "A" if code[pos] != "A" else "B"
        with pytest.raises(payload.TicketInvalid):
            payload.verify(key(dealer_db), code[:pos] + swapped + code[pos + 1 :])
    with pytest.raises(payload.TicketInvalid):  # another dealer's key: forged
        payload.verify("00" * 32, code)


def test_the_signature_is_the_documented_hmac_so_other_dealers_tools_can_check_it() -> None:
    # docs/qr-ticket.md: SIG = base32(HMAC-SHA256(key, "P1.EVENT.TICKET")[:10]); the
    # expected value computed with Python's hmac module alone
    key = "00112233445566778899aabbccddeeff" * 2
    code = "P1.MFRGGZDF.K7QXM2PAB3CDE4FG.UHZYG5HLV5RQSMFI"
    assert payload.verify(key, code).ticket_id == "K7QXM2PAB3CDE4FG"
    with pytest.raises(payload.TicketInvalid):
        payload.verify("11" * 32, code)  # another dealer's key
    assert payload.verify(key, code).code == code  # the keyed state is reused, not changed


@given(st.binary(max_size=20))
def test_the_payloads_base32_is_rfc_4648s(data: bytes) -> None:
    import base64

    assert payload._b32(data) == base64.b32encode(data).decode("ascii").rstrip("=")


def test_a_code_typed_with_caps_lock_or_through_a_chinese_input_method_still_verifies() -> None:
    t = payload.issue("11" * 32, uuid.uuid4())
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in t.code).replace("．", "。")
    for typed in (t.code.lower(), full_width, f"  {t.code[:20]} {t.code[20:]}\n"):
        assert payload.normalise(typed) == t.code
        assert payload.is_payload(typed)
        assert payload.verify("11" * 32, typed).code == t.code
    assert not payload.is_payload(t.short_code)
    assert not payload.is_payload(t.code[:-1])


def test_reissuing_revokes_the_old_ticket(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    v = reg.register(dealer_db, ev, phone="13800138000", name="张伟")
    new = tickets.reissue(dealer_db, v.id)
    assert new.code != v.ticket_code and new.replaces == v.ticket_code and new.serial == 2
    history = tickets.ticket_history(dealer_db, v.id)
    assert [(t.code, t.revoked_at is not None) for t in history] == [
        (v.ticket_code, True),
        (new.code, False),
    ]
    assert reg.get_registration(dealer_db, v.id).ticket_code == new.code
    assert payload.verify(key(dealer_db), new.code).short_code == new.short_code


def test_waitlisted_people_get_a_ticket_when_promoted_and_cancelled_keep_theirs(
    dealer_db: Database,
) -> None:
    ev = make_event(dealer_db, capacity=1, waitlist_enabled=True)
    a = reg.register(dealer_db, ev, phone="13800138000", name="张伟")
    w = reg.register(dealer_db, ev, phone="13900139000", name="李娜")
    assert w.ticket_code is None
    with pytest.raises(RuleViolation, match="waitlisted registration has no ticket"):
        tickets.reissue(dealer_db, w.id)
    res = reg.cancel(dealer_db, a.id)
    assert res.promoted[0].ticket_code
    with dealer_db.read() as s:
        old = s.scalars(select(Ticket).where(Ticket.code == a.ticket_code)).one()
        assert old.revoked_at is None  # a scan of it says "cancelled", not "unknown"
        assert s.get(Registration, a.id).ticket_code == a.ticket_code  # type: ignore[union-attr]


def test_revoking_leaves_no_live_ticket(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    v = reg.register(dealer_db, ev, phone="13800138000", name="张伟")
    assert tickets.revoke(dealer_db, v.id) == 1
    assert reg.get_registration(dealer_db, v.id).ticket_code is None
    with pytest.raises(RuleViolation):
        tickets.card_for(dealer_db, v.id)


def test_issue_ticket_works_inside_another_transaction(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    v = reg.register(dealer_db, ev, phone="13800138000", name="张伟")
    with dealer_db.write() as s:
        r = s.get(Registration, v.id)
        assert r is not None
        t = tickets.issue_ticket(s, r)
        assert r.ticket_code == t.code
    assert len(tickets.ticket_history(dealer_db, v.id)) == 2


def test_serials_count_the_events_tickets(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    serials = [
        tickets.card_for(
            dealer_db, reg.register(dealer_db, ev, phone=f"1380013800{n}", name=f"客{n}").id
        ).serial
        for n in range(3)
    ]
    assert serials == [1, 2, 3]


def test_a_club_drive_card_shows_the_car(dealer_db: Database) -> None:
    ev = make_event(
        dealer_db,
        type=EventType.CLUB_DRIVE,
        venue=None,
        details={"meeting_point": "G60 松江服务区", "max_cars": 5},
    )
    v = reg.register(dealer_db, ev, phone="13800138000", name="张伟", plate="沪AD12345",
                     passengers=2)  # fmt: skip
    card = tickets.card_for(dealer_db, v.id)
    assert tickets.format_party(card, "en") == "Car 沪A·D12345 · 3 in the car"
    assert tickets.format_party(card, "zh") == "车辆 沪A·D12345 · 同车 3 人"
    assert card.place == "G60 松江服务区"
    assert decode(tickets.render_card(card, "en")) == [v.ticket_code]


def test_card_texts_use_local_time_in_both_languages(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    v = reg.register(dealer_db, ev, phone="13800138000", name="张伟")
    card = tickets.card_for(dealer_db, v.id)
    local = SOON.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai"))
    assert f"{local.year}年{local.month}月{local.day}日" in tickets.format_when(card, "zh")
    assert f"{local:%H:%M}" in tickets.format_when(card, "en")
    assert tickets.format_party(card, "en") == "1 person"


def test_a_card_renders_even_without_a_cjk_font(
    dealer_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ev = make_event(dealer_db)
    v = reg.register(dealer_db, ev, phone="13800138000", name="Li Na")
    monkeypatch.setattr(tickets, "_font_file", lambda bold: None)
    tickets.font.cache_clear()
    tickets._event_face.cache_clear()
    try:
        img = tickets.render_card(tickets.card_for(dealer_db, v.id), "en")
        assert decode(img) == [v.ticket_code]
    finally:
        tickets.font.cache_clear()
        tickets._event_face.cache_clear()


@needs_poppler
def test_a_batch_pdf_has_one_card_per_page_or_sheets_of_cards(
    dealer_db: Database, tmp_path: Path
) -> None:
    ev = make_event(dealer_db)
    codes = {
        reg.register(dealer_db, ev, phone=f"1380013800{n}", name=f"客{n}").ticket_code
        for n in range(5)
    }
    one = tickets.export_event_tickets(dealer_db, ev, tmp_path / "one", "pdf", "zh", 1)
    assert (one.cards, one.pages) == (5, 5)
    assert {qr_texts(p)[0] for p in render(one.files[0], 150)} == codes
    seen: list[tuple[int, int]] = []
    four = tickets.export_event_tickets(
        dealer_db, ev, tmp_path / "four", "pdf", "en", 4, progress=lambda a, b: seen.append((a, b))
    )
    assert (four.cards, four.pages) == (5, 2) and seen[-1] == (5, 5)
    sheets = render(four.files[0], 150)
    assert set(qr_texts(sheets[0])) | set(qr_texts(sheets[1])) == codes
    eight = tickets.export_event_tickets(dealer_db, ev, tmp_path / "eight", "pdf", "en", 8)
    assert eight.pages == 1 and set(qr_texts(render(eight.files[0], 150)[0])) == codes
    pngs = tickets.export_event_tickets(dealer_db, ev, tmp_path / "png", "png")
    assert len(pngs.files) == 5 and all(f.suffix == ".png" for f in pngs.files)
    assert not [f for f in tmp_path.rglob("*") if f.name.startswith(".")]


def test_a_cancelled_batch_leaves_no_file(dealer_db: Database, tmp_path: Path) -> None:
    from desktop_app.domain.errors import Cancelled

    ev = make_event(dealer_db)
    for n in range(3):
        reg.register(dealer_db, ev, phone=f"1380013800{n}", name=f"客{n}")
    with pytest.raises(Cancelled):
        tickets.export_event_tickets(dealer_db, ev, tmp_path / "out", is_cancelled=lambda: True)
    assert list((tmp_path / "out").iterdir()) == []


def test_an_event_without_tickets_says_so(dealer_db: Database, tmp_path: Path) -> None:
    ev = make_event(dealer_db)
    with pytest.raises(RuleViolation, match="no tickets"):
        tickets.export_event_tickets(dealer_db, ev, tmp_path)


def test_the_cli_writes_tickets_and_reissues(
    dealer_sqlite: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    ev = make_event(dealer_sqlite)
    v = reg.register(dealer_sqlite, ev, phone="13800138000", name="张伟")
    url = dealer_sqlite.url
    out = tmp_path / "out"
    assert main(["--db", url, "tickets", str(ev), "--out", str(out), "--format", "png",
                 "--lang", "en", "--json"]) == 0  # fmt: skip
    res = json.loads(capsys.readouterr().out)
    assert res["cards"] == 1 and Path(res["files"][0]).exists()
    assert decode(Image.open(res["files"][0])) == [v.ticket_code]
    assert main(["--db", url, "ticket", "reissue", str(v.id), "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["id"] == str(v.id) and res["replaces"] == v.ticket_code
    assert main(["--db", url, "ticket", "png", str(v.id), "--out", str(tmp_path / "x.png")]) == 0
    assert decode(Image.open(tmp_path / "x.png")) == [res["ticket_code"]]
