"""tasks.runner: a generator run on a worker, progress and results on the GUI thread,
a progress dialog only after half a second, and Cancel that rolls the work back."""

from __future__ import annotations

import os
import threading
from collections.abc import Generator, Iterator
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from desktop_app.db import Database
from desktop_app.models import Tag
from desktop_app.tasks.runner import ProgressText, Task, database_pool, run_task

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$")


class Outcome:
    """What the callbacks received, and on which thread."""

    def __init__(self) -> None:
        self.results: list[Any] = []
        self.errors: list[BaseException] = []
        self.cancelled = 0
        self.threads: set[int] = set()

    def success(self, value: Any) -> None:
        self.threads.add(threading.get_ident())
        self.results.append(value)

    def failure(self, error: BaseException) -> None:
        self.threads.add(threading.get_ident())
        self.errors.append(error)

    def cancel(self) -> None:
        self.threads.add(threading.get_ident())
        self.cancelled += 1


@pytest.fixture
def outcome() -> Outcome:
    return Outcome()


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture(autouse=True)
def pool_drained() -> Iterator[None]:
    yield
    database_pool().waitForDone(10_000)


def start(steps: Any, parent: QWidget, outcome: Outcome, *, show_after_ms: int = 500) -> Task:
    return run_task(
        steps,
        parent=parent,
        title="Working",
        describe=lambda step: ProgressText(f"Step {step}", step, 3),
        on_success=outcome.success,
        on_failure=outcome.failure,
        on_cancel=outcome.cancel,
        show_after_ms=show_after_ms,
    )


def test_progress_and_result_arrive_on_the_gui_thread(
    qtbot: QtBot, parent: QWidget, outcome: Outcome
) -> None:
    worker_threads: set[int] = set()

    def steps() -> Generator[int, None, str]:
        for step in (1, 2, 3):
            worker_threads.add(threading.get_ident())
            yield step
        return "all done"

    seen: list[object] = []
    task = Task(steps, parent=parent)
    task.progressed.connect(seen.append)
    task.succeeded.connect(outcome.success)
    with qtbot.waitSignal(task.finished, timeout=5000):
        task.start()

    assert seen == [1, 2, 3]
    assert outcome.results == ["all done"]
    assert outcome.threads == {threading.get_ident()}
    assert worker_threads and threading.get_ident() not in worker_threads
    assert not task.is_running()


def test_quick_work_shows_no_progress_dialog(
    qtbot: QtBot, parent: QWidget, outcome: Outcome
) -> None:
    def steps() -> Generator[int, None, int]:
        yield 1
        return 7

    task = start(steps, parent, outcome)
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    qtbot.wait(700)  # past the half second: no dialog may turn up late either

    assert outcome.results == [7]
    assert task.dialog is None
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)]


def test_slow_work_shows_a_dialog_after_half_a_second_and_closes_it(
    qtbot: QtBot, parent: QWidget, outcome: Outcome
) -> None:
    gate = threading.Event()

    def steps() -> Generator[int, None, str]:
        yield 1
        gate.wait(10)
        yield 2
        return "slow"

    task = start(steps, parent, outcome)
    qtbot.wait(250)
    assert task.dialog is None
    qtbot.waitUntil(lambda: task.dialog is not None and task.dialog.isVisible(), timeout=3000)
    dialog = task.dialog
    assert dialog is not None
    assert dialog.labelText() == "Step 1"
    assert (dialog.value(), dialog.maximum()) == (1, 3)

    with qtbot.waitSignal(task.finished, timeout=5000):
        gate.set()
    assert outcome.results == ["slow"]
    assert task.dialog is None
    assert not dialog.isVisible()


def test_an_error_is_delivered_to_the_failure_callback(
    qtbot: QtBot, parent: QWidget, outcome: Outcome
) -> None:
    def steps() -> Generator[int, None, None]:
        yield 1
        raise ValueError("row 3: no name")

    task = start(steps, parent, outcome)
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass

    assert [str(error) for error in outcome.errors] == ["row 3: no name"]
    assert isinstance(outcome.errors[0], ValueError)
    assert outcome.results == [] and outcome.cancelled == 0
    assert outcome.threads == {threading.get_ident()}


def test_a_generator_that_cannot_even_start_is_a_failure(
    qtbot: QtBot, parent: QWidget, outcome: Outcome
) -> None:
    def steps() -> Generator[int, None, None]:
        raise OSError("the file is gone")

    task = start(lambda: steps(), parent, outcome)  # raising when first advanced
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert [type(error) for error in outcome.errors] == [OSError]


def _tag_count(db: Database) -> int:
    with db.read_session() as session:
        return int(session.scalar(select(func.count()).select_from(Tag)) or 0)


def _writing(db: Database, gate: threading.Event, closed: list[bool]) -> Generator[int, None, str]:
    """Writes in one transaction, yielding between the writes."""
    try:
        with db.session() as session:
            for number in range(3):
                session.add(Tag(name=f"tag {number}"))
                session.flush()
                yield number
                gate.wait(10)
    except GeneratorExit:
        closed.append(True)
        raise
    return "written"


def test_cancel_from_the_dialog_rolls_the_work_back(
    qtbot: QtBot, parent: QWidget, outcome: Outcome, db: Database
) -> None:
    gate = threading.Event()
    closed: list[bool] = []
    task = start(lambda: _writing(db, gate, closed), parent, outcome, show_after_ms=50)
    qtbot.waitUntil(lambda: task.dialog is not None and task.dialog.isVisible(), timeout=3000)
    dialog = task.dialog
    assert dialog is not None
    button = dialog.findChild(QPushButton, "taskCancelButton")
    assert button is not None

    with qtbot.waitSignal(task.finished, timeout=5000):
        button.click()
        # The dialog stays, saying what happens, until the work has stopped.
        assert dialog.isVisible()
        assert "Stopping" in dialog.labelText()
        assert not button.isEnabled()
        gate.set()

    assert outcome.cancelled == 1
    assert outcome.results == [] and outcome.errors == []
    assert closed == [True]
    assert _tag_count(db) == 0
    assert not dialog.isVisible()


def test_cancel_before_the_dialog_shows(
    qtbot: QtBot, parent: QWidget, outcome: Outcome, db: Database
) -> None:
    gate = threading.Event()
    closed: list[bool] = []
    task = start(lambda: _writing(db, gate, closed), parent, outcome)
    with qtbot.waitSignal(task.progressed, timeout=5000):
        pass
    with qtbot.waitSignal(task.finished, timeout=5000):
        task.cancel()
        gate.set()

    assert outcome.cancelled == 1 and closed == [True]
    assert _tag_count(db) == 0
    assert task.dialog is None


def test_work_that_finishes_runs_to_its_commit(
    qtbot: QtBot, parent: QWidget, outcome: Outcome, db: Database
) -> None:
    gate = threading.Event()
    gate.set()
    task = start(lambda: _writing(db, gate, []), parent, outcome)
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert outcome.results == ["written"]
    assert _tag_count(db) == 3


def test_a_task_runs_once(qtbot: QtBot, parent: QWidget) -> None:
    def steps() -> Generator[int, None, None]:
        yield 1

    task = Task(steps, parent=parent)
    with qtbot.waitSignal(task.finished, timeout=5000):
        task.start()
    with pytest.raises(RuntimeError):
        task.start()
