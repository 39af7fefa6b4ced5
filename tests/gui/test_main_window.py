"""The main window: status bar, navigation, menus and shortcuts, switching databases."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desktop_app import __version__
from desktop_app.db import Database, DatabaseCorrupt, list_backups, make_backup
from desktop_app.services.group import GroupProfileData, get_profile, save_profile
from desktop_app.views import main_window as main_window_module
from desktop_app.views.about_dialog import AboutDialog
from desktop_app.views.main_window import (
    MAX_RECENT,
    MainWindow,
    RestoreBackupDialog,
    lock_path_for,
    recent_databases,
)
from tests.gui.shell_fixtures import TEST_PAGES, PlainPage, SearchPage, make_group_database


class Capture:
    """Stands in for QMessageBox's static functions; remembers what would have been said."""

    def __init__(self, answer: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok):
        self.messages: list[str] = []
        self.answer = answer

    def __call__(self, _parent: QWidget | None, _title: str, text: str, *_: Any) -> Any:
        self.messages.append(text)
        return self.answer


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> Capture:
    capture = Capture()
    monkeypatch.setattr(QMessageBox, "critical", capture)
    monkeypatch.setattr(QMessageBox, "information", capture)
    return capture


def press(qtbot: QtBot, window: MainWindow, sequence: str) -> None:
    """Type a shortcut as a user would, with the window active."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keySequence(window, QKeySequence(sequence))


def menu_texts(menu: QMenu) -> list[str]:
    return [action.text() for action in menu.actions() if not action.isSeparator()]


def test_status_bar_names_database_and_group(window: MainWindow, group_db: Database) -> None:
    assert window.group_label.text() == "Riverside Group"
    assert str(group_db.path) in window.database_label.text()
    assert "Riverside Group" in window.windowTitle()
    assert window.database is group_db


def test_window_without_profile_says_so(qtbot: QtBot, db: Database) -> None:
    main = MainWindow(db, page_factories=TEST_PAGES)
    qtbot.addWidget(main)
    assert main.group_label.text() == "No group profile yet"
    assert str(db.path) in main.database_label.text()


def test_pages_are_built_on_the_database_with_the_undo_stack(window: MainWindow) -> None:
    pages = window.pages()
    assert [type(page) for page in pages] == [SearchPage, PlainPage]
    assert all(page.undo_stack() is window.undo_stack for page in pages)
    first = pages[0]
    assert isinstance(first, SearchPage)
    assert first.built_with_stack is window.undo_stack
    assert first.db is window.database
    assert [window.navigation.item(i).text() for i in range(2)] == ["People", "Notes"]


def test_only_the_first_page_is_built_before_the_window_paints(
    qtbot: QtBot, group_db: Database
) -> None:
    main = MainWindow(group_db, page_factories=TEST_PAGES)
    qtbot.addWidget(main)
    # Starting waits for the page the window opens on, not for the others.
    assert main.navigation.count() == 1
    assert isinstance(main.current_page(), SearchPage)
    main.show()
    qtbot.waitExposed(main)
    qtbot.waitUntil(lambda: main.navigation.count() == 2)
    assert [type(page) for page in main.pages()] == [SearchPage, PlainPage]


def test_asking_for_a_page_not_built_yet_builds_it(qtbot: QtBot, group_db: Database) -> None:
    main = MainWindow(group_db, page_factories=TEST_PAGES)
    qtbot.addWidget(main)
    assert main.navigation.count() == 1
    go_to_second = main.findChild(QAction, "actionPage2")
    assert go_to_second is not None
    go_to_second.trigger()  # Ctrl+2, before the window ever painted
    assert isinstance(main.current_page(), PlainPage)
    assert main.navigation.currentRow() == 1


def test_navigation_switches_pages(qtbot: QtBot, window: MainWindow) -> None:
    pages = window.pages()
    assert window.current_page() is pages[0]
    window.navigation.setFocus()
    qtbot.keyClick(window.navigation, Qt.Key.Key_Down)
    assert window.current_page() is pages[1]
    press(qtbot, window, "Ctrl+1")
    assert window.current_page() is pages[0]
    press(qtbot, window, "Ctrl+2")
    assert window.current_page() is pages[1]


def test_navigation_comes_first_in_the_tab_order(qtbot: QtBot, window: MainWindow) -> None:
    window.navigation.setFocus()
    qtbot.waitUntil(window.navigation.hasFocus)
    qtbot.keyClick(window.navigation, Qt.Key.Key_Tab)
    page = window.current_page()
    assert isinstance(page, SearchPage)
    assert page.search_edit.hasFocus()


def test_menus_and_shortcuts(window: MainWindow) -> None:
    bar_titles = [action.text() for action in window.menuBar().actions()]
    assert bar_titles == ["&File", "&Edit", "&People", "&Help"]
    assert menu_texts(window.file_menu) == [
        "&New database...",
        "&Open...",
        "Open R&ecent",
        "&Back up now...",
        "&Restore from backup...",
        "E&xport sign-ups for merging...",
        "&Merge sign-ups from another laptop...",
        "Expor&t",
        "&Import people...",
        "Import &history...",
        "&Print",
        "&Group profile...",
        "&Quit",
    ]
    assert menu_texts(window.people_menu) == ["&New person", "Start sign-up &kiosk..."]
    shortcuts = {
        window.action_new_database: "Ctrl+Shift+N",
        window.action_open: "Ctrl+O",
        window.action_quit: "Ctrl+Q",
        window.action_undo: "Ctrl+Z",
        window.action_redo: "Ctrl+Shift+Z",
        window.action_find: "Ctrl+F",
        window.action_new_person: "Ctrl+N",
        window.action_import_people: "Ctrl+I",
    }
    for action, keys in shortcuts.items():
        assert QKeySequence(keys) in action.shortcuts(), action.objectName()
    assert window.action_find in window.edit_menu.actions()
    assert window.action_new_person in window.people_menu.actions()
    assert window.action_about in window.help_menu.actions()


def test_ctrl_q_closes_the_window_and_lets_go_of_the_database(
    qtbot: QtBot, group_db: Database
) -> None:
    main = MainWindow(group_db, page_factories=TEST_PAGES)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    press(qtbot, main, "Ctrl+Q")
    qtbot.waitUntil(lambda: not main.isVisible())
    assert main.pages() == []


class AppendCommand(QUndoCommand):
    def __init__(self, target: list[str], value: str) -> None:
        super().__init__(f"Add {value}")
        self.target = target
        self.value = value

    def redo(self) -> None:
        self.target.append(self.value)

    def undo(self) -> None:
        self.target.remove(self.value)


def test_undo_and_redo_shortcuts(qtbot: QtBot, window: MainWindow) -> None:
    done: list[str] = []
    window.undo_stack.push(AppendCommand(done, "Ada"))
    assert done == ["Ada"]
    assert window.action_undo.isEnabled()
    assert window.action_undo.text() == "&Undo Add Ada"
    press(qtbot, window, "Ctrl+Z")
    assert done == []
    press(qtbot, window, "Ctrl+Shift+Z")
    assert done == ["Ada"]


def test_find_goes_to_the_current_page(qtbot: QtBot, window: MainWindow) -> None:
    page = window.pages()[0]
    assert isinstance(page, SearchPage)
    assert window.action_find.isEnabled()
    press(qtbot, window, "Ctrl+F")
    assert page.search_calls == 1
    assert page.search_edit.hasFocus()
    window.show_page(1)
    assert not window.action_find.isEnabled()  # that page has no search


def test_new_person_goes_to_the_roster_page(qtbot: QtBot, window: MainWindow) -> None:
    window.show_page(1)
    press(qtbot, window, "Ctrl+N")
    page = window.pages()[0]
    assert isinstance(page, SearchPage)
    assert page.new_person_calls == 1
    assert window.current_page() is page


def test_opening_a_second_database(
    qtbot: QtBot, window: MainWindow, group_db: Database, tmp_path: Path, errors: Capture
) -> None:
    first_path = group_db.path
    assert first_path is not None
    second = make_group_database(tmp_path / "campus.sqlite", name="Campus Group")
    second.close()
    window.show_page(1)
    old_pages = window.pages()
    with qtbot.waitSignal(window.database_changed):
        assert window.open_database_file(str(tmp_path / "campus.sqlite"))
    assert errors.messages == []
    assert window.database.path == (tmp_path / "campus.sqlite").resolve()
    assert window.group_label.text() == "Campus Group"
    assert "campus.sqlite" in window.database_label.text()
    assert recent_databases()[:2] == [str(window.database.path), str(first_path)]
    assert all(page not in window.pages() for page in old_pages)
    assert isinstance(window.current_page(), PlainPage)  # the same page as before
    # The first file's lock was let go, the second one's taken.
    assert not lock_path_for(first_path).exists()
    assert lock_path_for(window.database.path).exists()
    window.wait_for_backups()


def test_recent_menu_lists_databases_and_greys_out_missing_ones(
    window: MainWindow, tmp_path: Path
) -> None:
    gone = tmp_path / "gone.sqlite"
    QSettings().setValue("recentDatabases", [str(window.database.path), str(gone)])
    window.recent_menu.aboutToShow.emit()
    actions = [a for a in window.recent_menu.actions() if a.data()]
    assert [a.data() for a in actions] == [str(window.database.path), str(gone)]
    assert actions[0].isEnabled()
    assert not actions[1].isEnabled()
    assert "no longer there" in actions[1].toolTip()


def test_recent_list_keeps_eight(window: MainWindow, tmp_path: Path, errors: Capture) -> None:
    for number in range(MAX_RECENT + 2):
        make_group_database(tmp_path / f"g{number}.sqlite").close()
        assert window.open_database_file(str(tmp_path / f"g{number}.sqlite"))
    entries = recent_databases()
    assert len(entries) == MAX_RECENT
    assert entries[0] == str((tmp_path / f"g{MAX_RECENT + 1}.sqlite").resolve())
    window.wait_for_backups()


def test_failed_open_keeps_the_first_database(
    window: MainWindow, group_db: Database, tmp_path: Path, errors: Capture
) -> None:
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a database\n" * 20)
    before = text_file.read_bytes()
    assert not window.open_database_file(str(text_file))
    assert len(errors.messages) == 1
    assert "notes.txt" in errors.messages[0]
    assert "not a database" in errors.messages[0]
    assert window.database is group_db
    assert window.group_label.text() == "Riverside Group"
    assert len(window.pages()) == 2
    assert text_file.read_bytes() == before
    assert not lock_path_for(text_file.resolve()).exists()
    profile = get_profile(window.database)
    assert profile is not None and profile.name == "Riverside Group"


def test_geometry_and_page_restored_on_a_new_window(
    qtbot: QtBot, group_db: Database, tmp_path: Path
) -> None:
    first = MainWindow(group_db, page_factories=TEST_PAGES)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    first.resize(640, 480)
    first.show_page(1)
    first.close()

    again = make_group_database(tmp_path / "again.sqlite")
    second = MainWindow(again, page_factories=TEST_PAGES)
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert second.size() == QSize(640, 480)
    assert isinstance(second.current_page(), PlainPage)
    second.close()


def test_backup_on_open_runs_in_the_background(qtbot: QtBot, window: MainWindow) -> None:
    path = window.database.path
    assert path is not None
    with qtbot.waitSignal(window.backup_finished, timeout=10000) as blocker:
        window.start_backup_on_open()
    made, problem = blocker.args
    assert problem == ""
    assert Path(made) in list_backups(path)


def test_backup_failure_is_reported_in_the_status_bar(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_path: Path) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(main_window_module, "check_and_backup", broken)
    with qtbot.waitSignal(window.backup_finished, timeout=10000):
        window.start_backup_on_open()
    assert "No space left on device" in window.statusBar().currentMessage()
    assert "backup failed" in window.statusBar().currentMessage()


def test_damage_found_after_opening_offers_the_latest_backup(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = window.database.path
    assert path is not None
    make_backup(path)
    save_profile(window.database, GroupProfileData(name="Written After The Backup"))

    real_check = main_window_module.check_and_backup
    calls: list[Path] = []

    def damaged(_path: Path) -> Path | None:
        calls.append(_path)
        if len(calls) > 1:  # the restored file is checked again, and is sound
            return real_check(_path)
        raise DatabaseCorrupt(f"{_path}: the database is damaged (page 7 is never used)")

    asked: list[str] = []

    def answer_yes(*args: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(main_window_module, "check_and_backup", damaged)
    monkeypatch.setattr(QMessageBox, "warning", answer_yes)
    with qtbot.waitSignals([window.backup_finished] * 2, timeout=10000):
        window.start_backup_on_open()
    assert len(asked) == 1
    assert "page 7 is never used" in asked[0] and "Restore the latest" in asked[0]
    profile = get_profile(window.database)
    assert profile is not None and profile.name == "Riverside Group"


def test_back_up_now_and_restore(window: MainWindow, tmp_path: Path, errors: Capture) -> None:
    copy = window.back_up_to(tmp_path / "usb" / "copy.sqlite")
    assert copy is not None and copy.exists()
    save_profile(window.database, GroupProfileData(name="Renamed Group"))
    assert window.restore_from(copy)
    assert errors.messages == []
    profile = get_profile(window.database)
    assert profile is not None and profile.name == "Riverside Group"
    assert window.group_label.text() == "Riverside Group"
    assert len(window.pages()) == 2
    window.wait_for_backups()


def test_damaged_database_offers_the_latest_backup(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    damaged = tmp_path / "damaged.sqlite"
    make_group_database(damaged, name="Damaged Group").close()
    make_backup(damaged)
    _damage(damaged)
    question = Capture(QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "question", question)
    assert window.open_database_file(str(damaged))
    assert len(question.messages) == 1 and "damaged" in question.messages[0]
    assert window.group_label.text() == "Damaged Group"
    kept = list(tmp_path.glob("damaged-damaged-*.sqlite"))
    assert len(kept) == 1  # the damaged file was put aside, not destroyed
    window.wait_for_backups()


def test_damaged_database_declined_is_left_alone(
    window: MainWindow,
    group_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    damaged = tmp_path / "damaged.sqlite"
    make_group_database(damaged, name="Damaged Group").close()
    make_backup(damaged)
    _damage(damaged)
    before = damaged.read_bytes()
    monkeypatch.setattr(QMessageBox, "question", Capture(QMessageBox.StandardButton.No))
    assert not window.open_database_file(str(damaged))
    assert damaged.read_bytes() == before
    assert window.database is group_db


def _damage(path: Path) -> None:
    """Overwrite the middle of a database's pages, as a failing disk might."""
    with sqlite3.connect(path) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    for offset in range(page_size * 2, len(data) - page_size, page_size):
        data[offset + 8 : offset + 200] = b"\xff" * 192
    path.write_bytes(bytes(data))


