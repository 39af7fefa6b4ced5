"""Sign-up bundles: one laptop's sign-ups in one file, merged into another laptop's roster.

At a street fair several laptops take sign-ups with no network. Each writes its
sign-ups to a bundle (``export_bundle``); the secretary's laptop merges them
(``merge_bundle``) with no duplicates and nobody lost, and what a person must decide
goes to the review list (services.reviews, shared with imports).

The file is one UTF-8 JSON document::

    {"format": "groupdesk-signups", "format_version": 1, "sha256": "<hex>",
     "header": {"bundle_uid", "created_at", "app_version", "laptop_id", "group_uid",
                "group_name", "selection": {"event_uid", "since"},
                "counts": {"events", "people", "signins"}},
     "events": [...], "people": [...], "signins": [...]}

``sha256`` is the SHA-256 of the canonical JSON (sorted keys, no spaces, ASCII) of the
document without the ``sha256`` key, so a file cut short or changed after it was
written is refused. "format" comes first so that a glance at the first bytes tells a
bundle from any other file. Reading refuses, with one message naming the file, a file
that is not a bundle, a damaged or truncated one, one from a newer format, one larger
than ``MAX_BUNDLE_BYTES`` (before reading it) and, unless the caller allows it, one
from another group (``BundleFromOtherGroup``, so a window can ask "merge anyway?").

Merge rules, applied in ONE transaction (any failure leaves the database as it was):

- the same uid is the same record (a person merged away by ``reviews.merge_people``
  leads to the one they were merged into); else the same email (``email_key``) or the
  same phone (E.164) is the same person, unless the names clearly differ (a household's
  phone, a couple's email: then they are two people and a review item says so); the
  trash and erased people are not matched by email or phone;
- otherwise the person is added, and if their folded full name is close to someone's
  (rapidfuzz token-sort ratio >= 90 with the same postal code, >= 95 when either has no
  postal code) a "duplicate" review item shows the two side by side (the matching
  itself is services.matching, shared with imports and the person dialog);
- a merge never blanks a field: empty fields are filled from the bundle; a different
  non-empty value is left as it is and recorded as a "conflict" review item; consent
  only widens, and an objection (do not contact) is honoured at once;
- events and sign-ins are matched by uid; a person is never signed in twice at one
  event; a bundle merged before (its uid is in ``merged_bundles``) changes nothing,
  and the rules alone give the same result when it is merged again anyway.

Speed (bench/bench_merge.py: 2,000 sign-ups into 100,000 people in about 1.4 s): the
roster is read with a few set-based queries (uids, emails and phones in chunked IN
lists, one scan for the names), names are compared in rapidfuzz's C++ code within
blocks of the same postal code and a compatible length, and new people go in with
Core executemany while the full-text triggers are set aside (see ``search_index``).
"""

from __future__ import annotations

import enum
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Connection,
    Table,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import DBAPIError

from desktop_app import __version__, search_index
from desktop_app.db import SQLITE_MAGIC, Database
from desktop_app.models import (
    Event,
    EventKind,
    JoinedVia,
    LadderStage,
    MergedBundle,
    Person,
    PersonStatus,
    ReviewItem,
    SignIn,
    SignInSource,
    new_uid,
    utcnow,
)
from desktop_app.models.people import SEARCHED_FIELDS
from desktop_app.services import group as group_service
from desktop_app.services import matching
from desktop_app.services.matching import (
    Known,
    Names,
    PeopleMatcher,
)
from desktop_app.services.matching import chunks as _chunks
from desktop_app.services.matching import phone_form as _phone_form
from desktop_app.services.matching import rows_in as _rows_in
from desktop_app.services.reviews import (
    CONSENT_FIELDS,
    KIND_CONFLICT,
    KIND_DUPLICATE,
    LADDER_RANK,
    MERGED_INTO,
    TEXT_FIELDS,
    PendingReview,
    conflict_review,
    derived_columns,
    duplicate_review,
    fingerprint,
    is_empty_value,
    jsonable,
    review_details,
    same_value,
)
from desktop_app.services.validation import normalise_postal_code
from desktop_app.tasks.steps import run_to_end
from desktop_app.text import email_key

FORMAT_NAME = "groupdesk-signups"
FORMAT_VERSION = 1
MAX_BUNDLE_BYTES = 200 * 1024 * 1024
SUGGESTED_SUFFIX = ".signups.json"

_HEAD_BYTES = 512

_people: Table = Person.__table__  # type: ignore[assignment]
_events: Table = Event.__table__  # type: ignore[assignment]
_sign_ins: Table = SignIn.__table__  # type: ignore[assignment]
_reviews: Table = ReviewItem.__table__  # type: ignore[assignment]
_merged: Table = MergedBundle.__table__  # type: ignore[assignment]


# --------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------


class BundleError(Exception):
    """A bundle that cannot be written, read or merged; str() is one line naming the file."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


class NotABundle(BundleError):
    """Some other file: text, an image, a database, another JSON document, nothing at all."""


class BundleDamaged(BundleError):
    """A bundle cut short or changed after it was written (JSON, checksum or record error)."""


class BundleTooNew(BundleError):
    """Written by a newer Group Desk in a format this one does not know."""


class BundleTooLarge(BundleError):
    """Larger than any real bundle; refused before it is read."""


class BundleFromOtherGroup(BundleError):
    """From another group's database; merged only when the user confirms."""

    def __init__(
        self, message: str, path: Path | None, *, group_uid: str, group_name: str, our_name: str
    ) -> None:
        super().__init__(message, path)
        self.group_uid = group_uid
        self.group_name = group_name
        self.our_name = our_name


# --------------------------------------------------------------------------------------
# What a bundle holds
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BundleEvent:
    uid: str
    title: str
    starts_at: datetime
    kind: EventKind = EventKind.MEETING
    ends_at: datetime | None = None
    place: str = ""
    description: str = ""
    expected_attendance: int | None = None
    cancelled: bool = False
    origin_laptop: str = ""
    created_at: datetime | None = None


