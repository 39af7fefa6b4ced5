"""Follow-ups: made after an event, assigned, marked done with the outcome, overdue shown.

Results are read back through services.followups.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot

from desktop_app.db import Database
from desktop_app.models import FollowUpKind, utcnow
from desktop_app.services import events, followups
from desktop_app.services.signin import sign_in
from desktop_app.views.events_page import EventsPage
from desktop_app.views.followup_dialogs import (
    AssignDialog,
    CreateFollowUpsDialog,
    OutcomeDialog,
)
from desktop_app.views.followups_page import FollowUpsPage
from desktop_app.views.local_time import local_today
from desktop_app.views.table_models.followups_model import FollowUpsTableModel, overdue_brush
from tests.gui.roster_fixtures import (
    add_person,
    open_dialog,
    pick,
    popup_noise,
    show_page,
    undo_stack,
    us_english,
)

__all__ = ["add_person", "undo_stack", "us_english"]  # fixtures

pytestmark = pytest.mark.usefixtures("us_english")

AddPerson = Callable[..., int]


@pytest.fixture
def meeting(db: Database, add_person: AddPerson) -> tuple[int, list[int]]:
    """A past meeting where two people came for the first time; returns (event, newcomers)."""
    event_id = events.create_event(
        db, events.EventInput(title="Monthly meeting", starts_at=utcnow() - timedelta(hours=3))
    ).id
    newcomers = [
        add_person(given_name="Noor", family_name="Khan"),
        add_person(given_name="Tom", family_name="Walsh"),
    ]
    for person_id in newcomers:
        sign_in(db, event_id, person_id)
    return event_id, newcomers


@pytest.fixture
def page(qtbot: QtBot, db: Database, undo_stack: QUndoStack) -> FollowUpsPage:
    return show_page(qtbot, FollowUpsPage(db, undo_stack), 1100, 600)


@popup_noise
def test_follow_ups_made_after_an_event_are_assigned_and_due_in_two_days(
    qtbot: QtBot,
    db: Database,
    undo_stack: QUndoStack,
    add_person: AddPerson,
    meeting: tuple[int, list[int]],
) -> None:
    event_id, newcomers = meeting
    olga = add_person(given_name="Olga", family_name="Novak")
    events_page = EventsPage(db, undo_stack)
    qtbot.addWidget(events_page)
    events_page.show()
    qtbot.waitExposed(events_page)
    events_page.activateWindow()
    events_page.reload(select=event_id)
    assert events_page.followups_button.isEnabled()
    qtbot.mouseClick(events_page.followups_button, Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot, events_page)
    assert isinstance(dialog, CreateFollowUpsDialog)
    assert dialog.due_days.value() == 2  # the default
    pick(qtbot, dialog.assignee, "novak")
    assert dialog.assignee.person_id() == olga
    ok = dialog.ok_button()
    assert ok is not None
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: events_page.current_dialog() is None)

    tasks = followups.list_followups(db, "open")
    assert sorted(task.person_id for task in tasks) == sorted(newcomers)
    assert {task.assigned_to_id for task in tasks} == {olga}
    assert {task.due_on for task in tasks} == {local_today() + timedelta(days=2)}
    assert {task.event_id for task in tasks} == {event_id}
    assert "Made 2 follow-ups" in events_page.message.text()


@popup_noise
def test_assign_then_mark_done_with_the_outcome(
    qtbot: QtBot,
    db: Database,
    page: FollowUpsPage,
    add_person: AddPerson,
    meeting: tuple[int, list[int]],
) -> None:
    event_id, (noor, _tom) = meeting
    olga = add_person(given_name="Olga", family_name="Novak")
    followups.create_followups_for_new_people(db, event_id)
    page.reload()
    assert page.model.rowCount() == 2
    noor_task = next(t for t in followups.list_followups(db) if t.person_id == noor)
    page.select_ids([noor_task.id])

    qtbot.mouseClick(page.assign_button, Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot, page)
    assert isinstance(dialog, AssignDialog)
    pick(qtbot, dialog.assignee, "olga")
    dialog.accept()
    qtbot.waitUntil(lambda: page.current_dialog() is None)
    assert followups.get_followup(db, noor_task.id).assigned_to_id == olga
    row = page.model.row_of(noor_task.id)
    assigned = page.model.index(row, FollowUpsTableModel.ASSIGNED)
    assert page.model.data(assigned) == "Olga Novak"

    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)  # Enter marks done
    dialog = open_dialog(qtbot, page)
    assert isinstance(dialog, OutcomeDialog)
    ok = dialog.ok_button()
    assert ok is not None and not ok.isEnabled()  # the outcome is asked in words
    qtbot.keyClicks(dialog.outcome, "Had coffee; wants to join the letter night.")
    assert ok.isEnabled()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.current_dialog() is None)
    done = followups.get_followup(db, noor_task.id)
    assert done.done_at is not None
    assert done.outcome == "Had coffee; wants to join the letter night."
    assert page.model.row_of(noor_task.id) == -1  # gone from the open list

    page.set_state("done")
    page.select_ids([noor_task.id])
    state = page.model.index(page.model.row_of(noor_task.id), FollowUpsTableModel.STATE)
    assert page.model.data(state).startswith("Done on ")
    qtbot.mouseClick(page.reopen_button, Qt.MouseButton.LeftButton)
    reopened = followups.get_followup(db, noor_task.id)
    assert reopened.done_at is None and reopened.outcome.startswith("Had coffee")


def test_overdue_follow_ups_are_marked_in_words_and_colour(
    qtbot: QtBot, db: Database, page: FollowUpsPage, meeting: tuple[int, list[int]]
) -> None:
    event_id, (noor, _tom) = meeting
    followups.create_followups_for_new_people(db, event_id)
    late = next(t for t in followups.list_followups(db) if t.person_id == noor)
    followups.set_due(db, late.id, local_today() - timedelta(days=3))
    page.reload()
    assert page.tabs.tabText(2) == "O&verdue (1)"
    model = page.model
    row = model.row_of(late.id)
    assert row == 0  # soonest due first
    state = model.index(row, FollowUpsTableModel.STATE)
    assert model.data(state) == "Overdue by 3 days"
    assert model.data(state, Qt.ItemDataRole.ForegroundRole) == overdue_brush()
    assert model.data(state, Qt.ItemDataRole.FontRole).bold()
    other = model.index(1 - row, FollowUpsTableModel.STATE)
    assert model.data(other) == "Open"
    assert model.data(other, Qt.ItemDataRole.ForegroundRole) is None

    qtbot.keyClick(page.tabs, Qt.Key.Key_Right)
    qtbot.keyClick(page.tabs, Qt.Key.Key_Right)
    assert page.state() == "overdue"
    assert [model.row_at(r).id for r in range(model.rowCount())] == [late.id]  # type: ignore[union-attr]


def test_kind_and_due_date_change_for_every_selected_task(
    qtbot: QtBot, db: Database, page: FollowUpsPage, meeting: tuple[int, list[int]]
) -> None:
    event_id, _newcomers = meeting
    followups.create_followups_for_new_people(db, event_id)
    page.reload()
    ids = [task.id for task in followups.list_followups(db)]
    page.select_ids(ids)
    page.change_kind(FollowUpKind.COFFEE)
    assert {followups.get_followup(db, i).kind for i in ids} == {FollowUpKind.COFFEE}

    qtbot.mouseClick(page.due_button, Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot, page)
    dialog.due.check.setChecked(False)  # type: ignore[attr-defined]
    dialog.accept()
    qtbot.waitUntil(lambda: page.current_dialog() is None)
    assert {followups.get_followup(db, i).due_on for i in ids} == {None}


def test_the_model_passes_the_model_tester(  # type: ignore[no-untyped-def]
    qtmodeltester, db: Database, page: FollowUpsPage, meeting: tuple[int, list[int]]
) -> None:
    followups.create_followups_for_new_people(db, meeting[0])
    page.reload()
    qtmodeltester.check(page.model)


def test_the_page_is_in_the_window_pages() -> None:
    from desktop_app.views.pages import page_classes

    assert FollowUpsPage in page_classes()
