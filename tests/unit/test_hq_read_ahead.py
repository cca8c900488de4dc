"""The loader's read-ahead hands over each file whole and in order — its rows sheet by
sheet, a problem found midway as the file's refusal — and a file dropped halfway (already
loaded) never leaks its rows into the next one."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.io import hq_workbook as hw
from desktop_app.services import hq_read_ahead
from desktop_app.services.hq_read_ahead import QueuedFile, ReadAhead, Refused
from tests.hq_support import edited_copy
from tests.hq_warehouse_support import national_files


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    monkeypatch.setattr(hq_read_ahead, "CHUNK", 7)  # several chunks per sheet
    monkeypatch.setattr(hq_read_ahead, "AHEAD", 2)
    a, b, c = national_files(tmp_path, 8, dealers=3)
    late = edited_copy(b, tmp_path / "late.xlsx", "feedback", 3, "rating", "五星")
    missing = tmp_path / "gone.xlsx"
    return [a, late, missing, c, a]


def test_files_come_whole_in_order_and_a_dropped_one_never_leaks(files: list[Path]) -> None:
    a, late, _missing, c, _again = files
    with ReadAhead(files) as ahead:
        first = ahead.next()
        assert isinstance(first, QueuedFile) and first.path == a
        first.close()  # dropped before any row was taken (as an already loaded file is)

        second = ahead.next()
        assert isinstance(second, QueuedFile) and second.path == late
        taken = {}
        with pytest.raises(hw.ContractError) as err:
            for sheet in hw.SHEETS:
                taken[sheet.name] = list(second.rows(sheet))
        assert "feedback row 3" in str(err.value)
        original = late.with_name("D0801.xlsx")  # the file it was edited from
        assert taken["registrations"] == hw.read_workbook(original).rows["registrations"]
        second.close()

        third = ahead.next()
        assert isinstance(third, Refused) and "cannot read the file" in third.error

        fourth = ahead.next()
        assert isinstance(fourth, QueuedFile) and fourth.path == c
        expected = hw.read_workbook(c).rows
        people = hw.SHEET_BY_NAME["people"]
        for sheet in hw.SHEETS[: hw.SHEETS.index(people) + 1]:
            assert list(fourth.rows(sheet)) == expected[sheet.name]
        fourth.close()  # dropped halfway: the rest of c is skipped

        fifth = ahead.next()  # a again, from its first row
        assert isinstance(fifth, QueuedFile) and fifth.sha256 == first.sha256
        assert {s.name: list(fifth.rows(s)) for s in hw.SHEETS} == hw.read_workbook(a).rows
        fifth.close()


def test_leaving_early_stops_the_thread(files: list[Path]) -> None:
    with ReadAhead(files) as ahead:
        ahead.next()
    assert not ahead._thread.is_alive()
