"""What the printed documents need, gathered from the database as plain data.

Each function returns the frozen dataclasses of ``desktop_app.printing.data``; the
renderers in ``desktop_app.printing`` turn them into PDFs. The windows and the CLI
call the same two steps (gather here, render there), and neither this module nor
printing.data imports ReportLab.

Times are handed over in local time (the zone of this computer), as they are shown.
Consent is applied here, before anything reaches paper:

- labels: only people who said yes to post (mail_ok), who are not do-not-contact,
  and who have an address (a street line and a postal code or city): the mailing
  list's rule (services.consent);
- phone list and roster: a phone number only where phone_ok, an email only where
  email_ok, neither for a do-not-contact person (who is listed, marked);
- sign-in sheets show expected people's details only when asked to.

People in the trash and people whose data was erased are never printed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, select

from desktop_app.db import Database
from desktop_app.models import (
    Event,
    Person,
    RoleAssignment,
    RoleType,
    SignIn,
    UrgentActionStatus,
)
from desktop_app.printing.data import (
    AgendaAction,
    AgendaData,
    AgendaEvent,
    AttendanceData,
    AttendanceEntry,
    ContactLine,
    ContactListData,
    EnvelopeStyle,
    ExpectedPerson,
    FlyerData,
    LetterBatch,
    MailingLabel,
    PageSize,
    PrintError,
    SigninSheetData,
    UrgentActionData,
    Writer,
)
from desktop_app.services.consent import left_out_reason
from desktop_app.services.events import SOURCE_LABELS, attendance, get_event
from desktop_app.services.group import DEFAULT_CONSENT_TEXT, get_profile
from desktop_app.services.labels import STATUS_LABELS
from desktop_app.services.roster import RosterFilter, search_query
from desktop_app.services.urgent_actions import get_urgent_action, list_urgent_actions
from desktop_app.services.validation import format_phone
from desktop_app.text import display_name, fold

REGULARS_LOOKBACK = 6  # the last six events of the same kind
REGULARS_MIN_VISITS = 2  # ... at two or more of which the person signed in
UPCOMING_ON_AGENDA = 6
# Countries whose addresses put the region and postal code after the city on one line.
_CITY_REGION_POSTAL = frozenset({"US", "CA", "AU"})
_PUNCTUATION = re.compile(r"[^\w\s]")
_LETTER_COUNTRIES = frozenset({"US", "CA", "MX", "CL", "CO", "VE", "PH", "GT", "CR", "PR"})


@dataclass(frozen=True)
class _Group:
    name: str
    contact: str
    country: str
    consent: str


def _group(db: Database) -> _Group:
    profile = get_profile(db)
    if profile is None:
        return _Group("", "", "US", DEFAULT_CONSENT_TEXT)
    return _Group(
        profile.name,
        profile.contact_email,
        profile.country or "US",
        profile.kiosk_consent_text or DEFAULT_CONSENT_TEXT,
    )


def page_size_for(db: Database) -> PageSize:
    """Letter in the US and Canada (and the rest of the Americas that use it), A4 elsewhere."""
    return PageSize.LETTER if _group(db).country in _LETTER_COUNTRIES else PageSize.A4


def _local(moment: datetime) -> datetime:
    return moment.astimezone()


def _not_gone() -> Any:
    return and_(Person.removed_at.is_(None), Person.erased_at.is_(None))


# Who a row is, and what display_name needs: the start of every list's columns.
_NAME_FIELDS = (Person.id, Person.given_name, Person.family_name, Person.preferred_name)


def _filtered(
    db: Database,
    flt: RosterFilter | None,
    text: str,
    columns: Sequence[Any],
    *,
    today: date | None = None,
) -> Any:
    """The roster's query for a filter and search text (its order too), asking for these
    columns, without people whose data was erased; PrintError for the trash."""
    flt = flt or RosterFilter()
    if flt.in_trash:
        raise PrintError("People in the trash are not printed; restore them first")
    query = search_query(db, text, flt, today=today).with_only_columns(*columns)
    return query.where(Person.erased_at.is_(None))


# --- flyer ------------------------------------------------------------------------------


def flyer_data(
    db: Database,
    event_id: int,
    *,
    qr_target: str | None = None,
    image_path: Path | None = None,
    tear_off_strips: int = 0,
    description: str | None = None,
    contact: str | None = None,
) -> FlyerData:
    """An event's flyer. qr_target and contact default to the group's contact email."""
    detail = get_event(db, event_id)
    group = _group(db)
    data = detail.data
    return FlyerData(
        title=data.title,
        starts_at=_local(data.starts_at),
        ends_at=_local(data.ends_at) if data.ends_at else None,
        place=data.place,
        description=data.description if description is None else description,
        group_name=group.name,
        contact=group.contact if contact is None else contact,
        qr_target=group.contact if qr_target is None else qr_target,
        image_path=image_path,
        tear_off_strips=tear_off_strips,
    )


# --- sign-in sheet ----------------------------------------------------------------------


def _expected(rows: Sequence[Any], country: str) -> tuple[ExpectedPerson, ...]:
    return tuple(
        ExpectedPerson(
            given_name=row.given_name,
            family_name=row.family_name,
            display_name=display_name(row.given_name, row.family_name, row.preferred_name),
            email=row.email,
            phone=format_phone(row.phone, country) if row.phone else "",
            postal_code=row.postal_code,
        )
        for row in rows
    )


_EXPECTED_FIELDS = (
    *_NAME_FIELDS,
    Person.email,
    Person.phone,
    Person.postal_code,
)


def expected_regulars(
    db: Database,
    event_id: int,
    *,
    lookback: int = REGULARS_LOOKBACK,
    min_visits: int = REGULARS_MIN_VISITS,
) -> tuple[ExpectedPerson, ...]:
    """The regulars of an event's series: people who signed in at min_visits or more of
    the last lookback events of the same kind before it (cancelled ones not counted)."""
    group = _group(db)
    with db.read_session() as session:
        event = session.get(Event, event_id)
        if event is None:
            raise PrintError(f"Event: no event with id {event_id}")
        earlier = list(
            session.scalars(
                select(Event.id)
                .where(
                    Event.kind == event.kind,
                    Event.starts_at < event.starts_at,
                    Event.cancelled.is_(False),
                    Event.id != event.id,
                )
                .order_by(Event.starts_at.desc())
                .limit(lookback)
            )
        )
        if not earlier:
            return ()
        visits = (
            select(SignIn.person_id)
            .where(SignIn.event_id.in_(earlier))
            .group_by(SignIn.person_id)
            .having(func.count() >= min_visits)
        )
        rows = session.execute(
            select(*_EXPECTED_FIELDS)
            .where(Person.id.in_(visits), _not_gone())
            .order_by(Person.sort_key, Person.id)
        ).all()
    return _expected(rows, group.country)


def expected_from_filter(
    db: Database, flt: RosterFilter | None = None, text: str = ""
) -> tuple[ExpectedPerson, ...]:
    """Everyone a roster filter (and search text) shows, as expected people."""
    query = _filtered(db, flt, text, _EXPECTED_FIELDS)
    group = _group(db)
    with db.engine.connect() as connection:
        rows = connection.execute(query).all()
    return _expected(rows, group.country)


def signin_sheet_data(
    db: Database,
    event_id: int,
    *,
    expected: Sequence[ExpectedPerson] = (),
    blank_rows: int = 20,
    show_contact_details: bool = False,
) -> SigninSheetData:
    """A sign-in sheet for an event, with the group's consent sentence."""
    detail = get_event(db, event_id)
    group = _group(db)
    return SigninSheetData(
        group_name=group.name,
        event_title=detail.data.title,
        starts_at=_local(detail.data.starts_at),
        place=detail.data.place,
        expected=tuple(expected),
        blank_rows=blank_rows,
        consent_text=group.consent,
        show_contact_details=show_contact_details,
    )


