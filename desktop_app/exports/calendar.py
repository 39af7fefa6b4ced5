"""Events as an iCalendar (.ics) file that calendar programs import.

Takes plain data (CalendarEntry), knows nothing of sessions. Times are written in UTC
(the "Z" form), so the file means the same moment wherever it is opened. The UID of
each VEVENT is the event's own unique id: importing the file again after a change
updates the calendar entry instead of adding a second one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import icalendar

from desktop_app.exports.atomic import replaced_on_success

PRODID = "-//Group Desk//Group Desk events//EN"

# Control characters have no place in iCalendar text; newlines and tabs are kept
# (icalendar escapes newlines itself).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class CalendarEntry:
    """One event as a calendar sees it. Datetimes are aware."""

    uid: str
    title: str
    starts_at: datetime
    ends_at: datetime | None = None  # no DTEND is written when the end is unknown
    place: str = ""
    description: str = ""
    cancelled: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None


def _clean(text: str) -> str:
    return _CONTROL.sub("", text)


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("calendar times must be aware datetimes")
    return value.astimezone(UTC)


def calendar_bytes(entries: Sequence[CalendarEntry], *, calendar_name: str = "") -> bytes:
    """The .ics file's content for these events."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if calendar_name:
        calendar.add("x-wr-calname", _clean(calendar_name))
    stamp = datetime.now(UTC).replace(microsecond=0)
    for entry in entries:
        vevent = icalendar.Event()
        vevent.add("uid", entry.uid)
        vevent.add("summary", _clean(entry.title))
        vevent.add("dtstart", _utc(entry.starts_at))
        if entry.ends_at is not None:
            vevent.add("dtend", _utc(entry.ends_at))
        # DTSTAMP is required; the last change is the most useful moment to give.
        vevent.add("dtstamp", _utc(entry.updated_at) if entry.updated_at else stamp)
        if entry.created_at is not None:
            vevent.add("created", _utc(entry.created_at))
        if entry.updated_at is not None:
            vevent.add("last-modified", _utc(entry.updated_at))
        if entry.place:
            vevent.add("location", _clean(entry.place))
        if entry.description:
            vevent.add("description", _clean(entry.description))
        vevent.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
        calendar.add_component(vevent)
    return bytes(calendar.to_ical())


def write_calendar(
    entries: Sequence[CalendarEntry], path: Path, *, calendar_name: str = ""
) -> Path:
    """Write the events to path; an existing file is replaced only once the new one is whole."""
    data = calendar_bytes(entries, calendar_name=calendar_name)
    path = Path(path)
    with replaced_on_success(path) as temporary:
        temporary.write_bytes(data)
    return path


__all__ = ["PRODID", "CalendarEntry", "calendar_bytes", "write_calendar"]
