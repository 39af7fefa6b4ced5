"""Urgent actions: cases with addressees and a template, and the letters counted against them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from desktop_app.db import Database
from desktop_app.models import LetterWritten, UAAddressee, UrgentActionStatus
from desktop_app.services import roster
from desktop_app.services.roster import PersonInput
from desktop_app.services.urgent_actions import (
    AddresseeInput,
    UrgentActionError,
    UrgentActionInput,
    create_urgent_action,
    get_urgent_action,
    list_urgent_actions,
    normalise_number,
    record_letters_written,
    set_status,
    update_urgent_action,
    writer_tallies,
)

MINISTER = AddresseeInput(
    "Minister Ana Ruiz",
    "Minister of Justice",
    " 1 Palace Road \n\n Capital City ",
    "Dear Minister",
    "ES",
)
POLICE = AddresseeInput("General Paulo Vera", "Chief of Police", "Police HQ")
EMBASSY = AddresseeInput("Ambassador Eva Sol", "Embassy of Valdoria", is_copy=True)


def case(**changes: object) -> UrgentActionInput:
    values: dict[str, object] = {
        "title": "Student activist detained",
        "number": "ua229/10",
        "country": "Valdoria",
        "persons_at_risk": "Tomás Ibarra",
        "issue": "Fear of torture",
        "issued_on": date(2026, 5, 1),
        "deadline": date(2026, 6, 12),
        "addressees": (MINISTER, POLICE, EMBASSY),
    }
    values.update(changes)
    return UrgentActionInput(**values)  # type: ignore[arg-type]


def person(db: Database, given: str, family: str) -> int:
    return roster.create_person(db, PersonInput(given_name=given, family_name=family)).person_id


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("UA 229/10", "UA 229/10"),
        ("ua229/10", "UA 229/10"),
        (" UA: 229 / 10 ", "UA 229/10"),
        ("229/2010", "UA 229/2010"),
        ("27.22", "27.22"),
        ("UA 27.22", "27.22"),
        ("  EXTRA  52/10 ", "EXTRA 52/10"),
        ("", ""),
    ],
)
def test_numbers_in_either_style_are_tidied(typed: str, stored: str) -> None:
    assert normalise_number(typed) == stored


def test_a_case_reads_back_as_entered_with_its_addressees_in_order(db: Database) -> None:
    created = create_urgent_action(db, case())
    detail = get_urgent_action(db, created.id)
    assert detail.data.number == "UA 229/10"
    assert detail.data.status is UrgentActionStatus.OPEN
    assert [a.name for a in detail.data.addressees] == [
        "Minister Ana Ruiz",
        "General Paulo Vera",
        "Ambassador Eva Sol",
    ]
    minister = detail.data.addressees[0]
    assert minister.address == "1 Palace Road\nCapital City"
    assert minister.language == "es"
    assert detail.data.addressees[2].is_copy
    assert all(a.id is not None for a in detail.data.addressees)
    assert "{salutation}" in detail.letter_template  # no template of its own: the default
    assert detail.letters_written == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "  "}, "Title"),
        ({"number": "x" * 41}, "Number"),
        ({"deadline": date(2026, 4, 1)}, "Deadline"),
        ({"addressees": (MINISTER, AddresseeInput("  "))}, "Addressee 2"),
        ({"template": "Dear {ministre},"}, "{ministre} is not a placeholder"),
        ({"template": "Dear {salutation"}, "never closed"),
        ({"campaign_id": 999}, "Campaign"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    db: Database, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(UrgentActionError, match=message.replace("{", r"\{").replace("}", r"\}")):
        create_urgent_action(db, case(**changes))
    assert list_urgent_actions(db) == []


def test_update_keeps_addressee_ids_and_the_letters_linked_to_them(db: Database) -> None:
    created = create_urgent_action(db, case())
    minister, police, embassy = created.data.addressees
    writer = person(db, "Zoë", "Müller")
    with db.session() as session:
        session.add(
            LetterWritten(
                urgent_action_id=created.id,
                addressee_id=police.id,
                writer_id=writer,
                written_on=date(2026, 5, 14),
            )
        )
    changed = update_urgent_action(
        db,
        created.id,
        case(
            title="Student activist detained and charged",
            template="{salutation},\n\nFree {person_at_risk}.\n\n{writer_name}",
            addressees=(
                AddresseeInput(**{**police.__dict__, "title": "Police Commissioner"}),
                AddresseeInput("New Official", "Prosecutor"),
                embassy,
            ),
        ),
    )
    names = [a.name for a in changed.data.addressees]
    assert names == ["General Paulo Vera", "New Official", "Ambassador Eva Sol"]
    assert changed.data.addressees[0].id == police.id
    assert changed.data.addressees[0].title == "Police Commissioner"
    assert changed.letter_template.startswith("{salutation},\n\nFree")
    with db.read_session() as session:
        assert session.get(UAAddressee, minister.id) is None
        letter = session.scalars(select(LetterWritten)).one()
        assert letter.addressee_id == police.id
    assert changed.letters_written == 1


def test_an_addressee_of_another_case_cannot_be_taken_over(db: Database) -> None:
    first = create_urgent_action(db, case())
    second = create_urgent_action(db, case(title="Another case", number="30.24"))
    stolen = first.data.addressees[0]
    with pytest.raises(UrgentActionError, match="Addressee 1"):
        update_urgent_action(db, second.id, case(addressees=(stolen,)))


def test_list_puts_open_cases_first_by_deadline_with_counts(db: Database) -> None:
    late = create_urgent_action(db, case(title="Late", deadline=date(2026, 7, 1)))
    soon = create_urgent_action(db, case(title="Soon", deadline=date(2026, 6, 1)))
    none = create_urgent_action(db, case(title="No deadline", deadline=None))
    closed = create_urgent_action(db, case(title="Closed", deadline=date(2026, 5, 20)))
    set_status(db, closed.id, UrgentActionStatus.CLOSED)
    writer = person(db, "Ana", "Álvarez")
    record_letters_written(db, soon.id, [writer], 3)
    rows = list_urgent_actions(db)
    assert [row.title for row in rows] == ["Soon", "Late", "No deadline", "Closed"]
    assert rows[0].letters_written == 3
    assert (rows[0].officials, rows[0].copies) == (2, 1)
    assert [row.id for row in list_urgent_actions(db, UrgentActionStatus.OPEN)] == [
        soon.id,
        late.id,
        none.id,
    ]


def test_recording_letters_counts_per_writer(db: Database) -> None:
    action = create_urgent_action(db, case())
    ana = person(db, "Ana", "Álvarez")
    ben = person(db, "Ben", "Okafor")
    recorded = record_letters_written(
        db, action.id, [ana, ben, ana], 2, written_on=date(2026, 5, 14)
    )
    assert recorded == 4
    assert get_urgent_action(db, action.id).letters_written == 4
    record_letters_written(db, action.id, [ana], 1)
    tallies = writer_tallies(db, action.id)
    assert [(t.name, t.letters) for t in tallies] == [("Ana Álvarez", 3), ("Ben Okafor", 2)]
    with db.read_session() as session:
        assert session.scalar(select(func.count()).select_from(LetterWritten)) == 3


@pytest.mark.parametrize(
    ("writers", "count", "message"),
    [
        ([], 1, "Writers"),
        ([999], 1, "999"),
        (None, 0, "Letters per writer"),
        (None, 1001, "Letters per writer"),
    ],
)
def test_bad_letter_records_are_refused(
    db: Database, writers: list[int] | None, count: int, message: str
) -> None:
    action = create_urgent_action(db, case())
    ids = writers if writers is not None else [person(db, "Ana", "Álvarez")]
    with pytest.raises(UrgentActionError, match=message):
        record_letters_written(db, action.id, ids, count)
    assert get_urgent_action(db, action.id).letters_written == 0


def test_missing_case_is_a_clear_error(db: Database) -> None:
    with pytest.raises(UrgentActionError, match="No urgent action with id 42"):
        get_urgent_action(db, 42)
    with pytest.raises(UrgentActionError, match="No urgent action with id 42"):
        record_letters_written(db, 42, [1], 1)


def test_a_case_is_headed_by_its_number_and_title() -> None:
    assert UrgentActionInput(title="Student detained", number="UA 12/26").heading == (
        "UA 12/26 Student detained"
    )
    assert UrgentActionInput(title="Student detained").heading == "Student detained"
