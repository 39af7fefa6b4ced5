"""Signing people in at events: the secretary's tick list, the tabling kiosk, and
typing up a paper sheet afterwards.

Three ways in, one set of rules:

- **first_time** on a sign-in means the person had no sign-in at all before it (at
  any event). Undoing someone's first sign-in passes the mark to their earliest
  remaining one, so "first-timers" stays true to the record.
- **The ladder of engagement** moves with attendance, by one rule in one place:
  ``ladder_after_attending``.
- **Kiosk saves** are durable before they return (one transaction, committed, with
  SQLite's synchronous=FULL set by ``desktop_app.db``), and fast: they are written
  with Core statements, with the group's country and this laptop's id cached per
  Database instead of read on every save (bench/bench_kiosk_save.py measures it).
  Nothing about a returning person is ever returned to the kiosk but a boolean.

Every public function is one unit of work and returns frozen dataclasses. Bad input
raises SignInError (a ValueError; str() names the field); a database that refuses a
kiosk save raises SaveFailed, and the form keeps what was typed.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast

from rapidfuzz import process
from rapidfuzz.distance import OSA
from sqlalchemy import Table, and_, bindparam, case, exists, func, insert, or_, select, update
from sqlalchemy.engine import Connection, CursorResult
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from desktop_app.db import Database
from desktop_app.models import (
    Event,
    EventKind,
    JoinedVia,
    LadderStage,
    Person,
    PersonStatus,
    SignIn,
    SignInSource,
    Tag,
    new_uid,
    person_tags,
    utcnow,
)
from desktop_app.services import group as group_service
from desktop_app.services import roster
from desktop_app.services.roster import PersonChoice, PersonInput
from desktop_app.text import email_key, fold, search_text, sort_key

# --- the ladder of engagement -------------------------------------------------------------

REGULAR_WINDOW = timedelta(days=180)
REGULAR_AFTER = 3  # events attended within REGULAR_WINDOW

# A sign-up at a table (kiosk, paper sheet, or another laptop's kiosk merged in) at a
# tabling event is how a stranger joins the list: it is the "signed up" rung, not
# attending an event. Being ticked off at a tabling event (a volunteer's shift) counts.
SIGN_UP_SOURCES = frozenset({SignInSource.KIOSK, SignInSource.PAPER, SignInSource.BUNDLE})

# Stages attendance can give; the ones above are given by people, never by attendance.
_RANK = {stage: rank for rank, stage in enumerate(LadderStage)}
_SET_BY_PEOPLE = frozenset({LadderStage.TAKES_ROLE, LadderStage.LEADS})


@dataclass(frozen=True)
class Attendance:
    """Events a person attended (by the rule above): ever, and within REGULAR_WINDOW."""

    total: int
    recent: int


def counts_as_attending(source: SignInSource, event_kind: EventKind) -> bool:
    """Whether a sign-in is attending an event (for the ladder) or signing up at a table."""
    return not (source in SIGN_UP_SOURCES and event_kind == EventKind.TABLING)


def stage_earned(attended: Attendance) -> LadderStage:
    """The rung attendance alone earns: 1 event -> FIRST_EVENT, 3 recent -> REGULAR."""
    if attended.recent >= REGULAR_AFTER:
        return LadderStage.REGULAR
    if attended.total >= 1:
        return LadderStage.FIRST_EVENT
    return LadderStage.SIGNED_UP


def ladder_after_attending(
    stage: LadderStage, before: Attendance, after: Attendance
) -> LadderStage:
    """A person's ladder stage after their attendance changed from ``before`` to ``after``.

    The rule, in full:

    1. Attendance earns a rung (``stage_earned``): attending any event earns
       FIRST_EVENT; attending 3 or more in the last 180 days earns REGULAR.
    2. TAKES_ROLE and LEADS are given by people and never changed here.
    3. Going up (a sign-in): the stage rises to what ``after`` earns, and is never
       lowered - so REGULAR stays REGULAR when the 180 days run out.
    4. Going down (an undone sign-in): the stage falls back to what ``after`` earns
       only when it is exactly what ``before`` earned, i.e. when attendance alone
       explains it. A stage set by hand to something attendance did not earn stays.
       (The one thing this cannot tell apart: a person set by hand to exactly the rung
       their attendance also earned. Undo treats that stage as earned.)
    """
    if stage in _SET_BY_PEOPLE:
        return stage
    earned_before, earned_after = stage_earned(before), stage_earned(after)
    if _RANK[earned_after] > _RANK[stage]:
        return earned_after
    if stage == earned_before and _RANK[earned_after] < _RANK[earned_before]:
        return earned_after
    return stage


# --- results and errors -------------------------------------------------------------------


class SignInError(ValueError):
    """A sign-in that cannot be made; str() names the field or says what is wrong."""


class SaveFailed(RuntimeError):
    """The database refused the save (disk full, locked, damaged); nothing was saved."""


@dataclass(frozen=True)
class SignInResult:
    """What a tick (or a newcomer, or a paper row) did."""

    event_id: int
    person_id: int
    sign_in_id: int
    display_name: str
    signed_in: bool  # False: they were signed in already and nothing changed
    first_time: bool  # this is their first sign-in at any event
    ladder_before: LadderStage
    ladder_after: LadderStage
    attendance: int  # people signed in at the event now
    problems: tuple[str, ...] = ()  # a new person's fields kept as typed, flagged for review

    @property
    def already_signed_in(self) -> bool:
        return not self.signed_in

    @property
    def ladder_raised(self) -> bool:
        return self.ladder_after != self.ladder_before


@dataclass(frozen=True)
class UndoResult:
    event_id: int
    person_id: int
    removed: bool  # False: there was no such sign-in, nothing changed
    ladder_before: LadderStage
    ladder_after: LadderStage
    attendance: int


# --- per-database state: settings read once, and the kiosk's connection ----------------


@dataclass(frozen=True)
class _Settings:
    country: str
    laptop_id: str


class _Line:
    """What a Database keeps for sign-ins between calls.

    settings: the group's country and this laptop's id. Reading them costs two queries
    and a kiosk save must not pay that every time; ``prepare_kiosk`` reads them afresh.

    connection: while a kiosk is open on a SQLite file, one connection kept for its
    saves. The database hands out a new connection per unit of work (NullPool), and
    opening one (pragmas, reading the schema) then closing the last one (SQLite
    checkpoints the WAL on that close, one more fsync) cost more than the save itself.
    Each save is still its own transaction, committed before the call returns.
    """

    def __init__(self, settings: _Settings) -> None:
        self.settings = settings
        self.lock = threading.Lock()  # saves may come from a worker thread
        self.connection: Connection | None = None

    def close(self) -> None:
        with self.lock:
            self._drop()

    def _drop(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            with contextlib.suppress(SQLAlchemyError):
                connection.close()


_LINES: dict[int, tuple[weakref.ref[Database], _Line]] = {}


def _read_settings(db: Database) -> _Settings:
    return _Settings(group_service.group_country(db), group_service.laptop_id(db))


def _line(db: Database, *, refresh: bool = False) -> _Line:
    key = id(db)
    entry = _LINES.get(key)
    if entry is not None and entry[0]() is db:
        line = entry[1]
        if refresh:
            line.settings = _read_settings(db)
        return line
    line = _Line(_read_settings(db))

    def forget(ref: weakref.ref[Database]) -> None:
        found = _LINES.get(key)
        if found is not None and found[0] is ref:
            del _LINES[key]
            found[1].close()

    _LINES[key] = (weakref.ref(db, forget), line)
    return line


# --- shared pieces ------------------------------------------------------------------------


def _open_event(session: Session, event_id: int) -> Event:
    event = session.get(Event, event_id)
    if event is None:
        raise SignInError(f"No event with id {event_id}.")
    if event.cancelled:
        raise SignInError(f"{event.title} was cancelled; restore it before signing people in.")
    return event


def _signable_person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise SignInError(f"No person with id {person_id} on this roster.")
    if person.erased_at is not None:
        raise SignInError("This person's data was erased on their request.")
    if person.removed_at is not None:
        raise SignInError(f"{person.display_name} is in the trash; restore them first.")
    return person


# Attendance for the ladder: sign-ins that count, ever and since a moment. Built once,
# like the kiosk's statements below, because building a statement costs more than
# running it.
_ATTENDANCE = (
    select(
        func.count(),
        func.coalesce(func.sum(case((Event.starts_at >= bindparam("since"), 1), else_=0)), 0),
    )
    .select_from(SignIn)
    .join(Event, Event.id == SignIn.event_id)
    .where(
        SignIn.person_id == bindparam("person_id"),
        ~and_(SignIn.source.in_(sorted(SIGN_UP_SOURCES)), Event.kind == EventKind.TABLING),
    )
)


def _attendance(connection: Session | Connection, person_id: int, now: datetime) -> Attendance:
    parameters = {"person_id": person_id, "since": now - REGULAR_WINDOW}
    total, recent = connection.execute(_ATTENDANCE, parameters).one()
    return Attendance(int(total), int(recent))


def _plus(
    attended: Attendance, event: Event | Any, source: SignInSource, now: datetime
) -> Attendance:
    """Attendance with one more sign-in at ``event`` (unchanged if it does not count)."""
    if not counts_as_attending(source, event.kind):
        return attended
    recent = 1 if event.starts_at >= now - REGULAR_WINDOW else 0
    return Attendance(attended.total + 1, attended.recent + recent)


def _event_count(session: Session | Connection, event_id: int) -> int:
    count = session.execute(
        select(func.count()).select_from(SignIn).where(SignIn.event_id == event_id)
    ).scalar()
    return int(count or 0)


# --- meeting sign-in ----------------------------------------------------------------------


def _sign_in(
    session: Session, event_id: int, person_id: int, source: SignInSource, laptop: str
) -> SignInResult:
    now = utcnow()
    event = _open_event(session, event_id)
    person = _signable_person(session, person_id)
    stage = person.ladder_stage
    existing = session.scalar(
        select(SignIn).where(SignIn.event_id == event_id, SignIn.person_id == person_id)
    )
    if existing is not None:
        return SignInResult(
            event_id=event_id,
            person_id=person_id,
            sign_in_id=existing.id,
            display_name=person.display_name,
            signed_in=False,
            first_time=existing.first_time,
            ladder_before=stage,
            ladder_after=stage,
            attendance=_event_count(session, event_id),
        )
    first_time = not session.scalar(select(exists().where(SignIn.person_id == person_id)))
    before = _attendance(session, person_id, now)
    new_stage = ladder_after_attending(stage, before, _plus(before, event, source, now))
    sign_in_row = SignIn(
        event_id=event_id,
        person_id=person_id,
        # A paper sheet is typed up later; the person signed it at the event.
        signed_in_at=event.starts_at if source == SignInSource.PAPER else now,
        source=source,
        first_time=first_time,
        laptop_id=laptop,
    )
    session.add(sign_in_row)
    if new_stage != stage:
        person.ladder_stage = new_stage
    session.flush()
    return SignInResult(
        event_id=event_id,
        person_id=person_id,
        sign_in_id=sign_in_row.id,
        display_name=person.display_name,
        signed_in=True,
        first_time=first_time,
        ladder_before=stage,
        ladder_after=new_stage,
        attendance=_event_count(session, event_id),
    )


def sign_in(
    db: Database, event_id: int, person_id: int, source: SignInSource = SignInSource.MEETING
) -> SignInResult:
    """Tick a person off at an event. A second tick changes nothing and says so
    (``signed_in`` False). Raises SignInError for a cancelled or missing event, or a
    person in the trash or erased."""
    source = SignInSource(source)
    laptop = _line(db).settings.laptop_id
    with db.session() as session:
        return _sign_in(session, event_id, person_id, source, laptop)


def undo_sign_in(db: Database, event_id: int, person_id: int) -> UndoResult:
    """Take a tick back. The ladder falls back only as ``ladder_after_attending`` says;
    if it was the person's first sign-in, their earliest remaining one becomes the first.

    Follow-up tasks already made for the person are left alone: someone may be on them.
    """
    now = utcnow()
    with db.session() as session:
        person = session.get(Person, person_id)
        if person is None:
            raise SignInError(f"No person with id {person_id} on this roster.")
        stage = person.ladder_stage
        row = session.scalar(
            select(SignIn).where(SignIn.event_id == event_id, SignIn.person_id == person_id)
        )
        if row is None:
            return UndoResult(
                event_id, person_id, False, stage, stage, _event_count(session, event_id)
            )
        was_first = row.first_time
        before = _attendance(session, person_id, now)
        session.delete(row)
        session.flush()
        after = _attendance(session, person_id, now)
        new_stage = ladder_after_attending(stage, before, after)
        if new_stage != stage:
            person.ladder_stage = new_stage
        if was_first:
            earliest = session.scalar(
                select(SignIn)
                .join(Event, Event.id == SignIn.event_id)
                .where(SignIn.person_id == person_id)
                .order_by(Event.starts_at, SignIn.signed_in_at, SignIn.id)
                .limit(1)
            )
            if earliest is not None:
                earliest.first_time = True
        session.flush()
        return UndoResult(
            event_id, person_id, True, stage, new_stage, _event_count(session, event_id)
        )


def add_newcomer_and_sign_in(
    db: Database,
    event_id: int,
    data: PersonInput,
    *,
    source: SignInSource = SignInSource.MEETING,
) -> SignInResult:
    """Add a new person to the roster (services.roster.create_person) and sign them in.

    joined_via: as given, except that the default (OTHER) becomes TABLING at a tabling
    event; joined_on defaults to the event's day. Raises PersonError or SignInError
    (both ValueError) and adds nobody when the event cannot take sign-ins.

    Two transactions (the roster's save, then the sign-in): the event is checked first,
    so only an event cancelled in between could leave the person added but not ticked.
    """
    with db.read_session() as session:
        event = _open_event(session, event_id)
        kind, starts_at, title = event.kind, event.starts_at, event.title
    if data.joined_via == JoinedVia.OTHER and kind == EventKind.TABLING:
        data = replace(data, joined_via=JoinedVia.TABLING)
    if data.joined_on is None:
        data = replace(data, joined_on=starts_at.astimezone().date())
    saved = roster.create_person(db, data, source=f"sign-in: {title}"[:500])
    result = sign_in(db, event_id, saved.person_id, source)
    return replace(result, problems=saved.problems)


# --- kiosk --------------------------------------------------------------------------------

# field -> (label, most characters); names are also limited by what a form can show.
KIOSK_LIMITS: dict[str, tuple[str, int]] = {
    "given_name": ("Given name", 200),
    "family_name": ("Family name", 200),
    "email": ("Email", 254),  # the longest address mail systems accept
    "phone": ("Phone", 40),
    "postal_code": ("Postal code", 20),
    "how_heard": ("How you heard of us", 500),
}
MAX_INTEREST_LENGTH = 100  # a tag's name
MAX_INTERESTS = 50
MAX_CONSENT_TEXT = 10_000

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


@dataclass(frozen=True)
class KioskSignup:
    """What a stranger typed at the kiosk, and the consent sentence they were shown."""

    given_name: str = ""
    family_name: str = ""
    email: str = ""
    phone: str = ""
    postal_code: str = ""
    interests: tuple[str, ...] = ()
    how_heard: str = ""
    consent_given: bool = False
    consent_text: str = ""


@dataclass(frozen=True)
class KioskResult:
    """All the kiosk learns back: a saved sign-up, and whether the person was known.

    Nothing else about a returning person leaves the service, so the next person at the
    table can never be shown the previous one's (or anyone's) data.
    """

    sign_in_id: int
    returning: bool


@dataclass(frozen=True)
class KioskSettings:
    """What the kiosk form shows: the event, the consent sentence, the interest boxes."""

    event_id: int
    event_title: str
    consent_text: str
    interests: tuple[str, ...]


def _check_text(label: str, value: str, limit: int) -> None:
    if len(value) > limit:
        raise SignInError(f"{label}: at most {limit} characters, please.")
    if _SURROGATE.search(value):
        raise SignInError(f"{label}: contains characters that cannot be stored; please retype it.")
    if _CONTROL.search(value):
        raise SignInError(f"{label}: contains line breaks or control characters; please retype it.")


def check_kiosk_signup(signup: KioskSignup) -> KioskSignup:
    """The sign-up with its text trimmed, or SignInError naming the first field to fix.

    Nothing is truncated or altered inside the text: markup, emoji and right-to-left
    text are stored exactly as typed (outer spaces aside).
    """
    trimmed = {name: getattr(signup, name).strip() for name in KIOSK_LIMITS}
    for name, (label, limit) in KIOSK_LIMITS.items():
        _check_text(label, trimmed[name], limit)
    if not (trimmed["given_name"] or trimmed["family_name"]):
        raise SignInError("Name: please give your given name or your family name.")
    if not (trimmed["email"] or trimmed["phone"]):
        raise SignInError("Email or phone: please give at least one, so the group can reach you.")
    if len(signup.interests) > MAX_INTERESTS:
        raise SignInError(f"Interests: at most {MAX_INTERESTS}.")
    interests = tuple(dict.fromkeys(item.strip() for item in signup.interests if item.strip()))
    for item in interests:
        _check_text("Interests", item, MAX_INTEREST_LENGTH)
    consent_text = signup.consent_text.strip()
    if len(consent_text) > MAX_CONSENT_TEXT or _SURROGATE.search(consent_text):
        raise SignInError("Consent sentence: too long or not storable; check the group profile.")
    if signup.consent_given and not consent_text:
        raise SignInError("Consent: the sentence agreed to must be saved with the consent.")
    return KioskSignup(
        **trimmed,
        interests=interests,
        consent_given=bool(signup.consent_given),
        consent_text=consent_text,
    )


def prepare_kiosk(db: Database, event_id: int) -> KioskSettings:
    """Call when kiosk mode starts; ``close_kiosk`` when it ends.

    Checks the event, reads the group's country and this laptop's id afresh, opens the
    connection the kiosk's saves share (SQLite), and gives the form its texts.
    """
    with db.read_session() as session:
        title = _open_event(session, event_id).title
    line = _line(db, refresh=True)
    if db.is_sqlite:
        with line.lock:
            if line.connection is None:
                line.connection = db.engine.connect()
    profile = group_service.get_profile(db)
    consent = profile.kiosk_consent_text if profile else ""
    return KioskSettings(
        event_id=event_id,
        event_title=title,
        consent_text=consent or group_service.DEFAULT_CONSENT_TEXT,
        interests=profile.kiosk_interests if profile else (),
    )


def close_kiosk(db: Database) -> None:
    """Let go of the kiosk's connection (call before closing or restoring the database).

    Saving still works afterwards, one connection per save, only more slowly.
    """
    entry = _LINES.get(id(db))
    if entry is not None and entry[0]() is db:
        entry[1].close()


_PEOPLE = cast(Table, Person.__table__)
_SIGN_INS = cast(Table, SignIn.__table__)
_TAGS = cast(Table, Tag.__table__)
_EVENTS = cast(Table, Event.__table__)

_MATCH_COLUMNS = (
    _PEOPLE.c.id,
    _PEOPLE.c.given_name,
    _PEOPLE.c.family_name,
    _PEOPLE.c.preferred_name,
    _PEOPLE.c.email,
    _PEOPLE.c.email_key,
    _PEOPLE.c.phone,
    _PEOPLE.c.postal_code,
    _PEOPLE.c.email_ok,
    _PEOPLE.c.phone_ok,
    _PEOPLE.c.do_not_contact,
    _PEOPLE.c.removed_at,
    _PEOPLE.c.needs_review,
    _PEOPLE.c.review_reason,
    _PEOPLE.c.ladder_stage,
)


class _Sql:
    """The kiosk's statements, built once (building one costs more than running it).

    Parameters named ``b_...`` are the WHERE of an UPDATE whose SET comes from the
    other parameters given at execution.
    """

    event = select(_EVENTS.c.title, _EVENTS.c.kind, _EVENTS.c.starts_at, _EVENTS.c.cancelled).where(
        _EVENTS.c.id == bindparam("event_id")
    )
    _match = (
        select(*_MATCH_COLUMNS)
        .where(_PEOPLE.c.erased_at.is_(None))
        .order_by(_PEOPLE.c.removed_at.is_not(None), _PEOPLE.c.id)
        .limit(20)
    )
    by_email = _match.where(_PEOPLE.c.email_key == bindparam("key"))
    by_phone = _match.where(_PEOPLE.c.phone == bindparam("phone"))
    by_either = _match.where(
        or_(_PEOPLE.c.email_key == bindparam("key"), _PEOPLE.c.phone == bindparam("phone"))
    )
    insert_person = insert(_PEOPLE)
    update_person = update(_PEOPLE).where(_PEOPLE.c.id == bindparam("b_id"))
    tags_named = select(_TAGS.c.name, _TAGS.c.id).where(
        _TAGS.c.name.in_(bindparam("names", expanding=True))
    )
    insert_tag = insert(_TAGS)
    tags_held = select(person_tags.c.tag_id).where(
        person_tags.c.person_id == bindparam("person_id"),
        person_tags.c.tag_id.in_(bindparam("tag_ids", expanding=True)),
    )
    insert_person_tag = insert(person_tags)
    sign_in_here = select(
        _SIGN_INS.c.id, _SIGN_INS.c.interests, _SIGN_INS.c.how_heard, _SIGN_INS.c.consent_given
    ).where(
        _SIGN_INS.c.event_id == bindparam("event_id"),
        _SIGN_INS.c.person_id == bindparam("person_id"),
    )
    signed_in_before = select(exists().where(_SIGN_INS.c.person_id == bindparam("person_id")))
    insert_sign_in = insert(_SIGN_INS)
    update_sign_in = update(_SIGN_INS).where(_SIGN_INS.c.id == bindparam("b_id"))


_FILLED_FIELDS = ("given_name", "family_name", "email", "phone", "postal_code")
_FIELD_WORDS = {
    "given_name": "given name",
    "family_name": "family name",
    "email": "email",
    "phone": "phone",
    "postal_code": "postal code",
}


def _same(name: str, old: str, new: str) -> bool:
    if name == "email":
        return email_key(old) == email_key(new)
    if name == "postal_code":
        return old.replace(" ", "").upper() == new.replace(" ", "").upper()
    if name == "phone":
        return old == new
    return fold(old) == fold(new)


def _derived(values: dict[str, Any]) -> dict[str, str]:
    """The lookup columns the ORM's listener keeps; Core writes must set them too."""
    return {
        "email_key": email_key(values["email"]),
        "sort_key": sort_key(values["given_name"], values["family_name"]),
        "search_text": search_text(
            given_name=values["given_name"],
            family_name=values["family_name"],
            preferred_name=values["preferred_name"],
            email=values["email"],
            phone=values["phone"],
            postal_code=values["postal_code"],
        ),
    }


