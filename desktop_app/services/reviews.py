"""The review list: likely duplicates and conflicting values, decided by a person.

A merge of sign-ups (services.bundles) and an import (services.importer) each find,
while they match people, what a person must decide: a "duplicate" (two people who may
be one) or a "conflict" (a field with two different non-empty values). They collect
these as ``PendingReview`` and write them as review items in their own transaction;
this module lists them (``list_reviews``, ``count_open_reviews``) and carries out the
decision (``merge_people``, ``keep_apart``, ``resolve_conflict``).

It also holds the rules both use to compare and describe a person's values
(``is_empty_value``, ``same_value``, ``jsonable``, ``fingerprint``, ``review_details``,
``derived_columns``, ``display_name``), so that a merge, an import and the review list
call two values the same or different in the same way.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Table, delete, exists, func, select, update

from desktop_app.db import Database
from desktop_app.models import Base, ReviewItem, SignIn, utcnow
from desktop_app.models.people import (
    SEARCHED_FIELDS,
    JoinedVia,
    LadderStage,
    Person,
    PersonStatus,
)
from desktop_app.services.group import group_country
from desktop_app.services.matching import Known, chunks, phone_form, rows_in
from desktop_app.services.validation import normalise_postal_code
from desktop_app.text import digits_only, display_name, email_key, fold, search_text, sort_key

KIND_DUPLICATE = "duplicate"
KIND_CONFLICT = "conflict"
RESOLVED_MERGED = "merged"
RESOLVED_KEPT_APART = "kept_apart"
RESOLVED_USED_THEIRS = "used_theirs"
RESOLVED_KEPT_OURS = "kept_ours"
RESOLVED_IMPORT_UNDONE = "import_undone"
# merge_people's field_choices: keep's value or the other's.
KEEP = "keep"
OTHER = "other"

# merge_people leaves this in the notes of the person merged away, so that a bundle
# naming them later finds the person they went into (services.bundles reads it).
MERGED_INTO = re.compile(r"Merged into ([0-9a-fA-F-]{36})")

# Person fields a merge or an import fills when empty and raises a conflict over when
# they differ (besides these: graduation year, joining date, consent, status).
TEXT_FIELDS = (
    "given_name", "family_name", "preferred_name", "email", "phone", "address_line1",
    "address_line2", "city", "region", "postal_code", "country", "school", "notes",
)  # fmt: skip
CONSENT_FIELDS = ("email_ok", "phone_ok", "mail_ok")
# Engagement only climbs: a stage's rank, to take the higher of two.
LADDER_RANK = {stage: rank for rank, stage in enumerate(LadderStage)}

_people: Table = Person.__table__  # type: ignore[assignment]
_sign_ins: Table = SignIn.__table__  # type: ignore[assignment]
_reviews: Table = ReviewItem.__table__  # type: ignore[assignment]

FieldValue = str | int | bool | date | None


class ReviewError(ValueError):
    """A review decision that cannot be carried out; str() says why."""


# --------------------------------------------------------------------------------------
# A person's values: compared, described, kept in a review's details
# --------------------------------------------------------------------------------------


def is_empty_value(value: Any) -> bool:
    """Nothing there: None, or text of white space only."""
    return value is None or (isinstance(value, str) and not value.strip())


def same_value(
    name: str, ours: Any, theirs: Any, country: str, *, parse_phones: bool = True
) -> bool:
    """Whether two values of the field name say the same (so that they are no conflict).

    Emails by their key; postal codes tidied for country; phones by their digits or,
    with parse_phones, as one number once parsed for country (an import compares digits
    only: its rows bring phones in E.164 already, where they parse); notes when theirs
    sits inside ours (merged or imported before); other text folded.
    """
    if ours == theirs:
        return True
    if not (isinstance(ours, str) and isinstance(theirs, str)):
        return False
    if name == "email":
        return email_key(ours) == email_key(theirs)
    if name == "phone":
        if parse_phones and phone_form(ours, country) == phone_form(theirs, country):
            return True
        return digits_only(ours) == digits_only(theirs) != ""
    if name == "postal_code":
        return normalise_postal_code(ours, country) == normalise_postal_code(theirs, country)
    if name == "notes":
        return theirs.strip() in ours
    return fold(ours) == fold(theirs)


def jsonable(value: Any) -> Any:
    """A value as a review's JSON details keep it: enums as their value, dates as ISO text."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def fingerprint(value: Any) -> str:
    """A value reduced so that a conflict raised once is known again (text folded)."""
    if isinstance(value, str):
        return fold(value)
    return json.dumps(value, sort_keys=True)


