"""One Group Desk per database file: a second start is refused and raises the first."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.app import (
    AlreadyOpenElsewhere,
    lock_database,
    lock_path_for,
    server_name_for,
)
from desktop_app.db import Database
from desktop_app.views.main_window import MainWindow, open_interactively
from tests.gui.shell_fixtures import TEST_PAGES, make_group_database

MESSAGE = "This database is already open in another Group Desk window"


def fingerprint(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def test_second_lock_is_refused_and_the_first_asked_to_raise(
    qtbot: QtBot, group_db: Database
) -> None:
    assert group_db.path is not None
    target = str(group_db.path)
    first = lock_database(target)
    assert first is not None and first.is_locked()
    assert lock_path_for(group_db.path).exists()
    before = fingerprint(group_db.path)
    with (
        qtbot.waitSignal(first.raise_requested, timeout=5000),
        pytest.raises(AlreadyOpenElsewhere, match=MESSAGE),
    ):
        lock_database(target)
    assert fingerprint(group_db.path) == before
    first.release()
    assert not lock_path_for(group_db.path).exists()
    again = lock_database(target)
    assert again is not None
    again.release()


def test_server_name_is_stable_and_per_file(tmp_path: Path) -> None:
    one, other = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    assert server_name_for(one) == server_name_for(one)
    assert server_name_for(one) != server_name_for(other)
    assert server_name_for(one).startswith("groupdesk-")


def test_window_holding_the_lock_comes_forward(
    qtbot: QtBot, group_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert group_db.path is not None
    lock = lock_database(str(group_db.path))
    window = MainWindow(group_db, lock=lock, page_factories=TEST_PAGES)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    raised: list[bool] = []
    # The offscreen platform cannot stack windows (and warns); count the request instead.
    monkeypatch.setattr(window, "raise_", lambda: raised.append(True))

    messages: list[str] = []

    def capture(_parent: QWidget | None, _title: str, text: str, *_: Any) -> Any:
        messages.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "information", capture)
    assert lock is not None
    with qtbot.waitSignal(lock.raise_requested, timeout=5000):
        outcome = open_interactively(str(group_db.path))
    assert outcome.already_open and outcome.opened is None
    assert len(messages) == 1 and MESSAGE in messages[0]
    qtbot.waitUntil(lambda: raised == [True])
    window.close()
    assert not lock_path_for(group_db.path).exists()


def test_switching_to_a_file_open_elsewhere_keeps_the_current_one(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = make_group_database(tmp_path / "other.sqlite", name="Other Group")
    elsewhere = lock_database(str(other.path))
    assert elsewhere is not None
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *args: messages.append(args[2]) or 0)
    current = window.database
    with qtbot.waitSignal(elsewhere.raise_requested, timeout=5000):
        assert not window.open_database_file(str(other.path))
    assert window.database is current
    assert MESSAGE in messages[0]
    elsewhere.release()
    other.close()


def _python() -> str:
    return sys.executable


def test_stale_lock_of_a_killed_process_is_taken_over(tmp_path: Path, group_db: Database) -> None:
    assert group_db.path is not None
    lock_file = lock_path_for(group_db.path)
    holder = subprocess.Popen(
        [
            _python(),
            "-c",
            textwrap.dedent(
                f"""
                import sys, time
                from PySide6.QtCore import QLockFile
                lock = QLockFile({str(lock_file)!r})
                assert lock.tryLock(100)
                print("locked", flush=True)
                time.sleep(60)
                """
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=10)
    assert lock_file.exists()  # left behind, as after a crash
    lock = lock_database(str(group_db.path))
    assert lock is not None and lock.is_locked()
    lock.release()


def test_second_group_desk_process_exits_quietly(
    qtbot: QtBot, group_db: Database, tmp_path: Path
) -> None:
    """A real second process: it is refused, says why, raises the first, and exits 0."""
    assert group_db.path is not None
    first = lock_database(str(group_db.path))
    assert first is not None
    before = fingerprint(group_db.path)
    script = tmp_path / "second.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import sys
            from PySide6.QtWidgets import QMessageBox

            def answer(_parent, _title, text, *rest):
                print("MESSAGE:", text, flush=True)
                return QMessageBox.StandardButton.Ok

            # Nobody is there to click OK; the message is printed instead.
            QMessageBox.information = answer
            QMessageBox.critical = answer
            from desktop_app.app import run_gui
            sys.exit(run_gui({str(group_db.path)!r}))
            """
        )
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with qtbot.waitSignal(first.raise_requested, timeout=30000):
        second = subprocess.Popen(
            [_python(), str(script)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    try:
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=30000)
    finally:
        if second.poll() is None:
            second.kill()
    out, err = second.communicate(timeout=10)
    assert second.returncode == 0, err
    assert MESSAGE in out
    assert fingerprint(group_db.path) == before
    first.release()
