"""The sign-up kiosk: the form, Enter, the thank-you, idling, the PIN lock, and privacy."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from desktop_app.db import Database
from desktop_app.models import EventKind, GroupProfile
from desktop_app.services import events as events_service
from desktop_app.services.events import EventInput, create_event
from desktop_app.services.group import GroupProfileData, get_profile, save_profile
from desktop_app.services.roster import PersonInput, create_person
from desktop_app.services.signin import SaveFailed
from desktop_app.views import kiosk as kiosk_module
from desktop_app.views.kiosk import KioskPinDialog, KioskStartDialog, KioskWindow
from desktop_app.views.main_window import MainWindow
from tests.gui.shell_fixtures import TEST_PAGES, make_group_database
from tests.helpers.keys import type_text

# The offscreen platform cannot stack windows and says so; real platforms can.
# (A marker here replaces conftest's, so its message is named again.)
NO_RAISE_OFFSCREEN = pytest.mark.qt_log_ignore(
    r"^This plugin does not support raise\(\)$",
    r"^This plugin does not support propagateSizeHints\(\)$",
)

INTERESTS = ("Refugee rights", "Letter writing", "Death penalty", "Events & films")
CONSENT = "I agree that Riverside Group may contact me about its work."


@pytest.fixture
def kiosk_db(group_db: Database) -> Database:
    """The Riverside group (kiosk PIN 1234) with interests, a consent sentence, a fair."""
    profile = get_profile(group_db)
    assert profile is not None
    save_profile(
        group_db,
        GroupProfileData(
            name=profile.name,
            city=profile.city,
            country=profile.country,
            kiosk_consent_text=CONSENT,
            kiosk_interests=INTERESTS,
        ),
    )
    return group_db


@pytest.fixture
def fair_id(kiosk_db: Database) -> int:
    starts = datetime.now(UTC) + timedelta(hours=1)
    made = create_event(
        kiosk_db, EventInput(title="Street fair", starts_at=starts, kind=EventKind.TABLING)
    )
    return made.id


@pytest.fixture
def kiosk(qtbot: QtBot, kiosk_db: Database, fair_id: int) -> Iterator[KioskWindow]:
    window = KioskWindow.start(kiosk_db, fair_id, thank_you_ms=150)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    yield window
    _unlock(window)


def _unlock(window: KioskWindow) -> None:
    """Let the fixture's teardown close the window without a PIN."""
    window._unlocked = True
    window.close()


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    widget.setFocus()
    type_text(widget, text)


def fill(qtbot: QtBot, window: KioskWindow, **values: str) -> None:
    edits = {
        "given": window.given_edit,
        "family": window.family_edit,
        "email": window.email_edit,
        "phone": window.phone_edit,
        "postal": window.postal_edit,
        "how": window.how_heard_edit,
    }
    for key, text in values.items():
        type_into(qtbot, edits[key], text)


def signed_up(db: Database, event_id: int) -> list[events_service.AttendanceRow]:
    return events_service.attendance(db, event_id)


def all_visible_text(window: QWidget) -> str:
    """Every piece of text the window's widgets could show or say."""
    parts = [window.windowTitle()]
    for widget in [window, *window.findChildren(QWidget)]:
        parts += [widget.toolTip(), widget.accessibleName(), widget.statusTip()]
        if isinstance(widget, QLabel | QAbstractButton):
            parts.append(widget.text())
        if isinstance(widget, QLineEdit):
            parts += [widget.text(), widget.placeholderText()]
    return "\n".join(parts)


# --- the form -----------------------------------------------------------------------------


