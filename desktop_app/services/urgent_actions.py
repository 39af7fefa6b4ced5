"""Urgent actions: the cases a group writes letters for, their addressees, the letter
template, and the letters written (for the group's counts).

Every function is one unit of work and returns frozen dataclasses, never live ORM
objects; bad input raises UrgentActionError with a sentence naming the field (an
addressee by its position), and saves nothing. A case is closed, never deleted, so
the letters counted against it stay counted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from desktop_app.db import Database
from desktop_app.models import (
    Campaign,
    Event,
    LetterWritten,
    Person,
    UAAddressee,
    UrgentAction,
    UrgentActionStatus,
)
from desktop_app.printing.data import Addressee
from desktop_app.printing.templates import DEFAULT_LETTER_TEMPLATE, check_template

MAX_NUMBER = 40
MAX_TITLE = 300
MAX_COUNTRY = 120
MAX_ISSUE = 300
MAX_NAME = 300
MAX_LANGUAGE = 40
MAX_ADDRESSEES = 100
MAX_LETTERS_PER_WRITER = 1000

_OLD_STYLE = re.compile(r"^(?:ua)?\s*[-:.]?\s*(\d{1,4})\s*/\s*(\d{2}|\d{4})$", re.IGNORECASE)
_NEW_STYLE = re.compile(r"^(?:ua)?\s*[-:]?\s*(\d{1,4})\s*\.\s*(\d{2})$", re.IGNORECASE)


class UrgentActionError(ValueError):
    """A case that cannot be saved or found; str() names the field and the problem."""


# The dialog edits the same addressee the letters print: one dataclass for both.
AddresseeInput = Addressee


@dataclass(frozen=True)
class UrgentActionInput:
    """What the urgent action dialog edits. An empty template means the default letter."""

    title: str
    number: str = ""
    country: str = ""
    persons_at_risk: str = ""
    issue: str = ""
    issued_on: date | None = None
    deadline: date | None = None
    status: UrgentActionStatus = UrgentActionStatus.OPEN
    template: str = ""
    notes: str = ""
    campaign_id: int | None = None
    addressees: tuple[AddresseeInput, ...] = ()

    @property
    def heading(self) -> str:
        """The number and the title, as the case is named in headings ("UA 12/26 Title")."""
        return " ".join(part for part in (self.number, self.title) if part)


@dataclass(frozen=True)
class UrgentActionRow:
    """One line of the Urgent Actions list."""

    id: int
    uid: str
    number: str
    title: str
    country: str
    persons_at_risk: str
    deadline: date | None
    status: UrgentActionStatus
    officials: int
    copies: int
    letters_written: int


@dataclass(frozen=True)
class UrgentActionDetail:
    id: int
    uid: str
    data: UrgentActionInput
    letters_written: int
    campaign_name: str
    created_at: datetime
    updated_at: datetime

    @property
    def letter_template(self) -> str:
        """The template letters are printed from: the case's own, or the default."""
        return self.data.template if self.data.template.strip() else DEFAULT_LETTER_TEMPLATE


@dataclass(frozen=True)
class WriterTally:
    """How many letters one writer has written on a case."""

    writer_id: int | None
    name: str
    letters: int


# --- checking ---------------------------------------------------------------------------


def normalise_number(text: str) -> str:
    """ "ua229/10" -> "UA 229/10", " 27.22 " -> "27.22"; other forms kept as typed (trimmed)."""
    value = " ".join(text.split())
    if not value:
        return ""
    old = _OLD_STYLE.match(value)
    if old:
        return f"UA {int(old.group(1))}/{old.group(2)}"
    new = _NEW_STYLE.match(value)
    if new:
        return f"{int(new.group(1))}.{new.group(2)}"
    return value


def _limit(label: str, value: str, limit: int) -> str:
    value = value.strip()
    if len(value) > limit:
        raise UrgentActionError(f"{label}: at most {limit} characters.")
    return value