def test_about_dialog_names_version_licence_and_qt(qtbot: QtBot) -> None:
    from PySide6.QtCore import qVersion

    dialog = AboutDialog(database_name="/tmp/example.sqlite")
    qtbot.addWidget(dialog)
    text = dialog.text()
    assert __version__ in text
    assert "GPL-3.0-or-later" in text
    assert qVersion() in text
    assert "Python" in text


def test_raise_request_brings_the_window_forward(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    raised: list[bool] = []
    # The offscreen platform cannot stack windows (and warns); count the request instead.
    monkeypatch.setattr(window, "raise_", lambda: raised.append(True))
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(other.isActiveWindow)
    window.showMinimized()
    window.bring_to_front()
    assert raised == [True]
    assert not window.isMinimized()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def test_new_database_is_created_and_opened(
    window: MainWindow, group_db: Database, tmp_path: Path, errors: Capture
) -> None:
    assert window.new_database_file(str(tmp_path / "fresh"), ask_profile=False)
    fresh = (tmp_path / "fresh.sqlite").resolve()
    assert errors.messages == []
    assert window.database.path == fresh
    assert window.group_label.text() == "No group profile yet"
    assert recent_databases()[0] == str(fresh)
    # An existing file is never overwritten by New database.
    assert not window.new_database_file(str(group_db.path), ask_profile=False)
    assert window.database.path == fresh
    assert len(errors.messages) == 1
    window.wait_for_backups()


def test_restore_dialog_lists_backups_newest_first(qtbot: QtBot, group_db: Database) -> None:
    assert group_db.path is not None
    older = make_backup(group_db.path, reason="before-upgrade")
    newer = make_backup(group_db.path)
    dialog = RestoreBackupDialog(list_backups(group_db.path))
    qtbot.addWidget(dialog)
    assert dialog.backup_list.count() == 2
    assert "taken on opening" in dialog.backup_list.item(0).text()
    assert "before an upgrade" in dialog.backup_list.item(1).text()
    assert dialog.selected_backup() == newer
    dialog.backup_list.setCurrentRow(1)
    assert dialog.selected_backup() == older
    ok = dialog.ok_button()
    assert ok is not None and ok.isEnabled()


def test_restore_dialog_without_backups_cannot_restore(qtbot: QtBot) -> None:
    dialog = RestoreBackupDialog([])
    qtbot.addWidget(dialog)
    assert dialog.selected_backup() is None
    ok = dialog.ok_button()
    assert ok is not None and not ok.isEnabled()
