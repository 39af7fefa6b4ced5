"""Checks on what a volunteer types, explained in words.

Each check returns a FieldCheck: the value to store (normalised when it could be)
and, when something is wrong, a message that says what and how to fix it. A
problem never stops a save on its own: the caller decides whether to keep the text
as written and flag the person for review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# phonenumbers and email_validator are imported where used: together they cost a tenth
# of a second (email_validator pulls in asyncio), which start-up need not pay.

# Postal code shapes for the countries groups most often work in; others accept any
# short text of letters, digits, spaces and hyphens.
_POSTAL_PATTERNS: dict[str, tuple[re.Pattern[str], str]] = {
    "US": (re.compile(r"^\d{5}(-\d{4})?$"), "five digits, like 02139, or ZIP+4 like 02139-4307"),
    "CA": (re.compile(r"^[A-Z]\d[A-Z] ?\d[A-Z]\d$"), "like K1A 0B1"),
    "GB": (
        re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$"),
        "like SW1A 1AA",
    ),
    "IE": (re.compile(r"^[A-Z]\d[\dW] ?[A-Z\d]{4}$"), "an Eircode like D02 X285"),
    "DE": (re.compile(r"^\d{5}$"), "five digits, like 10115"),
    "FR": (re.compile(r"^\d{5}$"), "five digits, like 75001"),
    "AU": (re.compile(r"^\d{4}$"), "four digits, like 2000"),
    "NL": (re.compile(r"^\d{4} ?[A-Z]{2}$"), "like 1012 AB"),
}
_GENERIC_POSTAL = re.compile(r"^[A-Z0-9][A-Z0-9 \-]{1,10}$")


@dataclass(frozen=True)
class FieldCheck:
    """The outcome of checking one field."""

    value: str  # what to store: normalised if valid, else as typed (trimmed)
    problem: str = ""  # empty when the value is fine

    @property
    def ok(self) -> bool:
        return not self.problem


def check_email(text: str) -> FieldCheck:
    """Syntax only: Group Desk works offline, so no domain look-up is made."""
    value = text.strip()
    if not value:
        return FieldCheck("")
    if " " in value:
        return FieldCheck(value, "An email address cannot contain spaces.")
    if "@" not in value:
        return FieldCheck(value, "An email address needs an @, like name@example.org.")
    from email_validator import EmailNotValidError, validate_email

    try:
        result = validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        return FieldCheck(value, f"This does not look like an email address: {exc}")
    return FieldCheck(result.normalized)


def check_phone(text: str, country: str = "US") -> FieldCheck:
    """Parses with the group's country for numbers written without +; stores E.164."""
    import phonenumbers

    value = text.strip()
    if not value:
        return FieldCheck("")
    try:
        number = phonenumbers.parse(value, country.upper() or None)
    except phonenumbers.NumberParseException:
        return FieldCheck(
            value,
            "This does not look like a phone number; write it with its area code, "
            "or with + and the country code.",
        )
    if not phonenumbers.is_valid_number(number):
        if not phonenumbers.is_possible_number(number):
            return FieldCheck(
                value, "This phone number has too few or too many digits for its country."
            )
        return FieldCheck(value, "This phone number is not in use in its country's numbering.")
    return FieldCheck(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def format_phone(e164: str, country: str = "US") -> str:
    """A stored number as people write it: national format at home, international abroad."""
    if not e164.startswith("+"):
        return e164
    import phonenumbers

    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    home = phonenumbers.region_code_for_number(number) == country.upper()
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if home
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return str(phonenumbers.format_number(number, style))


def normalise_postal_code(text: str, country: str = "US") -> str:
    """Upper-cased and trimmed; a US ZIP that lost its leading zero gets it back."""
    value = " ".join(text.strip().upper().split())
    if country.upper() == "US" and value.isdigit() and 3 <= len(value) < 5:
        value = value.zfill(5)
    return value


def check_postal_code(text: str, country: str = "US") -> FieldCheck:
    value = normalise_postal_code(text, country)
    if not value:
        return FieldCheck("")
    pattern, example = _POSTAL_PATTERNS.get(country.upper(), (_GENERIC_POSTAL, ""))
    if pattern.match(value):
        return FieldCheck(value)
    if example:
        return FieldCheck(value, f"A postal code here is {example}.")
    return FieldCheck(value, "A postal code is a few letters and digits.")


def check_graduation_year(value: int | None, this_year: int) -> FieldCheck:
    if value is None:
        return FieldCheck("")
    if not 1950 <= value <= this_year + 10:
        return FieldCheck(str(value), f"A graduation year between 1950 and {this_year + 10}.")
    return FieldCheck(str(value))
