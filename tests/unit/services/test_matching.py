"""desktop_app/services/matching.py: the one duplicate matcher of merges, imports and dialogs."""

from __future__ import annotations

import random

import pytest
from rapidfuzz import fuzz

from desktop_app.db import Database
from desktop_app.models import Person
from desktop_app.services import matching
from desktop_app.services.matching import Known, NameIndex, Names, PeopleMatcher
from desktop_app.services.roster import (
    PersonInput,
    create_person,
    erase_personal_data,
    remove_people,
)
from desktop_app.text import sort_key

COLUMNS = (
    "id", "uid", "removed_at", "erased_at", "given_name", "family_name", "preferred_name",
    "email", "email_key", "phone", "postal_code",
)  # fmt: skip


def add(db: Database, **fields: str) -> int:
    return create_person(db, PersonInput(**fields)).person_id  # type: ignore[arg-type]


# --- names ------------------------------------------------------------------------------


def test_a_household_phone_does_not_make_two_people_one() -> None:
    maria = Names("Maria", "Gonçalves")
    assert matching.name_agreement(maria, Names("João", "Gonçalves")) is None
    assert matching.name_agreement(maria, Names("maria", "GONCALVES")) == 100.0


def test_a_preferred_name_fits_the_given_name_it_stands_for() -> None:
    james = Names("James", "Okafor", preferred="Jim")
    score = matching.name_agreement(james, Names("Jim", "Okafor"))
    assert score is not None and score >= matching.NAMES_AGREE


def test_no_name_on_one_side_leaves_the_contact_to_decide() -> None:
    assert matching.name_agreement(Names(), Names("Kenji", "Sato")) == 0.0


def test_names_typed_into_the_wrong_boxes_still_fit() -> None:
    assert matching.name_agreement(Names("Kenji", "Sato"), Names("Sato", "Kenji")) == 100.0


def test_best_agreeing_prefers_the_closest_name_and_lists_the_others() -> None:
    people = [Names("João", "Gonçalves"), Names("Marja", "Goncalves"), Names("Maria", "Gonçalves")]
    best, others = matching.best_agreeing(people, Names("Maria", "Gonçalves"), lambda n: n)
    assert best == Names("Maria", "Gonçalves")
    assert others == [Names("João", "Gonçalves")]


# --- the blocked name index ----------------------------------------------------------------


def _brute_force(
    roster: list[tuple[int, str, str]], name: str, postal: str
) -> tuple[int, float] | None:
    """Every roster name scored, with the index's own rules of who is compared with whom."""
    prefix = name[: matching.NAME_PREFIX_LENGTH]
    best: tuple[int, float] | None = None
    for person_id, other, other_postal in roster:
        if postal and other_postal == postal:
            cutoff = matching.SAME_POSTAL_THRESHOLD
        elif other[: matching.NAME_PREFIX_LENGTH] == prefix and not (postal and other_postal):
            cutoff = matching.NO_POSTAL_THRESHOLD
        else:
            continue
        score = float(fuzz.token_sort_ratio(name, other))
        if score >= cutoff and (best is None or score > best[1]):
            best = (person_id, score)
    return best


def _typo(rng: random.Random, name: str) -> str:
    at = rng.randrange(len(name))
    return name[:at] + rng.choice("aeiouns") + name[at + 1 :]


def test_blocking_finds_the_same_best_score_as_comparing_everyone() -> None:
    rng = random.Random(7)
    syllables = ["ka", "lo", "mi", "ren", "ta", "vos", "zel", "an", "bri", "du"]

    def word() -> str:
        return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3)))

    codes = ["02139", "02141", "10115", ""]
    roster = [(k, f"{word()} {word()}", rng.choice(codes)) for k in range(1500)]
    queries = [(_typo(rng, name), postal) for _, name, postal in rng.sample(roster, 150)]
    queries += [(f"{word()} {word()}", rng.choice(codes)) for _ in range(150)]
    index = NameIndex()
    for name, postal in queries:
        index.want(name, postal)
    index.add_roster(roster)
    found = 0
    for name, postal in queries:
        expected = _brute_force(roster, name, postal)
        got = index.best(name, postal)
        assert (got[1] if got else None) == (expected[1] if expected else None), (name, postal)
        found += got is not None
    assert found >= 100  # the typos are found, not just "nothing" twice


def test_the_same_name_in_another_postal_code_is_someone_else() -> None:
    index = NameIndex()
    index.want("sato kenji", "02139")
    index.add_roster([(1, "sato kenji", "10115")])
    assert index.best("sato kenji", "02139") is None


def test_length_range_never_drops_a_name_that_reaches_the_cutoff() -> None:
    for length in range(1, 60):
        allowed = matching.length_range(length, matching.SAME_POSTAL_THRESHOLD)
        for other in range(1, 130):
            best_possible = 200 * min(length, other) / (length + other)
            if best_possible >= matching.SAME_POSTAL_THRESHOLD:
                assert other in allowed, (length, other)


