"""Finding the same person twice: the one duplicate matcher of merges, imports and dialogs.

Sign-up bundles (services.bundles), spreadsheet imports (services.importer) and the
person dialog's "already on the roster?" hint (services.roster.find_duplicates) all
ask the same questions, answered here once:

- **The same email or phone.** Emails are compared by ``text.email_key`` (trimmed,
  case-folded), phones in E.164 (``phone_form``: as typed when they do not parse). An
  email or a phone is shared within households and couples, so a match counts only
  when the names do not contradict it (``name_agreement``): "Maria Gonçalves" and
  "João Gonçalves" on one landline are two people, and the caller is told about the
  other so that a person can look. The trash and erased people are never matched.
- **A likely duplicate by name.** Folded full names (the roster's ``sort_key``) are
  compared with rapidfuzz as token-sort ratio: at least ``SAME_POSTAL_THRESHOLD``
  with the same postal code, ``NO_POSTAL_THRESHOLD`` when either side has none. The
  comparisons are *blocked* (``NameIndex``): someone with a postal code is compared
  only with people of that postal code and a name length that can reach the
  threshold, someone without one only with people of the same three-letter name
  prefix. That is the same result as comparing everyone with everyone, at a tiny
  fraction of the work: 10,000 names against 100,000 take well under a second.

``PeopleMatcher`` holds what one merge or import knows inside its transaction: the
roster people it has read (``Known``, with the changes it means to make) and the
newcomers it is adding, so that rows are matched to the roster *and* to each other.
It reads the roster with a few set-based queries (emails and phones in chunked IN
lists, one plain scan for names) and never writes; writing stays with the caller.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Connection, Table, func, or_, select

from desktop_app.models import Person
from desktop_app.services.validation import check_phone
from desktop_app.text import email_key, fold, sort_key

# Likely duplicates: rapidfuzz scores (0-100) of the folded, token-sorted full names.
SAME_POSTAL_THRESHOLD = 90.0
NO_POSTAL_THRESHOLD = 95.0
NAME_PREFIX_LENGTH = 3  # people without a postal code are compared within this sort-key prefix

NAMES_AGREE = 60.0  # below this, two names sharing an email or phone are two people
NAMES_ALIKE = 90.0  # at or above it, given names need not agree (typed in the wrong box)

IN_CHUNK = 500  # values per IN list: far below every database's parameter limit
SCAN_SHARE = 8  # more values than the roster's size / this: one scan beats IN lists

REASON_SAME_EMAIL_OTHER_NAME = "same email, different name"
REASON_SAME_PHONE_OTHER_NAME = "same phone, different name"
REASON_EMAIL_AND_PHONE_APART = "same email as one, same phone as the other"
REASON_SIMILAR_NAME_SAME_POSTAL = "similar name, same postal code"
REASON_VERY_SIMILAR_NAME = "very similar name"

_people: Table = Person.__table__  # type: ignore[assignment]

T = TypeVar("T")


# --------------------------------------------------------------------------------------
# Values compared
# --------------------------------------------------------------------------------------


def phone_form(value: str, country: str) -> str:
    """E.164 when the number parses, otherwise as typed (stripped): how phones are kept."""
    if not value.strip():
        return ""
    return check_phone(value, country).value


class Names(NamedTuple):
    """The name parts two records are compared by.

    A named tuple: one is made for every row of an import, and a frozen dataclass
    costs twice as much to make.
    """

    given: str = ""
    family: str = ""
    preferred: str = ""


def name_agreement(ours: Names, theirs: Names) -> float | None:
    """How well theirs fits ours (0-100), or None when they are clearly two people.

    Someone with no name on either side fits (score 0): the email or phone is all there
    is to go by. Given names are also compared with the preferred name, so "Jim" fits
    James (preferred Jim). A full-name score of NAMES_ALIKE or more fits whatever the
    given names say (a name typed into the wrong box).
    """
    ours_given = [name for name in (fold(ours.given), fold(ours.preferred)) if name]
    theirs_given = [name for name in (fold(theirs.given), fold(theirs.preferred)) if name]
    ours_full = fold(f"{ours.given} {ours.family}")
    theirs_full = fold(f"{theirs.given} {theirs.family}")
    if not ours_full or not theirs_full:
        return 0.0
    from rapidfuzz import fuzz  # on first use: the window's start-up need not load it

    full = float(fuzz.token_sort_ratio(ours_full, theirs_full))
    if full >= NAMES_ALIKE:
        return full
    if ours_given and theirs_given:
        given = max(fuzz.ratio(a, b) for a in ours_given for b in theirs_given)
        if given < NAMES_AGREE:
            return None
    return full if full >= NAMES_AGREE else None


def best_agreeing(
    candidates: Sequence[T], theirs: Names, names_of: Callable[[T], Names]
) -> tuple[T | None, list[T]]:
    """The candidate whose name fits theirs best, and those whose names do not fit.

    Candidates come oldest first: of two that fit equally well, the first wins.
    """
    best: tuple[float, T] | None = None
    others: list[T] = []
    for candidate in candidates:
        score = name_agreement(names_of(candidate), theirs)
        if score is None:
            others.append(candidate)
        elif best is None or score > best[0]:
            best = (score, candidate)
    return (best[1] if best else None), others


# --------------------------------------------------------------------------------------
# Blocked name comparison
# --------------------------------------------------------------------------------------


def length_range(length: int, cutoff: float) -> range:
    """Lengths a name may have and still reach cutoff against one of this length.

    ratio is 2*matches/(len_a + len_b)*100, and matches <= the shorter length, so a
    name much longer or shorter cannot reach the cutoff; one length of margin each side
    keeps rounding from ever dropping a real match.
    """
    share = cutoff / 200
    shortest = math.floor(length * share / (1 - share)) - 1
    longest = math.ceil(length * (1 - share) / share) + 1
    return range(max(shortest, 1), longest + 1)


def sorted_words(name: str) -> str:
    """The words of a folded name in order: what token_sort_ratio compares."""
    return " ".join(sorted(name.split()))


class NameBlock:
    """One block: names (sort keys as stored), whose they are, and their sorted words."""

    __slots__ = ("_words", "names", "refs")

    def __init__(self) -> None:
        self.names: list[str] = []
        self.refs: list[Any] = []  # person ids, or Known for newcomers
        self._words: list[str] | None = None

    def append(self, name: str, ref: Any, words: str | None = None) -> None:
        self.names.append(name)
        self.refs.append(ref)
        if self._words is not None:
            self._words.append(words if words is not None else sorted_words(name))

    def words(self) -> list[str]:
        """What token_sort_ratio compares, sorted once per name, on the block's first use."""
        if self._words is None:
            self._words = [" ".join(sorted(name.split())) for name in self.names]
        return self._words


