"""The person dialog: problems in words as you type, duplicates, pickers, roles, consent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QInputDialog, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.db import Database
from desktop_app.services import roster
from desktop_app.services.roster import PersonInput, RoleTerm
from desktop_app.views.person_dialog import PersonDialog
from desktop_app.views.roster_page import RosterPage
from tests.gui.roster_fixtures import add_person, popup_noise, roster_page, undo_stack, us_english

__all__ = ["add_person", "roster_page", "undo_stack", "us_english"]  # fixtures, by name

pytestmark = pytest.mark.usefixtures("us_english")

AddPerson = Callable[..., int]


def focus(qtbot: QtBot, dialog: PersonDialog, widget: QWidget) -> None:
    """Keyboard focus as a user clicking in the field has it (completers need it)."""
    dialog.activateWindow()
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


def opened(qtbot: QtBot, page: RosterPage, person_id: int | None = None) -> PersonDialog:
    page.open_person(person_id)
    dialog = page.current_dialog()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def save(qtbot: QtBot, dialog: PersonDialog) -> None:
    ok = dialog.ok_button()
    assert ok is not None
    assert ok.isEnabled()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def only_person(db: Database) -> int:
    (person_id,) = roster.search_person_ids(db)
    return person_id


def role_id(db: Database, name: str) -> int:
    return next(role.id for role in roster.list_role_types(db) if role.name == name)


def test_a_bad_email_is_explained_and_still_saved_flagged_for_review(
    roster_page: RosterPage, qtbot: QtBot, db: Database
) -> None:
    dialog = opened(qtbot, roster_page)
    qtbot.keyClicks(dialog.given_name, "Maria")
    qtbot.keyClicks(dialog.email, "maria.example.org")
    assert dialog.email_problem.isVisible()
    assert dialog.email_problem.text() == "An email address needs an @, like name@example.org."
    assert "flagged for review" in dialog.review_message.text()
    qtbot.keyClicks(dialog.phone, "12")
    assert "too few or too many digits" in dialog.phone_problem.text()
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: roster_page.current_dialog() is None)

    detail = roster.get_person(db, only_person(db))
    assert detail.data.email == "maria.example.org"  # kept exactly as written
    assert detail.data.phone == "12"
    assert detail.needs_review
    assert "@" in detail.review_reason
    assert roster_page.message.text().startswith("Saved Maria as written; flagged for review")


def test_fixing_the_email_clears_the_message(roster_page: RosterPage, qtbot: QtBot) -> None:
    dialog = opened(qtbot, roster_page)
    qtbot.keyClicks(dialog.email, "ana@")
    assert dialog.email_problem.isVisible()
    qtbot.keyClicks(dialog.email, "example.org")
    assert not dialog.email_problem.isVisible()
    assert not dialog.review_message.isVisible()
    dialog.reject()


def test_a_postal_code_is_checked_for_the_country_written(
    roster_page: RosterPage, qtbot: QtBot
) -> None:
    dialog = opened(qtbot, roster_page)
    qtbot.keyClicks(dialog.postal_code, "SW1A 1AA")
    assert "five digits" in dialog.postal_problem.text()  # the group's country: US
    qtbot.keyClicks(dialog.country, "gb")
    assert not dialog.postal_problem.isVisible()
    dialog.reject()


def test_without_a_name_email_or_phone_there_is_nothing_to_save(
    roster_page: RosterPage, qtbot: QtBot
) -> None:
    dialog = opened(qtbot, roster_page)
    ok = dialog.ok_button()
    assert ok is not None and not ok.isEnabled()
    assert dialog.incomplete_message.text() == (
        "Give at least a name, an email or a phone number to save."
    )
    qtbot.keyClicks(dialog.phone, "617 555 0143")
    assert ok.isEnabled() and not dialog.incomplete_message.isVisible()
    dialog.phone.clear()
    qtbot.keyClicks(dialog.family_name, "   ")
    assert not ok.isEnabled()  # spaces are not a name
    dialog.reject()


def test_same_email_in_other_case_warns_with_a_link_then_saves_anyway(
    roster_page: RosterPage, qtbot: QtBot, db: Database, add_person: AddPerson
) -> None:
    maria = add_person(given_name="<i>Maria</i>", family_name="Garcia", email="maria@example.org")
    roster_page.model.refresh()
    dialog = opened(qtbot, roster_page)
    qtbot.keyClicks(dialog.given_name, "Mary")
    qtbot.keyClicks(dialog.email, "MARIA@Example.org ")
    save(qtbot, dialog)
    assert dialog.duplicate_panel.isVisible()
    text = dialog.duplicate_label.text()
    assert f"<a href='person:{maria}'>&lt;i&gt;Maria&lt;/i&gt; Garcia</a>" in text
    assert "same email" in text
    assert roster_page.current_dialog() is dialog  # nothing saved yet
    assert roster.search_person_ids(db) == [maria]

    qtbot.mouseClick(dialog.go_back_button, Qt.MouseButton.LeftButton)
    assert not dialog.duplicate_panel.isVisible()
    save(qtbot, dialog)
    assert dialog.duplicate_panel.isVisible()  # asked again: nothing was decided
    qtbot.mouseClick(dialog.save_anyway_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: roster_page.current_dialog() is None)
    people = roster.fetch_rows(db, roster.search_person_ids(db))
    assert sorted(row.given_name for row in people) == ["<i>Maria</i>", "Mary"]


def test_the_duplicate_link_opens_that_person_instead(
    roster_page: RosterPage, qtbot: QtBot, db: Database, add_person: AddPerson
) -> None:
    ken = add_person(given_name="Ken", family_name="Sato", phone="617-555-0143")
    roster_page.model.refresh()
    dialog = opened(qtbot, roster_page)
    qtbot.keyClicks(dialog.given_name, "Kenji")
    qtbot.keyClicks(dialog.phone, "(617) 555 0143")
    save(qtbot, dialog)
    assert "same phone" in dialog.duplicate_label.text()
    with qtbot.waitSignal(dialog.openPersonRequested) as blocker:
        dialog.duplicate_label.linkActivated.emit(f"person:{ken}")
    assert blocker.args == [ken]
    qtbot.waitUntil(lambda: roster_page.current_dialog() not in (None, dialog))
    other = roster_page.current_dialog()
    assert other is not None and other.person_id() == ken
    assert other.given_name.text() == "Ken"
    other.reject()
    assert roster.search_person_ids(db) == [ken]  # the new one was not saved


def test_a_duplicate_in_the_trash_is_said_and_opened_there(
    roster_page: RosterPage, qtbot: QtBot, db: Database, add_person: AddPerson
) -> None:
    ken = add_person(given_name="Ken", email="ken@example.org")
    roster.remove_people(db, [ken])
    roster_page.model.refresh()
    dialog = opened(qtbot, roster_page)
    qtbot.keyClicks(dialog.email, "ken@example.org")
    save(qtbot, dialog)
    assert "in the trash" in dialog.duplicate_label.text()
    dialog.duplicate_label.linkActivated.emit(f"person:{ken}")
    qtbot.waitUntil(lambda: roster_page.current_dialog() not in (None, dialog))
    assert roster_page.trash_button.isChecked()
    assert roster_page.selected_person_ids() == [ken]
    other = roster_page.current_dialog()
    assert other is not None
    other.reject()


def test_editing_someone_does_not_warn_about_themselves(
    roster_page: RosterPage, qtbot: QtBot, db: Database, add_person: AddPerson
) -> None:
    ken = add_person(given_name="Ken", email="ken@example.org")
    roster_page.model.refresh()
    dialog = opened(qtbot, roster_page, ken)
    qtbot.keyClicks(dialog.family_name, "Sato")
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: roster_page.current_dialog() is None)
    assert roster.get_person(db, ken).data.family_name == "Sato"


@popup_noise
def test_invited_by_is_picked_by_typing_and_never_oneself(
    roster_page: RosterPage, qtbot: QtBot, db: Database, add_person: AddPerson
) -> None:
    kenji = add_person(given_name="Kenji", family_name="Sato", email="kenji@example.org")
    add_person(given_name="Maria", family_name="Garcia")
    roster_page.model.refresh()
    dialog = opened(qtbot, roster_page)
    qtbot.keyClicks(dialog.given_name, "Aoife")
    dialog.tabs.setCurrentIndex(1)
    picker = dialog.invited_by
    focus(qtbot, dialog, picker.line_edit)
    qtbot.keyClicks(picker.line_edit, "sato")
    popup = picker.completer.popup()
    assert popup is not None
    qtbot.waitUntil(popup.isVisible)
    assert popup.model().rowCount() == 1
    assert popup.model().index(0, 0).data() == "Kenji Sato — kenji@example.org"
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert picker.person_id() == kenji
    assert picker.line_edit.text() == "Kenji Sato — kenji@example.org"
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: roster_page.current_dialog() is None)
    aoife = next(i for i in roster.search_person_ids(db) if i != kenji)
    assert roster.get_person(db, aoife).data.invited_by_id == kenji
    assert roster.get_person(db, aoife).invited_by_name == "Kenji Sato"

    # Kenji's own dialog never offers Kenji.
    dialog = opened(qtbot, roster_page, kenji)
    qtbot.keyClicks(dialog.invited_by.line_edit, "sato")
    qtbot.wait(400)
    choices = dialog.invited_by.completer.model()
    assert choices is not None and choices.rowCount() == 0
    dialog.reject()


def test_editing_the_picked_name_forgets_the_choice(
    roster_page: RosterPage, qtbot: QtBot, add_person: AddPerson
) -> None:
    kenji = add_person(given_name="Kenji", family_name="Sato")
    dialog = opened(qtbot, roster_page)
    dialog.invited_by.set_person(kenji, "Kenji Sato")
    qtbot.keyClick(dialog.invited_by.line_edit, Qt.Key.Key_Backspace)
    assert dialog.invited_by.person_id() is None
    dialog.reject()


def test_role_terms_are_saved_with_their_dates(
    roster_page: RosterPage, qtbot: QtBot, db: Database
) -> None:
    dialog = opened(qtbot, roster_page)
    qtbot.keyClicks(dialog.given_name, "Ana")
    dialog.tabs.setCurrentIndex(2)
    qtbot.mouseClick(dialog.roles.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.roles.add_button, Qt.MouseButton.LeftButton)
    first, second = dialog.roles._rows
    first.combo.setCurrentIndex(first.combo.findData(role_id(db, "Treasurer")))
    first.start.edit.setDate(QDate(2025, 1, 1))
    second.combo.setCurrentIndex(second.combo.findData(role_id(db, "Secretary")))
    second.start.set_value(date(2024, 1, 1))
    second.end.set_value(date(2024, 12, 31))
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: roster_page.current_dialog() is None)

    terms = {t.role_name: t for t in roster.get_person(db, only_person(db)).data.roles}
    assert set(terms) == {"Treasurer", "Secretary"}
    assert (terms["Treasurer"].start_date, terms["Treasurer"].end_date) == (date(2025, 1, 1), None)
    assert terms["Secretary"].end_date == date(2024, 12, 31)

    # Removing a term in the dialog removes it from the person.
    dialog = opened(qtbot, roster_page, only_person(db))
    secretary = next(r for r in dialog.roles._rows if r.combo.currentText() == "Secretary")
    qtbot.mouseClick(secretary.remove, Qt.MouseButton.LeftButton)
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: roster_page.current_dialog() is None)
    names = [t.role_name for t in roster.get_person(db, only_person(db)).data.roles]
    assert names == ["Treasurer"]


def test_a_term_that_ends_before_it_starts_cannot_be_saved(
    roster_page: RosterPage, qtbot: QtBot
) -> None:
    dialog = opened(qtbot, roster_page)
    qtbot.keyClicks(dialog.given_name, "Ana")
    row = dialog.roles.add_row(RoleTerm(role_type_id=1, start_date=date(2025, 6, 1)))
    row.end.set_value(date(2025, 1, 1))
    ok = dialog.ok_button()
    assert ok is not None and not ok.isEnabled()
    assert "end date is before the start date" in dialog.roles.message.text()
    row.end.set_value(None)
    assert ok.isEnabled()
    dialog.reject()


def test_a_new_role_can_be_added_from_the_role_list(
    roster_page: RosterPage, qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: ("Social Media", True))
    dialog = opened(qtbot, roster_page)
    qtbot.keyClicks(dialog.given_name, "Ana")
    row = dialog.roles.add_row(RoleTerm(role_type_id=-1))
    new_index = row.combo.findData("new")
    assert row.combo.itemText(new_index) == "Add a role…"
    row.combo.setCurrentIndex(new_index)
    row.combo.activated.emit(new_index)  # what choosing it with mouse or keyboard sends
    assert row.combo.currentText() == "Social Media"
    assert "Social Media" in [role.name for role in roster.list_role_types(db)]
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: roster_page.current_dialog() is None)
    assert [t.role_name for t in roster.get_person(db, only_person(db)).data.roles] == [
        "Social Media"
    ]


def test_do_not_contact_turns_the_other_consents_off(
    roster_page: RosterPage, qtbot: QtBot, db: Database
) -> None:
    dialog = opened(qtbot, roster_page)
    qtbot.keyClicks(dialog.given_name, "Ana")
    dialog.email_ok.setChecked(True)
    dialog.mail_ok.setChecked(True)
    qtbot.mouseClick(dialog.do_not_contact, Qt.MouseButton.LeftButton)
    for box in (dialog.email_ok, dialog.phone_ok, dialog.mail_ok):
        assert not box.isChecked() and not box.isEnabled()
        assert "asked not to be contacted" in box.toolTip()
    assert "every export" in dialog.do_not_contact.toolTip()
    # Unticking gives back what was ticked before.
    qtbot.mouseClick(dialog.do_not_contact, Qt.MouseButton.LeftButton)
    assert dialog.email_ok.isChecked() and dialog.mail_ok.isChecked()
    assert dialog.email_ok.isEnabled()
    qtbot.mouseClick(dialog.do_not_contact, Qt.MouseButton.LeftButton)
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: roster_page.current_dialog() is None)
    data = roster.get_person(db, only_person(db)).data
    assert data.do_not_contact and not (data.email_ok or data.phone_ok or data.mail_ok)


def test_every_field_comes_back_as_saved(
    roster_page: RosterPage, qtbot: QtBot, db: Database, add_person: AddPerson
) -> None:
    person = add_person(
        given_name="Aoife",
        family_name="Ní Bhriain",
        preferred_name="Eefa",
        email="aoife@example.org",
        phone="617 555 0144",
        address_line1="1 Main St",
        city="Cambridge",
        region="MA",
        postal_code="02139",
        dues_paid_through=date(2026, 6, 30),
        school="MIT",
        graduation_year=2027,
        joined_on=date(2024, 9, 1),
        email_ok=True,
        tags=("letters", "film night"),
        notes="Speaks Irish",
    )
    dialog = opened(qtbot, roster_page, person)
    assert dialog.person_input() == PersonInput(
        **{
            **roster.get_person(db, person).data.__dict__,
            "roles": (),
        }
    )
    assert dialog.tags.text() == "film night, letters"
    dialog.reject()


@popup_noise
def test_tags_complete_after_the_last_comma(
    roster_page: RosterPage, qtbot: QtBot, add_person: AddPerson
) -> None:
    add_person(given_name="X", tags=("letters", "film night"))
    dialog = opened(qtbot, roster_page)
    dialog.tabs.setCurrentIndex(1)
    focus(qtbot, dialog, dialog.tags)
    qtbot.keyClicks(dialog.tags, "film night, let")
    completer = dialog.tags.completer()
    assert completer is not None
    assert completer.currentCompletion() == "film night, letters"
    popup = completer.popup()
    assert popup is not None
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.tags.text() == "film night, letters"
    dialog.reject()


def test_esc_closes_without_saving(roster_page: RosterPage, qtbot: QtBot, db: Database) -> None:
    dialog = opened(qtbot, roster_page)
    qtbot.keyClicks(dialog.given_name, "Ana")
    qtbot.keyClick(dialog.given_name, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: roster_page.current_dialog() is None)
    assert roster.search_person_ids(db) == []
