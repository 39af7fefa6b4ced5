"""Importing people from a list someone was handed, and undoing an import afterwards.

A list arrives as a ``RawTable`` (exports.people_file) with a ``ColumnMapping``
(services.import_mapping, guessed and then corrected by the user); its rows become
candidates, and this module decides, row by row, what each one is:

- **matched** (certain): the same email (any case) or the same phone (E.164) as someone
  on the roster or an earlier row of the same file, with names that do not contradict
  it; or, with neither, the identical name and postal code (so a list of names alone
  imported twice adds nobody the second time). A match fills the person's *empty*
  fields only, each fill recorded with its old value (``import_changes``), and adds
  the row's tags. A different non-empty value is left alone and becomes a "conflict"
  review item; consent only widens, and "do not contact" is honoured at once (the same
  rules as a merge of sign-ups, services.bundles).
- **added**, and put up for review when uncertain: a likely duplicate by name and
  postal code (services.matching), or the same email or phone under a clearly
  different name (a couple's email, a household's landline). The row is *added* as a
  new person and a "duplicate" review item shows the two side by side on the Review
  page, where "Merge into one" or "Keep apart" settles it. Holding such rows back
  instead would put them nowhere a volunteer looks, and a merge from the Review page
  loses nothing (the newcomer's sign-ins and tags move onto the person kept).
  A row whose values did not check out (an email without @, a phone that is not a
  number) is added with ``needs_review`` set and the problems as its reason, as the
  person dialog does.
- **rejected**: nothing to identify the person by (the mapping says why), or a value
  longer than the roster can hold. Rejected rows go to a rejects file, row number,
  reason and the original values, in the data folder's ``rejects/`` (formula-like
  cells neutralised with exports.safe_cells.csv_text), for the user to open.

An import is ONE transaction: any failure, or Cancel, leaves the database as it was.
Each person added records where they came from (``source`` "import: list.csv,
2026-11-25") and the batch (``import_batch_id``). With a tag, every row's person gets
that tag. With an event, every row's person is **signed in at that event** (a sign-in
with source "import"): a Google Forms or Eventbrite list of who came is attendance,
so the event's attendance count, its first-timers and the follow-ups for new people
work as for a sign-in sheet. Someone already signed in there keeps their sign-in.

``undo_import`` undoes a batch as a whole, and is itself reversible: the people it
added go to the **trash** (never deleted; restoring them from the trash brings them
back as they were), with a note saying why. People the group has since worked with
(edited after the import, signed in at another event, given a role, a follow-up, a
letter, a dues payment...) stay on the roster: removing them would hide work done
since; the summary names them. Fields the import filled get their old value back
unless someone has changed them since, tags and sign-ins it added are taken away,
and its open review items are closed.

``plan_import`` runs the same decisions in a read-only session (a dry run: counts and
each row's decision, nothing written), so the counts it shows are the counts an
import then gets. ``import_steps`` is the generator for tasks.runner.run_task;
``import_people`` runs it to the end.

Speed (bench/bench_import.py): the roster is read with a few set-based queries, or
one scan when the list is large beside it, and one scan of names (services.matching);
each row's name is folded once. New people go in with executemany of tuples on
SQLite while the full-text triggers are set aside; when more people come than there
are, the people indexes are dropped and built again in one pass. The new id range is
indexed for search in one INSERT ... SELECT (search_index), and while SQLite builds
those indexes (without the GIL) a helper thread looks for likely duplicates by name.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import time
import uuid
from collections.abc import Callable, Generator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, insert, select, update
from sqlalchemy.exc import DBAPIError

from desktop_app import config, search_index
from desktop_app.db import Database, bulk_write_settings
from desktop_app.exports.people_file import RawTable, paused_gc
from desktop_app.exports.safe_cells import csv_text
from desktop_app.models import (
    Event,
    ImportBatch,
    ImportChange,
    JoinedVia,
    LadderStage,
    Person,
    PersonStatus,
    ReviewItem,
    SignIn,
    SignInSource,
    Tag,
    person_tags,
    utcnow,
)
from desktop_app.models.people import SEARCHED_FIELDS
from desktop_app.services import group as group_service
from desktop_app.services import matching
from desktop_app.services.import_mapping import (
    Candidate,
    ColumnMapping,
    RejectedRow,
    rows_to_candidates,
)
from desktop_app.services.matching import Known, Names, PeopleMatcher, chunks, rows_in
from desktop_app.services.reviews import (
    CONSENT_FIELDS,
    KIND_CONFLICT,
    KIND_DUPLICATE,
    RESOLVED_IMPORT_UNDONE,
    TEXT_FIELDS,
    PendingReview,
    conflict_review,
    derived_columns,
    duplicate_review,
    fingerprint,
    is_empty_value,
    jsonable,
    person_references,
    review_details,
    same_value,
)
from desktop_app.services.validation import check_email
from desktop_app.tasks.steps import run_to_end
from desktop_app.text import display_name, email_key, search_text, sort_key

ADD = "add"
MATCH = "match"
REVIEW = "review"  # added, with a review item
REJECT = "reject"

REASON_SAME_EMAIL = "same email"
REASON_SAME_PHONE = "same phone"
REASON_SAME_NAME_POSTAL = "same name and postal code"

NO_ROWS = "the list has no rows below its header; there is no one to import"
NO_USABLE_NAME = "no given or family name with letters in it, and no email or phone"

PROGRESS_EVERY = 2_000
BULK_ROWS = 20_000  # lists this long are written with a rollback journal (bulk_write_settings)
REJECTS_FOLDER = "rejects"

_people: Table = Person.__table__  # type: ignore[assignment]
_batches: Table = ImportBatch.__table__  # type: ignore[assignment]
_changes: Table = ImportChange.__table__  # type: ignore[assignment]
_reviews: Table = ReviewItem.__table__  # type: ignore[assignment]
_sign_ins: Table = SignIn.__table__  # type: ignore[assignment]
_events: Table = Event.__table__  # type: ignore[assignment]
_tags: Table = Tag.__table__  # type: ignore[assignment]

# Fields a row may fill, compare and hold; names as on Candidate and on people.
_MATCHER_COLUMNS = (
    "id", "uid", "removed_at", "erased_at", "email_key", *TEXT_FIELDS, "graduation_year",
    "status", *CONSENT_FIELDS, "do_not_contact",
)  # fmt: skip
# Change records name these besides the people fields.
CHANGE_TAG = "tag"
CHANGE_SIGN_IN = "sign_in"

# Columns a new person is written with, in this order (the rest keep NULL).
_NEW_COLUMNS = (
    "id", "uid", "given_name", "family_name", "preferred_name", "email", "email_key",
    "phone", "address_line1", "address_line2", "city", "region", "postal_code", "country",
    "status", "dues_waived", "school", "graduation_year", "joined_via", "ladder_stage",
    "email_ok", "phone_ok", "mail_ok", "do_not_contact", "notes", "needs_review",
    "review_reason", "search_text", "sort_key", "origin_laptop", "source",
    "import_batch_id", "created_at", "updated_at",
)  # fmt: skip


def _column_limits() -> dict[str, int]:
    limits = {}
    for name in TEXT_FIELDS:
        length = getattr(_people.c[name].type, "length", None)
        if length:
            limits[name] = int(length)
    return limits


_LIMITS = _column_limits()
_TAG_LIMIT = int(getattr(_tags.c.name.type, "length", 100) or 100)
# For the quick check of a whole row: the smallest limit of each group of fields.
_SHORT_GROUP = min(_LIMITS[name] for name in ("city", "region", "school"))
_LONG_GROUP = min(
    _LIMITS[name]
    for name in ("given_name", "family_name", "preferred_name", "email", "address_line1",
                 "address_line2")
)  # fmt: skip


class ImportFailed(ValueError):
    """An import or undo that cannot be done; str() is one line, naming the file or batch."""


# --------------------------------------------------------------------------------------
# What an import reports
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportProgress:
    """Where an import is: ``done`` of ``total`` in ``stage`` (a short English key)."""

    stage: str  # "checking", "matching", "writing"
    done: int
    total: int


@dataclass(slots=True)  # not frozen: made once a row, and frozen costs 3x to make
class RowDecision:
    """What one row of the file becomes.

    action: "add", "match", "review" (added, with a review item) or "reject".
    person_id: the roster person matched (match) or compared with (review); None for a
    row matched to an earlier row of the file (then other_row says which).
    """

    row_number: int
    action: str
    name: str
    reason: str = ""
    person_id: int | None = None
    other_row: int | None = None
    filled: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportCounts:
    """The figures of the command-line contract, in its order."""

    rows: int = 0
    added: int = 0
    matched: int = 0
    updated: int = 0  # people already on the roster who got a field or a tag
    needs_review: int = 0  # review items made (likely duplicates and conflicts)
    rejected: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "added": self.added,
            "matched": self.matched,
            "updated": self.updated,
            "needs_review": self.needs_review,
            "rejected": self.rejected,
        }


@dataclass(frozen=True)
class ImportPlan:
    """A dry run: what an import of this table with this mapping would do."""

    source_name: str
    counts: ImportCounts
    decisions: list[RowDecision]
    flagged: int  # people added with needs_review (values that did not check out)
    previously_imported: datetime | None = None  # the same file, imported before, not undone
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportSummary:
    """What an import did; batch_id is the one to undo it with."""

    batch_id: int
    source_name: str
    source: str  # as written on each person added: "import: list.csv, 2026-11-25"
    counts: ImportCounts
    rejects_file: Path | None
    flagged: int = 0
    tag: str = ""
    event_id: int | None = None
    signed_in: int = 0  # sign-ins made at the event
    seconds: Mapping[str, float] = field(default_factory=dict)  # phase -> seconds

    def as_dict(self) -> dict[str, Any]:
        """The command-line contract's keys first, then the batch id and the rest."""
        return {
            **self.counts.as_dict(),
            "rejects_file": str(self.rejects_file) if self.rejects_file else None,
            "batch_id": self.batch_id,
            "flagged": self.flagged,
            "signed_in": self.signed_in,
        }