def review_details(text: str) -> dict[str, Any]:
    """A review item's JSON details; {} for anything that is not a JSON object."""
    try:
        value = json.loads(text or "{}")
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def derived_columns(values: Mapping[str, Any]) -> dict[str, str]:
    """email_key, sort_key and search_text, from the same functions the ORM listener uses."""
    return {
        "email_key": email_key(values.get("email") or ""),
        "sort_key": sort_key(values.get("given_name") or "", values.get("family_name") or ""),
        "search_text": search_text(
            **{name: str(values.get(name) or "") for name in SEARCHED_FIELDS}
        ),
    }


@dataclass
class PendingReview:
    """A review item a merge or an import has raised, written with its transaction."""

    kind: str  # KIND_DUPLICATE or KIND_CONFLICT
    person: Known
    other: Known | None  # the second person of a duplicate
    details: dict[str, Any]


# Both people's values a duplicate keeps, as they were when it was raised.
_DUPLICATE_SHOWN = ("given_name", "family_name", "email", "phone", "postal_code", "city")


def duplicate_review(
    person: Known, other: Known, reason: str, score: float | None, **origin: Any
) -> PendingReview:
    """A likely duplicate: person (the newcomer) beside other, why, and how alike.

    score is the likeness of the names, 0-100 (kept as 0-1); origin names where the
    two were found (a bundle's uid; an import's row and file).
    """
    details = {
        "reason": reason,
        "score": round(score / 100, 3) if score is not None else None,
        "fields": {
            name: [jsonable(person.get(name)), jsonable(other.get(name))]
            for name in _DUPLICATE_SHOWN
        },
        **origin,
    }
    return PendingReview(KIND_DUPLICATE, person, other, details)


def conflict_review(
    target: Known, name: str, ours: Any, theirs: Any, **origin: Any
) -> PendingReview:
    """A conflict: target's value of the field name beside a different one, and whence."""
    details = {"field": name, "ours": jsonable(ours), "theirs": jsonable(theirs), **origin}
    return PendingReview(KIND_CONFLICT, target, None, details)


# --------------------------------------------------------------------------------------
# The review list
# --------------------------------------------------------------------------------------

# Shown side by side, in this order; also the fields merge_people chooses between.
REVIEW_FIELDS: tuple[str, ...] = (
    "given_name", "family_name", "preferred_name", "email", "phone", "address_line1",
    "address_line2", "city", "region", "postal_code", "country", "school",
    "graduation_year", "joined_on", "joined_via", "status", "ladder_stage",
    "dues_paid_through", "dues_waived", "email_ok", "phone_ok", "mail_ok", "do_not_contact",
    "notes",
)  # fmt: skip


@dataclass(frozen=True)
class PersonSide:
    """One person of a review, as the side-by-side view shows them."""

    id: int
    uid: str
    display_name: str
    values: Mapping[str, FieldValue]  # REVIEW_FIELDS -> value (enums as their text value)
    in_trash: bool
    erased: bool
    events_attended: int
    source: str
    created_at: datetime


@dataclass(frozen=True)
class ReviewRow:
    """A review item with both sides. For a conflict, other is None and field/ours/theirs
    say what differs; for a duplicate, differing lists fields with two different values."""

    id: int
    kind: str  # "duplicate" or "conflict"
    origin: str  # the bundle (or import) it came from
    created_at: datetime
    resolved_at: datetime | None
    resolution: str  # "" while open, else one of the RESOLVED_* values
    reason: str
    score: float | None  # name likeness 0-1, for likely duplicates
    person: PersonSide
    other: PersonSide | None
    field: str = ""
    ours: FieldValue = None
    theirs: FieldValue = None
    differing: tuple[str, ...] = ()


