"""Long work off the GUI thread: a generator that yields progress, run on a worker.

The services write long work (a merge, an import, a batch of letters) as a plain
generator that yields progress and returns its result. ``run_task`` runs one on a
worker thread and reports back on the GUI thread::

    task = run_task(
        lambda: merge_steps(db, path),
        parent=self,
        title=self.tr("Merging sign-ups"),
        describe=lambda step: ProgressText(self.tr("Merging..."), step.done, step.total),
        on_success=self._show_summary,
        on_failure=self._show_problem,
        on_cancel=self._say_nothing_changed,
    )

The rules it keeps:

- The generator is made, advanced and closed on the one worker thread, so a database
  session it opens is born and ends on that thread.
- The worker never touches a widget: it emits signals of an object that lives in the
  GUI thread, so every callback runs there (queued connections).
- A progress dialog appears only when the work takes longer than ``SHOW_AFTER_MS``;
  quick work finishes without a flash of a window.
- Cancel sets a flag. Before the worker advances the generator again it looks at the
  flag and, if set, closes the generator: GeneratorExit is raised at its ``yield``,
  its ``with db.session()`` rolls back, and ``on_cancel`` is called. A generator that
  finishes before it sees the flag has done its work, and ``on_success`` says so.
- Work that writes runs on one shared single-thread pool (``database_pool``), so two
  writers never race for SQLite's lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

SHOW_AFTER_MS = 500  # STYLE.md point 3: no progress window for work quicker than this

P = TypeVar("P")
R = TypeVar("R")

_pool: QThreadPool | None = None
# Tasks without a parent are kept here while they run, so Python does not collect them.
_running: set[Task] = set()


def database_pool() -> QThreadPool:
    """The one worker thread on which long database work runs, one task after another."""
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setObjectName("groupdesk-tasks")
        _pool.setMaxThreadCount(1)
    return _pool


@dataclass(frozen=True)
class ProgressText:
    """What the progress dialog shows for one step: words, and done of total (0: unknown)."""

    label: str
    done: int = 0
    total: int = 0


class _WorkerSignals(QObject):
    """Made in the GUI thread, emitted from the worker: Qt queues every emission."""

    progressed = Signal(object)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()


class _Worker(QRunnable):
    def __init__(
        self,
        steps: Callable[[], Generator[Any, None, Any]],
        signals: _WorkerSignals,
        cancel_requested: threading.Event,
        done: threading.Event,
    ) -> None:
        super().__init__()
        self._steps = steps
        self._signals = signals
        self._cancel_requested = cancel_requested
        self._done = done

    def run(self) -> None:
        try:
            self._run()
        finally:
            self._done.set()

    def _run(self) -> None:
        try:
            generator = self._steps()
        except Exception as exc:  # a failure to start is reported like any other
            self._signals.failed.emit(exc)
            return
        while True:
            if self._cancel_requested.is_set():
                try:
                    generator.close()
                except Exception as exc:  # rolling back failed: say so, not "cancelled"
                    self._signals.failed.emit(exc)
                    return
                self._signals.cancelled.emit()
                return
            try:
                progress = next(generator)
            except StopIteration as finished:
                self._signals.succeeded.emit(finished.value)
                return
            except Exception as exc:
                self._signals.failed.emit(exc)
                return
            self._signals.progressed.emit(progress)


class Task(QObject):
    """One generator running on a worker thread; made by ``run_task``.

    Signals:
        progressed(object): a value the generator yielded.
        succeeded(object): the generator's return value.
        failed(object): the exception it raised.
        cancelled(): it was closed after a cancel, so its work was rolled back.
        finished(): after any one of the three above.
    """

    progressed = Signal(object)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()

    def __init__(
        self,
        steps: Callable[[], Generator[Any, None, Any]],
        *,
        parent: QWidget | None = None,
        title: str = "",
        describe: Callable[[Any], ProgressText] | None = None,
        show_after_ms: int = SHOW_AFTER_MS,
        pool: QThreadPool | None = None,
    ) -> None:
        super().__init__(parent)
        self._parent_widget = parent
        self._title = title
        self._describe = describe
        self._pool = pool or database_pool()
        self._cancel_requested = threading.Event()
        self._done = threading.Event()
        self._signals = _WorkerSignals()
        self._signals.progressed.connect(self._on_progressed, Qt.ConnectionType.QueuedConnection)
        self._signals.succeeded.connect(self._on_succeeded, Qt.ConnectionType.QueuedConnection)
        self._signals.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        self._signals.cancelled.connect(self._on_cancelled, Qt.ConnectionType.QueuedConnection)
        self._worker = _Worker(steps, self._signals, self._cancel_requested, self._done)
        self._worker.setAutoDelete(False)  # kept by this object, which outlives the run
        self._latest: ProgressText | None = None
        self._dialog: QProgressDialog | None = None
        self._cancel_button: QPushButton | None = None
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.setInterval(show_after_ms)
        self._show_timer.timeout.connect(self._show_dialog)
        self._started = False
        self._finished = False

    # --- public ----------------------------------------------------------------------

    @property
    def dialog(self) -> QProgressDialog | None:
        """The progress dialog while it is shown (after SHOW_AFTER_MS), else None."""
        return self._dialog

    def is_running(self) -> bool:
        return self._started and not self._finished

    def start(self) -> Task:
        if self._started:
            raise RuntimeError("a task runs only once")
        self._started = True
        if self.parent() is None:
            _running.add(self)
        self._show_timer.start()
        self._pool.start(self._worker)
        return self

    def cancel(self) -> None:
        """Ask the work to stop at its next step; its changes are rolled back."""
        self._cancel_requested.set()
        if self._dialog is not None:
            self._dialog.setLabelText(self.tr("Stopping; nothing will be changed..."))
        if self._cancel_button is not None:
            self._cancel_button.setEnabled(False)

    def cancel_requested(self) -> bool:
        return self._cancel_requested.is_set()

    def wait(self, timeout_ms: int = -1) -> bool:
        """Block until the worker is done (for closing the window); False on timeout.

        The result signals are still queued afterwards; they arrive at the next turn of
        the event loop.
        """
        return self._done.wait(None if timeout_ms < 0 else timeout_ms / 1000)

    # --- from the worker, in the GUI thread -------------------------------------------

    @Slot(object)
    def _on_progressed(self, progress: object) -> None:
        if self._finished:
            return
        if self._describe is not None:
            self._latest = self._describe(progress)
            self._update_dialog()
        self.progressed.emit(progress)

    @Slot(object)
    def _on_succeeded(self, result: object) -> None:
        self._end()
        self.succeeded.emit(result)
        self.finished.emit()

    @Slot(object)
    def _on_failed(self, error: object) -> None:
        self._end()
        self.failed.emit(error)
        self.finished.emit()

    @Slot()
    def _on_cancelled(self) -> None:
        self._end()
        self.cancelled.emit()
        self.finished.emit()

    # --- the dialog ------------------------------------------------------------------

    def _show_dialog(self) -> None:
        if self._finished:
            return
        dialog = QProgressDialog(self._parent_widget)
        dialog.setObjectName("taskProgressDialog")
        dialog.setWindowTitle(self._title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        # This object decides when the dialog comes and goes, not QProgressDialog's own
        # timers: it is shown now, and closed when the work ends.
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        button = QPushButton(self.tr("Cancel"), dialog)
        button.setObjectName("taskCancelButton")
        dialog.setCancelButton(button)
        # QProgressDialog hides itself on Cancel; it stays, saying "Stopping...", until
        # the work has rolled back. (Closing it from the title bar still cancels.)
        button.clicked.disconnect()
        button.clicked.connect(self.cancel)
        dialog.canceled.connect(self.cancel)
        self._dialog, self._cancel_button = dialog, button
        if self._latest is None:
            self._latest = ProgressText(self._title)
        self._update_dialog()
        dialog.show()
        if self._cancel_requested.is_set():
            self.cancel()

    def _update_dialog(self) -> None:
        dialog, latest = self._dialog, self._latest
        if dialog is None or latest is None or self._cancel_requested.is_set():
            return
        dialog.setLabelText(latest.label)
        if latest.total > 0:
            dialog.setRange(0, latest.total)
            dialog.setValue(min(latest.done, latest.total))
        else:
            dialog.setRange(0, 0)  # a busy bar: how long is not known

    def _end(self) -> None:
        self._finished = True
        self._show_timer.stop()
        if self._dialog is not None:
            self._dialog.canceled.disconnect(self.cancel)
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = self._cancel_button = None
        _running.discard(self)


def run_task(
    steps: Callable[[], Generator[P, None, R]],
    *,
    parent: QWidget | None,
    title: str,
    on_success: Callable[[R], None],
    on_failure: Callable[[BaseException], None],
    on_cancel: Callable[[], None] | None = None,
    describe: Callable[[P], ProgressText] | None = None,
    show_after_ms: int = SHOW_AFTER_MS,
    pool: QThreadPool | None = None,
) -> Task:
    """Start ``steps()`` on the worker thread; the callbacks run on the GUI thread.

    steps: makes the generator (called on the worker, so nothing of it is made here).
    describe: turns a yielded value into the dialog's words and numbers.
    """
    task = Task(
        cast(Callable[[], Generator[Any, None, Any]], steps),
        parent=parent,
        title=title,
        describe=cast(Callable[[Any], ProgressText] | None, describe),
        show_after_ms=show_after_ms,
        pool=pool,
    )
    task.succeeded.connect(lambda result: on_success(cast(R, result)))
    task.failed.connect(lambda error: on_failure(cast(BaseException, error)))
    if on_cancel is not None:
        task.cancelled.connect(on_cancel)
    return task.start()


__all__ = ["SHOW_AFTER_MS", "ProgressText", "Task", "database_pool", "run_task"]