@dataclass(frozen=True)
class ImportBatchRow:
    """One import as the history lists it."""

    id: int
    file_name: str
    imported_at: datetime
    rows: int
    added: int
    matched: int
    updated: int
    rejected: int
    undone_at: datetime | None
    rejects_file: Path | None = None  # the rows not taken, while that file is still there

    @property
    def undone(self) -> bool:
        return self.undone_at is not None


@dataclass(frozen=True)
class UndoSummary:
    """What undoing a batch did."""

    batch_id: int
    file_name: str
    removed: int  # people it added, now in the trash
    kept: tuple[str, ...]  # names of people it added who stay (worked with since)
    restored: int  # fields given their old value back
    left: int  # fields changed by someone since, left as they are
    tags_removed: int
    sign_ins_removed: int
    reviews_closed: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "batch_id": self.batch_id,
            "file_name": self.file_name,
            "removed": self.removed,
            "kept": len(self.kept),
            "kept_names": list(self.kept),
            "restored": self.restored,
            "left": self.left,
            "tags_removed": self.tags_removed,
            "sign_ins_removed": self.sign_ins_removed,
            "reviews_closed": self.reviews_closed,
        }


# --------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------


# A row's phone is in E.164 already where it parses: phones are compared by digits only.
_same = partial(same_value, parse_phones=False)


def _as_text(value: Any) -> str:
    """A value as import_changes keeps it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, PersonStatus):
        return value.value
    return str(value)


def _from_text(name: str, text: str) -> Any:
    """The column value an import_changes text stands for."""
    if name in (*CONSENT_FIELDS, "do_not_contact"):
        return text == "true"
    if name == "graduation_year":
        return int(text) if text else None
    if name == "status":
        return PersonStatus(text)
    return text


def _sqlite_stamp(moment: datetime) -> str:
    """A UTC time as SQLAlchemy keeps DateTime in SQLite (for raw executemany)."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def new_uids(count: int) -> list[str]:
    """count random version-4 UUID strings, in ascending order.

    From one call to os.urandom, several times quicker than uuid.uuid4() a row; in
    ascending order the unique index on people.uid grows by appending.
    """
    raw = os.urandom(16 * count).hex()
    uids = [
        f"{raw[i : i + 8]}-{raw[i + 8 : i + 12]}-4{raw[i + 13 : i + 16]}-"
        f"{_VARIANT[raw[i + 16]]}{raw[i + 17 : i + 20]}-{raw[i + 20 : i + 32]}"
        for i in range(0, len(raw), 32)
    ]
    uids.sort()
    return uids


_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


def source_text(source_name: str, day: date | None = None) -> str:
    """What each person added records as where they came from."""
    return f"import: {source_name}, {(day or date.today()).isoformat()}"[:500]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()


# --------------------------------------------------------------------------------------
# Planning: the decisions, with nothing written
# --------------------------------------------------------------------------------------