@dataclass(frozen=True)
class BundlePerson:
    uid: str
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
    school: str = ""
    graduation_year: int | None = None
    joined_on: date | None = None
    joined_via: JoinedVia = JoinedVia.OTHER
    status: PersonStatus = PersonStatus.PROSPECT
    ladder_stage: LadderStage = LadderStage.SIGNED_UP
    email_ok: bool = False
    phone_ok: bool = False
    mail_ok: bool = False
    do_not_contact: bool = False
    notes: str = ""
    needs_review: bool = False
    review_reason: str = ""
    origin_laptop: str = ""
    created_at: datetime | None = None


@dataclass(frozen=True)
class BundleSignIn:
    uid: str
    event_uid: str
    person_uid: str
    signed_in_at: datetime
    source: SignInSource = SignInSource.KIOSK
    first_time: bool = False
    laptop_id: str = ""
    how_heard: str = ""
    interests: str = ""
    consent_text: str = ""
    consent_given: bool = False


@dataclass(frozen=True)
class Bundle:
    """A bundle as read and checked; path is None for one built in memory."""

    path: Path | None
    format_version: int
    bundle_uid: str
    created_at: datetime
    app_version: str
    laptop_id: str
    group_uid: str
    group_name: str
    event_uid: str | None
    since: str | None
    events: tuple[BundleEvent, ...]
    people: tuple[BundlePerson, ...]
    signins: tuple[BundleSignIn, ...]

    @property
    def file_name(self) -> str:
        return self.path.name if self.path is not None else f"bundle {self.bundle_uid}"


@dataclass(frozen=True)
class BundleExportResult:
    path: Path
    bundle_uid: str
    events: int
    people: int
    signins: int
    bytes: int


@dataclass(frozen=True)
class MergeSummary:
    """What a merge did. already_merged: the bundle was merged before; nothing changed."""

    people_added: int = 0
    people_matched: int = 0
    signins_added: int = 0
    needs_review: int = 0  # review items created (likely duplicates and conflicts)
    already_merged: bool = False
    events_added: int = 0
    signins_already_there: int = 0
    people_filled: int = 0  # matched people who had empty fields filled in
    bundle_uid: str = ""
    file_name: str = ""

    def counts(self) -> dict[str, int | bool]:
        """The five figures of the command-line contract."""
        return {
            "people_added": self.people_added,
            "people_matched": self.people_matched,
            "signins_added": self.signins_added,
            "needs_review": self.needs_review,
            "already_merged": self.already_merged,
        }


@dataclass(frozen=True)
class MergeProgress:
    """Where a merge is: ``done`` of ``total`` in ``stage`` (a short English key)."""

    stage: str
    done: int
    total: int


# --------------------------------------------------------------------------------------
# Record layout: one table of fields per record kind, used to write and to read
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Spec:
    name: str
    kind: str  # "str", "bool", "int?", "date?", "datetime", "datetime?", "enum"
    required: bool = False
    max_length: int | None = None
    enum_type: type[enum.StrEnum] | None = None


def _column_length(table: Table, name: str) -> int | None:
    length = getattr(table.c[name].type, "length", None)
    return int(length) if length else None


_KINDS = {
    "str": "str",
    "bool": "bool",
    "int | None": "int?",
    "date | None": "date?",
    "datetime": "datetime",
    "datetime | None": "datetime?",
}
_ENUMS: dict[str, type[enum.StrEnum]] = {
    "EventKind": EventKind,
    "JoinedVia": JoinedVia,
    "PersonStatus": PersonStatus,
    "LadderStage": LadderStage,
    "SignInSource": SignInSource,
}


def _specs_for(cls: type[Any], table: Table, required: Sequence[str]) -> tuple[_Spec, ...]:
    """The record's fields, typed from the dataclass and bounded by the column lengths."""
    specs = []
    for item in fields(cls):
        annotation = str(item.type)  # a string: this module postpones annotations
        enum_type = _ENUMS.get(annotation)
        kind = "enum" if enum_type else _KINDS[annotation]
        bounded = kind == "str" and item.name in table.c
        specs.append(
            _Spec(
                item.name,
                kind,
                required=item.name in required,
                max_length=_column_length(table, item.name) if bounded else None,
                enum_type=enum_type,
            )
        )
    return tuple(specs)


_EVENT_SPECS = _specs_for(BundleEvent, _events, ("uid", "title", "starts_at"))
_PERSON_SPECS = _specs_for(BundlePerson, _people, ("uid",))
_SIGNIN_SPECS = _specs_for(
    BundleSignIn, _sign_ins, ("uid", "event_uid", "person_uid", "signed_in_at")
)


def _to_json(record: Any, specs: Sequence[_Spec]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for spec in specs:
        value = getattr(record, spec.name)
        if isinstance(value, datetime):
            value = value.astimezone(UTC).isoformat()
        elif isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, enum.Enum):
            value = value.value
        out[spec.name] = value
    return out


class _RecordProblem(ValueError):
    pass


