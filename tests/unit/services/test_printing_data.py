"""What documents are printed from: regulars, labels with consent and households, lists."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from desktop_app.db import Database
from desktop_app.models import EventKind, PersonStatus
from desktop_app.printing.data import PageSize, PrintError
from desktop_app.services import events, printing_data, roster, signin
from desktop_app.services.events import EventInput
from desktop_app.services.group import GroupProfileData, save_profile
from desktop_app.services.roster import PersonInput, RosterFilter
from desktop_app.services.urgent_actions import (
    AddresseeInput,
    UrgentActionInput,
    create_urgent_action,
    record_letters_written,
)

START = datetime(2026, 1, 8, 23, 0, tzinfo=UTC)


def add(db: Database, given: str, family: str, **values: object) -> int:
    data = PersonInput(given_name=given, family_name=family, **values)  # type: ignore[arg-type]
    return roster.create_person(db, data).person_id


def meeting(db: Database, weeks: int, kind: EventKind = EventKind.MEETING, **values: object) -> int:
    starts = START + timedelta(weeks=weeks)
    data = EventInput(
        title=f"Meeting {weeks}", starts_at=starts, kind=kind, place="Library", **values
    )  # type: ignore[arg-type]
    return events.create_event(db, data).id


@pytest.fixture
def group(db: Database) -> Database:
    save_profile(
        db,
        GroupProfileData(
            name="Group 133",
            contact_email="g133@example.org",
            country="US",
            kiosk_consent_text="Yes, keep my details.",
        ),
    )
    return db


def test_regulars_are_those_at_two_of_the_last_six_events_of_the_kind(group: Database) -> None:
    db = group
    ana = add(db, "Ana", "Álvarez", email="ana@example.org", phone="617-555-0101")
    ben = add(db, "Ben", "Okafor")
    chloe = add(db, "Chloé", "Dubois")
    old = add(db, "Olga", "Old")
    past = [meeting(db, week) for week in range(8)]
    tabling = meeting(db, 9, EventKind.TABLING)
    tonight = meeting(db, 10)
    for event_id in past[-2:]:
        signin.sign_in(db, event_id, ana)
    signin.sign_in(db, past[-1], ben)  # once only
    for event_id in past[:2]:  # long ago: outside the last six
        signin.sign_in(db, event_id, old)
    signin.sign_in(db, tabling, chloe)
    signin.sign_in(db, past[-3], chloe)
    expected = printing_data.expected_regulars(db, tonight)
    assert [person.name for person in expected] == ["Ana Álvarez"]
    assert expected[0].phone == "(617) 555-0101"  # as people write it at home
    roster.remove_people(db, [ana])
    assert printing_data.expected_regulars(db, tonight) == ()


def test_sign_in_sheet_data_carries_the_event_in_local_time_and_the_consent(
    group: Database,
) -> None:
    event_id = meeting(group, 0)
    data = printing_data.signin_sheet_data(group, event_id, blank_rows=7)
    assert data.group_name == "Group 133"
    assert data.consent_text == "Yes, keep my details."
    assert data.starts_at == START and data.starts_at.tzinfo is not UTC
    assert data.blank_rows == 7


def test_expected_from_a_filter_follows_the_roster(group: Database) -> None:
    add(group, "Ana", "Álvarez", status=PersonStatus.MEMBER)
    add(group, "Ben", "Okafor", status=PersonStatus.PROSPECT)
    members = printing_data.expected_from_filter(
        group, RosterFilter(statuses=frozenset({PersonStatus.MEMBER}))
    )
    assert [person.name for person in members] == ["Ana Álvarez"]
    with pytest.raises(PrintError, match="trash"):
        printing_data.expected_from_filter(group, RosterFilter(in_trash=True))


ADDRESS = {
    "address_line1": "12 Elm St.",
    "city": "Cambridge",
    "region": "MA",
    "postal_code": "02139",
}


def test_labels_honour_mail_consent_and_do_not_contact(group: Database) -> None:
    db = group
    add(db, "Ana", "Álvarez", mail_ok=True, **ADDRESS)
    add(db, "Ben", "Okafor", mail_ok=False, **ADDRESS)
    add(db, "Dmitri", "Orlov", mail_ok=True, do_not_contact=True, **ADDRESS)
    add(db, "Eve", "Noaddress", mail_ok=True)
    add(
        db,
        "Fay",
        "Abroad",
        mail_ok=True,
        address_line1="5 Rue X",
        city="Paris",
        postal_code="75001",
        country="FR",
    )
    run = printing_data.mailing_labels(db)
    assert [label.lines for label in run.labels] == [
        ("Fay Abroad", "5 Rue X", "75001 Paris", "FRANCE"),
        ("Ana Álvarez", "12 Elm St.", "Cambridge, MA 02139"),
    ]
    assert run.left_out == {"no_consent": 1, "do_not_contact": 1, "no_address": 1}
    assert run.people == 2 and run.households_merged == 0


def test_one_label_per_household(group: Database) -> None:
    db = group
    add(db, "Ana", "García", mail_ok=True, **ADDRESS)
    add(db, "Luis", "García", mail_ok=True, **{**ADDRESS, "address_line1": "12 ELM ST"})
    add(db, "Mia", "Chen", mail_ok=True, **{**ADDRESS, "postal_code": "02 139"})
    add(db, "Noor", "Haddad", mail_ok=True, **{**ADDRESS, "address_line1": "14 Elm St"})
    separate = printing_data.mailing_labels(db)
    assert len(separate.labels) == 4
    together = printing_data.mailing_labels(db, household=True)
    names = sorted(label.lines[0] for label in together.labels)
    assert names == ["Mia Chen, Ana García & Luis García", "Noor Haddad"]
    assert together.people == 4 and together.households_merged == 2


def test_household_names() -> None:
    assert printing_data.household_name([("Ana", "García")]) == "Ana García"
    assert printing_data.household_name([("Ana", "García"), ("Luis", "Garcia")]) == (
        "Ana & Luis García"
    )
    assert printing_data.household_name([("A", "X"), ("B", "X"), ("C", "X")]) == "A, B & C X"
    assert printing_data.household_name([("Ana", "García"), ("Mia", "Chen")]) == (
        "Ana García & Mia Chen"
    )


def test_contact_list_gives_only_consented_details(group: Database) -> None:
    db = group
    add(
        db,
        "Ana",
        "Álvarez",
        phone="617-555-0101",
        email="ana@example.org",
        phone_ok=True,
        email_ok=True,
    )
    add(
        db,
        "Ben",
        "Okafor",
        phone="617-555-0102",
        email="ben@example.org",
        phone_ok=False,
        email_ok=True,
    )
    add(
        db,
        "Dmitri",
        "Orlov",
        phone="617-555-0103",
        email="d@example.org",
        phone_ok=True,
        email_ok=True,
        do_not_contact=True,
    )
    data = printing_data.contact_list_data(db, today=date(2026, 5, 14))
    by_name = {line.name: line for line in data.lines}
    assert by_name["Ana Álvarez"].phone == "(617) 555-0101"
    assert by_name["Ben Okafor"].phone == "" and not by_name["Ben Okafor"].phone_ok
    assert by_name["Ben Okafor"].email == "ben@example.org"
    dmitri = by_name["Dmitri Orlov"]
    assert (dmitri.phone, dmitri.email, dmitri.do_not_contact) == ("", "", True)


def test_attendance_and_agenda_data(group: Database) -> None:
    db = group
    ana = add(db, "Ana", "Álvarez")
    tonight = meeting(db, 0)
    later = meeting(db, 2, EventKind.LETTER_WRITING)
    cancelled = meeting(db, 3)
    events.cancel_event(db, cancelled)
    signin.sign_in(db, tonight, ana)
    attendance = printing_data.attendance_data(db, tonight)
    assert [entry.name for entry in attendance.entries] == ["Ana Álvarez"]
    action = create_urgent_action(
        db, UrgentActionInput(title="Case", number="27.22", deadline=date(2026, 2, 1))
    )
    record_letters_written(db, action.id, [ana], 2)
    agenda = printing_data.agenda_data(db, tonight, now=START - timedelta(days=1))
    assert agenda.meeting_title == "Meeting 0"
    assert [(a.number, a.letters_written) for a in agenda.open_actions] == [("27.22", 2)]
    assert [event.title for event in agenda.upcoming_events] == ["Meeting 2"]
    assert later


def test_letter_batch_uses_writers_addresses_and_the_case(group: Database) -> None:
    db = group
    ana = add(db, "Ana", "Álvarez", **ADDRESS)
    ben = add(db, "Ben", "Okafor")
    night = meeting(db, 0, EventKind.LETTER_WRITING)
    signin.sign_in(db, night, ben)
    signin.sign_in(db, night, ana)
    assert printing_data.writers_at_event(db, night) == [ana, ben]
    action = create_urgent_action(
        db,
        UrgentActionInput(
            title="Case",
            number="UA 229/10",
            addressees=(AddresseeInput("Minister"), AddresseeInput("Embassy", is_copy=True)),
        ),
    )
    batch = printing_data.letter_batch(db, action.id, [ana, ben], letter_date=date(2026, 5, 14))
    assert [writer.name for writer in batch.writers] == ["Ana Álvarez", "Ben Okafor"]
    assert batch.writers[0].address == "12 Elm St.\nCambridge, MA 02139"
    assert batch.writers[0].city == "Cambridge"
    assert "{salutation}" in batch.template
    assert [a.name for a in batch.action.recipients] == ["Minister"]
    with pytest.raises(PrintError, match="nobody with id 999"):
        printing_data.letter_batch(db, action.id, [999])


def test_flyer_defaults_to_the_groups_contact_and_paper(group: Database) -> None:
    event_id = meeting(group, 0, description="Come along")
    data = printing_data.flyer_data(group, event_id)
    assert (data.qr_target, data.contact, data.description) == (
        "g133@example.org",
        "g133@example.org",
        "Come along",
    )
    assert printing_data.page_size_for(group) is PageSize.LETTER
    save_profile(group, GroupProfileData(name="Gruppe", country="DE"))
    assert printing_data.page_size_for(group) is PageSize.A4
