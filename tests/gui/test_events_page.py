"""The Events page as a secretary uses it: plan, copy, cancel, see who came, export.

Results are read back through the services (and the exported files through
icalendar and openpyxl), never through the widgets that made them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import openpyxl  # type: ignore[import-untyped]
import pytest
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot

from desktop_app.db import Database
from desktop_app.models import EventKind, SignInSource, utcnow
from desktop_app.services import events
from desktop_app.services.group import GroupProfileData, save_profile
from desktop_app.services.signin import sign_in
from desktop_app.views import save_paths
from desktop_app.views.event_dialog import CopyEventDialog, EventDialog
from desktop_app.views.events_page import PAST, UPCOMING, EventsPage, file_stem
from desktop_app.views.local_time import from_qdatetime, to_qdatetime
from desktop_app.views.meeting_signin import MeetingSignInDialog
from desktop_app.views.paper_entry import PaperEntryDialog
from desktop_app.views.table_models.events_model import AttendanceTableModel, EventsTableModel
from tests.gui.roster_fixtures import add_person, open_dialog, show_page, undo_stack, us_english

__all__ = ["add_person", "undo_stack", "us_english"]  # fixtures

pytestmark = pytest.mark.usefixtures("us_english")

AddPerson = Callable[..., int]


@pytest.fixture
def page(qtbot: QtBot, db: Database, undo_stack: QUndoStack) -> EventsPage:
    save_profile(
        db, GroupProfileData(name="Riverside Group", meeting_place="Friends Meeting House")
    )
    events_page = EventsPage(db, undo_stack)
    events_page.set_undo_stack(undo_stack)
    return show_page(qtbot, events_page, 1100, 700)


def make_event(db: Database, title: str, *, days: float, **values: object) -> int:
    starts = utcnow() + timedelta(days=days)
    data = events.EventInput(title=title, starts_at=starts, **values)  # type: ignore[arg-type]
    return events.create_event(db, data).id


def shown_titles(page: EventsPage) -> list[str]:
    model = page.model
    return [model.data(model.index(r, EventsTableModel.TITLE)) for r in range(model.rowCount())]


def test_a_new_event_typed_into_the_dialog_is_saved(
    qtbot: QtBot, db: Database, page: EventsPage
) -> None:
    assert page.page_title() == "Events"
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot, page)
    assert isinstance(dialog, EventDialog)
    qtbot.waitUntil(dialog.title_edit.hasFocus)
    assert dialog.place.text() == "Friends Meeting House"  # the group's meeting place
    qtbot.keyClicks(dialog.title_edit, "Write for Rights letter night")
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Tab)
    assert dialog.starts.hasFocus()
    qtbot.keyClick(dialog.starts, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)  # &Kind
    assert dialog.kind.hasFocus()
    qtbot.keyClicks(dialog.kind, "L")  # the first kind that begins with L
    assert dialog.kind.currentData() == EventKind.LETTER_WRITING
    qtbot.keyClick(dialog.kind, Qt.Key.Key_X, Qt.KeyboardModifier.AltModifier)  # E&xpected
    assert dialog.expected.hasFocus()
    qtbot.keyClicks(dialog.expected, "25")  # replaces "not given"
    start = dialog.starts.dateTime()
    qtbot.keyClick(dialog.expected, Qt.Key.Key_Return)  # Enter means Add event
    qtbot.waitUntil(lambda: page.current_dialog() is None)

    (row,) = events.list_upcoming(db, datetime.now(UTC))
    saved = events.get_event(db, row.id)
    assert saved.data.title == "Write for Rights letter night"
    assert saved.data.kind == EventKind.LETTER_WRITING
    assert saved.data.place == "Friends Meeting House"
    assert saved.data.expected_attendance == 25
    # The local time typed is the moment stored (as an aware UTC time).
    assert saved.data.starts_at == from_qdatetime(start)
    assert saved.data.ends_at == saved.data.starts_at + timedelta(hours=2)
    assert shown_titles(page) == ["Write for Rights letter night"]
    assert page.selected_event_id() == row.id


def test_the_services_words_show_next_to_the_field_and_nothing_is_saved(
    qtbot: QtBot, db: Database, page: EventsPage
) -> None:
    page.new_event()
    dialog = open_dialog(qtbot, page)
    assert isinstance(dialog, EventDialog)
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.title_error.isVisible()
    assert dialog.title_error.text() == "please give the event a title."
    qtbot.keyClicks(dialog.title_edit, "Vigil")
    dialog.ends.setDateTime(dialog.starts.dateTime().addSecs(-3600))
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)
    assert dialog.ends_error.text() == "the end must be after the start."
    assert not dialog.title_error.isVisible()
    dialog.reject()
    assert events.list_upcoming(db, datetime.now(UTC)) == []


def test_edit_changes_the_event_and_keeps_its_length(
    qtbot: QtBot, db: Database, page: EventsPage
) -> None:
    starts = utcnow().replace(second=0, microsecond=0) + timedelta(days=3)
    event_id = events.create_event(
        db,
        events.EventInput(title="Meeting", starts_at=starts, ends_at=starts + timedelta(hours=1)),
    ).id
    page.reload(select=event_id)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)  # Enter edits
    dialog = open_dialog(qtbot, page)
    assert isinstance(dialog, EventDialog)
    dialog.title_edit.selectAll()
    qtbot.keyClicks(dialog.title_edit, "Monthly meeting")
    dialog.starts.setDateTime(to_qdatetime(starts + timedelta(days=1)))
    ok = dialog.ok_button()
    assert ok is not None and ok.text() == "Save"
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.current_dialog() is None)
    saved = events.get_event(db, event_id).data
    assert saved.title == "Monthly meeting"
    assert saved.starts_at == starts + timedelta(days=1)
    assert saved.ends_at == starts + timedelta(days=1, hours=1)


def test_copy_asks_the_new_date_and_makes_a_new_event(
    qtbot: QtBot, db: Database, page: EventsPage
) -> None:
    original = make_event(db, "Monthly meeting", days=-20, place="Library")
    page.tabs.setCurrentIndex(PAST)
    page.reload(select=original)
    qtbot.mouseClick(page.copy_button, Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot, page)
    assert isinstance(dialog, CopyEventDialog)
    # Suggested: the same weekday and time, in the first week still to come.
    suggested = dialog.starts.dateTime()
    assert suggested > QDateTime.currentDateTime()
    assert (
        suggested.date().dayOfWeek()
        == to_qdatetime(events.get_event(db, original).data.starts_at).date().dayOfWeek()
    )
    new_start = QDateTime.currentDateTime().addDays(10)
    dialog.starts.setDateTime(new_start)
    qtbot.keyClick(dialog.starts, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.current_dialog() is None)

    (copy,) = events.list_upcoming(db, datetime.now(UTC))
    assert copy.id != original and (copy.title, copy.place) == ("Monthly meeting", "Library")
    assert copy.starts_at == from_qdatetime(new_start)
    assert page.tabs.currentIndex() == UPCOMING and page.selected_event_id() == copy.id
    assert len(events.list_past(db, datetime.now(UTC))) == 1  # the original stays


def test_cancel_marks_the_event_and_restore_brings_it_back(
    qtbot: QtBot, db: Database, page: EventsPage
) -> None:
    event_id = make_event(db, "Street fair", days=5, kind=EventKind.TABLING)
    page.reload(select=event_id)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert events.get_event(db, event_id).cancelled
    assert shown_titles(page) == ["Cancelled: Street fair"]  # still listed, in words
    assert not page.signin_button.isEnabled() and not page.paper_button.isEnabled()
    assert page.restore_button.isVisible() and not page.cancel_button.isVisible()
    qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    assert not events.get_event(db, event_id).cancelled
    assert shown_titles(page) == ["Street fair"]


def test_the_selected_events_attendance_is_shown_with_first_timers_marked(
    qtbot: QtBot, db: Database, page: EventsPage, add_person: AddPerson
) -> None:
    earlier = make_event(db, "Film night", days=-30)
    meeting = make_event(db, "Monthly meeting", days=-1)
    regular = add_person(given_name="Olga", family_name="Novak")
    newcomer = add_person(given_name="Noor", family_name="Khan")
    sign_in(db, earlier, regular)
    sign_in(db, meeting, regular)
    sign_in(db, meeting, newcomer, SignInSource.PAPER)
    page.tabs.setCurrentIndex(PAST)
    page.reload(select=meeting)
    assert page.attendance_label.text() == "Atten&dance: 2 signed in, 1 new"
    model = page.attendance_model
    rows = {
        model.data(model.index(r, AttendanceTableModel.NAME)): (
            model.data(model.index(r, AttendanceTableModel.NEW)),
            model.data(model.index(r, AttendanceTableModel.SOURCE)),
        )
        for r in range(model.rowCount())
    }
    assert rows == {"Noor Khan": ("new", "Paper sheet"), "Olga Novak": ("", "Ticked off")}
    events_model = page.model
    row = events_model.row_of(meeting)
    assert events_model.data(events_model.index(row, EventsTableModel.ATTENDANCE)) == "2 (1 new)"
    assert page.followups_button.isEnabled()


def test_a_reload_reads_the_selected_event_once_and_a_click_reads_the_new_one(
    db: Database, page: EventsPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = make_event(db, "Film night", days=2)
    second = make_event(db, "Monthly meeting", days=5)
    read: list[int] = []
    read_detail = page.read_detail

    def counted(event_id: int) -> events.EventDetail:
        read.append(event_id)
        return read_detail(event_id)

    monkeypatch.setattr(page, "read_detail", counted)
    page.reload(select=first)
    assert read == [first]
    page.table.selectRow(page.model.row_of(second))
    assert read == [first, second]
    assert page.detail_title.text() == "Monthly meeting"


def test_sign_in_and_paper_entry_open_for_the_selected_event(
    qtbot: QtBot, db: Database, page: EventsPage, add_person: AddPerson
) -> None:
    event_id = make_event(db, "Monthly meeting", days=0.01)
    ken = add_person(given_name="Ken", family_name="Sato")
    page.reload(select=event_id)
    qtbot.mouseClick(page.signin_button, Qt.MouseButton.LeftButton)
    signin = open_dialog(qtbot, page)
    assert isinstance(signin, MeetingSignInDialog) and signin.event_id() == event_id
    signin.tick(ken, "Ken Sato")
    qtbot.mouseClick(signin.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.current_dialog() is None)
    assert page.attendance_model.rowCount() == 1  # read again when it closed

    qtbot.mouseClick(page.paper_button, Qt.MouseButton.LeftButton)
    paper = open_dialog(qtbot, page)
    assert isinstance(paper, PaperEntryDialog)
    paper.reject()
    qtbot.waitUntil(lambda: page.current_dialog() is None)


def test_calendar_and_attendance_exports_are_written_and_read_back(
    qtbot: QtBot,
    db: Database,
    page: EventsPage,
    add_person: AddPerson,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    event_id = make_event(
        db, "Vigil for Narges", days=-2, place="Town square", description="Bring candles"
    )
    sign_in(db, event_id, add_person(given_name="Aoife", family_name="Walsh"))
    sign_in(db, event_id, add_person(given_name="=Tom", family_name="Murphy"))
    page.tabs.setCurrentIndex(PAST)
    page.reload(select=event_id)
    asked: list[Path] = []
    answers = iter([tmp_path / "vigil", tmp_path / "who-came.xlsx"])

    def answer(_parent: object, _title: str, suggested: Path, _filter: str) -> Path:
        asked.append(suggested)
        return next(answers)

    monkeypatch.setattr(save_paths, "ask_save_path", answer)
    qtbot.mouseClick(page.ics_button, Qt.MouseButton.LeftButton)
    calendar_file = tmp_path / "vigil.ics"  # the extension is added when left out
    calendar = icalendar.Calendar.from_ical(calendar_file.read_bytes())
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Vigil for Narges"
    assert str(vevent["LOCATION"]) == "Town square"
    starts_at = events.get_event(db, event_id).data.starts_at
    assert vevent.decoded("DTSTART") == starts_at.replace(microsecond=0)
    assert asked[0].name == file_stem(events.get_event(db, event_id)) + ".ics"
    assert "Saved the calendar file" in page.message.text()

    qtbot.mouseClick(page.xlsx_button, Qt.MouseButton.LeftButton)
    workbook = openpyxl.load_workbook(tmp_path / "who-came.xlsx")
    sheet = workbook["Attendance"]
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == ["=Tom Murphy", "Aoife Walsh"]  # text, never a formula
    assert asked[1].parent == tmp_path  # the folder chosen last time is offered again


def test_a_failed_export_says_so(
    qtbot: QtBot, db: Database, page: EventsPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    event_id = make_event(db, "Training", days=4)
    page.reload(select=event_id)
    missing = tmp_path / "no such folder" / "x.ics"
    monkeypatch.setattr(save_paths, "ask_save_path", lambda *_args: missing)
    qtbot.mouseClick(page.ics_button, Qt.MouseButton.LeftButton)
    assert "The calendar file was not written" in page.message.text()
    assert not missing.exists()


def test_the_lists_are_split_into_upcoming_and_past(
    qtbot: QtBot, db: Database, page: EventsPage
) -> None:
    make_event(db, "Next month", days=30)
    make_event(db, "Tomorrow", days=1)
    make_event(db, "Last week", days=-7)
    page.reload()
    assert page.tabs.tabText(UPCOMING) == "&Upcoming (2)"
    assert shown_titles(page) == ["Tomorrow", "Next month"]  # soonest first
    qtbot.keyClick(page.tabs, Qt.Key.Key_Right)
    assert shown_titles(page) == ["Last week"]


def test_the_models_pass_the_model_tester(qtmodeltester, db: Database, page: EventsPage) -> None:  # type: ignore[no-untyped-def]
    meeting = make_event(db, "Monthly meeting", days=-1)
    page.tabs.setCurrentIndex(PAST)
    page.reload(select=meeting)
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.attendance_model)


def test_the_page_is_in_the_window_pages() -> None:
    from desktop_app.views.pages import page_classes

    assert EventsPage in page_classes()
