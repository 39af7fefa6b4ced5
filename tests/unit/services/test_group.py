"""desktop_app/services/group.py: the group's profile, its kiosk PIN and the laptop id."""

from __future__ import annotations

import dataclasses
import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from desktop_app.db import Database, create_database, open_database
from desktop_app.models import GroupKind
from desktop_app.services.group import (
    DEFAULT_CONSENT_TEXT,
    GroupProfileData,
    GroupProfileView,
    ProfileError,
    check_kiosk_pin,
    get_profile,
    group_country,
    laptop_id,
    save_profile,
)
from tests.helpers.sqlite_files import query, side_files

PIN = "73915028"

CAMBRIDGE = GroupProfileData(
    name="  Group 133, Cambridge  ",
    kind=GroupKind.STUDENT,
    number=" 133 ",
    city="Cambridge ",
    region="MA",
    country="us",
    meeting_place="First Parish, 3 Church St",
    contact_email=" group133@example.org",
    kiosk_consent_text="You may contact me about the group's work.",
    kiosk_interests=(" refugee rights ", "", "death penalty", "   "),
    currency="USD",
)


def test_no_profile_before_the_first_run(db: Database) -> None:
    assert get_profile(db) is None
    assert group_country(db) == "US"
    assert check_kiosk_pin(db, "1234") is False


def test_save_and_get_profile_round_trip(db: Database) -> None:
    uid = save_profile(db, CAMBRIDGE)

    profile = get_profile(db)

    assert profile == GroupProfileView(
        name="Group 133, Cambridge",
        kind=GroupKind.STUDENT,
        number="133",
        city="Cambridge",
        region="MA",
        country="US",
        meeting_place="First Parish, 3 Church St",
        contact_email="group133@example.org",
        kiosk_consent_text="You may contact me about the group's work.",
        kiosk_interests=("refugee rights", "death penalty"),
        currency="USD",
        uid=uid,
        has_kiosk_pin=False,
    )
    assert str(uuid.UUID(uid)) == uid
    assert group_country(db) == "US"


def test_saving_again_updates_the_one_profile(db: Database, db_path: Path) -> None:
    uid = save_profile(db, CAMBRIDGE)
    moved = dataclasses.replace(CAMBRIDGE, city="Somerville", number="", country="ie")

    assert save_profile(db, moved) == uid

    db.close()
    reopened = open_database(str(db_path))
    try:
        profile = get_profile(reopened)
        assert profile is not None
        assert (profile.city, profile.number, profile.country, profile.uid) == (
            "Somerville",
            "",
            "IE",
            uid,
        )
        assert group_country(reopened) == "IE"
    finally:
        reopened.close()
    assert query(db_path, "SELECT count(*), max(number) FROM group_profile") == [(1, None)]


def test_a_new_profile_gets_the_default_consent_text(db: Database) -> None:
    save_profile(db, GroupProfileData(name="Group 42"))

    profile = get_profile(db)

    assert profile is not None
    assert profile.kiosk_consent_text == DEFAULT_CONSENT_TEXT
    assert profile.kind is GroupKind.LOCAL


@pytest.mark.parametrize(
    ("changes", "pin", "message"),
    [
        ({"name": ""}, None, "Group name: please give the group's name."),
        ({"name": "   "}, None, "Group name: please give the group's name."),
        ({"name": "G" * 201}, None, "Group name: at most 200 characters."),
        ({"country": "USA"}, None, "Country: a two-letter country code"),
        ({"country": "U5"}, None, "Country: a two-letter country code"),
        ({"country": ""}, None, "Country: a two-letter country code"),
        ({}, "123", "Kiosk PIN: 4 to 12 digits."),
        ({}, "1234567890123", "Kiosk PIN: 4 to 12 digits."),
        ({}, "12a4", "Kiosk PIN: 4 to 12 digits."),
        ({}, "12 34", "Kiosk PIN: 4 to 12 digits."),
        ({}, "", "Kiosk PIN: 4 to 12 digits."),
    ],
)
def test_bad_values_are_explained_and_nothing_is_saved(
    db: Database, changes: dict[str, Any], pin: str | None, message: str
) -> None:
    save_profile(db, CAMBRIDGE, kiosk_pin=PIN)
    before = get_profile(db)

    with pytest.raises(ProfileError) as info:
        save_profile(db, dataclasses.replace(CAMBRIDGE, city="Elsewhere", **changes), kiosk_pin=pin)

    assert str(info.value).startswith(message)
    assert get_profile(db) == before
    assert check_kiosk_pin(db, PIN)