class _Planner:
    """One import's decisions, inside a transaction (or read session) on conn."""

    def __init__(
        self,
        conn: Connection,
        table: RawTable,
        mapping: ColumnMapping,
        *,
        country: str,
        tag: str | None,
        event_id: int | None,
        source: str,
        origin_laptop: str = "",
    ) -> None:
        self.conn = conn
        self.table = table
        self.mapping = mapping
        self.country = country
        self.tag = (tag or "").strip()
        self.event_id = event_id
        self.source = source
        self.origin_laptop = origin_laptop
        self.now = utcnow()
        self.matcher = PeopleMatcher(conn, _MATCHER_COLUMNS)
        self.by_name: dict[tuple[str, str], list[Known]] = {}
        self.targets: list[Known] = []  # the person each row went to, in row order
        self.rejected: list[RejectedRow] = []
        self.decisions: list[RowDecision] = []
        self.new_people: list[Known] = []
        self.row_of_new: dict[int, int] = {}  # id(Known) -> the row that added it
        self.reviews: list[PendingReview] = []
        self.tags_of: dict[int, frozenset[str]] = {}  # id(Known) -> tags to add
        self._tag_sets: dict[tuple[str, ...], frozenset[str]] = {}
        self.changed_fields: dict[int, list[tuple[str, Any, Any]]] = {}  # id(Known) -> fills
        self.matched = 0
        self.flagged = 0
        self._row_index: dict[int, int] | None = None
        self.seconds: dict[str, float] = {}  # phase -> seconds, for the benchmark
        self._lap = time.perf_counter()
        self.tag_ids: dict[str, int] = {}  # the roster's tags, read when tags are added
        # Likely duplicates found on the roster: (newcomer, their id, score, reason).
        self._pending: list[tuple[Known, int, float, str]] = []
        self.decision_at: dict[int, int] = {}  # id(newcomer) -> index of its decision
        # Reviews raised in this import: pairs of people, and (person, field, value).
        self._raised: set[Any] = set()

    # --- the steps -----------------------------------------------------------------------

    def lap(self, name: str) -> None:
        """Add the time since the last lap to the phase name (for the benchmark)."""
        now = time.perf_counter()
        self.seconds[name] = self.seconds.get(name, 0.0) + now - self._lap
        self._lap = now

    def run(self) -> Generator[ImportProgress, None, None]:
        total = len(self.table.rows)
        yield ImportProgress("checking", 0, total)
        self._lap = time.perf_counter()
        candidates: list[Candidate] = []
        for number, item in enumerate(
            rows_to_candidates(self.table, self.mapping, country=self.country), start=1
        ):
            if isinstance(item, RejectedRow):
                self.rejected.append(item)
            else:
                too_long = self._too_long(item)
                if too_long:
                    values = self._values_of(item.row_number)
                    self.rejected.append(RejectedRow(item.row_number, too_long, values))
                else:
                    candidates.append(item)
            if number % PROGRESS_EVERY == 0:
                self.lap("rows")
                yield ImportProgress("checking", number, total)
                self._lap = time.perf_counter()
        self.lap("rows")
        matcher = self.matcher
        matcher.load_contacts(
            (email_key(c.email) for c in candidates if c.email),
            (c.phone for c in candidates if c.phone),
        )
        # Each row's name key (folded family and given name) is worked out once here.
        keys = [
            sort_key(c.given_name, c.family_name) if c.given_name or c.family_name else ""
            for c in candidates
        ]
        if not all(keys):
            # A row known by nothing but a name that folds to nothing (only marks, or only
            # a nickname) could never be found again: a second import would add it twice.
            kept = [
                (c, key)
                for c, key in zip(candidates, keys, strict=True)
                if key or c.email or c.phone
            ]
            for c, key in zip(candidates, keys, strict=True):
                if not (key or c.email or c.phone):
                    values = self._values_of(c.row_number)
                    self.rejected.append(RejectedRow(c.row_number, NO_USABLE_NAME, values))
            candidates = [c for c, _ in kept]
            keys = [key for _, key in kept]
        wanted = [(key, c.postal_code) for key, c in zip(keys, candidates, strict=True) if key]
        for known in matcher.load_names(wanted, same=set(wanted)):
            self.by_name.setdefault((known.name_key, known.get("postal_code")), []).append(known)
        self.lap("roster")
        yield ImportProgress("matching", 0, len(candidates))
        self._lap = time.perf_counter()
        for number, (candidate, key) in enumerate(zip(candidates, keys, strict=True), start=1):
            self._decide(candidate, key)
            if number % PROGRESS_EVERY == 0:
                self.lap("matching")
                yield ImportProgress("matching", number, len(candidates))
                self._lap = time.perf_counter()
        self.lap("matching")

    def compare_names(self) -> None:
        """Likely duplicates by name, for each person added, in the order they were added.

        Only Python objects are touched (the name blocks, the newcomers): an import runs
        this on a helper thread while SQLite, without the GIL, builds the indexes.
        Someone found on the roster is kept as an id and read in ``finish``.
        """
        started = time.perf_counter()
        for known, hit in self.matcher.likely_refs(self.new_people):
            if hit is None:
                continue
            ref, score, why = hit
            if isinstance(ref, Known):
                self._flag_likely(known, ref, score, why)
            else:
                self._pending.append((known, ref, score, why))
        self.seconds["likely_duplicates"] = time.perf_counter() - started

    def finish(self) -> None:
        """After compare_names: roster people read, reviews raised before dropped, the
        decisions in row order (queries on the connection: the main thread)."""
        self._lap = time.perf_counter()
        if self._pending:
            self.matcher.lookup_many(ref for _, ref, _, _ in self._pending)
            for known, ref, score, why in self._pending:
                self._flag_likely(known, self.matcher.known_by_id[ref], score, why)
            self._pending = []
        self._drop_reviews_raised_before()
        self._drop_tags_held_already()
        for rejected in self.rejected:
            self.decisions.append(
                RowDecision(rejected.row_number, REJECT, self._name_in(rejected), rejected.reason)
            )
        self.decisions.sort(key=lambda decision: decision.row_number)
        self.lap("finishing")

    def _flag_likely(self, known: Known, other: Known, score: float, why: str) -> None:
        before = len(self.reviews)
        self._flag_pair(known, other, why, score, self.row_of_new[id(known)])
        at = self.decision_at[id(known)]
        decision = self.decisions[at]
        if len(self.reviews) > before and decision.action == ADD:
            self.decisions[at] = RowDecision(
                decision.row_number,
                REVIEW,
                decision.name,
                why,
                person_id=other.id,
                other_row=self.row_of_new.get(id(other)),
            )

    def counts(self) -> ImportCounts:
        updated = sum(
            1
            for known in self.matcher.known_by_id.values()
            if known.changes or self.tags_of.get(id(known))
        )
        return ImportCounts(
            rows=len(self.targets) + len(self.rejected),
            added=len(self.new_people),
            matched=self.matched,
            updated=updated,
            needs_review=len(self.reviews),
            rejected=len(self.rejected),
        )

    # --- reading ------------------------------------------------------------------------

    def _values_of(self, row_number: int) -> tuple[str, ...]:
        if self._row_index is None:
            self._row_index = {n: k for k, n in enumerate(self.table.row_numbers)}
        at = self._row_index.get(row_number)
        return self.table.rows[at] if at is not None else ()

    def _name_in(self, rejected: RejectedRow) -> str:
        return " ".join(value for value in rejected.values[:3] if value.strip())[:80]

    @staticmethod
    def _too_long(candidate: Candidate) -> str:
        c = candidate
        if (
            len(c.postal_code) <= _LIMITS["postal_code"] and len(c.country) <= _LIMITS["country"]
            and len(c.phone) <= _LIMITS["phone"]
            and len(c.city) + len(c.region) + len(c.school) <= _SHORT_GROUP
            and len(c.given_name) + len(c.family_name) + len(c.preferred_name) + len(c.email)
            + len(c.address_line1) + len(c.address_line2) <= _LONG_GROUP
            and not any(len(tag) > _TAG_LIMIT for tag in c.tags)
        ):  # fmt: skip
            return ""  # the common case, in one expression; the loop below says which
        for name, limit in _LIMITS.items():
            value = getattr(candidate, name, "") or ""
            if len(value) > limit:
                label = name.replace("_", " ").capitalize()
                return (
                    f"{label}: {len(value):,} characters, "
                    f"more than the {limit} a roster field holds"
                )
        for tag in candidate.tags:
            if len(tag) > _TAG_LIMIT:
                return f"Tag: {len(tag):,} characters, more than the {_TAG_LIMIT} a tag holds"
        return ""

    # --- deciding -----------------------------------------------------------------------

    def _decide(self, candidate: Candidate, key: str) -> None:
        found = self.matcher.same_contact(
            candidate.email,
            candidate.phone,
            Names(candidate.given_name, candidate.family_name, candidate.preferred_name),
        )
        # The name as the file gives it (the preferred name is in the person's record).
        name = (
            f"{candidate.given_name} {candidate.family_name}".strip()
            or candidate.email
            or candidate.phone
        )
        if found.split:
            assert found.by_email is not None and found.by_phone is not None
            self._flag_pair(
                found.by_phone, found.by_email, matching.REASON_EMAIL_AND_PHONE_APART, None,
                candidate.row_number,
            )  # fmt: skip
        target = found.target
        reason = ""
        if target is not None:
            reason = REASON_SAME_EMAIL if target is found.by_email else REASON_SAME_PHONE
        else:
            target = self._same_name(candidate, key)
            reason = REASON_SAME_NAME_POSTAL
        if target is not None:
            self.matched += 1
            filled = self._fill(target, candidate)
            self._add_tags(target, candidate)
            self.targets.append(target)
            self.decisions.append(
                RowDecision(
                    candidate.row_number,
                    MATCH,
                    name,
                    reason,
                    person_id=target.id,
                    other_row=self.row_of_new.get(id(target)),
                    filled=tuple(filled),
                )
            )
            return
        known = self._add(candidate, key)
        reviews_before = len(self.reviews)
        for other, why in found.shared():
            self._flag_pair(known, other, why, None, candidate.row_number)
        self.decision_at[id(known)] = len(self.decisions)
        flagged_here = self.reviews[reviews_before:]
        if flagged_here:
            first = flagged_here[0]
            compared = first.other if first.person is known else first.person
            self.decisions.append(
                RowDecision(
                    candidate.row_number,
                    REVIEW,
                    name,
                    str(first.details.get("reason", "")),
                    person_id=compared.id if compared is not None else None,
                    other_row=self.row_of_new.get(id(compared)) if compared is not None else None,
                )
            )
        else:
            self.decisions.append(RowDecision(candidate.row_number, ADD, name))

    def _same_name(self, candidate: Candidate, key: str) -> Known | None:
        """Someone with the identical name and postal code, whom nothing contradicts."""
        if not key:
            return None
        for known in self.by_name.get((key, candidate.postal_code), []):
            theirs_email = known.get("email") or ""
            if (
                candidate.email
                and theirs_email
                and email_key(candidate.email) != email_key(theirs_email)
            ):
                continue
            theirs_phone = known.get("phone") or ""
            if candidate.phone and theirs_phone and candidate.phone != theirs_phone:
                continue
            return known
        return None

    def _add(self, candidate: Candidate, key: str) -> Known:
        c = candidate
        # One literal rather than a loop of getattr: this runs once per new person.
        values: dict[str, Any] = {
            "id": None, "uid": "", "given_name": c.given_name,
            "family_name": c.family_name, "preferred_name": c.preferred_name,
            "email": c.email, "email_key": email_key(c.email) if c.email else "",
            "phone": c.phone, "address_line1": c.address_line1,
            "address_line2": c.address_line2, "city": c.city, "region": c.region,
            "postal_code": c.postal_code, "country": c.country, "school": c.school,
            "notes": c.notes, "status": c.status or PersonStatus.PROSPECT,
            "graduation_year": c.graduation_year, "email_ok": bool(c.email_ok),
            "phone_ok": bool(c.phone_ok), "mail_ok": bool(c.mail_ok),
            "do_not_contact": bool(c.do_not_contact), "needs_review": bool(c.problems),
            "review_reason": "\n".join(c.problems) if c.problems else "",
            "removed_at": None, "erased_at": None,
        }  # fmt: skip
        if c.problems:
            self.flagged += 1
        known = Known(values=values, is_new=True, key=key)
        self.new_people.append(known)
        self.row_of_new[id(known)] = candidate.row_number
        self.matcher.register(known)
        if key:
            self.by_name.setdefault((key, values["postal_code"]), []).append(known)
        self._add_tags(known, candidate)
        self.targets.append(known)
        return known

    def _add_tags(self, known: Known, candidate: Candidate) -> None:
        if not candidate.tags and not self.tag:
            return
        # Most rows of a list carry the same few tags: each set is worked out once.
        given = tuple(candidate.tags)
        wanted = self._tag_sets.get(given)
        if wanted is None:
            names = [*given, self.tag] if self.tag else given
            wanted = self._tag_sets[given] = frozenset(" ".join(n.split()) for n in names) - {""}
        if wanted:
            key = id(known)
            held = self.tags_of.get(key)
            self.tags_of[key] = wanted if held is None else held | wanted

    def _fill(self, target: Known, candidate: Candidate) -> list[str]:
        """Fill target's empty fields from the row; differing values become conflicts."""
        filled: list[str] = []
        country = candidate.country or self.country

        def put(name: str, value: Any) -> None:
            old = target.get(name)
            target.set(name, value)
            filled.append(name)
            if not target.is_new:
                self.changed_fields.setdefault(id(target), []).append((name, old, value))

        for name in TEXT_FIELDS:
            theirs = getattr(candidate, name) or ""
            if is_empty_value(theirs):
                continue
            ours = target.get(name)
            if is_empty_value(ours):
                if name == "email" and not check_email(theirs).ok:
                    continue  # an address that does not check out never replaces nothing
                put(name, theirs)
            elif _same(name, ours, theirs, country):
                continue
            elif name == "given_name" and _same(name, target.get("preferred_name"), theirs, ""):
                continue  # they wrote the name they go by, which the roster knows
            else:
                self._conflict(target, name, ours, theirs, candidate.row_number)
        if candidate.graduation_year is not None:
            ours_year = target.get("graduation_year")
            if ours_year is None:
                put("graduation_year", candidate.graduation_year)
            elif ours_year != candidate.graduation_year:
                self._conflict(
                    target, "graduation_year", ours_year, candidate.graduation_year,
                    candidate.row_number,
                )  # fmt: skip
        for name in CONSENT_FIELDS:
            if getattr(candidate, name) and not target.get(name):
                put(name, True)  # consent only widens here; do_not_contact outranks it
        if candidate.do_not_contact and not target.get("do_not_contact"):
            put("do_not_contact", True)  # an objection is honoured at once
        elif (
            target.get("do_not_contact")
            and candidate.do_not_contact is not True
            and any(getattr(candidate, name) for name in CONSENT_FIELDS)
        ):
            self._conflict(target, "do_not_contact", True, False, candidate.row_number)
        status = candidate.status
        if status is not None:
            ours_status = PersonStatus(target.get("status") or PersonStatus.PROSPECT)
            if ours_status == PersonStatus.PROSPECT != status:
                put("status", status)
            elif status not in (PersonStatus.PROSPECT, ours_status):
                self._conflict(target, "status", ours_status, status, candidate.row_number)
        return filled

    def _conflict(self, target: Known, name: str, ours: Any, theirs: Any, row: int) -> None:
        seen = (id(target), name, fingerprint(jsonable(theirs)))
        if seen in self._raised:
            return
        self._raised.add(seen)
        self.reviews.append(
            conflict_review(target, name, ours, theirs, row=row, file=self.table.source.name)
        )

    def _flag_pair(
        self, person: Known, other: Known, reason: str, score: float | None, row: int
    ) -> None:
        pair = frozenset((id(person), id(other)))
        if pair in self._raised:
            return
        self._raised.add(pair)
        if not person.is_new and other.is_new:
            person, other = other, person  # the newcomer first, as a merge of sign-ups has it
        self.reviews.append(
            duplicate_review(person, other, reason, score, row=row, file=self.table.source.name)
        )

    def _drop_tags_held_already(self) -> None:
        """Tags a roster person has already (in any case) are not added again."""
        if not self.tags_of:
            return
        self.tag_ids = {
            str(name): int(tag_id)
            for tag_id, name in self.conn.execute(select(_tags.c.id, _tags.c.name))
        }
        folded = {tag_id: name.casefold() for name, tag_id in self.tag_ids.items()}
        roster = {
            known.id: known
            for known in self.matcher.known_by_id.values()
            if id(known) in self.tags_of and known.id is not None
        }
        held: dict[int, set[str]] = {}
        for row in rows_in(
            self.conn,
            select(person_tags.c.person_id, person_tags.c.tag_id),
            person_tags.c.person_id,
            roster,
        ):
            held.setdefault(int(row.person_id), set()).add(folded.get(int(row.tag_id), ""))
        for person_id, names in held.items():
            key = id(roster[person_id])
            left = frozenset(n for n in self.tags_of[key] if n.casefold() not in names)
            if left:
                self.tags_of[key] = left
            else:
                del self.tags_of[key]

    def _drop_reviews_raised_before(self) -> None:
        """A second import of a file raises no review the first one raised already."""
        ids = sorted(
            {
                known.id
                for review in self.reviews
                for known in (review.person, review.other)
                if known is not None and known.id is not None
            }
        )
        if not ids:
            return
        pairs: set[frozenset[int]] = set()
        conflicts: set[tuple[int, str, str]] = set()
        query = select(
            _reviews.c.kind, _reviews.c.person_id, _reviews.c.other_person_id, _reviews.c.details
        )
        for row in rows_in(self.conn, query, _reviews.c.person_id, ids) + rows_in(
            self.conn, query, _reviews.c.other_person_id, ids
        ):
            if row.kind == KIND_DUPLICATE and row.other_person_id is not None:
                pairs.add(frozenset((row.person_id, row.other_person_id)))
            elif row.kind == KIND_CONFLICT:
                details = review_details(row.details)
                conflicts.add(
                    (row.person_id, str(details.get("field")), fingerprint(details.get("theirs")))
                )
        kept = []
        for review in self.reviews:
            person, other = review.person, review.other
            if review.kind == KIND_DUPLICATE and other is not None:
                ids_known = person.id is not None and other.id is not None
                if ids_known and frozenset((person.id, other.id)) in pairs:
                    continue
            elif review.kind == KIND_CONFLICT and person.id is not None:
                key = (
                    person.id,
                    str(review.details["field"]),
                    fingerprint(review.details["theirs"]),
                )
                if key in conflicts:
                    continue
            kept.append(review)
        self.reviews = kept


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------


