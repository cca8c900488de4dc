"""Printed ticket sheets are real documents: every name is text a reader can find, every QR
is vector and decodes after rasterising at 150 and 300 dpi, sheets have cut marks."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from desktop_app.domain import ticket as payload
from desktop_app.domain.enums import EventType
from desktop_app.domain.errors import Cancelled
from desktop_app.services import registration as reg
from desktop_app.services import tickets
from desktop_app.services.dealer import get_dealer
from desktop_app.store.db import Database
from tests.pdf_support import (
    image_count,
    needs_poppler,
    page_sizes_mm,
    pdf_text,
    qr_texts,
    render,
)
from tests.unit.test_tickets import make_event

pytestmark = needs_poppler

NAMES = ["欧阳娜娜", "司马相如", "Li Na", "王𠮷", "张伟", "O'Brien & Sons", "陈静", "赵强", "吴杰"]
SHEETS = {"a6": (105, 148), "a5": (148, 210), "a4-4": (210, 297), "a4-8": (210, 297)}


@pytest.fixture
def guests(dealer_sqlite: Database) -> tuple[object, dict[str, str]]:
    ev = make_event(dealer_sqlite, title="星辰开放日：新能源试驾体验 Open Day")
    codes = {
        name: reg.register(dealer_sqlite, ev, phone=f"1380013800{n}", name=name).ticket_code or ""
        for n, name in enumerate(NAMES)
    }
    return ev, codes


def _export(db: Database, ev: object, out: Path, lang: str, sheet: str) -> Path:
    per_page, paper = {"a6": (1, "a6"), "a5": (1, "a5"), "a4-4": (4, "a6"), "a4-8": (8, "a6")}[
        sheet
    ]
    res = tickets.export_event_tickets(db, ev, out, "pdf", lang, per_page, paper=paper)
    assert res.cards == len(NAMES)
    return res.files[0]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("sheet", list(SHEETS))
def test_every_name_and_short_code_on_a_sheet_is_text(
    dealer_sqlite: Database, guests: tuple[object, dict[str, str]], tmp_path: Path, sheet: str,
    lang: str,
) -> None:  # fmt: skip
    ev, codes = guests
    pdf = _export(dealer_sqlite, ev, tmp_path, lang, sheet)
    text = pdf_text(pdf)
    for name, code in codes.items():
        assert name in text, name
        short = payload.format_short_code(payload.verify(_key(dealer_sqlite), code).short_code)
        assert short in text
    assert "星辰开放日" in text
    assert ("活动入场券" if lang == "zh" else "EVENT TICKET") in text
    assert ("请在签到台出示此二维码" if lang == "zh" else "Show this QR code") in text
    assert set(page_sizes_mm(pdf)) == {SHEETS[sheet]}
    assert image_count(pdf) == 0  # text and QR are vectors, no bitmap anywhere


@pytest.mark.parametrize("dpi", [150, 300])
@pytest.mark.parametrize("sheet", list(SHEETS))
def test_every_qr_on_a_sheet_decodes_to_the_ticket(
    dealer_sqlite: Database, guests: tuple[object, dict[str, str]], tmp_path: Path, sheet: str,
    dpi: int,
) -> None:  # fmt: skip
    ev, codes = guests
    pdf = _export(dealer_sqlite, ev, tmp_path, "zh", sheet)
    found: list[str] = []
    for page in render(pdf, dpi, gray=True):
        found += qr_texts(page)
    assert sorted(found) == sorted(codes.values())
    for code in found:  # the desk accepts them: genuine, this event
        assert payload.verify(_key(dealer_sqlite), code).event_tag == payload.event_tag(ev)


def test_a4_sheets_carry_cut_marks_in_the_border_and_none_on_the_cards(
    dealer_sqlite: Database, guests: tuple[object, dict[str, str]], tmp_path: Path
) -> None:
    ev, _codes = guests
    pdf = _export(dealer_sqlite, ev, tmp_path, "zh", "a4-8")
    page = render(pdf, 72, 1, 1)[0].convert("L")
    w, h = page.size  # 595 × 842 at 72 dpi; the border is 8 mm ≈ 23 px
    border = round(8 / 25.4 * 72)
    cell_w, cell_h = (w - 2 * border) / 2, (h - 2 * border) / 4
    top_marks = [x for x in range(w) if page.getpixel((x, border // 2)) < 200]
    expected_x = [round(border + i * cell_w) for i in range(3)]
    assert all(any(abs(x - e) <= 1 for x in top_marks) for e in expected_x)
    left_marks = [y for y in range(h) if page.getpixel((border // 2, y)) < 200]
    expected_y = [round(border + j * cell_h) for j in range(5)]
    assert all(any(abs(y - e) <= 1 for y in left_marks) for e in expected_y)
    assert len(top_marks) <= 3 * 2  # thin marks, not a frame
    one = _export(dealer_sqlite, ev, tmp_path / "one", "zh", "a6")
    corner = render(one, 72, 1, 1)[0].convert("L")
    assert corner.getpixel((2, corner.size[1] - 3)) > 240  # 1-up pages have no marks


def test_a_club_drive_sheet_prints_the_car(dealer_sqlite: Database, tmp_path: Path) -> None:
    ev = make_event(
        dealer_sqlite,
        type=EventType.CLUB_DRIVE,
        venue=None,
        details={"meeting_point": "G60 松江服务区", "max_cars": 5},
    )
    reg.register(
        dealer_sqlite, ev, phone="13800138000", name="张伟", plate="沪AD12345", passengers=2
    )
    pdf = _export_n(dealer_sqlite, ev, tmp_path, 8)
    text = pdf_text(pdf)
    assert "沪A·D12345" in text and "同车 3 人" in text and "G60 松江服务区" in text


def test_the_fonts_are_embedded_subsets_with_unicode_maps(
    dealer_sqlite: Database, guests: tuple[object, dict[str, str]], tmp_path: Path
) -> None:
    ev, _codes = guests
    pdf = _export(dealer_sqlite, ev, tmp_path, "zh", "a4-4")
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    rows = [line.split() for line in out.splitlines()[2:]]
    assert rows and all(r[-5:-2] == ["yes", "yes", "yes"] for r in rows)  # emb sub uni


def test_a_cancelled_sheet_leaves_no_file_and_progress_counts_cards(
    dealer_sqlite: Database, guests: tuple[object, dict[str, str]], tmp_path: Path
) -> None:
    ev, _codes = guests
    seen: list[tuple[int, int]] = []
    res = tickets.export_event_tickets(
        dealer_sqlite,
        ev,
        tmp_path / "ok",
        "pdf",
        "zh",
        4,
        progress=lambda a, b: seen.append((a, b)),
    )
    assert seen == [(4, 9), (8, 9), (9, 9)] and res.pages == 3
    calls = iter([False, True])
    with pytest.raises(Cancelled):
        tickets.export_event_tickets(
            dealer_sqlite, ev, tmp_path / "no", "pdf", "zh", 8, is_cancelled=lambda: next(calls)
        )
    assert list((tmp_path / "no").iterdir()) == []


def test_a_bad_paper_is_refused(dealer_sqlite: Database, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="a6 or a5"):
        tickets.sheet_for(1, "letter")
    with pytest.raises(ValueError, match="1, 4 or 8"):
        tickets.sheet_for(6)


def _export_n(db: Database, ev: object, out: Path, per_page: int) -> Path:
    return tickets.export_event_tickets(db, ev, out, "pdf", "zh", per_page).files[0]


def _key(db: Database) -> str:
    d = get_dealer(db)
    assert d is not None
    return d.ticket_key


def test_the_cli_writes_a_sheet_to_the_file_named(
    dealer_sqlite: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from desktop_app.cli import main

    ev = make_event(dealer_sqlite)
    reg.register(dealer_sqlite, ev, phone="13800138000", name="张伟")
    out = tmp_path / "print" / "开放日门票.pdf"
    assert main(["--db", dealer_sqlite.url, "tickets", str(ev), "--out", str(out),
                 "--per-page", "8", "--json"]) == 0  # fmt: skip
    res = json.loads(capsys.readouterr().out)
    assert res["files"] == [str(out)] and res["pages"] == 1
    assert "张伟" in pdf_text(out) and page_sizes_mm(out) == [(210, 297)]
