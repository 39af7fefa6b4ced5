"""Follow-ups: after an event, someone gets back to each new person (a call, a coffee,
a one-to-one, a welcome email) by a due date, and records how it went.

States, as the Follow-ups view filters them (``today`` is the local date):

- open: not done yet (with or without a due date);
- due: open and due today;
- overdue: open and due before today;
- done: marked done, with its outcome.

People marked do-not-contact, in the trash or erased get no new follow-up tasks.
Every function is one unit of work and returns frozen dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from sqlalchemy import ColumnElement, and_, exists, select
from sqlalchemy.orm import Session, aliased

from desktop_app.db import Database
from desktop_app.models import Event, FollowUp, FollowUpKind, Person, SignIn, utcnow
from desktop_app.text import display_name

FollowUpState = Literal["open", "due", "overdue", "done", "all"]
STATES: tuple[FollowUpState, ...] = ("open", "due", "overdue", "done", "all")
DEFAULT_DUE_DAYS = 2
MAX_DUE_DAYS = 365

FOLLOWUP_KIND_LABELS: dict[FollowUpKind, str] = {
    FollowUpKind.CALL: "Call",
    FollowUpKind.COFFEE: "Coffee",
    FollowUpKind.ONE_TO_ONE: "One-to-one",
    FollowUpKind.WELCOME_EMAIL: "Welcome email",
}


class FollowUpError(ValueError):
    """A follow-up change that cannot be made; str() names the field and the problem."""


@dataclass(frozen=True)
class FollowUpRow:
    """One follow-up task as the Follow-ups view lists it."""

    id: int
    person_id: int
    person_name: str
    event_id: int | None
    event_title: str
    assigned_to_id: int | None
    assigned_to_name: str
    kind: FollowUpKind
    due_on: date | None
    done_at: datetime | None
    outcome: str
    created_at: datetime

    def state(self, today: date) -> Literal["open", "due", "overdue", "done"]:
        """Where this task stands on ``today`` (the most specific of the states)."""
        if self.done_at is not None:
            return "done"
        if self.due_on is not None and self.due_on < today:
            return "overdue"
        if self.due_on == today:
            return "due"
        return "open"


def followup_pending_condition() -> ColumnElement[bool]:
    """SQL for "new and not followed up", correlated with the people table.

    True for a person who signed in for the first time somewhere, has no completed
    follow-up, and may be contacted. services.roster's filter uses it too.
    """
    return and_(
        exists().where(SignIn.person_id == Person.id, SignIn.first_time.is_(True)),
        ~exists().where(FollowUp.person_id == Person.id, FollowUp.done_at.is_not(None)),
        Person.do_not_contact.is_(False),
    )


def _state_condition(state: FollowUpState, today: date) -> ColumnElement[bool] | None:
    open_ = FollowUp.done_at.is_(None)
    conditions: dict[str, ColumnElement[bool] | None] = {
        "open": open_,
        "due": and_(open_, FollowUp.due_on == today),
        "overdue": and_(open_, FollowUp.due_on < today),
        "done": FollowUp.done_at.is_not(None),
        "all": None,
    }
    if state not in conditions:
        raise FollowUpError(f"State: one of {', '.join(STATES)}, not {state!r}.")
    return conditions[state]


def _rows(session: Session, *conditions: ColumnElement[bool]) -> list[FollowUpRow]:
    person = aliased(Person)
    assignee = aliased(Person)
    query = (
        select(
            FollowUp,
            person.given_name,
            person.preferred_name,
            person.family_name,
            Event.title,
            assignee.given_name,
            assignee.preferred_name,
            assignee.family_name,
        )
        .join(person, person.id == FollowUp.person_id)
        .outerjoin(Event, Event.id == FollowUp.event_id)
        .outerjoin(assignee, assignee.id == FollowUp.assigned_to_id)
        .where(*conditions)
        # Open ones by due date (undated last), then the most recently done.
        .order_by(
            FollowUp.done_at.is_not(None),
            FollowUp.due_on.is_(None),
            FollowUp.due_on,
            FollowUp.done_at.desc(),
            person.sort_key,
            FollowUp.id,
        )
    )
    rows = []
    for task, given, preferred, family, title, a_given, a_preferred, a_family in session.execute(
        query
    ):
        rows.append(
            FollowUpRow(
                id=task.id,
                person_id=task.person_id,
                person_name=display_name(given, family, preferred),
                event_id=task.event_id,
                event_title=title or "",
                assigned_to_id=task.assigned_to_id,
                assigned_to_name=display_name(a_given, a_family, a_preferred),
                kind=task.kind,
                due_on=task.due_on,
                done_at=task.done_at,
                outcome=task.outcome,
                created_at=task.created_at,
            )
        )
    return rows


def _check_assignee(session: Session, person_id: int | None) -> None:
    if person_id is None:
        return
    person = session.get(Person, person_id)
    if person is None or person.erased_at is not None:
        raise FollowUpError("Assigned to: that person is not on the roster.")
    if person.removed_at is not None:
        raise FollowUpError(f"Assigned to: {person.display_name} is in the trash.")


def create_followups_for_new_people(
    db: Database,
    event_id: int,
    assigned_to_id: int | None = None,
    due_days: int = DEFAULT_DUE_DAYS,
    kind: FollowUpKind = FollowUpKind.CALL,
    *,
    today: date | None = None,
) -> int:
    """One open task for each first-timer at the event; returns how many were made.

    Skipped: people who already have an open follow-up (from any event), or any
    follow-up from this event (so running it twice, or after finishing the tasks,
    makes no more), and people who may not be contacted. Due ``due_days`` after today.
    """
    if isinstance(due_days, bool) or not 0 <= due_days <= MAX_DUE_DAYS:
        raise FollowUpError(f"Due in: between 0 and {MAX_DUE_DAYS} days.")
    kind = FollowUpKind(kind)
    due_on = (today or date.today()) + timedelta(days=due_days)
    with db.session() as session:
        if session.get(Event, event_id) is None:
            raise FollowUpError(f"No event with id {event_id}.")
        _check_assignee(session, assigned_to_id)
        people = session.scalars(
            select(SignIn.person_id)
            .join(Person, Person.id == SignIn.person_id)
            .where(
                SignIn.event_id == event_id,
                SignIn.first_time.is_(True),
                Person.removed_at.is_(None),
                Person.erased_at.is_(None),
                Person.do_not_contact.is_(False),
                ~exists().where(FollowUp.person_id == Person.id, FollowUp.done_at.is_(None)),
                ~exists().where(FollowUp.person_id == Person.id, FollowUp.event_id == event_id),
            )
            .order_by(Person.sort_key, Person.id)
        ).all()
        for person_id in people:
            session.add(
                FollowUp(
                    person_id=person_id,
                    event_id=event_id,
                    assigned_to_id=assigned_to_id,
                    kind=kind,
                    due_on=due_on,
                )
            )
        return len(people)


def list_followups(
    db: Database, state: FollowUpState = "open", today: date | None = None
) -> list[FollowUpRow]:
    """Follow-ups in a state (see the module's docstring), soonest due first."""
    condition = _state_condition(state, today or date.today())
    with db.read_session() as session:
        return _rows(session, *(() if condition is None else (condition,)))


def get_followup(db: Database, followup_id: int) -> FollowUpRow:
    with db.read_session() as session:
        return _one(session, followup_id)


def _one(session: Session, followup_id: int) -> FollowUpRow:
    rows = _rows(session, FollowUp.id == followup_id)
    if not rows:
        raise FollowUpError(f"No follow-up with id {followup_id}.")
    return rows[0]


def _load(session: Session, followup_id: int) -> FollowUp:
    task = session.get(FollowUp, followup_id)
    if task is None:
        raise FollowUpError(f"No follow-up with id {followup_id}.")
    return task


def assign(db: Database, followup_id: int, person_id: int | None) -> FollowUpRow:
    """Give the task to a member (None: to nobody)."""
    with db.session() as session:
        task = _load(session, followup_id)
        _check_assignee(session, person_id)
        task.assigned_to_id = person_id
        session.flush()
        return _one(session, followup_id)


def set_due(db: Database, followup_id: int, due_on: date | None) -> FollowUpRow:
    """Change the due date (None: no date)."""
    with db.session() as session:
        task = _load(session, followup_id)
        task.due_on = due_on
        session.flush()
        return _one(session, followup_id)


def set_kind(db: Database, followup_id: int, kind: FollowUpKind) -> FollowUpRow:
    """A call, a coffee, a one-to-one or a welcome email."""
    with db.session() as session:
        task = _load(session, followup_id)
        task.kind = FollowUpKind(kind)
        session.flush()
        return _one(session, followup_id)


def complete(db: Database, followup_id: int, outcome: str) -> FollowUpRow:
    """Mark the task done with how it went. Done again, only the outcome changes."""
    with db.session() as session:
        task = _load(session, followup_id)
        if task.done_at is None:
            task.done_at = utcnow()
        task.outcome = outcome.strip()
        session.flush()
        return _one(session, followup_id)


def reopen(db: Database, followup_id: int) -> FollowUpRow:
    """Undo "done"; the outcome written so far is kept."""
    with db.session() as session:
        task = _load(session, followup_id)
        task.done_at = None
        session.flush()
        return _one(session, followup_id)


def new_and_not_followed_up_ids(db: Database) -> frozenset[int]:
    """People on the roster (not in the trash) who signed in for the first time and have
    no completed follow-up; do-not-contact people are left out (no one may follow up)."""
    with db.read_session() as session:
        return frozenset(
            session.scalars(
                select(Person.id).where(Person.removed_at.is_(None), followup_pending_condition())
            )
        )


__all__ = [
    "DEFAULT_DUE_DAYS",
    "FOLLOWUP_KIND_LABELS",
    "STATES",
    "FollowUpError",
    "FollowUpRow",
    "FollowUpState",
    "assign",
    "complete",
    "create_followups_for_new_people",
    "followup_pending_condition",
    "get_followup",
    "list_followups",
    "new_and_not_followed_up_ids",
    "reopen",
    "set_due",
    "set_kind",
]
