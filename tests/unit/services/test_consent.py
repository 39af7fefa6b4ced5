"""services/consent.py: who may be reached how, the rule every list and label run applies."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from desktop_app.services.consent import LIST_KINDS, ListKind, left_out_reason


def person(**changes: Any) -> SimpleNamespace:
    """Someone who agreed to everything and has every detail, changed as asked."""
    fields: dict[str, Any] = {
        "do_not_contact": False,
        "mail_ok": True,
        "email_ok": True,
        "phone_ok": True,
        "address_line1": "12 Elm St",
        "postal_code": "02139",
        "city": "Cambridge",
        "email": "ana@example.org",
        "phone": "617 555 0142",
    }
    return SimpleNamespace(**(fields | changes))


@pytest.mark.parametrize("kind", LIST_KINDS)
def test_someone_who_agreed_and_has_the_detail_is_in_every_list(kind: ListKind) -> None:
    assert left_out_reason(person(), kind) == ""


@pytest.mark.parametrize(
    ("kind", "changes", "reason"),
    [
        ("mail", {"do_not_contact": True}, "do_not_contact"),
        ("email", {"do_not_contact": True}, "do_not_contact"),
        ("phone", {"do_not_contact": True}, "do_not_contact"),
        ("mail", {"mail_ok": False}, "no_consent"),
        ("email", {"email_ok": False}, "no_consent"),
        ("phone", {"phone_ok": False}, "no_consent"),
        ("mail", {"address_line1": "  "}, "no_address"),
        ("mail", {"postal_code": "", "city": " "}, "no_address"),
        ("email", {"email": " "}, "no_email"),
        ("phone", {"phone": ""}, "no_phone"),
        # Do-not-contact is said first, then a missing yes, then a missing detail.
        ("mail", {"do_not_contact": True, "mail_ok": False, "address_line1": ""}, "do_not_contact"),
        ("email", {"email_ok": False, "email": ""}, "no_consent"),
    ],
)
def test_the_reason_someone_is_left_out(
    kind: ListKind, changes: dict[str, Any], reason: str
) -> None:
    assert left_out_reason(person(**changes), kind) == reason


@pytest.mark.parametrize(
    "changes",
    [{"postal_code": ""}, {"city": ""}, {"email": "", "phone": ""}, {"email_ok": False}],
)
def test_a_mailing_needs_a_street_and_a_postal_code_or_city_and_nothing_else(
    changes: dict[str, Any],
) -> None:
    assert left_out_reason(person(**changes), "mail") == ""


def test_the_roster_leaves_out_nobody() -> None:
    nobody = person(do_not_contact=True, mail_ok=False, email_ok=False, phone_ok=False, email="")
    assert left_out_reason(nobody, "roster") == ""
