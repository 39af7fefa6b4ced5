"""desktop_app/services/bundles.py: several laptops' sign-ups merged, no duplicates, nobody lost.

Laptop A is a copy of the group's database with its own laptop id (or an empty
database of the same group); it takes sign-ups, exports a bundle, and laptop B (the
`db` fixture, the secretary's) merges it. "Unchanged" is always checked on the file
itself, every table, before and after.
"""

from __future__ import annotations

import itertools
import json
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select, update

from desktop_app.db import Database, open_database
from desktop_app.models import Event, MergedBundle, Person, SignInSource, Tag
from desktop_app.services import bundles
from desktop_app.services.bundles import (
    BundleDamaged,
    BundleError,
    BundleFromOtherGroup,
    BundleTooLarge,
    BundleTooNew,
    MergeSummary,
    NotABundle,
)
from desktop_app.services.group import GroupProfileData
from desktop_app.services.reviews import (
    REVIEW_FIELDS,
    ReviewError,
    count_open_reviews,
    keep_apart,
    list_reviews,
    merge_people,
    resolve_conflict,
)
from desktop_app.services.roster import erase_personal_data, remove_people
from tests.helpers.bundle_laptops import (
    FAIR,
    add_event,
    add_person,
    dump,
    event_uid,
    fresh_laptop,
    laptop_copy,
    query,
    set_up_group,
    sign_in,
)


@pytest.fixture
def group_db(db: Database) -> Database:
    """Laptop B: the secretary's database, with its group profile and one event."""
    set_up_group(db)
    add_event(db)
    return db


@pytest.fixture
def fair_id(group_db: Database) -> int:
    """The street fair every laptop signs people in at."""
    return int(query(group_db, "SELECT id FROM events")[0][0])


@pytest.fixture
def laptop_a(group_db: Database, tmp_path: Path) -> Iterator[Database]:
    copy = laptop_copy(group_db, tmp_path, "laptop-a")
    yield copy
    copy.close()


def people(db: Database) -> list[tuple[Any, ...]]:
    return query(
        db,
        "SELECT given_name, family_name, email, phone, postal_code, city, removed_at IS NOT NULL "
        "FROM people ORDER BY id",
    )


def reviews(db: Database) -> list[tuple[Any, ...]]:
    return query(db, "SELECT kind, person_id, other_person_id, details, origin FROM review_items")


def export(db: Database, tmp_path: Path, name: str = "a", **options: Any) -> Path:
    path = tmp_path / f"{name}{bundles.SUGGESTED_SUFFIX}"
    bundles.export_bundle(db, path, **options)
    return path


# --- the plain case -----------------------------------------------------------------------


def test_export_on_a_then_merge_on_b_brings_people_and_sign_ins(
    group_db: Database, laptop_a: Database, fair_id: int, tmp_path: Path
) -> None:
    newcomer = add_person(
        laptop_a,
        given_name="Aoife",
        family_name="Ní Bhriain",
        email="aoife@example.com",
        phone="617 555 0144",
        postal_code="02139",
    )
    sign_in(laptop_a, fair_id, newcomer, how_heard="flyer", consent_given=True, first_time=True)
    path = tmp_path / "fair-a.signups.json"

    exported = bundles.export_bundle(laptop_a, path)
    summary = bundles.merge_bundle(group_db, path)

    assert (exported.people, exported.signins, exported.events) == (1, 1, 1)
    assert summary.counts() == {
        "people_added": 1,
        "people_matched": 0,
        "signins_added": 1,
        "needs_review": 0,
        "already_merged": False,
    }
    assert people(group_db) == [
        ("Aoife", "Ní Bhriain", "aoife@example.com", "+16175550144", "02139", "", 0)
    ]
    (row,) = query(
        group_db,
        "SELECT s.source, s.laptop_id, s.how_heard, s.consent_given, s.first_time, p.uid, "
        "p.search_text, p.sort_key, p.email_key "
        "FROM sign_ins s JOIN people p ON p.id = s.person_id",
    )
    assert row[:5] == (
        "bundle",
        query(laptop_a, "SELECT value FROM app_settings")[0][0],
        "flyer",
        1,
        1,
    )
    assert row[5] == query(laptop_a, "SELECT uid FROM people WHERE id = ?", (newcomer,))[0][0]
    # Derived columns filled as the ORM would, and the full-text index knows her.
    assert row[6:] == (
        "aoife ni bhriain | aoife@example.com | 16175550144 | 02139",
        "ni bhriain aoife",
        "aoife@example.com",
    )
    assert query(group_db, "SELECT rowid FROM person_fts WHERE person_fts MATCH '\"bhriain\"'")
    # The full-text triggers, set aside for the insert, are back.
    assert query(group_db, "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY 1") == [
        ("people_ad",),
        ("people_ai",),
        ("people_au",),
    ]
    merged = query(group_db, "SELECT bundle_uid, file_name FROM merged_bundles")
    assert merged == [(exported.bundle_uid, "fair-a.signups.json")]


