"""Follow-ups with new people, and the roster's "new and not followed up" filter."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from desktop_app.db import Database
from desktop_app.models import FollowUp, FollowUpKind, utcnow
from desktop_app.services import events, followups, roster, signin
from desktop_app.services.followups import FollowUpError
from desktop_app.services.roster import PersonInput, RosterFilter

TODAY = date(2026, 3, 10)


def add(db: Database, **values: Any) -> int:
    return roster.create_person(db, PersonInput(**values)).person_id


def make_event(db: Database, title: str = "Meeting", days_ago: int = 0) -> int:
    starts = utcnow() - timedelta(days=days_ago)
    return events.create_event(db, events.EventInput(title=title, starts_at=starts)).id


def tasks(db: Database) -> list[FollowUp]:
    with db.read_session() as session:
        rows = list(session.scalars(select(FollowUp).order_by(FollowUp.id)))
        session.expunge_all()
        return rows


@pytest.fixture
def meeting(db: Database) -> dict[str, int]:
    """A meeting with two first-timers (Noor, Bo) and a returning member (Ana)."""
    earlier, event_id = make_event(db, "February", days_ago=30), make_event(db, "March")
    ids = {
        "event": event_id,
        "ana": add(db, given_name="Ana", family_name="Lopez"),
        "noor": add(db, given_name="Noor", family_name="Haddad"),
        "bo": add(db, given_name="Bo", family_name="Kim"),
        "sam": add(db, given_name="Sam", family_name="Secretary"),
    }
    signin.sign_in(db, earlier, ids["ana"])
    for name in ("ana", "noor", "bo"):
        signin.sign_in(db, event_id, ids[name])
    return ids


def test_first_timers_become_open_tasks_due_in_two_days(
    db: Database, meeting: dict[str, int]
) -> None:
    made = followups.create_followups_for_new_people(
        db, meeting["event"], assigned_to_id=meeting["sam"], today=TODAY
    )
    assert made == 2
    rows = followups.list_followups(db, "open", TODAY)
    assert sorted(r.person_name for r in rows) == ["Bo Kim", "Noor Haddad"]
    assert {(r.event_title, r.assigned_to_name, r.kind, r.due_on) for r in rows} == {
        ("March", "Sam Secretary", FollowUpKind.CALL, TODAY + timedelta(days=2))
    }


def test_making_tasks_twice_makes_no_more(db: Database, meeting: dict[str, int]) -> None:
    followups.create_followups_for_new_people(db, meeting["event"], today=TODAY)
    assert followups.create_followups_for_new_people(db, meeting["event"], today=TODAY) == 0
    for row in followups.list_followups(db, "open", TODAY):
        followups.complete(db, row.id, "Came to coffee")
    # Done tasks do not come back either.
    assert followups.create_followups_for_new_people(db, meeting["event"], today=TODAY) == 0
    assert len(tasks(db)) == 2


def test_no_task_for_someone_with_one_open_or_who_may_not_be_contacted(
    db: Database, meeting: dict[str, int]
) -> None:
    other = make_event(db, "Vigil", days_ago=60)
    lin = add(db, given_name="Lin")
    signin.sign_in(db, other, lin)
    followups.create_followups_for_new_people(db, other, today=TODAY)
    signin.sign_in(db, meeting["event"], lin)  # not first-time here, but open task anyway
    with db.session() as session:
        from desktop_app.models import Person

        found = session.get(Person, meeting["bo"])
        assert found is not None
        found.do_not_contact = True

    made = followups.create_followups_for_new_people(
        db, meeting["event"], due_days=7, kind=FollowUpKind.COFFEE, today=TODAY
    )

    assert made == 1
    (new,) = [t for t in tasks(db) if t.event_id == meeting["event"]]
    assert (new.person_id, new.kind, new.due_on) == (
        meeting["noor"],
        FollowUpKind.COFFEE,
        TODAY + timedelta(days=7),
    )


def test_states_open_due_overdue_done(db: Database, meeting: dict[str, int]) -> None:
    followups.create_followups_for_new_people(db, meeting["event"], due_days=0, today=TODAY)
    noor, bo = sorted(followups.list_followups(db, "all", TODAY), key=lambda r: r.person_name)[::-1]
    assert noor.person_name == "Noor Haddad"
    followups.set_due(db, bo.id, TODAY - timedelta(days=1))

    def names(state: followups.FollowUpState) -> list[str]:
        return [r.person_name for r in followups.list_followups(db, state, TODAY)]

    assert names("due") == ["Noor Haddad"]
    assert names("overdue") == ["Bo Kim"]
    assert names("open") == ["Bo Kim", "Noor Haddad"]  # soonest due first
    done = followups.complete(db, noor.id, "  Called; coming to the next meeting ")
    assert done.done_at is not None and done.outcome == "Called; coming to the next meeting"
    assert done.state(TODAY) == "done"
    assert names("done") == ["Noor Haddad"] and names("due") == []
    assert len(names("all")) == 2
    with pytest.raises(FollowUpError, match="State"):
        followups.list_followups(db, "later", TODAY)  # type: ignore[arg-type]


def test_assign_kind_due_and_reopen(db: Database, meeting: dict[str, int]) -> None:
    followups.create_followups_for_new_people(db, meeting["event"], today=TODAY)
    task = followups.list_followups(db, "open", TODAY)[0]

    assert followups.assign(db, task.id, meeting["ana"]).assigned_to_name == "Ana Lopez"
    assert followups.set_kind(db, task.id, FollowUpKind.ONE_TO_ONE).kind == FollowUpKind.ONE_TO_ONE
    assert followups.set_due(db, task.id, None).due_on is None
    followups.complete(db, task.id, "Met")
    reopened = followups.reopen(db, task.id)
    assert reopened.done_at is None and reopened.outcome == "Met"
    assert followups.assign(db, task.id, None).assigned_to_id is None

    roster.remove_people(db, [meeting["ana"]])
    with pytest.raises(FollowUpError, match="trash"):
        followups.assign(db, task.id, meeting["ana"])
    with pytest.raises(FollowUpError, match="No follow-up"):
        followups.complete(db, 999, "x")


def test_new_and_not_followed_up(db: Database, meeting: dict[str, int]) -> None:
    expected = {meeting["ana"], meeting["noor"], meeting["bo"]}  # Ana's first was in February
    assert followups.new_and_not_followed_up_ids(db) == expected
    assert set(roster.search_person_ids(db, flt=RosterFilter(followup_pending=True))) == expected
    assert roster.roster_summary(db, flt=RosterFilter(followup_pending=True)) == 3

    followups.create_followups_for_new_people(db, meeting["event"], today=TODAY)
    still = followups.new_and_not_followed_up_ids(db)
    assert still == expected  # an open task is not a follow-up done

    noor_task = next(
        r for r in followups.list_followups(db, "open", TODAY) if r.person_id == meeting["noor"]
    )
    followups.complete(db, noor_task.id, "Welcome call")
    assert followups.new_and_not_followed_up_ids(db) == expected - {meeting["noor"]}
    assert set(roster.search_person_ids(db, flt=RosterFilter(followup_pending=True))) == (
        expected - {meeting["noor"]}
    )
    # Combined with text search and other filters as usual.
    assert roster.search_person_ids(db, "kim", RosterFilter(followup_pending=True)) == [
        meeting["bo"]
    ]
    # The default filter is unchanged.
    assert len(roster.search_person_ids(db)) == 4
