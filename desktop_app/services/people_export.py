"""People leaving the program in spreadsheets: the roster, mailing lists, attendance.

Consent decides who is in which file (DESIGN: consent is data, honoured by every
export; services.consent holds the rule, shared with the label run). Per kind of list:

- **roster**: the group's own record, like the Roster page: everyone the filter
  shows, with Email OK / Phone OK / Mail OK columns so whoever uses the file sees
  what each person agreed to. A do-not-contact person is listed (the group's counts
  stay right) and marked "Do not contact", and their email, phone and street
  address are left out of the file.
- **mail** (a postal mailing list, for labels): only people who said yes to post
  (mail_ok), are not do-not-contact, and have an address (a street line and a
  postal code or city). Columns: name and address.
- **email** (a list to import into a mail program): only email_ok, not
  do-not-contact, with an email address. Columns: names and email.
- **phone** (a phone tree): only phone_ok, not do-not-contact, with a number.

People in the trash are never exported. The result says how many rows were
written and, for the lists, how many people the filter matched but were left out,
and why.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from desktop_app.db import Database
from desktop_app.exports.people_lists import Column, check_suffix, write_table_steps
from desktop_app.models import Person, RoleAssignment, RoleType, Tag, person_tags
from desktop_app.services.consent import LIST_KINDS, ListKind, left_out_reason
from desktop_app.services.labels import STATUS_LABELS
from desktop_app.services.roster import RosterFilter, search_query
from desktop_app.tasks.steps import run_to_end
from desktop_app.text import display_name

YES = "Yes"
DO_NOT_CONTACT = "Do not contact"

COLUMNS: dict[ListKind, tuple[Column, ...]] = {
    "roster": (
        Column("Name", 28),
        Column("Family name", 20),
        Column("Given name", 18),
        Column("Preferred name", 14),
        Column("Status", 11),
        Column("Email", 32),
        Column("Phone", 17, "t"),
        Column("Address line 1", 30),
        Column("Address line 2", 20),
        Column("City", 18),
        Column("State/region", 14),
        Column("Postal code", 12, "t"),
        Column("Country", 8),
        Column("Tags", 30),
        Column("Roles", 26),
        Column("Dues paid through", 13, "d"),
        Column("Dues", 9),
        Column("Joined on", 12, "d"),
        Column("Email OK", 9),
        Column("Phone OK", 9),
        Column("Mail OK", 9),
        Column("Contact", 15),
    ),
    "mail": (
        Column("Name", 30),
        Column("Address line 1", 32),
        Column("Address line 2", 24),
        Column("City", 20),
        Column("State/region", 14),
        Column("Postal code", 12, "t"),
        Column("Country", 8),
    ),
    "email": (
        Column("Name", 30),
        Column("Given name", 18),
        Column("Family name", 20),
        Column("Email", 34),
    ),
    "phone": (
        Column("Name", 30),
        Column("Phone", 18, "t"),
    ),
}
TITLES: dict[ListKind, str] = {
    "roster": "Roster",
    "mail": "Mailing list",
    "email": "Email list",
    "phone": "Phone list",
}


class ExportError(ValueError):
    """An export that cannot be made as asked; str() says why in words."""


@dataclass(frozen=True)
class PeopleExportResult:
    path: Path
    rows: int
    kind: str
    # Matched by the filter but not in the file, by reason.
    left_out: dict[str, int] = field(default_factory=dict)


_FIELDS = (
    Person.id,
    Person.given_name,
    Person.family_name,
    Person.preferred_name,
    Person.status,
    Person.email,
    Person.phone,
    Person.address_line1,
    Person.address_line2,
    Person.city,
    Person.region,
    Person.postal_code,
    Person.country,
    Person.dues_paid_through,
    Person.dues_waived,
    Person.joined_on,
    Person.email_ok,
    Person.phone_ok,
    Person.mail_ok,
    Person.do_not_contact,
)


def _dues(person: Any, today: date) -> str:
    if person.dues_waived:
        return "Waived"
    if person.dues_paid_through is None:
        return ""
    return "Current" if person.dues_paid_through >= today else "Lapsed"


def _values(person: Any, kind: ListKind, tags: str, roles: str, today: date) -> list[Any]:
    name = display_name(person.given_name, person.family_name, person.preferred_name)
    if kind == "mail":
        return [
            name,
            person.address_line1,
            person.address_line2,
            person.city,
            person.region,
            person.postal_code,
            person.country,
        ]
    if kind == "email":
        return [name, person.given_name, person.family_name, person.email]
    if kind == "phone":
        return [name, person.phone]
    hidden = person.do_not_contact
    return [
        name,
        person.family_name,
        person.given_name,
        person.preferred_name,
        STATUS_LABELS.get(person.status, str(person.status)),
        "" if hidden else person.email,
        "" if hidden else person.phone,
        "" if hidden else person.address_line1,
        "" if hidden else person.address_line2,
        person.city,
        person.region,
        person.postal_code,
        person.country,
        tags,
        roles,
        person.dues_paid_through,
        _dues(person, today),
        person.joined_on,
        YES if person.email_ok else "",
        YES if person.phone_ok else "",
        YES if person.mail_ok else "",
        DO_NOT_CONTACT if hidden else "",
    ]


def _names(db: Database, query: Any) -> dict[int, str]:
    grouped: dict[int, list[str]] = {}
    with db.read_session() as session:
        for person_id, name in session.execute(query):
            grouped.setdefault(person_id, []).append(name)
    return {person_id: "; ".join(names) for person_id, names in grouped.items()}


def export_people_steps(
    db: Database,
    path: Path,
    flt: RosterFilter | None = None,
    kind: ListKind = "roster",
    *,
    today: date | None = None,
) -> Generator[int, None, PeopleExportResult]:
    """Write the people the filter shows (roster order) as ``kind`` (see the module's
    rules) to path (.xlsx or .csv), yielding rows written now and then."""
    if kind not in LIST_KINDS:
        raise ExportError(f"{kind!r} is not a kind of list; one of {', '.join(LIST_KINDS)}")
    try:
        check_suffix(Path(path))
    except ValueError as exc:
        raise ExportError(str(exc)) from None
    flt = flt or RosterFilter()
    if flt.in_trash:
        raise ExportError("People in the trash are not exported; restore them first.")
    today = today or date.today()
    tags: dict[int, str] = {}
    roles: dict[int, str] = {}
    if kind == "roster":
        tags = _names(
            db,
            select(person_tags.c.person_id, Tag.name)
            .join(Tag, Tag.id == person_tags.c.tag_id)
            .order_by(person_tags.c.person_id, Tag.name),
        )
        roles = _names(
            db,
            select(RoleAssignment.person_id, RoleType.name)
            .join(RoleType, RoleType.id == RoleAssignment.role_type_id)
            .where(
                (RoleAssignment.start_date.is_(None)) | (RoleAssignment.start_date <= today),
                (RoleAssignment.end_date.is_(None)) | (RoleAssignment.end_date >= today),
            )
            .order_by(RoleAssignment.person_id, RoleType.sort_order, RoleType.name),
        )
    # The roster's own query (filter and order), asking for the fields instead of ids.
    query = search_query(db, "", flt, today=today).with_only_columns(*_FIELDS)
    # Who is in the file is decided before writing, so the sheet knows its size.
    left_out: dict[str, int] = {}
    rows: list[list[Any]] = []
    with db.engine.connect() as connection:
        for person in connection.execute(query):
            reason = left_out_reason(person, kind)
            if reason:
                left_out[reason] = left_out.get(reason, 0) + 1
                continue
            rows.append(
                _values(person, kind, tags.get(person.id, ""), roles.get(person.id, ""), today)
            )
    written = yield from write_table_steps(Path(path), TITLES[kind], COLUMNS[kind], rows, len(rows))
    return PeopleExportResult(Path(path), written, kind, left_out)


def export_people(
    db: Database,
    path: Path,
    flt: RosterFilter | None = None,
    kind: ListKind = "roster",
    *,
    today: date | None = None,
) -> PeopleExportResult:
    """export_people_steps run to the end."""
    return run_to_end(export_people_steps(db, path, flt, kind, today=today))


def export_attendance_file(db: Database, event_id: int, path: Path) -> PeopleExportResult:
    """An event's attendance as .xlsx (with its summary sheet) or .csv (the list alone);
    a do-not-contact person's email and phone are left out of either."""
    from desktop_app.exports.attendance_xlsx import COLUMNS as ATTENDANCE_COLUMNS
    from desktop_app.exports.attendance_xlsx import attendance_values, write_attendance
    from desktop_app.exports.people_lists import write_table
    from desktop_app.services.events import attendance_sheet

    path = Path(path)
    try:
        suffix = check_suffix(path)
    except ValueError as exc:
        raise ExportError(str(exc)) from None
    sheet = attendance_sheet(db, event_id)
    if suffix == ".xlsx":
        write_attendance(sheet, path)
    else:
        columns = [
            Column(header, width, "d" if header == "Signed in" else "s")
            for header, width in ATTENDANCE_COLUMNS
        ]
        write_table(path, "Attendance", columns, [attendance_values(line) for line in sheet.lines])
    hidden = sum(1 for line in sheet.lines if line.do_not_contact)
    return PeopleExportResult(path, len(sheet.lines), "attendance", {"details_hidden": hidden})


__all__ = [
    "COLUMNS",
    "LIST_KINDS",
    "ExportError",
    "ListKind",
    "PeopleExportResult",
    "export_attendance_file",
    "export_people",
    "export_people_steps",
]
