"""Events as .ics: read back with icalendar, as a calendar program would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from desktop_app.db import Database
from desktop_app.exports.calendar import CalendarEntry, calendar_bytes, write_calendar
from desktop_app.services import events
from desktop_app.services.events import EventInput

START = datetime(2026, 5, 14, 23, 30, tzinfo=UTC)


def read_events(path: Path) -> list[icalendar.Component]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return list(calendar.walk("VEVENT"))


def test_event_exported_and_read_back(db: Database, tmp_path: Path) -> None:
    boston = START.astimezone(ZoneInfo("America/New_York"))
    created = events.create_event(
        db,
        EventInput(
            title="Vigil; for Ahmed, and others",
            starts_at=boston,
            ends_at=boston + timedelta(hours=1, minutes=30),
            place="Town hall steps, Cambridge",
            description="Bring candles.\nمرحبا 🕯️",
        ),
    )

    path = events.export_calendar(db, [created.id], tmp_path / "vigil.ics")

    (vevent,) = read_events(path)
    assert str(vevent["uid"]) == created.uid
    assert str(vevent["summary"]) == "Vigil; for Ahmed, and others"
    assert str(vevent["location"]) == "Town hall steps, Cambridge"
    assert str(vevent["description"]) == "Bring candles.\nمرحبا 🕯️"
    assert str(vevent["status"]) == "CONFIRMED"
    start, end = vevent.decoded("dtstart"), vevent.decoded("dtend")
    assert start == START and end == START + timedelta(hours=1, minutes=30)
    # Written in UTC, so it means the same moment wherever it is opened.
    assert start.utcoffset() == timedelta(0)
    assert b"DTSTART:20260514T233000Z" in path.read_bytes()


def test_cancelled_event_says_so(db: Database, tmp_path: Path) -> None:
    created = events.create_event(db, EventInput(title="Picnic", starts_at=START))
    events.cancel_event(db, created.id)
    (vevent,) = read_events(events.export_calendar(db, [created.id], tmp_path / "p.ics"))
    assert str(vevent["status"]) == "CANCELLED"
    assert "dtend" not in vevent  # no end was given; none is invented


def test_several_events_in_one_file_in_order(db: Database, tmp_path: Path) -> None:
    ids = [
        events.create_event(db, EventInput(title=t, starts_at=START + timedelta(days=n))).id
        for n, t in enumerate(("April", "May", "June"))
    ]
    exported = read_events(events.export_calendar(db, ids[::-1], tmp_path / "all.ics"))
    assert [str(v["summary"]) for v in exported] == ["June", "May", "April"]


def test_control_characters_do_not_reach_the_file() -> None:
    data = calendar_bytes([CalendarEntry(uid="u1", title="Bad\x00\x07 title", starts_at=START)])
    assert b"\x00" not in data and b"\x07" not in data
    (vevent,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert str(vevent["summary"]) == "Bad title"


def test_naive_times_are_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    naive = CalendarEntry(uid="u", title="t", starts_at=datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="aware"):
        write_calendar([naive], out / "x.ics")
    assert list(out.iterdir()) == []  # no half-written file left behind