def _new_id(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _tag_ids(connection: Connection, names: Sequence[str]) -> list[int]:
    found = dict(connection.execute(_Sql.tags_named, {"names": list(names)}).all())
    ids = []
    for name in names:
        tag_id = found.get(name)
        if tag_id is None:
            tag_id = _new_id(connection.execute(_Sql.insert_tag, {"name": name}))
        ids.append(int(tag_id))
    return ids


@dataclass(frozen=True)
class _Typed:
    """A checked sign-up with its email and phone normalised, and what is wrong in them."""

    signup: KioskSignup
    data: PersonInput
    problems: dict[str, str]  # field name -> what is wrong with it
    email_valid: bool
    phone_valid: bool


def _normalise(signup: KioskSignup, country: str) -> _Typed:
    checked = roster.check_person(
        PersonInput(
            given_name=signup.given_name,
            family_name=signup.family_name,
            email=signup.email,
            phone=signup.phone,
            postal_code=signup.postal_code,
        ),
        country,
    )
    return _Typed(
        signup=signup,
        data=checked.data,
        problems=dict(checked.problems),
        email_valid=bool(checked.data.email) and "email" not in checked.problems,
        phone_valid=bool(checked.data.phone) and "phone" not in checked.problems,
    )


def _find_returning(connection: Connection, typed: _Typed) -> tuple[Any | None, set[int]]:
    """The known person this sign-up is, and the ids of others who hold its phone.

    Only a valid email (compared case-insensitively) or a valid phone (E.164) links
    someone: "n/a" or "123" typed by two strangers must not make them one person. The
    email wins over the phone; someone on the roster wins over someone in the trash;
    the oldest record wins among equals.
    """
    key = email_key(typed.data.email) if typed.email_valid else ""
    phone = typed.data.phone if typed.phone_valid else ""
    if not (key or phone):
        return None, set()
    statement = _Sql.by_either if key and phone else _Sql.by_email if key else _Sql.by_phone
    rows = connection.execute(statement, {"key": key, "phone": phone}).all()
    match = next((r for r in rows if key and r.email_key == key), None)
    if match is None:
        match = next((r for r in rows if phone and r.phone == phone), None)
    phone_holders = {r.id for r in rows if phone and r.phone == phone}
    if match is not None:
        phone_holders.discard(match.id)
    return match, phone_holders


def _update_returning(
    connection: Connection,
    match: Any,
    typed: _Typed,
    phone_holders: set[int],
    *,
    stage: LadderStage,
    where: str,
    now: datetime,
) -> None:
    """Fill the empty fields of a returning person; never blank or overwrite a value.

    A value that differs from the one on file is not lost: it goes into the review
    notes, for the secretary to decide.
    """
    typed_values = {name: getattr(typed.data, name) for name in _FILLED_FIELDS}
    current = {name: getattr(match, name) or "" for name in (*_FILLED_FIELDS, "preferred_name")}
    changes: dict[str, Any] = {}
    notes: list[str] = []
    for name in _FILLED_FIELDS:
        new, old = typed_values[name], current[name]
        if not new or (old and _same(name, old, new)):
            continue
        if old:
            notes.append(
                f"{where}: gave the {_FIELD_WORDS[name]} {new!r}; the roster keeps {old!r}."
            )
        elif name == "phone" and phone_holders:
            notes.append(f"{where}: gave the phone {new!r}, which someone else on the roster has.")
        else:
            changes[name] = new
    filled = {**current, **changes}
    # A field kept as typed although it did not check out is flagged; one not taken is
    # in the notes already.
    kept_problems = [problem for name, problem in typed.problems.items() if name in changes]
    consent = typed.signup.consent_given
    # Consent covers the address they typed, so only a stored value equal to it.
    email_agreed = bool(typed_values["email"]) and _same(
        "email", filled["email"], typed_values["email"]
    )
    if consent and email_agreed and not match.email_ok:
        changes["email_ok"] = True
    phone_agreed = bool(typed_values["phone"]) and filled["phone"] == typed_values["phone"]
    if consent and phone_agreed and not match.phone_ok:
        changes["phone_ok"] = True
    if consent and match.do_not_contact:
        notes.append(f"{where}: agreed to be contacted, but is marked do-not-contact; ask them.")
    if match.removed_at is not None:
        changes["removed_at"] = None
        notes.append(f"{where}: signed up again, so was brought back from the trash.")
    if stage != match.ladder_stage:
        changes["ladder_stage"] = stage
    reasons = [*kept_problems, *notes]
    if reasons:
        changes["needs_review"] = True
        changes["review_reason"] = "\n".join(
            part for part in (match.review_reason or "", *reasons) if part
        )
    if any(name in changes for name in _FILLED_FIELDS):
        changes.update(_derived(filled))
    if changes:
        changes["updated_at"] = now
        connection.execute(_Sql.update_person, {"b_id": match.id, **changes})


T = TypeVar("T")


def _with_retries(work: Callable[[], T], attempts: int = 3) -> T:
    """Run one transaction, again if SQLite reports the file busy.

    A transaction that read first and then writes cannot wait for a lock in WAL mode
    when another connection committed in between ("database is locked" at once); it
    is rolled back whole, so running it again is safe.
    """
    for attempt in range(attempts):
        try:
            return work()
        except OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if attempt == attempts - 1:
                raise
            time.sleep(0.02 * (attempt + 1))
    raise AssertionError("unreachable")


def save_kiosk_signup(db: Database, event_id: int, signup: KioskSignup) -> KioskResult:
    """Save one kiosk sign-up; committed durably before it returns.

    In one transaction: links a returning person silently (same valid email, or the
    same phone in E.164), filling only their empty fields; or adds a new person
    (joined via tabling, flagged for review if the email or phone did not check out,
    kept as typed); adds the ticked interests as tags; sets email_ok/phone_ok when
    consent was given for a field that is there; and records the sign-in (source
    KIOSK, this laptop's id, the consent sentence, the interests, how they heard).
    Signing up twice at one event adds to the first sign-up instead of a second one.

    Raises SignInError (a ValueError naming the field) for input to fix, SaveFailed if
    the database refused it. Either way nothing was saved.
    """
    checked = check_kiosk_signup(signup)
    line = _line(db)
    typed = _normalise(checked, line.settings.country)
    try:
        return _with_retries(lambda: _save_on_line(db, line, event_id, typed))
    except SQLAlchemyError as exc:
        reason = getattr(exc, "orig", None) or exc
        raise SaveFailed(f"The sign-up was not saved: {reason}") from exc


def _save_on_line(db: Database, line: _Line, event_id: int, typed: _Typed) -> KioskResult:
    with line.lock:
        if line.connection is None:  # no kiosk open: a connection for this save alone
            with db.engine.begin() as connection:
                return _save_kiosk(connection, event_id, typed, line.settings)
        try:
            with line.connection.begin():
                return _save_kiosk(line.connection, event_id, typed, line.settings)
        except SQLAlchemyError:
            # Not trusted again (disk gone, file replaced): the next save opens afresh.
            line._drop()
            if db.is_sqlite:
                line.connection = db.engine.connect()
            raise


def _save_kiosk(
    connection: Connection, event_id: int, typed: _Typed, settings: _Settings
) -> KioskResult:
    now = utcnow()
    signup = typed.signup
    event = connection.execute(_Sql.event, {"event_id": event_id}).one_or_none()
    if event is None:
        raise SignInError("This event no longer exists; ask a volunteer to restart the kiosk.")
    if event.cancelled:
        raise SignInError("This event was cancelled; ask a volunteer to restart the kiosk.")
    attending = counts_as_attending(SignInSource.KIOSK, event.kind)
    match, phone_holders = _find_returning(connection, typed)

    if match is None:
        stage = LadderStage.SIGNED_UP
        if attending:
            stage = ladder_after_attending(
                stage, Attendance(0, 0), _plus(Attendance(0, 0), event, SignInSource.KIOSK, now)
            )
        values: dict[str, Any] = {
            "uid": new_uid(),
            "given_name": typed.data.given_name,
            "family_name": typed.data.family_name,
            "preferred_name": "",
            "email": typed.data.email,
            "phone": typed.data.phone,
            "postal_code": typed.data.postal_code,
            "status": PersonStatus.PROSPECT,
            "joined_via": JoinedVia.TABLING,
            "joined_on": now.astimezone().date(),
            "ladder_stage": stage,
            "email_ok": signup.consent_given and bool(typed.data.email),
            "phone_ok": signup.consent_given and bool(typed.data.phone),
            "needs_review": bool(typed.problems),
            "review_reason": "\n".join(typed.problems.values()),
            "origin_laptop": settings.laptop_id,
            "source": f"kiosk: {event.title}"[:500],
            "created_at": now,
            "updated_at": now,
        }
        values.update(_derived(values))
        person_id = _new_id(connection.execute(_Sql.insert_person, values))
        existing = None
        first_time = True
    else:
        person_id = int(match.id)
        ids = {"event_id": event_id, "person_id": person_id}
        existing = connection.execute(_Sql.sign_in_here, ids).one_or_none()
        first_time = False
        stage = match.ladder_stage
        if existing is None:
            first_time = not connection.execute(_Sql.signed_in_before, ids).scalar()
            if attending:
                before = _attendance(connection, person_id, now)
                stage = ladder_after_attending(
                    stage, before, _plus(before, event, SignInSource.KIOSK, now)
                )
        where = f"Kiosk sign-up at {event.title} on {now.astimezone().date().isoformat()}"
        _update_returning(
            connection, match, typed, phone_holders, stage=stage, where=where, now=now
        )

    if signup.interests:
        tag_ids = _tag_ids(connection, signup.interests)
        held: set[int] = set()
        if match is not None:
            held = set(
                connection.execute(
                    _Sql.tags_held, {"person_id": person_id, "tag_ids": tag_ids}
                ).scalars()
            )
        missing = [{"person_id": person_id, "tag_id": t} for t in tag_ids if t not in held]
        if missing:
            connection.execute(_Sql.insert_person_tag, missing)

    if existing is not None:
        # The same person twice at one table: one sign-in, with everything they told us.
        merged = dict.fromkeys([*existing.interests.splitlines(), *signup.interests])
        changes: dict[str, Any] = {"interests": "\n".join(line for line in merged if line)}
        if signup.how_heard and not existing.how_heard:
            changes["how_heard"] = signup.how_heard
        if signup.consent_given and not existing.consent_given:
            changes["consent_given"] = True
            changes["consent_text"] = signup.consent_text
        connection.execute(_Sql.update_sign_in, {"b_id": existing.id, **changes})
        return KioskResult(sign_in_id=int(existing.id), returning=True)

    sign_in_id = _new_id(
        connection.execute(
            _Sql.insert_sign_in,
            {
                "uid": new_uid(),
                "event_id": event_id,
                "person_id": person_id,
                "signed_in_at": now,
                "source": SignInSource.KIOSK,
                "first_time": first_time,
                "laptop_id": settings.laptop_id,
                "how_heard": signup.how_heard,
                "interests": "\n".join(signup.interests),
                "consent_text": signup.consent_text,
                "consent_given": signup.consent_given,
            },
        )
    )
    return KioskResult(sign_in_id=sign_in_id, returning=match is not None)


# --- paper sheets -------------------------------------------------------------------------


@dataclass(frozen=True)
class PaperRow:
    """One line of a paper sign-in sheet, as typed up.

    person_id: the roster suggestion the typist picked; the typed fields are then
    ignored (the person's record is edited on their own page). None: a new person.
    """

    person_id: int | None = None
    given_name: str = ""
    family_name: str = ""
    email: str = ""
    phone: str = ""
    postal_code: str = ""
    consent_given: bool = False  # the sheet's "you may contact me" box
    interests: tuple[str, ...] = ()  # what they ticked or wrote in the sheet's interest column


def _checked_interests(interests: Sequence[str]) -> tuple[str, ...]:
    """Interests trimmed and kept once each, in order; SignInError if one cannot be kept."""
    wanted = tuple(dict.fromkeys(item.strip() for item in interests if item.strip()))
    if len(wanted) > MAX_INTERESTS:
        raise SignInError(f"Interests: at most {MAX_INTERESTS}.")
    for item in wanted:
        _check_text("Interests", item, MAX_INTEREST_LENGTH)
    return wanted


def add_interests(db: Database, sign_in_id: int, interests: Sequence[str]) -> tuple[str, ...]:
    """Add interests to a sign-in and tag its person with them, as a kiosk sign-up does.

    Interests already there are kept once; returns the sign-in's interests afterwards.
    Raises SignInError (naming the field) for an interest that cannot be kept, or a
    sign-in that no longer exists; nothing is changed then.
    """
    wanted = _checked_interests(interests)
    with db.session() as session:
        row = session.get(SignIn, sign_in_id)
        if row is None:
            raise SignInError(f"No sign-in with id {sign_in_id}.")
        merged = dict.fromkeys([*row.interests.splitlines(), *wanted])
        row.interests = "\n".join(item for item in merged if item)
        person = session.get(Person, row.person_id)
        if person is not None and person.erased_at is None and wanted:
            held = {tag.name for tag in person.tags}
            missing = [name for name in wanted if name not in held]
            existing = {
                tag.name: tag for tag in session.scalars(select(Tag).where(Tag.name.in_(missing)))
            }
            for name in missing:
                person.tags.append(existing.get(name) or Tag(name=name))
        session.flush()
        return tuple(line for line in row.interests.splitlines() if line)


def paper_suggestions(db: Database, text: str, limit: int = 8) -> list[PersonChoice]:
    """People on the roster matching what is typed so far (none for empty text)."""
    if not text.strip():
        return []
    return roster.person_choices(db, text, limit=limit)


def save_paper_row(db: Database, event_id: int, row: PaperRow) -> SignInResult:
    """Tie a typed-up row to the event: sign in the chosen person, or add and sign in
    a new one (source PAPER). Typed email/phone that do not check out are kept as typed
    and the new person is flagged for review (``problems``). The row's interests go on
    the sign-in and become the person's tags (``add_interests``)."""
    interests = _checked_interests(row.interests)  # before anything is saved
    if row.person_id is not None:
        result = sign_in(db, event_id, row.person_id, SignInSource.PAPER)
    else:
        result = _save_new_paper_person(db, event_id, row)
    if interests:
        add_interests(db, result.sign_in_id, interests)
    return result


def _save_new_paper_person(db: Database, event_id: int, row: PaperRow) -> SignInResult:
    data = PersonInput(
        given_name=row.given_name,
        family_name=row.family_name,
        email=row.email,
        phone=row.phone,
        postal_code=row.postal_code,
        email_ok=row.consent_given and bool(row.email.strip()),
        phone_ok=row.consent_given and bool(row.phone.strip()),
    )
    return add_newcomer_and_sign_in(db, event_id, data, source=SignInSource.PAPER)


# Address domains people most often mistype, most used first (ties go to the earlier).
COMMON_EMAIL_DOMAINS: tuple[str, ...] = (
    "gmail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "icloud.com",
    "aol.com",
    "live.com",
    "msn.com",
    "me.com",
    "mac.com",
    "comcast.net",
    "verizon.net",
    "att.net",
    "sbcglobal.net",
    "protonmail.com",
    "proton.me",
    "googlemail.com",
    "ymail.com",
    "mail.com",
    "email.com",
    "gmx.com",
    "gmx.net",
    "gmx.de",
    "web.de",
    "t-online.de",
    "yahoo.co.uk",
    "hotmail.co.uk",
    "live.co.uk",
    "btinternet.com",
    "sky.com",
    "eircom.net",
    "yahoo.fr",
    "hotmail.fr",
    "orange.fr",
    "free.fr",
    "laposte.net",
    "wanadoo.fr",
    "yahoo.es",
    "hotmail.es",
    "libero.it",
    "yandex.ru",
    "mail.ru",
    "qq.com",
    "163.com",
    "naver.com",
    "rediffmail.com",
)
# Endings that are no top-level domain but a slip of the finger. Real endings such as
# .co, .cm or .om are left alone: people do have addresses there.
TLD_FIXES: dict[str, str] = {
    "con": "com",
    "cmo": "com",
    "ocm": "com",
    "vom": "com",
    "xom": "com",
    "cpm": "com",
    "comm": "com",
    "coom": "com",
    "c0m": "com",
    "nte": "net",
    "nett": "net",
    "ogr": "org",
    "orgg": "org",
    "rog": "org",
}
_MIN_FUZZY_LENGTH = 7  # shorter domains are too close to too many real ones


def _suggest_domain(domain: str) -> str | None:
    if domain in COMMON_EMAIL_DOMAINS:
        return None
    head, dot, tld = domain.rpartition(".")
    fixed = f"{head}.{TLD_FIXES[tld]}" if dot and tld in TLD_FIXES else domain
    if fixed in COMMON_EMAIL_DOMAINS or len(fixed) < _MIN_FUZZY_LENGTH:
        return fixed if fixed != domain else None
    # One slip (a missing, extra, wrong or swapped letter) from a common domain; two
    # for longer ones. OSA counts a swap ("gmial") as one slip.
    allowed = 1 if len(fixed) < 10 else 2
    found = process.extractOne(
        fixed, COMMON_EMAIL_DOMAINS, scorer=OSA.distance, score_cutoff=allowed
    )
    if found is not None:
        return str(found[0])
    return fixed if fixed != domain else None


def email_typo_hint(email: str) -> str | None:
    """The address the person probably meant, or None if it looks as intended.

    "maria@gmial.com" -> "maria@gmail.com"; "x@example.con" -> "x@example.com". The
    view words the question ("Did you mean maria@gmail.com?"); the local part is kept
    as typed.
    """
    local, at, domain = email.strip().rpartition("@")
    if not at or not local or not domain:
        return None
    suggestion = _suggest_domain(domain.lower().rstrip("."))
    if suggestion is None or suggestion == domain:
        return None
    return f"{local}@{suggestion}"


__all__ = [
    "COMMON_EMAIL_DOMAINS",
    "KIOSK_LIMITS",
    "REGULAR_AFTER",
    "REGULAR_WINDOW",
    "SIGN_UP_SOURCES",
    "Attendance",
    "KioskResult",
    "KioskSettings",
    "KioskSignup",
    "PaperRow",
    "SaveFailed",
    "SignInError",
    "SignInResult",
    "UndoResult",
    "add_interests",
    "add_newcomer_and_sign_in",
    "check_kiosk_signup",
    "close_kiosk",
    "counts_as_attending",
    "email_typo_hint",
    "ladder_after_attending",
    "paper_suggestions",
    "prepare_kiosk",
    "save_kiosk_signup",
    "save_paper_row",
    "sign_in",
    "stage_earned",
    "undo_sign_in",
]
