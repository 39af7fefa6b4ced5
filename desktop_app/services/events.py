"""Events: creating, editing, copying and cancelling them, the upcoming and past lists,
and who came to each one.

Times are aware datetimes, stored in UTC; views show them in local time. An event is
never deleted here: a cancelled event keeps its sign-ins and can be restored. Every
function is one unit of work and returns frozen dataclasses, never live ORM objects.

The .ics and .xlsx writers live in ``desktop_app.exports``; ``export_calendar`` and
``export_attendance`` gather the plain data they need and hand it over.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from desktop_app.db import Database
from desktop_app.models import Campaign, Event, EventKind, Person, SignIn, SignInSource
from desktop_app.services.group import laptop_id

if TYPE_CHECKING:
    from desktop_app.exports.attendance_xlsx import AttendanceSheet
    from desktop_app.exports.calendar import CalendarEntry

MAX_TITLE_LENGTH = 300  # the column's size
MAX_PLACE_LENGTH = 500
MAX_EXPECTED_ATTENDANCE = 1_000_000
# An event saved without an end time still counts as "upcoming" while it is likely to
# be going on, so that tonight's meeting stays at the top of the list during it.
ASSUMED_LENGTH = timedelta(hours=2)

EVENT_KIND_LABELS: dict[EventKind, str] = {
    EventKind.MEETING: "Meeting",
    EventKind.TABLING: "Tabling",
    EventKind.LETTER_WRITING: "Letter-writing night",
    EventKind.VIGIL: "Vigil or demonstration",
    EventKind.TRAINING: "Training",
    EventKind.SOCIAL: "Social",
    EventKind.LOBBY_DAY: "Lobby day",
    EventKind.OTHER: "Other",
}

SOURCE_LABELS: dict[SignInSource, str] = {
    SignInSource.MEETING: "Ticked off",
    SignInSource.KIOSK: "Kiosk",
    SignInSource.PAPER: "Paper sheet",
    SignInSource.BUNDLE: "Other laptop",
    SignInSource.IMPORT: "Import",
}


class EventError(ValueError):
    """An event that cannot be saved or found; str() names the field and the problem."""


@dataclass(frozen=True)
class EventInput:
    """What the event dialog edits. starts_at and ends_at are aware datetimes."""

    title: str
    starts_at: datetime
    ends_at: datetime | None = None
    kind: EventKind = EventKind.MEETING
    place: str = ""
    campaign_id: int | None = None
    description: str = ""
    expected_attendance: int | None = None


@dataclass(frozen=True)
class EventRow:
    """One line of the upcoming or past list."""

    id: int
    uid: str
    kind: EventKind
    title: str
    starts_at: datetime
    ends_at: datetime | None
    place: str
    cancelled: bool
    campaign_name: str
    attendance: int
    first_timers: int


@dataclass(frozen=True)
class EventDetail:
    """An event as read back, with its attendance counts."""

    id: int
    uid: str
    data: EventInput
    cancelled: bool
    campaign_name: str
    created_at: datetime
    updated_at: datetime
    attendance: int
    first_timers: int


@dataclass(frozen=True)
class AttendanceRow:
    """One person's sign-in at an event, with what an attendance sheet shows of them."""

    sign_in_id: int
    person_id: int
    display_name: str
    given_name: str
    family_name: str
    email: str
    phone: str
    postal_code: str
    do_not_contact: bool
    first_time: bool
    source: SignInSource
    signed_in_at: datetime
    how_heard: str
    interests: tuple[str, ...]
    consent_given: bool


@dataclass(frozen=True)
class CampaignChoice:
    id: int
    name: str


# --- checking ---------------------------------------------------------------------------


