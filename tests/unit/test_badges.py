"""Name badges print on the label the printer holds: one label-sized page per guest, the
name as large as fits, club and car under it; text a reader can find."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.cli import main
from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.io.pdf.badges import LABEL_SIZES, label_size
from desktop_app.services import badges, clubs
from desktop_app.services import registration as reg
from desktop_app.store.db import Database
from tests.pdf_support import image_count, needs_poppler, page_sizes_mm, pdf_text
from tests.unit.test_tickets import make_event

pytestmark = needs_poppler


def test_every_guest_gets_a_badge_at_the_label_size(dealer_db: Database, tmp_path: Path) -> None:
    ev = make_event(dealer_db, title="星辰开放日")
    club = clubs.create_club(dealer_db, clubs.ClubDraft(name="沪上车友会")).id
    a = reg.register(dealer_db, ev, phone="13800138000", name="欧阳娜娜", plate="沪AD12345")
    clubs.join_club(dealer_db, club, a.person_id, role="member")
    reg.register(dealer_db, ev, phone="13800138001", name="Alexander Montgomery-Smith")
    gone = reg.register(dealer_db, ev, phone="13800138002", name="取消的人")
    reg.cancel(dealer_db, gone.id)
    path, n = badges.export_event_badges(dealer_db, ev, tmp_path / "b.pdf", "62x100")
    assert n == 2
    assert page_sizes_mm(path) == [(62, 100), (62, 100)]
    text = pdf_text(path)
    assert "欧阳娜娜" in text and "沪上车友会" in text and "沪A·D12345" in text
    assert "Alexander" in text and "Montgomery-Smith" in text  # two lines, never cut
    assert "取消的人" not in text and "…" not in text
    assert "星辰开放日" in text and image_count(path) == 0


def test_label_sizes_are_presets_or_millimetres_and_a_bad_one_says_how(
    dealer_db: Database, tmp_path: Path
) -> None:
    assert label_size("90x55") == (90, 55) and label_size("70 x 40") == (70, 40)
    assert label_size("100×150") == (100, 150)
    for bad in ("", "7x7", "abc", "90x550"):
        with pytest.raises(ValidationError) as err:
            label_size(bad)
        assert "62x29" in err.value.localized("en") and "标签尺寸" in err.value.localized("zh")
    assert set(LABEL_SIZES) >= {"90x55", "62x29", "62x100", "89x36", "101x54", "102x59"}
    ev = make_event(dealer_db)
    with pytest.raises(RuleViolation, match="nobody to print"):
        badges.export_event_badges(dealer_db, ev, tmp_path, "90x55")


def test_the_cli_writes_an_events_badges(
    dealer_sqlite: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ev = make_event(dealer_sqlite)
    reg.register(dealer_sqlite, ev, phone="13800138000", name="张伟")
    url = dealer_sqlite.url
    assert main(["--db", url, "badges", str(ev), "--out", str(tmp_path), "--size", "89x36",
                 "--json"]) == 0  # fmt: skip
    res = json.loads(capsys.readouterr().out)
    assert res["badges"] == 1 and page_sizes_mm(Path(res["file"])) == [(89, 36)]
    assert "张伟" in pdf_text(Path(res["file"]))
    assert main(["--db", url, "badges", str(ev), "--out", str(tmp_path), "--size", "9x9"]) == 1
    assert "not a label size" in capsys.readouterr().err