SPLIT_AT = 200  # a postal code with more names than this is searched by name length


class _PostalGroup:
    """The names of one postal code: one block while few, kept by length once many.

    One extractOne over a few dozen names is quicker than several over the lengths that
    could match; with thousands of names (the demo puts 5,000 in one postal code) only
    the lengths that can reach the threshold are worth comparing.
    """

    __slots__ = ("all", "by_length")

    def __init__(self) -> None:
        self.all = NameBlock()
        self.by_length: dict[int, NameBlock] | None = None

    def append(self, name: str, ref: Any, words: str | None = None) -> None:
        if self.by_length is not None:
            self.by_length.setdefault(len(name), NameBlock()).append(name, ref, words)
        else:
            self.all.append(name, ref, words)
            if len(self.all.names) > SPLIT_AT:
                self.settle()

    def settle(self) -> None:
        """Split by length once the group is large."""
        if self.by_length is not None or len(self.all.names) <= SPLIT_AT:
            return
        by_length: dict[int, NameBlock] = {}
        for name, ref in zip(self.all.names, self.all.refs, strict=True):
            block = by_length.get(len(name))
            if block is None:
                by_length[len(name)] = block = NameBlock()
            block.names.append(name)
            block.refs.append(ref)
        self.by_length = by_length
        self.all = NameBlock()  # not searched any more

    def blocks(self, length: int) -> list[NameBlock]:
        if self.by_length is None:
            return [self.all]
        lengths = _lengths(length)
        return [
            block for size, block in self.by_length.items() if lengths.start <= size < lengths.stop
        ]