@dataclass(frozen=True)
class PeopleMerged:
    """What merge_people did: rows moved per table, and same-event duplicates folded."""

    keep_id: int
    other_id: int
    moved: Mapping[str, int]
    folded: Mapping[str, int]


def _side_values(row: Any) -> dict[str, FieldValue]:
    values: dict[str, FieldValue] = {}
    for name in REVIEW_FIELDS:
        value = getattr(row, name)
        values[name] = value.value if isinstance(value, enum.Enum) else value
    return values


def count_open_reviews(db: Database) -> int:
    """How many review items wait for a decision (for a badge on the menu)."""
    with db.read_session() as session:
        count = session.scalar(
            select(func.count()).select_from(_reviews).where(_reviews.c.resolved_at.is_(None))
        )
        return int(count or 0)


def list_reviews(db: Database, open_only: bool = True) -> list[ReviewRow]:
    """Review items, oldest first, each with both people's fields side by side."""
    # Phones and postal codes are compared as read in the group's country, as a merge does.
    country = group_country(db)
    with db.read_session() as session:
        conn = session.connection()
        query = select(_reviews).order_by(_reviews.c.id)
        if open_only:
            query = query.where(_reviews.c.resolved_at.is_(None))
        items = conn.execute(query).all()
        ids = {item.person_id for item in items} | {
            item.other_person_id for item in items if item.other_person_id is not None
        }
        columns = [_people.c[name] for name in REVIEW_FIELDS]
        people = {
            row.id: row
            for row in rows_in(
                conn,
                select(
                    _people.c.id,
                    _people.c.uid,
                    _people.c.removed_at,
                    _people.c.erased_at,
                    _people.c.source,
                    _people.c.created_at,
                    *columns,
                ),
                _people.c.id,
                ids,
            )
        }
        attended: dict[int, int] = {}
        for chunk in chunks(sorted(ids)):
            for person_id, count in conn.execute(
                select(_sign_ins.c.person_id, func.count())
                .where(_sign_ins.c.person_id.in_(chunk))
                .group_by(_sign_ins.c.person_id)
            ):
                attended[person_id] = int(count)

    def side(person_id: int | None) -> PersonSide | None:
        if person_id is None or person_id not in people:
            return None
        row = people[person_id]
        values = _side_values(row)
        return PersonSide(
            id=row.id,
            uid=row.uid,
            display_name=display_name(row.given_name, row.family_name, row.preferred_name),
            values=values,
            in_trash=row.removed_at is not None,
            erased=row.erased_at is not None,
            events_attended=attended.get(row.id, 0),
            source=row.source,
            created_at=row.created_at,
        )

    rows = []
    for item in items:
        person = side(item.person_id)
        if person is None:
            continue
        other = side(item.other_person_id)
        details = review_details(item.details)
        score = details.get("score")
        if isinstance(score, int | float) and not isinstance(score, bool):
            score = float(score) / 100 if score > 1 else float(score)
        else:
            score = None
        differing: tuple[str, ...] = ()
        if other is not None:
            differing = tuple(
                name
                for name in REVIEW_FIELDS
                if not is_empty_value(person.values[name])
                and not is_empty_value(other.values[name])
                and not same_value(name, person.values[name], other.values[name], country)
            )
        rows.append(
            ReviewRow(
                id=item.id,
                kind=item.kind,
                origin=item.origin,
                created_at=item.created_at,
                resolved_at=item.resolved_at,
                resolution=item.resolution,
                reason=str(details.get("reason") or ""),
                score=score,
                person=person,
                other=other,
                field=str(details.get("field") or ""),
                ours=details.get("ours"),
                theirs=details.get("theirs"),
                differing=differing,
            )
        )
    return rows