# --- the roster as a merge or import sees it -------------------------------------------------


def test_contacts_match_any_case_and_e164_but_not_the_trash_or_erased(db: Database) -> None:
    maria = add(
        db, given_name="Maria", family_name="Gonçalves", email="Maria.G@example.com",
        phone="617 555 0142",
    )  # fmt: skip
    gone = add(db, given_name="Maria", family_name="Gonçalves", email="old@example.com")
    erased = add(db, given_name="Kenji", family_name="Sato", email="kenji@example.com")
    remove_people(db, [gone])
    erase_personal_data(db, erased)
    with db.read_session() as session:
        matcher = PeopleMatcher(session.connection(), COLUMNS)
        matcher.load_contacts(["maria.g@example.com", "old@example.com"], ["+16175550142"])
        found = matcher.same_contact(
            " MARIA.G@EXAMPLE.COM", "+16175550142", Names("Maria", "Goncalves")
        )
        assert found.by_email is not None and found.by_email.id == maria
        assert found.by_phone is found.by_email and not found.split
        assert matcher.same_contact("old@example.com", "", Names("Maria")).target is None


def test_a_shared_phone_under_another_name_is_reported_not_matched(db: Database) -> None:
    add(db, given_name="Maria", family_name="Gonçalves", phone="617 555 0142")
    with db.read_session() as session:
        matcher = PeopleMatcher(session.connection(), COLUMNS)
        matcher.load_contacts([], ["+16175550142"])
        found = matcher.same_contact("", "+16175550142", Names("João", "Gonçalves"))
        assert found.target is None
        [(other, reason)] = found.shared()
        assert other.get("given_name") == "Maria"
        assert reason == matching.REASON_SAME_PHONE_OTHER_NAME


def test_newcomers_are_matched_to_each_other_by_contact_and_by_name(db: Database) -> None:
    roster_id = add(db, given_name="Aoife", family_name="Ní Bhriain", postal_code="02141")
    first = Known({"given_name": "Lin", "family_name": "Wei", "email": "lin@example.net",
                   "phone": "", "postal_code": "02139"}, is_new=True)  # fmt: skip
    second = Known({"given_name": "Linn", "family_name": "Wei", "email": "",
                    "phone": "", "postal_code": "02139"}, is_new=True)  # fmt: skip
    near_roster = Known({"given_name": "Aoife", "family_name": "Ni Bhriainn", "email": "",
                         "phone": "", "postal_code": "02141"}, is_new=True)  # fmt: skip
    with db.read_session() as session:
        matcher = PeopleMatcher(session.connection(), COLUMNS)
        matcher.load_contacts(["lin@example.net"], [])
        matcher.load_names((k.name_key, k.get("postal_code")) for k in (first, second, near_roster))
        matcher.register(first)
        assert matcher.same_contact("LIN@example.net", "", Names("Lin", "Wei")).target is first
        assert matcher.likely(first) is None
        hit = matcher.likely(second)
        assert hit is not None and hit[0] is first
        assert hit[2] == matching.REASON_SIMILAR_NAME_SAME_POSTAL
        hit = matcher.likely(near_roster)
        assert hit is not None and hit[0].id == roster_id and hit[1] >= 90


def test_likely_refuses_to_guess_before_the_names_are_loaded(db: Database) -> None:
    with db.read_session() as session:
        matcher = PeopleMatcher(session.connection(), COLUMNS)
        with pytest.raises(RuntimeError):
            matcher.likely(Known({"given_name": "A", "family_name": "B"}, is_new=True))


def test_contact_rows_include_the_trash_only_when_asked(db: Database) -> None:
    kept = add(db, given_name="Kenji", family_name="Sato", email="kenji@example.com")
    binned = add(db, given_name="Ken", family_name="Sato", email="KENJI@example.com")
    remove_people(db, [binned])
    people = Person.__table__.c
    with db.read_session() as session:
        conn = session.connection()
        active = matching.contact_rows(conn, [people.id], email="kenji@example.com")
        everyone = matching.contact_rows(
            conn, [people.id], email="kenji@example.com", include_trash=True
        )
        assert [row.id for row in active] == [kept]
        assert sorted(row.id for row in everyone) == sorted([kept, binned])
        assert matching.contact_rows(conn, [people.id]) == []


def test_phone_form_is_e164_or_as_typed() -> None:
    assert matching.phone_form("(617) 555-0142", "US") == "+16175550142"
    assert matching.phone_form("  call me ", "US") == "call me"
    assert matching.phone_form("", "US") == ""


def test_known_name_key_is_the_roster_sort_key() -> None:
    known = Known({"given_name": "Aoife", "family_name": "Ní Bhriain"})
    assert known.name_key == sort_key("Aoife", "Ní Bhriain") == "ni bhriain aoife"