def test_the_file_is_one_json_document_with_header_and_checksum(
    laptop_a: Database, fair_id: int, tmp_path: Path
) -> None:
    person = add_person(laptop_a, given_name="Kenji", family_name="Sato")
    sign_in(laptop_a, fair_id, person)
    path = export(laptop_a, tmp_path)

    document = json.loads(path.read_text(encoding="utf-8"))

    assert path.read_bytes().startswith(b'{\n "format": "groupdesk-signups"')
    assert document["format_version"] == bundles.FORMAT_VERSION
    assert len(document["sha256"]) == 64
    header = document["header"]
    assert header["group_name"] == "Cambridge Local Group 133"
    assert header["counts"] == {"events": 1, "people": 1, "signins": 1}
    assert {"bundle_uid", "created_at", "laptop_id", "group_uid"} <= set(header)
    assert not list(tmp_path.glob(".*.part")), "no temporary file left behind"


def test_export_picks_an_event_or_a_day_and_leaves_the_trash_behind(
    laptop_a: Database, fair_id: int, tmp_path: Path
) -> None:
    vigil = add_event(laptop_a, "Vigil", FAIR + timedelta(days=10))
    kept, binned, erased = (
        add_person(laptop_a, given_name=name, family_name="Test")
        for name in ("Kept", "Bin", "Gone")
    )
    for person in (kept, binned, erased):
        sign_in(laptop_a, fair_id, person)
    sign_in(laptop_a, vigil, kept, when=FAIR + timedelta(days=10))
    remove_people(laptop_a, [binned])
    erase_personal_data(laptop_a, erased)

    everything = bundles.export_bundle(laptop_a, tmp_path / "all.json")
    one_event = bundles.export_bundle(laptop_a, tmp_path / "vigil.json", event_id=vigil)
    later = bundles.export_bundle(laptop_a, tmp_path / "later.json", since=date(2026, 5, 20))

    assert (everything.people, everything.signins, everything.events) == (1, 2, 2)
    assert (one_event.people, one_event.signins, one_event.events) == (1, 1, 1)
    assert (later.people, later.signins, later.events) == (1, 1, 1)
    text = (tmp_path / "all.json").read_text(encoding="utf-8")
    assert "Bin" not in text and "erased" not in text
    with pytest.raises(BundleError, match="there is no event 999"):
        bundles.export_bundle(laptop_a, tmp_path / "none.json", event_id=999)


