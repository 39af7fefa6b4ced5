"""The Urgent Actions page as a coordinator uses it: enter a case with its officials,
print a letter from each writer to each official, record them, close the case.

What was saved is read back through services.urgent_actions, and the letters through
pdfplumber on the very bytes the preview holds, never through the widgets that made
them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator
from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtTest import QAbstractItemModelTester
from pytestqt.qtbot import QtBot

from desktop_app.db import Database
from desktop_app.models import UrgentActionStatus, utcnow
from desktop_app.printing.data import EnvelopeStyle, PageSize
from desktop_app.services import events
from desktop_app.services.group import GroupProfileData, save_profile
from desktop_app.services.signin import sign_in
from desktop_app.services.urgent_actions import (
    AddresseeInput,
    UrgentActionInput,
    create_urgent_action,
    get_urgent_action,
    list_urgent_actions,
    writer_tallies,
)
from desktop_app.views.print_preview import PrintPreviewDialog
from desktop_app.views.table_models.urgent_actions_model import UrgentActionsTableModel
from desktop_app.views.urgent_action_dialog import (
    LetterOptions,
    PrintLettersDialog,
    UrgentActionDialog,
)
from desktop_app.views.urgent_actions_page import UrgentActionsPage
from tests.gui.roster_fixtures import add_person, bulk_add_people, undo_stack, us_english
from tests.helpers.keys import type_text
from tests.helpers.pdf_pages import page_texts

__all__ = ["add_person", "undo_stack", "us_english"]  # fixtures

pytestmark = pytest.mark.usefixtures("us_english")

AddPerson = Callable[..., int]


@pytest.fixture
def page(qtbot: QtBot, db: Database, undo_stack: QUndoStack) -> UrgentActionsPage:
    save_profile(db, GroupProfileData(name="Riverside Group", city="Riverside", country="US"))
    ua_page = UrgentActionsPage(db, undo_stack)
    ua_page.set_undo_stack(undo_stack)
    qtbot.addWidget(ua_page)
    ua_page.resize(1100, 700)
    ua_page.show()
    qtbot.waitExposed(ua_page)
    return ua_page


def make_case(db: Database, officials: int = 2, copies: int = 1, **values: object) -> int:
    addressees = [
        AddresseeInput(
            name=f"Official {number}",
            title="Minister of Justice" if number == 1 else "Attorney General",
            address=f"Ministry {number}\nAvenida Central {number}\nCiudad",
            salutation="Dear Minister" if number == 1 else "",
        )
        for number in range(1, officials + 1)
    ]
    addressees += [
        AddresseeInput(name=f"Ambassador {number}", address="Embassy\nWashington DC", is_copy=True)
        for number in range(1, copies + 1)
    ]
    data = UrgentActionInput(
        title=str(values.pop("title", "Student leader detained")),
        number=str(values.pop("number", "UA 12/26")),
        country="Wakanda",
        persons_at_risk="Nia Okoye",
        deadline=values.pop("deadline", date.today() + timedelta(days=20)),  # type: ignore[arg-type]
        addressees=tuple(addressees),
        **values,  # type: ignore[arg-type]
    )
    return create_urgent_action(db, data).id


def writer(add_person: AddPerson, given: str, family: str) -> int:
    return add_person(
        given_name=given,
        family_name=family,
        address_line1="12 Elm Street",
        city="Riverside",
        region="CA",
        postal_code="92501",
    )


def wait_for_preview(qtbot: QtBot, page: UrgentActionsPage) -> PrintPreviewDialog:
    qtbot.waitUntil(lambda: page.preview is not None, timeout=30_000)
    preview = page.preview
    assert isinstance(preview, PrintPreviewDialog)
    qtbot.waitUntil(preview.isVisible)
    return preview


# --- entering a case ------------------------------------------------------------------------


def test_a_new_case_with_two_addressees_is_saved_by_the_dialog(
    qtbot: QtBot, page: UrgentActionsPage, db: Database
) -> None:
    assert "No urgent actions yet" in page.detail_title.text()
    page.new_button.click()
    dialog = page.current_dialog()
    assert isinstance(dialog, UrgentActionDialog)
    ok = dialog.ok_button()
    assert ok is not None and not ok.isEnabled()  # no title yet
    type_text(dialog.number_edit, "ua229/10")
    dialog.number_edit.editingFinished.emit()
    assert dialog.number_edit.text() == "UA 229/10"
    type_text(dialog.title_edit, "Journalist held <incommunicado> & at risk")
    assert ok.isEnabled()
    type_text(dialog.country_edit, "Ruritania")
    dialog.persons_edit.setPlainText("José Martí")
    dialog.deadline_edit.check.setChecked(True)

    dialog.add_official_button.click()
    assert dialog.tabs.currentIndex() == 1
    type_text(dialog.name_edit, "Ana Pérez")
    type_text(dialog.official_title_edit, "Minister of the Interior")
    dialog.address_edit.setPlainText("Ministerio del Interior\nCalle Mayor 1\n28013 Madrid")
    type_text(dialog.salutation_edit, "Dear Minister")
    type_text(dialog.language_edit, "ES")
    dialog.add_copy_button.click()
    type_text(dialog.name_edit, "Ambassador of Ruritania")
    dialog.address_edit.setPlainText("Embassy of Ruritania\n1 Embassy Row\nWashington DC")
    assert dialog.copy_check.isChecked()
    assert dialog.addressee_list.count() == 2
    assert dialog.addressee_list.item(1).text().startswith("Copy: Ambassador")

    ok.click()
    qtbot.waitUntil(lambda: page.current_dialog() is None)

    rows = list_urgent_actions(db)
    assert len(rows) == 1
    row = rows[0]
    assert (row.number, row.country, row.officials, row.copies) == ("UA 229/10", "Ruritania", 1, 1)
    assert row.title == "Journalist held <incommunicado> & at risk"
    detail = get_urgent_action(db, row.id)
    official, copy = detail.data.addressees
    assert (official.name, official.title, official.salutation, official.language) == (
        "Ana Pérez",
        "Minister of the Interior",
        "Dear Minister",
        "es",
    )
    assert official.address.splitlines() == [
        "Ministerio del Interior",
        "Calle Mayor 1",
        "28013 Madrid",
    ]
    assert not official.is_copy and copy.is_copy
    assert detail.data.template == ""  # the standard letter, kept as "use the default"
    assert detail.data.deadline == date.today()
    # The page lists the new case, selected, with its officials in the panel.
    assert page.selected_id() == row.id
    assert page.detail_title.text() == "UA 229/10 Journalist held <incommunicado> & at risk"
    assert "Ana Pérez, Minister of the Interior" in page.detail_text.text()
    assert "Ambassador of Ruritania" in page.detail_text.text()


def test_a_template_with_a_mistake_shows_it_in_words_and_keeps_the_dialog_open(
    qtbot: QtBot, page: UrgentActionsPage, db: Database
) -> None:
    page.new_case()
    dialog = page.current_dialog()
    assert isinstance(dialog, UrgentActionDialog)
    type_text(dialog.title_edit, "Prisoner of conscience")
    dialog.tabs.setCurrentIndex(2)
    dialog.template_edit.setPlainText("{salutation},\n\nPlease free {prisoner} at once.\n")
    assert dialog.template_error.isVisibleTo(dialog)
    problem = dialog.template_error.text()
    assert "line 3" in problem and "{prisoner}" in problem and "{person_at_risk}" in problem

    dialog.tabs.setCurrentIndex(0)
    ok = dialog.ok_button()
    assert ok is not None
    ok.click()
    assert dialog.isVisible()
    assert page.current_dialog() is dialog
    assert dialog.tabs.currentIndex() == 2  # the Letter tab, where the mistake is
    assert list_urgent_actions(db) == []

    # Put the cursor on the mistake and insert the right placeholder from the list.
    text = dialog.template_edit.toPlainText().replace("{prisoner}", "")
    dialog.template_edit.setPlainText(text)
    cursor = dialog.template_edit.textCursor()
    cursor.setPosition(text.index(" at once"))
    dialog.template_edit.setTextCursor(cursor)
    dialog.placeholder_list.setCurrentRow(list(dialog_placeholders(dialog)).index("person_at_risk"))
    dialog.insert_button.click()
    assert "Please free {person_at_risk} at once." in dialog.template_edit.toPlainText()
    assert not dialog.template_error.isVisibleTo(dialog)
    ok.click()
    qtbot.waitUntil(lambda: page.current_dialog() is None)
    (row,) = list_urgent_actions(db)
    assert "{person_at_risk}" in get_urgent_action(db, row.id).data.template


def dialog_placeholders(dialog: UrgentActionDialog) -> list[str]:
    items = (dialog.placeholder_list.item(i) for i in range(dialog.placeholder_list.count()))
    return [str(item.data(Qt.ItemDataRole.UserRole)) for item in items]


def test_an_addressee_without_a_name_is_refused_on_its_tab(
    qtbot: QtBot, page: UrgentActionsPage, db: Database
) -> None:
    page.new_case()
    dialog = page.current_dialog()
    assert isinstance(dialog, UrgentActionDialog)
    type_text(dialog.title_edit, "Human rights defender threatened")
    dialog.add_official_button.click()
    type_text(dialog.name_edit, "President")
    dialog.add_official_button.click()  # left empty
    dialog.tabs.setCurrentIndex(0)
    ok = dialog.ok_button()
    assert ok is not None
    ok.click()
    assert dialog.isVisible()
    assert dialog.error_label.text().startswith("Addressee 2")
    assert dialog.tabs.currentIndex() == 1
    assert dialog.addressee_list.currentRow() == 1
    assert list_urgent_actions(db) == []
    dialog.remove_button.click()
    ok.click()
    qtbot.waitUntil(lambda: page.current_dialog() is None)
    (row,) = list_urgent_actions(db)
    assert row.officials == 1


def test_editing_keeps_the_addressees_and_their_order(
    qtbot: QtBot, page: UrgentActionsPage, db: Database
) -> None:
    ua_id = make_case(db, officials=2, copies=0)
    page.reload()
    page.select_case(ua_id)
    page.edit_button.click()
    dialog = page.current_dialog()
    assert isinstance(dialog, UrgentActionDialog)
    before = [a.id for a in get_urgent_action(db, ua_id).data.addressees]
    dialog.addressee_list.setCurrentRow(1)
    dialog.up_button.click()
    ok = dialog.ok_button()
    assert ok is not None
    ok.click()
    qtbot.waitUntil(lambda: page.current_dialog() is None)
    after = [a.id for a in get_urgent_action(db, ua_id).data.addressees]
    assert after == list(reversed(before))


# --- letters ----------------------------------------------------------------------------------


def test_letters_for_two_writers_at_an_event_preview_as_four_pages_and_are_recorded(
    qtbot: QtBot, page: UrgentActionsPage, db: Database, add_person: AddPerson
) -> None:
    ua_id = make_case(db, officials=2, copies=1)
    night = events.create_event(
        db, events.EventInput(title="Letter-writing night", starts_at=utcnow())
    ).id
    amara = writer(add_person, "Amara", "Okafor")
    bruno = writer(add_person, "Bruno", "Díaz")
    writer(add_person, "Chen", "Wei")  # on the roster, not at the event
    for person in (amara, bruno):
        sign_in(db, night, person)
    page.reload()
    page.select_case(ua_id)
    assert page.print_button.isEnabled()
    page.print_button.click()
    dialog = page.current_dialog()
    assert isinstance(dialog, PrintLettersDialog)
    assert dialog.windowTitle() == "Print letters: UA 12/26 Student leader detained"
    ok = dialog.ok_button()
    assert ok is not None and not ok.isEnabled()  # nobody writes yet
    dialog.choose_event(night)
    dialog.add_event_button.click()
    assert sorted(dialog.writer_ids()) == sorted([amara, bruno])
    assert "2 writer(s) × 2 official(s) = 4 letter(s)" in dialog.summary.text()
    assert dialog.envelope_combo.currentData() == EnvelopeStyle.NONE
    assert ok.isEnabled()
    ok.click()

    preview = wait_for_preview(qtbot, page)
    assert preview.windowTitle() == "Letters: UA 12/26 Student leader detained"
    assert preview.page_count() == 4
    assert len(preview.documents()) == 1
    texts = page_texts(preview.current_document().result.pdf)
    assert len(texts) == 4
    assert sum("Amara Okafor" in text for text in texts) == 2
    assert sum("Bruno Díaz" in text for text in texts) == 2
    assert sum("Dear Minister," in text for text in texts) == 2
    assert sum("Dear Official 2," in text for text in texts) == 2
    assert all("Ambassador 1" in text for text in texts)  # copies to, at the foot
    assert "4 letter(s)" in preview.note_label.text()
    assert writer_tallies(db, ua_id) == []  # nothing recorded before asked

    record = preview.findChild(type(preview.print_button), "recordLetters")
    assert record is not None and "Record 4 letters" in record.text()
    record.click()
    tallies = writer_tallies(db, ua_id)
    assert sorted((t.writer_id, t.letters) for t in tallies) == sorted([(amara, 2), (bruno, 2)])
    assert not record.isEnabled()  # recording twice would count twice
    (row,) = list_urgent_actions(db)
    assert row.letters_written == 4
    assert "Letters written: 4" in page.detail_text.text()
    assert "Amara Okafor: 2" in page.detail_text.text()
    preview.close()


# A completer's popup asks the window system to raise it and grab the keyboard; the
# offscreen platform cannot, and says so. Nothing else is let through.
@pytest.mark.qt_log_ignore(
    r"^This plugin does not support (raise\(\)|grabbing the keyboard|propagateSizeHints\(\))$"
)
def test_writers_picked_from_the_roster_and_labels_as_a_second_document(
    qtbot: QtBot, page: UrgentActionsPage, db: Database, add_person: AddPerson
) -> None:
    ua_id = make_case(db, officials=1, copies=1)
    ada = writer(add_person, "Ada", "Lovelace")
    page.reload()
    page.select_case(ua_id)
    page.print_letters()
    dialog = page.current_dialog()
    assert isinstance(dialog, PrintLettersDialog)
    # The roster completer: type part of a name, pick the match with the keyboard.
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.picker.line_edit.setFocus()
    qtbot.waitUntil(dialog.picker.line_edit.hasFocus)
    type_text(dialog.picker.line_edit, "Lovel")
    popup = dialog.picker.completer.popup()
    assert popup is not None
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.writer_ids() == [ada]
    assert dialog.writer_list.item(0).text() == "Ada Lovelace"
    dialog.envelope_combo.setCurrentIndex(dialog.envelope_combo.findData(EnvelopeStyle.LABELS))
    assert dialog.layout_combo.isEnabled()
    dialog.copies_check.setChecked(True)
    assert "and 1 copies" in dialog.summary.text()
    dialog.page_size_combo.setCurrentIndex(dialog.page_size_combo.findData(PageSize.A4))
    ok = dialog.ok_button()
    assert ok is not None
    ok.click()

    preview = wait_for_preview(qtbot, page)
    names = [document.name for document in preview.documents()]
    assert names == ["Letters", "Address labels"]
    assert preview.page_count() == 2  # the letter and its copy for the ambassador
    preview.choose_document(1)
    labels = page_texts(preview.current_document().result.pdf)
    assert preview.page_count() == len(labels) == 1
    assert "Official 1" in labels[0] and "Ambassador 1" in labels[0]
    record = preview.findChild(type(preview.print_button), "recordLetters")
    assert record is not None and "Record 1 letters" in record.text()
    preview.close()


def test_five_hundred_letters_run_in_the_background_and_a_cancel_leaves_nothing(
    qtbot: QtBot, page: UrgentActionsPage, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ua_id = make_case(db, officials=2, copies=0)
    writers = bulk_add_people(db, 250)
    options = LetterOptions(
        ua_id=ua_id,
        writer_ids=tuple(writers),
        event_id=None,
        envelopes=EnvelopeStyle.NONE,
        label_layout="5160",
        print_copies=False,
        page_size=PageSize.LETTER,
        letter_date=date(2026, 5, 16),
    )
    page.reload()

    # Cancelled after its first letter: no preview, nothing recorded, a message says so.
    # The work waits after that letter until the cancel is in, so that a busy machine
    # cannot let it finish before the GUI thread has seen its first step.
    from desktop_app.printing import ua_letters

    real_steps = ua_letters.letters_steps
    gate = threading.Event()

    def gated(batch: Any, page_size: PageSize) -> Generator[Any, None, Any]:
        steps = real_steps(batch, page_size)
        yield next(steps)
        gate.wait(30)
        return (yield from steps)

    monkeypatch.setattr(ua_letters, "letters_steps", gated)
    task = page.make_letters(options)
    progress: list[object] = []

    def cancel(step: object) -> None:
        progress.append(step)
        task.cancel()
        gate.set()

    task.progressed.connect(cancel)
    with qtbot.waitSignal(task.cancelled, timeout=60_000):
        pass
    qtbot.wait(50)
    assert 1 <= len(progress) <= 2
    assert page.preview is None
    assert writer_tallies(db, ua_id) == []
    assert "nothing was recorded" in page.message.text()
    monkeypatch.setattr(ua_letters, "letters_steps", real_steps)

    # Run to the end: all 500 letters, one page each, in the preview.
    task = page.make_letters(options)
    steps: list[object] = []
    task.progressed.connect(steps.append)
    with qtbot.waitSignal(task.succeeded, timeout=120_000):
        pass
    preview = wait_for_preview(qtbot, page)
    assert preview.page_count() == 500
    assert len(steps) == 500
    assert "500 letter(s)" in preview.note_label.text()
    preview.close()


# --- the list ---------------------------------------------------------------------------------


def test_closing_a_case_hides_it_until_closed_cases_are_shown(
    qtbot: QtBot, page: UrgentActionsPage, db: Database
) -> None:
    ua_id = make_case(db, title="Old case")
    other = make_case(db, title="New case", number="27.22")
    page.reload()
    page.select_case(ua_id)
    page.close_button.click()
    assert get_urgent_action(db, ua_id).data.status == UrgentActionStatus.CLOSED
    assert "letters stay counted" in page.message.text()
    # The closed case is still shown (and selected), with Reopen, because closed ones are.
    assert page.closed_check.isChecked()
    assert page.reopen_button.isVisibleTo(page)
    page.closed_check.setChecked(False)
    assert [row.id for row in page.model.rows()] == [other]
    page.closed_check.setChecked(True)
    page.select_case(ua_id)
    page.reopen_button.click()
    assert get_urgent_action(db, ua_id).data.status == UrgentActionStatus.OPEN


def test_the_table_model_says_deadlines_in_words(qtbot: QtBot, db: Database) -> None:
    make_case(db, title="Late", deadline=date.today() - timedelta(days=2))
    make_case(db, title="Soon", number="1.26", deadline=date.today() + timedelta(days=3))
    model = UrgentActionsTableModel()
    QAbstractItemModelTester(
        model, QAbstractItemModelTester.FailureReportingMode.Fatal
    )  # checks every change from here on
    model.set_rows(list_urgent_actions(db))
    assert model.rowCount() == 2
    texts = {
        model.index(row, UrgentActionsTableModel.TITLE).data(): model.index(
            row, UrgentActionsTableModel.DEADLINE
        ).data()
        for row in range(2)
    }
    assert texts["Late"].endswith("(passed)")
    assert texts["Soon"].endswith("(in 3 days)")
    late_row = model.row_where(lambda row: row.title == "Late")
    font = model.index(late_row, UrgentActionsTableModel.DEADLINE).data(Qt.ItemDataRole.FontRole)
    assert font is not None and font.bold()
    assert model.index(late_row, UrgentActionsTableModel.OFFICIALS).data() == "2"
    assert isinstance(model, QAbstractItemModel)


def test_the_page_is_one_of_the_windows_pages() -> None:
    from desktop_app.views.pages import page_classes

    assert UrgentActionsPage in page_classes()