def _open_review(conn: Connection, review_id: int, kind: str) -> Any:
    review = conn.execute(select(_reviews).where(_reviews.c.id == review_id)).first()
    if review is None:
        raise ReviewError(f"Review {review_id}: there is no such review item.")
    if review.resolved_at is not None:
        raise ReviewError(f"Review {review_id}: already decided ({review.resolution}).")
    if review.kind != kind:
        raise ReviewError(f"Review {review_id}: is a {review.kind}, not a {kind}.")
    return review


def _resolve(conn: Connection, review_id: int, resolution: str, now: datetime) -> None:
    conn.execute(
        update(_reviews)
        .where(_reviews.c.id == review_id)
        .values(resolved_at=now, resolution=resolution)
    )


def keep_apart(db: Database, review_id: int) -> None:
    """The two people of a likely duplicate are different people: close the review."""
    with db.session() as session:
        conn = session.connection()
        _open_review(conn, review_id, KIND_DUPLICATE)
        _resolve(conn, review_id, RESOLVED_KEPT_APART, utcnow())


def _value_for(name: str, raw: Any) -> Any:
    """A value from a review's JSON details, back in the column's own type."""
    if name in TEXT_FIELDS:
        return "" if raw is None else str(raw)
    if name == "graduation_year":
        return None if raw is None else int(raw)
    if name == "joined_on":
        return None if raw is None else date.fromisoformat(str(raw))
    if name == "status":
        return PersonStatus(raw)
    if name in (*CONSENT_FIELDS, "do_not_contact"):
        return bool(raw)
    raise ReviewError(f"{name}: not a field a review can change.")


def resolve_conflict(db: Database, review_id: int, use_theirs: bool) -> None:
    """Keep our value (use_theirs False) or take the bundle's value for the field."""
    with db.session() as session:
        conn = session.connection()
        review = _open_review(conn, review_id, KIND_CONFLICT)
        now = utcnow()
        if use_theirs:
            details = review_details(review.details)
            name = str(details.get("field") or "")
            try:
                value = _value_for(name, details.get("theirs"))
            except (TypeError, ValueError) as exc:
                raise ReviewError(f"Review {review_id}: the bundle's value is unusable.") from exc
            row = conn.execute(select(_people).where(_people.c.id == review.person_id)).one()
            if row.erased_at is not None:
                raise ReviewError(
                    "This person's data was erased on their request; it cannot be changed."
                )
            changes: dict[str, Any] = {name: value, "updated_at": now}
            if name in SEARCHED_FIELDS:
                changes.update(derived_columns({**row._mapping, name: value}))
            conn.execute(update(_people).where(_people.c.id == row.id).values(changes))
        _resolve(conn, review_id, RESOLVED_USED_THEIRS if use_theirs else RESOLVED_KEPT_OURS, now)


_MERGE_FIELDS = frozenset(REVIEW_FIELDS) | {"invited_by_id"}


def _merged_values(
    keep: Mapping[str, Any], other: Mapping[str, Any], choices: Mapping[str, str]
) -> dict[str, Any]:
    """keep's values after the merge: each field as chosen, else the rule that loses nothing."""
    result: dict[str, Any] = {}
    for name in sorted(_MERGE_FIELDS):
        ours, theirs = keep[name], other[name]
        choice = choices.get(name)
        if choice == KEEP:
            value = ours
        elif choice == OTHER:
            value = theirs
        elif name == "notes":
            parts = [part for part in (ours.strip(), theirs.strip()) if part]
            value = ours if theirs.strip() in ours else "\n\n".join(parts)
        elif name in ("dues_waived", "do_not_contact", *CONSENT_FIELDS):
            value = bool(ours) or bool(theirs)  # an objection or a waiver is never dropped
        elif name == "dues_paid_through":
            value = max((d for d in (ours, theirs) if d is not None), default=None)
        elif name == "joined_on":
            value = min((d for d in (ours, theirs) if d is not None), default=None)
        elif name == "ladder_stage":
            value = max(LadderStage(ours), LadderStage(theirs), key=LADDER_RANK.__getitem__)
        elif name == "status":
            value = theirs if ours == PersonStatus.PROSPECT else ours
        elif name == "joined_via":
            value = theirs if ours == JoinedVia.OTHER else ours
        else:
            value = theirs if is_empty_value(ours) else ours
        if value != ours:
            result[name] = value
    if result.get("invited_by_id", keep["invited_by_id"]) in (keep["id"], other["id"]):
        result["invited_by_id"] = None  # nobody invited themselves
    return result


