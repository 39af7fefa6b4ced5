"""The group profile dialog: typing, saving, and problems explained next to the field."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from pytestqt.qtbot import QtBot

from desktop_app.db import Database, create_database
from desktop_app.models import GroupKind
from desktop_app.services.group import (
    GroupProfileData,
    check_kiosk_pin,
    get_profile,
    save_profile,
)
from desktop_app.views.base_dialog import BaseDialog
from desktop_app.views.group_profile_dialog import GroupProfileDialog


@pytest.fixture
def dialog(qtbot: QtBot, db: Database) -> Iterator[GroupProfileDialog]:
    editor = GroupProfileDialog(db)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    yield editor
    editor.close()


def click_ok(qtbot: QtBot, dialog: GroupProfileDialog) -> None:
    ok = dialog.ok_button()
    assert ok is not None
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def test_ok_is_disabled_until_the_group_has_a_name(
    qtbot: QtBot, dialog: GroupProfileDialog
) -> None:
    ok = dialog.ok_button()
    assert ok is not None
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.name_edit, "   ")
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.name_edit, "Riverside")
    assert ok.isEnabled()


def test_filled_dialog_saves_the_profile(
    qtbot: QtBot, dialog: GroupProfileDialog, db: Database
) -> None:
    qtbot.keyClicks(dialog.name_edit, "Riverside Human Rights Group")
    qtbot.keyClicks(dialog.number_edit, "1234")
    qtbot.mouseClick(dialog.student_radio, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.city_edit, "Riverside")
    qtbot.keyClicks(dialog.region_edit, "California")
    dialog.country_combo.setCurrentIndex(dialog.country_combo.findData("GB"))
    qtbot.keyClicks(dialog.meeting_edit, "Public library, room 2")
    qtbot.keyClicks(dialog.email_edit, "riverside@example.org")
    qtbot.keyClicks(dialog.pin_edit, "2468")
    qtbot.keyClicks(dialog.pin_confirm_edit, "2468")
    dialog.consent_edit.clear()
    qtbot.keyClicks(dialog.consent_edit, "You may contact me.")
    dialog.interests_edit.setFocus()
    for interest in ("Letter writing", "Refugee rights"):
        qtbot.keyClicks(dialog.interests_edit, interest)
        qtbot.keyClick(dialog.interests_edit, Qt.Key.Key_Return)
    with qtbot.waitSignal(dialog.accepted):
        click_ok(qtbot, dialog)
    assert not dialog.isVisible()

    profile = get_profile(db)
    assert profile is not None
    assert profile.name == "Riverside Human Rights Group"
    assert profile.number == "1234"
    assert profile.kind == GroupKind.STUDENT
    assert (profile.city, profile.region, profile.country) == ("Riverside", "California", "GB")
    assert profile.meeting_place == "Public library, room 2"
    assert profile.contact_email == "riverside@example.org"
    assert profile.kiosk_consent_text == "You may contact me."
    assert profile.kiosk_interests == ("Letter writing", "Refugee rights")
    assert check_kiosk_pin(db, "2468")


def test_typed_country_code_is_accepted(
    qtbot: QtBot, dialog: GroupProfileDialog, db: Database
) -> None:
    qtbot.keyClicks(dialog.name_edit, "Grupo Madrid")
    dialog.country_combo.lineEdit().clear()
    qtbot.keyClicks(dialog.country_combo.lineEdit(), "es")
    click_ok(qtbot, dialog)
    profile = get_profile(db)
    assert profile is not None and profile.country == "ES"


def test_bad_country_is_explained_next_to_the_field(
    qtbot: QtBot, dialog: GroupProfileDialog, db: Database
) -> None:
    qtbot.keyClicks(dialog.name_edit, "Riverside")
    dialog.country_combo.lineEdit().clear()
    qtbot.keyClicks(dialog.country_combo.lineEdit(), "Germany")
    click_ok(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.country_error.isVisible()
    assert "two-letter country code" in dialog.country_error.text()
    assert dialog.country_combo.hasFocus() or dialog.country_combo.lineEdit().hasFocus()
    assert get_profile(db) is None

    dialog.country_combo.lineEdit().clear()
    qtbot.keyClicks(dialog.country_combo.lineEdit(), "DE")
    click_ok(qtbot, dialog)
    assert not dialog.isVisible()
    profile = get_profile(db)
    assert profile is not None and profile.country == "DE"


def test_pin_mismatch_is_explained(qtbot: QtBot, dialog: GroupProfileDialog, db: Database) -> None:
    qtbot.keyClicks(dialog.name_edit, "Riverside")
    qtbot.keyClicks(dialog.pin_edit, "1234")
    qtbot.keyClicks(dialog.pin_confirm_edit, "1243")
    click_ok(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.pin_confirm_error.isVisible()
    assert "not the same" in dialog.pin_confirm_error.text()
    assert get_profile(db) is None


def test_short_pin_is_explained(qtbot: QtBot, dialog: GroupProfileDialog, db: Database) -> None:
    qtbot.keyClicks(dialog.name_edit, "Riverside")
    qtbot.keyClicks(dialog.pin_edit, "12")
    qtbot.keyClicks(dialog.pin_confirm_edit, "12")
    click_ok(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.pin_error.isVisible()
    assert "4 to 12 digits" in dialog.pin_error.text()
    assert get_profile(db) is None


def test_pin_fields_take_digits_only(qtbot: QtBot, dialog: GroupProfileDialog) -> None:
    qtbot.keyClicks(dialog.pin_edit, "12ab34")
    assert dialog.pin_edit.text() == "1234"
    assert dialog.pin_edit.echoMode() == dialog.pin_edit.EchoMode.Password


def test_bad_email_is_explained(qtbot: QtBot, dialog: GroupProfileDialog, db: Database) -> None:
    qtbot.keyClicks(dialog.name_edit, "Riverside")
    qtbot.keyClicks(dialog.email_edit, "riverside.example.org")
    click_ok(qtbot, dialog)
    assert dialog.isVisible()
    assert "@" in dialog.email_error.text()
    assert get_profile(db) is None


def test_existing_profile_is_shown_and_its_pin_kept(qtbot: QtBot, db: Database) -> None:
    save_profile(
        db,
        GroupProfileData(name="Riverside", city="Riverside", country="IE", kiosk_interests=("A",)),
        kiosk_pin="9876",
    )
    editor = GroupProfileDialog(db)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.name_edit.text() == "Riverside"
    assert editor.country_code() == "IE"
    assert editor.interests_edit.toPlainText() == "A"
    assert "unchanged" in editor.pin_edit.placeholderText()
    editor.city_edit.clear()
    qtbot.keyClicks(editor.city_edit, "Cork")
    click_ok(qtbot, editor)
    profile = get_profile(db)
    assert profile is not None and profile.city == "Cork"
    assert check_kiosk_pin(db, "9876")


def test_escape_cancels_without_saving(
    qtbot: QtBot, dialog: GroupProfileDialog, db: Database
) -> None:
    qtbot.keyClicks(dialog.name_edit, "Riverside")
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert get_profile(db) is None


def test_first_run_mode_offers_the_demo(qtbot: QtBot, tmp_path: Path) -> None:
    made: list[Database] = []

    def make() -> Database:
        made.append(create_database(str(tmp_path / "new.sqlite")))
        return made[-1]

    editor = GroupProfileDialog(None, first_run=True, create_database=make)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.demo_button.isEnabled()  # no name needed to look around
    with qtbot.waitSignal(editor.finished) as blocker:
        qtbot.mouseClick(editor.demo_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [GroupProfileDialog.DEMO]
    assert made == []  # looking around creates no group database


def test_dialog_geometry_is_remembered(qtbot: QtBot) -> None:
    class SizedDialog(BaseDialog):
        pass

    first = SizedDialog()
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    first.resize(455, 333)
    first.accept()

    second = SizedDialog()
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert second.size() == QSize(455, 333)


def test_ok_says_what_it_does_where_the_dialog_asks(qtbot: QtBot, db: Database) -> None:
    first_run = GroupProfileDialog(None, first_run=True, create_database=lambda: db)
    qtbot.addWidget(first_run)
    ordinary = GroupProfileDialog(db)
    qtbot.addWidget(ordinary)
    first_ok, ordinary_ok = first_run.ok_button(), ordinary.ok_button()
    assert first_ok is not None and ordinary_ok is not None
    assert first_ok.text() == "Create the &database"
    assert ordinary_ok.text() not in ("", "Create the &database")  # the platform's own OK
    assert not first_ok.isEnabled()  # it still follows is_complete(): no name yet