# --- addresses and labels ---------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def country_name(code: str) -> str:
    """An ISO country code as its English name for an envelope ("CA" -> "CANADA")."""
    import phonenumbers
    from phonenumbers import geocoder

    example = phonenumbers.example_number(code.upper())
    name = geocoder.country_name_for_number(example, "en") if example is not None else ""
    return (name or code).upper()


def address_lines(person: Any, home_country: str) -> list[str]:
    """A person's postal address as the lines of an envelope (the country only when abroad).

    person: a Person or a row with its address_line1, address_line2, city, region,
    postal_code and country.
    """
    lines = [part.strip() for part in (person.address_line1, person.address_line2) if part.strip()]
    country = (person.country or home_country).upper()
    city, region = person.city.strip(), person.region.strip()
    postal_code = person.postal_code.strip()
    if country in _CITY_REGION_POSTAL:
        place = ", ".join(
            part for part in (city, " ".join(p for p in (region, postal_code) if p)) if part
        )
        if place:
            lines.append(place)
    elif country == "GB":
        lines += [part for part in (city, region, postal_code) if part]
    else:
        place = " ".join(part for part in (postal_code, city) if part)
        lines += [part for part in (place, region) if part]
    if country and country != home_country.upper():
        lines.append(country_name(country))
    return lines


