"""Meeting sign-in as the secretary uses it: type, Enter, undo, add a newcomer.

What is checked is read back through the services: the sign-in is in the database,
the person's ladder stage moved, the newcomer is on the roster.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from desktop_app.db import Database
from desktop_app.models import LadderStage, SignInSource, utcnow
from desktop_app.services import events, roster
from desktop_app.services.signin import sign_in
from desktop_app.views import signin_commands
from desktop_app.views.meeting_signin import MeetingSignInDialog, guess_newcomer
from tests.gui.roster_fixtures import add_person, us_english

__all__ = ["add_person", "us_english"]  # fixtures

pytestmark = pytest.mark.usefixtures("us_english")

AddPerson = Callable[..., int]


@pytest.fixture
def meeting(db: Database) -> int:
    data = events.EventInput(title="Monthly meeting", starts_at=utcnow(), place="Library")
    return events.create_event(db, data).id


@pytest.fixture
def dialog(qtbot: QtBot, db: Database, meeting: int) -> MeetingSignInDialog:
    screen = MeetingSignInDialog(db, meeting)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    screen.activateWindow()
    qtbot.waitUntil(screen.search.hasFocus)
    return screen


def attendees(db: Database, event_id: int) -> dict[int, bool]:
    """person id -> first time, as the database has it."""
    return {row.person_id: row.first_time for row in events.attendance(db, event_id)}


def match_texts(dialog: MeetingSignInDialog) -> list[str]:
    """The people listed under the search box (hints such as "Type a few letters" aside)."""
    items = [dialog.matches.item(row) for row in range(dialog.matches.count())]
    return [item.text() for item in items if item is not None and item.flags()]


def stage(db: Database, person_id: int) -> LadderStage:
    return roster.get_person(db, person_id).data.ladder_stage


def test_three_letters_and_enter_sign_a_person_in_and_undo_takes_it_back(
    qtbot: QtBot, db: Database, meeting: int, add_person: AddPerson
) -> None:
    add_person(given_name="Maria", family_name="Garcia", email="maria@example.org")
    ken = add_person(given_name="Ken", family_name="Sato")
    dialog = MeetingSignInDialog(db, meeting)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.search.hasFocus)
    assert dialog.count_label.text() == "Nobody signed in yet"

    qtbot.keyClicks(dialog.search, "sat")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)  # no wait for the search: it runs now
    assert attendees(db, meeting) == {ken: True}
    assert dialog.count_label.text() == "1 signed in, 1 new"
    assert dialog.search.text() == "" and dialog.search.hasFocus()
    assert dialog.isVisible()  # Enter never closes the screen
    # The ladder moved by the service's rule, and the list says so.
    assert stage(db, ken) == LadderStage.FIRST_EVENT
    item = dialog.signed_in.topLevelItem(0)
    assert item is not None
    assert [item.text(c) for c in range(3)] == ["Ken Sato", "new", "now First event"]
    assert "Signed in Ken Sato." in dialog.message.text()

    qtbot.keyClick(dialog.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert attendees(db, meeting) == {}
    assert stage(db, ken) == LadderStage.SIGNED_UP
    assert dialog.count_label.text() == "Nobody signed in yet"
    assert dialog.signed_in.topLevelItemCount() == 0
    assert dialog.message.text() == "Undone: Sign in Ken Sato."


def test_arrows_pick_another_match_and_a_second_tick_changes_nothing(
    qtbot: QtBot, db: Database, meeting: int, add_person: AddPerson, dialog: MeetingSignInDialog
) -> None:
    add_person(given_name="Maria", family_name="Garcia")
    mario = add_person(given_name="Mario", family_name="Rossi")
    qtbot.keyClicks(dialog.search, "mari")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Down)
    assert dialog.matches.currentItem().text() == "Mario Rossi"
    qtbot.keyClick(dialog.search, Qt.Key.Key_Enter)
    assert attendees(db, meeting) == {mario: True}

    qtbot.keyClicks(dialog.search, "rossi")
    qtbot.waitUntil(lambda: match_texts(dialog) == ["Mario Rossi (signed in)"])
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert dialog.message.text() == "Mario Rossi was already signed in."
    assert dialog.undo_stack.count() == 1  # nothing to undo for a tick that changed nothing


def test_a_click_ticks_and_the_count_counts_first_timers(
    qtbot: QtBot, db: Database, meeting: int, add_person: AddPerson, dialog: MeetingSignInDialog
) -> None:
    old_hand = add_person(given_name="Olga", family_name="Novak")
    earlier = events.create_event(
        db, events.EventInput(title="Film night", starts_at=utcnow().replace(year=2025))
    )
    sign_in(db, earlier.id, old_hand)
    newbie = add_person(given_name="Noor", family_name="Khan")
    for text, person in (("novak", old_hand), ("khan", newbie)):
        qtbot.keyClicks(dialog.search, text)
        qtbot.waitUntil(lambda: len(match_texts(dialog)) == 1)
        rect = dialog.matches.visualItemRect(dialog.matches.item(0))
        qtbot.mouseClick(dialog.matches.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert person in attendees(db, meeting)
    assert attendees(db, meeting) == {old_hand: False, newbie: True}
    assert dialog.count_label.text() == "2 signed in, 1 new"


def test_a_newcomer_added_inline_is_on_the_roster_and_signed_in_as_a_first_timer(
    qtbot: QtBot, db: Database, meeting: int, dialog: MeetingSignInDialog
) -> None:
    qtbot.keyClicks(dialog.search, "Amara Okafor")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)  # nobody matches: the newcomer row opens
    assert dialog.newcomer.isVisible()
    assert (dialog.given_name.text(), dialog.family_name.text()) == ("Amara", "Okafor")
    assert dialog.email.hasFocus()
    qtbot.keyClicks(dialog.email, "amara@example")
    assert dialog.email_problem.isVisible()  # the validation's words, as typed
    qtbot.keyClicks(dialog.email, ".org")
    assert not dialog.email_problem.isVisible()
    qtbot.keyClicks(dialog.postal_code, "2139")
    qtbot.keyClick(dialog.postal_code, Qt.Key.Key_Return)

    (amara,) = roster.search_person_ids(db, "okafor")
    detail = roster.get_person(db, amara)
    assert (detail.data.email, detail.data.postal_code) == ("amara@example.org", "02139")
    assert attendees(db, meeting) == {amara: True}
    assert detail.data.ladder_stage == LadderStage.FIRST_EVENT
    assert not dialog.newcomer.isVisible() and dialog.search.hasFocus()
    assert dialog.count_label.text() == "1 signed in, 1 new"

    # Undo takes the tick back and the newcomer to the trash; nothing is deleted.
    qtbot.keyClick(dialog.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert attendees(db, meeting) == {}
    assert roster.search_person_ids(db, "okafor") == []
    assert roster.get_person(db, amara).removed_at is not None
    dialog.undo_stack.redo()
    assert attendees(db, meeting) == {amara: True}
    assert roster.get_person(db, amara).removed_at is None


def test_a_newcomer_with_a_known_email_is_offered_as_the_person_already_there(
    qtbot: QtBot, db: Database, meeting: int, add_person: AddPerson, dialog: MeetingSignInDialog
) -> None:
    maria = add_person(given_name="Maria", family_name="Garcia", email="maria@example.org")
    qtbot.keyClick(dialog.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert dialog.newcomer.isVisible() and dialog.given_name.hasFocus()
    qtbot.keyClicks(dialog.given_name, "Mary")
    qtbot.keyClicks(dialog.email, "Maria@Example.org")
    qtbot.keyClick(dialog.email, Qt.Key.Key_Return)
    assert dialog.duplicate_panel.isVisible()
    assert "Maria Garcia (same email)" in dialog.duplicate_label.text()
    instead = [b for b in dialog.duplicate_panel.findChildren(QPushButton) if "instead" in b.text()]
    assert [b.text() for b in instead] == ["Sign in Maria Garcia instead"]
    assert instead[0].hasFocus()
    qtbot.keyClick(instead[0], Qt.Key.Key_Space)
    assert attendees(db, meeting) == {maria: True}
    assert roster.count_people(db) == 1  # nobody new
    assert not dialog.newcomer.isVisible()


def test_delete_takes_back_a_tick_and_undo_gives_it_again(
    qtbot: QtBot, db: Database, meeting: int, add_person: AddPerson, dialog: MeetingSignInDialog
) -> None:
    ken = add_person(given_name="Ken", family_name="Sato")
    dialog.tick(ken, "Ken Sato")
    dialog.signed_in.setFocus()
    item = dialog.signed_in.topLevelItem(0)
    assert item is not None
    dialog.signed_in.setCurrentItem(item)
    qtbot.keyClick(dialog.signed_in, Qt.Key.Key_Delete)
    assert attendees(db, meeting) == {}
    dialog.undo_last()
    assert attendees(db, meeting) == {ken: True}
    source = events.attendance(db, meeting)[0].source
    assert source == SignInSource.MEETING


def test_an_undo_the_service_refuses_is_reported_once_and_dropped(
    qtbot: QtBot, db: Database, meeting: int, add_person: AddPerson, dialog: MeetingSignInDialog
) -> None:
    ken = add_person(given_name="Ken", family_name="Sato")
    dialog.tick(ken, "Ken Sato")
    item = dialog.signed_in.topLevelItem(0)
    assert item is not None
    dialog.signed_in.setCurrentItem(item)
    dialog.remove_selected()
    assert attendees(db, meeting) == {} and dialog.undo_stack.count() == 2
    # Moved to the trash behind the screen's back (from the roster): no tick for them now.
    roster.remove_people(db, [ken])
    qtbot.keyClick(dialog.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert dialog.message.text() == "Ken Sato is in the trash; restore them first."
    assert attendees(db, meeting) == {}
    assert dialog.signed_in.topLevelItemCount() == 0
    # The refused step is gone; the tick before it can still be undone.
    assert dialog.undo_stack.count() == 1
    assert dialog.undo_stack.undoText() == "Sign in Ken Sato"
    assert dialog.undo_button.isEnabled()


def test_an_undo_that_fails_unexpectedly_says_so_and_keeps_the_screen_working(
    qtbot: QtBot,
    db: Database,
    meeting: int,
    add_person: AddPerson,
    dialog: MeetingSignInDialog,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    ken = add_person(given_name="Ken", family_name="Sato")
    maria = add_person(given_name="Maria", family_name="Garcia")
    dialog.tick(ken, "Ken Sato")
    dialog.tick(maria, "Maria Garcia")

    def locked(_db: Database, _event_id: int, _person_id: int) -> None:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(signin_commands, "undo_sign_in", locked)
    dialog.undo_last()
    assert dialog.message.text() == "This step could not be taken: database is locked"
    assert "undo/redo of 'Sign in Maria Garcia' failed" in caplog.text
    assert attendees(db, meeting) == {ken: True, maria: True}
    assert dialog.undo_stack.count() == 1
    monkeypatch.undo()
    dialog.undo_last()
    assert attendees(db, meeting) == {maria: True}
    assert dialog.message.text() == "Undone: Sign in Ken Sato."


def test_a_cancelled_event_refuses_ticks_with_the_reason(
    qtbot: QtBot, db: Database, meeting: int, add_person: AddPerson, dialog: MeetingSignInDialog
) -> None:
    ken = add_person(given_name="Ken", family_name="Sato")
    events.cancel_event(db, meeting)
    dialog.tick(ken, "Ken Sato")
    assert "was cancelled" in dialog.message.text()
    assert dialog.undo_stack.count() == 0


@pytest.mark.parametrize(
    ("typed", "given", "family", "email", "phone"),
    [
        ("Noor Al Haddad", "Noor", "Al Haddad", "", ""),
        ("noor@example.org", "", "", "noor@example.org", ""),
        ("617 555 0100", "", "", "", "617 555 0100"),
        ("", "", "", "", ""),
    ],
)
def test_the_search_text_starts_the_newcomer_row(
    typed: str, given: str, family: str, email: str, phone: str
) -> None:
    guess = guess_newcomer(typed)
    assert (guess.given_name, guess.family_name, guess.email, guess.phone) == (
        given,
        family,
        email,
        phone,
    )