class NameIndex:
    """Blocks of folded names to compare, as token_sort_ratio does, with newcomers.

    Someone with a postal code is compared with the people of that postal code at the
    lower threshold, and with the people of the same sort-key prefix who have no postal
    code at the higher one; someone without a postal code with everyone of the same
    prefix, at the higher threshold. A postal code with many people is kept by name
    length and only lengths that can reach the threshold are compared: the same result
    as comparing them all, at a fraction of the work where a postal code has thousands
    of people. Comparing with ratio on words sorted once per name (rather than
    token_sort_ratio, which sorts both names at every comparison) is ten times quicker
    and scores the same.

    ``want`` first, for every name that will be looked up: only the blocks those names
    can reach are kept (``add`` and ``add_roster`` drop the rest).
    """

    def __init__(self) -> None:
        self.codes: set[str] = set()  # postal codes of newcomers
        self.prefixes: set[str] = set()  # name prefixes of all newcomers
        self.bare_prefixes: set[str] = set()  # name prefixes of newcomers with no postal code
        self.by_postal: dict[str, _PostalGroup] = {}
        self.bare: dict[str, NameBlock] = {}  # people with no postal code, by prefix
        self.by_prefix: dict[str, NameBlock] = {}  # people with one, for newcomers with none

    def want(self, name: str, postal: str) -> None:
        prefix = name[:NAME_PREFIX_LENGTH]
        self.prefixes.add(prefix)
        if postal:
            self.codes.add(postal)
        else:
            self.bare_prefixes.add(prefix)

    def add(self, ref: Any, name: str, postal: str, words: str | None = None) -> None:
        """Someone joins the blocks newcomers are compared with (if any newcomer needs them).

        words: the name's sorted words, when the caller has worked them out already.
        """
        prefix = name[:NAME_PREFIX_LENGTH]
        if postal:
            if postal in self.codes:
                group = self.by_postal.get(postal)
                if group is None:
                    self.by_postal[postal] = group = _PostalGroup()
                group.append(name, ref, words)
            if prefix in self.bare_prefixes:
                self.by_prefix.setdefault(prefix, NameBlock()).append(name, ref, words)
        elif prefix in self.prefixes:
            self.bare.setdefault(prefix, NameBlock()).append(name, ref, words)

    def add_roster(self, rows: Iterable[tuple[int, str, str]]) -> None:
        """add() for every (id, name, postal code) of the roster, unrolled for speed."""
        codes, prefixes, bare_prefixes = self.codes, self.prefixes, self.bare_prefixes
        by_postal, by_prefix, bare = self.by_postal, self.by_prefix, self.bare
        length = NAME_PREFIX_LENGTH
        for person_id, name, postal in rows:
            if postal:
                if postal in codes:
                    group = by_postal.get(postal)
                    if group is None:
                        by_postal[postal] = group = _PostalGroup()
                    if group.by_length is None:
                        group.all.names.append(name)
                        group.all.refs.append(person_id)
                    else:
                        group.append(name, person_id)
                if bare_prefixes and name[:length] in bare_prefixes:
                    block = by_prefix.setdefault(name[:length], NameBlock())
                    block.names.append(name)
                    block.refs.append(person_id)
            elif name[:length] in prefixes:
                block = bare.setdefault(name[:length], NameBlock())
                block.names.append(name)
                block.refs.append(person_id)
        for group in by_postal.values():
            group.settle()

    def best(
        self, name: str, postal: str, words: str | None = None
    ) -> tuple[Any, float, bool] | None:
        """The closest name above its threshold, or None: (whose, score 0-100, whether
        they share the postal code). words: the name's sorted words, if worked out."""
        prefix = name[:NAME_PREFIX_LENGTH]
        searches: list[tuple[NameBlock, float]] = []
        if postal:
            # The same postal code first: on a tie, that is the likelier same person.
            group = self.by_postal.get(postal)
            if group is not None:
                if group.by_length is None:  # the usual few dozen names: one block
                    searches.append((group.all, SAME_POSTAL_THRESHOLD))
                else:
                    searches.extend(
                        (block, SAME_POSTAL_THRESHOLD) for block in group.blocks(len(name))
                    )
        block = self.bare.get(prefix)
        if block is not None:
            searches.append((block, NO_POSTAL_THRESHOLD))
        if not postal:
            block = self.by_prefix.get(prefix)
            if block is not None:
                searches.append((block, NO_POSTAL_THRESHOLD))
        if not searches:
            return None
        extract_one, ratio = _FUZZ or _rapidfuzz()
        if words is None:
            words = sorted_words(name)
        found: tuple[Any, float, bool] | None = None
        for block, cutoff in searches:
            if not block.names:
                continue
            hit = extract_one(words, block.words(), scorer=ratio, score_cutoff=cutoff)
            if hit is not None and (found is None or hit[1] > found[1]):
                found = (block.refs[hit[2]], float(hit[1]), cutoff == SAME_POSTAL_THRESHOLD)
        return found