def _household_key(row: Any) -> str:
    postal = "".join(row.postal_code.split()).upper() or fold(row.city)
    parts = (row.address_line1, row.address_line2)
    street = " ".join(_PUNCTUATION.sub(" ", fold(part)) for part in parts)
    return "|".join((" ".join(street.split()), postal, (row.country or "").upper()))


def household_name(people: Sequence[tuple[str, str]]) -> str:
    """One name for the people of a household, from (given, family) pairs:
    "Ana & Luis García", or "Ana García & Luis Pérez" when their family names differ."""
    if len(people) == 1:
        return " ".join(part for part in people[0] if part)
    families = {fold(family) for _given, family in people}
    if len(families) == 1 and next(iter(families)):
        given = [given for given, _family in people if given]
        joined = ", ".join(given[:-1]) + " & " + given[-1] if len(given) > 1 else "".join(given)
        return f"{joined} {people[0][1]}".strip()
    names = [" ".join(part for part in person if part) for person in people]
    return ", ".join(names[:-1]) + " & " + names[-1]


@dataclass(frozen=True)
class LabelRun:
    """Labels for a mailing, and who the filter matched but got none, by reason."""

    labels: tuple[MailingLabel, ...]
    people: int  # people with a label (several may share one household label)
    households_merged: int  # labels saved by putting a household on one label
    left_out: dict[str, int] = field(default_factory=dict)  # do_not_contact, no_consent, no_address


_ADDRESS_FIELDS = (
    *_NAME_FIELDS,
    Person.address_line1,
    Person.address_line2,
    Person.city,
    Person.region,
    Person.postal_code,
    Person.country,
    Person.mail_ok,
    Person.do_not_contact,
)


def mailing_labels(
    db: Database,
    flt: RosterFilter | None = None,
    text: str = "",
    *,
    household: bool = False,
    person_ids: Sequence[int] | None = None,
) -> LabelRun:
    """Address labels for the people a roster filter shows (or person_ids), roster order.

    household puts people at the same address (street, postal code and country,
    compared without case, accents or punctuation) on one label.
    """
    query = _filtered(db, flt, text, _ADDRESS_FIELDS)
    group = _group(db)
    if person_ids is not None:
        query = query.where(Person.id.in_(list(person_ids)))
    left_out: dict[str, int] = {}
    kept: list[Any] = []
    with db.engine.connect() as connection:
        for row in connection.execute(query):
            reason = left_out_reason(row, "mail")
            if reason:
                left_out[reason] = left_out.get(reason, 0) + 1
            else:
                kept.append(row)
    groups: dict[str, list[Any]] = {}
    for row in kept:
        key = _household_key(row) if household else str(row.id)
        groups.setdefault(key, []).append(row)
    labels = []
    for rows in groups.values():
        name = household_name(
            [(row.preferred_name or row.given_name, row.family_name) for row in rows]
        )
        lines = address_lines(rows[0], group.country)
        labels.append(MailingLabel((name, *lines), who=name))
    return LabelRun(
        labels=tuple(labels),
        people=len(kept),
        households_merged=len(kept) - len(labels),
        left_out=left_out,
    )


