"""Signing in: the secretary's ticks, the kiosk, paper sheets, and the ladder rule.

Each test reads back from the database what a volunteer would see afterwards.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import fields
from datetime import datetime, timedelta
from itertools import count
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event as sa_event
from sqlalchemy import select

from desktop_app.db import Database
from desktop_app.models import (
    EventKind,
    JoinedVia,
    LadderStage,
    Person,
    SignIn,
    SignInSource,
    utcnow,
)
from desktop_app.services import events, roster, signin
from desktop_app.services.group import GroupProfileData, laptop_id, save_profile
from desktop_app.services.roster import PersonInput
from desktop_app.services.signin import (
    Attendance,
    KioskSignup,
    PaperRow,
    SaveFailed,
    SignInError,
    ladder_after_attending,
)

S = LadderStage


def make_event(
    db: Database,
    title: str = "Monthly meeting",
    *,
    days_ago: float = 0,
    kind: EventKind = EventKind.MEETING,
) -> int:
    starts = utcnow() - timedelta(days=days_ago)
    data = events.EventInput(title=title, starts_at=starts, kind=kind)
    return events.create_event(db, data).id


def add(db: Database, **values: Any) -> int:
    return roster.create_person(db, PersonInput(**values)).person_id


def person(db: Database, person_id: int) -> Person:
    with db.read_session() as session:
        found = session.get(Person, person_id)
        assert found is not None
        session.expunge(found)
        return found


def sign_ins(db: Database, **where: Any) -> list[SignIn]:
    with db.read_session() as session:
        query = select(SignIn).filter_by(**where).order_by(SignIn.id)
        rows = list(session.scalars(query))
        session.expunge_all()
        return rows


def people_count(db: Database) -> int:
    return roster.count_people(db) + roster.count_people(db, in_trash=True)


# --- the ladder rule ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "before", "after", "expected"),
    [
        (S.SIGNED_UP, (0, 0), (1, 1), S.FIRST_EVENT),  # first event
        (S.SIGNED_UP, (0, 0), (1, 0), S.FIRST_EVENT),  # an old event still counts once
        (S.FIRST_EVENT, (2, 2), (3, 3), S.REGULAR),  # third in 180 days
        (S.FIRST_EVENT, (4, 1), (5, 2), S.FIRST_EVENT),  # many, but not recently
        (S.REGULAR, (9, 0), (10, 0), S.REGULAR),  # never lowered by time passing
        (S.TAKES_ROLE, (0, 0), (1, 1), S.TAKES_ROLE),  # given by people, untouched
        (S.LEADS, (2, 2), (3, 3), S.LEADS),
        # undoing a sign-in
        (S.FIRST_EVENT, (1, 1), (0, 0), S.SIGNED_UP),
        (S.REGULAR, (3, 3), (2, 2), S.FIRST_EVENT),
        (S.REGULAR, (4, 4), (3, 3), S.REGULAR),  # still earned
        (S.REGULAR, (1, 1), (0, 0), S.REGULAR),  # set by hand: attendance never explained it
        (S.SIGNED_UP, (1, 1), (0, 0), S.SIGNED_UP),
        (S.TAKES_ROLE, (1, 1), (0, 0), S.TAKES_ROLE),
    ],
)
def test_ladder_rule(
    stage: LadderStage, before: tuple[int, int], after: tuple[int, int], expected: LadderStage
) -> None:
    assert ladder_after_attending(stage, Attendance(*before), Attendance(*after)) == expected


# --- meeting sign-in ----------------------------------------------------------------------


def test_tick_signs_in_marks_first_time_and_climbs_the_ladder(db: Database) -> None:
    event_id = make_event(db)
    ana = add(db, given_name="Ana", family_name="Lopez")

    result = signin.sign_in(db, event_id, ana)

    assert result.signed_in and result.first_time and result.attendance == 1
    (row,) = sign_ins(db, event_id=event_id)
    assert (row.person_id, row.source, row.first_time) == (ana, SignInSource.MEETING, True)
    assert row.laptop_id == laptop_id(db)
    assert person(db, ana).ladder_stage == S.FIRST_EVENT
    assert events.attendance_count(db, event_id) == 1


def test_second_tick_changes_nothing_and_says_so(db: Database) -> None:
    event_id = make_event(db)
    ana = add(db, given_name="Ana")
    first = signin.sign_in(db, event_id, ana)

    again = signin.sign_in(db, event_id, ana)

    assert again.already_signed_in and not again.signed_in
    assert again.sign_in_id == first.sign_in_id and again.attendance == 1
    assert len(sign_ins(db, event_id=event_id)) == 1


def test_first_time_only_at_the_first_event(db: Database) -> None:
    earlier, later = make_event(db, "June", days_ago=30), make_event(db, "July")
    ana = add(db, given_name="Ana")
    assert signin.sign_in(db, earlier, ana).first_time
    assert not signin.sign_in(db, later, ana).first_time
    assert [r.first_time for r in sign_ins(db, person_id=ana)] == [True, False]


def test_three_events_in_180_days_make_a_regular(db: Database) -> None:
    ana = add(db, given_name="Ana")
    stages = [
        signin.sign_in(db, make_event(db, f"Meeting {n}", days_ago=n * 20), ana).ladder_after
        for n in (3, 2, 1)
    ]
    assert stages == [S.FIRST_EVENT, S.FIRST_EVENT, S.REGULAR]
    assert person(db, ana).ladder_stage == S.REGULAR


def test_events_long_ago_do_not_make_a_regular(db: Database) -> None:
    ana = add(db, given_name="Ana")
    for days in (400, 300, 200):
        signin.sign_in(db, make_event(db, f"Old {days}", days_ago=days), ana)
    assert person(db, ana).ladder_stage == S.FIRST_EVENT
    signin.sign_in(db, make_event(db, "Now"), ana)
    assert person(db, ana).ladder_stage == S.FIRST_EVENT


def test_role_holders_keep_their_stage(db: Database) -> None:
    event_id = make_event(db)
    lead = add(db, given_name="Lea", ladder_stage=S.LEADS)
    signin.sign_in(db, event_id, lead)
    signin.undo_sign_in(db, event_id, lead)
    assert person(db, lead).ladder_stage == S.LEADS


def test_undo_removes_the_tick_and_what_it_raised(db: Database) -> None:
    event_id = make_event(db)
    ana = add(db, given_name="Ana")
    signin.sign_in(db, event_id, ana)

    undone = signin.undo_sign_in(db, event_id, ana)

    assert undone.removed and undone.attendance == 0
    assert undone.ladder_after == S.SIGNED_UP
    assert sign_ins(db, event_id=event_id) == []
    assert person(db, ana).ladder_stage == S.SIGNED_UP
    assert not signin.undo_sign_in(db, event_id, ana).removed  # twice: nothing to undo


def test_undo_keeps_a_stage_set_by_hand(db: Database) -> None:
    event_id = make_event(db)
    regular = add(db, given_name="Rae", ladder_stage=S.REGULAR)
    signin.sign_in(db, event_id, regular)
    signin.undo_sign_in(db, event_id, regular)
    assert person(db, regular).ladder_stage == S.REGULAR


def test_undoing_the_first_sign_in_passes_first_time_on(db: Database) -> None:
    june, july = make_event(db, "June", days_ago=30), make_event(db, "July")
    ana = add(db, given_name="Ana")
    signin.sign_in(db, june, ana)  # ticked by mistake
    signin.sign_in(db, july, ana)
    signin.undo_sign_in(db, june, ana)
    (row,) = sign_ins(db, person_id=ana)
    assert (row.event_id, row.first_time) == (july, True)


def test_cancelled_event_and_trashed_person_are_refused(db: Database) -> None:
    event_id = make_event(db)
    ana, gone = add(db, given_name="Ana"), add(db, given_name="Gone")
    roster.remove_people(db, [gone])
    with pytest.raises(SignInError, match="trash"):
        signin.sign_in(db, event_id, gone)
    events.cancel_event(db, event_id)
    with pytest.raises(SignInError, match="cancelled"):
        signin.sign_in(db, event_id, ana)
    with pytest.raises(SignInError, match="No event"):
        signin.sign_in(db, 9999, ana)
    assert sign_ins(db) == []


def test_newcomer_is_added_and_signed_in(db: Database) -> None:
    meeting = make_event(db)
    fair = make_event(db, "Street fair", kind=EventKind.TABLING)

    at_meeting = signin.add_newcomer_and_sign_in(
        db, meeting, PersonInput(given_name="Noor", email="noor@example.org")
    )
    at_fair = signin.add_newcomer_and_sign_in(db, fair, PersonInput(given_name="Tomás"))

    assert at_meeting.signed_in and at_meeting.first_time and at_meeting.attendance == 1
    noor, tomas = person(db, at_meeting.person_id), person(db, at_fair.person_id)
    assert (noor.email, noor.joined_via, noor.ladder_stage) == (
        "noor@example.org",
        JoinedVia.OTHER,
        S.FIRST_EVENT,
    )
    assert tomas.joined_via == JoinedVia.TABLING
    assert noor.joined_on is not None


def test_newcomer_for_a_cancelled_event_adds_nobody(db: Database) -> None:
    event_id = make_event(db)
    events.cancel_event(db, event_id)
    with pytest.raises(SignInError):
        signin.add_newcomer_and_sign_in(db, event_id, PersonInput(given_name="Noor"))
    assert people_count(db) == 0


def test_newcomer_problems_are_reported_and_flagged(db: Database) -> None:
    result = signin.add_newcomer_and_sign_in(
        db, make_event(db), PersonInput(given_name="Noor", email="noor-at-example")
    )
    assert result.problems
    assert person(db, result.person_id).needs_review


def test_person_page_lists_attended_events(db: Database) -> None:
    ana = add(db, given_name="Ana")
    signin.sign_in(db, make_event(db, "Vigil for Ahmed"), ana)
    history = roster.get_person(db, ana).history
    assert any(item.kind == "event" and "Vigil for Ahmed" in item.text for item in history)


# --- kiosk --------------------------------------------------------------------------------

_emails = count()


def kiosk(**values: Any) -> KioskSignup:
    base: dict[str, Any] = {
        "given_name": "Maria",
        "family_name": "Silva",
        "email": f"maria{next(_emails)}@example.org",
        "consent_given": True,
        "consent_text": "I agree that the group may contact me.",
    }
    base.update(values)
    return KioskSignup(**base)


@pytest.fixture
def fair(db: Database) -> Iterator[int]:
    """A tabling event with the kiosk open on it, as the kiosk screen leaves things."""
    save_profile(
        db,
        GroupProfileData(
            name="Group 133", country="US", kiosk_interests=("Refugee rights", "Climate")
        ),
    )
    event_id = make_event(db, "Street fair", kind=EventKind.TABLING)
    signin.prepare_kiosk(db, event_id)
    yield event_id
    signin.close_kiosk(db)


def test_kiosk_adds_a_new_person_with_everything_typed(db: Database, fair: int) -> None:
    result = signin.save_kiosk_signup(
        db,
        fair,
        KioskSignup(
            given_name=" Maria ",
            family_name="Silva",
            email="Maria.Silva@Example.ORG",
            phone="(617) 555-0142",
            postal_code="2139",
            interests=("Refugee rights", "Climate"),
            how_heard="A friend",
            consent_given=True,
            consent_text="I agree.",
        ),
    )

    assert not result.returning
    (row,) = sign_ins(db, event_id=fair)
    assert row.id == result.sign_in_id
    assert (row.source, row.first_time, row.consent_given) == (SignInSource.KIOSK, True, True)
    assert (row.consent_text, row.how_heard) == ("I agree.", "A friend")
    assert row.interests.splitlines() == ["Refugee rights", "Climate"]
    assert row.laptop_id == laptop_id(db)
    maria = roster.get_person(db, row.person_id)
    data = maria.data
    assert (data.given_name, data.family_name) == ("Maria", "Silva")
    assert (data.email, data.phone, data.postal_code) == (
        "Maria.Silva@example.org",
        "+16175550142",
        "02139",
    )
    assert (data.joined_via, data.email_ok, data.phone_ok) == (JoinedVia.TABLING, True, True)
    assert set(data.tags) == {"Refugee rights", "Climate"}
    assert data.ladder_stage == S.SIGNED_UP  # signing up at a table is not attending
    assert not maria.needs_review


def test_kiosk_result_reveals_nothing_but_a_boolean(db: Database, fair: int) -> None:
    assert [f.name for f in fields(signin.KioskResult)] == ["sign_in_id", "returning"]


def test_kiosk_without_consent_sets_no_consent(db: Database, fair: int) -> None:
    signin.save_kiosk_signup(db, fair, kiosk(phone="617 555 0142", consent_given=False))
    (row,) = sign_ins(db, event_id=fair)
    found = person(db, row.person_id)
    assert not (found.email_ok or found.phone_ok or row.consent_given)


def test_kiosk_save_is_committed_before_it_returns(db: Database, fair: int) -> None:
    signin.save_kiosk_signup(db, fair, kiosk(given_name="Durable"))
    assert db.path is not None
    # Another connection, outside Group Desk, sees the row: it is committed.
    with closing(sqlite3.connect(f"file:{db.path}?mode=ro", uri=True)) as other:
        names = other.execute(
            "SELECT given_name FROM people JOIN sign_ins ON sign_ins.person_id = people.id"
        ).fetchall()
    assert names == [("Durable",)]


def test_returning_person_is_linked_by_email_in_any_case(db: Database, fair: int) -> None:
    known = add(db, given_name="Maria", family_name="Silva", email="maria@example.org")

    result = signin.save_kiosk_signup(
        db, fair, kiosk(email="  MARIA@example.ORG ", postal_code="02139")
    )

    assert result.returning
    assert people_count(db) == 1
    (row,) = sign_ins(db, event_id=fair)
    assert row.person_id == known
    assert row.first_time  # on the roster, but never at an event before
    assert person(db, known).postal_code == "02139"  # an empty field is filled


def test_returning_person_is_linked_by_phone_as_people_write_it(db: Database, fair: int) -> None:
    known = add(db, given_name="Kenji", phone="+1 617 555 0143")
    result = signin.save_kiosk_signup(
        db, fair, kiosk(given_name="Kenji", email="", phone="617.555.0143")
    )
    assert result.returning
    assert [r.person_id for r in sign_ins(db, event_id=fair)] == [known]


def test_returning_person_is_never_blanked_or_overwritten(db: Database, fair: int) -> None:
    known = add(
        db,
        given_name="Maria",
        family_name="Silva",
        email="maria@example.org",
        phone="617 555 0142",
        postal_code="02139",
    )
    signin.save_kiosk_signup(
        db,
        fair,
        kiosk(family_name="", email="maria@example.org", phone="617 555 0199", postal_code=""),
    )
    found = person(db, known)
    assert (found.family_name, found.phone, found.postal_code) == (
        "Silva",
        "+16175550142",
        "02139",
    )
    # What they typed differently is kept for the secretary to decide, not lost.
    assert found.needs_review and "+16175550199" in found.review_reason


def test_junk_phone_is_kept_flagged_and_links_nobody(db: Database, fair: int) -> None:
    add(db, given_name="Other", phone="12")  # kept as typed by someone else
    result = signin.save_kiosk_signup(db, fair, kiosk(email="", phone="12"))
    assert not result.returning
    (row,) = sign_ins(db, event_id=fair)
    found = person(db, row.person_id)
    assert (found.phone, found.needs_review) == ("12", True)


def test_signing_up_twice_at_one_table_keeps_one_sign_in(db: Database, fair: int) -> None:
    signin.save_kiosk_signup(
        db, fair, kiosk(email="twice@example.org", interests=("Climate",), consent_given=False)
    )
    again = signin.save_kiosk_signup(
        db, fair, kiosk(email="twice@example.org", interests=("Refugee rights",))
    )
    assert again.returning
    (row,) = sign_ins(db, event_id=fair)
    assert row.interests.splitlines() == ["Climate", "Refugee rights"]
    assert row.consent_given  # agreed the second time
    assert set(roster.get_person(db, row.person_id).data.tags) == {"Climate", "Refugee rights"}


def test_kiosk_at_a_meeting_counts_as_attending(db: Database) -> None:
    meeting = make_event(db)
    signin.save_kiosk_signup(db, meeting, kiosk())
    (row,) = sign_ins(db, event_id=meeting)
    assert person(db, row.person_id).ladder_stage == S.FIRST_EVENT


def test_do_not_contact_person_who_consents_is_flagged(db: Database, fair: int) -> None:
    known = add(db, given_name="Maria", email="dnc@example.org", do_not_contact=True)
    signin.save_kiosk_signup(db, fair, kiosk(email="dnc@example.org"))
    found = person(db, known)
    assert found.do_not_contact and found.needs_review
    assert "do-not-contact" in found.review_reason


def test_person_in_the_trash_who_signs_up_again_comes_back(db: Database, fair: int) -> None:
    known = add(db, given_name="Maria", email="back@example.org")
    roster.remove_people(db, [known])
    assert signin.save_kiosk_signup(db, fair, kiosk(email="back@example.org")).returning
    assert person(db, known).removed_at is None


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"given_name": "", "family_name": " "}, "Name"),
        ({"email": "", "phone": ""}, "Email or phone"),
        ({"given_name": "x" * 201}, "Given name"),
        ({"family_name": "x" * 10_000}, "Family name"),
        ({"email": "a" * 250 + "@b.org"}, "Email"),
        ({"phone": "1" * 41}, "Phone"),
        ({"postal_code": "1" * 21}, "Postal code"),
        ({"how_heard": "x" * 501}, "How you heard"),
        ({"how_heard": "x" * 10_000}, "How you heard"),
        ({"given_name": "Ma\x00ria"}, "Given name"),
        ({"family_name": "Sil\nva"}, "Family name"),
        ({"given_name": "\ud800"}, "Given name"),
        ({"interests": ("x" * 101,)}, "Interests"),
        ({"consent_text": ""}, "Consent"),
    ],
)
def test_kiosk_refuses_what_cannot_be_kept_with_a_message(
    db: Database, fair: int, values: dict[str, Any], field: str
) -> None:
    with pytest.raises(SignInError, match=f"^{field}"):
        signin.save_kiosk_signup(db, fair, kiosk(**values))
    assert sign_ins(db) == [] and people_count(db) == 0


@pytest.mark.parametrize(
    "name",
    [
        "<b>Maria</b><script>alert(1)</script>",
        '=HYPERLINK("http://evil.example","x")',
        "Robert'); DROP TABLE people;--",
        "👩🏽‍🚀 Ana 🙂",
        "مريم",
        "אסתר",
        "\u202eevil\u202c",
        "Zoë Ñúñez",
        "x" * 200,
    ],
)
def test_kiosk_stores_odd_text_exactly(db: Database, fair: int, name: str) -> None:
    signin.save_kiosk_signup(db, fair, kiosk(given_name=name, how_heard=name))
    (row,) = sign_ins(db, event_id=fair)
    assert person(db, row.person_id).given_name == name
    assert row.how_heard == name


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=st.text(max_size=300))
def test_any_text_is_stored_exactly_or_refused(db: Database, fair: int, text: str) -> None:
    email = f"h{next(_emails)}@example.org"
    try:
        signin.save_kiosk_signup(db, fair, kiosk(given_name=text, family_name="F", email=email))
    except SignInError as refused:
        assert str(refused)  # a message, never a crash
        return
    with db.read_session() as session:
        stored = session.scalar(select(Person.given_name).where(Person.email == email))
    assert stored == text.strip()


def test_saves_do_not_read_the_profile_or_laptop_id_each_time(db: Database, fair: int) -> None:
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", note)
    try:
        for _ in range(3):
            signin.save_kiosk_signup(db, fair, kiosk())
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", note)
    assert not [s for s in seen if "group_profile" in s or "app_settings" in s]


def test_a_refused_write_saves_nothing_and_says_so(db: Database, fair: int) -> None:
    assert db.path is not None
    with closing(sqlite3.connect(db.path)) as other:
        other.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON sign_ins "
            "BEGIN SELECT RAISE(ABORT, 'disk is full'); END"
        )
        other.commit()
    with pytest.raises(SaveFailed, match="not saved"):
        signin.save_kiosk_signup(db, fair, kiosk())
    assert people_count(db) == 0  # the person went with the sign-in: one transaction


def test_kiosk_works_without_prepare_and_after_close(db: Database) -> None:
    event_id = make_event(db, "Fair", kind=EventKind.TABLING)
    signin.save_kiosk_signup(db, event_id, kiosk())
    signin.prepare_kiosk(db, event_id)
    signin.close_kiosk(db)
    signin.save_kiosk_signup(db, event_id, kiosk())
    assert len(sign_ins(db, event_id=event_id)) == 2


def test_prepare_kiosk_gives_the_form_its_texts(db: Database, fair: int) -> None:
    settings_ = signin.prepare_kiosk(db, fair)
    assert settings_.interests == ("Refugee rights", "Climate")
    assert settings_.consent_text and settings_.event_title == "Street fair"
    events.cancel_event(db, fair)
    with pytest.raises(SignInError, match="cancelled"):
        signin.prepare_kiosk(db, fair)
    with pytest.raises(SignInError, match="cancelled"):
        signin.save_kiosk_signup(db, fair, kiosk())


# --- paper sheets -------------------------------------------------------------------------


def test_paper_suggestions_come_from_the_roster(db: Database) -> None:
    ana = add(db, given_name="Ana", family_name="Lopez", email="ana@example.org")
    add(db, given_name="Anil", family_name="Kumar")
    assert [c.id for c in signin.paper_suggestions(db, "lope")] == [ana]
    assert signin.paper_suggestions(db, "  ") == []
    assert len(signin.paper_suggestions(db, "an")) == 2
    assert len(signin.paper_suggestions(db, "an", limit=1)) == 1


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("maria@gmial.com", "maria@gmail.com"),
        ("maria@gmail.con", "maria@gmail.com"),
        ("maria@gmai.com", "maria@gmail.com"),
        ("maria@GMAIL.CMO", "maria@gmail.com"),
        ("Maria.Silva@yahoo.co", "Maria.Silva@yahoo.com"),
        ("maria@hotmail.cm", "maria@hotmail.com"),
        ("maria@outlok.com", "maria@outlook.com"),
        ("maria@hotmial.co.uk", "maria@hotmail.co.uk"),
        ("maria@example.con", "maria@example.com"),
        ("maria@riseup.ogr", "maria@riseup.org"),
    ],
)
def test_email_typo_hint_catches_common_slips(typed: str, meant: str) -> None:
    assert signin.email_typo_hint(typed) == meant


@pytest.mark.parametrize(
    "fine",
    [
        "maria@gmail.com",
        "maria@mail.com",
        "maria@ymail.com",
        "maria@me.com",
        "maria@harvard.edu",
        "maria@riseup.net",
        "maria@example.co",
        "maria@gmx.de",
        "not an email",
        "",
        "@gmial.com",
    ],
)
def test_email_typo_hint_leaves_good_addresses_alone(fine: str) -> None:
    assert signin.email_typo_hint(fine) is None


def test_paper_row_for_a_known_person(db: Database) -> None:
    event_id = make_event(db, days_ago=3)
    ana = add(db, given_name="Ana")
    result = signin.save_paper_row(db, event_id, PaperRow(person_id=ana))
    (row,) = sign_ins(db, event_id=event_id)
    assert (row.person_id, row.source) == (ana, SignInSource.PAPER)
    # Typed up days later, but signed at the event.
    assert row.signed_in_at == events.get_event(db, event_id).data.starts_at
    assert result.first_time


def test_paper_row_for_a_new_person(db: Database) -> None:
    event_id = make_event(db)
    result = signin.save_paper_row(
        db,
        event_id,
        PaperRow(
            given_name="Noor", family_name="Haddad", email="noor@example.org", consent_given=True
        ),
    )
    (row,) = sign_ins(db, event_id=event_id)
    noor = person(db, result.person_id)
    assert row.source == SignInSource.PAPER and row.first_time
    assert (noor.family_name, noor.email_ok, noor.phone_ok) == ("Haddad", True, False)


def test_paper_row_interests_go_on_the_sign_in_and_become_tags(db: Database) -> None:
    event_id = make_event(db)
    ana = add(db, given_name="Ana", tags=("letters",))
    signin.save_paper_row(
        db, event_id, PaperRow(person_id=ana, interests=(" letters ", "refugee rights", ""))
    )
    (row,) = sign_ins(db, event_id=event_id)
    assert row.interests.splitlines() == ["letters", "refugee rights"]
    assert roster.get_person(db, ana).data.tags == ("letters", "refugee rights")
    # Typed twice: kept once; a second row for the same person adds to the same sign-in.
    signin.save_paper_row(db, event_id, PaperRow(person_id=ana, interests=("film night",)))
    (row,) = sign_ins(db, event_id=event_id)
    assert row.interests.splitlines() == ["letters", "refugee rights", "film night"]


def test_paper_row_with_an_interest_that_cannot_be_kept_saves_nothing(db: Database) -> None:
    event_id = make_event(db)
    before = people_count(db)
    with pytest.raises(SignInError, match="Interests"):
        signin.save_paper_row(db, event_id, PaperRow(given_name="Noor", interests=("x" * 101,)))
    assert people_count(db) == before and sign_ins(db, event_id=event_id) == []
    with pytest.raises(SignInError, match="No sign-in"):
        signin.add_interests(db, 999, ("letters",))


def test_times_are_aware(db: Database, fair: int) -> None:
    signin.save_kiosk_signup(db, fair, kiosk())
    (row,) = sign_ins(db, event_id=fair)
    assert isinstance(row.signed_in_at, datetime) and row.signed_in_at.tzinfo is not None


# --- durability under SIGKILL -------------------------------------------------------------

KILL_CHILD = """
import sys
from desktop_app.db import open_database
from desktop_app.services import signin