class _Writer:
    """Writes one planned import inside the planner's transaction."""

    def __init__(self, planner: _Planner, batch_id: int) -> None:
        self.plan = planner
        self.conn = planner.conn
        self.batch_id = batch_id
        self.now = planner.now
        self.fast = self.conn.dialect.name == "sqlite"
        self.change_rows: list[dict[str, Any]] = []

    def write_people(self, beside: Callable[[], None]) -> None:
        """The new people, by executemany of tuples; beside (pure Python work, the likely
        duplicates) runs meanwhile on a helper thread on SQLite (_store_sqlite), after
        them elsewhere or when there is no one new."""
        self.plan._lap = time.perf_counter()
        newcomers = self.plan.new_people
        for known, uid in zip(newcomers, new_uids(len(newcomers)), strict=True):
            known.values["uid"] = uid
        if self.fast and newcomers:
            first_id = int(
                self.conn.exec_driver_sql(
                    "SELECT COALESCE(MAX(id), 0) + 1 FROM people"
                ).scalar_one()
            )
            self._store_sqlite(newcomers, first_id, beside)
            for offset, known in enumerate(newcomers):
                known.values["id"] = first_id + offset
            return
        self._insert_people(newcomers)
        beside()

    def write_rest(self) -> tuple[int, int]:
        """Everything after the people; returns (people updated, sign-ins made)."""
        lap = self.plan.lap
        self.plan._lap = time.perf_counter()
        updated = self._write_fills()
        lap("write_fills")
        self._write_tags()
        signed_in = self._write_sign_ins()
        self._write_reviews()
        for chunk in chunks(self.change_rows, 5_000):
            self.conn.execute(insert(_changes), list(chunk))
        lap("write_the_rest")
        return updated, signed_in

    def _insert_people(self, newcomers: Sequence[Known]) -> None:
        """The new people through SQLAlchemy (databases other than SQLite); the
        database gives the ids, read back by uid."""
        if not newcomers:
            return
        columns = _NEW_COLUMNS[1:]
        records = []
        for row in self._rows_of(newcomers, 0, self.now):
            record = dict(zip(columns, row[1:], strict=True))
            record["status"] = PersonStatus(record["status"])
            record["joined_via"] = JoinedVia(record["joined_via"])
            record["ladder_stage"] = LadderStage(record["ladder_stage"])
            records.append(record)
        for chunk in chunks(records, 1_000):
            self.conn.execute(insert(_people), list(chunk))
        by_uid = {known.uid: known for known in newcomers}
        for person_id, uid in rows_in(
            self.conn, select(_people.c.id, _people.c.uid), _people.c.uid, by_uid
        ):
            by_uid[uid].values["id"] = person_id

    def _rows_of(
        self, newcomers: Sequence[Known], first_id: int, stamp: Any
    ) -> list[tuple[Any, ...]]:
        """The people rows (in _NEW_COLUMNS order) of newcomers, ids from first_id."""
        plan = self.plan
        rows: list[tuple[Any, ...]] = []
        for offset, known in enumerate(newcomers):
            v = known.values
            status = v["status"]
            search = search_text(
                given_name=v["given_name"], family_name=v["family_name"],
                preferred_name=v["preferred_name"], email=v["email"], phone=v["phone"],
                postal_code=v["postal_code"],
            )  # fmt: skip
            rows.append(
                (
                    first_id + offset, v["uid"], v["given_name"], v["family_name"],
                    v["preferred_name"], v["email"], email_key(v["email"]), v["phone"],
                    v["address_line1"], v["address_line2"], v["city"], v["region"],
                    v["postal_code"], v["country"],
                    status.value if isinstance(status, PersonStatus) else str(status),
                    False, v["school"], v["graduation_year"], JoinedVia.OTHER.value,
                    LadderStage.SIGNED_UP.value, bool(v["email_ok"]), bool(v["phone_ok"]),
                    bool(v["mail_ok"]), bool(v["do_not_contact"]), v["notes"],
                    bool(v["needs_review"]), v["review_reason"], search, known.name_key,
                    plan.origin_laptop, plan.source, self.batch_id,
                    stamp, stamp,
                )
            )  # fmt: skip
        return rows

    def _store_sqlite(
        self, newcomers: Sequence[Known], first_id: int, beside: Callable[[], None]
    ) -> None:
        """Store and index the new people on SQLite.

        The full-text triggers cost far more than the rows themselves; they are taken
        away for the insert and put back inside this same transaction (search_index),
        so no other connection ever sees them missing. When more people come than
        there are, the people indexes are dropped and built again in one sorted pass,
        quicker than adding to them row by row (the demo does the same).

        SQLite's long statements (the indexes, the new id range into the search index
        with one INSERT ... SELECT) run without the GIL: meanwhile a helper thread looks
        for likely duplicates (``beside``, pure Python). The executemany is not run
        beside it: it takes the GIL back after every row, and beside a busy Python
        thread each of those waits for the interpreter's switch interval (measured:
        more than twice as slow). Building the next rows while the search index took
        the rows before (tried: parts of 10,000) gained nothing measurable on two
        cores, so the rows are built in one go. No yield comes in between.
        """
        plan = self.plan
        conn = self.conn
        rows = self._rows_of(newcomers, first_id, _sqlite_stamp(self.now))
        search_index.drop_person_triggers(conn)
        indexes = self._set_indexes_aside() if len(newcomers) > first_id - 1 else []
        sql = (
            f"INSERT INTO people ({', '.join(_NEW_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(_NEW_COLUMNS))})"
        )
        plan.lap("write_rows")
        for part in chunks(rows, 20_000):
            conn.exec_driver_sql(sql, list(part))
        plan.lap("write_people")
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="groupdesk-import") as pool:
            meanwhile = pool.submit(beside)
            try:
                for index_sql in indexes:
                    conn.exec_driver_sql(index_sql)
                # No segment merging while the index fills (a quarter quicker for a
                # long list), the usual merging again afterwards.
                search_index.relax_merging(conn)
                search_index.index_people(conn, first_id, first_id + len(newcomers) - 1)
                search_index.restore_merging(conn)
                search_index.create_person_triggers(conn)
            finally:
                meanwhile.result()  # waits; re-raises what went wrong there
        plan.lap("write_indexes_and_search")

    def _set_indexes_aside(self) -> list[str]:
        """Drop the people table's own indexes (inside this transaction); their SQL back.

        The SQL is read from sqlite_master, so nothing is copied from the migrations.
        """
        found = [
            (str(name), str(sql))
            for name, sql in self.conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'index' AND tbl_name = 'people' AND sql IS NOT NULL"
            )
        ]
        for name, _ in found:
            self.conn.exec_driver_sql(f'DROP INDEX "{name}"')
        return [sql for _, sql in found]

    def _write_fills(self) -> int:
        """One executemany per set of changed columns, and a change record per field."""
        plan = self.plan
        grouped: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        updated = 0
        for known in plan.matcher.known_by_id.values():
            if known.changes:
                values = dict(known.changes)
                if any(name in values for name in SEARCHED_FIELDS):
                    values.update(derived_columns({**known.values, **known.changes}))
                values["updated_at"] = self.now
                names = tuple(sorted(values))
                grouped.setdefault(names, []).append({**values, "id_": known.id})
                for name, old, new in plan.changed_fields.get(id(known), []):
                    self.change_rows.append(self._change(known, name, old, new))
            if known.changes or plan.tags_of.get(id(known)):
                updated += 1
        for names, records in grouped.items():
            statement = (
                update(_people)
                .where(_people.c.id == bindparam("id_"))
                .values({name: bindparam(name) for name in names})
            )
            for chunk in chunks(records, 5_000):
                self.conn.execute(statement, list(chunk))
        return updated

    def _change(self, known: Known, name: str, old: Any, new: Any) -> dict[str, Any]:
        assert known.id is not None
        return {
            "batch_id": self.batch_id,
            "person_id": known.id,
            "field": name,
            "old_value": _as_text(old),
            "new_value": _as_text(new),
        }

    def _people_by_key(self) -> dict[int, Known]:
        return {id(known): known for known in self.plan.new_people} | {
            id(known): known for known in self.plan.matcher.known_by_id.values()
        }

    def _write_tags(self) -> None:
        plan = self.plan
        if not plan.tags_of:
            return
        # Tags differing only in case are one tag: the roster's spelling wins.
        by_fold = {name.casefold(): tag_id for name, tag_id in plan.tag_ids.items()}
        for name in sorted({name for names in plan.tags_of.values() for name in names}):
            if name.casefold() not in by_fold:
                by_fold[name.casefold()] = int(
                    self.conn.execute(
                        insert(_tags).values(name=name).returning(_tags.c.id)
                    ).scalar_one()
                )
        people = self._people_by_key()
        links: list[tuple[int, int]] = []  # (person id, tag id)
        ids_of: dict[frozenset[str], list[int]] = {}  # most rows share a few tag sets
        for key, names in plan.tags_of.items():
            known = people[key]
            person_id = known.id
            assert person_id is not None
            tag_ids = ids_of.get(names)
            if tag_ids is None:
                tag_ids = ids_of[names] = sorted({by_fold[name.casefold()] for name in names})
            links.extend((person_id, tag_id) for tag_id in tag_ids)
            if not known.is_new:
                for name in sorted(names):
                    self.change_rows.append(self._change(known, CHANGE_TAG, "", name))
        if self.fast and links:
            self.conn.exec_driver_sql(
                "INSERT INTO person_tags (person_id, tag_id) VALUES (?, ?)", links
            )
        else:
            for chunk in chunks(links, 5_000):
                self.conn.execute(
                    insert(person_tags),
                    [{"person_id": person, "tag_id": tag} for person, tag in chunk],
                )

    def _write_sign_ins(self) -> int:
        plan = self.plan
        if plan.event_id is None:
            return 0
        event = self.conn.execute(
            select(_events.c.id, _events.c.starts_at).where(_events.c.id == plan.event_id)
        ).one()
        starts_at = event.starts_at
        if starts_at.tzinfo is None:
            starts_at = starts_at.replace(tzinfo=UTC)
        people: dict[int, Known] = {}
        for target in plan.targets:
            assert target.id is not None
            people[target.id] = target
        ids = sorted(people)
        there = {
            row.person_id
            for row in rows_in(
                self.conn,
                select(_sign_ins.c.person_id).where(_sign_ins.c.event_id == plan.event_id),
                _sign_ins.c.person_id,
                ids,
            )
        }
        seen_before: set[int] = set()
        for chunk in chunks([i for i in ids if not people[i].is_new]):
            for (person_id,) in self.conn.execute(
                select(_sign_ins.c.person_id)
                .where(_sign_ins.c.person_id.in_(chunk), _sign_ins.c.signed_in_at < starts_at)
                .distinct()
            ):
                seen_before.add(int(person_id))
        records = []
        for person_id in ids:
            if person_id in there:
                continue
            known = people[person_id]
            records.append(
                {
                    "uid": str(uuid.uuid4()),
                    "event_id": plan.event_id,
                    "person_id": person_id,
                    "signed_in_at": starts_at,
                    "source": SignInSource.IMPORT,
                    "first_time": person_id not in seen_before,
                    "laptop_id": plan.origin_laptop,
                    "how_heard": "",
                    "interests": "",
                    "consent_text": "",
                    "consent_given": False,
                }
            )
            self.change_rows.append(self._change(known, CHANGE_SIGN_IN, "", plan.event_id))
        for batch in chunks(records, 5_000):
            self.conn.execute(insert(_sign_ins), list(batch))
        return len(records)

    def _write_reviews(self) -> None:
        rows = []
        for review in self.plan.reviews:
            assert review.person.id is not None
            details = {**review.details, "import_batch_id": self.batch_id}
            rows.append(
                {
                    "kind": review.kind,
                    "person_id": review.person.id,
                    "other_person_id": review.other.id if review.other is not None else None,
                    "details": json.dumps(details, ensure_ascii=False, sort_keys=True),
                    "origin": self.plan.source,
                    "created_at": self.now,
                    "resolved_at": None,
                    "resolution": "",
                }
            )
        for chunk in chunks(rows, 5_000):
            self.conn.execute(insert(_reviews), list(chunk))