# --- lists ------------------------------------------------------------------------------


def _current_roles(db: Database, ids: Sequence[int], today: date) -> dict[int, list[str]]:
    roles: dict[int, list[str]] = {}
    if not ids:
        return roles
    query = (
        select(RoleAssignment.person_id, RoleType.name)
        .join(RoleType, RoleType.id == RoleAssignment.role_type_id)
        .where(
            (RoleAssignment.start_date.is_(None)) | (RoleAssignment.start_date <= today),
            (RoleAssignment.end_date.is_(None)) | (RoleAssignment.end_date >= today),
        )
        .order_by(RoleType.sort_order, RoleType.name)
    )
    wanted = set(ids)
    with db.engine.connect() as connection:
        for person_id, name in connection.execute(query):
            if person_id in wanted:
                roles.setdefault(person_id, []).append(name)
    return roles


_CONTACT_FIELDS = (
    *_NAME_FIELDS,
    Person.email,
    Person.phone,
    Person.status,
    Person.email_ok,
    Person.phone_ok,
    Person.do_not_contact,
)


def contact_list_data(
    db: Database,
    flt: RosterFilter | None = None,
    text: str = "",
    *,
    title: str = "Phone list",
    subtitle: str = "",
    today: date | None = None,
) -> ContactListData:
    """The people a roster filter shows, with only the contact details they agreed to."""
    today = today or date.today()
    query = _filtered(db, flt, text, _CONTACT_FIELDS, today=today)
    group = _group(db)
    with db.engine.connect() as connection:
        rows = connection.execute(query).all()
    roles = _current_roles(db, [row.id for row in rows], today)
    lines = []
    for row in rows:
        blocked = bool(row.do_not_contact)
        phone_ok = bool(row.phone_ok) and not blocked
        email_ok = bool(row.email_ok) and not blocked
        lines.append(
            ContactLine(
                name=display_name(row.given_name, row.family_name, row.preferred_name)
                or "(no name)",
                phone=format_phone(row.phone, group.country) if phone_ok and row.phone else "",
                email=row.email if email_ok else "",
                phone_ok=phone_ok,
                email_ok=email_ok,
                do_not_contact=blocked,
                status=STATUS_LABELS.get(row.status, str(row.status)),
                roles=tuple(roles.get(row.id, ())),
            )
        )
    return ContactListData(
        group_name=group.name,
        title=title,
        printed_on=today,
        lines=tuple(lines),
        subtitle=subtitle,
    )


def attendance_data(db: Database, event_id: int) -> AttendanceData:
    """Who signed in at an event, in roster order."""
    detail = get_event(db, event_id)
    group = _group(db)
    entries = tuple(
        AttendanceEntry(
            name=row.display_name or "(name erased)",
            first_time=row.first_time,
            source=SOURCE_LABELS.get(row.source, str(row.source)),
            signed_in_at=_local(row.signed_in_at),
            interests=row.interests,
            do_not_contact=row.do_not_contact,
        )
        for row in attendance(db, event_id)
    )
    return AttendanceData(
        group_name=group.name,
        event_title=detail.data.title,
        starts_at=_local(detail.data.starts_at),
        place=detail.data.place,
        entries=entries,
        cancelled=detail.cancelled,
    )


