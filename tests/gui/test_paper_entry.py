"""Typing up a paper sheet: typo hints with a fix, ties to the roster, new people.

Read back through the services: who is signed in at the event, and how.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.db import Database
from desktop_app.models import SignInSource, utcnow
from desktop_app.services import events, roster
from desktop_app.views.paper_entry import PaperEntryDialog
from tests.gui.roster_fixtures import add_person, us_english

__all__ = ["add_person", "us_english"]  # fixtures

pytestmark = pytest.mark.usefixtures("us_english")

AddPerson = Callable[..., int]


@pytest.fixture
def vigil(db: Database) -> int:
    data = events.EventInput(title="Vigil", starts_at=utcnow() - timedelta(days=1))
    return events.create_event(db, data).id


@pytest.fixture
def sheet(qtbot: QtBot, db: Database, vigil: int) -> PaperEntryDialog:
    dialog = PaperEntryDialog(db, vigil)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.active_line().given.hasFocus())
    return dialog


def suggested(sheet: PaperEntryDialog) -> list[str]:
    """The roster people offered for the line being typed (hints aside)."""
    items = [sheet.suggestions.item(row) for row in range(sheet.suggestions.count())]
    return [item.text() for item in items if item is not None and item.flags()]


def signed_in(db: Database, event_id: int) -> dict[int, SignInSource]:
    return {row.person_id: row.source for row in events.attendance(db, event_id)}


def test_a_typo_in_the_email_domain_is_pointed_out_and_fixed_in_one_click(
    qtbot: QtBot, db: Database, vigil: int, sheet: PaperEntryDialog
) -> None:
    line = sheet.active_line()
    qtbot.keyClicks(line.given, "Maria")
    qtbot.keyClick(line.given, Qt.Key.Key_Tab)
    assert line.family.hasFocus()  # Tab moves along the row
    qtbot.keyClicks(line.family, "Silva")
    qtbot.keyClick(line.family, Qt.Key.Key_Tab)
    qtbot.keyClicks(line.email, "maria@gmial.com")
    assert sheet.typo_label.text() == "Did you mean maria@gmail.com?"
    assert sheet.fix_button.isVisible()
    assert sheet.fix_button.text() == "&Use maria@gmail.com"
    qtbot.mouseClick(sheet.fix_button, Qt.MouseButton.LeftButton)
    assert line.email.text() == "maria@gmail.com"
    assert sheet.typo_label.text() == "" and not sheet.fix_button.isVisible()

    qtbot.keyClick(line.email, Qt.Key.Key_Return)
    (person_id,) = signed_in(db, vigil)
    assert roster.get_person(db, person_id).data.email == "maria@gmail.com"


def test_a_suggestion_ties_the_row_to_someone_on_the_roster(
    qtbot: QtBot, db: Database, vigil: int, add_person: AddPerson, sheet: PaperEntryDialog
) -> None:
    ken = add_person(given_name="Ken", family_name="Sato", email="ken@example.org")
    add_person(given_name="Kenji", family_name="Tanaka")
    line = sheet.active_line()
    qtbot.keyClicks(line.given, "Ken")
    qtbot.keyClicks(line.family, "Sat")
    qtbot.waitUntil(lambda: suggested(sheet) == ["Ken Sato — ken@example.org"])
    qtbot.keyClick(line.family, Qt.Key.Key_Down)
    assert sheet.suggestions.hasFocus()
    qtbot.keyClick(sheet.suggestions, Qt.Key.Key_Return)
    assert line.person_id == ken
    assert line.result.text() == "→ Ken Sato"
    assert line.given.isReadOnly() and line.interests.hasFocus()
    qtbot.keyClicks(line.interests, "letters")
    qtbot.keyClick(line.interests, Qt.Key.Key_Return)

    assert signed_in(db, vigil) == {ken: SignInSource.PAPER}
    assert roster.count_people(db) == 2  # nobody new
    assert roster.get_person(db, ken).data.tags == ("letters",)
    assert line.result.text() == "Matched Ken Sato"
    assert not line.given.isEnabled()  # saved rows are greyed
    assert sheet.active_line() is not line and sheet.active_line().given.hasFocus()
    assert sheet.summary.text() == "1 line saved: matched someone on the roster."


def test_a_new_person_is_added_and_the_next_line_starts(
    qtbot: QtBot, db: Database, vigil: int, sheet: PaperEntryDialog
) -> None:
    first = sheet.active_line()
    qtbot.keyClicks(first.given, "Noor")
    qtbot.keyClicks(first.family, "Haddad")
    qtbot.keyClicks(first.phone, "617 555 01")  # too short: kept as written, flagged
    assert "Phone:" in sheet.problems_label.text()
    first.consent.setChecked(True)
    qtbot.keyClick(first.consent, Qt.Key.Key_Return)

    (noor,) = roster.search_person_ids(db, "haddad")
    detail = roster.get_person(db, noor)
    assert detail.needs_review and detail.data.phone == "617 555 01"
    assert signed_in(db, vigil) == {noor: SignInSource.PAPER}
    assert first.result.text() == "New on the roster; flagged for review"

    second = sheet.active_line()
    assert second is not first and second.given.hasFocus()
    qtbot.keyClicks(second.given, "Tom")
    qtbot.keyClicks(second.email, "tom@example.org")
    qtbot.keyClick(second.email, Qt.Key.Key_Enter)
    assert len(signed_in(db, vigil)) == 2
    assert sheet.summary.text() == "2 lines saved: 0 matched someone on the roster, 2 new."

    # Enter on an empty line saves nothing and says why.
    qtbot.keyClick(sheet.active_line().given, Qt.Key.Key_Return)
    assert len(sheet.lines) == 3 and "empty" in sheet.message.text()


def test_esc_unties_a_row_and_it_becomes_a_new_person(
    qtbot: QtBot, db: Database, vigil: int, add_person: AddPerson, sheet: PaperEntryDialog
) -> None:
    ana = add_person(given_name="Ana", family_name="Lopez")
    line = sheet.active_line()
    qtbot.keyClicks(line.given, "Ana")
    qtbot.keyClicks(line.family, "Lopez")
    qtbot.keyClick(line.family, Qt.Key.Key_Down)
    qtbot.keyClick(sheet.suggestions, Qt.Key.Key_Space)
    assert line.person_id == ana
    qtbot.keyClick(line.interests, Qt.Key.Key_Escape)
    assert line.person_id is None and line.given.hasFocus() and not line.given.isReadOnly()
    assert sheet.isVisible()  # Esc in a tied row unties; it does not close the sheet
    qtbot.keyClicks(line.email, "ana.other@example.org")
    qtbot.keyClick(line.email, Qt.Key.Key_Return)
    assert roster.count_people(db) == 2