def _parse_value(spec: _Spec, raw: Any) -> Any:
    kind = spec.kind
    optional = kind.endswith("?")
    if raw is None and (optional or not spec.required):
        if optional:
            return None
        raise _RecordProblem(f"{spec.name}: missing")
    if kind == "str":
        if not isinstance(raw, str):
            raise _RecordProblem(f"{spec.name}: text expected")
        if spec.max_length is not None and len(raw) > spec.max_length:
            raise _RecordProblem(f"{spec.name}: longer than {spec.max_length} characters")
        return raw
    if kind == "bool":
        if not isinstance(raw, bool):
            raise _RecordProblem(f"{spec.name}: true or false expected")
        return raw
    if kind == "int?":
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise _RecordProblem(f"{spec.name}: a whole number expected")
        return raw
    if kind == "enum":
        assert spec.enum_type is not None
        try:
            return spec.enum_type(raw)
        except ValueError:
            raise _RecordProblem(f"{spec.name}: unknown value {raw!r}") from None
    if not isinstance(raw, str):
        raise _RecordProblem(f"{spec.name}: a date expected")
    try:
        if kind == "date?":
            return date.fromisoformat(raw)
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise _RecordProblem(f"{spec.name}: {raw[:40]!r} is not a date") from None
    if moment.tzinfo is None:
        raise _RecordProblem(f"{spec.name}: a time with its UTC offset expected")
    return moment.astimezone(UTC)


_R = TypeVar("_R")


def _parse_record(raw: Any, specs: Sequence[_Spec], cls: Callable[..., _R]) -> _R:
    if not isinstance(raw, dict):
        raise _RecordProblem("not a record")
    values: dict[str, Any] = {}
    for spec in specs:
        if spec.name not in raw:
            if spec.required:
                raise _RecordProblem(f"{spec.name}: missing")
            continue  # the dataclass default stands
        values[spec.name] = _parse_value(spec, raw[spec.name])
    if not values["uid"] or len(values["uid"]) > 36:
        raise _RecordProblem("uid: missing or too long")
    return cls(**values)


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------


def _canonical_checksum(document: Mapping[str, Any]) -> str:
    """SHA-256 of the document without its "sha256" key, in one canonical JSON form."""
    body = {key: value for key, value in document.items() if key != "sha256"}
    canonical = json.dumps(
        body, ensure_ascii=True, sort_keys=True, separators=(",", ":"), allow_nan=False
    )
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def _local_midnight(day: date) -> datetime:
    """A day typed by a volunteer starts at midnight where they are, not in UTC."""
    return datetime.combine(day, time.min).astimezone().astimezone(UTC)


def export_bundle(
    db: Database,
    path: Path | str,
    *,
    event_id: int | None = None,
    since: date | datetime | None = None,
) -> BundleExportResult:
    """Write this laptop's sign-ups (optionally one event's, or since a day) to one file.

    Sign-ins recorded on this laptop are exported (those that arrived in a bundle stay
    with the laptop that took them), with their events and the people who signed in;
    people in the trash, erased people among them, and their sign-ins stay behind. The
    file is written to a temporary name and then renamed, so a crash or a full disk
    never leaves half a bundle under the real name.
    """
    target = Path(path).expanduser()
    _refuse_to_overwrite(db, target)
    profile = group_service.get_profile(db)
    if profile is None:
        raise BundleError(
            f"{target}: not written; set up the group's profile first (its id marks the bundle)",
            target,
        )
    laptop = group_service.laptop_id(db)
    since_at: datetime | None = None
    if isinstance(since, datetime):
        if since.tzinfo is None:
            raise BundleError(f"{target}: 'since' needs a time zone", target)
        since_at = since.astimezone(UTC)
    elif isinstance(since, date):
        since_at = _local_midnight(since)

    with db.read_session() as session:
        conn = session.connection()
        event_uid: str | None = None
        if event_id is not None:
            event_uid = conn.execute(
                select(_events.c.uid).where(_events.c.id == event_id)
            ).scalar_one_or_none()
            if event_uid is None:
                raise BundleError(f"{target}: not written; there is no event {event_id}", target)
        conditions: list[ColumnElement[bool]] = [
            _sign_ins.c.source != SignInSource.BUNDLE,
            _sign_ins.c.laptop_id.in_([laptop, ""]),
            _people.c.removed_at.is_(None),
        ]
        if event_id is not None:
            conditions.append(_sign_ins.c.event_id == event_id)
        if since_at is not None:
            conditions.append(_sign_ins.c.signed_in_at >= since_at)
        sign_in_rows = conn.execute(
            select(
                _sign_ins,
                _events.c.uid.label("event_uid_"),
                _people.c.uid.label("person_uid_"),
            )
            .join(_people, _people.c.id == _sign_ins.c.person_id)
            .join(_events, _events.c.id == _sign_ins.c.event_id)
            .where(*conditions)
            .order_by(_sign_ins.c.signed_in_at, _sign_ins.c.id)
        ).all()
        person_ids = sorted({row.person_id for row in sign_in_rows})
        event_ids = sorted({row.event_id for row in sign_in_rows})
        people_rows = _rows_in(conn, select(_people), _people.c.id, person_ids)
        event_rows = _rows_in(conn, select(_events), _events.c.id, event_ids)

    signins = [
        BundleSignIn(
            uid=row.uid,
            event_uid=row.event_uid_,
            person_uid=row.person_uid_,
            signed_in_at=row.signed_in_at,
            source=row.source,
            first_time=row.first_time,
            laptop_id=row.laptop_id or laptop,
            how_heard=row.how_heard,
            interests=row.interests,
            consent_text=row.consent_text,
            consent_given=row.consent_given,
        )
        for row in sign_in_rows
    ]
    people = [
        BundlePerson(
            **{
                spec.name: getattr(row, spec.name)
                for spec in _PERSON_SPECS
                if spec.name != "origin_laptop"
            },
            origin_laptop=row.origin_laptop or laptop,
        )
        for row in sorted(people_rows, key=lambda r: r.id)
    ]
    events = [
        BundleEvent(
            **{
                spec.name: getattr(row, spec.name)
                for spec in _EVENT_SPECS
                if spec.name != "origin_laptop"
            },
            origin_laptop=row.origin_laptop or laptop,
        )
        for row in sorted(event_rows, key=lambda r: r.id)
    ]
    bundle_uid = new_uid()
    document: dict[str, Any] = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "sha256": "",
        "header": {
            "bundle_uid": bundle_uid,
            "created_at": utcnow().isoformat(),
            "app_version": __version__,
            "laptop_id": laptop,
            "group_uid": profile.uid,
            "group_name": profile.name,
            "selection": {
                "event_uid": event_uid,
                "since": since_at.isoformat() if since_at else None,
            },
            "counts": {"events": len(events), "people": len(people), "signins": len(signins)},
        },
        "events": [_to_json(e, _EVENT_SPECS) for e in events],
        "people": [_to_json(p, _PERSON_SPECS) for p in people],
        "signins": [_to_json(s, _SIGNIN_SPECS) for s in signins],
    }
    document["sha256"] = _canonical_checksum(document)
    # One record per line: a person can read it, and a diff of two bundles is legible.
    data = _pretty(document).encode("utf-8")
    _write_atomically(target, data)
    return BundleExportResult(
        path=target,
        bundle_uid=bundle_uid,
        events=len(events),
        people=len(people),
        signins=len(signins),
        bytes=len(data),
    )