def agenda_data(
    db: Database,
    event_id: int | None = None,
    *,
    title: str = "",
    now: datetime | None = None,
) -> AgendaData:
    """A meeting agenda: the meeting (if given), open urgent actions with their deadlines
    and letter counts, and the next events after it."""
    now = now or datetime.now(UTC)
    group = _group(db)
    starts_at: datetime | None = None
    place = ""
    meeting_title = title
    after = now
    if event_id is not None:
        detail = get_event(db, event_id)
        starts_at = _local(detail.data.starts_at)
        place = detail.data.place
        meeting_title = title or detail.data.title
        after = max(now, detail.data.starts_at)
    actions = tuple(
        AgendaAction(
            number=row.number,
            title=row.title,
            country=row.country,
            deadline=row.deadline,
            letters_written=row.letters_written,
        )
        for row in list_urgent_actions(db, UrgentActionStatus.OPEN)
    )
    with db.read_session() as session:
        upcoming = session.execute(
            select(Event.title, Event.starts_at, Event.place)
            .where(
                Event.starts_at > after,
                Event.cancelled.is_(False),
                Event.id != (event_id if event_id is not None else -1),
            )
            .order_by(Event.starts_at)
            .limit(UPCOMING_ON_AGENDA)
        ).all()
    return AgendaData(
        group_name=group.name,
        meeting_title=meeting_title or "Group meeting",
        starts_at=starts_at,
        place=place,
        today=_local(now).date(),
        open_actions=actions,
        upcoming_events=tuple(
            AgendaEvent(title=row.title, starts_at=_local(row.starts_at), place=row.place)
            for row in upcoming
        ),
    )


# --- urgent action letters --------------------------------------------------------------


def writers_at_event(db: Database, event_id: int) -> list[int]:
    """The people who signed in at an event (a letter-writing night), in roster order."""
    with db.read_session() as session:
        if session.get(Event, event_id) is None:
            raise PrintError(f"Event: no event with id {event_id}")
        return list(
            session.scalars(
                select(Person.id)
                .join(SignIn, SignIn.person_id == Person.id)
                .where(SignIn.event_id == event_id, _not_gone())
                .order_by(Person.sort_key, Person.id)
            )
        )


def writers(db: Database, writer_ids: Sequence[int]) -> tuple[Writer, ...]:
    """The people writing, with their address as the sender, in the order given."""
    ids = list(dict.fromkeys(writer_ids))
    group = _group(db)
    with db.read_session() as session:
        people = {
            person.id: person
            for person in session.scalars(select(Person).where(Person.id.in_(ids)))
        }
        result = []
        for person_id in ids:
            person = people.get(person_id)
            if person is None:
                raise PrintError(f"Writers: nobody with id {person_id} is on the roster")
            if person.erased_at is not None:
                raise PrintError(f"Writers: the data of person {person_id} was erased")
            result.append(
                Writer(
                    name=person.display_name,
                    address="\n".join(address_lines(person, group.country)),
                    city=person.city,
                    person_id=person.id,
                )
            )
    return tuple(result)


def letter_batch(
    db: Database,
    ua_id: int,
    writer_ids: Sequence[int],
    *,
    letter_date: date | None = None,
    template: str | None = None,
    templates_by_language: Sequence[tuple[str, str]] = (),
    envelopes: EnvelopeStyle = EnvelopeStyle.NONE,
    label_layout: str = "5160",
    print_copies: bool = False,
) -> LetterBatch:
    """The letters of a case for these writers: one per writer and official.

    template defaults to the case's own (or the default letter when it has none).
    """
    detail = get_urgent_action(db, ua_id)
    data = detail.data
    action = UrgentActionData(
        number=data.number,
        title=data.title,
        country=data.country,
        persons_at_risk=data.persons_at_risk,
        issue=data.issue,
        deadline=data.deadline,
        addressees=data.addressees,
    )
    return LetterBatch(
        action=action,
        writers=writers(db, writer_ids),
        template=detail.letter_template if template is None else template,
        letter_date=letter_date or date.today(),
        group_name=_group(db).name,
        templates_by_language=tuple(templates_by_language),
        envelopes=envelopes,
        label_layout=label_layout,
        print_copies=print_copies,
    )


__all__ = [
    "LabelRun",
    "address_lines",
    "agenda_data",
    "attendance_data",
    "contact_list_data",
    "country_name",
    "expected_from_filter",
    "expected_regulars",
    "flyer_data",
    "household_name",
    "letter_batch",
    "mailing_labels",
    "page_size_for",
    "signin_sheet_data",
    "writers",
    "writers_at_event",
]