def check_urgent_action(data: UrgentActionInput) -> UrgentActionInput:
    """The input trimmed and normalised; raises UrgentActionError naming the first bad field."""
    title = _limit("Title", data.title, MAX_TITLE)
    if not title:
        raise UrgentActionError("Title: please give the case a title.")
    number = normalise_number(data.number)
    if len(number) > MAX_NUMBER:
        raise UrgentActionError(f"Number: at most {MAX_NUMBER} characters.")
    if data.issued_on is not None and data.deadline is not None and data.deadline < data.issued_on:
        raise UrgentActionError("Deadline: it is before the day the action was issued.")
    try:
        status = UrgentActionStatus(data.status)
    except ValueError:
        raise UrgentActionError(f"Status: {data.status!r} is not open or closed.") from None
    template = data.template.replace("\r\n", "\n")
    if template.strip():
        try:
            check_template(template)
        except ValueError as exc:
            raise UrgentActionError(str(exc)) from None
    else:
        template = ""
    if len(data.addressees) > MAX_ADDRESSEES:
        raise UrgentActionError(f"Addressees: at most {MAX_ADDRESSEES}.")
    addressees = []
    for position, addressee in enumerate(data.addressees, start=1):
        label = f"Addressee {position}"
        name = _limit(f"{label}, name", addressee.name, MAX_NAME)
        if not name:
            raise UrgentActionError(f"{label}: please give the name (or remove the line).")
        addressees.append(
            AddresseeInput(
                name=name,
                title=_limit(f"{label}, title", addressee.title, MAX_NAME),
                address="\n".join(
                    line.strip() for line in addressee.address.splitlines() if line.strip()
                ),
                salutation=_limit(f"{label}, salutation", addressee.salutation, MAX_NAME),
                language=_limit(f"{label}, language", addressee.language, MAX_LANGUAGE).lower(),
                is_copy=bool(addressee.is_copy),
                id=addressee.id,
            )
        )
    return replace(
        data,
        title=title,
        number=number,
        country=_limit("Country", data.country, MAX_COUNTRY),
        persons_at_risk=data.persons_at_risk.strip(),
        issue=_limit("Issue", data.issue, MAX_ISSUE),
        status=status,
        template=template,
        addressees=tuple(addressees),
    )


# --- reading ----------------------------------------------------------------------------


def _load(session: Session, ua_id: int) -> UrgentAction:
    action = session.get(UrgentAction, ua_id)
    if action is None:
        raise UrgentActionError(f"No urgent action with id {ua_id}.")
    return action


def _letters(session: Session, ua_id: int) -> int:
    total = session.scalar(
        select(func.coalesce(func.sum(LetterWritten.count), 0)).where(
            LetterWritten.urgent_action_id == ua_id
        )
    )
    return int(total or 0)


def _detail(session: Session, action: UrgentAction) -> UrgentActionDetail:
    campaign_name = ""
    if action.campaign_id is not None:
        campaign_name = (
            session.scalar(select(Campaign.name).where(Campaign.id == action.campaign_id)) or ""
        )
    data = UrgentActionInput(
        title=action.title,
        number=action.number,
        country=action.country,
        persons_at_risk=action.persons_at_risk,
        issue=action.issue,
        issued_on=action.issued_on,
        deadline=action.deadline,
        status=action.status,
        template=action.template,
        notes=action.notes,
        campaign_id=action.campaign_id,
        addressees=tuple(
            AddresseeInput(
                name=addressee.name,
                title=addressee.title,
                address=addressee.address,
                salutation=addressee.salutation,
                language=addressee.language,
                is_copy=addressee.is_copy,
                id=addressee.id,
            )
            for addressee in action.addressees
        ),
    )
    return UrgentActionDetail(
        id=action.id,
        uid=action.uid,
        data=data,
        letters_written=_letters(session, action.id),
        campaign_name=campaign_name,
        created_at=action.created_at,
        updated_at=action.updated_at,
    )


