"""The roster page as a secretary uses it: search, filters, trash, undo, exact names.

What is checked is what the user cares about, read back through the services
(never through the view): the person is in the database, in the trash, restored.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from desktop_app.db import Database
from desktop_app.models import PersonStatus
from desktop_app.services import roster
from desktop_app.services.roster import PersonError, PersonInput, RosterFilter, SortKey
from desktop_app.text import fold
from desktop_app.views import roster_commands
from desktop_app.views import roster_page as roster_page_module
from desktop_app.views.person_dialog import PersonDialog
from desktop_app.views.roster_page import RosterPage
from desktop_app.views.table_models.roster_model import RosterTableModel
from tests.gui.roster_fixtures import (
    add_person,
    many_people,
    roster_page,
    undo_stack,
    us_english,
)

__all__ = ["add_person", "many_people", "roster_page", "undo_stack", "us_english"]  # fixtures

pytestmark = pytest.mark.usefixtures("us_english")

AddPerson = Callable[..., int]
TRASH = RosterFilter(in_trash=True)


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Say yes to every confirmation; the (question, details) asked are recorded."""
    asked: list[tuple[str, str]] = []

    def yes(_parent: object, _title: str, text: str, _yes: str, *, details: str = "") -> bool:
        asked.append((text, details))
        return True

    monkeypatch.setattr(roster_page_module, "confirm", yes)
    return asked


def shown_names(page: RosterPage) -> list[str]:
    model = page.model
    return [model.data(model.index(r, RosterTableModel.NAME)) for r in range(model.rowCount())]


def live_ids(db: Database) -> set[int]:
    return set(roster.search_person_ids(db))


def trash_ids(db: Database) -> set[int]:
    return set(roster.search_person_ids(db, flt=TRASH))


def select(qtbot: QtBot, page: RosterPage, person_id: int) -> None:
    page.table.select_person_ids([person_id])
    qtbot.waitUntil(lambda: page.selected_person_ids() == [person_id])


def open_dialog(qtbot: QtBot, page: RosterPage) -> PersonDialog:
    qtbot.waitUntil(lambda: page.current_dialog() is not None)
    dialog = page.current_dialog()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def click_save(qtbot: QtBot, dialog: PersonDialog) -> None:
    ok = dialog.ok_button()
    assert ok is not None and ok.isEnabled()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


# --- searching and filtering ---------------------------------------------------------------------


def test_typing_in_the_search_box_shows_the_matches(
    qtbot: QtBot, db: Database, many_people: list[int], undo_stack: QUndoStack
) -> None:
    page = RosterPage(db, undo_stack)
    qtbot.addWidget(page)
    page.show()
    # The first screenful first; the rest, and with it the count, once it has painted.
    qtbot.waitUntil(lambda: page.count_label.text() == "2,000 people", timeout=2000)
    assert page.model.rowCount() == 2000
    qtbot.keyClicks(page.search, "mari")
    qtbot.waitUntil(lambda: page.model.search_text() == "mari", timeout=2000)
    names = shown_names(page)
    assert 0 < len(names) < 2000
    expected = roster.search_person_ids(db, "mari")
    assert page.model.person_ids() == tuple(expected)
    assert page.count_label.text() == f"{len(expected):,} people"
    for row in range(page.model.rowCount()):
        email = page.model.data(page.model.index(row, RosterTableModel.EMAIL))
        assert "mari" in fold(f"{names[row]} {email}")


def test_the_search_waits_for_a_pause_in_typing(roster_page: RosterPage, qtbot: QtBot) -> None:
    qtbot.keyClicks(roster_page.search, "ab")
    assert roster_page.model.search_text() == ""  # not on every keystroke...
    qtbot.waitUntil(lambda: roster_page.model.search_text() == "ab", timeout=1000)  # ...soon


def test_find_puts_the_cursor_in_the_search_box(roster_page: RosterPage, qtbot: QtBot) -> None:
    roster_page.search.setText("old words")
    roster_page.table.setFocus()
    roster_page.activateWindow()
    roster_page.focus_search()
    qtbot.waitUntil(roster_page.search.hasFocus)
    assert roster_page.search.selectedText() == "old words"  # typing replaces the search
    assert roster_page.search.placeholderText() == "Search names, email, phone, postal code"