def _require_aware(value: datetime, label: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise EventError(f"{label}: the time needs its time zone.")


def check_event(data: EventInput) -> EventInput:
    """The input with its text trimmed; raises EventError naming the first bad field."""
    title = data.title.strip()
    if not title:
        raise EventError("Title: please give the event a title.")
    if len(title) > MAX_TITLE_LENGTH:
        raise EventError(f"Title: at most {MAX_TITLE_LENGTH} characters.")
    place = data.place.strip()
    if len(place) > MAX_PLACE_LENGTH:
        raise EventError(f"Place: at most {MAX_PLACE_LENGTH} characters.")
    _require_aware(data.starts_at, "Starts")
    if data.ends_at is not None:
        _require_aware(data.ends_at, "Ends")
        if data.ends_at <= data.starts_at:
            raise EventError("Ends: the end must be after the start.")
    expected = data.expected_attendance
    if expected is not None and (
        isinstance(expected, bool) or not 0 <= expected <= MAX_EXPECTED_ATTENDANCE
    ):
        raise EventError("Expected attendance: a whole number of 0 or more.")
    try:
        kind = EventKind(data.kind)
    except ValueError:
        raise EventError(f"Kind: {data.kind!r} is not a kind of event.") from None
    return EventInput(
        title=title,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        kind=kind,
        place=place,
        campaign_id=data.campaign_id,
        description=data.description,
        expected_attendance=expected,
    )


def _check_campaign(session: Session, campaign_id: int | None) -> None:
    if campaign_id is not None and session.get(Campaign, campaign_id) is None:
        raise EventError("Campaign: that campaign no longer exists; choose another.")


def _load(session: Session, event_id: int) -> Event:
    event = session.get(Event, event_id)
    if event is None:
        raise EventError(f"No event with id {event_id}.")
    return event


def _apply(event: Event, data: EventInput) -> None:
    event.title = data.title
    event.starts_at = data.starts_at
    event.ends_at = data.ends_at
    event.kind = data.kind
    event.place = data.place
    event.campaign_id = data.campaign_id
    event.description = data.description
    event.expected_attendance = data.expected_attendance


def _counts(session: Session, event_id: int) -> tuple[int, int]:
    row = session.execute(
        select(func.count(), func.coalesce(func.sum(case((SignIn.first_time, 1), else_=0)), 0))
        .select_from(SignIn)
        .where(SignIn.event_id == event_id)
    ).one()
    return int(row[0]), int(row[1])


def _detail(session: Session, event: Event) -> EventDetail:
    campaign_name = ""
    if event.campaign_id is not None:
        found = session.scalar(select(Campaign.name).where(Campaign.id == event.campaign_id))
        campaign_name = found or ""
    attendance, first_timers = _counts(session, event.id)
    return EventDetail(
        id=event.id,
        uid=event.uid,
        data=EventInput(
            title=event.title,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            kind=event.kind,
            place=event.place,
            campaign_id=event.campaign_id,
            description=event.description,
            expected_attendance=event.expected_attendance,
        ),
        cancelled=event.cancelled,
        campaign_name=campaign_name,
        created_at=event.created_at,
        updated_at=event.updated_at,
        attendance=attendance,
        first_timers=first_timers,
    )


# --- changing ---------------------------------------------------------------------------


def create_event(db: Database, data: EventInput) -> EventDetail:
    """Add an event; raises EventError (naming the field) and saves nothing on bad input."""
    checked = check_event(data)
    origin = laptop_id(db)
    with db.session() as session:
        _check_campaign(session, checked.campaign_id)
        event = Event(origin_laptop=origin)
        _apply(event, checked)
        session.add(event)
        session.flush()
        return _detail(session, event)


def update_event(db: Database, event_id: int, data: EventInput) -> EventDetail:
    """Change an event's details; its sign-ins, minutes and cancelled state stay."""
    checked = check_event(data)
    with db.session() as session:
        event = _load(session, event_id)
        _check_campaign(session, checked.campaign_id)
        _apply(event, checked)
        session.flush()
        return _detail(session, event)


def copy_event(db: Database, event_id: int, starts_at: datetime) -> EventDetail:
    """A new event with the same details on another date; lasts as long as the original.

    Sign-ins, minutes and the cancelled mark are not copied: it is a new occasion.
    """
    _require_aware(starts_at, "Starts")
    with db.read_session() as session:
        original = _load(session, event_id)
        length = original.ends_at - original.starts_at if original.ends_at else None
        data = EventInput(
            title=original.title,
            starts_at=starts_at,
            ends_at=starts_at + length if length is not None else None,
            kind=original.kind,
            place=original.place,
            campaign_id=original.campaign_id,
            description=original.description,
            expected_attendance=original.expected_attendance,
        )
    return create_event(db, data)


def _set_cancelled(db: Database, event_id: int, cancelled: bool) -> EventDetail:
    with db.session() as session:
        event = _load(session, event_id)
        event.cancelled = cancelled
        session.flush()
        return _detail(session, event)


def cancel_event(db: Database, event_id: int) -> EventDetail:
    """Mark an event cancelled. It keeps its sign-ins and stays in the lists, marked."""
    return _set_cancelled(db, event_id, True)


def restore_event(db: Database, event_id: int) -> EventDetail:
    """Undo a cancellation."""
    return _set_cancelled(db, event_id, False)


# --- reading ----------------------------------------------------------------------------


def get_event(db: Database, event_id: int) -> EventDetail:
    with db.read_session() as session:
        return _detail(session, _load(session, event_id))


def _list(db: Database, *, upcoming: bool, now: datetime, limit: int | None) -> list[EventRow]:
    _require_aware(now, "Now")
    counts = (
        select(
            SignIn.event_id.label("event_id"),
            func.count().label("attendance"),
            func.sum(case((SignIn.first_time, 1), else_=0)).label("first_timers"),
        )
        .group_by(SignIn.event_id)
        .subquery()
    )
    # "Still on": ends in the future, or has no end and began less than ASSUMED_LENGTH ago.
    # Both sides are spelled out: NOT applied to a comparison with a NULL end is NULL
    # in SQL, which would drop an event without an end from both lists.
    has_end, no_end = Event.ends_at.is_not(None), Event.ends_at.is_(None)
    still_on = or_(
        and_(has_end, Event.ends_at >= now),
        and_(no_end, Event.starts_at >= now - ASSUMED_LENGTH),
    )
    over = or_(
        and_(has_end, Event.ends_at < now),
        and_(no_end, Event.starts_at < now - ASSUMED_LENGTH),
    )
    query = (
        select(
            Event.id,
            Event.uid,
            Event.kind,
            Event.title,
            Event.starts_at,
            Event.ends_at,
            Event.place,
            Event.cancelled,
            func.coalesce(Campaign.name, "").label("campaign_name"),
            func.coalesce(counts.c.attendance, 0).label("attendance"),
            func.coalesce(counts.c.first_timers, 0).label("first_timers"),
        )
        .outerjoin(Campaign, Campaign.id == Event.campaign_id)
        .outerjoin(counts, counts.c.event_id == Event.id)
        .where(still_on if upcoming else over)
        .order_by(
            *(
                (Event.starts_at, Event.id)
                if upcoming
                else (Event.starts_at.desc(), Event.id.desc())
            )
        )
    )
    if limit is not None:
        query = query.limit(limit)
    with db.read_session() as session:
        return [
            EventRow(
                id=row.id,
                uid=row.uid,
                kind=row.kind,
                title=row.title,
                starts_at=row.starts_at,
                ends_at=row.ends_at,
                place=row.place,
                cancelled=row.cancelled,
                campaign_name=row.campaign_name,
                attendance=int(row.attendance),
                first_timers=int(row.first_timers),
            )
            for row in session.execute(query)
        ]


def list_upcoming(db: Database, now: datetime) -> list[EventRow]:
    """Events not yet over at ``now`` (an aware datetime), soonest first, cancelled included."""
    return _list(db, upcoming=True, now=now, limit=None)


def list_past(db: Database, now: datetime, limit: int = 50) -> list[EventRow]:
    """Events over by ``now``, most recent first, at most ``limit`` of them."""
    return _list(db, upcoming=False, now=now, limit=limit)


def attendance(db: Database, event_id: int) -> list[AttendanceRow]:
    """Who signed in at an event, in roster order (family name, then given name)."""
    with db.read_session() as session:
        _load(session, event_id)
        rows = session.execute(
            select(SignIn, Person)
            .join(Person, Person.id == SignIn.person_id)
            .where(SignIn.event_id == event_id)
            .order_by(Person.sort_key, Person.id)
        ).all()
        return [
            AttendanceRow(
                sign_in_id=sign_in.id,
                person_id=person.id,
                display_name=person.display_name,
                given_name=person.given_name,
                family_name=person.family_name,
                email=person.email,
                phone=person.phone,
                postal_code=person.postal_code,
                do_not_contact=person.do_not_contact,
                first_time=sign_in.first_time,
                source=sign_in.source,
                signed_in_at=sign_in.signed_in_at,
                how_heard=sign_in.how_heard,
                interests=tuple(line for line in sign_in.interests.splitlines() if line),
                consent_given=sign_in.consent_given,
            )
            for sign_in, person in rows
        ]


def attendance_count(db: Database, event_id: int) -> int:
    """How many people signed in at an event (what the live counter shows)."""
    with db.read_session() as session:
        return _counts(session, event_id)[0]


def campaign_choices(db: Database) -> list[CampaignChoice]:
    """Campaigns an event can belong to, newest year first."""
    with db.read_session() as session:
        return [
            CampaignChoice(row.id, row.name)
            for row in session.execute(
                select(Campaign.id, Campaign.name).order_by(
                    Campaign.year.desc().nulls_last(), Campaign.name
                )
            )
        ]


# --- exports ----------------------------------------------------------------------------


def calendar_entries(db: Database, event_ids: Sequence[int]) -> list[CalendarEntry]:
    """The events as plain calendar data, in the order asked for."""
    from desktop_app.exports.calendar import CalendarEntry

    entries = []
    with db.read_session() as session:
        for event_id in event_ids:
            detail = _detail(session, _load(session, event_id))
            data = detail.data
            entries.append(
                CalendarEntry(
                    uid=detail.uid,
                    title=data.title,
                    starts_at=data.starts_at,
                    ends_at=data.ends_at,
                    place=data.place,
                    description=data.description,
                    cancelled=detail.cancelled,
                    created_at=detail.created_at,
                    updated_at=detail.updated_at,
                )
            )
    return entries


def export_calendar(db: Database, event_ids: Sequence[int], path: Path) -> Path:
    """Write the events to an .ics file (replaced whole, never left half-written)."""
    from desktop_app.exports.calendar import write_calendar

    return write_calendar(calendar_entries(db, event_ids), path)


def attendance_sheet(db: Database, event_id: int) -> AttendanceSheet:
    """An event and its attendance as plain data for the spreadsheet writer."""
    from desktop_app.exports.attendance_xlsx import AttendanceLine, AttendanceSheet

    detail = get_event(db, event_id)
    lines = tuple(
        AttendanceLine(
            name=row.display_name,
            given_name=row.given_name,
            family_name=row.family_name,
            first_time=row.first_time,
            source=SOURCE_LABELS.get(row.source, str(row.source)),
            signed_in_at=row.signed_in_at,
            email=row.email,
            phone=row.phone,
            postal_code=row.postal_code,
            do_not_contact=row.do_not_contact,
            how_heard=row.how_heard,
            interests=row.interests,
        )
        for row in attendance(db, event_id)
    )
    return AttendanceSheet(
        title=detail.data.title,
        kind=EVENT_KIND_LABELS[detail.data.kind],
        starts_at=detail.data.starts_at,
        place=detail.data.place,
        cancelled=detail.cancelled,
        lines=lines,
    )


def export_attendance(db: Database, event_id: int, path: Path) -> Path:
    """Write an event's attendance to an .xlsx workbook."""
    from desktop_app.exports.attendance_xlsx import write_attendance

    return write_attendance(attendance_sheet(db, event_id), path)


__all__ = [
    "ASSUMED_LENGTH",
    "EVENT_KIND_LABELS",
    "SOURCE_LABELS",
    "AttendanceRow",
    "CampaignChoice",
    "EventDetail",
    "EventError",
    "EventInput",
    "EventRow",
    "attendance",
    "attendance_count",
    "attendance_sheet",
    "calendar_entries",
    "campaign_choices",
    "cancel_event",
    "check_event",
    "copy_event",
    "create_event",
    "export_attendance",
    "export_calendar",
    "get_event",
    "list_past",
    "list_upcoming",
    "restore_event",
    "update_event",
]
