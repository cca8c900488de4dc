"""Feedback: the desk's quick check-out form and a 问卷星 survey export, both in the report."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.services import feedback
from desktop_app.services.reports import event_report
from desktop_app.store.db import Database
from desktop_app.store.models import Feedback
from tests.reports_support import Clock, Quarter, build_quarter, local

SURVEY = Path(__file__).parents[1] / "fixtures" / "reports" / "survey_wjx.xlsx"
AFTER_A = local(2026, 3, 8, 9)


@pytest.fixture
def quarter(dealer_db: Database, monkeypatch: pytest.MonkeyPatch) -> Quarter:
    return build_quarter(dealer_db, Clock(monkeypatch))


def _count(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Feedback)) or 0)


def test_feedback_given_again_at_the_desk_corrects_it(
    dealer_db: Database, quarter: Quarter
) -> None:
    v = feedback.add_feedback(dealer_db, quarter.r["R4"], 4, 8, "停车位太少，但讲解好")
    assert not v.created
    k = event_report(dealer_db, quarter.a, now=AFTER_A).kpis
    assert k.feedback_count == 3
    assert k.avg_rating == round((5 + 4 + 4) / 3, 2)
    assert k.nps == pytest.approx(round(100 * 2 / 3, 1))  # 10, 9 promoters; 8 passive


@pytest.mark.parametrize(
    ("rating", "nps", "comment", "field"),
    [
        (6, None, None, "rating"),
        (0, None, None, "rating"),
        (None, 11, None, "nps"),
        (None, None, "  ", "rating"),
    ],
)
def test_out_of_range_answers_are_refused_and_nothing_saved(
    dealer_db: Database,
    quarter: Quarter,
    rating: int | None,
    nps: int | None,
    comment: str | None,
    field: str,
) -> None:
    before = _count(dealer_db)
    with pytest.raises(ValidationError) as err:
        feedback.add_feedback(dealer_db, quarter.r["R5"], rating, nps, comment)
    assert err.value.field == field
    assert _count(dealer_db) == before


def test_a_cancelled_registration_cannot_give_feedback(
    dealer_db: Database, quarter: Quarter
) -> None:
    with pytest.raises(RuleViolation) as err:
        feedback.add_feedback(dealer_db, quarter.r["R11"], 5)
    assert "cancelled" in str(err.value)


def test_anonymous_feedback_counts_in_the_report(dealer_db: Database, quarter: Quarter) -> None:
    feedback.add_feedback_for_person(dealer_db, quarter.a, None, 1, 0, "太吵")
    k = event_report(dealer_db, quarter.a, now=AFTER_A).kpis
    assert k.feedback_count == 4 and k.avg_rating == 3.25


def test_survey_import_matches_people_by_phone_and_reports_bad_rows(
    dealer_db: Database, quarter: Quarter
) -> None:
    rep = feedback.import_feedback(dealer_db, quarter.a, SURVEY)
    assert (rep.created, rep.updated, rep.unchanged, rep.duplicates) == (3, 2, 0, 1)
    assert rep.rejected == () and rep.counts["empty"] == 1 and rep.counts.adds_up
    # 刘洋's 满意度 7 is left out (his stored rating stays); his NPS and comment come in
    assert [(w.row, w.field, w.value) for w in rep.warnings] == [(8, "rating", "7")]
    assert rep.unmatched == 1  # the stranger's phone is not on the event: kept anonymous
    assert rep.mapping["rating"].startswith("3、")
    k = event_report(dealer_db, quarter.a, now=AFTER_A).kpis
    assert k.feedback_count == 6
    assert k.avg_rating == round((4 + 4 + 3 + 5 + 4 + 3) / 6, 2)  # R1 corrected to ★★★★☆
    # 9, 9, 10 vs 5; 刘洋's 6 became the survey's 8 (a passive)
    assert k.nps == pytest.approx(round(100 * (3 - 1) / 6, 1))


def test_importing_the_same_survey_twice_changes_nothing(
    dealer_db: Database, quarter: Quarter
) -> None:
    feedback.import_feedback(dealer_db, quarter.a, SURVEY)
    before = _count(dealer_db)
    again = feedback.import_feedback(dealer_db, quarter.a, SURVEY)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert _count(dealer_db) == before


def test_survey_json_is_the_standard_import_report(dealer_db: Database, quarter: Quarter) -> None:
    data = feedback.import_feedback(dealer_db, quarter.a, SURVEY).to_json()
    for key in ("created", "updated", "unchanged", "duplicates", "rejected"):
        assert key in data