def _pretty(document: Mapping[str, Any]) -> str:
    lines = ["{"]
    keys = list(document)
    for index, key in enumerate(keys):
        comma = "," if index < len(keys) - 1 else ""
        value = document[key]
        if isinstance(value, list):
            if not value:
                lines.append(f" {json.dumps(key)}: []{comma}")
                continue
            lines.append(f" {json.dumps(key)}: [")
            for position, item in enumerate(value):
                item_comma = "," if position < len(value) - 1 else ""
                lines.append("  " + json.dumps(item, ensure_ascii=False) + item_comma)
            lines.append(f" ]{comma}")
        else:
            lines.append(f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _refuse_to_overwrite(db: Database, target: Path) -> None:
    """Overwrite an older bundle, never a database or a file of another kind."""
    if target.is_dir():
        raise BundleError(f"{target}: is a folder; give a file name for the bundle", target)
    if db.path is not None and target.resolve() == db.path.resolve():
        raise BundleError(f"{target}: is this database itself; choose another name", target)
    if not target.exists():
        if not target.parent.is_dir():
            raise BundleError(f"{target}: the folder {target.parent} does not exist", target)
        return
    try:
        with target.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError as exc:
        raise BundleError(f"{target}: cannot be replaced ({exc.strerror})", target) from exc
    if head and not _head_says_bundle(head):
        raise BundleError(
            f"{target}: a file of that name exists and is not a sign-up bundle; "
            "choose another name",
            target,
        )


def _write_atomically(target: Path, data: bytes) -> None:
    temporary: str | None = None
    try:
        # mkstemp makes the file readable by its owner only, which suits people's details.
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=target.parent
        )
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
        temporary = None
        _sync_folder(target.parent)
    except OSError as exc:
        raise BundleError(f"{target}: cannot be written ({exc.strerror or exc})", target) from exc
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """The rename itself survives a power cut only once the folder is synced (POSIX)."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# --------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------


def _strip_head(head: bytes) -> bytes:
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return head.lstrip(b" \t\r\n")


def _head_says_bundle(head: bytes) -> bool:
    """Bundles begin with {"format": "groupdesk-signups": a look at the first bytes."""
    return _strip_head(head).startswith(b"{") and FORMAT_NAME.encode() in head


def _describe_other_file(head: bytes) -> str:
    stripped = _strip_head(head)
    if head.startswith(SQLITE_MAGIC):
        return "is a database file, not a sign-up bundle"
    if b"\x00" in head or head.startswith(b"\x89PNG") or head.startswith(b"%PDF"):
        return "is not a sign-up bundle (it looks like a binary file, such as an image)"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut by the 512-byte look
            return "is not a sign-up bundle (it looks like a binary file, such as an image)"
    if stripped.startswith((b"{", b"[")):
        return "is a JSON file, but not a Group Desk sign-up bundle"
    return "is not a sign-up bundle (it is a text file of another kind)"


def read_bundle(path: Path | str) -> Bundle:
    """Read and check a bundle; raises a BundleError subclass naming the file if it is bad."""
    source = Path(path).expanduser()
    try:
        info = source.stat()
    except FileNotFoundError:
        raise BundleError(f"{source}: no such file", source) from None
    except OSError as exc:
        raise BundleError(f"{source}: cannot be read ({exc.strerror})", source) from exc
    if source.is_dir():
        raise NotABundle(f"{source}: is a folder, not a sign-up bundle", source)
    if info.st_size == 0:
        raise NotABundle(f"{source}: the file is empty; it is not a sign-up bundle", source)
    if info.st_size > MAX_BUNDLE_BYTES:
        raise BundleTooLarge(
            f"{source}: is {info.st_size / 1_048_576:.0f} MB, larger than any sign-up bundle "
            f"(at most {MAX_BUNDLE_BYTES // 1_048_576} MB); it was not read",
            source,
        )
    try:
        with source.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
            if not _head_says_bundle(head):
                raise NotABundle(f"{source}: {_describe_other_file(head)}", source)
            # Read at most one byte past the limit: a file growing meanwhile is still refused.
            data = head + handle.read(MAX_BUNDLE_BYTES + 1 - len(head))
    except OSError as exc:
        raise BundleError(f"{source}: cannot be read ({exc.strerror})", source) from exc
    if len(data) > MAX_BUNDLE_BYTES:
        raise BundleTooLarge(f"{source}: grew past {MAX_BUNDLE_BYTES} bytes while read", source)
    return parse_bundle(data, source)


def _damaged(source: Path | None, why: str) -> BundleDamaged:
    name = source if source is not None else "bundle"
    return BundleDamaged(
        f"{name}: the sign-up bundle is damaged or cut short ({why}); "
        "export it again on the laptop that made it",
        source,
    )


def parse_bundle(data: bytes, source: Path | None = None) -> Bundle:
    """Check and decode a bundle's bytes (read_bundle does this after reading the file)."""
    name = source if source is not None else "bundle"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _damaged(source, f"not UTF-8 text at byte {exc.start}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _damaged(source, f"JSON error at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise _damaged(source, "nested too deeply") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise NotABundle(f"{name}: is a JSON file, but not a Group Desk sign-up bundle", source)
    version = document.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise _damaged(source, "no valid format version")
    if version > FORMAT_VERSION:
        raise BundleTooNew(
            f"{name}: was made by a newer Group Desk (bundle format {version}; this one reads "
            f"up to {FORMAT_VERSION}); update Group Desk to merge it",
            source,
        )
    claimed = document.get("sha256")
    try:
        actual = _canonical_checksum(document)
    except (TypeError, ValueError):
        raise _damaged(source, "values of unknown kinds") from None
    if not isinstance(claimed, str) or claimed.lower() != actual:
        raise _damaged(source, "its checksum does not match its contents")
    try:
        return _decode(document, source)
    except _RecordProblem as exc:
        raise _damaged(source, str(exc)) from None


def _decode(document: dict[str, Any], source: Path | None) -> Bundle:
    header = document.get("header")
    if not isinstance(header, dict):
        raise _RecordProblem("no header")

    def text_of(key: str, *, optional: bool = False) -> str:
        value = header.get(key)
        if optional and value is None:
            return ""
        if not isinstance(value, str) or (not optional and not value):
            raise _RecordProblem(f"header: {key} missing")
        return value

    created = _parse_value(_Spec("created_at", "datetime", required=True), header.get("created_at"))
    selection = header.get("selection") or {}
    if not isinstance(selection, dict):
        raise _RecordProblem("header: selection is not a record")
    records: dict[str, list[Any]] = {}
    for key in ("events", "people", "signins"):
        value = document.get(key)
        if not isinstance(value, list):
            raise _RecordProblem(f"no list of {key}")
        records[key] = value
    counts = header.get("counts")
    if not isinstance(counts, dict) or any(counts.get(key) != len(records[key]) for key in records):
        raise _RecordProblem("the counts in the header do not match the records")

    def parse_all(key: str, specs: Sequence[_Spec], cls: Callable[..., _R], noun: str) -> list[_R]:
        parsed = []
        for number, raw in enumerate(records[key], start=1):
            try:
                parsed.append(_parse_record(raw, specs, cls))
            except _RecordProblem as exc:
                raise _RecordProblem(f"{noun} {number}: {exc}") from None
        return parsed

    events = parse_all("events", _EVENT_SPECS, BundleEvent, "event")
    people = parse_all("people", _PERSON_SPECS, BundlePerson, "person")
    signins = parse_all("signins", _SIGNIN_SPECS, BundleSignIn, "sign-in")
    for noun, items in (("event", events), ("person", people), ("sign-in", signins)):
        seen: set[str] = set()
        for item in items:
            if item.uid in seen:
                raise _RecordProblem(f"{noun} {item.uid} appears twice")
            seen.add(item.uid)
    event_uids = {e.uid for e in events}
    person_uids = {p.uid for p in people}
    for number, signin in enumerate(signins, start=1):
        if signin.event_uid not in event_uids:
            raise _RecordProblem(f"sign-in {number}: its event is not in the bundle")
        if signin.person_uid not in person_uids:
            raise _RecordProblem(f"sign-in {number}: its person is not in the bundle")
    return Bundle(
        path=source,
        format_version=int(document["format_version"]),
        bundle_uid=text_of("bundle_uid"),
        created_at=created,
        app_version=text_of("app_version", optional=True),
        laptop_id=text_of("laptop_id", optional=True),
        group_uid=text_of("group_uid"),
        group_name=text_of("group_name", optional=True),
        event_uid=selection.get("event_uid")
        if isinstance(selection.get("event_uid"), str)
        else None,
        since=selection.get("since") if isinstance(selection.get("since"), str) else None,
        events=tuple(events),
        people=tuple(people),
        signins=tuple(signins),
    )


# --------------------------------------------------------------------------------------
# Merging
# --------------------------------------------------------------------------------------

# Person fields a merge fills when empty besides reviews.TEXT_FIELDS and CONSENT_FIELDS.
_OPTIONAL_FIELDS = ("graduation_year", "joined_on")
_KNOWN_COLUMNS = (
    "id", "uid", "removed_at", "erased_at", *TEXT_FIELDS, *_OPTIONAL_FIELDS, *CONSENT_FIELDS,
    "do_not_contact", "status", "joined_via", "ladder_stage", "email_key",
)  # fmt: skip


def merge_bundle(
    db: Database, bundle_or_path: Bundle | Path | str, *, allow_other_group: bool = False
) -> MergeSummary:
    """Merge a bundle (or the bundle file at a path) in one transaction; see the module doc.

    Raises a BundleError subclass, with the database unchanged, for a bad file, and
    BundleFromOtherGroup for another group's bundle unless allow_other_group is True.
    """
    return run_to_end(merge_steps(db, bundle_or_path, allow_other_group=allow_other_group))


def merge_steps(
    db: Database, bundle_or_path: Bundle | Path | str, *, allow_other_group: bool = False
) -> Generator[MergeProgress, None, MergeSummary]:
    """merge_bundle as a generator of progress, for a worker thread with a Cancel button.

    Closing the generator before it finishes rolls the merge back: nothing is changed.
    Every yield comes before the commit, so that holds at each of them; once the
    generator has returned its summary, the merge is committed.
    """
    if isinstance(bundle_or_path, Bundle):
        bundle = bundle_or_path
    else:
        yield MergeProgress("reading", 0, 1)
        bundle = read_bundle(bundle_or_path)
    name = bundle.path if bundle.path is not None else bundle.file_name
    profile = group_service.get_profile(db)
    if (profile is None or profile.uid != bundle.group_uid) and not allow_other_group:
        ours = profile.name if profile else ""
        theirs = bundle.group_name or "an unnamed group"
        where = f'this database belongs to "{ours}"' if ours else "this database has no group"
        raise BundleFromOtherGroup(
            f'{name}: these sign-ups come from another group, "{theirs}" '
            f"(group id {bundle.group_uid}); {where}",
            bundle.path,
            group_uid=bundle.group_uid,
            group_name=bundle.group_name,
            our_name=ours,
        )
    country = profile.country if profile else "US"
    yield MergeProgress("matching", 0, len(bundle.people))
    try:
        with db.session() as session:
            conn = session.connection()
            merger = _Merger(conn, bundle, country)
            summary = yield from merger.run()
    except DBAPIError as exc:
        reason = str(exc.orig) if exc.orig is not None else str(exc)
        raise BundleError(
            f"{name}: could not be merged ({reason}); nothing was changed", bundle.path
        ) from exc
    # No yield here: a Cancel seen after the commit could not roll anything back.
    return summary


class _Merger:
    """One merge, inside one transaction on conn."""

    def __init__(self, conn: Connection, bundle: Bundle, country: str) -> None:
        self.conn = conn
        self.bundle = bundle
        self.country = country
        self.now = utcnow()
        self.origin = bundle.file_name
        self.by_uid: dict[str, Known] = {}
        # The same email or phone, and likely duplicates by name: the shared matcher.
        self.matcher = PeopleMatcher(conn, _KNOWN_COLUMNS)
        self.new_people: list[Known] = []
        self.reviews: list[PendingReview] = []
        self.conflicts_seen: set[tuple[int, str, str]] = set()
        self.duplicate_pairs: set[frozenset[int]] = set()

    # --- the steps -----------------------------------------------------------------------

    def run(self) -> Generator[MergeProgress, None, MergeSummary]:
        bundle = self.bundle
        done_before = self.conn.execute(
            select(_merged.c.id).where(_merged.c.bundle_uid == bundle.bundle_uid)
        ).first()
        if done_before is not None:
            return MergeSummary(
                already_merged=True, bundle_uid=bundle.bundle_uid, file_name=self.origin
            )
        incoming = [self._normalised(person) for person in bundle.people]
        self._load_known(incoming)
        self._load_earlier_reviews()
        yield MergeProgress("matching", 0, len(incoming))

        # First the same uid, email or phone, in bundle order (a newcomer counts from the
        # moment they are added); then likely duplicates, for the newcomers only.
        person_of: dict[str, Known] = {}
        added = matched = filled = 0
        for number, person in enumerate(incoming, start=1):
            target, shared = self._match(person)
            if target is None:
                person_of[person.uid] = known = self._add(person)
                added += 1
                for other, reason in shared:
                    self._flag_pair(known, other, reason, None)
            else:
                person_of[person.uid] = target
                matched += 1
                if self._fill(target, person):
                    filled += 1
            if number % 500 == 0:
                yield MergeProgress("matching", number, len(incoming))
        yield MergeProgress("likely duplicates", 0, len(self.new_people))
        self.matcher.load_names(
            (known.name_key, known.get("postal_code")) for known in self.new_people
        )
        for number, known in enumerate(self.new_people, start=1):
            self._compare_names(known)
            if number % 500 == 0:
                yield MergeProgress("likely duplicates", number, len(self.new_people))

        yield MergeProgress("writing", 0, 1)
        event_ids, events_added = self._write_events()
        self._write_new_people()
        self._write_changes()
        signins_added, already_there = self._write_sign_ins(person_of, event_ids)
        self._write_reviews()
        summary = MergeSummary(
            people_added=added,
            people_matched=matched,
            signins_added=signins_added,
            needs_review=len(self.reviews),
            events_added=events_added,
            signins_already_there=already_there,
            people_filled=filled,
            bundle_uid=bundle.bundle_uid,
            file_name=self.origin,
        )
        self.conn.execute(
            insert(_merged).values(
                bundle_uid=bundle.bundle_uid,
                laptop_id=bundle.laptop_id,
                file_name=self.origin[:500],
                merged_at=self.now,
                summary=json.dumps(
                    {**summary.counts(), "events_added": events_added}, sort_keys=True
                ),
            )
        )
        return summary

    def _normalised(self, person: BundlePerson) -> BundlePerson:
        """Phones in E.164 where they parse and postal codes tidied, as the roster keeps them."""
        country = person.country or self.country
        return _replace(
            person,
            phone=_phone_form(person.phone, country),
            postal_code=normalise_postal_code(person.postal_code, country),
            email=person.email.strip(),
        )

    # --- reading the roster --------------------------------------------------------------

    def _load_known(self, incoming: Sequence[BundlePerson]) -> None:
        matcher = self.matcher
        for row in _rows_in(self.conn, matcher.query, _people.c.uid, [p.uid for p in incoming]):
            self.by_uid[row.uid] = self._follow_merges(matcher.remember(row), matcher.query)
        matcher.load_contacts((email_key(p.email) for p in incoming), (p.phone for p in incoming))

    def _follow_merges(self, known: Known, query: Any) -> Known:
        """A person merged into another (review "merged") leads to the one they went into."""
        for _ in range(10):  # a chain longer than this is a loop made by hand
            if known.values.get("removed_at") is None:
                return known
            found = MERGED_INTO.search(str(known.values.get("notes") or ""))
            if found is None:
                return known
            row = self.conn.execute(query.where(_people.c.uid == found.group(1))).first()
            if row is None:
                return known
            known = self.matcher.remember(row)
        return known

    def _load_earlier_reviews(self) -> None:
        """Reviews already raised about these people, so a second merge raises none again."""
        ids = list(self.matcher.known_by_id)
        for row in _rows_in(
            self.conn,
            select(_reviews.c.kind, _reviews.c.person_id, _reviews.c.other_person_id,
                   _reviews.c.details),
            _reviews.c.person_id,
            ids,
        ):  # fmt: skip
            if row.kind == KIND_CONFLICT:
                details = review_details(row.details)
                key = (
                    row.person_id,
                    str(details.get("field")),
                    fingerprint(details.get("theirs")),
                )
                self.conflicts_seen.add(key)
            elif row.kind == KIND_DUPLICATE and row.other_person_id is not None:
                self.duplicate_pairs.add(frozenset((row.person_id, row.other_person_id)))

    # --- matching and filling -----------------------------------------------------------

    def _match(self, person: BundlePerson) -> tuple[Known | None, list[tuple[Known, str]]]:
        """Who person is on the roster (or among this merge's newcomers), if anyone.

        Returns the match and, when there is none, the people who share the person's
        email or phone under a clearly different name (a household's phone, a couple's
        email): those are not the same person, but the secretary should see them.
        """
        target = self.by_uid.get(person.uid)
        if target is not None:
            return target, []
        found = self.matcher.same_contact(
            person.email,
            person.phone,
            Names(person.given_name, person.family_name, person.preferred_name),
        )
        if found.split:
            assert found.by_email is not None and found.by_phone is not None
            # One sign-up names two people on the roster: they may be one person.
            self._flag_pair(
                found.by_phone, found.by_email, matching.REASON_EMAIL_AND_PHONE_APART, None
            )
        target = found.target
        if target is not None:
            self.by_uid[person.uid] = target
            return target, []
        return None, found.shared()

    def _add(self, person: BundlePerson) -> Known:
        values: dict[str, Any] = {spec.name: getattr(person, spec.name) for spec in _PERSON_SPECS}
        values["origin_laptop"] = person.origin_laptop or self.bundle.laptop_id
        values["created_at"] = person.created_at or self.now
        known = Known(values=values, is_new=True)
        self.new_people.append(known)
        self.by_uid[person.uid] = known
        self.matcher.register(known)
        return known

    def _compare_names(self, known: Known) -> None:
        """A newcomer whose name is close to someone's goes to the review list."""
        hit = self.matcher.likely(known)
        if hit is not None:
            other, score, reason = hit
            self._flag_pair(known, other, reason, score)

    def _flag_pair(self, person: Known, other: Known, reason: str, score: float | None) -> None:
        if person.id is not None and other.id is not None:
            pair = frozenset((person.id, other.id))
            if pair in self.duplicate_pairs:
                return
            self.duplicate_pairs.add(pair)
        self.reviews.append(
            duplicate_review(person, other, reason, score, bundle_uid=self.bundle.bundle_uid)
        )

    def _fill(self, target: Known, person: BundlePerson) -> bool:
        """Fill target's empty fields from person; differing values become conflicts."""
        if target.values.get("erased_at") is not None:
            return False  # erased on request: nothing from a bundle brings the data back
        before = len(target.changes) if not target.is_new else -1
        country = person.country or self.country
        for name in (*TEXT_FIELDS, *_OPTIONAL_FIELDS):
            theirs = getattr(person, name)
            if is_empty_value(theirs):
                continue
            ours = target.get(name)
            if is_empty_value(ours):
                target.set(name, theirs)
            elif same_value(name, ours, theirs, country):
                continue
            elif name == "given_name" and same_value(
                name, target.get("preferred_name"), theirs, ""
            ):
                continue  # they wrote the name they go by, which the roster knows
            else:
                self._conflict(target, name, ours, theirs)
        # Consent only ever widens here: do_not_contact outranks every *_ok in every export.
        for name in CONSENT_FIELDS:
            if getattr(person, name) and not target.get(name):
                target.set(name, True)
        if person.do_not_contact and not target.get("do_not_contact"):
            target.set("do_not_contact", True)
        elif (
            target.get("do_not_contact")
            and not person.do_not_contact
            and any(getattr(person, name) for name in CONSENT_FIELDS)
        ):
            # They asked not to be contacted, and have since ticked a consent box.
            self._conflict(target, "do_not_contact", True, False)
        if target.get("status") == PersonStatus.PROSPECT != person.status:
            target.set("status", person.status)
        elif person.status not in (PersonStatus.PROSPECT, target.get("status")):
            self._conflict(target, "status", target.get("status"), person.status)
        if target.get("joined_via") == JoinedVia.OTHER != person.joined_via:
            target.set("joined_via", person.joined_via)
        if LADDER_RANK[person.ladder_stage] > LADDER_RANK[LadderStage(target.get("ladder_stage"))]:
            target.set("ladder_stage", person.ladder_stage)  # engagement only climbs
        return not target.is_new and len(target.changes) > before

    def _conflict(self, target: Known, name: str, ours: Any, theirs: Any) -> None:
        key = (target.id or -1, name, fingerprint(jsonable(theirs)))
        if target.id is not None and key in self.conflicts_seen:
            return
        if target.is_new:
            # Two records of one newcomer in the same bundle: keyed by the object instead.
            key = (-id(target), name, fingerprint(jsonable(theirs)))
            if key in self.conflicts_seen:
                return
        self.conflicts_seen.add(key)
        where = {"person_uid": target.uid, "bundle_uid": self.bundle.bundle_uid}
        self.reviews.append(conflict_review(target, name, ours, theirs, **where))

    # --- writing ------------------------------------------------------------------------

    def _write_events(self) -> tuple[dict[str, int], int]:
        bundle = self.bundle
        ids: dict[str, int] = {
            row.uid: row.id
            for row in _rows_in(
                self.conn,
                select(_events.c.uid, _events.c.id),
                _events.c.uid,
                [e.uid for e in bundle.events],
            )
        }
        missing = [e for e in bundle.events if e.uid not in ids]
        for event in missing:
            values = {spec.name: getattr(event, spec.name) for spec in _EVENT_SPECS}
            values["origin_laptop"] = event.origin_laptop or bundle.laptop_id
            values["created_at"] = event.created_at or self.now
            values["updated_at"] = self.now
            ids[event.uid] = int(
                self.conn.execute(
                    insert(_events).values(values).returning(_events.c.id)
                ).scalar_one()
            )
        return ids, len(missing)

    def _write_new_people(self) -> None:
        """Core executemany, then the search index in one INSERT ... SELECT.

        On SQLite the full-text triggers cost about 0.2 ms a row at 100,000 people, ten
        times the row itself; they are taken away for the insert and put back inside this
        same transaction (search_index), so no other connection ever sees them missing.
        """
        if not self.new_people:
            return
        rows = []
        for known in self.new_people:
            values = dict(known.values)
            values.update(derived_columns(values))
            values["updated_at"] = self.now
            values["source"] = f"bundle: {self.origin}"[:500]
            rows.append(values)
        search_index.drop_person_triggers(self.conn)
        for batch in _chunks(rows):
            self.conn.execute(insert(_people), list(batch))
        by_uid = {known.uid: known for known in self.new_people}
        for person_id, uid in _rows_in(
            self.conn, select(_people.c.id, _people.c.uid), _people.c.uid, by_uid
        ):
            by_uid[uid].values["id"] = person_id
        ids = [known.id for known in self.new_people if known.id is not None]
        assert len(ids) == len(rows)
        # Nobody else writes during this transaction: the new ids are one unbroken range.
        search_index.index_people(self.conn, min(ids), max(ids))
        search_index.create_person_triggers(self.conn)

    def _write_changes(self) -> None:
        """One executemany per set of changed columns: few statements, whatever the count."""
        grouped: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for known in self.matcher.known_by_id.values():
            if not known.changes:
                continue
            values = dict(known.changes)
            if any(name in values for name in SEARCHED_FIELDS):
                merged = {**known.values, **known.changes}
                values.update(derived_columns(merged))
            values["updated_at"] = self.now
            names = tuple(sorted(values))
            grouped.setdefault(names, []).append({**values, "id_": known.id})
        for names, records in grouped.items():
            statement = (
                update(_people)
                .where(_people.c.id == bindparam("id_"))
                .values({name: bindparam(name) for name in names})
            )
            self.conn.execute(statement, records)

    def _write_sign_ins(
        self, person_of: Mapping[str, Known], event_ids: Mapping[str, int]
    ) -> tuple[int, int]:
        bundle = self.bundle
        existing_uids = {
            row.uid
            for row in _rows_in(
                self.conn, select(_sign_ins.c.uid), _sign_ins.c.uid, [s.uid for s in bundle.signins]
            )
        }
        taken = {
            (row.event_id, row.person_id)
            for row in _rows_in(
                self.conn,
                select(_sign_ins.c.event_id, _sign_ins.c.person_id),
                _sign_ins.c.event_id,
                event_ids.values(),
            )
        }
        matched_ids = [k.id for k in person_of.values() if not k.is_new and k.id is not None]
        first_seen: dict[int, datetime] = {}
        for chunk in _chunks(sorted(set(matched_ids))):
            for person_id, earliest in self.conn.execute(
                select(_sign_ins.c.person_id, func.min(_sign_ins.c.signed_in_at))
                .where(_sign_ins.c.person_id.in_(chunk))
                .group_by(_sign_ins.c.person_id)
            ):
                first_seen[person_id] = _aware(earliest)
        rows = []
        already = 0
        for signin in bundle.signins:
            known = person_of[signin.person_uid]
            pair = (event_ids[signin.event_uid], known.id)
            if signin.uid in existing_uids or pair in taken:
                already += 1
                continue
            taken.add(pair)
            assert known.id is not None
            seen_before = first_seen.get(known.id)
            rows.append(
                {
                    "uid": signin.uid,
                    "event_id": pair[0],
                    "person_id": known.id,
                    "signed_in_at": signin.signed_in_at,
                    "source": SignInSource.BUNDLE,
                    # A returning person the other laptop did not know is no first-timer.
                    "first_time": signin.first_time
                    and (seen_before is None or seen_before >= signin.signed_in_at),
                    "laptop_id": signin.laptop_id or bundle.laptop_id,
                    "how_heard": signin.how_heard,
                    "interests": signin.interests,
                    "consent_text": signin.consent_text,
                    "consent_given": signin.consent_given,
                }
            )
        for batch in _chunks(rows):
            self.conn.execute(insert(_sign_ins), list(batch))
        return len(rows), already

    def _write_reviews(self) -> None:
        rows = []
        for review in self.reviews:
            assert review.person.id is not None
            rows.append(
                {
                    "kind": review.kind,
                    "person_id": review.person.id,
                    "other_person_id": review.other.id if review.other is not None else None,
                    "details": json.dumps(review.details, ensure_ascii=False, sort_keys=True),
                    "origin": self.origin[:500],
                    "created_at": self.now,
                    "resolved_at": None,
                    "resolution": "",
                }
            )
        if rows:
            self.conn.execute(insert(_reviews), rows)


def _by_id(row: Any) -> int:
    return int(row.id)


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _replace(person: BundlePerson, **changes: Any) -> BundlePerson:
    values = {item.name: getattr(person, item.name) for item in fields(person)}
    values.update(changes)
    return BundlePerson(**values)


__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "MAX_BUNDLE_BYTES",
    "Bundle",
    "BundleDamaged",
    "BundleError",
    "BundleEvent",
    "BundleExportResult",
    "BundleFromOtherGroup",
    "BundlePerson",
    "BundleSignIn",
    "BundleTooLarge",
    "BundleTooNew",
    "MergeProgress",
    "MergeSummary",
    "NotABundle",
    "export_bundle",
    "merge_bundle",
    "merge_steps",
    "parse_bundle",
    "read_bundle",
]
