"""The roster: searching, reading and changing the people a group knows.

Search and sort happen in SQL (an FTS5 trigram index on SQLite) and return row
keys only; a table view then asks for the rows it shows, a page at a time. Every
write is one transaction. Removal is reversible: a removed person goes to the trash.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    delete,
    exists,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session, selectinload

from desktop_app.db import Database
from desktop_app.models import (
    Event,
    JoinedVia,
    LadderStage,
    LetterWritten,
    Person,
    PersonStatus,
    RoleAssignment,
    RoleType,
    SignIn,
    Tag,
    Training,
    TrainingSignup,
    person_tags,
    utcnow,
)
from desktop_app.services.followups import followup_pending_condition
from desktop_app.services.group import group_country
from desktop_app.services.labels import JOINED_VIA_LABELS
from desktop_app.services.matching import contact_rows, phone_form
from desktop_app.services.validation import (
    FieldCheck,
    check_email,
    check_graduation_year,
    check_phone,
    check_postal_code,
)
from desktop_app.text import digits_only, display_name, email_key, fold

MAX_NAME_LENGTH = 500
MAX_TEXT_LENGTH = 500  # address lines, school, email; notes are unlimited
MIN_FTS_QUERY = 3  # the trigram index needs three characters

ConsentFilter = Literal["email_ok", "phone_ok", "mail_ok", "do_not_contact", "contactable"]
DuesFilter = Literal["current", "lapsed"]


class PersonError(ValueError):
    """A person that cannot be saved; str() names the field and says what is wrong."""


class SortKey(enum.StrEnum):
    NAME = "name"
    GIVEN_NAME = "given_name"
    EMAIL = "email"
    PHONE = "phone"
    POSTAL_CODE = "postal_code"
    STATUS = "status"
    ROLES = "roles"
    TAGS = "tags"
    LADDER = "ladder"
    DUES = "dues"
    JOINED_VIA = "joined_via"
    CREATED = "created"


@dataclass(frozen=True)
class RosterFilter:
    """What narrows the roster; the default shows everyone not in the trash."""

    statuses: frozenset[PersonStatus] = frozenset()
    role_type_id: int | None = None
    tag: str | None = None
    dues: DuesFilter | None = None
    ladder_stage: LadderStage | None = None
    consent: ConsentFilter | None = None
    needs_review: bool = False
    followup_pending: bool = False  # "new and not followed up" (services.followups)
    in_trash: bool = False  # True shows only removed people


@dataclass(frozen=True)
class RosterRow:
    """One line of the roster table."""

    id: int
    uid: str
    given_name: str
    family_name: str
    preferred_name: str
    email: str
    phone: str
    postal_code: str
    status: PersonStatus
    ladder_stage: LadderStage
    joined_via: JoinedVia
    dues_paid_through: date | None
    dues_waived: bool
    email_ok: bool
    phone_ok: bool
    mail_ok: bool
    do_not_contact: bool
    needs_review: bool
    removed_at: datetime | None
    roles: tuple[str, ...]
    tags: tuple[str, ...]

    @property
    def display_name(self) -> str:
        return display_name(self.given_name, self.family_name, self.preferred_name)

    def dues_state(self, today: date | None = None) -> str:
        """ "waived", "current", "lapsed" or "" (never paid)."""
        if self.dues_waived:
            return "waived"
        if self.dues_paid_through is None:
            return ""
        return "current" if self.dues_paid_through >= (today or date.today()) else "lapsed"


@dataclass(frozen=True)
class RoleTerm:
    """A role held for a term; id is None for a new assignment."""

    role_type_id: int
    start_date: date | None = None
    end_date: date | None = None
    notes: str = ""
    id: int | None = None
    role_name: str = ""  # filled when read back, ignored when saving

    def is_current(self, today: date | None = None) -> bool:
        today = today or date.today()
        started = self.start_date is None or self.start_date <= today
        return started and (self.end_date is None or self.end_date >= today)


@dataclass(frozen=True)
class PersonInput:
    """Everything a person dialog edits. Text is kept exactly as typed until saved."""

    given_name: str = ""
    family_name: str = ""
    preferred_name: str = ""
    email: str = ""
    phone: str = ""
    address_line1: str = ""
    address_line2: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""
    status: PersonStatus = PersonStatus.PROSPECT
    dues_paid_through: date | None = None
    dues_waived: bool = False
    school: str = ""
    graduation_year: int | None = None
    joined_via: JoinedVia = JoinedVia.OTHER
    joined_on: date | None = None
    invited_by_id: int | None = None
    ladder_stage: LadderStage = LadderStage.SIGNED_UP
    email_ok: bool = False
    phone_ok: bool = False
    mail_ok: bool = False
    do_not_contact: bool = False
    notes: str = ""
    tags: tuple[str, ...] = ()
    roles: tuple[RoleTerm, ...] = ()


# Fields copied one to one between PersonInput and the Person row.
_PLAIN_FIELDS = tuple(f.name for f in fields(PersonInput) if f.name not in ("tags", "roles"))


@dataclass(frozen=True)
class HistoryItem:
    when: date | None
    kind: str  # "role", "event", "training", "letter", "joined"
    text: str


@dataclass(frozen=True)
class PersonDetail:
    """A person as read back: what they are, plus what the dialog and page show."""

    id: int
    uid: str
    data: PersonInput
    invited_by_name: str
    created_at: datetime
    updated_at: datetime
    removed_at: datetime | None
    erased_at: datetime | None
    needs_review: bool
    review_reason: str
    source: str
    history: tuple[HistoryItem, ...] = ()

    @property
    def display_name(self) -> str:
        data = self.data
        return display_name(data.given_name, data.family_name, data.preferred_name)


@dataclass(frozen=True)
class DuplicateHit:
    """Someone already on the roster who shares an email or phone with what is typed."""

    id: int
    display_name: str
    email: str
    phone: str
    reason: str  # "same email" / "same phone"
    in_trash: bool


@dataclass(frozen=True)
class SaveResult:
    person_id: int
    problems: tuple[str, ...] = field(default=())  # kept as typed, flagged for review


@dataclass(frozen=True)
class RoleTypeRow:
    id: int
    name: str
    builtin: bool


# --- search ---------------------------------------------------------------------------

# Search and list queries use the tables' Core columns rather than the mapped classes:
# the first ORM statement in a process configures every mapper (0.1-0.2 s), and the
# roster is the first thing the window shows.
_people = Person.__table__.c
_roles = RoleAssignment.__table__.c
_role_types = RoleType.__table__.c
_tags = Tag.__table__.c


def _fts_phrase(text: str) -> str:
    """An FTS5 phrase that matches the text as a substring, quotes escaped."""
    return '"' + text.replace('"', '""') + '"'


def _like_pattern(word: str) -> str:
    """A LIKE pattern (escape character backslash) for word anywhere in the text."""
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


@dataclass(frozen=True)
class _TextSearch:
    """What typed text asks of the search index: every word, in any order.

    search_text holds each name once, so the words are looked for one by one ("sato
    kenji" finds Kenji Sato). Words of three letters or more go to the trigram index;
    shorter ones ("li", "o") cannot, and must appear in search_text as well.
    """

    fts_query: str
    short_words: tuple[str, ...]


def _text_search(text: str) -> _TextSearch | None:
    """None for text too short for the index (fewer than three letters in all)."""
    folded = fold(text)
    if len(folded) < MIN_FTS_QUERY:
        return None
    digits = digits_only(text)
    # "555-0142" or "(617) 555" is a phone fragment: compare digits with digits too.
    is_phone_like = len(digits) >= MIN_FTS_QUERY and not any(ch.isalpha() for ch in text)
    words = folded.split()
    long_words = [word for word in words if len(word) >= MIN_FTS_QUERY]
    if long_words:
        query = " AND ".join(_fts_phrase(word) for word in long_words)
        short = () if is_phone_like else tuple(w for w in words if len(w) < MIN_FTS_QUERY)
    else:
        query, short = _fts_phrase(folded), ()  # "li wu": the letters as typed
    if is_phone_like and digits != folded:
        query = f"({query}) OR {_fts_phrase(digits)}"
    return _TextSearch(query, short)


def _text_condition(db: Database, text: str) -> ColumnElement[bool] | None:
    folded = fold(text)
    if not folded:
        return None
    if not db.is_sqlite:
        digits = digits_only(text)
        words = [_people.search_text.contains(word, autoescape=True) for word in folded.split()]
        terms: list[ColumnElement[bool]] = [and_(*words)]
        if len(digits) >= MIN_FTS_QUERY and not any(ch.isalpha() for ch in text):
            terms.append(_people.search_text.contains(digits, autoescape=True))
        return or_(*terms)
    search = _text_search(text)
    if search is None:
        # One or two letters: the start of any word.
        pattern = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return or_(
            _people.search_text.like(f"{pattern}%", escape="\\"),
            _people.search_text.like(f"% {pattern}%", escape="\\"),
        )
    matches = sql_text("SELECT rowid FROM person_fts WHERE person_fts MATCH :q").bindparams(
        q=search.fts_query
    )
    return and_(
        _people.id.in_(matches),
        *[_people.search_text.like(_like_pattern(w), escape="\\") for w in search.short_words],
    )


def _current_role_condition(today: date) -> ColumnElement[bool]:
    return and_(
        or_(_roles.start_date.is_(None), _roles.start_date <= today),
        or_(_roles.end_date.is_(None), _roles.end_date >= today),
    )


def _trash_condition(flt: RosterFilter, *, narrowed: bool) -> ColumnElement[bool]:
    """In or out of the trash (narrowed is for SQLite only: "+" is its planner hint).

    Unfiltered, SQLite reads the roster straight from ix_people_roster_order. Once a
    filter narrows it, walking that index means a row look-up for each of 100,000
    people (1 s); "+removed_at" hides the index so SQLite scans or uses the filter's
    own index and sorts the few rows left (0.1 s).
    """
    column: ColumnElement[Any] = (
        literal_column("+people.removed_at") if narrowed else _people.removed_at.expression
    )
    return column.is_not(None) if flt.in_trash else column.is_(None)


def _narrows(flt: RosterFilter) -> bool:
    return flt != RosterFilter(in_trash=flt.in_trash)


def _filter_conditions(
    flt: RosterFilter, today: date, *, sqlite: bool
) -> list[ColumnElement[bool]]:
    conditions = [_trash_condition(flt, narrowed=sqlite and _narrows(flt))]
    if flt.statuses:
        conditions.append(_people.status.in_(sorted(flt.statuses)))
    if flt.role_type_id is not None:
        conditions.append(
            exists().where(
                _roles.person_id == _people.id,
                _roles.role_type_id == flt.role_type_id,
                _current_role_condition(today),
            )
        )
    if flt.tag:
        conditions.append(
            exists().where(
                person_tags.c.person_id == _people.id,
                person_tags.c.tag_id == _tags.id,
                _tags.name == flt.tag,
            )
        )
    if flt.dues == "current":
        conditions.append(or_(_people.dues_waived, _people.dues_paid_through >= today))
    elif flt.dues == "lapsed":
        conditions.append(and_(~_people.dues_waived, _people.dues_paid_through < today))
    if flt.ladder_stage is not None:
        conditions.append(_people.ladder_stage == flt.ladder_stage)
    if flt.consent == "contactable":
        conditions.append(~_people.do_not_contact)
    elif flt.consent == "do_not_contact":
        conditions.append(_people.do_not_contact.is_(True))
    elif flt.consent is not None:
        conditions.append(and_(getattr(_people, flt.consent), ~_people.do_not_contact))
    if flt.needs_review:
        conditions.append(_people.needs_review.is_(True))
    if flt.followup_pending:
        conditions.append(followup_pending_condition())
    return conditions


def _sort_columns(key: SortKey, today: date) -> list[Any]:
    first_role = (
        select(func.min(_role_types.name))
        .join(RoleAssignment.__table__, _roles.role_type_id == _role_types.id)
        .where(_roles.person_id == _people.id, _current_role_condition(today))
        .scalar_subquery()
    )
    first_tag = (
        select(func.min(_tags.name))
        .join(person_tags, person_tags.c.tag_id == _tags.id)
        .where(person_tags.c.person_id == _people.id)
        .scalar_subquery()
    )
    columns: dict[SortKey, list[Any]] = {
        SortKey.NAME: [_people.sort_key],
        SortKey.GIVEN_NAME: [func.lower(_people.given_name), _people.sort_key],
        SortKey.EMAIL: [_people.email_key, _people.sort_key],
        SortKey.PHONE: [_people.phone, _people.sort_key],
        SortKey.POSTAL_CODE: [_people.postal_code, _people.sort_key],
        SortKey.STATUS: [_people.status, _people.sort_key],
        SortKey.ROLES: [first_role.is_(None), first_role, _people.sort_key],
        SortKey.TAGS: [first_tag.is_(None), first_tag, _people.sort_key],
        SortKey.LADDER: [_ladder_rank(), _people.sort_key],
        SortKey.DUES: [_people.dues_waived, _people.dues_paid_through, _people.sort_key],
        SortKey.JOINED_VIA: [_people.joined_via, _people.sort_key],
        SortKey.CREATED: [_people.created_at, _people.id],
    }
    return columns[key]


def _ladder_rank() -> ColumnElement[int]:
    return case(
        {stage.value: rank for rank, stage in enumerate(LadderStage)},
        value=_people.ladder_stage,
        else_=0,
    )


def search_query(
    db: Database,
    text: str = "",
    flt: RosterFilter | None = None,
    sort: SortKey = SortKey.NAME,
    descending: bool = False,
    today: date | None = None,
) -> Select[int]:
    """The SELECT of matching person ids in display order (shared by list and count)."""
    today = today or date.today()
    conditions = _filter_conditions(flt or RosterFilter(), today, sqlite=db.is_sqlite)
    query = select(_people.id).where(*conditions)
    condition = _text_condition(db, text)
    if condition is not None:
        query = query.where(condition)
    order = _sort_columns(sort, today)
    if descending:
        order = [column.desc() for column in order]
    # id last, so equal keys keep a stable order between refreshes.
    return query.order_by(*order, _people.id.desc() if descending else _people.id)


def search_person_ids(
    db: Database,
    text: str = "",
    flt: RosterFilter | None = None,
    sort: SortKey = SortKey.NAME,
    descending: bool = False,
    limit: int | None = None,
) -> list[int]:
    """Ids of the people matching text and filter, in display order."""
    query = search_query(db, text, flt, sort, descending)
    if limit is not None:
        query = query.limit(limit)
    # A Core connection, not an ORM session, and the DBAPI cursor's own fetchall rather
    # than SQLAlchemy's row objects: 100,000 ids in 40 ms instead of 85 (and 170 by ORM).
    with db.engine.connect() as connection:
        result = connection.execute(query)
        try:
            return [person_id for (person_id,) in result.cursor.fetchall()]
        finally:
            result.close()


def count_people(db: Database, *, in_trash: bool = False) -> int:
    with db.read_session() as session:
        condition = _people.removed_at.is_not(None) if in_trash else _people.removed_at.is_(None)
        return (
            session.scalar(select(func.count()).select_from(Person.__table__).where(condition)) or 0
        )


def fetch_rows(db: Database, ids: Sequence[int], today: date | None = None) -> list[RosterRow]:
    """The rows for these ids, in the same order (ids no longer present are skipped)."""
    if not ids:
        return []
    today = today or date.today()
    rows: dict[int, RosterRow] = {}
    with db.read_session() as session:
        people = session.execute(
            select(
                _people.id,
                _people.uid,
                _people.given_name,
                _people.family_name,
                _people.preferred_name,
                _people.email,
                _people.phone,
                _people.postal_code,
                _people.status,
                _people.ladder_stage,
                _people.joined_via,
                _people.dues_paid_through,
                _people.dues_waived,
                _people.email_ok,
                _people.phone_ok,
                _people.mail_ok,
                _people.do_not_contact,
                _people.needs_review,
                _people.removed_at,
            ).where(_people.id.in_(ids))
        ).all()
        roles = _names_by_person(
            session,
            select(_roles.person_id, _role_types.name)
            .join(RoleType.__table__, _role_types.id == _roles.role_type_id)
            .where(_roles.person_id.in_(ids), _current_role_condition(today))
            .order_by(_role_types.sort_order, _role_types.name),
        )
        tags = _names_by_person(
            session,
            select(person_tags.c.person_id, _tags.name)
            .join(Tag.__table__, _tags.id == person_tags.c.tag_id)
            .where(person_tags.c.person_id.in_(ids))
            .order_by(_tags.name),
        )
    for row in people:
        values = row._asdict()
        rows[row.id] = RosterRow(
            **values, roles=tuple(roles.get(row.id, ())), tags=tuple(tags.get(row.id, ()))
        )
    return [rows[i] for i in ids if i in rows]


def _names_by_person(session: Session, query: Select[int, str]) -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = {}
    for person_id, name in session.execute(query):
        grouped.setdefault(person_id, []).append(name)
    return grouped


# --- reading one person -----------------------------------------------------------------


def get_person(db: Database, person_id: int) -> PersonDetail:
    with db.read_session() as session:
        person = session.get(
            Person,
            person_id,
            options=[
                selectinload(Person.tags),
                selectinload(Person.role_assignments).selectinload(RoleAssignment.role_type),
                selectinload(Person.invited_by),
            ],
        )
        if person is None:
            raise PersonError(f"No person with id {person_id} on this roster.")
        return _detail_of(session, person)


def _detail_of(session: Session, person: Person) -> PersonDetail:
    terms = tuple(
        RoleTerm(
            role_type_id=a.role_type_id,
            start_date=a.start_date,
            end_date=a.end_date,
            notes=a.notes,
            id=a.id,
            role_name=a.role_type.name,
        )
        for a in sorted(
            person.role_assignments, key=lambda a: (a.start_date or date.min, a.id), reverse=True
        )
    )
    data = PersonInput(
        **{name: getattr(person, name) for name in _PLAIN_FIELDS},
        tags=tuple(tag.name for tag in person.tags),
        roles=terms,
    )
    return PersonDetail(
        id=person.id,
        uid=person.uid,
        data=data,
        invited_by_name=person.invited_by.display_name if person.invited_by else "",
        created_at=person.created_at,
        updated_at=person.updated_at,
        removed_at=person.removed_at,
        erased_at=person.erased_at,
        needs_review=person.needs_review,
        review_reason=person.review_reason,
        source=person.source,
        history=tuple(_history(session, person, terms)),
    )


def _history(session: Session, person: Person, terms: Iterable[RoleTerm]) -> list[HistoryItem]:
    """What the person has done with the group, newest first.

    Events, trainings and letters are added here as those areas arrive.
    """
    items: list[HistoryItem] = []
    for term in terms:
        span = ""
        if term.start_date:
            span = f" from {term.start_date.isoformat()}"
        if term.end_date:
            span += f" to {term.end_date.isoformat()}"
        items.append(HistoryItem(term.start_date, "role", f"{term.role_name}{span}"))
    for event_date, title in session.execute(
        select(Event.starts_at, Event.title)
        .join(SignIn, SignIn.event_id == Event.id)
        .where(SignIn.person_id == person.id)
    ):
        items.append(HistoryItem(event_date.date(), "event", f"Attended {title}"))
    for start, title, attended in session.execute(
        select(Training.starts_at, Training.title, TrainingSignup.attended)
        .join(TrainingSignup, TrainingSignup.training_id == Training.id)
        .where(TrainingSignup.person_id == person.id)
    ):
        verb = "Trained at" if attended else "Signed up for"
        items.append(HistoryItem(start.date(), "training", f"{verb} {title}"))
    for written_on, count in session.execute(
        select(LetterWritten.written_on, LetterWritten.count).where(
            LetterWritten.writer_id == person.id
        )
    ):
        plural = "letter" if count == 1 else "letters"
        items.append(HistoryItem(written_on, "letter", f"Wrote {count} {plural}"))
    joined_when = person.joined_on or person.created_at.date()
    how = JOINED_VIA_LABELS[person.joined_via].lower()
    items.append(HistoryItem(joined_when, "joined", f"Joined the group ({how})"))
    return sorted(items, key=lambda item: item.when or date.min, reverse=True)


# --- checking and saving ----------------------------------------------------------------


@dataclass(frozen=True)
class CheckedPerson:
    """A PersonInput with its values normalised, and the problems left in it."""

    data: PersonInput
    problems: dict[str, str]  # field name -> message in words


def check_person(data: PersonInput, country: str) -> CheckedPerson:
    """Validate and normalise; never raises for a field a volunteer may keep as typed."""
    problems: dict[str, str] = {}
    checks: dict[str, FieldCheck] = {
        "email": check_email(data.email),
        "phone": check_phone(data.phone, country),
        "postal_code": check_postal_code(data.postal_code, (data.country or country)),
        "graduation_year": check_graduation_year(data.graduation_year, date.today().year),
    }
    for name, result in checks.items():
        if not result.ok:
            problems[name] = result.problem
    normalised = replace(
        data,
        given_name=data.given_name.strip(),
        family_name=data.family_name.strip(),
        preferred_name=data.preferred_name.strip(),
        email=checks["email"].value,
        phone=checks["phone"].value,
        postal_code=checks["postal_code"].value,
        country=data.country.strip().upper(),
        tags=tuple(dict.fromkeys(t.strip() for t in data.tags if t.strip())),
    )
    return CheckedPerson(normalised, problems)


_LABELS = {
    "given_name": "Given name",
    "family_name": "Family name",
    "preferred_name": "Preferred name",
    "email": "Email",
    "address_line1": "Address",
    "address_line2": "Address line 2",
    "city": "City",
    "region": "State/region",
    "school": "School",
}


def _refuse_unsaveable(data: PersonInput) -> None:
    """Problems no volunteer can keep: nothing to identify the person, absurd lengths."""
    if not (data.given_name or data.family_name or data.email or data.phone):
        raise PersonError("Give at least a name, an email or a phone number.")
    for name, label in _LABELS.items():
        if len(getattr(data, name)) > MAX_NAME_LENGTH:
            raise PersonError(f"{label}: at most {MAX_NAME_LENGTH} characters.")
    if len(data.phone) > 100 or len(data.postal_code) > 20:
        raise PersonError("Phone or postal code: far too long to be real.")
    for term in data.roles:
        if term.start_date and term.end_date and term.end_date < term.start_date:
            raise PersonError("Role term: the end date is before the start date.")


def _apply(session: Session, person: Person, data: PersonInput, problems: dict[str, str]) -> None:
    for name in _PLAIN_FIELDS:
        setattr(person, name, getattr(data, name))
    if data.invited_by_id is not None and data.invited_by_id == person.id:
        raise PersonError("Invited by: a person cannot have invited themselves.")
    person.needs_review = bool(problems)
    person.review_reason = "\n".join(problems.values())
    person.tags = _tags_named(session, data.tags)
    kept_ids = {term.id for term in data.roles if term.id is not None}
    for assignment in list(person.role_assignments):
        if assignment.id not in kept_ids:
            person.role_assignments.remove(assignment)
    by_id = {a.id: a for a in person.role_assignments}
    for term in data.roles:
        found = by_id.get(term.id) if term.id is not None else None
        if found is None:
            assignment = RoleAssignment(role_type_id=term.role_type_id)
            person.role_assignments.append(assignment)
        else:
            assignment = found
        assignment.role_type_id = term.role_type_id
        assignment.start_date = term.start_date
        assignment.end_date = term.end_date
        assignment.notes = term.notes


def _tags_named(session: Session, names: Iterable[str]) -> list[Tag]:
    wanted = list(dict.fromkeys(names))
    if not wanted:
        return []
    existing = {t.name: t for t in session.scalars(select(Tag).where(Tag.name.in_(wanted)))}
    tags = []
    for name in wanted:
        tag = existing.get(name)
        if tag is None:
            tag = Tag(name=name)
            session.add(tag)
        tags.append(tag)
    return tags


def create_person(db: Database, data: PersonInput, *, source: str = "") -> SaveResult:
    """Add someone to the roster. Problems in email/phone/postal code are kept and flagged."""
    checked = check_person(data, group_country(db))
    _refuse_unsaveable(checked.data)
    with db.session() as session:
        person = Person(source=source)
        session.add(person)
        _apply(session, person, checked.data, checked.problems)
        session.flush()
        return SaveResult(person.id, tuple(checked.problems.values()))


def update_person(db: Database, person_id: int, data: PersonInput) -> SaveResult:
    checked = check_person(data, group_country(db))
    _refuse_unsaveable(checked.data)
    with db.session() as session:
        person = session.get(Person, person_id, options=[selectinload(Person.role_assignments)])
        if person is None:
            raise PersonError(f"No person with id {person_id} on this roster.")
        if person.erased_at is not None:
            raise PersonError(
                "This person's data was erased on their request; it cannot be edited."
            )
        _apply(session, person, checked.data, checked.problems)
        return SaveResult(person.id, tuple(checked.problems.values()))


def find_duplicates(
    db: Database, *, email: str = "", phone: str = "", exclude_id: int | None = None
) -> list[DuplicateHit]:
    """People already on the roster (trash included) with the same email or phone.

    The same question a merge or an import asks (services.matching), with the trash
    included so that a dialog can say "already there, in the trash".
    """
    key = email_key(email)
    phone_value = phone_form(phone, group_country(db))
    people = Person.__table__.c
    hits = []
    with db.read_session() as session:
        rows = contact_rows(
            session.connection(),
            [people.id, people.given_name, people.preferred_name, people.family_name,
             people.email, people.email_key, people.phone, people.removed_at],
            email=email,
            phone=phone_value,
            include_trash=True,
            exclude_id=exclude_id,
            limit=20,
        )  # fmt: skip
        for row in rows:
            reason = "same email" if key and row.email_key == key else "same phone"
            hits.append(
                DuplicateHit(
                    id=row.id,
                    display_name=display_name(row.given_name, row.family_name, row.preferred_name),
                    email=row.email,
                    phone=row.phone,
                    reason=reason,
                    in_trash=row.removed_at is not None,
                )
            )
    return hits


# --- removal, trash and erasure -----------------------------------------------------------


def remove_people(db: Database, person_ids: Sequence[int]) -> int:
    """Move people to the trash; returns how many were moved. Nothing is deleted."""
    with db.session() as session:
        people = session.scalars(
            select(Person).where(Person.id.in_(person_ids), Person.removed_at.is_(None))
        ).all()
        now = utcnow()
        for person in people:
            person.removed_at = now
        return len(people)


def restore_people(db: Database, person_ids: Sequence[int]) -> int:
    """Bring people back from the trash."""
    with db.session() as session:
        people = session.scalars(
            select(Person).where(Person.id.in_(person_ids), Person.removed_at.is_not(None))
        ).all()
        for person in people:
            person.removed_at = None
        return len(people)


ERASED_NAME = "(erased)"


def erase_personal_data(db: Database, person_id: int) -> None:
    """On a person's request: blank what identifies them, keep the row so counts stay right.

    Their sign-ins, letters and dues stay as anonymous records; tags and notes go.
    """
    with db.session() as session:
        person = session.get(Person, person_id)
        if person is None:
            raise PersonError(f"No person with id {person_id} on this roster.")
        for name in (
            "family_name",
            "preferred_name",
            "email",
            "phone",
            "address_line1",
            "address_line2",
            "city",
            "region",
            "postal_code",
            "school",
            "notes",
            "review_reason",
            "source",
        ):
            setattr(person, name, "")
        person.given_name = ERASED_NAME
        person.graduation_year = None
        person.invited_by_id = None
        person.email_ok = person.phone_ok = person.mail_ok = False
        person.do_not_contact = True
        person.needs_review = False
        person.tags = []
        person.erased_at = utcnow()
        if person.removed_at is None:
            person.removed_at = person.erased_at
        session.execute(delete(person_tags).where(person_tags.c.person_id == person_id))
        # People they invited keep their own record, without the link to an erased name.
        for invited in session.scalars(select(Person).where(Person.invited_by_id == person_id)):
            invited.invited_by_id = None


# --- roles, tags and pickers --------------------------------------------------------------


def list_role_types(db: Database) -> list[RoleTypeRow]:
    # Core, not ORM: the roster's filter menu reads this while the window starts.
    query = select(_role_types.id, _role_types.name, _role_types.builtin).order_by(
        _role_types.sort_order, _role_types.name
    )
    with db.engine.connect() as conn:
        return [RoleTypeRow(r.id, r.name, r.builtin) for r in conn.execute(query)]


def add_role_type(db: Database, name: str) -> RoleTypeRow:
    """A role the group invents; refuses a name that exists (in any case)."""
    clean = " ".join(name.split())
    if not clean:
        raise PersonError("Role: give the role a name.")
    if len(clean) > 100:
        raise PersonError("Role: at most 100 characters.")
    with db.session() as session:
        taken = session.scalar(select(RoleType).where(func.lower(RoleType.name) == clean.lower()))
        if taken is not None:
            raise PersonError(f"Role: there is already a role called {taken.name}.")
        role = RoleType(name=clean, builtin=False, sort_order=1000)
        session.add(role)
        session.flush()
        return RoleTypeRow(role.id, role.name, role.builtin)


def list_tags(db: Database) -> list[str]:
    with db.engine.connect() as conn:
        return list(conn.scalars(select(_tags.name).order_by(_tags.name)))


@dataclass(frozen=True)
class PersonChoice:
    id: int
    display_name: str
    detail: str  # email or postal code, to tell two people of the same name apart


def person_choices(
    db: Database, text: str, *, limit: int = 20, exclude_id: int | None = None
) -> list[PersonChoice]:
    """People to pick from (e.g. "invited by"), best matches first."""
    ids = search_person_ids(db, text, limit=limit + 1)
    choices = [
        PersonChoice(row.id, row.display_name, row.email or row.postal_code)
        for row in fetch_rows(db, ids)
        if row.id != exclude_id
    ]
    return choices[:limit]


def roster_summary(db: Database, text: str = "", flt: RosterFilter | None = None) -> int:
    """How many people match; what the status bar shows under the search box."""
    query = search_query(db, text, flt).order_by(None)
    with db.read_session() as session:
        return session.scalar(select(func.count()).select_from(query.subquery())) or 0


# --- for tables that keep the display order themselves -----------------------------------


def match_person_ids(db: Database, text: str) -> frozenset[int] | None:
    """Ids of everyone (trash included) whose names, email, phone or postal code match text.

    None when the text narrows nothing (empty once folded). It is the text part of
    search_person_ids with no filter and no order: a table that already holds the ids of
    its filter in display order keeps those found here, which at 100,000 people is
    several times faster per keystroke than a sorted query (bench/bench_roster_search.py).
    """
    if not fold(text):
        return None
    search = _text_search(text)
    if db.is_sqlite and search is not None:
        # The words _text_condition looks for, asked of the index alone: no join back to
        # people and no ORM rows (19,000 matches: about 10 ms instead of 40).
        sql = "SELECT rowid FROM person_fts WHERE person_fts MATCH ?"
        sql += " AND search_text LIKE ? ESCAPE '\\'" * len(search.short_words)
        parameters = (search.fts_query, *map(_like_pattern, search.short_words))
        with db.engine.connect() as connection:
            sqlite_connection: Any = connection.connection.driver_connection
            cursor = sqlite_connection.execute(sql, parameters)
            return frozenset(person_id for (person_id,) in cursor)
    condition = _text_condition(db, text)
    if condition is None:
        return None
    with db.read_session() as session:
        return frozenset(session.scalars(select(Person.id).where(condition)))


def review_reasons(db: Database, person_ids: Sequence[int]) -> dict[int, str]:
    """Why each of these people is flagged for review (only those flagged are returned)."""
    if not person_ids:
        return {}
    with db.read_session() as session:
        rows = session.execute(
            select(Person.id, Person.review_reason).where(
                Person.id.in_(person_ids), Person.needs_review.is_(True)
            )
        )
        return {person_id: reason for person_id, reason in rows}


__all__ = [
    "CheckedPerson",
    "DuplicateHit",
    "HistoryItem",
    "PersonChoice",
    "PersonDetail",
    "PersonError",
    "PersonInput",
    "RoleTerm",
    "RoleTypeRow",
    "RosterFilter",
    "RosterRow",
    "SaveResult",
    "SortKey",
    "add_role_type",
    "check_person",
    "count_people",
    "create_person",
    "erase_personal_data",
    "fetch_rows",
    "find_duplicates",
    "get_person",
    "list_role_types",
    "list_tags",
    "match_person_ids",
    "person_choices",
    "remove_people",
    "restore_people",
    "review_reasons",
    "roster_summary",
    "search_person_ids",
]
