"""Money as integer cents: parsing what people type, printing, and exact AA splits."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.money import (
    MoneyError,
    json_money,
    parse_cents,
    share_of,
    show_money,
    split_cents,
)


@pytest.mark.parametrize(
    ("typed", "cents"),
    [
        ("180", 18000),
        ("180.5", 18050),
        ("180.50", 18050),
        ("0.01", 1),
        ("¥1,200.00", 120000),
        ("￥99", 9900),
        ("１８０元", 18000),  # full-width digits from a Chinese IME
        (" 33.34 ", 3334),
        (Decimal("33.34"), 3334),
        (180, 18000),
    ],
)
def test_amounts_people_type_become_exact_cents(typed: object, cents: int) -> None:
    assert parse_cents(typed) == cents  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("-5", "money_negative"),
        ("1.234", "money_cents"),
        ("0", "money_zero"),
        ("abc", "not_money"),
        ("1e3", "not_money"),
        ("", "not_money"),
        ("99999999999", "money_too_big"),
    ],
)
def test_a_bad_amount_says_why_and_never_rounds(typed: str, code: str) -> None:
    with pytest.raises(MoneyError) as err:
        parse_cents(typed)
    assert err.value.code == code


def test_zero_is_allowed_where_asked_for() -> None:
    assert parse_cents("0", allow_zero=True) == 0


def test_money_in_json_is_a_string_with_two_decimals() -> None:
    assert [json_money(c) for c in (3334, 18000, 0, -500, 5)] == [
        "33.34",
        "180.00",
        "0.00",
        "-5.00",
        "0.05",
    ]


def test_money_on_screen_drops_zero_fen() -> None:
    assert [show_money(c) for c in (18000, 3334, -500, 120050)] == [
        "¥180",
        "¥33.34",
        "-¥5",
        "¥1,200.50",
    ]


def test_100_yuan_among_three_people_is_3334_3333_3333() -> None:
    assert split_cents(10000, [1, 1, 1]) == [3334, 3333, 3333]


def test_a_party_of_two_first_in_line_gets_both_extra_cents() -> None:
    # ¥100.03 over 4 people: 25.00 each and 3 cents left for units 1, 2 and 3
    assert split_cents(10003, [2, 1, 1]) == [5002, 2501, 2500]


def test_parties_without_units_pay_nothing() -> None:
    assert split_cents(100000, [1, 0, 1, 1]) == [33334, 0, 33333, 33333]
    assert split_cents(500, [0, 0]) == [0, 0]


@given(
    total=st.integers(min_value=0, max_value=10**9),
    weights=st.lists(st.integers(min_value=0, max_value=8), min_size=1, max_size=40),
)
def test_shares_always_add_up_and_differ_by_at_most_a_cent_per_unit(
    total: int, weights: list[int]
) -> None:
    shares = split_cents(total, weights)
    units = sum(weights)
    assert sum(shares) == (total if units else 0)
    if units:
        base = total // units
        for w, share in zip(weights, shares, strict=True):
            assert base * w <= share <= (base + 1) * w
        # earlier parties never pay less per unit than later ones
        per_unit = [share / w for w, share in zip(weights, shares, strict=True) if w]
        assert per_unit == sorted(per_unit, reverse=True)


@given(
    total=st.integers(min_value=0, max_value=10**7),
    weights=st.lists(st.integers(min_value=0, max_value=6), min_size=1, max_size=30),
)
def test_one_partys_share_alone_equals_its_place_in_the_whole_split(
    total: int, weights: list[int]
) -> None:
    """The desk computes one registration's share from counts (share_of); the fee sheet
    splits the whole list: they must agree for everyone."""
    shares = split_cents(total, weights)
    units = sum(weights)
    for i, w in enumerate(weights):
        assert share_of(total, sum(weights[:i]), w, units) == shares[i]
