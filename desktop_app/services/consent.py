"""Who may be reached how: the consent rule every list, label run and export applies.

Consent is data (do-not-contact, email OK, phone OK, mail OK). A kind of list takes
only the people who said yes to that kind of contact, are not do-not-contact and
have the detail it needs:

- **mail** (post, labels): mail OK and an address (a street line and a postal code
  or city);
- **email**: email OK and an email address;
- **phone**: phone OK and a phone number;
- **roster**: everyone (the group's own record; each document hides what it must).
"""

from __future__ import annotations

from typing import Any, Literal

ListKind = Literal["roster", "mail", "email", "phone"]
LIST_KINDS: tuple[ListKind, ...] = ("roster", "mail", "email", "phone")


def left_out_reason(person: Any, kind: ListKind) -> str:
    """ "" when the person (or a row with the same fields) belongs in this kind of list,
    else the reason in a word: do_not_contact, no_consent, no_address, no_email, no_phone."""
    if kind == "roster":
        return ""
    if person.do_not_contact:
        return "do_not_contact"
    if kind == "mail":
        if not person.mail_ok:
            return "no_consent"
        if not person.address_line1.strip() or not (person.postal_code or person.city).strip():
            return "no_address"
    elif kind == "email":
        if not person.email_ok:
            return "no_consent"
        if not person.email.strip():
            return "no_email"
    elif kind == "phone":
        if not person.phone_ok:
            return "no_consent"
        if not person.phone.strip():
            return "no_phone"
    return ""


__all__ = ["LIST_KINDS", "ListKind", "left_out_reason"]