def get_urgent_action(db: Database, ua_id: int) -> UrgentActionDetail:
    with db.read_session() as session:
        return _detail(session, _load(session, ua_id))


def list_urgent_actions(
    db: Database, status: UrgentActionStatus | None = None
) -> list[UrgentActionRow]:
    """Cases with their counts: open first, soonest deadline first (none last), then closed."""
    letters = (
        select(
            LetterWritten.urgent_action_id.label("ua_id"),
            func.sum(LetterWritten.count).label("letters"),
        )
        .group_by(LetterWritten.urgent_action_id)
        .subquery()
    )
    people = (
        select(
            UAAddressee.urgent_action_id.label("ua_id"),
            func.sum(case((UAAddressee.is_copy, 0), else_=1)).label("officials"),
            func.sum(case((UAAddressee.is_copy, 1), else_=0)).label("copies"),
        )
        .group_by(UAAddressee.urgent_action_id)
        .subquery()
    )
    query = (
        select(
            UrgentAction,
            func.coalesce(letters.c.letters, 0),
            func.coalesce(people.c.officials, 0),
            func.coalesce(people.c.copies, 0),
        )
        .outerjoin(letters, letters.c.ua_id == UrgentAction.id)
        .outerjoin(people, people.c.ua_id == UrgentAction.id)
        .order_by(
            case((UrgentAction.status == UrgentActionStatus.OPEN, 0), else_=1),
            UrgentAction.deadline.is_(None),
            UrgentAction.deadline,
            UrgentAction.id.desc(),
        )
    )
    if status is not None:
        query = query.where(UrgentAction.status == status)
    with db.read_session() as session:
        return [
            UrgentActionRow(
                id=action.id,
                uid=action.uid,
                number=action.number,
                title=action.title,
                country=action.country,
                persons_at_risk=action.persons_at_risk,
                deadline=action.deadline,
                status=action.status,
                officials=int(officials),
                copies=int(copies),
                letters_written=int(written),
            )
            for action, written, officials, copies in session.execute(query)
        ]


def writer_tallies(db: Database, ua_id: int) -> list[WriterTally]:
    """Letters written on a case, per writer, most first."""
    total = func.sum(LetterWritten.count)
    with db.read_session() as session:
        _load(session, ua_id)
        rows = session.execute(
            select(LetterWritten.writer_id, Person, total)
            .outerjoin(Person, Person.id == LetterWritten.writer_id)
            .where(LetterWritten.urgent_action_id == ua_id)
            .group_by(LetterWritten.writer_id, Person.id)
            .order_by(total.desc(), Person.sort_key)
        ).all()
        return [
            WriterTally(
                writer_id=writer_id,
                name=person.display_name if person is not None else "(writer no longer listed)",
                letters=int(letters),
            )
            for writer_id, person, letters in rows
        ]


# --- changing ---------------------------------------------------------------------------


def _check_campaign(session: Session, campaign_id: int | None) -> None:
    if campaign_id is not None and session.get(Campaign, campaign_id) is None:
        raise UrgentActionError("Campaign: that campaign no longer exists; choose another.")


def _apply(session: Session, action: UrgentAction, data: UrgentActionInput) -> None:
    action.title = data.title
    action.number = data.number
    action.country = data.country
    action.persons_at_risk = data.persons_at_risk
    action.issue = data.issue
    action.issued_on = data.issued_on
    action.deadline = data.deadline
    action.status = data.status
    action.template = data.template
    action.notes = data.notes
    action.campaign_id = data.campaign_id
    existing = {addressee.id: addressee for addressee in action.addressees}
    kept: list[UAAddressee] = []
    for order, given in enumerate(data.addressees):
        row = existing.get(given.id) if given.id is not None else None
        if given.id is not None and row is None:
            raise UrgentActionError(
                f"Addressee {order + 1}: it belongs to another case or was removed; "
                "add it again as a new line."
            )
        if row is None:
            row = UAAddressee(name=given.name)
        row.name = given.name
        row.title = given.title
        row.address = given.address
        row.salutation = given.salutation
        row.language = given.language
        row.is_copy = given.is_copy
        row.sort_order = order
        kept.append(row)
    # Addressees left out are deleted; letters recorded against them keep their count
    # (the database sets their addressee to NULL).
    action.addressees = kept