def test_the_form_has_its_fields_interests_and_consent(kiosk: KioskWindow) -> None:
    names = [widget.objectName() for widget in kiosk.fields()]
    assert names == [
        "kioskGivenName",
        "kioskFamilyName",
        "kioskEmail",
        "kioskPhone",
        "kioskPostalCode",
        "kioskInterest0",
        "kioskInterest1",
        "kioskInterest2",
        "kioskInterest3",
        "kioskHowHeard",
        "kioskConsent",
    ]
    boxes = [box.text().replace("&&", "&") for box in kiosk.interest_boxes]
    assert boxes == list(INTERESTS)
    assert kiosk.consent_label.text() == CONSENT
    assert kiosk.consent_label.textFormat() == Qt.TextFormat.PlainText
    assert kiosk.sign_up_button.text() == "Sign up"
    assert kiosk.given_edit.hasFocus()
    # Large type: well above a desktop's usual 9-11 points.
    assert kiosk.given_edit.font().pointSizeF() >= 18


def test_no_autocomplete_no_lists_no_prediction(kiosk: KioskWindow) -> None:
    edits = kiosk.findChildren(QLineEdit)
    assert len(edits) == 6
    for edit in edits:
        assert edit.completer() is None, edit.objectName()
        hints = edit.inputMethodHints()
        assert hints & Qt.InputMethodHint.ImhNoPredictiveText, edit.objectName()
        assert hints & Qt.InputMethodHint.ImhSensitiveData, edit.objectName()
        assert edit.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu
        assert 254 < edit.maxLength() < 32767  # generous, finite
    assert kiosk.email_edit.inputMethodHints() & Qt.InputMethodHint.ImhNoAutoUppercase
    assert not kiosk.findChildren(QAbstractItemView)
    assert not kiosk.findChildren(QComboBox)


def test_enter_moves_on_and_saves_on_the_last_field(
    qtbot: QtBot, kiosk: KioskWindow, kiosk_db: Database, fair_id: int
) -> None:
    steps = [
        (kiosk.given_edit, "Amara"),
        (kiosk.family_edit, "Okafor"),
        (kiosk.email_edit, "amara@example.org"),
        (kiosk.phone_edit, "617 555 0142"),
        (kiosk.postal_edit, "02139"),
    ]
    for edit, text in steps:
        assert edit.hasFocus()
        qtbot.keyClicks(edit, text)
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    for box in kiosk.interest_boxes:
        assert box.hasFocus()
        if box is kiosk.interest_boxes[1]:
            qtbot.keyClick(box, Qt.Key.Key_Space)
        qtbot.keyClick(box, Qt.Key.Key_Enter)  # the keypad's Enter works as well
    assert kiosk.how_heard_edit.hasFocus()
    qtbot.keyClicks(kiosk.how_heard_edit, "A friend")
    qtbot.keyClick(kiosk.how_heard_edit, Qt.Key.Key_Return)
    assert kiosk.consent_box.hasFocus()
    qtbot.keyClick(kiosk.consent_box, Qt.Key.Key_Space)
    assert signed_up(kiosk_db, fair_id) == []

    with qtbot.waitSignal(kiosk.thank_you_shown, timeout=3000):
        qtbot.keyClick(kiosk.consent_box, Qt.Key.Key_Return)

    [row] = signed_up(kiosk_db, fair_id)
    assert (row.given_name, row.family_name, row.email) == ("Amara", "Okafor", "amara@example.org")
    assert row.phone == "+16175550142"
    assert row.interests == ("Letter writing",)
    assert row.how_heard == "A friend"
    assert row.consent_given is True


