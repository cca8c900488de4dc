"""Ticket batch: 1,000 cards of one event into a PDF, 1-up (A6) and 8-up (A4), through the
same service the app and `paddock tickets` use, against the writer Paddock had before
(full-page Pillow rasters in a hand-written Flate PDF, kept below only as the baseline) in
the same run. Also the three QR encoders on the ticket payload.

    .venv/bin/python -m benchmarks.bench_tickets [--cards 1000]

Targets (issue 16): ≥ 5× the old writer's cards/s and ≤ 5 KB a card.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
import zlib
from collections.abc import Iterable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw
from sqlalchemy import insert

from benchmarks.common import Figure
from desktop_app.domain import ticket as payload
from desktop_app.domain.timeutil import now_utc
from desktop_app.services import events, tickets
from desktop_app.services.dealer import init_dealer
from desktop_app.store.db import Database, open_database
from desktop_app.store.models import Person, Registration, Ticket, utcnow

NAMES = [
    "王伟",
    "李娜",
    "张敏",
    "刘洋",
    "陈静",
    "杨磊",
    "黄丽",
    "赵强",
    "吴杰",
    "周芳",
    "欧阳娜娜",
    "司马相如",
]
PAYLOAD = "P1.N4OCVHR3.K7QXM2PAB3CDE4FG.2M7LKSMRNLLTXBL6"


def setup(db: Database, n: int) -> uuid.UUID:
    key = init_dealer(db, "SH-0021", "上海浦东星辰汽车销售服务有限公司").ticket_key
    soon = now_utc() + timedelta(days=7)
    e = events.create_event(
        db,
        events.EventDraft(
            title="星辰开放日：新能源试驾体验",
            type="open_day",
            starts_at=soon,
            ends_at=soon + timedelta(hours=7),
            venue="浦东展厅（张杨路 1234 号）",
        ),
    )
    events.set_status(db, e.id, "published")
    now = utcnow()
    people, regs, tks = [], [], []
    for i in range(n):
        pid, rid = uuid.uuid4(), uuid.uuid4()
        p = payload.issue(key, e.id)
        people.append(
            {
                "id": pid,
                "name": NAMES[i % len(NAMES)],
                "phone": f"+86139{i:08d}",
                "stage": "owner",
                "notes": "",
                "created_at": now,
                "updated_at": now,
            }
        )
        regs.append(
            {
                "id": rid,
                "event_id": e.id,
                "person_id": pid,
                "status": "registered",
                "source": "phone_invite",
                "party_size": 1 + i % 3,
                "passengers": 0,
                "registered_at": now,
                "ticket_code": p.code,
                "is_walk_in": False,
                "wants_test_drive": False,
                "created_at": now,
                "updated_at": now,
            }
        )
        tks.append(
            {
                "id": uuid.uuid4(),
                "registration_id": rid,
                "event_id": e.id,
                "serial": i + 1,
                "code": p.code,
                "short_code": p.short_code,
                "created_at": now,
                "updated_at": now,
            }
        )
    with db.write() as s:
        s.execute(insert(Person), people)
        s.execute(insert(Registration), regs)
        s.execute(insert(Ticket), tks)
    return e.id


# --------------------------------------------------------------------------- QR encoders


def qr_encoders() -> dict[str, Any]:
    """Each encoder's matrix of the ticket payload at level M (rows of 0/1)."""
    import qrcode
    import segno
    from qrcode.constants import ERROR_CORRECT_M

    from desktop_app.io.pdf.qr import qr_matrix

    def with_qrcode(text: str) -> list[list[int]]:
        qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
        qr.add_data(text)
        qr.make(fit=True)
        return [[int(v) for v in row] for row in qr.get_matrix()]

    def with_segno(text: str) -> list[list[int]]:
        return [list(row) for row in segno.make_qr(text, error="m", boost_error=False).matrix]

    def with_zxing(text: str) -> list[list[int]]:
        qr_matrix.cache_clear()  # measure the encoder, not the cache
        return [list(row) for row in qr_matrix(text).rows]

    return {"qrcode (pure Python)": with_qrcode, "segno": with_segno, "zxing-cpp": with_zxing}