def create_urgent_action(db: Database, data: UrgentActionInput) -> UrgentActionDetail:
    """Add a case with its addressees; raises UrgentActionError and saves nothing on bad input."""
    checked = check_urgent_action(data)
    if any(addressee.id is not None for addressee in checked.addressees):
        checked = replace(
            checked,
            addressees=tuple(replace(addressee, id=None) for addressee in checked.addressees),
        )
    with db.session() as session:
        _check_campaign(session, checked.campaign_id)
        action = UrgentAction(title=checked.title)
        session.add(action)
        _apply(session, action, checked)
        session.flush()
        return _detail(session, action)


def update_urgent_action(db: Database, ua_id: int, data: UrgentActionInput) -> UrgentActionDetail:
    """Change a case; addressees keep their ids (and recorded letters) where given."""
    checked = check_urgent_action(data)
    with db.session() as session:
        action = _load(session, ua_id)
        _check_campaign(session, checked.campaign_id)
        _apply(session, action, checked)
        session.flush()
        session.expire(action, ["addressees"])
        return _detail(session, action)


def set_status(db: Database, ua_id: int, status: UrgentActionStatus) -> UrgentActionDetail:
    """Close a case (its letters stay counted) or open it again."""
    with db.session() as session:
        action = _load(session, ua_id)
        action.status = UrgentActionStatus(status)
        session.flush()
        return _detail(session, action)


def record_letters_written(
    db: Database,
    ua_id: int,
    writer_ids: Sequence[int],
    count_per_writer: int,
    *,
    written_on: date | None = None,
    event_id: int | None = None,
) -> int:
    """Record that each writer wrote count_per_writer letters on the case (one row each).

    event_id ties them to a letter-writing night. Returns the letters recorded.
    Recording twice counts twice: call it once, after the letters went out.
    """
    if isinstance(count_per_writer, bool) or not 1 <= count_per_writer <= MAX_LETTERS_PER_WRITER:
        raise UrgentActionError(
            f"Letters per writer: a whole number from 1 to {MAX_LETTERS_PER_WRITER}."
        )
    writers = list(dict.fromkeys(writer_ids))
    if not writers:
        raise UrgentActionError("Writers: choose at least one person who wrote letters.")
    day = written_on or date.today()
    with db.session() as session:
        _load(session, ua_id)
        found = set(session.scalars(select(Person.id).where(Person.id.in_(writers))))
        missing = [writer for writer in writers if writer not in found]
        if missing:
            raise UrgentActionError(f"Writers: nobody with id {missing[0]} is on the roster.")
        if event_id is not None and session.get(Event, event_id) is None:
            raise UrgentActionError(f"Event: no event with id {event_id}.")
        session.add_all(
            LetterWritten(
                urgent_action_id=ua_id,
                writer_id=writer,
                event_id=event_id,
                written_on=day,
                count=count_per_writer,
            )
            for writer in writers
        )
    return len(writers) * count_per_writer


__all__ = [
    "AddresseeInput",
    "UrgentActionDetail",
    "UrgentActionError",
    "UrgentActionInput",
    "UrgentActionRow",
    "WriterTally",
    "check_urgent_action",
    "create_urgent_action",
    "get_urgent_action",
    "list_urgent_actions",
    "normalise_number",
    "record_letters_written",
    "set_status",
    "update_urgent_action",
    "writer_tallies",
]