_LENGTHS: dict[int, range] = {}


def _lengths(length: int) -> range:
    """length_range at the same-postal-code threshold, worked out once per length."""
    lengths = _LENGTHS.get(length)
    if lengths is None:
        lengths = _LENGTHS[length] = length_range(length, SAME_POSTAL_THRESHOLD)
    return lengths


_FUZZ: tuple[Any, Any] | None = None


def _rapidfuzz() -> tuple[Any, Any]:
    """rapidfuzz's extractOne and ratio, imported on first use (start-up need not load it)."""
    global _FUZZ
    if _FUZZ is None:
        from rapidfuzz import fuzz, process

        _FUZZ = (process.extractOne, fuzz.ratio)
    return _FUZZ


# --------------------------------------------------------------------------------------
# Reading the roster
# --------------------------------------------------------------------------------------


def chunks(values: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def rows_in(conn: Connection, query: Any, column: Any, values: Iterable[Any]) -> list[Any]:
    """query WHERE column IN values, in chunks; one statement per IN_CHUNK values."""
    wanted = sorted(set(values), key=str)
    rows: list[Any] = []
    for chunk in chunks(wanted):
        rows.extend(conn.execute(query.where(column.in_(chunk))).all())
    return rows


def fast_rows(conn: Connection, query: Any) -> Iterable[Any]:
    """The rows of a plain query, straight from the SQLite driver when that is the engine.

    100,000 rows cost a third less without SQLAlchemy's result rows; the statement runs
    on the caller's own connection, so inside its transaction. Other databases go
    through SQLAlchemy as usual.
    """
    if conn.dialect.name != "sqlite":
        return conn.execute(query)
    compiled = query.compile(dialect=conn.dialect)
    parameters = [compiled.params[name] for name in compiled.positiontup or ()]
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    return cursor.execute(str(compiled), parameters)


def _by_id(row: Any) -> int:
    return int(row.id)


def contact_rows(
    conn: Connection,
    columns: Sequence[Any],
    *,
    email: str = "",
    phone: str = "",
    include_trash: bool = False,
    exclude_id: int | None = None,
    limit: int | None = None,
) -> list[Any]:
    """People with this email (any case) or this phone (already in its stored form).

    Erased people never; the trash only with include_trash (a dialog warns of someone
    there too, a merge or import does not match them). Ordered by sort key.
    """
    key = email_key(email)
    terms = []
    if key:
        terms.append(_people.c.email_key == key)
    if phone:
        terms.append(_people.c.phone == phone)
    if not terms:
        return []
    query = select(*columns).where(or_(*terms), _people.c.erased_at.is_(None))
    if not include_trash:
        query = query.where(_people.c.removed_at.is_(None))
    if exclude_id is not None:
        query = query.where(_people.c.id != exclude_id)
    query = query.order_by(_people.c.sort_key, _people.c.id)
    if limit is not None:
        query = query.limit(limit)
    return list(conn.execute(query).all())


# --------------------------------------------------------------------------------------
# One merge's or import's view of the roster
# --------------------------------------------------------------------------------------


@dataclass(eq=False)
class Known:
    """A person a merge or import knows: read from the roster, or added by it.

    ``values`` are the row as read (or, for a newcomer, as it will be written);
    ``changes`` what the caller means to write over a roster person's values.
    """

    values: dict[str, Any]
    is_new: bool = False
    changes: dict[str, Any] = field(default_factory=dict)
    key: str | None = None  # the name key, once worked out (or handed in by the caller)

    @property
    def id(self) -> int | None:
        value = self.values.get("id")
        return int(value) if value is not None else None

    @property
    def uid(self) -> str:
        return str(self.values["uid"])

    def get(self, name: str) -> Any:
        return self.changes.get(name, self.values.get(name))

    def set(self, name: str, value: Any) -> None:
        if self.is_new:
            self.values[name] = value
        else:
            self.changes[name] = value
        if name in ("given_name", "family_name"):
            self.key = None

    @property
    def names(self) -> Names:
        return Names(
            self.get("given_name") or "",
            self.get("family_name") or "",
            self.get("preferred_name") or "",
        )

    @property
    def name_key(self) -> str:
        """The folded full name, family name first: the roster's sort key."""
        if self.key is None:
            self.key = sort_key(self.get("given_name") or "", self.get("family_name") or "")
        return self.key


def _names_of(known: Known) -> Names:
    return known.names


@dataclass
class ContactMatch:
    """What the same email or phone found for one record.

    by_email / by_phone: the best fitting person sharing it (None if nobody fits);
    email_others / phone_others: people sharing it whose names clearly differ.
    """

    by_email: Known | None = None
    by_phone: Known | None = None
    email_others: list[Known] = field(default_factory=list)
    phone_others: list[Known] = field(default_factory=list)

    @property
    def target(self) -> Known | None:
        return self.by_email or self.by_phone

    @property
    def split(self) -> bool:
        """The email names one person and the phone another: they may be one person."""
        return (
            self.by_email is not None
            and self.by_phone is not None
            and self.by_email is not self.by_phone
        )

    def shared(self) -> list[tuple[Known, str]]:
        """At most one person each sharing the email or the phone under another name."""
        if not self.email_others and not self.phone_others:
            return []
        found = [(other, REASON_SAME_EMAIL_OTHER_NAME) for other in self.email_others[:1]]
        found += [(other, REASON_SAME_PHONE_OTHER_NAME) for other in self.phone_others[:1]]
        return found


class PeopleMatcher:
    """The roster as one merge or import sees it, inside its transaction on conn.

    columns: the people columns read for every person met (id, removed_at, erased_at,
    email, email_key, phone, given_name, family_name, preferred_name and postal_code at
    least; the caller adds what it fills or compares).
    """

    def __init__(self, conn: Connection, columns: Sequence[str]) -> None:
        required = {
            "id", "removed_at", "erased_at", "email_key", "phone", "given_name",
            "family_name", "preferred_name", "postal_code",
        }  # fmt: skip
        missing = required - set(columns)
        if missing:
            raise ValueError(f"PeopleMatcher needs the columns {sorted(missing)}")
        self.conn = conn
        self.query = select(*(_people.c[name] for name in columns))
        self.known_by_id: dict[int, Known] = {}
        # Several people may share an email or a phone (a household, a couple): all kept.
        self.by_email: dict[str, list[Known]] = {}
        self.by_phone: dict[str, list[Known]] = {}
        self.index = NameIndex()
        self._names_loaded = False
        self._roster_size: int | None = None

    # --- reading -------------------------------------------------------------------------

    def remember(self, row: Any) -> Known:
        """The Known for a roster row, made once per person."""
        known = self.known_by_id.get(row.id)
        if known is None:
            known = Known(values=dict(row._mapping))
            self.known_by_id[row.id] = known
        return known

    def lookup(self, person_id: int) -> Known:
        known = self.known_by_id.get(person_id)
        if known is None:
            row = self.conn.execute(self.query.where(_people.c.id == person_id)).one()
            known = self.remember(row)
        return known

    def load_contacts(self, email_keys: Iterable[str], phones: Iterable[str]) -> None:
        """Everyone on the roster (not in the trash, not erased) with one of these.

        The trash and erased people are left out in Python: "removed_at IS NULL" in the
        SQL lets SQLite pick an index that starts with removed_at over the email or
        phone one, and walk nearly all of it.
        """
        keys = set(email_keys) - {""}
        numbers = set(phones) - {""}
        if len(keys) + len(numbers) > self.roster_size() // SCAN_SHARE:
            # Many values against a small roster (a big list into a new group): one scan
            # of the roster's emails and phones instead of hundreds of IN lists.
            found_ids = sorted(
                person_id
                for person_id, key, phone in fast_rows(
                    self.conn,
                    select(_people.c.id, _people.c.email_key, _people.c.phone).where(
                        func.coalesce(_people.c.removed_at, _people.c.erased_at).is_(None)
                    ),
                )
                if key in keys or phone in numbers
            )
            rows = rows_in(self.conn, self.query, _people.c.id, found_ids)
            by_email = [row for row in rows if row.email_key in keys]
            by_phone = [row for row in rows if row.phone in numbers]
        else:
            by_email = rows_in(self.conn, self.query, _people.c.email_key, keys)
            by_phone = rows_in(self.conn, self.query, _people.c.phone, numbers)
        # Oldest first: of two people sharing an email and fitting as well, the first wins.
        for row in sorted(by_email, key=_by_id):
            if row.removed_at is None and row.erased_at is None:
                self.by_email.setdefault(row.email_key, []).append(self.remember(row))
        for row in sorted(by_phone, key=_by_id):
            if row.removed_at is None and row.erased_at is None:
                self.by_phone.setdefault(row.phone, []).append(self.remember(row))

    def roster_size(self) -> int:
        """About how many people the roster holds (the highest id; cheap on any size)."""
        if self._roster_size is None:
            self._roster_size = int(
                self.conn.execute(select(func.coalesce(func.max(_people.c.id), 0))).scalar_one()
            )
        return self._roster_size

    def load_names(
        self, wanted: Iterable[tuple[str, str]], *, same: set[tuple[str, str]] | None = None
    ) -> list[Known]:
        """The roster's name blocks that these (name key, postal code) pairs can reach.

        Call it once, with every name that will be passed to ``likely`` (newcomers'
        names, or a superset), before the first ``likely``. The names are the roster's
        sort keys, already folded: no roster name is folded again. One scan of the
        table rather than an index walk: where most people share a few postal codes the
        scan is several times quicker, and where they do not it costs little more.

        same: (name key, postal code) pairs whose holders are wanted as well, found in
        the same scan; they are returned, oldest first.
        """
        index = self.index
        for name, postal in wanted:
            if name:
                index.want(name, postal)
        self._names_loaded = True
        if not index.prefixes or not self.roster_size():
            return []
        people = _people.c
        query = select(people.id, people.sort_key, people.postal_code).where(
            # Not "removed_at IS NULL": SQLite would walk an index through nearly all rows.
            func.coalesce(people.removed_at, people.erased_at).is_(None),
            people.sort_key != "",
        )
        rows = list(fast_rows(self.conn, query))
        index.add_roster(rows)
        if not same:
            return []
        ids = sorted(person_id for person_id, name, postal in rows if (name, postal) in same)
        found = {
            row.id: self.remember(row) for row in rows_in(self.conn, self.query, _people.c.id, ids)
        }
        return [found[person_id] for person_id in ids if person_id in found]

    # --- matching ------------------------------------------------------------------------

    def same_contact(self, email: str, phone: str, names: Names) -> ContactMatch:
        """Who shares this email (any case) or phone (stored form), among roster and newcomers."""
        match = ContactMatch()
        with_email = self.by_email.get(email_key(email), []) if email else []
        with_phone = self.by_phone.get(phone, []) if phone else []
        if with_email:
            match.by_email, match.email_others = best_agreeing(with_email, names, _names_of)
        if with_phone:
            match.by_phone, match.phone_others = best_agreeing(with_phone, names, _names_of)
        return match

    def register(self, known: Known) -> None:
        """A newcomer: later records with its email or phone find it."""
        email = known.get("email") or ""
        if email:
            key = known.values.get("email_key") if known.is_new else None
            self.by_email.setdefault(key or email_key(email), []).append(known)
        phone = known.get("phone") or ""
        if phone:
            self.by_phone.setdefault(phone, []).append(known)

    def likely(self, known: Known) -> tuple[Known, float, str] | None:
        """The person whose name is closest to this newcomer's, if close enough.

        Returns (that person, score 0-100, reason); afterwards the newcomer joins the
        blocks, so that later newcomers are compared with it too.
        """
        ((_, hit),) = self.likely_refs([known])
        if hit is None:
            return None
        ref, score, reason = hit
        return (ref if isinstance(ref, Known) else self.lookup(ref)), score, reason

    def likely_refs(
        self, newcomers: Iterable[Known]
    ) -> Iterator[tuple[Known, tuple[Known | int, float, str] | None]]:
        """likely() for each newcomer in turn, each then joining the blocks: the loop of
        an import. Someone on the roster is given by id, to be read later in one go
        (``lookup_many``): reading each one as found costs a query per likely duplicate.
        A name's sorted words are worked out once, for both the comparison and the block
        it joins (an import of 100,000 runs this 100,000 times).
        """
        if not self._names_loaded:
            raise RuntimeError("load_names() first, with the names to be compared")
        best, add = self.index.best, self.index.add
        for known in newcomers:
            key = known.key if known.key is not None else known.name_key
            if not key:
                yield known, None
                continue
            postal = known.get("postal_code") or ""
            words = sorted_words(key)
            hit = best(key, postal, words)
            add(known, key, postal, words)
            if hit is None:
                yield known, None
                continue
            ref, score, same_postal = hit
            reason = REASON_SIMILAR_NAME_SAME_POSTAL if same_postal else REASON_VERY_SIMILAR_NAME
            yield known, (ref, score, reason)

    def lookup_many(self, person_ids: Iterable[int]) -> None:
        """Read these roster people (those not read yet) in a few queries."""
        wanted = set(person_ids) - set(self.known_by_id)
        for row in rows_in(self.conn, self.query, _people.c.id, wanted):
            self.remember(row)


__all__ = [
    "IN_CHUNK",
    "NAMES_AGREE",
    "NAMES_ALIKE",
    "NAME_PREFIX_LENGTH",
    "NO_POSTAL_THRESHOLD",
    "SAME_POSTAL_THRESHOLD",
    "ContactMatch",
    "Known",
    "NameBlock",
    "NameIndex",
    "Names",
    "PeopleMatcher",
    "best_agreeing",
    "chunks",
    "contact_rows",
    "fast_rows",
    "length_range",
    "name_agreement",
    "phone_form",
    "rows_in",
    "sorted_words",
]