def test_thank_you_only_after_the_save_returned_then_an_empty_form(
    qtbot: QtBot, kiosk: KioskWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_save = kiosk_module.save_kiosk_signup
    seen_during_save: list[bool] = []

    def watched_save(*args: Any, **kwargs: Any) -> Any:
        seen_during_save.append(kiosk.showing_thanks())
        return real_save(*args, **kwargs)

    monkeypatch.setattr(kiosk_module, "save_kiosk_signup", watched_save)
    fill(qtbot, kiosk, given="Noor", family="Haddad", email="noor@example.org")

    with qtbot.waitSignal(kiosk.thank_you_shown, timeout=3000):
        qtbot.mouseClick(kiosk.sign_up_button, Qt.MouseButton.LeftButton)
    assert seen_during_save == [False]
    assert kiosk.showing_thanks()
    assert kiosk.thanks_label.isVisible()
    assert kiosk.is_empty()  # emptied at once, not when the thank-you goes

    with qtbot.waitSignal(kiosk.form_ready, timeout=3000):
        pass
    assert not kiosk.showing_thanks()
    assert kiosk.is_empty()
    assert kiosk.given_edit.hasFocus()


def test_the_thank_you_lasts_two_seconds_by_default() -> None:
    assert kiosk_module.THANK_YOU_MS == 2000
    assert kiosk_module.IDLE_CLEAR_MS == 60_000


def test_undo_and_paste_cannot_bring_the_last_person_back(qtbot: QtBot, kiosk: KioskWindow) -> None:
    fill(qtbot, kiosk, given="Léa", family="Dubois", email="lea@example.org")
    kiosk.email_edit.selectAll()
    qtbot.keySequence(kiosk.email_edit, QKeySequence("Ctrl+C"))
    with qtbot.waitSignal(kiosk.form_ready, timeout=3000):
        kiosk.submit()

    for edit in (kiosk.given_edit, kiosk.email_edit):
        edit.setFocus()
        qtbot.keySequence(edit, QKeySequence("Ctrl+Z"))
        assert edit.text() == ""
    assert QGuiApplication.clipboard().text() == ""
    kiosk.email_edit.setFocus()
    qtbot.keySequence(kiosk.email_edit, QKeySequence("Ctrl+V"))
    assert kiosk.email_edit.text() == ""


def test_an_idle_form_clears_itself(qtbot: QtBot, kiosk_db: Database, fair_id: int) -> None:
    window = KioskWindow.start(kiosk_db, fair_id, idle_ms=600)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    fill(qtbot, window, given="Half", email="half-typed@exa")
    window.interest_boxes[0].setChecked(True)

    # Typing keeps it: each key starts the minute (here 0.6 s) again.
    for _ in range(4):
        qtbot.wait(250)
        qtbot.keyClicks(window.email_edit, "m")
    assert window.email_edit.text() == "half-typed@exammmm"

    with qtbot.waitSignal(window.form_ready, timeout=3000):
        pass
    assert window.is_empty()
    _unlock(window)


def test_the_problem_goes_with_the_form_when_idle(
    qtbot: QtBot, kiosk_db: Database, fair_id: int
) -> None:
    window = KioskWindow.start(kiosk_db, fair_id, idle_ms=300)
    qtbot.addWidget(window)
    window.show()
    fill(qtbot, window, given="Ken")
    window.submit()  # no email or phone: refused
    assert window.problem_label.isVisible()
    with qtbot.waitSignal(window.form_ready, timeout=3000):
        pass
    assert not window.problem_label.isVisible()
    assert window.is_empty()
    _unlock(window)


# --- saving that fails ----------------------------------------------------------------------


def test_a_failed_save_says_so_and_keeps_what_was_typed(
    qtbot: QtBot, kiosk: KioskWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: Any) -> Any:
        raise SaveFailed("The sign-up was not saved: disk I/O error")

    monkeypatch.setattr(kiosk_module, "save_kiosk_signup", refuse)
    fill(qtbot, kiosk, given="Wei", family="Chen", email="wei@example.org")
    kiosk.interest_boxes[2].setChecked(True)
    with qtbot.assertNotEmitted(kiosk.thank_you_shown):
        qtbot.keyClick(kiosk.sign_up_button, Qt.Key.Key_Return)

    assert kiosk.problem_label.isVisible()
    assert "NOT saved" in kiosk.problem_label.text()
    assert "disk I/O error" in kiosk.problem_label.text()
    assert not kiosk.showing_thanks()
    assert (kiosk.given_edit.text(), kiosk.family_edit.text()) == ("Wei", "Chen")
    assert kiosk.email_edit.text() == "wei@example.org"
    assert kiosk.interest_boxes[2].isChecked()


def test_input_to_fix_gets_the_services_words_and_the_cursor(
    qtbot: QtBot, kiosk: KioskWindow, kiosk_db: Database, fair_id: int
) -> None:
    fill(qtbot, kiosk, given="Olga")
    kiosk.submit()
    assert kiosk.problem_label.text().startswith("Email or phone:")
    assert kiosk.email_edit.hasFocus()
    assert kiosk.given_edit.text() == "Olga"
    assert signed_up(kiosk_db, fair_id) == []

    type_into(qtbot, kiosk, "")
    type_into(qtbot, kiosk.phone_edit, "+1 617 555 0199")
    with qtbot.waitSignal(kiosk.thank_you_shown, timeout=3000):
        kiosk.submit()
    assert not kiosk.problem_label.isVisible()


@pytest.mark.parametrize(
    "given",
    [
        "<b>Bold</b> <script>alert(1)</script>",
        "Zoë 🙂🏳️‍🌈",
        "مريم",
        "שרה &amp; Co",
    ],
)
def test_markup_emoji_and_right_to_left_are_stored_as_typed(
    qtbot: QtBot, kiosk: KioskWindow, kiosk_db: Database, fair_id: int, given: str
) -> None:
    fill(qtbot, kiosk, given=given, email="typed@example.org")
    with qtbot.waitSignal(kiosk.thank_you_shown, timeout=3000):
        kiosk.submit()
    [row] = signed_up(kiosk_db, fair_id)
    assert row.given_name == given


def test_ten_thousand_characters_are_refused_with_a_message(
    qtbot: QtBot, kiosk: KioskWindow, kiosk_db: Database, fair_id: int
) -> None:
    kiosk.family_edit.insert("x" * 10_000)
    fill(qtbot, kiosk, given="Long", email="long@example.org")
    with qtbot.assertNotEmitted(kiosk.thank_you_shown):
        kiosk.submit()
    assert kiosk.problem_label.text() == "Family name: at most 200 characters, please."
    assert kiosk.family_edit.hasFocus()
    assert len(kiosk.family_edit.text()) == kiosk_module.FIELD_MAX_LENGTH
    assert signed_up(kiosk_db, fair_id) == []


# --- nothing from the roster -------------------------------------------------------------------


def test_a_returning_person_is_linked_and_nothing_of_theirs_is_shown(
    qtbot: QtBot, kiosk: KioskWindow, kiosk_db: Database, fair_id: int
) -> None:
    known = create_person(
        kiosk_db,
        PersonInput(
            given_name="Margarethe",
            family_name="Zwicky",
            email="mz@example.org",
            phone="+16175550777",
            postal_code="02144",
            notes="Prefers calls after six",
        ),
    ).person_id
    secrets = ("Margarethe", "Zwicky", "5550777", "02144", "after six", "welcome back")

    fill(qtbot, kiosk, given="M", email="MZ@example.org")
    with qtbot.waitSignal(kiosk.thank_you_shown, timeout=3000):
        kiosk.submit()
    during = all_visible_text(kiosk)
    with qtbot.waitSignal(kiosk.form_ready, timeout=3000):
        pass
    after = all_visible_text(kiosk)

    [row] = signed_up(kiosk_db, fair_id)
    assert row.person_id == known  # linked silently
    for text in (during, after):
        for secret in secrets:
            assert secret.lower() not in text.lower(), secret
    # The same thank-you as for anyone new.
    assert kiosk.thanks_label.text() == "Thank you!"


# --- the lock ---------------------------------------------------------------------------------


def test_escape_alt_f4_and_close_do_not_get_out(qtbot: QtBot, kiosk: KioskWindow) -> None:
    qtbot.keyClick(kiosk.given_edit, Qt.Key.Key_Escape)
    qtbot.keyClick(kiosk, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    assert kiosk.isVisible() and kiosk.pin_dialog is None

    assert kiosk.close() is False
    assert kiosk.isVisible()
    # A close asks for the PIN instead.
    qtbot.waitUntil(lambda: kiosk.pin_dialog is not None and kiosk.pin_dialog.isVisible())
    dialog = kiosk.pin_dialog
    assert dialog is not None
    dialog.reject()
    qtbot.waitUntil(lambda: kiosk.pin_dialog is None)
    assert kiosk.isVisible() and not kiosk.is_unlocked()


def _pin_dialog(qtbot: QtBot, kiosk: KioskWindow) -> KioskPinDialog:
    qtbot.mouseClick(kiosk.leave_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kiosk.pin_dialog is not None and kiosk.pin_dialog.isVisible())
    dialog = kiosk.pin_dialog
    assert dialog is not None
    return dialog


def test_a_wrong_pin_is_refused(
    qtbot: QtBot, kiosk: KioskWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    closed: list[Database] = []
    monkeypatch.setattr(kiosk_module, "close_kiosk", closed.append)
    dialog = _pin_dialog(qtbot, kiosk)
    qtbot.keyClicks(dialog.pin_edit, "9999")
    qtbot.keyClick(dialog.pin_edit, Qt.Key.Key_Return)

    assert dialog.isVisible()
    assert dialog.error_label.text() == "That is not the kiosk PIN."
    assert dialog.pin_edit.text() == ""
    assert kiosk.isVisible() and not kiosk.is_unlocked()
    assert closed == []


def test_the_right_pin_leaves_and_closes_the_kiosk(
    qtbot: QtBot, kiosk: KioskWindow, kiosk_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_close = kiosk_module.close_kiosk
    closed: list[Database] = []

    def close_kiosk(db: Database) -> None:
        closed.append(db)
        real_close(db)

    monkeypatch.setattr(kiosk_module, "close_kiosk", close_kiosk)
    fill(qtbot, kiosk, given="Half typed")
    dialog = _pin_dialog(qtbot, kiosk)
    qtbot.keyClicks(dialog.pin_edit, "1234")
    with qtbot.waitSignal(kiosk.left, timeout=3000):
        qtbot.keyClick(dialog.pin_edit, Qt.Key.Key_Return)

    assert closed == [kiosk_db]
    assert kiosk.is_unlocked()
    qtbot.waitUntil(lambda: not kiosk.isVisible())
    assert kiosk.is_empty()


def test_idling_closes_an_open_pin_dialog(qtbot: QtBot, kiosk_db: Database, fair_id: int) -> None:
    window = KioskWindow.start(kiosk_db, fair_id, idle_ms=300)
    qtbot.addWidget(window)
    window.show()
    window.ask_for_pin()
    qtbot.waitUntil(lambda: window.pin_dialog is not None)
    qtbot.waitUntil(lambda: window.pin_dialog is None, timeout=3000)
    assert window.isVisible() and not window.is_unlocked()
    _unlock(window)


# --- from the main window ---------------------------------------------------------------------


@pytest.fixture
def main(qtbot: QtBot, kiosk_db: Database) -> Iterator[MainWindow]:
    window = MainWindow(kiosk_db, page_factories=TEST_PAGES)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    kiosk = window.kiosk_window
    if kiosk is not None:
        _unlock(kiosk)
    window.close()


def test_start_kiosk_is_in_the_people_menu_and_the_toolbar(main: MainWindow) -> None:
    assert main.action_start_kiosk in main.people_menu.actions()
    assert main.action_start_kiosk in main.toolbar.actions()
    assert main.action_start_kiosk.text() == "Start sign-up &kiosk..."


@NO_RAISE_OFFSCREEN
def test_kiosk_mode_hides_the_main_window_until_the_pin(
    qtbot: QtBot, main: MainWindow, kiosk_db: Database, fair_id: int
) -> None:
    kiosk = main.start_kiosk(fair_id)
    assert kiosk is not None
    qtbot.waitExposed(kiosk)
    assert kiosk.windowState() & Qt.WindowState.WindowFullScreen
    assert kiosk.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert not main.isVisible()
    assert main.kiosk_window is kiosk
    # Another start of Group Desk on this file must not bring the roster up.
    main.bring_to_front()
    assert not main.isVisible()

    dialog = _pin_dialog(qtbot, kiosk)
    qtbot.keyClicks(dialog.pin_edit, "1234")
    with qtbot.waitSignal(kiosk.left, timeout=3000):
        dialog.accept()
    assert main.isVisible()
    assert main.kiosk_window is None


@NO_RAISE_OFFSCREEN
def test_the_action_picks_the_tabling_event_and_starts(
    qtbot: QtBot, main: MainWindow, kiosk_db: Database, fair_id: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    meeting = create_event(
        kiosk_db,
        EventInput(title="Monthly meeting", starts_at=datetime.now(UTC) + timedelta(minutes=30)),
    ).id
    chosen: list[int | None] = []

    def pick(dialog: KioskStartDialog) -> int:
        # The meeting comes first, but the tabling event is the one chosen.
        ids = [dialog.event_combo.itemData(i) for i in range(dialog.event_combo.count())]
        assert ids == [meeting, fair_id, KioskStartDialog.NEW_EVENT]
        chosen.append(dialog.event_combo.currentData())
        dialog.accept()
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(KioskStartDialog, "exec", pick)
    main.action_start_kiosk.trigger()
    assert chosen == [fair_id]
    kiosk = main.kiosk_window
    assert kiosk is not None and kiosk.settings.event_id == fair_id
    assert not main.isVisible()


@NO_RAISE_OFFSCREEN
def test_with_no_event_a_tabling_event_is_made_now(
    qtbot: QtBot, main: MainWindow, kiosk_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    def pick(dialog: KioskStartDialog) -> int:
        assert dialog.event_combo.count() == 1
        assert dialog.title_edit.isVisibleTo(dialog)
        dialog.title_edit.setText("Farmers' market")
        dialog.accept()
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(KioskStartDialog, "exec", pick)
    main.action_start_kiosk.trigger()
    kiosk = main.kiosk_window
    assert kiosk is not None
    assert kiosk.settings.event_title == "Farmers' market"
    [event] = events_service.list_upcoming(kiosk_db, datetime.now(UTC))
    assert event.kind == EventKind.TABLING


def test_no_kiosk_without_a_pin_and_the_profile_is_offered(
    qtbot: QtBot, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = make_group_database(tmp_path / "no-pin.sqlite")
    # A group whose profile has no PIN yet (make_group_database sets one).
    with db.session() as session:
        session.execute(update(GroupProfile).values(kiosk_pin_hash=None))
    window = MainWindow(db, page_factories=TEST_PAGES)
    qtbot.addWidget(window)
    asked: list[str] = []

    def question(_parent: Any, _title: str, text: str, *_args: Any) -> Any:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    offered: list[bool] = []
    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(window, "edit_group_profile", lambda: offered.append(True) or False)
    monkeypatch.setattr(KioskStartDialog, "exec", lambda _self: pytest.fail("no PIN, no kiosk"))

    window.action_start_kiosk.trigger()

    assert len(asked) == 1 and "PIN" in asked[0]
    assert offered == [True]
    assert window.kiosk_window is None
    window.close()
    db.close()


def test_a_cancelled_event_cannot_take_a_kiosk(
    qtbot: QtBot, main: MainWindow, kiosk_db: Database, fair_id: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    events_service.cancel_event(kiosk_db, fair_id)
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: said.append(text))
    assert main.start_kiosk(fair_id) is None
    assert said and "cancelled" in said[0]
    assert main.isVisible()
    assert not [
        w for w in QApplication.topLevelWidgets() if isinstance(w, KioskWindow) and w.isVisible()
    ]


def test_interest_boxes_show_an_ampersand(kiosk: KioskWindow) -> None:
    box = kiosk.interest_boxes[3]
    assert isinstance(box, QCheckBox)
    assert box.text() == "Events && films"  # "&&" is how a button shows one "&"
