"""Phones, VINs and plates as people type them: accepted in every real format, refused with
a reason otherwise (property tests with hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain.phone import (
    PhoneError,
    display_phone,
    mask_phone,
    normalise_phone,
    try_phone,
)
from desktop_app.domain.vehicle_ids import (
    PROVINCES,
    PlateError,
    VinError,
    is_new_energy,
    normalise_plate,
    normalise_vin,
    vin_check_digit,
)

# Mainland mobile prefixes that libphonenumber knows as mobile.
MOBILE_PREFIXES = ["130", "133", "135", "136", "138", "139", "150", "152", "158", "186", "188"]
mobiles = st.builds(
    lambda p, rest: p + rest,
    st.sampled_from(MOBILE_PREFIXES),
    st.text("0123456789", min_size=8, max_size=8),
)
FULL_WIDTH = str.maketrans("0123456789+-", "０１２３４５６７８９＋－")


def spaced(national: str, style: int) -> str:
    return [
        national,
        f"{national[:3]} {national[3:7]} {national[7:]}",
        f"{national[:3]}-{national[3:7]}-{national[7:]}",
        f"+86 {national}",
        f"+86-{national[:3]}-{national[3:7]}-{national[7:]}",
        f"0086{national}",
        f"0086 {national[:3]} {national[3:]}",
        f" (+86) {national} ",
    ][style]


@given(mobiles, st.integers(0, 7))
def test_a_mobile_typed_any_way_becomes_the_same_e164(national: str, style: int) -> None:
    assert normalise_phone(spaced(national, style)) == "+86" + national


@given(mobiles)
def test_full_width_digits_from_a_chinese_keyboard_are_accepted(national: str) -> None:
    assert normalise_phone(("+86" + national).translate(FULL_WIDTH)) == "+86" + national
    assert normalise_phone(national.translate(FULL_WIDTH)) == "+86" + national


@given(mobiles)
def test_e164_round_trips_through_display_and_mask(national: str) -> None:
    e164 = normalise_phone(national)
    assert normalise_phone(e164) == e164
    assert normalise_phone(display_phone(e164)) == e164
    masked = mask_phone(e164)
    assert masked == national[:3] + "****" + national[-4:]
    with pytest.raises(PhoneError) as err:
        normalise_phone(masked)
    assert err.value.problem.code == "masked"


def test_an_excel_number_cell_is_a_phone() -> None:
    assert normalise_phone(13800138000.0) == "+8613800138000"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("138****2046", "masked"),
        ("138xxxx2046", "masked"),
        ("021-62345678", "not_mobile"),
        ("1380013800", "too_short"),
        ("138001380001", "too_long"),
        ("138abc38000", "letters"),
        ("张三的手机", "letters"),
        ("", "empty"),
    ],
)
def test_unusable_phones_are_refused_with_the_reason(raw: str, code: str) -> None:
    with pytest.raises(PhoneError) as err:
        normalise_phone(raw)
    assert err.value.problem.code == code
    assert err.value.problem.reason
    assert try_phone(raw) is None


VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
vin_bodies = st.text(VIN_CHARS, min_size=16, max_size=16)


def make_vin(body: str) -> str:
    """A VIN with its 9th character set to the right check digit."""
    draft = body[:8] + "0" + body[8:]
    return draft[:8] + vin_check_digit(draft) + draft[9:]


@given(vin_bodies)
def test_every_vin_with_a_correct_check_digit_is_accepted(body: str) -> None:
    vin = make_vin(body)
    assert normalise_vin(vin) == vin
    assert normalise_vin(f" {vin.lower()} ") == vin
    assert normalise_vin(vin[:8] + "-" + vin[8:]) == vin


@given(vin_bodies, st.sampled_from("0123456789X"))
def test_any_other_check_digit_is_rejected_as_a_typo(body: str, digit: str) -> None:
    vin = make_vin(body)
    if digit == vin[8]:
        return
    with pytest.raises(VinError) as err:
        normalise_vin(vin[:8] + digit + vin[9:])
    assert err.value.code == "vin_check"
    assert err.value.params["expected"] == vin[8]


@settings(max_examples=200)
@given(vin_bodies, st.integers(0, 16), st.sampled_from(VIN_CHARS))
def test_a_single_character_typo_is_caught(body: str, pos: int, char: str) -> None:
    vin = make_vin(body)
    if pos == 8 or vin[pos] == char:
        return
    typo = vin[:pos] + char + vin[pos + 1 :]
    # The check digit catches most single typos; when it cannot, the VIN is still valid.
    if vin_check_digit(typo) == typo[8]:
        assert normalise_vin(typo) == typo
    else:
        with pytest.raises(VinError):
            normalise_vin(typo)


def test_known_real_vin_is_accepted() -> None:
    assert normalise_vin("LSVAM4187C2184847") == "LSVAM4187C2184847"
    assert normalise_vin("1M8GDM9AXKP042788") == "1M8GDM9AXKP042788"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("LSVAM4187C218484", "vin_length"),
        ("LSVAM4187C21848477", "vin_length"),
        ("LSVAM4187C218484O", "vin_ioq"),
        ("LSVAM4187C2184847".replace("4", "Q", 1), "vin_ioq"),
        ("LSVAM4187C21848_7", "vin_chars"),
        ("LSVAM4188C2184847", "vin_check"),
        ("", "vin_empty"),
    ],
)
def test_bad_vins_say_why(raw: str, code: str) -> None:
    with pytest.raises(VinError) as err:
        normalise_vin(raw)
    assert err.value.code == code
    assert str(err.value)


LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
ordinary_plates = st.builds(
    lambda p, c, rest: p + c + rest,
    st.sampled_from(PROVINCES),
    st.sampled_from(LETTERS),
    st.text(LETTERS.replace("Q", "") + "0123456789", min_size=5, max_size=5),
)
new_energy_plates = st.builds(
    lambda p, c, k, rest: p + c + k + rest,
    st.sampled_from(PROVINCES),
    st.sampled_from(LETTERS),
    st.sampled_from("ADF"),
    st.text("0123456789", min_size=5, max_size=5),
)


@given(ordinary_plates, st.sampled_from(["", "·", " ", "-"]))
def test_ordinary_plates_round_trip_whatever_the_separator(plate: str, sep: str) -> None:
    typed = plate[:2] + sep + plate[2:]
    assert normalise_plate(typed) == plate
    assert normalise_plate(typed.lower()) == plate
    assert not is_new_energy(plate)


@given(new_energy_plates)
def test_new_energy_plates_have_eight_characters(plate: str) -> None:
    assert normalise_plate(plate[:2] + "·" + plate[2:]) == plate
    assert is_new_energy(plate)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("A12345", "plate_province"),
        ("沪A1234", "plate_length"),
        ("沪A1234567", "plate_length"),
        ("沪AI2345", "plate_io"),
        ("沪1A2345", "plate_format"),
        ("", "plate_empty"),
    ],
)
def test_bad_plates_say_why(raw: str, code: str) -> None:
    with pytest.raises(PlateError) as err:
        normalise_plate(raw)
    assert err.value.code == code


def test_full_width_plate_is_accepted() -> None:
    assert normalise_plate("沪Ａ·Ｄ１２３４５") == "沪AD12345"