def person_references(*skipped: Table) -> list[tuple[Table, Any]]:
    """Every (table, column) pointing at people.id but in the skipped tables, from the
    models, so new tables count."""
    return [
        (table, key.parent)
        for table in Base.metadata.sorted_tables
        if all(table is not skip for skip in skipped)
        for key in table.foreign_keys
        if key.column is _people.c.id
    ]


def _unique_sets(table: Table, column: Any) -> list[list[Any]]:
    """Unique column sets of table that include column (constraints and unique indexes)."""
    sets = []
    for constraint in table.constraints:
        columns = list(getattr(constraint, "columns", ()))
        is_unique = type(constraint).__name__ in ("UniqueConstraint", "PrimaryKeyConstraint")
        if is_unique and column in columns:
            sets.append(columns)
    for index in table.indexes:
        if index.unique and column in list(index.columns):
            sets.append(list(index.columns))
    return sets


def merge_people(
    db: Database,
    review_id: int,
    keep_id: int,
    other_id: int,
    field_choices: Mapping[str, str] | None = None,
) -> PeopleMerged:
    """Merge a likely duplicate: other's records move onto keep, other goes to the trash.

    field_choices maps a field of REVIEW_FIELDS to "keep" or "other"; fields not named
    keep keep's value when it has one and take other's when it is empty (notes are
    joined, consent objections and dues waivers kept, the later dues date and the
    earlier joining date taken). Sign-ins, roles, tags, follow-ups, letters, dues,
    donations and trainings move to keep; where both have a row that may exist once
    (the same event, tag or training) keep's stays and takes what it lacked. other is
    not deleted: it goes to the trash with a note "Merged into <keep's uid>", so a later
    bundle that names other's uid finds keep. One transaction.
    """
    choices = dict(field_choices or {})
    for name, choice in choices.items():
        if name not in _MERGE_FIELDS:
            raise ReviewError(f"{name}: not a field that can be chosen in a merge.")
        if choice not in (KEEP, OTHER):
            raise ReviewError(f"{name}: choose {KEEP!r} or {OTHER!r}, not {choice!r}.")
    if keep_id == other_id:
        raise ReviewError("A person cannot be merged with themselves.")
    with db.session() as session:
        conn = session.connection()
        review = _open_review(conn, review_id, KIND_DUPLICATE)
        if {keep_id, other_id} != {review.person_id, review.other_person_id}:
            raise ReviewError(f"Review {review_id}: is not about these two people.")
        rows = {
            row.id: row
            for row in conn.execute(select(_people).where(_people.c.id.in_((keep_id, other_id))))
        }
        keep, other = dict(rows[keep_id]._mapping), dict(rows[other_id]._mapping)
        if keep["erased_at"] is not None or other["erased_at"] is not None:
            raise ReviewError("A person whose data was erased on request cannot be merged.")
        if keep["removed_at"] is not None:
            raise ReviewError("The person to keep is in the trash; restore them first.")
        now = utcnow()
        moved: dict[str, int] = {}
        folded: dict[str, int] = {}
        for table, column in person_references(_people, _reviews):
            for unique in _unique_sets(table, column):
                count = _fold_clashes(conn, table, column, unique, keep_id, other_id)
                if count:
                    folded[table.name] = folded.get(table.name, 0) + count
            result = conn.execute(
                update(table).where(column == other_id).values({column.name: keep_id})
            )
            if result.rowcount:
                moved[table.name] = moved.get(table.name, 0) + int(result.rowcount)
        # People other invited were invited by keep now (never keep by keep).
        conn.execute(
            update(_people)
            .where(_people.c.invited_by_id == other_id, _people.c.id != keep_id)
            .values(invited_by_id=keep_id)
        )
        changes = _merged_values(keep, other, choices)
        if any(name in changes for name in SEARCHED_FIELDS):
            changes.update(derived_columns({**keep, **changes}))
        changes["updated_at"] = now
        conn.execute(update(_people).where(_people.c.id == keep_id).values(changes))
        marker = f"Merged into {keep['uid']} on {now.date().isoformat()} (review {review_id})."
        conn.execute(
            update(_people)
            .where(_people.c.id == other_id)
            .values(
                removed_at=now,
                updated_at=now,
                notes="\n".join(part for part in (other["notes"].rstrip(), marker) if part),
            )
        )
        _resolve(conn, review_id, RESOLVED_MERGED, now)
        _repoint_reviews(conn, keep_id, other_id, now)
        return PeopleMerged(keep_id=keep_id, other_id=other_id, moved=moved, folded=folded)


