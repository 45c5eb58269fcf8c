"""ID numbers per GB 11643-1999: check digit, birth date, sex, age and the masked form."""

from __future__ import annotations

import datetime as dt

import pytest

from knowledge import identity
from knowledge.identity import IdNumberError

# The two examples printed in GB 11643-1999 itself.
STANDARD_EXAMPLES = ("11010519491231002X", "440524188001010014")  # (the second: born 1880)


@pytest.mark.parametrize("number", STANDARD_EXAMPLES)
def test_the_standards_own_examples_have_valid_check_digits(number: str) -> None:
    assert identity.check_digit(number[:17]) == number[17]


def test_birth_date_sex_and_age_come_from_the_number() -> None:
    person = identity.parse("11010519491231002X")
    assert person.birth_date == dt.date(1949, 12, 31)
    assert person.sex == "女"  # digit 17 is 2
    assert identity.parse("440524198001010013").sex == "男"  # digit 17 is 1
    assert person.age_on(dt.date(2020, 12, 30)) == 70
    assert person.age_on(dt.date(2020, 12, 31)) == 71


def test_a_lower_case_x_spaces_and_full_width_digits_are_read() -> None:
    assert identity.parse(" 110105 19491231 002x ").number == "11010519491231002X"
    assert identity.parse("１１０１０５１９４９１２３１００２Ｘ").number == "11010519491231002X"


@pytest.mark.parametrize(("text", "why"), [
    ("11010519491231002", "18位"),
    ("1101051949123100X2", "数字"),
    ("110105194913310027", "出生日期"),  # month 13
    ("110105219912310021", "出生日期"),  # born in 2199
    ("110105194912310021", "校验位"),  # one digit off: check digit no longer fits
])
def test_invalid_numbers_say_why_without_repeating_the_number(text: str, why: str) -> None:
    with pytest.raises(IdNumberError) as caught:
        identity.parse(text, today=dt.date(2025, 1, 1))
    assert why in str(caught.value)
    assert text[6:14] not in str(caught.value)


def test_every_single_digit_typo_is_caught() -> None:
    number = "440524198001010013"
    for position in range(17):
        for digit in "0123456789":
            typo = number[:position] + digit + number[position + 1:]
            if typo != number:
                with pytest.raises(IdNumberError):
                    identity.parse(typo)


def test_the_masked_form_keeps_the_first_six_and_last_four() -> None:
    assert identity.parse("11010519491231002X").masked() == "110105********002X"
    assert identity.mask("12345") == "*****"  # too short to show anything


def test_made_numbers_are_valid_and_carry_the_sex_in_the_sequence() -> None:
    number = identity.make("211204", dt.date(1980, 1, 1), 123)
    person = identity.parse(number)
    assert number.startswith("21120419800101123")
    assert person.sex == "男" and person.birth_date == dt.date(1980, 1, 1)
    assert identity.parse(identity.make("440403", dt.date(2010, 6, 30), 8)).sex == "女"
