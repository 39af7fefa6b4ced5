"""The roster service: what the roster window, the CLI and later imports all rely on."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from desktop_app.db import Database, open_database
from desktop_app.models import LadderStage, PersonStatus
from desktop_app.services import roster
from desktop_app.services.group import GroupProfileData, save_profile
from desktop_app.services.roster import PersonInput, RoleTerm, RosterFilter, SortKey


def add(db: Database, **fields: object) -> int:
    return roster.create_person(db, PersonInput(**fields)).person_id  # type: ignore[arg-type]


def role_id(db: Database, name: str) -> int:
    return next(r.id for r in roster.list_role_types(db) if r.name == name)


def test_new_person_is_on_the_roster_after_reopening(db: Database) -> None:
    person_id = add(db, given_name="Aoife", family_name="Ní Bhriain", email="aoife@example.com")
    db.close()
    reopened = open_database(str(db.path))
    rows = roster.fetch_rows(reopened, [person_id])
    assert [(r.given_name, r.family_name, r.email) for r in rows] == [
        ("Aoife", "Ní Bhriain", "aoife@example.com")
    ]
    reopened.close()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bhri", {"Aoife"}),  # middle of a family name
        ("ni bhriain", {"Aoife"}),  # accents ignored
        ("NÍ BHRIAIN", {"Aoife"}),  # case ignored
        ("sato kenji", {"Kenji"}),  # family name first
        ("bhriain aoife", {"Aoife"}),
        ("kenji s", {"Kenji"}),  # a word too short for the index is still required
        ("kenji q", set()),
        ("кузн", {"Владимир"}),  # Cyrillic
        ("555-0143", {"Kenji"}),  # phone as people write it
        ("(617) 555 0144", {"Aoife"}),
        ("02141", {"Aoife"}),  # postal code with its leading zero
        ("EXAMPLE.COM", {"Aoife", "Kenji"}),  # email domain
        ("ke", {"Kenji"}),  # two letters: start of a word
        ("zzz", set()),
    ],
)
def test_search_finds_people_by_any_part(db: Database, query: str, expected: set[str]) -> None:
    add(
        db,
        given_name="Aoife",
        family_name="Ní Bhriain",
        email="aoife@example.com",
        phone="617 555 0144",
        postal_code="2141",
    )
    add(db, given_name="Kenji", family_name="Sato", email="kenji@example.com", phone="6175550143")
    add(db, given_name="Владимир", family_name="Кузнецов", email="v@example.org")
    found = roster.fetch_rows(db, roster.search_person_ids(db, query))
    assert {row.given_name for row in found} == expected
    # The roster table's keystroke path asks the index alone: the same people.
    matched = roster.match_person_ids(db, query) or frozenset()
    assert {row.given_name for row in roster.fetch_rows(db, sorted(matched))} == expected


def test_search_text_with_fts_syntax_is_taken_literally(db: Database) -> None:
    add(db, given_name='Tom "The" Cat', family_name="O'Brien AND NOT")
    for query in ['"the"', "o'brien", "and not", "*", "-", "NEAR(", "a OR b"]:
        roster.search_person_ids(db, query)  # must not raise
    assert roster.search_person_ids(db, 'tom "the') != []


def test_exotic_text_is_stored_exactly(db: Database) -> None:
    names = {
        "given_name": "<b>Tom & Jerry</b>",
        "family_name": "שָׁלוֹם 🌍 'quotes' \"double\"",
        "preferred_name": "x" * 500,
        "notes": "line one\nline two\t<script>alert(1)</script>",
    }
    person_id = add(db, **names)
    data = roster.get_person(db, person_id).data
    for field, value in names.items():
        assert getattr(data, field) == value


def test_too_long_and_empty_people_are_refused_with_words(db: Database) -> None:
    with pytest.raises(roster.PersonError, match="at least a name"):
        add(db, notes="nobody")
    with pytest.raises(roster.PersonError, match="Given name: at most 500"):
        add(db, given_name="x" * 501)
    assert roster.count_people(db) == 0


def test_invalid_email_and_phone_are_kept_as_written_and_flagged(db: Database) -> None:
    result = roster.create_person(
        db, PersonInput(given_name="Sam", email="sam@@example", phone="12")
    )
    assert len(result.problems) == 2
    detail = roster.get_person(db, result.person_id)
    assert detail.data.email == "sam@@example"
    assert detail.data.phone == "12"
    assert detail.needs_review
    assert "email" in detail.review_reason.lower()
    assert roster.search_person_ids(db, flt=RosterFilter(needs_review=True)) == [result.person_id]


def test_phone_is_stored_in_e164_using_the_group_country(db: Database) -> None:
    save_profile(db, GroupProfileData(name="Dublin Group", country="IE"))
    person_id = add(db, given_name="Siobhán", phone="087 123 4567")
    assert roster.get_person(db, person_id).data.phone == "+353871234567"


def test_duplicates_by_email_any_case_and_by_phone(db: Database) -> None:
    maria = add(
        db,
        given_name="Maria",
        family_name="Gonçalves",
        email="maria.g@example.com",
        phone="617-555-0142",
    )
    by_email = roster.find_duplicates(db, email=" MARIA.G@EXAMPLE.COM ")
    assert [(h.id, h.reason) for h in by_email] == [(maria, "same email")]
    by_phone = roster.find_duplicates(db, phone="617.555.0142")
    assert [(h.id, h.reason) for h in by_phone] == [(maria, "same phone")]
    assert roster.find_duplicates(db, email="maria.g@example.com", exclude_id=maria) == []


def test_roles_with_terms_and_the_role_filter(db: Database) -> None:
    treasurer = role_id(db, "Treasurer")
    today = date.today()
    now_id = add(db, given_name="Now", roles=(RoleTerm(treasurer, today - timedelta(days=30)),))
    add(db, given_name="Past", roles=(RoleTerm(treasurer, date(2020, 1, 1), date(2021, 1, 1)),))
    assert roster.search_person_ids(db, flt=RosterFilter(role_type_id=treasurer)) == [now_id]
    assert roster.fetch_rows(db, [now_id])[0].roles == ("Treasurer",)
    with pytest.raises(roster.PersonError, match="end date is before"):
        add(db, given_name="Bad", roles=(RoleTerm(treasurer, date(2022, 1, 1), date(2021, 1, 1)),))


def test_editing_roles_keeps_replaces_and_drops_terms(db: Database) -> None:
    secretary, treasurer = role_id(db, "Secretary"), role_id(db, "Treasurer")
    person_id = add(db, given_name="Ana", roles=(RoleTerm(secretary), RoleTerm(treasurer)))
    detail = roster.get_person(db, person_id)
    kept = [t for t in detail.data.roles if t.role_type_id == secretary]
    ended = date(2026, 1, 31)
    kept = [RoleTerm(secretary, end_date=ended, id=kept[0].id)]
    roster.update_person(db, person_id, replace(detail.data, roles=tuple(kept)))
    roles = roster.get_person(db, person_id).data.roles
    assert [(r.role_name, r.end_date) for r in roles] == [("Secretary", ended)]


def test_filters_by_status_tag_dues_ladder_and_consent(db: Database) -> None:
    today = date.today()
    member = add(
        db,
        given_name="M",
        status=PersonStatus.MEMBER,
        tags=("refugee rights",),
        dues_paid_through=today + timedelta(days=10),
        email_ok=True,
    )
    lapsed = add(
        db,
        given_name="L",
        status=PersonStatus.MEMBER,
        dues_paid_through=today - timedelta(days=1),
        ladder_stage=LadderStage.REGULAR,
    )
    waived = add(db, given_name="W", dues_waived=True, do_not_contact=True, email_ok=True)
    everyone = {member, lapsed, waived}

    def ids(**kwargs: object) -> set[int]:
        return set(roster.search_person_ids(db, flt=RosterFilter(**kwargs)))  # type: ignore[arg-type]

    assert ids() == everyone
    assert ids(statuses=frozenset({PersonStatus.MEMBER})) == {member, lapsed}
    assert ids(tag="refugee rights") == {member}
    assert ids(dues="current") == {member, waived}
    assert ids(dues="lapsed") == {lapsed}
    assert ids(ladder_stage=LadderStage.REGULAR) == {lapsed}
    assert ids(consent="email_ok") == {member}  # do-not-contact wins over email ok
    assert ids(consent="do_not_contact") == {waived}
    assert ids(consent="contactable") == {member, lapsed}


@pytest.mark.parametrize("key", list(SortKey))
def test_every_sort_is_stable_and_reversible(db: Database, key: SortKey) -> None:
    for given, family in [("b", "Zed"), ("a", "Ångström"), ("c", "adams"), ("d", "Adams")]:
        add(db, given_name=given, family_name=family, tags=(given,))
    forward = roster.search_person_ids(db, sort=key)
    backward = roster.search_person_ids(db, sort=key, descending=True)
    assert sorted(forward) == sorted(backward) == [1, 2, 3, 4]
    assert forward == roster.search_person_ids(db, sort=key)
    if key is SortKey.NAME:
        names = [r.family_name for r in roster.fetch_rows(db, forward)]
        assert names == ["adams", "Adams", "Ångström", "Zed"]  # accents and case ignored
        assert backward == list(reversed(forward))


def test_remove_goes_to_trash_and_restore_brings_back(db: Database) -> None:
    person_id = add(db, given_name="Kenji", email="kenji@example.com")
    assert roster.remove_people(db, [person_id]) == 1
    assert roster.search_person_ids(db) == []
    assert roster.search_person_ids(db, "kenji") == []
    assert roster.search_person_ids(db, flt=RosterFilter(in_trash=True)) == [person_id]
    # Someone in the trash still counts as a duplicate, so they are not added twice.
    assert roster.find_duplicates(db, email="kenji@example.com")[0].in_trash
    assert roster.restore_people(db, [person_id]) == 1
    assert roster.search_person_ids(db, "kenji") == [person_id]


def test_erase_removes_identity_but_keeps_the_row(db: Database) -> None:
    inviter = add(
        db,
        given_name="Erin",
        family_name="Walsh",
        email="erin@example.com",
        phone="6175550100",
        postal_code="02139",
        tags=("x",),
        notes="private",
    )
    invited = add(db, given_name="Ian", joined_via="personal_invitation", invited_by_id=inviter)
    roster.erase_personal_data(db, inviter)
    detail = roster.get_person(db, inviter)
    assert detail.erased_at is not None
    assert (
        detail.data.family_name,
        detail.data.email,
        detail.data.phone,
        detail.data.postal_code,
        detail.data.notes,
        detail.data.tags,
    ) == ("", "", "", "", "", ())
    assert detail.data.do_not_contact
    assert roster.search_person_ids(db, "walsh", flt=RosterFilter(in_trash=True)) == []
    assert roster.get_person(db, invited).data.invited_by_id is None
    assert db.path is not None
    db.close()
    assert b"erin@example.com" not in _database_bytes(db.path)
    with pytest.raises(roster.PersonError, match="erased"):
        roster.update_person(open_database(str(db.path)), inviter, PersonInput(given_name="Erin"))


def _database_bytes(path: Path) -> bytes:
    """The database file and any journal beside it, as stored on disk."""
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_invited_by_and_choices(db: Database) -> None:
    maria = add(db, given_name="Maria", family_name="Gonçalves", email="maria@example.com")
    kenji = add(
        db,
        given_name="Kenji",
        family_name="Sato",
        joined_via="personal_invitation",
        invited_by_id=maria,
    )
    assert roster.get_person(db, kenji).invited_by_name == "Maria Gonçalves"
    assert [c.id for c in roster.person_choices(db, "gonc")] == [maria]
    assert roster.person_choices(db, "gonc", exclude_id=maria) == []
    with pytest.raises(roster.PersonError, match="themselves"):
        data = roster.get_person(db, maria).data
        roster.update_person(db, maria, replace(data, invited_by_id=maria))


def test_new_roles_can_be_added_once(db: Database) -> None:
    row = roster.add_role_type(db, "  Social   media ")
    assert row.name == "Social media"
    with pytest.raises(roster.PersonError, match="already a role"):
        roster.add_role_type(db, "social MEDIA")
    assert "Social media" in [r.name for r in roster.list_role_types(db)]


def test_history_lists_roles_and_joining(db: Database) -> None:
    person_id = add(
        db,
        given_name="Ana",
        joined_via="tabling",
        joined_on=date(2025, 5, 1),
        roles=(RoleTerm(role_id(db, "Secretary"), date(2025, 9, 1)),),
    )
    history = roster.get_person(db, person_id).history
    assert [(h.kind, h.when) for h in history] == [
        ("role", date(2025, 9, 1)),
        ("joined", date(2025, 5, 1)),
    ]
    assert "tabling" in history[1].text