def _fold_clashes(
    conn: Connection, table: Table, column: Any, unique: Sequence[Any], keep_id: int, other_id: int
) -> int:
    """Delete other's rows that keep already has (same event, tag...), after keep takes
    from them what it lacks (for sign-ins: how they heard, interests, consent)."""
    twin = table.alias("twin")
    same = [twin.c[c.name] == table.c[c.name] for c in unique if c is not column]
    clash = exists().where(twin.c[column.name] == keep_id, *same)
    if table is _sign_ins:
        _fill_twin_sign_ins(conn, keep_id, other_id)
    result = conn.execute(delete(table).where(column == other_id, clash))
    return int(result.rowcount or 0)


def _fill_twin_sign_ins(conn: Connection, keep_id: int, other_id: int) -> None:
    theirs = {
        row.event_id: row
        for row in conn.execute(select(_sign_ins).where(_sign_ins.c.person_id == other_id))
    }
    if not theirs:
        return
    for row in conn.execute(
        select(_sign_ins).where(
            _sign_ins.c.person_id == keep_id, _sign_ins.c.event_id.in_(list(theirs))
        )
    ).all():
        twin = theirs[row.event_id]
        changes: dict[str, Any] = {
            name: getattr(twin, name)
            for name in ("how_heard", "interests", "consent_text")
            if not getattr(row, name) and getattr(twin, name)
        }
        if twin.consent_given and not row.consent_given:
            changes["consent_given"] = True
        if twin.signed_in_at < row.signed_in_at:
            changes["signed_in_at"] = twin.signed_in_at
        if changes:
            conn.execute(update(_sign_ins).where(_sign_ins.c.id == row.id).values(changes))


def _repoint_reviews(conn: Connection, keep_id: int, other_id: int, now: datetime) -> None:
    """Open reviews about other are about keep now; one of keep against keep is settled."""
    for name in ("person_id", "other_person_id"):
        conn.execute(
            update(_reviews)
            .where(_reviews.c[name] == other_id, _reviews.c.resolved_at.is_(None))
            .values({name: keep_id})
        )
    conn.execute(
        update(_reviews)
        .where(
            _reviews.c.person_id == keep_id,
            _reviews.c.other_person_id == keep_id,
            _reviews.c.resolved_at.is_(None),
        )
        .values(resolved_at=now, resolution=RESOLVED_MERGED)
    )


__all__ = [
    "CONSENT_FIELDS",
    "KEEP",
    "KIND_CONFLICT",
    "KIND_DUPLICATE",
    "LADDER_RANK",
    "MERGED_INTO",
    "OTHER",
    "RESOLVED_IMPORT_UNDONE",
    "RESOLVED_KEPT_APART",
    "RESOLVED_KEPT_OURS",
    "RESOLVED_MERGED",
    "RESOLVED_USED_THEIRS",
    "REVIEW_FIELDS",
    "TEXT_FIELDS",
    "FieldValue",
    "PendingReview",
    "PeopleMerged",
    "PersonSide",
    "ReviewError",
    "ReviewRow",
    "conflict_review",
    "count_open_reviews",
    "derived_columns",
    "display_name",
    "duplicate_review",
    "fingerprint",
    "is_empty_value",
    "jsonable",
    "keep_apart",
    "list_reviews",
    "merge_people",
    "person_references",
    "resolve_conflict",
    "review_details",
    "same_value",
]