def test_down_from_the_search_goes_to_the_first_match_and_esc_clears(
    roster_page: RosterPage, qtbot: QtBot, add_person: AddPerson
) -> None:
    add_person(given_name="Maria", family_name="Garcia")
    ken = add_person(given_name="Ken", family_name="Sato")
    roster_page.model.refresh()
    qtbot.keyClicks(roster_page.search, "sato")
    qtbot.keyClick(roster_page.search, Qt.Key.Key_Down)
    assert roster_page.model.search_text() == "sato"  # no wait when leaving the box
    assert roster_page.selected_person_ids() == [ken]
    qtbot.keyClick(roster_page.search, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: roster_page.model.rowCount() == 2)


def test_filters_narrow_the_table(
    qtbot: QtBot, db: Database, many_people: list[int], undo_stack: QUndoStack
) -> None:
    page = RosterPage(db, undo_stack)
    qtbot.addWidget(page)
    page.status_filter.setCurrentIndex(page.status_filter.findData(PersonStatus.MEMBER))
    members = roster.search_person_ids(
        db, flt=RosterFilter(statuses=frozenset({PersonStatus.MEMBER}))
    )
    assert page.model.person_ids() == tuple(members)
    assert page.count_label.text() == f"{len(members):,} people"
    page.review_filter.setChecked(True)
    both = RosterFilter(statuses=frozenset({PersonStatus.MEMBER}), needs_review=True)
    assert page.model.person_ids() == tuple(roster.search_person_ids(db, flt=both))
    page.tag_filter.setCurrentIndex(page.tag_filter.findData("letters"))
    page.consent_filter.setCurrentIndex(page.consent_filter.findData("email_ok"))
    assert page.current_filter().tag == "letters"
    assert page.current_filter().consent == "email_ok"
    page.clear_filters()
    assert page.model.rowCount() == 2000


def test_clicking_a_header_sorts_and_consent_does_not(
    qtbot: QtBot, db: Database, many_people: list[int], undo_stack: QUndoStack
) -> None:
    page = RosterPage(db, undo_stack)
    qtbot.addWidget(page)
    page.resize(1600, 700)
    page.show()
    qtbot.waitExposed(page)
    header = page.table.horizontalHeader()

    def click_header(column: int) -> None:
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        qtbot.mouseClick(
            header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
        )

    click_header(RosterTableModel.EMAIL)
    descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    by_email = roster.search_person_ids(db, sort=SortKey.EMAIL, descending=descending)
    assert page.model.person_ids() == tuple(by_email)
    click_header(RosterTableModel.EMAIL)  # again: the other way round
    assert page.model.person_ids() == tuple(
        roster.search_person_ids(db, sort=SortKey.EMAIL, descending=not descending)
    )
    before = page.model.person_ids()
    click_header(RosterTableModel.CONSENT)
    assert page.model.person_ids() == before
    assert header.sortIndicatorSection() == RosterTableModel.EMAIL


# --- trash and restore ---------------------------------------------------------------------------


def test_delete_asks_then_moves_to_the_trash_and_restore_brings_back(
    roster_page: RosterPage,
    qtbot: QtBot,
    db: Database,
    add_person: AddPerson,
    answers: list[tuple[str, str]],
) -> None:
    maria = add_person(given_name="Maria", family_name="Garcia")
    ken = add_person(given_name="Ken", family_name="Sato")
    roster_page.model.refresh()
    select(qtbot, roster_page, maria)
    qtbot.keyClick(roster_page.table, Qt.Key.Key_Delete)
    question, details = answers[-1]
    assert "Maria Garcia" in question
    assert "restore" in details.lower()
    assert live_ids(db) == {ken}
    assert trash_ids(db) == {maria}
    assert shown_names(roster_page) == ["Ken Sato"]

    qtbot.mouseClick(roster_page.trash_button, Qt.MouseButton.LeftButton)
    assert shown_names(roster_page) == ["Maria Garcia"]
    assert roster_page.count_label.text() == "1 person in the trash"
    assert roster_page.restore_button.isVisible() and not roster_page.remove_button.isVisible()
    select(qtbot, roster_page, maria)
    qtbot.mouseClick(roster_page.restore_button, Qt.MouseButton.LeftButton)
    assert live_ids(db) == {maria, ken}
    assert trash_ids(db) == set()


