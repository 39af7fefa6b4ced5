"""desktop_app/services/validation.py: what a volunteer types, checked and explained.

The cases are the shapes real lists arrive in: phone numbers as NationBuilder and
spreadsheets export them, emails with stray spaces and capitals, ZIP codes that a
spreadsheet turned into numbers.
"""

from __future__ import annotations

import pytest

from desktop_app.services.validation import (
    FieldCheck,
    check_email,
    check_graduation_year,
    check_phone,
    check_postal_code,
    format_phone,
    normalise_postal_code,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("617.555.0142", "+16175550142"),
        ("(617) 555 0143", "+16175550143"),
        ("+1 617 555 0144", "+16175550144"),
        ("6175550145", "+16175550145"),
        ("  617-555-0146 ", "+16175550146"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_phone_numbers_are_stored_in_e164(typed: str, stored: str) -> None:
    result = check_phone(typed, "US")

    assert result == FieldCheck(stored)
    assert result.ok


def test_phone_without_plus_is_read_in_the_groups_country() -> None:
    assert check_phone("020 7946 0958", "GB") == FieldCheck("+442079460958")
    assert check_phone("020 7946 0958", "gb").value == "+442079460958"
    # The same digits in a US group are not a US number: kept as typed, with a reason.
    in_us = check_phone("020 7946 0958", "US")
    assert in_us.value == "020 7946 0958"
    assert "digits" in in_us.problem


@pytest.mark.parametrize(
    ("typed", "problem_part"),
    [
        ("call me", "does not look like a phone number"),
        ("12", "too few or too many digits"),
        ("617-555-01", "too few or too many digits"),
        ("+1 617 555 01456789", "too few or too many digits"),
        ("555-0142", "not in use"),
    ],
)
def test_bad_phone_numbers_are_kept_as_typed_with_a_reason(typed: str, problem_part: str) -> None:
    result = check_phone(typed, "US")

    assert not result.ok
    assert result.value == typed.strip()
    assert problem_part in result.problem


def test_empty_phone_is_fine() -> None:
    assert check_phone("   ") == FieldCheck("")


def test_format_phone_national_at_home_international_abroad() -> None:
    assert format_phone("+16175550142", "US") == "(617) 555-0142"
    assert format_phone("+16175550142", "GB") == "+1 617-555-0142"
    assert format_phone("+442079460958", "GB") == "020 7946 0958"
    # What could not be parsed when it was typed is shown as it was typed.
    assert format_phone("617 555 01", "US") == "617 555 01"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  ana.gomez@example.org  ", "ana.gomez@example.org"),
        ("Ana.Gomez@Example.ORG ", "Ana.Gomez@example.org"),
        ("\tKENJI.SATO@EXAMPLE.ORG\n", "KENJI.SATO@example.org"),
        ("josé@example.org", "josé@example.org"),
    ],
)
def test_emails_are_trimmed_and_domains_lower_cased(typed: str, stored: str) -> None:
    # The part before @ keeps its case: some mail servers tell cases apart.
    assert check_email(typed) == FieldCheck(stored)


@pytest.mark.parametrize(
    ("typed", "problem_part"),
    [
        ("ana gomez@example.org", "cannot contain spaces"),
        ("ana.gomez.example.org", "needs an @"),
        ("ana@example", "does not look like an email address"),
        ("ana@@example.org", "does not look like an email address"),
    ],
)
def test_bad_emails_are_kept_with_a_reason(typed: str, problem_part: str) -> None:
    result = check_email(f" {typed} ")

    assert result.value == typed
    assert problem_part in result.problem
    assert not result.ok


def test_empty_email_is_fine() -> None:
    assert check_email("  ") == FieldCheck("")


@pytest.mark.parametrize(
    ("typed", "country", "stored"),
    [
        ("2139", "US", "02139"),  # a spreadsheet dropped the leading zero
        ("601", "US", "00601"),  # Puerto Rico, two zeros lost
        (" 02139-4307 ", "US", "02139-4307"),
        ("sw1a  1aa", "GB", "SW1A 1AA"),
        ("d02 x285", "IE", "D02 X285"),
        ("k1a 0b1", "CA", "K1A 0B1"),
        ("10115", "DE", "10115"),
        ("1012 ab", "NL", "1012 AB"),
        ("2000", "AU", "2000"),
        ("75001", "BR", "75001"),
    ],
)
def test_postal_codes_are_normalised(typed: str, country: str, stored: str) -> None:
    assert check_postal_code(typed, country) == FieldCheck(stored)
    assert normalise_postal_code(typed, country) == stored


@pytest.mark.parametrize(
    ("typed", "country", "problem_part"),
    [
        ("2139", "DE", "five digits, like 10115"),  # only US ZIPs get their zero back
        ("21", "US", "five digits, like 02139"),
        ("ABCDE", "US", "five digits, like 02139"),
        ("12345", "GB", "like SW1A 1AA"),
        ("!!", "BR", "a few letters and digits"),
    ],
)
def test_bad_postal_codes_get_an_example(typed: str, country: str, problem_part: str) -> None:
    result = check_postal_code(typed, country)

    assert not result.ok
    assert problem_part in result.problem


def test_graduation_year_range() -> None:
    assert check_graduation_year(None, 2026) == FieldCheck("")
    assert check_graduation_year(2027, 2026) == FieldCheck("2027")
    assert check_graduation_year(1950, 2026).ok
    assert check_graduation_year(2036, 2026).ok
    assert check_graduation_year(1949, 2026).problem == "A graduation year between 1950 and 2036."
    assert not check_graduation_year(2037, 2026).ok