path, event_id, prefix = sys.argv[1], int(sys.argv[2]), sys.argv[3]
db = open_database(path)
signin.prepare_kiosk(db, event_id)
n = 0
while True:
    signin.save_kiosk_signup(
        db,
        event_id,
        signin.KioskSignup(given_name=f"K{n}", email=f"{prefix}{n}@example.org"),
    )
    print(n, flush=True)  # the thank-you: shown only once the save has returned
    n += 1
"""


@pytest.mark.slow
def test_every_acknowledged_kiosk_save_survives_sigkill(db: Database, fair: int) -> None:
    """A small count here; the kiosk view's own harness kills the whole app many times."""
    import random
    import signal
    import subprocess
    import sys
    import threading
    import time

    from desktop_app.db import quick_check

    assert db.path is not None
    rng = random.Random(3)
    acknowledged: list[str] = []
    for round_ in range(3):
        prefix = f"kill{round_}-"
        child = subprocess.Popen(
            [sys.executable, "-c", KILL_CHILD, str(db.path), str(fair), prefix],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        lines: list[str] = []
        reader = threading.Thread(target=lines.extend, args=(child.stdout,), daemon=True)
        reader.start()
        deadline = time.monotonic() + 30
        while not lines and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.01)
        assert lines, "the child never saved a sign-up"
        time.sleep(rng.uniform(0.0, 0.3))  # then kill it mid-stream, wherever it is
        child.send_signal(signal.SIGKILL)
        child.wait()
        reader.join(5)
        acknowledged += [f"{prefix}{line.strip()}@example.org" for line in lines if line.strip()]

    assert quick_check(db.path, full=True) == []
    with closing(sqlite3.connect(f"file:{db.path}?mode=ro", uri=True)) as other:
        saved = {
            email
            for (email,) in other.execute(
                "SELECT email FROM people JOIN sign_ins ON sign_ins.person_id = people.id"
            )
        }
    assert len(acknowledged) >= 3
    assert set(acknowledged) <= saved
