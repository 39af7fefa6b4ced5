"""Roster service additions made for the roster table: text matches alone, review reasons."""

from __future__ import annotations

import pytest

from desktop_app.db import Database
from desktop_app.services import roster
from desktop_app.services.roster import PersonInput, RosterFilter

QUERIES = [
    "",
    "   ",
    "m",
    "ke",
    "bhri",
    "ni bhriain",
    "NÍ BHRIAIN",
    "sato kenji",
    "кузн",
    "555-0143",
    "(617) 555 0144",
    "02141",
    "EXAMPLE.COM",
    "zzz",
    '"the"',
    "a OR b",
    "%",
    "_",
    "*",
]


@pytest.fixture
def people(db: Database) -> dict[str, int]:
    def add(**fields: object) -> int:
        return roster.create_person(db, PersonInput(**fields)).person_id  # type: ignore[arg-type]

    ids = {
        "aoife": add(
            given_name="Aoife",
            family_name="Ní Bhriain",
            email="aoife@example.com",
            phone="617 555 0144",
            postal_code="2141",
        ),
        "kenji": add(
            given_name="Kenji", family_name="Sato", email="kenji@example.com", phone="6175550143"
        ),
        "vladimir": add(given_name="Владимир", family_name="Кузнецов", email="v@example.org"),
        "tom": add(given_name='Tom "The" Cat', family_name="100% _under_"),
        "removed": add(given_name="Kenneth", family_name="Removed", email="k@example.com"),
    }
    roster.remove_people(db, [ids["removed"]])
    return ids


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("in_trash", [False, True])
def test_match_keeps_exactly_what_the_sorted_search_finds(
    db: Database, people: dict[str, int], query: str, in_trash: bool
) -> None:
    flt = RosterFilter(in_trash=in_trash)
    ordered = roster.search_person_ids(db, "", flt)
    matches = roster.match_person_ids(db, query)
    kept = ordered if matches is None else [i for i in ordered if i in matches]
    assert kept == roster.search_person_ids(db, query, flt)


def test_no_text_narrows_nothing(db: Database, people: dict[str, int]) -> None:
    assert roster.match_person_ids(db, "") is None
    assert roster.match_person_ids(db, " \t") is None


def test_match_includes_the_trash(db: Database, people: dict[str, int]) -> None:
    assert roster.match_person_ids(db, "kenneth") == {people["removed"]}


def test_review_reasons_name_the_problem_of_flagged_people_only(db: Database) -> None:
    flagged = roster.create_person(
        db, PersonInput(given_name="Ana", email="ana@@example")
    ).person_id
    fine = roster.create_person(db, PersonInput(given_name="Bo", email="bo@example.org")).person_id
    reasons = roster.review_reasons(db, [flagged, fine])
    assert list(reasons) == [flagged]
    assert "email" in reasons[flagged].lower()
    assert roster.review_reasons(db, []) == {}
