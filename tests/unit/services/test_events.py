"""Events: what the secretary creates, copies and cancels, and the lists that show them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from desktop_app.db import Database
from desktop_app.models import Campaign, Event, EventKind, SignInSource, utcnow
from desktop_app.services import events, roster, signin
from desktop_app.services.events import EventError, EventInput
from desktop_app.services.roster import PersonInput

NOW = datetime(2026, 3, 10, 18, 0, tzinfo=UTC)


def meeting(**values: Any) -> EventInput:
    base: dict[str, Any] = {
        "title": "Monthly meeting",
        "starts_at": NOW,
        "ends_at": NOW + timedelta(hours=2),
        "place": "Library, room 2",
        "description": "Write for Rights planning",
        "expected_attendance": 12,
    }
    base.update(values)
    return EventInput(**base)


def event_count(db: Database) -> int:
    with db.read_session() as session:
        return session.scalar(select(func.count()).select_from(Event)) or 0


def test_created_event_reads_back_as_typed(db: Database) -> None:
    created = events.create_event(db, meeting(title="  Monthly meeting  ", kind=EventKind.VIGIL))
    detail = events.get_event(db, created.id)
    assert detail.data == meeting(kind=EventKind.VIGIL)
    assert detail.data.starts_at.tzinfo is not None
    assert not detail.cancelled and detail.attendance == 0 and detail.uid


def test_times_in_another_zone_are_the_same_moment(db: Database) -> None:
    from zoneinfo import ZoneInfo

    local = NOW.astimezone(ZoneInfo("America/New_York"))
    created = events.create_event(db, meeting(starts_at=local, ends_at=None))
    assert events.get_event(db, created.id).data.starts_at == NOW


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"title": "   "}, "Title"),
        ({"title": "x" * 301}, "Title"),
        ({"ends_at": NOW}, "Ends"),
        ({"ends_at": NOW - timedelta(minutes=1)}, "Ends"),
        ({"expected_attendance": -1}, "Expected attendance"),
        ({"starts_at": datetime(2026, 3, 10, 18, 0)}, "Starts"),  # no time zone
        ({"place": "x" * 501}, "Place"),
        ({"campaign_id": 999}, "Campaign"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    db: Database, values: dict[str, Any], field: str
) -> None:
    with pytest.raises(EventError, match=f"^{field}"):
        events.create_event(db, meeting(**values))
    assert event_count(db) == 0


def test_zero_expected_attendance_is_fine(db: Database) -> None:
    created = events.create_event(db, meeting(expected_attendance=0))
    assert created.data.expected_attendance == 0


def test_campaign_is_named_on_the_event(db: Database) -> None:
    with db.session() as session:
        campaign = Campaign(name="Write for Rights", year=2026)
        session.add(campaign)
        session.flush()
        campaign_id = campaign.id
    created = events.create_event(db, meeting(campaign_id=campaign_id))
    assert created.campaign_name == "Write for Rights"
    assert [c.name for c in events.campaign_choices(db)] == ["Write for Rights"]


def test_update_changes_details_and_keeps_sign_ins(db: Database) -> None:
    created = events.create_event(db, meeting())
    ana = roster.create_person(db, PersonInput(given_name="Ana")).person_id
    signin.sign_in(db, created.id, ana)

    events.update_event(db, created.id, meeting(title="March meeting", place="Café"))

    detail = events.get_event(db, created.id)
    assert (detail.data.title, detail.data.place, detail.attendance) == ("March meeting", "Café", 1)
    with pytest.raises(EventError, match=r"^Title"):
        events.update_event(db, created.id, meeting(title=""))
    assert events.get_event(db, created.id).data.title == "March meeting"


def test_copy_keeps_details_and_length_on_a_new_date(db: Database) -> None:
    original = events.create_event(db, meeting())
    ana = roster.create_person(db, PersonInput(given_name="Ana")).person_id
    signin.sign_in(db, original.id, ana)
    events.cancel_event(db, original.id)
    next_month = NOW + timedelta(days=28)

    copy = events.copy_event(db, original.id, next_month)

    assert copy.id != original.id and copy.uid != original.uid
    assert copy.data == meeting(starts_at=next_month, ends_at=next_month + timedelta(hours=2))
    assert (copy.attendance, copy.cancelled) == (0, False)


def test_cancel_and_restore(db: Database) -> None:
    created = events.create_event(db, meeting())
    assert events.cancel_event(db, created.id).cancelled
    (row,) = events.list_upcoming(db, NOW - timedelta(days=1))
    assert row.cancelled  # still listed, marked
    assert not events.restore_event(db, created.id).cancelled
    assert not events.get_event(db, created.id).cancelled
    with pytest.raises(EventError, match="No event"):
        events.cancel_event(db, 12345)


def test_upcoming_and_past_lists(db: Database) -> None:
    def at(days: float, title: str, hours: float | None = 2) -> int:
        start = NOW + timedelta(days=days)
        end = start + timedelta(hours=hours) if hours is not None else None
        return events.create_event(db, meeting(title=title, starts_at=start, ends_at=end)).id

    at(-30, "Last month")
    at(-7, "Last week")
    at(7, "Next week")
    at(1, "Tomorrow")
    at(-1 / 24, "Going on now", hours=None)  # no end: counts as on for two hours
    at(-3 / 24, "Ended an hour ago", hours=2)

    upcoming = [row.title for row in events.list_upcoming(db, NOW)]
    past = [row.title for row in events.list_past(db, NOW)]

    assert upcoming == ["Going on now", "Tomorrow", "Next week"]
    assert past == ["Ended an hour ago", "Last week", "Last month"]
    assert [row.title for row in events.list_past(db, NOW, limit=1)] == ["Ended an hour ago"]
    with pytest.raises(EventError):
        events.list_upcoming(db, datetime(2026, 1, 1))


def test_attendance_marks_first_timers_and_how_they_came(db: Database) -> None:
    earlier = events.create_event(db, meeting(starts_at=NOW - timedelta(days=30), ends_at=None))
    now_event = events.create_event(db, meeting(starts_at=utcnow(), ends_at=None))
    ana = roster.create_person(db, PersonInput(given_name="Ana", family_name="Zed")).person_id
    signin.sign_in(db, earlier.id, ana)
    signin.sign_in(db, now_event.id, ana)
    signin.add_newcomer_and_sign_in(
        db, now_event.id, PersonInput(given_name="Bo", family_name="Abe"), source=SignInSource.PAPER
    )

    rows = events.attendance(db, now_event.id)

    assert [(r.display_name, r.first_time, r.source) for r in rows] == [
        ("Bo Abe", True, SignInSource.PAPER),
        ("Ana Zed", False, SignInSource.MEETING),
    ]
    assert all(r.signed_in_at.tzinfo is not None for r in rows)
    assert events.attendance_count(db, now_event.id) == 2
    # An event with no end time is "past" once it is surely over, not lost from both lists.
    listed = {r.id: r for r in events.list_past(db, utcnow() + timedelta(days=1))}
    assert (listed[now_event.id].attendance, listed[now_event.id].first_timers) == (2, 1)