def _write_rejects(table: RawTable, rejected: Sequence[RejectedRow], moment: datetime) -> Path:
    """The rejected rows as CSV in the data folder, for the user to open in a spreadsheet."""
    folder = config.data_dir() / REJECTS_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    stem = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in table.source.stem)[:80]
    stamp = moment.astimezone().strftime("%Y%m%d-%H%M%S")
    path = folder / f"{stem or 'import'}-{stamp}.csv"
    counter = 1
    while path.exists():
        counter += 1
        path = folder / f"{stem or 'import'}-{stamp}-{counter}.csv"
    # Readable by its owner only: the rows are people's details.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["Row", "Reason", *(csv_text(h) for h in table.headers)])
        for row in sorted(rejected, key=lambda r: r.row_number):
            writer.writerow(
                [str(row.row_number), csv_text(row.reason), *(csv_text(v) for v in row.values)]
            )
        stream.flush()
        os.fsync(stream.fileno())
    return path


# --------------------------------------------------------------------------------------
# The entry points
# --------------------------------------------------------------------------------------


def _check_event(conn: Connection, event_id: int | None, name: str) -> None:
    if event_id is None:
        return
    found = conn.execute(select(_events.c.id).where(_events.c.id == event_id)).first()
    if found is None:
        raise ImportFailed(f"{name}: there is no event {event_id} to sign these people in at")