def test_the_real_confirmation_says_it_can_be_restored(
    roster_page: RosterPage, qtbot: QtBot, db: Database, add_person: AddPerson
) -> None:
    maria = add_person(given_name="<b>Maria</b>", family_name="Garcia")
    roster_page.model.refresh()
    select(qtbot, roster_page, maria)
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        assert box.textFormat() == Qt.TextFormat.PlainText  # the name is shown as typed
        seen.append(f"{box.text()} {box.informativeText()}")
        yes = next(b for b in box.buttons() if b.text() == "Move to trash")
        assert isinstance(yes, QPushButton)
        yes.click()

    QTimer.singleShot(0, answer)
    roster_page.remove_selected()
    assert "<b>Maria</b> Garcia" in seen[0]
    assert "restore them from the Trash" in seen[0]
    assert trash_ids(db) == {maria}


def test_saying_no_removes_nobody(
    roster_page: RosterPage,
    qtbot: QtBot,
    db: Database,
    add_person: AddPerson,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    maria = add_person(given_name="Maria")
    roster_page.model.refresh()
    select(qtbot, roster_page, maria)
    monkeypatch.setattr(roster_page_module, "confirm", lambda *args, **kwargs: False)
    qtbot.keyClick(roster_page.table, Qt.Key.Key_Delete)
    assert live_ids(db) == {maria}
    assert roster_page.undo_stack() is not None
    assert roster_page._stack.count() == 0


# --- undo and redo -------------------------------------------------------------------------------


def test_undo_and_redo_of_add_edit_and_remove(
    roster_page: RosterPage,
    qtbot: QtBot,
    db: Database,
    undo_stack: QUndoStack,
    answers: list[tuple[str, str]],
) -> None:
    # Add, through the dialog.
    roster_page.new_person()
    dialog = open_dialog(qtbot, roster_page)
    qtbot.keyClicks(dialog.given_name, "Aoife")
    dialog.family_name.setText("Ní Bhriain")  # QTest types ASCII only
    qtbot.keyClicks(dialog.email, "aoife@example.org")
    click_save(qtbot, dialog)
    qtbot.waitUntil(lambda: roster_page.current_dialog() is None)
    (aoife,) = live_ids(db)
    assert roster.get_person(db, aoife).data.email == "aoife@example.org"
    assert roster_page.selected_person_ids() == [aoife]
    assert undo_stack.undoText() == "Add Aoife Ní Bhriain"

    undo_stack.undo()
    assert live_ids(db) == set() and trash_ids(db) == {aoife}
    undo_stack.redo()
    assert live_ids(db) == {aoife} and trash_ids(db) == set()

    # Edit, through the dialog opened with Enter on the table.
    select(qtbot, roster_page, aoife)
    qtbot.keyClick(roster_page.table, Qt.Key.Key_Return)
    dialog = open_dialog(qtbot, roster_page)
    dialog.email.clear()
    qtbot.keyClicks(dialog.email, "aoife@new.example.org")
    click_save(qtbot, dialog)
    qtbot.waitUntil(lambda: roster_page.current_dialog() is None)
    assert roster.get_person(db, aoife).data.email == "aoife@new.example.org"
    undo_stack.undo()
    assert roster.get_person(db, aoife).data.email == "aoife@example.org"
    undo_stack.redo()
    assert roster.get_person(db, aoife).data.email == "aoife@new.example.org"

    # Remove.
    select(qtbot, roster_page, aoife)
    qtbot.mouseClick(roster_page.remove_button, Qt.MouseButton.LeftButton)
    assert trash_ids(db) == {aoife}
    undo_stack.undo()
    assert live_ids(db) == {aoife}
    undo_stack.redo()
    assert trash_ids(db) == {aoife}
    assert undo_stack.count() == 3


def test_an_unchanged_edit_leaves_no_undo_step(
    roster_page: RosterPage, qtbot: QtBot, add_person: AddPerson, undo_stack: QUndoStack
) -> None:
    person = add_person(given_name="Ken", phone="617 555 0143", tags=("letters",))
    roster_page.model.refresh()
    roster_page.open_person(person)
    click_save(qtbot, open_dialog(qtbot, roster_page))
    qtbot.waitUntil(lambda: roster_page.current_dialog() is None)
    assert undo_stack.count() == 0


def test_an_undo_the_roster_refuses_is_reported_and_dropped(
    roster_page: RosterPage,
    qtbot: QtBot,
    db: Database,
    add_person: AddPerson,
    undo_stack: QUndoStack,
) -> None:
    person = add_person(given_name="Ken")
    roster_page.model.refresh()
    roster_page.open_person(person)
    dialog = open_dialog(qtbot, roster_page)
    qtbot.keyClicks(dialog.family_name, "Sato")
    click_save(qtbot, dialog)
    qtbot.waitUntil(lambda: roster_page.current_dialog() is None)
    # Erased behind the page's back (say from the command line): the edit cannot be undone.
    roster.erase_personal_data(db, person)
    undo_stack.undo()
    assert undo_stack.count() == 0  # the stale step is gone, nothing half-done remains
    assert "erased" in roster_page.message.text()
    boxes = [box for box in roster_page.findChildren(QMessageBox) if box.isVisible()]
    assert boxes and "erased" in boxes[0].text()
    boxes[0].close()
    assert roster.get_person(db, person).data.given_name == roster.ERASED_NAME


def test_a_refused_save_keeps_the_dialog_open_with_what_was_typed(
    roster_page: RosterPage,
    qtbot: QtBot,
    db: Database,
    undo_stack: QUndoStack,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(_db: Database, _data: PersonInput) -> None:
        raise PersonError("Given name: at most 500 characters.")

    monkeypatch.setattr(roster_commands, "create_person", refuse)
    roster_page.new_person()
    dialog = open_dialog(qtbot, roster_page)
    qtbot.keyClicks(dialog.given_name, "Ana")
    click_save(qtbot, dialog)
    assert roster_page.current_dialog() is dialog
    assert dialog.save_error.isVisible()
    assert dialog.save_error.text() == "Given name: at most 500 characters."
    assert dialog.given_name.text() == "Ana"
    assert live_ids(db) == set() and undo_stack.count() == 0
    dialog.reject()


# --- erase ---------------------------------------------------------------------------------------


def test_erase_asks_plainly_and_clears_the_undo_history(
    roster_page: RosterPage,
    qtbot: QtBot,
    db: Database,
    add_person: AddPerson,
    undo_stack: QUndoStack,
    answers: list[tuple[str, str]],
) -> None:
    person = add_person(given_name="Maria", family_name="Garcia", email="m@example.org")
    roster_page.model.refresh()
    select(qtbot, roster_page, person)
    qtbot.mouseClick(roster_page.remove_button, Qt.MouseButton.LeftButton)
    assert undo_stack.count() == 1
    qtbot.mouseClick(roster_page.trash_button, Qt.MouseButton.LeftButton)
    select(qtbot, roster_page, person)
    qtbot.mouseClick(roster_page.erase_button, Qt.MouseButton.LeftButton)
    question, details = answers[-1]
    assert "cannot be undone" in question
    assert "counts stay right" in details and "undo history is cleared" in details
    detail = roster.get_person(db, person)
    assert detail.erased_at is not None and detail.data.email == ""
    assert undo_stack.count() == 0
    assert shown_names(roster_page) == [roster.ERASED_NAME]


# --- exact text ----------------------------------------------------------------------------------

EXOTIC = [
    ("<b>Tom & Jerry</b>", 'O\'Brien "Jr"'),
    ("Zoë 🌍🎉", "Nguyễn"),
    ("שָׁלוֹם", "مرحبا"),
    ("x" * 500, "y" * 500),
]


@pytest.mark.parametrize(("given", "family"), EXOTIC)
def test_names_round_trip_and_display_exactly(
    roster_page: RosterPage, qtbot: QtBot, db: Database, given: str, family: str
) -> None:
    roster_page.new_person()
    dialog = open_dialog(qtbot, roster_page)
    # setText, as a paste would: key events cannot carry an emoji's two UTF-16 halves.
    dialog.given_name.setText(given)
    dialog.family_name.setText(family)
    dialog.notes.setPlainText(f"{given}\n<script>alert(1)</script>")
    click_save(qtbot, dialog)
    qtbot.waitUntil(lambda: roster_page.current_dialog() is None)
    (person,) = live_ids(db)
    data = roster.get_person(db, person).data
    assert (data.given_name, data.family_name) == (given, family)
    assert data.notes == f"{given}\n<script>alert(1)</script>"

    model = roster_page.model
    name_index = model.index(model.row_of(person), RosterTableModel.NAME)
    assert model.data(name_index) == f"{given} {family}"
    if len(given) > 40:  # cut off in the cell, whole (and escaped) in the tool tip
        tooltip = model.data(name_index, Qt.ItemDataRole.ToolTipRole)
        assert html.escape(f"{given} {family}") in tooltip
    qtbot.waitUntil(lambda: f"{given} {family}" in roster_page.summary.toPlainText())
    assert "<script>alert(1)</script>" in roster_page.summary.toPlainText()

    # And the dialog shows it back exactly.
    roster_page.open_person(person)
    dialog = open_dialog(qtbot, roster_page)
    assert (dialog.given_name.text(), dialog.family_name.text()) == (given, family)
    assert dialog.notes.toPlainText() == data.notes
    dialog.reject()


def test_markup_in_a_tooltip_is_shown_as_text(
    roster_page: RosterPage, db: Database, add_person: AddPerson
) -> None:
    person = add_person(given_name="<b>Tom & Jerry</b>", family_name="z" * 60, phone="12")
    roster_page.model.refresh()
    model = roster_page.model
    tooltip = model.data(
        model.index(model.row_of(person), RosterTableModel.NAME), Qt.ItemDataRole.ToolTipRole
    )
    assert "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;" in tooltip
    assert "<b>Tom" not in tooltip


def test_coming_back_to_the_page_shows_people_added_meanwhile(
    roster_page: RosterPage, qtbot: QtBot, add_person: AddPerson
) -> None:
    roster_page.hide()
    add_person(given_name="Signed", family_name="Up")  # say, at the tabling kiosk
    roster_page.show()
    qtbot.waitExposed(roster_page)
    assert shown_names(roster_page) == ["Signed Up"]
    assert roster_page.count_label.text() == "1 person"


def test_the_page_is_in_the_window_pages() -> None:
    from desktop_app.views.pages import page_classes

    assert RosterPage in page_classes()


def test_new_and_not_followed_up_filter(qtbot: QtBot, db: Database, undo_stack: QUndoStack) -> None:
    from datetime import UTC, datetime

    from desktop_app.services import events, followups, signin

    event = events.create_event(
        db,
        events.EventInput(title="Monthly meeting", starts_at=datetime(2026, 11, 2, 23, tzinfo=UTC)),
    )
    newcomer = signin.add_newcomer_and_sign_in(
        db, event.id, PersonInput(given_name="Noor", family_name="Haddad")
    ).person_id
    called = signin.add_newcomer_and_sign_in(
        db, event.id, PersonInput(given_name="Kenji", family_name="Sato")
    ).person_id
    roster.create_person(db, PersonInput(given_name="Never", family_name="Came"))
    followups.create_followups_for_new_people(db, event.id)
    kenji_task = next(f for f in followups.list_followups(db, "open") if f.person_id == called)
    followups.complete(db, kenji_task.id, "Called; coming next month")

    page = RosterPage(db, undo_stack)
    qtbot.addWidget(page)
    assert page.model.rowCount() == 3
    page.followup_filter.setChecked(True)
    assert page.model.person_ids() == (newcomer,)
    page.clear_filters()
    assert not page.followup_filter.isChecked() and page.model.rowCount() == 3
