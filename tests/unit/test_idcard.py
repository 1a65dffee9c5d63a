"""GB 11643 resident ID numbers: known samples, normalisation, and properties."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qzdesk.services import clock
from qzdesk.services.members import idcard


def test_known_valid_samples():
    assert idcard.parse("11010519491231002X") == idcard.ResidentId(
        "11010519491231002X", date(1949, 12, 31), male=False
    )
    assert idcard.parse("440524188001010014").male


def test_full_width_digits_spaces_and_lowercase_x_are_normalised():
    assert idcard.parse("１１０１０５ １９４９１２３１ ００２ｘ").number == "11010519491231002X"
    assert idcard.parse("110105-19491231-002x").number == "11010519491231002X"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("11010519491231002", "应为 18 位（现为 17 位）"),
        ("110105194912310021", "校验位不符"),
        ("11010519490230002X", "出生日期 19490230 不存在"),
        ("1101051949123100AX", "前 17 位应为数字"),
        ("110105491231002", "15 位旧身份证号"),
    ],
)
def test_invalid_numbers_say_why(raw, message):
    with pytest.raises(idcard.IdNumberError, match=message):
        idcard.parse(raw)


def test_a_birth_date_in_the_future_is_refused():
    first17 = "620502" + (clock.today() + timedelta(days=2)).strftime("%Y%m%d") + "001"
    with pytest.raises(idcard.IdNumberError, match="不合理"):
        idcard.parse(first17 + idcard.check_char(first17))


def test_legacy_numbers_upgrade_only_on_request():
    assert idcard.upgrade_legacy("110105491231002") == "11010519491231002X"
    with pytest.raises(idcard.IdNumberError, match="只有 15 位"):
        idcard.upgrade_legacy("11010519491231002X")


valid_ids = st.builds(
    lambda area, born, order: (area, born, order),
    st.integers(110000, 659999).map(str),
    st.dates(date(1930, 1, 1), date(2020, 12, 31)),
    st.integers(0, 999),
).map(lambda t: (t[0] + t[1].strftime("%Y%m%d") + f"{t[2]:03d}", t[1], t[2]))


@given(valid_ids)
def test_every_well_formed_number_is_accepted_with_its_birth_date_and_sex(case):
    first17, born, order = case
    parsed = idcard.parse(first17 + idcard.check_char(first17))
    assert parsed.birth_date == born
    assert parsed.male == (order % 2 == 1)


@given(valid_ids, st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_single_character_change_is_rejected(case, position, replacement):
    number = case[0] + idcard.check_char(case[0])
    if number[position] == replacement:
        replacement = "0" if replacement != "0" else "1"
    changed = number[:position] + replacement + number[position + 1 :]
    with pytest.raises(idcard.IdNumberError):
        idcard.parse(changed)
