"""The very first start: no database yet, the group profile dialog makes one (or a demo)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desktop_app import app as app_module
from desktop_app import config
from desktop_app.app import (
    demo_database_path,
    is_first_run,
    open_initial_database,
    run_first_run,
)
from desktop_app.db import Database, open_database
from desktop_app.services.group import GroupProfileData, check_kiosk_pin, get_profile, save_profile
from desktop_app.views.group_profile_dialog import GroupProfileDialog
from desktop_app.views.main_window import OpenOutcome, lock_path_for


def when_dialog_shows(qtbot: QtBot, act: Callable[[GroupProfileDialog], None]) -> list[str]:
    """Run act on the modal first-run dialog once it is up; problems are collected.

    A failure inside act rejects the dialog so the test ends instead of waiting forever.
    """
    problems: list[str] = []
    tries = [0]

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if not isinstance(widget, GroupProfileDialog):
            tries[0] += 1
            if tries[0] > 500:
                problems.append("the first-run dialog never showed")
                return
            QTimer.singleShot(10, poll)
            return
        try:
            act(widget)
        except Exception as exc:
            problems.append(repr(exc))
            widget.reject()

    QTimer.singleShot(0, poll)
    return problems


def close_outcome(outcome: OpenOutcome) -> None:
    if outcome.opened is not None:
        outcome.opened.db.close()
        if outcome.opened.lock is not None:
            outcome.opened.lock.release()


def test_first_run_is_detected_only_without_the_default_database() -> None:
    target = config.database_target(None)
    assert is_first_run(target)
    assert not is_first_run(str(config.data_dir() / "elsewhere.sqlite"))
    config.default_database_path().write_bytes(b"")
    assert not is_first_run(target)


def test_first_run_creates_the_group_database_with_its_profile(qtbot: QtBot) -> None:
    def fill(dialog: GroupProfileDialog) -> None:
        assert dialog.first_run
        qtbot.keyClicks(dialog.name_edit, "Riverside Human Rights Group")
        qtbot.keyClicks(dialog.city_edit, "Riverside")
        qtbot.keyClicks(dialog.pin_edit, "13579")
        qtbot.keyClicks(dialog.pin_confirm_edit, "13579")
        ok = dialog.ok_button()
        assert ok is not None
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    problems = when_dialog_shows(qtbot, fill)
    outcome = open_initial_database(None)
    assert problems == []
    assert outcome.opened is not None
    default = config.default_database_path()
    assert outcome.opened.db.path == default.resolve()
    assert lock_path_for(default.resolve()).exists()
    close_outcome(outcome)

    assert default.exists()
    reopened = open_database(str(default))
    profile = get_profile(reopened)
    assert profile is not None
    assert profile.name == "Riverside Human Rights Group"
    assert profile.city == "Riverside"
    assert check_kiosk_pin(reopened, "13579")
    reopened.close()
    assert not is_first_run(str(default))


def test_cancelling_the_first_run_leaves_nothing_behind(qtbot: QtBot) -> None:
    problems = when_dialog_shows(qtbot, lambda dialog: dialog.reject())
    outcome = run_first_run()
    assert problems == []
    assert outcome.cancelled and outcome.opened is None
    assert not config.default_database_path().exists()
    assert not lock_path_for(config.default_database_path()).exists()


def test_refused_profile_then_cancel_removes_the_new_file(qtbot: QtBot) -> None:
    seen: list[str] = []

    def fill_badly(dialog: GroupProfileDialog) -> None:
        qtbot.keyClicks(dialog.name_edit, "Riverside")
        dialog.country_combo.lineEdit().clear()
        qtbot.keyClicks(dialog.country_combo.lineEdit(), "Narnia")
        ok = dialog.ok_button()
        assert ok is not None
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        seen.append(dialog.country_error.text())
        dialog.reject()

    problems = when_dialog_shows(qtbot, fill_badly)
    outcome = run_first_run()
    assert problems == []
    assert "two-letter" in seen[0]
    assert outcome.cancelled
    assert not config.default_database_path().exists()


def _fake_demo(db: Database) -> None:
    save_profile(db, GroupProfileData(name="Demo Group"))


def test_look_around_with_demo_data(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module, "_fill_demo", _fake_demo)

    def choose_demo(dialog: GroupProfileDialog) -> None:
        qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)

    problems = when_dialog_shows(qtbot, choose_demo)
    outcome = run_first_run()
    assert problems == []
    assert outcome.opened is not None
    assert outcome.opened.db.path == demo_database_path().resolve()
    profile = get_profile(outcome.opened.db)
    assert profile is not None and profile.name == "Demo Group"
    close_outcome(outcome)
    # The group's own database is still to be made: the next start asks again.
    assert not config.default_database_path().exists()
    assert is_first_run(config.database_target(None))


def test_failed_demo_is_explained_and_removed(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_db: Database) -> None:
        raise RuntimeError("demo generator broke")

    monkeypatch.setattr(app_module, "_fill_demo", broken)
    messages: list[str] = []

    def capture(_parent: QWidget | None, _title: str, text: str, *_: object) -> int:
        messages.append(text)
        return 0

    monkeypatch.setattr(QMessageBox, "critical", capture)
    problems = when_dialog_shows(
        qtbot, lambda dialog: qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    )
    outcome = run_first_run()
    assert problems == []
    assert outcome.opened is None and not outcome.cancelled
    assert "demo generator broke" in messages[0]
    assert not demo_database_path().exists()


def test_real_demo_data(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("desktop_app.services.demo", reason="the demo generator is not there yet")
    monkeypatch.setattr(app_module, "DEMO_PEOPLE", 20)
    outcome = app_module.open_demo()
    assert outcome.opened is not None
    assert get_profile(outcome.opened.db) is not None
    close_outcome(outcome)


def test_existing_default_database_opens_without_questions(tmp_path: Path) -> None:
    from tests.gui.shell_fixtures import make_group_database

    make_group_database(config.default_database_path(), name="Known Group").close()
    outcome = open_initial_database(None)
    assert outcome.opened is not None
    profile = get_profile(outcome.opened.db)
    assert profile is not None and profile.name == "Known Group"
    close_outcome(outcome)