def measure_qr(n: int = 200) -> dict[str, float]:
    """ms per code; every encoder must give a decodable symbol of the same version."""
    out = {}
    sizes = set()
    for name, encode in qr_encoders().items():
        sizes.add(len(encode(PAYLOAD)))
        t0 = time.perf_counter()
        for i in range(n):
            encode(PAYLOAD[:-1] + "234567ABCD"[i % 10])
        out[name] = (time.perf_counter() - t0) / n * 1000
    assert sizes == {29}, f"encoders disagree on the symbol size: {sizes}"  # version 3
    return out


# --------------------------------------------------------------------------- baseline
# The writer Paddock had before issue 16 (services/tickets.py at aa9a660~1), kept here
# only to measure against: Pillow draws every card (with the qrcode encoder), pages are
# 200-dpi rasters, Flate-compressed into a hand-written PDF.

A4_PX = (1654, 2339)
SHEET_GRID = {4: (2, 2), 8: (2, 4)}


def _old_qr_image(code: str, side: int = 460) -> Image.Image:
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=1, border=4)
    qr.add_data(code.upper())
    qr.make(fit=True)
    qr.box_size = max(1, side // (qr.modules_count + 8))
    return qr.make_image(fill_color="black", back_color="white").get_image().convert("RGB")


def _old_sheet_pages(cards: Sequence[Any], lang: str, per_page: int) -> Iterable[Image.Image]:
    card_w, card_h = tickets.CARD_W, tickets.CARD_H
    if per_page == 1:
        for c in cards:
            yield tickets.render_card(c, lang)
        return
    cols, rows = SHEET_GRID[per_page]
    cell_w, cell_h = A4_PX[0] // cols, A4_PX[1] // rows
    scale = min(1.0, (cell_w - 40) / card_w, (cell_h - 40) / card_h)
    size = (int(card_w * scale), int(card_h * scale))
    for start in range(0, len(cards), per_page):
        page = Image.new("RGB", A4_PX, (255, 255, 255))
        d = ImageDraw.Draw(page)
        for i, c in enumerate(cards[start : start + per_page]):
            col, row = i % cols, i // cols
            x0, y0 = col * cell_w, row * cell_h
            card = tickets.render_card(c, lang)
            if card.size != size:
                card = card.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)
            page.paste(card, (x0 + (cell_w - size[0]) // 2, y0 + (cell_h - size[1]) // 2))
            d.rectangle((x0, y0, x0 + cell_w - 1, y0 + cell_h - 1), outline=(215, 215, 215))
        yield page


class _OldPdfWriter:
    """The minimal streaming PDF of full-page Flate images that Paddock used to write."""

    def __init__(self, fh: Any, dpi: int = 200) -> None:
        self.fh, self.dpi = fh, dpi
        self.offsets: dict[int, int] = {}
        self.page_ids: list[int] = []
        self.next_id, self.pos = 3, 0
        self._out(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")

    def _out(self, data: bytes) -> None:
        self.fh.write(data)
        self.pos += len(data)

    def _obj(self, num: int, body: bytes, stream: bytes | None = None) -> None:
        self.offsets[num] = self.pos
        self._out(f"{num} 0 obj\n".encode() + body)
        if stream is not None:
            self._out(b"\nstream\n" + stream + b"\nendstream")
        self._out(b"\nendobj\n")

    def add_page(self, img: Image.Image) -> None:
        img = img.convert("RGB")
        w, h = img.size
        pw, ph = w * 72 / self.dpi, h * 72 / self.dpi
        page, content, image = self.next_id, self.next_id + 1, self.next_id + 2
        self.next_id += 3
        data = zlib.compress(img.tobytes(), 1)
        self._obj(
            image,
            f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} "
            f"/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode "
            f"/Length {len(data)} >>".encode(),
            data,
        )
        draw = f"q {pw:.2f} 0 0 {ph:.2f} 0 0 cm /Im0 Do Q".encode()
        self._obj(content, f"<< /Length {len(draw)} >>".encode(), draw)
        self._obj(
            page,
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw:.2f} {ph:.2f}] "
            f"/Resources << /XObject << /Im0 {image} 0 R >> >> /Contents {content} 0 R >>".encode(),
        )
        self.page_ids.append(page)

    def close(self) -> None:
        kids = " ".join(f"{p} 0 R" for p in self.page_ids)
        self._obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
        self._obj(2, f"<< /Type /Pages /Kids [{kids}] /Count {len(self.page_ids)} >>".encode())
        xref, size = self.pos, self.next_id
        lines = [f"xref\n0 {size}\n", "0000000000 65535 f \n"]
        lines += [f"{self.offsets.get(n, 0):010d} 00000 n \n" for n in range(1, size)]
        self._out("".join(lines).encode())
        self._out(f"trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())


def old_write_pdf(cards: Sequence[Any], path: Path, per_page: int) -> int:
    real_qr = tickets.qr_image
    tickets.qr_image = _old_qr_image  # the encoder the old cards used
    tickets._event_face.cache_clear()
    try:
        pages = 0
        with path.open("wb") as fh:
            pdf = _OldPdfWriter(fh)
            for page in _old_sheet_pages(cards, "zh", per_page):
                pdf.add_page(page)
                pages += 1
            pdf.close()
        return pages
    finally:
        tickets.qr_image = real_qr


# --------------------------------------------------------------------------- run


def measure(db: Database, ev: uuid.UUID, out: Path, n: int) -> list[Figure]:
    cards = tickets.event_cards(db, ev)
    figures = []
    for per_page, paper in ((1, "a6"), (8, "a6")):
        t0 = time.perf_counter()
        old_pages = old_write_pdf(cards, out / f"old{per_page}.pdf", per_page)
        old_s = time.perf_counter() - t0
        old_mb = (out / f"old{per_page}.pdf").stat().st_size / 1e6
        from desktop_app.io.pdf import qr

        qr.qr_matrix.cache_clear()
        qr._path_ops.cache_clear()
        t0 = time.perf_counter()
        res = tickets.export_event_tickets(
            db, ev, out / f"new{per_page}", "pdf", "zh", per_page, paper=paper
        )
        new_s = time.perf_counter() - t0
        new_mb = res.files[0].stat().st_size / 1e6
        kb_card = new_mb * 1000 / n
        label = f"{n} cards {per_page}-up" + (" A6" if per_page == 1 else " A4")
        figures.append(
            Figure(
                f"{label}: seconds, vector (vs the old raster writer; ≥5× faster)",
                new_s,
                old_s,
                unit="s",
                max_ratio=0.2,
                note=(
                    f"vector {n / new_s:.0f} cards/s, {res.pages / new_s:.0f} pages/s, "
                    f"{new_mb:.2f} MB ({kb_card:.2f} KB/card) · old {n / old_s:.0f} cards/s, "
                    f"{old_pages / old_s:.0f} pages/s, {old_mb:.1f} MB "
                    f"({old_mb * 1000 / n:.1f} KB/card) · ×{old_s / new_s:.1f} the cards/s, "
                    f"÷{old_mb / new_mb:.0f} the size"
                ),
            )
        )
        figures.append(
            Figure(
                f"{label}: KB per card (target ≤ 5)",
                kb_card,
                old_mb * 1000 / n,
                unit="KB",
                max_value=5.0,
            )
        )
    return figures


def run(quick: bool = False, cards: int = 1000) -> list[Figure]:
    n = 200 if quick else cards
    with tempfile.TemporaryDirectory(prefix="paddock-bench-") as tmp_name:
        tmp = Path(tmp_name)
        os.environ.setdefault("PADDOCK_HOME", str(tmp))
        db = open_database(str(tmp / "bench.sqlite"))
        try:
            ev = setup(db, n)
            qr = measure_qr()
            base = qr["qrcode (pure Python)"]
            figures = [
                Figure(f"QR encoder {name}: ms per ticket code (vs qrcode)", ms, base)
                for name, ms in qr.items()
            ]
            return figures + measure(db, ev, tmp, n)
        finally:
            db.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    ap.add_argument("--cards", type=int, default=1000)
    args = ap.parse_args(argv)
    figures = run(cards=args.cards)
    for f in figures:
        print(
            f"{f.name}: {f.value:.2f} {f.unit} vs {f.baseline:.2f} {f.unit} "
            f"= {f.ratio:.3f}× {'ok' if f.ok else 'MISSED'}"
        )
        if f.note:
            print(f"    {f.note}")
    return 0 if all(f.ok for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