def test_kiosk_pin_is_checked_against_a_salted_hash(db: Database, db_path: Path) -> None:
    save_profile(db, CAMBRIDGE, kiosk_pin=PIN)

    profile = get_profile(db)
    assert profile is not None and profile.has_kiosk_pin
    assert check_kiosk_pin(db, PIN) is True
    assert check_kiosk_pin(db, "73915027") is False
    assert check_kiosk_pin(db, PIN + "0") is False
    assert check_kiosk_pin(db, "") is False

    first_hash = query(db_path, "SELECT kiosk_pin_hash FROM group_profile")[0][0]
    assert isinstance(first_hash, str)
    assert re.fullmatch(r"[0-9a-f]{32}\$[0-9a-f]{64}", first_hash)

    # The same PIN set again is hashed with a new salt.
    save_profile(db, CAMBRIDGE, kiosk_pin=PIN)
    assert query(db_path, "SELECT kiosk_pin_hash FROM group_profile")[0][0] != first_hash
    assert check_kiosk_pin(db, PIN) is True


def test_saving_without_a_pin_keeps_it_and_a_new_pin_replaces_it(db: Database) -> None:
    save_profile(db, CAMBRIDGE, kiosk_pin=PIN)
    save_profile(db, dataclasses.replace(CAMBRIDGE, city="Somerville"))

    assert check_kiosk_pin(db, PIN) is True

    save_profile(db, CAMBRIDGE, kiosk_pin="2468")

    assert check_kiosk_pin(db, "2468") is True
    assert check_kiosk_pin(db, PIN) is False


def test_the_pin_itself_is_nowhere_in_the_database_file(db: Database, db_path: Path) -> None:
    save_profile(db, CAMBRIDGE, kiosk_pin=PIN)
    save_profile(db, CAMBRIDGE, kiosk_pin="2468")
    save_profile(db, CAMBRIDGE, kiosk_pin=PIN)
    assert check_kiosk_pin(db, PIN)
    db.close()

    files = [db_path, *side_files(db_path)]
    for path in files:
        content = path.read_bytes()
        assert PIN.encode() not in content, f"the PIN is readable in {path.name}"
        assert PIN.encode("utf-16-le") not in content
    # The test looks in the right place: the hash and the group's name are in the file.
    stored = query(db_path, "SELECT kiosk_pin_hash FROM group_profile")[0][0]
    assert isinstance(stored, str)
    assert stored.encode() in db_path.read_bytes()
    assert b"Group 133, Cambridge" in db_path.read_bytes()


def test_laptop_id_is_stable_across_calls_and_reopen(db: Database, db_path: Path) -> None:
    first = laptop_id(db)

    assert str(uuid.UUID(first)) == first
    assert laptop_id(db) == first
    db.close()
    reopened = open_database(str(db_path))
    try:
        assert laptop_id(reopened) == first
    finally:
        reopened.close()
    assert query(db_path, "SELECT value FROM app_settings WHERE key = 'laptop_id'") == [(first,)]


def test_each_database_has_its_own_laptop_id(db: Database, tmp_path: Path) -> None:
    other = create_database(str(tmp_path / "other.sqlite"))
    try:
        assert laptop_id(other) != laptop_id(db)
    finally:
        other.close()