def test_export_never_overwrites_a_database_or_another_kind_of_file(
    laptop_a: Database, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes", encoding="utf-8")
    assert laptop_a.path is not None
    before = laptop_a.path.read_bytes()

    with pytest.raises(BundleError, match="is this database itself"):
        bundles.export_bundle(laptop_a, laptop_a.path)
    with pytest.raises(BundleError, match="not a sign-up bundle; choose another name"):
        bundles.export_bundle(laptop_a, notes)

    assert notes.read_text(encoding="utf-8") == "my notes"
    assert laptop_a.path.read_bytes() == before


def test_sign_ins_that_came_in_a_bundle_are_not_sent_on(
    group_db: Database, laptop_a: Database, fair_id: int, tmp_path: Path
) -> None:
    sign_in(laptop_a, fair_id, add_person(laptop_a, given_name="Lin", family_name="Wu"))
    bundles.merge_bundle(group_db, export(laptop_a, tmp_path))

    again = bundles.export_bundle(group_db, tmp_path / "b.json")

    assert (again.people, again.signins) == (0, 0)


# --- matching -----------------------------------------------------------------------------


def test_same_email_in_another_case_is_the_same_person(
    group_db: Database, laptop_a: Database, fair_id: int, tmp_path: Path
) -> None:
    add_person(group_db, given_name="Dana", family_name="Quist", email="dana.quist@example.com")
    # A kiosk laptop without the roster made a record of its own for her.
    kiosk = add_person(
        laptop_a, given_name="Dana", family_name="Quist", email="Dana.Quist@Example.COM "
    )
    sign_in(laptop_a, fair_id, kiosk)

    summary = bundles.merge_bundle(group_db, export(laptop_a, tmp_path))

    assert (summary.people_added, summary.people_matched, summary.signins_added) == (0, 1, 1)
    assert people(group_db) == [("Dana", "Quist", "dana.quist@example.com", "", "", "", 0)]
    assert summary.needs_review == 0


def test_same_phone_written_differently_is_the_same_person(
    group_db: Database, laptop_a: Database, fair_id: int, tmp_path: Path
) -> None:
    add_person(group_db, given_name="Kenji", family_name="Sato", phone="(617) 555-0143")
    kiosk = add_person(laptop_a, given_name="Kenji", family_name="Sato", postal_code="02139")
    # An older import kept the number as it was typed, spaces and all.
    with laptop_a.session() as session:
        session.execute(update(Person).where(Person.id == kiosk).values(phone="+1 617 555 0143"))
    sign_in(laptop_a, fair_id, kiosk)

    summary = bundles.merge_bundle(group_db, export(laptop_a, tmp_path))

    assert (summary.people_added, summary.people_matched) == (0, 1)
    assert people(group_db) == [("Kenji", "Sato", "", "+16175550143", "02139", "", 0)]


def test_a_shared_phone_under_another_name_is_another_person(
    group_db: Database, laptop_a: Database, fair_id: int, tmp_path: Path
) -> None:
    """A household's landline: Maria's mother signs up with it. Two people, one review."""
    maria = add_person(group_db, given_name="Maria", family_name="Gonçalves", phone="6175550142")
    mother = add_person(
        laptop_a, given_name="Conceição", family_name="Gonçalves", phone="(617) 555-0142"
    )
    sign_in(laptop_a, fair_id, mother)

    summary = bundles.merge_bundle(group_db, export(laptop_a, tmp_path))

    assert (summary.people_added, summary.people_matched, summary.needs_review) == (1, 0, 1)
    assert [row[:2] for row in people(group_db)] == [
        ("Maria", "Gonçalves"),
        ("Conceição", "Gonçalves"),
    ]
    ((kind, _, other_id, details, _),) = reviews(group_db)
    assert (kind, other_id, json.loads(details)["reason"]) == (
        "duplicate",
        maria,
        "same phone, different name",
    )


def test_a_name_the_roster_knows_as_preferred_is_the_same_person(
    group_db: Database, laptop_a: Database, fair_id: int, tmp_path: Path
) -> None:
    add_person(
        group_db,
        given_name="James",
        preferred_name="Jim",
        family_name="Okafor",
        email="jim@example.com",
    )
    sign_in(
        laptop_a,
        fair_id,
        add_person(laptop_a, given_name="Jim", family_name="Okafor", email="JIM@example.com"),
    )

    summary = bundles.merge_bundle(group_db, export(laptop_a, tmp_path))

    assert (summary.people_added, summary.people_matched, summary.needs_review) == (0, 1, 0)
    assert people(group_db)[0][:2] == ("James", "Okafor")


def test_a_likely_duplicate_is_added_and_put_up_for_review(
    group_db: Database, laptop_a: Database, fair_id: int, tmp_path: Path
) -> None:
    john = add_person(group_db, given_name="John", family_name="Goncalves", postal_code="02139")
    elsewhere = add_person(group_db, given_name="Jon", family_name="Gonçalves", postal_code="94110")
    jon = add_person(
        laptop_a, given_name="Jon", family_name="Gonçalves", postal_code="02139", email="jg@x.org"
    )
    unrelated = add_person(laptop_a, given_name="Maryam", family_name="Nasr", postal_code="02139")
    for person in (jon, unrelated):
        sign_in(laptop_a, fair_id, person)

    summary = bundles.merge_bundle(group_db, export(laptop_a, tmp_path, "fair"))

    assert (summary.people_added, summary.needs_review) == (2, 1)
    ((kind, person_id, other_id, details, origin),) = reviews(group_db)
    new_jon = query(group_db, "SELECT id FROM people WHERE email = 'jg@x.org'")[0][0]
    assert (kind, person_id, other_id, origin) == ("duplicate", new_jon, john, "fair.signups.json")
    assert other_id != elsewhere, "another postal code is another person"
    parsed = json.loads(details)
    assert parsed["fields"]["given_name"] == ["Jon", "John"]
    assert parsed["fields"]["email"] == ["jg@x.org", ""]
    assert 0.9 <= parsed["score"] < 1
    assert parsed["reason"] == "similar name, same postal code"


def test_without_a_postal_code_only_a_very_close_name_is_a_likely_duplicate(
    group_db: Database, laptop_a: Database, fair_id: int, tmp_path: Path
) -> None:
    add_person(group_db, given_name="Siobhán", family_name="Ó Súilleabháin")
    add_person(group_db, given_name="Jon", family_name="Smith")
    for given, family in (("Siobhan", "O Suilleabhain"), ("John", "Smith")):
        sign_in(laptop_a, fair_id, add_person(laptop_a, given_name=given, family_name=family))

    summary = bundles.merge_bundle(group_db, export(laptop_a, tmp_path))

    # The accents fold away (a score of 100); "Jon"/"John" scores 94, under 95.
    assert summary.needs_review == 1
    (details,) = [json.loads(row[3]) for row in reviews(group_db)]
    assert details["fields"]["family_name"] == ["O Suilleabhain", "Ó Súilleabháin"]
    assert details["reason"] == "very similar name"


def test_conflicting_values_are_kept_for_review_and_no_field_is_blanked(
    group_db: Database, tmp_path: Path, fair_id: int
) -> None:
    maria = add_person(
        group_db,
        given_name="Maria",
        family_name="Gonçalves",
        email="maria@example.com",
        phone="617-555-0142",
        postal_code="02139",
    )
    laptop = laptop_copy(group_db, tmp_path, "laptop-a")
    # On laptop A, the copy of Maria's record was edited: a phone blanked, a postal code
    # changed, a city added.
    with laptop.session() as session:
        session.execute(
            update(Person)
            .where(Person.id == maria)
            .values(phone="", postal_code="02140", city="Cambridge", email="MARIA@example.com")
        )
    sign_in(laptop, fair_id, maria)
    path = export(laptop, tmp_path)
    laptop.close()

    summary = bundles.merge_bundle(group_db, path)

    assert (summary.people_matched, summary.people_added, summary.needs_review) == (1, 0, 1)
    assert people(group_db) == [
        ("Maria", "Gonçalves", "maria@example.com", "+16175550142", "02139", "Cambridge", 0)
    ]
    ((kind, person_id, other_id, details, _),) = reviews(group_db)
    assert (kind, person_id, other_id) == ("conflict", maria, None)
    assert json.loads(details)["field"] == "postal_code"
    assert (json.loads(details)["ours"], json.loads(details)["theirs"]) == ("02139", "02140")


def test_a_bundle_never_brings_back_an_erased_persons_data(
    group_db: Database, tmp_path: Path, fair_id: int
) -> None:
    person = add_person(group_db, given_name="Ana", family_name="Lima", email="ana@example.com")
    laptop = laptop_copy(group_db, tmp_path, "laptop-a")
    sign_in(laptop, fair_id, person)
    path = export(laptop, tmp_path)
    laptop.close()
    erase_personal_data(group_db, person)

    summary = bundles.merge_bundle(group_db, path)

    assert (summary.people_added, summary.people_matched, summary.needs_review) == (0, 1, 0)
    assert people(group_db) == [("(erased)", "", "", "", "", "", 1)]


def test_a_person_is_never_signed_in_twice_at_one_event(
    group_db: Database, tmp_path: Path, fair_id: int
) -> None:
    """Two laptops both ticked Maria at the fair: the second sign-in is already there."""
    maria = add_person(group_db, given_name="Maria", family_name="Silva", email="m@example.com")
    laptops = [laptop_copy(group_db, tmp_path, f"laptop-{n}") for n in (1, 2)]
    paths = []
    for number, laptop in enumerate(laptops, start=1):
        sign_in(laptop, fair_id, maria)
        paths.append(export(laptop, tmp_path, f"l{number}"))
        laptop.close()

    first = bundles.merge_bundle(group_db, paths[0])
    second = bundles.merge_bundle(group_db, paths[1])

    assert (first.signins_added, second.signins_added, second.signins_already_there) == (1, 0, 1)
    assert query(group_db, "SELECT COUNT(*) FROM sign_ins") == [(1,)]


# --- merging again, in any order ------------------------------------------------------------


def _busy_laptop(group_db: Database, tmp_path: Path, fair_id: int) -> Path:
    """Laptop A's bundle: Grace returns (same uid), Dana signs up again (same email), Jon
    looks like John, Lin is new: 2 added, 2 matched, 4 sign-ins, 1 review."""
    grace = add_person(group_db, given_name="Grace", family_name="Okafor")
    add_person(group_db, given_name="Dana", family_name="Quist", email="dana@example.com")
    add_person(group_db, given_name="John", family_name="Goncalves", postal_code="02139")
    laptop = laptop_copy(group_db, tmp_path, "laptop-a")
    for fields in (
        {"given_name": "Dana", "family_name": "Quist", "email": "DANA@example.com",
         "phone": "6175550100"},
        {"given_name": "Jon", "family_name": "Gonçalves", "postal_code": "02139"},
        {"given_name": "Lin", "family_name": "Wu", "email": "lin@example.com"},
    ):  # fmt: skip
        sign_in(laptop, fair_id, add_person(laptop, **fields))
    sign_in(laptop, fair_id, grace)
    path = export(laptop, tmp_path)
    laptop.close()
    return path


def test_merging_the_same_bundle_twice_changes_nothing(
    group_db: Database, tmp_path: Path, fair_id: int
) -> None:
    path = _busy_laptop(group_db, tmp_path, fair_id)
    first = bundles.merge_bundle(group_db, path)
    before = dump(group_db)

    second = bundles.merge_bundle(group_db, path)

    assert dump(group_db) == before
    assert second.already_merged is True
    assert (second.people_added, second.signins_added, second.needs_review) == (0, 0, 0)
    assert (first.people_added, first.people_matched, first.signins_added) == (2, 2, 4)
    assert first.needs_review == 1


def test_the_rules_alone_are_idempotent_without_the_merged_bundles_record(
    group_db: Database, tmp_path: Path, fair_id: int
) -> None:
    path = _busy_laptop(group_db, tmp_path, fair_id)
    bundles.merge_bundle(group_db, path)
    with group_db.session() as session:
        session.execute(delete(MergedBundle))
    before = dump(group_db)

    again = bundles.merge_bundle(group_db, path)

    after = dump(group_db)
    assert again.already_merged is False
    assert (again.people_added, again.signins_added, again.needs_review) == (0, 0, 0)
    assert again.people_matched == 4
    assert {table: rows for table, rows in after.items() if table != "merged_bundles"} == {
        table: rows for table, rows in before.items() if table != "merged_bundles"
    }


def _roster_snapshot(db: Database) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The roster as a person sees it, without the uids and ids merge order decides."""
    roster = sorted(
        query(
            db,
            "SELECT given_name, family_name, email_key, phone, postal_code, city, status "
            "FROM people WHERE removed_at IS NULL",
        )
    )
    attendance = sorted(
        query(
            db,
            "SELECT e.uid, p.given_name, p.family_name, p.email_key FROM sign_ins s "
            "JOIN events e ON e.id = s.event_id JOIN people p ON p.id = s.person_id",
        )
    )
    return roster, attendance


def test_three_laptops_merged_in_any_order_give_the_same_roster(
    group_db: Database, tmp_path: Path, fair_id: int
) -> None:
    regular = add_person(
        group_db, given_name="Grace", family_name="Okafor", email="grace@example.com"
    )
    phoned = add_person(group_db, given_name="Tomás", family_name="Pérez", phone="6175550111")
    assert group_db.path is not None
    pristine = tmp_path / "pristine.sqlite"
    shutil.copyfile(group_db.path, pristine)

    a = laptop_copy(group_db, tmp_path, "a")  # has the roster
    b = fresh_laptop(group_db, tmp_path, "b")  # a kiosk with no roster
    c = laptop_copy(group_db, tmp_path, "c")
    fair = event_uid(group_db, fair_id)
    b_fair = add_event(b, "Street fair")
    with b.session() as session:  # the same fair, made on the secretary's laptop
        session.execute(update(Event).values(uid=fair))
    # Dana signs up at A and at B (email in two cases); Grace returns at A (by uid) and
    # at B (by email); Tomás at C gives only his phone; Noor only at C.
    sign_in(a, fair_id, add_person(a, given_name="Dana", family_name="Quist", email="dana@x.org"))
    sign_in(a, fair_id, regular)
    sign_in(b, b_fair, add_person(b, given_name="Dana", family_name="Quist", email="DANA@x.org",
                                  postal_code="02139"))  # fmt: skip
    sign_in(b, b_fair, add_person(b, given_name="Grace", family_name="Okafor",
                                  email="Grace@example.com", city="Somerville"))  # fmt: skip
    sign_in(c, fair_id, add_person(c, given_name="Tomas", family_name="Perez",
                                   phone="+1 617-555-0111", postal_code="02141"))  # fmt: skip
    sign_in(c, fair_id, add_person(c, given_name="Noor", family_name="Haddad"))
    sign_in(c, fair_id, phoned)
    paths = {
        name: export(laptop, tmp_path, name) for name, laptop in zip("abc", (a, b, c), strict=True)
    }
    for laptop in (a, b, c):
        laptop.close()

    snapshots = []
    for order in itertools.permutations("abc"):
        target_path = tmp_path / f"secretary-{''.join(order)}.sqlite"
        shutil.copyfile(pristine, target_path)
        target = open_database(str(target_path))
        for name in order:
            bundles.merge_bundle(target, paths[name])
        snapshots.append(_roster_snapshot(target))
        target.close()

    assert all(snapshot == snapshots[0] for snapshot in snapshots)
    roster, attendance = snapshots[0]
    assert [(r[0], r[1], r[2], r[4], r[5]) for r in roster] == [
        ("Dana", "Quist", "dana@x.org", "02139", ""),
        ("Grace", "Okafor", "grace@example.com", "", "Somerville"),
        ("Noor", "Haddad", "", "", ""),
        ("Tomás", "Pérez", "", "02141", ""),
    ]
    assert len(attendance) == 4


# --- bad files: one clear message naming the file, the database unchanged -----------------


def _good_bundle(laptop: Database, tmp_path: Path, fair_id: int) -> Path:
    sign_in(laptop, fair_id, add_person(laptop, given_name="Lin", family_name="Wu"))
    return export(laptop, tmp_path, "good")


def _rewrite(path: Path, change: Any) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    document["sha256"] = bundles._canonical_checksum(document)
    path.write_text(json.dumps(document), encoding="utf-8")


def _truncated(path: Path) -> type[BundleError]:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    return BundleDamaged


def _bit_flipped(path: Path) -> type[BundleError]:
    path.write_text(path.read_text(encoding="utf-8").replace('"Lin"', '"Lyn"'), encoding="utf-8")
    return BundleDamaged


def _newer(path: Path) -> type[BundleError]:
    _rewrite(path, lambda d: d.update(format_version=bundles.FORMAT_VERSION + 1))
    return BundleTooNew


def _text(path: Path) -> type[BundleError]:
    path.write_text("Name,Email\nLin Wu,lin@example.com\n", encoding="utf-8")
    return NotABundle


def _png(path: Path) -> type[BundleError]:
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    return NotABundle


def _empty(path: Path) -> type[BundleError]:
    path.write_bytes(b"")
    return NotABundle


def _other_json(path: Path) -> type[BundleError]:
    path.write_text(json.dumps({"name": "Lin", "format": "vcard"}), encoding="utf-8")
    return NotABundle


def _sign_in_of_nobody(path: Path) -> type[BundleError]:
    _rewrite(path, lambda d: d["signins"][0].update(person_uid="not-in-the-bundle"))
    return BundleDamaged


def _too_long_name(path: Path) -> type[BundleError]:
    _rewrite(path, lambda d: d["people"][0].update(given_name="x" * 10_000))
    return BundleDamaged


def _huge(path: Path) -> type[BundleError]:
    with path.open("r+b") as handle:  # sparse: nothing is written, nothing is read
        handle.truncate(bundles.MAX_BUNDLE_BYTES + 1)
    return BundleTooLarge


@pytest.mark.parametrize(
    "spoil",
    [
        _truncated,
        _bit_flipped,
        _newer,
        _text,
        _png,
        _empty,
        _other_json,
        _sign_in_of_nobody,
        _too_long_name,
        _huge,
    ],
)
def test_a_bad_bundle_is_refused_with_one_message_and_nothing_changes(
    group_db: Database, laptop_a: Database, fair_id: int, tmp_path: Path, spoil: Any
) -> None:
    path = _good_bundle(laptop_a, tmp_path, fair_id)
    expected = spoil(path)
    before = dump(group_db)

    with pytest.raises(expected) as caught:
        bundles.merge_bundle(group_db, path)

    message = str(caught.value)
    assert path.name in message and "\n" not in message
    assert caught.value.path == path
    assert dump(group_db) == before


@pytest.mark.parametrize(
    ("spoil", "words"),
    [
        (_truncated, "damaged or cut short"),
        (_newer, "made by a newer Group Desk"),
        (_png, "binary file"),
        (_empty, "empty"),
        (_other_json, "JSON file, but not a Group Desk sign-up bundle"),
        (_text, "text file of another kind"),
        (_huge, "larger than any sign-up bundle"),
    ],
)
def test_the_message_says_what_is_wrong(
    laptop_a: Database, fair_id: int, tmp_path: Path, spoil: Any, words: str
) -> None:
    path = _good_bundle(laptop_a, tmp_path, fair_id)
    spoil(path)

    with pytest.raises(BundleError, match=words):
        bundles.read_bundle(path)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(BundleError, match=r"nowhere\.json: no such file"):
        bundles.read_bundle(tmp_path / "nowhere.json")


def test_a_bundle_from_another_group_is_refused_unless_confirmed(
    group_db: Database, tmp_path: Path, migrated_template: Path
) -> None:
    other_path = tmp_path / "other.sqlite"
    shutil.copyfile(migrated_template, other_path)
    other = open_database(str(other_path))
    set_up_group(other, GroupProfileData(name="Somerville Students", country="US"))
    event = add_event(other)
    sign_in(other, event, add_person(other, given_name="Lin", family_name="Wu"))
    path = export(other, tmp_path, "somerville")
    other.close()
    before = dump(group_db)

    with pytest.raises(BundleFromOtherGroup) as caught:
        bundles.merge_bundle(group_db, path)

    assert dump(group_db) == before
    assert "somerville.signups.json" in str(caught.value)
    assert '"Somerville Students"' in str(caught.value)
    assert caught.value.group_name == "Somerville Students"
    summary = bundles.merge_bundle(group_db, path, allow_other_group=True)
    assert (summary.people_added, summary.signins_added, summary.events_added) == (1, 1, 1)


def test_a_failure_half_way_leaves_the_database_unchanged(
    group_db: Database, tmp_path: Path, fair_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _busy_laptop(group_db, tmp_path, fair_id)
    before = dump(group_db)

    def broken(*_args: object) -> None:
        raise RuntimeError("disk pulled out")

    # People, their changes and sign-ins are written by then; the review items fail.
    monkeypatch.setattr(bundles._Merger, "_write_reviews", broken)
    with pytest.raises(RuntimeError, match="disk pulled out"):
        bundles.merge_bundle(group_db, path)

    assert dump(group_db) == before
    monkeypatch.undo()
    assert bundles.merge_bundle(group_db, path).people_added == 2


def test_a_cancelled_merge_changes_nothing(
    group_db: Database, tmp_path: Path, fair_id: int
) -> None:
    path = _busy_laptop(group_db, tmp_path, fair_id)
    before = dump(group_db)
    steps = bundles.merge_steps(group_db, path)
    stages = [next(steps).stage for _ in range(3)]

    steps.close()

    assert stages[-1] == "matching"
    assert dump(group_db) == before


def test_closing_the_merge_at_any_of_its_steps_changes_nothing(
    group_db: Database, tmp_path: Path, fair_id: int
) -> None:
    """A Cancel button may close the generator at any yield, the last one included."""
    path = _busy_laptop(group_db, tmp_path, fair_id)
    before = dump(group_db)
    rehearsal = laptop_copy(group_db, tmp_path, "rehearsal")
    steps_in_a_merge = len(list(bundles.merge_steps(rehearsal, path)))
    rehearsal.close()
    assert steps_in_a_merge >= 3

    for stop_after in range(1, steps_in_a_merge + 1):
        steps = bundles.merge_steps(group_db, path)
        for _ in range(stop_after):
            next(steps)
        steps.close()
        assert dump(group_db) == before, f"closed after step {stop_after}"

    assert bundles.merge_bundle(group_db, path).people_added == 2


# --- the review list ---------------------------------------------------------------------


@pytest.fixture
def duplicate(group_db: Database, tmp_path: Path, fair_id: int) -> tuple[int, int, int]:
    """John (on the roster, with a role, a tag and a sign-in at the fair) and Jon (a
    newcomer from laptop A at the same fair and at a vigil): review id, John, Jon."""
    from desktop_app.services.roster import PersonInput, RoleTerm, create_person, list_role_types

    role = list_role_types(group_db)[0].id
    john = create_person(
        group_db,
        PersonInput(
            given_name="John",
            family_name="Goncalves",
            postal_code="02139",
            tags=("tabling",),
            roles=(RoleTerm(role_type_id=role, start_date=date(2025, 1, 1)),),
        ),
    ).person_id
    sign_in(group_db, fair_id, john, source=SignInSource.MEETING)
    laptop = laptop_copy(group_db, tmp_path, "laptop-a")
    vigil = add_event(laptop, "Vigil", FAIR + timedelta(days=3))
    jon = create_person(
        laptop,
        PersonInput(
            given_name="Jon",
            family_name="Gonçalves",
            postal_code="02139",
            email="jon@example.com",
        ),
    ).person_id
    sign_in(laptop, fair_id, jon, how_heard="friend", consent_given=True)
    sign_in(laptop, vigil, jon, when=FAIR + timedelta(days=3))
    path = export(laptop, tmp_path, "fair")
    laptop.close()
    bundles.merge_bundle(group_db, path)
    (row,) = list_reviews(group_db)
    assert row.other is not None
    return row.id, row.other.id, row.person.id


def test_reviews_show_both_people_side_by_side(
    group_db: Database, duplicate: tuple[int, int, int]
) -> None:
    review_id, john, jon = duplicate

    (row,) = list_reviews(group_db)

    assert (row.id, row.kind, row.origin, row.resolution) == (
        review_id,
        "duplicate",
        "fair.signups.json",
        "",
    )
    assert row.other is not None
    assert (row.person.id, row.other.id) == (jon, john)
    assert (row.person.display_name, row.other.display_name) == ("Jon Gonçalves", "John Goncalves")
    assert row.person.values["email"] == "jon@example.com" and row.other.values["email"] == ""
    assert tuple(row.person.values) == REVIEW_FIELDS
    assert row.differing == ("given_name",)
    assert (row.person.events_attended, row.other.events_attended) == (2, 1)
    assert row.score is not None and 0.9 <= row.score < 1
    assert count_open_reviews(group_db) == 1


def test_reviews_compare_phones_as_read_in_the_group_s_country(
    group_db: Database, duplicate: tuple[int, int, int]
) -> None:
    _, john, jon = duplicate
    with group_db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE group_profile SET country = 'GB'")
        conn.exec_driver_sql("UPDATE people SET phone = '020 7946 0958' WHERE id = ?", (john,))
        conn.exec_driver_sql("UPDATE people SET phone = '+442079460958' WHERE id = ?", (jon,))
    (row,) = list_reviews(group_db)
    assert row.differing == ("given_name",)  # one London number, written two ways


def test_merge_people_moves_everything_and_leaves_other_in_the_trash(
    group_db: Database, duplicate: tuple[int, int, int], tmp_path: Path
) -> None:
    review_id, john, jon = duplicate
    with group_db.session() as session:  # tags stay on their laptop; Jon got some on B
        tabling = session.scalars(select(Tag).where(Tag.name == "tabling")).one()
        jon_row = session.get(Person, jon)
        assert jon_row is not None
        jon_row.tags = [tabling, Tag(name="refugee rights")]

    result = merge_people(group_db, review_id, keep_id=john, other_id=jon)

    assert result.moved["sign_ins"] == 1 and result.folded["sign_ins"] == 1
    assert result.folded["person_tags"] == 1
    rows = query(group_db, "SELECT person_id, how_heard, consent_given FROM sign_ins ORDER BY id")
    # The fair once (John's sign-in, with what Jon's told), the vigil moved over.
    assert rows == [(john, "friend", 1), (john, "", 0)]
    assert query(
        group_db,
        "SELECT t.name FROM person_tags pt JOIN tags t ON t.id = pt.tag_id "
        "WHERE pt.person_id = ? ORDER BY t.name",
        (john,),
    ) == [("refugee rights",), ("tabling",)]
    assert query(
        group_db, "SELECT COUNT(*) FROM role_assignments WHERE person_id = ?", (john,)
    ) == [(1,)]
    keep = query(
        group_db,
        "SELECT given_name, email, email_key, removed_at FROM people WHERE id = ?",
        (john,),
    )
    assert keep == [("John", "jon@example.com", "jon@example.com", None)]
    other = query(group_db, "SELECT removed_at, notes FROM people WHERE id = ?", (jon,))
    john_uid = query(group_db, "SELECT uid FROM people WHERE id = ?", (john,))[0][0]
    assert other[0][0] is not None
    assert f"Merged into {john_uid}" in other[0][1]
    (row,) = list_reviews(group_db, open_only=False)
    assert (row.resolution, row.resolved_at is not None) == ("merged", True)
    assert list_reviews(group_db) == []
    with pytest.raises(ReviewError, match="already decided"):
        merge_people(group_db, review_id, keep_id=john, other_id=jon)


def test_a_later_bundle_naming_the_merged_away_person_finds_the_one_kept(
    group_db: Database, duplicate: tuple[int, int, int], tmp_path: Path, fair_id: int
) -> None:
    review_id, john, jon = duplicate
    jon_uid = query(group_db, "SELECT uid FROM people WHERE id = ?", (jon,))[0][0]
    merge_people(group_db, review_id, keep_id=john, other_id=jon)
    laptop = fresh_laptop(group_db, tmp_path, "laptop-c")
    training = add_event(laptop, "Training", FAIR + timedelta(days=9))
    newcomer = add_person(laptop, given_name="Jon", family_name="Gonçalves", city="Cambridge")
    with laptop.session() as session:  # laptop C had Jon's record from laptop A
        session.execute(update(Person).where(Person.id == newcomer).values(uid=jon_uid))
    sign_in(laptop, training, newcomer, when=FAIR + timedelta(days=9))
    path = export(laptop, tmp_path, "c")
    laptop.close()

    summary = bundles.merge_bundle(group_db, path)

    assert (summary.people_added, summary.people_matched, summary.signins_added) == (0, 1, 1)
    assert query(group_db, "SELECT COUNT(*) FROM sign_ins WHERE person_id = ?", (john,)) == [(3,)]
    assert query(group_db, "SELECT city FROM people WHERE id = ?", (john,)) == [("Cambridge",)]


def test_merge_people_follows_the_field_choices(
    group_db: Database, duplicate: tuple[int, int, int]
) -> None:
    review_id, john, jon = duplicate

    merge_people(
        group_db, review_id, keep_id=john, other_id=jon, field_choices={"given_name": "other"}
    )

    assert query(group_db, "SELECT given_name, sort_key FROM people WHERE id = ?", (john,)) == [
        ("Jon", "goncalves jon")
    ]


def test_merge_people_refuses_what_it_cannot_do(
    group_db: Database, duplicate: tuple[int, int, int]
) -> None:
    review_id, john, jon = duplicate
    before = dump(group_db)

    with pytest.raises(ReviewError, match="not a field"):
        merge_people(group_db, review_id, john, jon, {"uid": "other"})
    with pytest.raises(ReviewError, match="choose 'keep' or 'other'"):
        merge_people(group_db, review_id, john, jon, {"email": "mine"})
    with pytest.raises(ReviewError, match="not about these two people"):
        merge_people(group_db, review_id, john, 999)
    with pytest.raises(ReviewError, match="no such review"):
        merge_people(group_db, 999, john, jon)

    assert dump(group_db) == before


def test_keep_apart_closes_the_review_and_changes_nobody(
    group_db: Database, duplicate: tuple[int, int, int]
) -> None:
    review_id, _john, _jon = duplicate
    people_before = people(group_db)

    keep_apart(group_db, review_id)

    assert people(group_db) == people_before
    (row,) = list_reviews(group_db, open_only=False)
    assert row.resolution == "kept_apart"


def test_resolve_conflict_takes_their_value_or_keeps_ours(
    group_db: Database, tmp_path: Path, fair_id: int
) -> None:
    maria = add_person(
        group_db, given_name="Maria", family_name="Silva", email="m@example.com", phone="6175550142"
    )
    laptop = laptop_copy(group_db, tmp_path, "laptop-a")
    with laptop.session() as session:
        session.execute(
            update(Person).where(Person.id == maria).values(phone="+16175550199", region="RI")
        )
    sign_in(laptop, fair_id, maria)
    path = export(laptop, tmp_path)
    laptop.close()
    bundles.merge_bundle(group_db, path)
    (review,) = list_reviews(group_db)
    assert (review.kind, review.field, review.ours, review.theirs) == (
        "conflict",
        "phone",
        "+16175550142",
        "+16175550199",
    )
    assert review.other is None

    resolve_conflict(group_db, review.id, use_theirs=True)

    assert query(group_db, "SELECT phone, region, search_text FROM people") == [
        ("+16175550199", "RI", "maria silva | m@example.com | 16175550199")
    ]
    assert list_reviews(group_db, open_only=False)[0].resolution == "used_theirs"
    with pytest.raises(ReviewError, match="already decided"):
        resolve_conflict(group_db, review.id, use_theirs=False)


def test_the_summary_has_the_command_line_figures() -> None:
    assert set(MergeSummary().counts()) == {
        "people_added",
        "people_matched",
        "signins_added",
        "needs_review",
        "already_merged",
    }


def test_times_travel_in_utc(laptop_a: Database, fair_id: int, tmp_path: Path) -> None:
    person = add_person(laptop_a, given_name="Kenji", family_name="Sato")
    sign_in(laptop_a, fair_id, person, when=datetime(2026, 5, 16, 14, 30, tzinfo=UTC))
    bundle = bundles.read_bundle(export(laptop_a, tmp_path))

    assert bundle.signins[0].signed_in_at == datetime(2026, 5, 16, 14, 30, tzinfo=UTC)
    assert bundle.events[0].starts_at == FAIR
    assert bundle.group_name == "Cambridge Local Group 133"