def _earlier_batch(conn: Connection, sha256: str) -> datetime | None:
    if not sha256:
        return None
    row = conn.execute(
        select(_batches.c.imported_at)
        .where(_batches.c.file_sha256 == sha256, _batches.c.undone_at.is_(None))
        .order_by(_batches.c.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    moment: datetime = row.imported_at
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def plan_import(
    db: Database,
    table: RawTable,
    mapping: ColumnMapping,
    *,
    tag: str | None = None,
    event_id: int | None = None,
    source_name: str | None = None,
) -> ImportPlan:
    """A dry run: each row's decision and the counts, with nothing written."""
    return run_to_end(
        plan_steps(db, table, mapping, tag=tag, event_id=event_id, source_name=source_name)
    )


def plan_steps(
    db: Database,
    table: RawTable,
    mapping: ColumnMapping,
    *,
    tag: str | None = None,
    event_id: int | None = None,
    source_name: str | None = None,
) -> Generator[ImportProgress, None, ImportPlan]:
    """plan_import as a generator of progress, for a worker thread."""
    name = source_name or table.source.name
    country = group_service.group_country(db)
    sha256 = file_sha256(table.source)
    # Many small objects and no reference cycles among them: see people_file.paused_gc.
    with paused_gc(), db.read_session() as session:
        conn = session.connection()
        _check_event(conn, event_id, name)
        planner = _Planner(
            conn, table, mapping, country=country, tag=tag, event_id=event_id,
            source=source_text(name),
        )  # fmt: skip
        yield from planner.run()
        planner.compare_names()
        planner.finish()
        previously = _earlier_batch(conn, sha256)
    return ImportPlan(
        source_name=name,
        counts=planner.counts(),
        decisions=planner.decisions,
        flagged=planner.flagged,
        previously_imported=previously,
        warnings=tuple(table.warnings),
    )


def import_steps(
    db: Database,
    table: RawTable,
    mapping: ColumnMapping,
    *,
    tag: str | None = None,
    event_id: int | None = None,
    source_name: str | None = None,
) -> Generator[ImportProgress, None, ImportSummary]:
    """The import as a generator of progress, for tasks.runner.run_task.

    Closing the generator before it finishes rolls everything back (and removes a
    rejects file already written): nothing is changed. Every yield comes before the
    commit; once the generator has returned its summary, the import is committed.
    """
    name = source_name or table.source.name
    country = group_service.group_country(db)
    laptop = group_service.laptop_id(db)
    sha256 = file_sha256(table.source)
    source = source_text(name)
    rejects_path: Path | None = None
    committed = False
    try:
        with (
            paused_gc(),
            db.engine.connect() as conn,
            bulk_write_settings(conn, journal=len(table.rows) >= BULK_ROWS),
            conn.begin(),
        ):
            _check_event(conn, event_id, name)
            planner = _Planner(
                conn, table, mapping, country=country, tag=tag, event_id=event_id,
                source=source, origin_laptop=laptop,
            )  # fmt: skip
            yield from planner.run()
            yield ImportProgress("writing", 0, 1)
            batch_id = int(
                conn.execute(
                    insert(_batches)
                    .values(
                        uid=str(uuid.uuid4()),
                        file_name=name[:500],
                        file_sha256=sha256,
                        imported_at=planner.now,
                    )
                    .returning(_batches.c.id)
                ).scalar_one()
            )
            writer = _Writer(planner, batch_id)
            # The likely duplicates are looked for while SQLite indexes the new people.
            writer.write_people(beside=planner.compare_names)
            planner.finish()
            counts = planner.counts()
            updated, signed_in = writer.write_rest()
            # No yield from here on: a Cancel after the rejects file is written would
            # have nothing left to roll back it with but the finally below.
            if planner.rejected:
                rejects_path = _write_rejects(table, planner.rejected, planner.now)
            conn.execute(
                update(_batches)
                .where(_batches.c.id == batch_id)
                .values(
                    rows=counts.rows,
                    added=counts.added,
                    matched=counts.matched,
                    updated=counts.updated,
                    rejected=counts.rejected,
                    rejects_file_name=rejects_path.name if rejects_path is not None else "",
                )
            )
            planner.lap("write_the_rest")
        planner.lap("commit")
        committed = True
    except DBAPIError as exc:
        reason = str(exc.orig) if exc.orig is not None else str(exc)
        raise ImportFailed(
            f"{name}: could not be imported ({reason}); nothing was changed"
        ) from exc
    except OSError as exc:
        raise ImportFailed(
            f"{name}: the rejects file could not be written ({exc.strerror or exc}); "
            "nothing was changed"
        ) from exc
    finally:
        if not committed and rejects_path is not None:
            rejects_path.unlink(missing_ok=True)
    assert updated == counts.updated
    return ImportSummary(
        batch_id=batch_id,
        source_name=name,
        source=source,
        counts=counts,
        rejects_file=rejects_path,
        flagged=planner.flagged,
        tag=planner.tag,
        event_id=event_id,
        signed_in=signed_in,
        seconds=dict(planner.seconds),
    )


def import_table(
    db: Database,
    table: RawTable,
    mapping: ColumnMapping,
    *,
    tag: str | None = None,
    event_id: int | None = None,
    source_name: str | None = None,
) -> ImportSummary:
    """import_steps run to the end."""
    return run_to_end(
        import_steps(db, table, mapping, tag=tag, event_id=event_id, source_name=source_name)
    )


def import_people(
    db: Database,
    path: Path | str,
    *,
    mapping: ColumnMapping | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    tag: str | None = None,
    event_id: int | None = None,
    dry_run: bool = False,
) -> ImportSummary | ImportPlan:
    """Read a file and import it (or plan it, with dry_run), with the guessed mapping.

    Raises PeopleFileError for a file that cannot be read and ImportFailed for a list
    whose columns say nothing about who people are; the database is unchanged then.
    """
    from desktop_app.exports.people_file import read_people_file
    from desktop_app.services.import_mapping import guess_mapping, mapping_problems

    table = read_people_file(Path(path), encoding=encoding, sheet=sheet)
    if not table.rows:
        raise ImportFailed(f"{table.source.name}: {NO_ROWS}")
    chosen = mapping or guess_mapping(table.headers, table.rows[:200])
    if not chosen.can_import:
        problems = mapping_problems(chosen)
        raise ImportFailed(
            f"{table.source.name}: {problems[0] if problems else 'no usable column'}"
        )
    if dry_run:
        return plan_import(db, table, chosen, tag=tag, event_id=event_id)
    return import_table(db, table, chosen, tag=tag, event_id=event_id)


# --------------------------------------------------------------------------------------
# History and undo
# --------------------------------------------------------------------------------------


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def list_import_batches(db: Database) -> list[ImportBatchRow]:
    """Every import, newest first."""
    with db.read_session() as session:
        rows = session.connection().execute(select(_batches).order_by(_batches.c.id.desc()))
        return [
            ImportBatchRow(
                id=row.id,
                file_name=row.file_name,
                imported_at=_aware(row.imported_at) or utcnow(),
                rows=row.rows,
                added=row.added,
                matched=row.matched,
                updated=row.updated,
                rejected=row.rejected,
                undone_at=_aware(row.undone_at),
                rejects_file=rejects_file_of(row.rejects_file_name),
            )
            for row in rows
        ]


def rejects_file_of(name: str) -> Path | None:
    """The rejects file an import kept by this name, if it is still in the data folder.

    Only a plain file name is looked up there: a stored value that names a folder
    (edited by hand, say) is never followed elsewhere.
    """
    if not name or Path(name).name != name or name in (".", ".."):
        return None
    path = config.data_dir() / REJECTS_FOLDER / name
    return path if path.is_file() else None


def _worked_with(
    conn: Connection, batch_id: int, batch_moment: datetime, own_sign_ins: set[tuple[int, int]]
) -> set[int]:
    """Of the people the batch added, those edited or recorded anywhere since the import.

    One query per table that points at people, with the batch's people as a subquery,
    whatever the size of the batch.
    """
    mine = select(_people.c.id).where(_people.c.import_batch_id == batch_id)
    busy: set[int] = set()
    for person_id, changed in conn.execute(
        select(_people.c.id, _people.c.updated_at).where(_people.c.import_batch_id == batch_id)
    ):
        when = _aware(changed)
        if when is not None and (when - batch_moment).total_seconds() > 1:
            busy.add(int(person_id))
    # Tags, review items and change records do not count as work with someone; the
    # import's own sign-ins are told apart below.
    for table, column in person_references(_reviews, _changes, person_tags):
        if table is _sign_ins:
            for event_id, person_id in conn.execute(
                select(_sign_ins.c.event_id, _sign_ins.c.person_id).where(column.in_(mine))
            ):
                if (int(event_id), int(person_id)) not in own_sign_ins:
                    busy.add(int(person_id))
            continue
        # people.invited_by_id among them: someone says one of these people invited them.
        query = select(column).where(column.in_(mine)).distinct()
        for (person_id,) in conn.execute(query):
            busy.add(int(person_id))
    return busy


def undo_import(db: Database, batch_id: int) -> UndoSummary:
    """Undo one import as a whole; see the module doc for what stays and why. One transaction."""
    with db.session() as session:
        conn = session.connection()
        batch = conn.execute(select(_batches).where(_batches.c.id == batch_id)).first()
        if batch is None:
            raise ImportFailed(f"Import {batch_id}: there is no such import")
        if batch.undone_at is not None:
            when = _aware(batch.undone_at)
            assert when is not None
            raise ImportFailed(
                f"Import {batch_id} ({batch.file_name}): already undone on "
                f"{when.astimezone().date().isoformat()}"
            )
        now = utcnow()
        moment = _aware(batch.imported_at) or now
        changes = conn.execute(
            select(_changes).where(_changes.c.batch_id == batch_id).order_by(_changes.c.id.desc())
        ).all()
        own_sign_ins = {
            (int(change.new_value), int(change.person_id))
            for change in changes
            if change.field == CHANGE_SIGN_IN and change.new_value.isdigit()
        }
        added = conn.execute(
            select(
                _people.c.id, _people.c.given_name, _people.c.family_name,
                _people.c.preferred_name, _people.c.notes, _people.c.removed_at,
            ).where(_people.c.import_batch_id == batch_id)
        ).all()  # fmt: skip
        active = [row for row in added if row.removed_at is None]
        busy = _worked_with(conn, batch_id, moment, own_sign_ins)
        kept = tuple(
            display_name(row.given_name, row.family_name, row.preferred_name) or f"#{row.id}"
            for row in active
            if row.id in busy
        )
        removing = [row for row in active if row.id not in busy]
        note = (
            f"Removed on {now.astimezone().date().isoformat()} by undoing the import of "
            f"{batch.file_name} (import {batch_id})."
        )
        if removing:
            conn.execute(
                update(_people)
                .where(_people.c.id == bindparam("id_"))
                .values(removed_at=now, updated_at=now, notes=bindparam("notes_")),
                [
                    {"id_": row.id, "notes_": "\n".join(p for p in (row.notes.rstrip(), note) if p)}
                    for row in removing
                ],
            )
        removed_ids = {row.id for row in removing}
        restored = left = tags_removed = sign_ins_removed = 0
        field_changes = [c for c in changes if c.field not in (CHANGE_TAG, CHANGE_SIGN_IN)]
        people_now = {
            row.id: dict(row._mapping)
            for row in rows_in(
                conn, select(_people), _people.c.id, {c.person_id for c in field_changes}
            )
        }
        updates: dict[int, dict[str, Any]] = {}
        for change in field_changes:  # newest first: the oldest value is the one that stays
            person = people_now.get(change.person_id)
            if person is None or person["erased_at"] is not None:
                continue
            current = {**person, **updates.get(change.person_id, {})}
            if _as_text(current.get(change.field)) != change.new_value:
                left += 1
                continue
            updates.setdefault(change.person_id, {})[change.field] = _from_text(
                change.field, change.old_value
            )
            restored += 1
        for person_id, values in updates.items():
            if any(name in values for name in SEARCHED_FIELDS):
                values = {**values, **derived_columns({**people_now[person_id], **values})}
            conn.execute(
                update(_people).where(_people.c.id == person_id).values(**values, updated_at=now)
            )
        for change in changes:
            if change.field == CHANGE_TAG:
                tag_id = conn.execute(
                    select(_tags.c.id).where(_tags.c.name == change.new_value)
                ).scalar_one_or_none()
                if tag_id is not None:
                    result = conn.execute(
                        delete(person_tags).where(
                            person_tags.c.person_id == change.person_id,
                            person_tags.c.tag_id == tag_id,
                        )
                    )
                    tags_removed += int(result.rowcount or 0)
            elif change.field == CHANGE_SIGN_IN and change.new_value.isdigit():
                if change.person_id not in removed_ids and change.person_id in busy:
                    continue  # someone kept on the roster keeps their attendance too
                result = conn.execute(
                    delete(_sign_ins).where(
                        _sign_ins.c.event_id == int(change.new_value),
                        _sign_ins.c.person_id == change.person_id,
                        _sign_ins.c.source == SignInSource.IMPORT,
                    )
                )
                sign_ins_removed += int(result.rowcount or 0)
        reviews_closed = 0
        for review in conn.execute(
            select(_reviews.c.id, _reviews.c.details).where(
                _reviews.c.resolved_at.is_(None), _reviews.c.origin.like("import:%")
            )
        ).all():
            if review_details(review.details).get("import_batch_id") == batch_id:
                conn.execute(
                    update(_reviews)
                    .where(_reviews.c.id == review.id)
                    .values(resolved_at=now, resolution=RESOLVED_IMPORT_UNDONE)
                )
                reviews_closed += 1
        conn.execute(update(_batches).where(_batches.c.id == batch_id).values(undone_at=now))
        return UndoSummary(
            batch_id=batch_id,
            file_name=batch.file_name,
            removed=len(removing),
            kept=kept,
            restored=restored,
            left=left,
            tags_removed=tags_removed,
            sign_ins_removed=sign_ins_removed,
            reviews_closed=reviews_closed,
        )


def people_of_batch(db: Database, batch_id: int) -> list[int]:
    """Ids of the people a batch added (for a window to show them)."""
    with db.read_session() as session:
        return list(
            session.connection()
            .execute(
                select(_people.c.id)
                .where(_people.c.import_batch_id == batch_id)
                .order_by(_people.c.id)
            )
            .scalars()
        )


__all__ = [
    "ADD",
    "MATCH",
    "REJECT",
    "REVIEW",
    "ImportBatchRow",
    "ImportCounts",
    "ImportFailed",
    "ImportPlan",
    "ImportProgress",
    "ImportSummary",
    "RowDecision",
    "UndoSummary",
    "file_sha256",
    "import_people",
    "import_steps",
    "import_table",
    "list_import_batches",
    "people_of_batch",
    "plan_import",
    "plan_steps",
    "rejects_file_of",
    "source_text",
    "undo_import",
]
