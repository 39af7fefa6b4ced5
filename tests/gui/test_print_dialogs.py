"""File > Print: each options dialog, the document it makes, and the preview it opens.

Documents are read back with pdfplumber from the bytes the preview holds: the names
on them, who is left out for consent, where the labels fall once a printer's offset
is applied, and that the offset is remembered for that printer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.db import Database
from desktop_app.models import PersonStatus, utcnow
from desktop_app.printing.data import MM, PageSize
from desktop_app.services import events
from desktop_app.services.group import GroupProfileData, save_profile
from desktop_app.services.roster import RosterFilter
from desktop_app.services.signin import sign_in
from desktop_app.services.urgent_actions import (
    AddresseeInput,
    UrgentActionInput,
    create_urgent_action,
)
from desktop_app.views.print_dialogs import (
    AgendaDialog,
    AttendanceDialog,
    ContactListDialog,
    FlyerDialog,
    LabelsDialog,
    PrintContext,
    PrintOptionsDialog,
    RosterView,
    SigninSheetDialog,
    context_from,
    open_print_dialog,
    save_offset,
    saved_offset,
)
from desktop_app.views.print_preview import PrintPreviewDialog
from tests.gui.roster_fixtures import add_person, undo_stack, us_english
from tests.helpers.pdf_pages import all_text, page_texts, page_words

__all__ = ["add_person", "undo_stack", "us_english"]  # fixtures

pytestmark = pytest.mark.usefixtures("us_english")

AddPerson = Callable[..., int]


@pytest.fixture
def parent(qtbot: QtBot, db: Database) -> QWidget:
    save_profile(
        db,
        GroupProfileData(
            name="Riverside Group", city="Riverside", country="US", contact_email="hi@example.org"
        ),
    )
    widget = QWidget()
    widget.resize(900, 700)
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture
def previews() -> Iterator[list[PrintPreviewDialog]]:
    shown: list[PrintPreviewDialog] = []
    yield shown
    for preview in shown:
        preview.close()


def opened(
    parent: QWidget, kind: str, context: PrintContext, previews: list[PrintPreviewDialog]
) -> PrintOptionsDialog:
    return open_print_dialog(parent, kind, context, on_preview=previews.append)


def preview_of(
    qtbot: QtBot, dialog: PrintOptionsDialog, previews: list[PrintPreviewDialog]
) -> PrintPreviewDialog:
    ok = dialog.ok_button()
    assert ok is not None and ok.isEnabled()
    assert ok.text() == "&Preview"
    ok.click()
    qtbot.waitUntil(lambda: bool(previews), timeout=30_000)
    preview = previews[-1]
    qtbot.waitUntil(preview.isVisible)
    return preview


def problem_of(qtbot: QtBot, dialog: PrintOptionsDialog, parent: QWidget) -> str:
    """Click Preview and wait for the message saying why nothing was made; its text."""
    ok = dialog.ok_button()
    assert ok is not None
    ok.click()
    qtbot.waitUntil(lambda: parent.findChild(QMessageBox, "printProblem") is not None)
    box = parent.findChild(QMessageBox, "printProblem")
    assert box is not None
    text = box.text()
    box.close()
    return text


def addressed(add_person: AddPerson, given: str, family: str, **values: object) -> int:
    fields: dict[str, object] = {
        "given_name": given,
        "family_name": family,
        "address_line1": "12 Elm Street",
        "city": "Riverside",
        "region": "CA",
        "postal_code": "92501",
        "mail_ok": True,
    }
    fields.update(values)
    return add_person(**fields)


def event(db: Database, title: str, days: float, **values: object) -> int:
    data = events.EventInput(title=title, starts_at=utcnow() + timedelta(days=days), **values)  # type: ignore[arg-type]
    return events.create_event(db, data).id


# --- mailing labels -------------------------------------------------------------------------


def test_the_label_offset_is_saved_for_the_printer_and_moves_every_label(
    qtbot: QtBot, parent: QWidget, db: Database, add_person: AddPerson, previews: list
) -> None:
    addressed(add_person, "Ana", "Ruiz")
    addressed(add_person, "Luis", "Ruiz")  # same address: one household
    addressed(add_person, "Bo", "Chen", address_line1="3 Oak Road", postal_code="92502")
    addressed(add_person, "Cy", "Novak", mail_ok=False)  # did not agree to post
    dialog = opened(parent, "labels", PrintContext(db), previews)
    assert isinstance(dialog, LabelsDialog)
    assert dialog.printer_name() == ""  # no printers here: the default one
    assert (dialog.offset_x.value(), dialog.offset_y.value()) == (0.0, 0.0)
    dialog.layout_combo.setCurrentIndex(dialog.layout_combo.findData("5160"))
    dialog.household_check.setChecked(True)
    dialog.offset_x.setValue(3.0)
    dialog.offset_y.setValue(-2.0)
    preview = preview_of(qtbot, dialog, previews)

    settings = QSettings()
    assert float(settings.value("printing/labelOffsets/default/x")) == 3.0
    assert float(settings.value("printing/labelOffsets/default/y")) == -2.0
    assert "2 labels for 3 people" in preview.note_label.text()
    assert "1 did not agree to post" in preview.note_label.text()
    pdf = preview.current_document().result.pdf
    text = all_text(pdf)
    assert "Ana & Luis Ruiz" in text and "Bo Chen" in text and "Novak" not in text

    # Every label moved 3 mm right and 2 mm up against the same labels printed straight.
    from desktop_app.printing.labels import render_labels
    from desktop_app.services.printing_data import mailing_labels

    straight = render_labels(mailing_labels(db, household=True).labels, "5160")
    moved_word = next(w for w in page_words(pdf) if w.text == "Ana")
    straight_word = next(w for w in page_words(straight.pdf) if w.text == "Ana")
    assert moved_word.x0 - straight_word.x0 == pytest.approx(3 * MM, abs=0.05)
    assert moved_word.top - straight_word.top == pytest.approx(-2 * MM, abs=0.05)

    # The next labels dialog starts from the offset this printer was given.
    again = LabelsDialog(PrintContext(db), parent)
    qtbot.addWidget(again)
    assert (again.offset_x.value(), again.offset_y.value()) == (3.0, -2.0)


def test_offsets_are_kept_per_printer_by_name() -> None:
    save_offset("Office/HP LaserJet\\2", 1.5, 0.5)
    save_offset("Kitchen inkjet", -4.0, 2.0)
    assert saved_offset("Office/HP LaserJet\\2") == (1.5, 0.5)
    assert saved_offset("Kitchen inkjet") == (-4.0, 2.0)
    assert saved_offset("A printer never used") == (0.0, 0.0)
    QSettings().setValue("printing/labelOffsets/Broken/x", "not a number")
    QSettings().setValue("printing/labelOffsets/Broken/y", 400)
    assert saved_offset("Broken") == (0.0, 25.0)  # unreadable: none; too far: the limit


def test_the_calibration_page_is_printed_with_the_offset_shown(
    qtbot: QtBot, parent: QWidget, db: Database, previews: list
) -> None:
    dialog = opened(parent, "labels", PrintContext(db), previews)
    assert isinstance(dialog, LabelsDialog)
    dialog.layout_combo.setCurrentIndex(dialog.layout_combo.findData("L7163"))
    dialog.offset_y.setValue(1.5)
    shown: list[PrintPreviewDialog] = []
    task = dialog.print_calibration()
    task.succeeded.connect(lambda _result: None)
    qtbot.waitUntil(lambda: dialog.findChild(PrintPreviewDialog) is not None, timeout=30_000)
    calibration = dialog.findChild(PrintPreviewDialog)
    assert calibration is not None
    shown.append(calibration)
    assert calibration.page_count() == 1
    assert "+1.5 mm down" in calibration.note_label.text()
    assert "L7163" in all_text(calibration.current_document().result.pdf)
    assert dialog.isVisible()  # back to the labels dialog after checking
    assert saved_offset("") == (0.0, 1.5)
    calibration.close()
    dialog.reject()


def test_nobody_to_label_is_said_in_words(
    qtbot: QtBot, parent: QWidget, db: Database, add_person: AddPerson, previews: list
) -> None:
    addressed(add_person, "Cy", "Novak", mail_ok=False)
    dialog = opened(parent, "labels", PrintContext(db), previews)
    assert "no addresses to print" in problem_of(qtbot, dialog, parent)
    assert previews == []


# --- sign-in sheets and flyers ----------------------------------------------------------------


@pytest.fixture
def meetings(db: Database, add_person: AddPerson) -> dict[str, int]:
    """Three past monthly meetings (Ana and Bo came twice, Cy once) and the next one."""
    ids = {
        "ana": add_person(given_name="Ana", family_name="Ruiz", email="ana@example.org"),
        "bo": add_person(given_name="Bo", family_name="Chen"),
        "cy": add_person(given_name="Cy", family_name="Novak", status=PersonStatus.MEMBER),
    }
    past = [event(db, f"Monthly meeting {n}", days=-30 * n) for n in (1, 2, 3)]
    for person, attended in (("ana", past[:2]), ("bo", past[1:]), ("cy", past[:1])):
        for event_id in attended:
            sign_in(db, event_id, ids[person])
    ids["next"] = event(db, "Monthly meeting", days=5, place="Friends Meeting House")
    ids["last"] = past[0]
    return ids


def test_a_sign_in_sheet_with_the_regulars_and_blank_rows(
    qtbot: QtBot, parent: QWidget, db: Database, meetings: dict[str, int], previews: list
) -> None:
    dialog = opened(parent, "signin_sheet", PrintContext(db), previews)
    assert isinstance(dialog, SigninSheetDialog)
    assert dialog.event_combo.event_id() == meetings["next"]  # the next event, by default
    assert "(2 people)" in dialog.regulars_radio.text()
    dialog.blank_spin.setValue(5)
    preview = preview_of(qtbot, dialog, previews)
    text = all_text(preview.current_document().result.pdf)
    assert "Ana Ruiz" in text and "Bo Chen" in text and "Cy Novak" not in text
    assert "Friends Meeting House" in text
    assert "ana@example.org" not in text  # details only when asked for
    assert preview.note_label.text() == "2 people listed, 5 blank rows"
    assert preview.current_document().file_name.startswith("sign-in-sheet-monthly-meeting-")


def test_a_sign_in_sheet_from_a_roster_filter_or_with_nobody(
    qtbot: QtBot, parent: QWidget, db: Database, meetings: dict[str, int], previews: list
) -> None:
    dialog = opened(parent, "signin_sheet", PrintContext(db), previews)
    assert isinstance(dialog, SigninSheetDialog)
    dialog.nobody_radio.setChecked(True)
    dialog.blank_spin.setValue(0)
    ok = dialog.ok_button()
    assert ok is not None
    ok.click()
    assert dialog.isVisible()
    assert "blank rows" in dialog.error_label.text()

    dialog.roster_radio.setChecked(True)
    assert dialog.people.isEnabled()
    dialog.people.status_combo.setCurrentIndex(
        dialog.people.status_combo.findData(PersonStatus.MEMBER)
    )
    assert dialog.people.chosen.isChecked()
    assert dialog.people.count_label.text() == "1 people"
    dialog.details_check.setChecked(True)
    preview = preview_of(qtbot, dialog, previews)
    text = all_text(preview.current_document().result.pdf)
    assert "Cy Novak" in text and "Ana Ruiz" not in text


def test_a_flyer_with_its_qr_code_and_strips(
    qtbot: QtBot, parent: QWidget, db: Database, previews: list
) -> None:
    vigil = event(db, "Vigil for Nia", days=3, place="Town square", description="Candles provided.")
    dialog = opened(parent, "flyer", PrintContext(db, vigil), previews)
    assert isinstance(dialog, FlyerDialog)
    assert dialog.event_combo.event_id() == vigil
    assert dialog.description_edit.toPlainText() == "Candles provided."
    assert dialog.qr_edit.text() == "hi@example.org"  # the group's contact
    dialog.qr_edit.setText("https://example.org/vigil")
    dialog.strips_spin.setValue(4)
    dialog.page_size_combo.setCurrentIndex(dialog.page_size_combo.findData(PageSize.A4))
    preview = preview_of(qtbot, dialog, previews)
    assert preview.page_count() == 1
    text = all_text(preview.current_document().result.pdf)
    assert "Vigil for Nia" in text and "Town square" in text and "Candles provided." in text
    from desktop_app.printing.data import PageSize as Size

    width, height = Size.A4.points
    assert preview.pdf_document().pagePointSize(0).toSize().width() == round(width)
    assert round(height) == preview.pdf_document().pagePointSize(0).toSize().height()


def test_a_flyer_that_cannot_be_made_says_why(
    qtbot: QtBot, parent: QWidget, db: Database, previews: list
) -> None:
    vigil = event(db, "Vigil", days=3)
    dialog = opened(parent, "flyer", PrintContext(db, vigil), previews)
    assert isinstance(dialog, FlyerDialog)
    dialog.qr_edit.setText("ftp://example.org")
    assert "QR code" in problem_of(qtbot, dialog, parent)
    assert previews == []


# --- lists ------------------------------------------------------------------------------------


def test_a_phone_list_of_the_roster_as_filtered_with_consent_applied(
    qtbot: QtBot, parent: QWidget, db: Database, add_person: AddPerson, previews: list
) -> None:
    add_person(
        given_name="Ana",
        family_name="Ruiz",
        phone="+16175550101",
        phone_ok=True,
        status=PersonStatus.MEMBER,
    )
    add_person(
        given_name="Bo",
        family_name="Chen",
        phone="+16175550102",
        phone_ok=False,
        status=PersonStatus.MEMBER,
    )
    add_person(given_name="Cy", family_name="Novak", status=PersonStatus.PROSPECT)
    roster = RosterView(RosterFilter(statuses=frozenset({PersonStatus.MEMBER})))
    dialog = opened(parent, "contact_list", PrintContext(db, roster=roster), previews)
    assert isinstance(dialog, ContactListDialog)
    assert dialog.people.as_shown.isChecked()
    assert "(2 people)" in dialog.people.as_shown.text()
    preview = preview_of(qtbot, dialog, previews)
    text = all_text(preview.current_document().result.pdf)
    assert "Ana Ruiz" in text and "Bo Chen" in text and "Cy Novak" not in text
    assert "555-0101" in text and "555-0102" not in text
    assert "as filtered on the roster" in text
    assert preview.note_label.text() == "2 people"


def test_attendance_of_the_last_event_and_the_agenda_with_open_actions(
    qtbot: QtBot, parent: QWidget, db: Database, meetings: dict[str, int], previews: list
) -> None:
    dialog = opened(parent, "attendance", PrintContext(db), previews)
    assert isinstance(dialog, AttendanceDialog)
    assert dialog.event_combo.event_id() == meetings["last"]  # the latest past event
    preview = preview_of(qtbot, dialog, previews)
    text = all_text(preview.current_document().result.pdf)
    assert "Ana Ruiz" in text and "Cy Novak" in text and "Bo Chen" not in text

    create_urgent_action(
        db,
        UrgentActionInput(
            title="Student leader detained",
            number="UA 12/26",
            deadline=date.today() + timedelta(days=9),
            addressees=(AddresseeInput(name="Minister"),),
        ),
    )
    previews.clear()
    agenda = opened(parent, "agenda", PrintContext(db), previews)
    assert isinstance(agenda, AgendaDialog)
    assert agenda.event_combo.event_id() == meetings["next"]  # the next meeting
    preview = preview_of(qtbot, agenda, previews)
    pages = page_texts(preview.current_document().result.pdf)
    assert "Student leader detained" in "\n".join(pages)
    assert "Monthly meeting" in pages[0]
    assert "1 open urgent actions listed" in preview.note_label.text()


# --- where the dialogs are opened from --------------------------------------------------------


def test_the_window_has_a_print_menu_that_opens_each_dialog(
    qtbot: QtBot, window: object, previews: list
) -> None:
    from desktop_app.views.main_window import MainWindow

    assert isinstance(window, MainWindow)
    menu = window.print_menu
    assert menu.objectName() == "menuPrint"
    assert menu.menuAction() in window.file_menu.actions()
    assert [action.objectName() for action in menu.actions()] == [
        "actionPrintFlyer",
        "actionPrintSigninSheet",
        "actionPrintLabels",
        "actionPrintContactList",
        "actionPrintAttendance",
        "actionPrintAgenda",
    ]
    for kind, dialog_class in (
        ("flyer", FlyerDialog),
        ("signin_sheet", SigninSheetDialog),
        ("labels", LabelsDialog),
        ("contact_list", ContactListDialog),
        ("attendance", AttendanceDialog),
        ("agenda", AgendaDialog),
    ):
        window.print_actions[kind].trigger()
        dialog = window.findChild(dialog_class)
        assert dialog is not None, kind
        qtbot.waitExposed(dialog)
        dialog.reject()
        qtbot.waitUntil(lambda cls=dialog_class: window.findChild(cls) is None)


def test_the_pages_tell_the_dialogs_the_event_and_the_roster_filter(
    qtbot: QtBot, db: Database, undo_stack: QUndoStack, meetings: dict[str, int]
) -> None:
    from desktop_app.views.events_page import PAST, EventsPage
    from desktop_app.views.roster_page import RosterPage

    save_profile(db, GroupProfileData(name="Riverside Group", country="US"))
    host = QWidget()
    qtbot.addWidget(host)
    events_page = EventsPage(db, undo_stack, host)
    roster_page = RosterPage(db, undo_stack, host)
    host.show()
    events_page.reload()
    events_page.tabs.setCurrentIndex(PAST)
    events_page.select_event(meetings["last"])
    roster_page.status_filter.setCurrentIndex(
        roster_page.status_filter.findData(PersonStatus.MEMBER)
    )
    context = context_from(db, [events_page, roster_page])
    assert context.event_id == meetings["last"]
    assert context.roster is not None
    assert context.roster.flt.statuses == frozenset({PersonStatus.MEMBER})

    # The Events page's own buttons open the sheet and flyer for the selected event.
    assert events_page.print_sheet_button.isEnabled()
    events_page.print_sheet_button.click()
    sheet = host.findChild(SigninSheetDialog)
    assert sheet is not None
    assert sheet.event_combo.event_id() == meetings["last"]
    sheet.reject()
    events_page.print_flyer_button.click()
    flyer = host.findChild(FlyerDialog)
    assert flyer is not None and flyer.event_combo.event_id() == meetings["last"]
    flyer.reject()
