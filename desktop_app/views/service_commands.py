"""The protocol of undoable changes made through a service (the roster's, the ledger's).

The change is made once before the command is pushed (``save_first``), so a refusal
is shown while the dialog is still open, with nothing typed lost, and never leaves a
half-done step on the stack. QUndoStack.push() then calls redo(), which only tells the
page to show the change. A later undo or redo the service refuses (say the record was
erased meanwhile) is reported in words and marks the command obsolete, so the stack
drops it and only holds steps that can still be taken.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import ClassVar, Generic, TypeVar

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

log = logging.getLogger(__name__)

Shown = TypeVar("Shown")  # what the page selects after a step: ids, one id, nothing


def menu_safe(text: str) -> str:
    """Text for a menu item: a single & would underline the next letter instead of showing."""
    return text.replace("&", "&&")


class ServiceCommand(QUndoCommand, Generic[Shown]):
    """Runs a service call for redo and another for undo, reporting refusals.

    Subclasses give ``refusals`` (the service's own error types, whose text is shown as
    it is), ``_redo`` and ``_undo`` (and ``_first`` when the first change differs, e.g.
    creating a record), and ``shown()``: what the page selects after a step.
    """

    refusals: ClassVar[tuple[type[Exception], ...]] = ()

    def __init__(
        self,
        text: str,
        changed: Callable[[Shown], None],
        failed: Callable[[str], None],
        nothing: Shown,
    ) -> None:
        super().__init__(menu_safe(text))
        self._changed = changed
        self._failed = failed
        self._nothing = nothing
        self._skip_next_redo = False

    def _first(self) -> None:
        """The change as first made; by default the same as redo."""
        self._redo()

    def _redo(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError

    def shown(self) -> Shown:
        """What the page selects once the command has run."""
        return self._nothing

    def save_first(self) -> str:
        """Make the change now, before pushing; returns "" or what the service refused."""
        try:
            self._first()
        except self.refusals as exc:
            return str(exc)
        self._skip_next_redo = True
        return ""

    def redo(self) -> None:
        if self._skip_next_redo:
            self._skip_next_redo = False
            self._changed(self.shown())
            return
        self._attempt(self._redo)

    def undo(self) -> None:
        self._attempt(self._undo)

    def _attempt(self, action: Callable[[], None]) -> None:
        try:
            action()
        except self.refusals as exc:
            self._give_up(str(exc))
            return
        except Exception as exc:  # a locked or vanished database file, a full disk...
            # An exception must not escape into Qt: the stack would believe the step done.
            log.exception("undo/redo of %r failed", self.text())
            message = QCoreApplication.translate(
                "ServiceCommand", "This step could not be taken: {problem}"
            )
            self._give_up(message.format(problem=exc))
            return
        self._changed(self.shown())

    def _give_up(self, message: str) -> None:
        self.setObsolete(True)
        self._failed(message)
        self._changed(self._nothing)
