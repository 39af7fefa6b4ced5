"""Undoable ticks at a meeting: sign a person in, or add a newcomer and sign them in.

The same protocol as views/roster_commands.py: the change is made before the
command is pushed (``save_first``), so a refusal is shown at once and never leaves a
half-done step on the stack; a later undo or redo that the service refuses reports
the message and marks the command obsolete, so the stack only holds steps that can
still be taken.

Undoing a newcomer takes the tick back and moves the new person to the trash (never
deletes them), as undoing "Add person" does on the roster; redo brings them back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from desktop_app.db import Database
from desktop_app.services.roster import PersonInput, remove_people, restore_people
from desktop_app.services.signin import (
    SignInResult,
    add_newcomer_and_sign_in,
    sign_in,
    undo_sign_in,
)
from desktop_app.views.roster_commands import name_of
from desktop_app.views.service_commands import menu_safe

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("SignInCommands", text)


@dataclass(frozen=True)
class SignInContext:
    """What the commands need from the sign-in screen.

    changed(result): the attendance changed; result is the tick just made (None after
    an undo or a refusal), so the screen can say what happened to whom.
    failed(message): tell the user, in words, what could not be done.
    """

    db: Database
    event_id: int
    changed: Callable[[SignInResult | None], None]
    failed: Callable[[str], None]


class SignInCommand(QUndoCommand):
    """Ticks one person off at the event; undo takes the tick back."""

    def __init__(self, context: SignInContext, person_id: int, name: str) -> None:
        super().__init__(menu_safe(_tr("Sign in {name}").format(name=name)))
        self._context = context
        self.person_id: int | None = person_id
        self.result: SignInResult | None = None
        self._skip_next_redo = False

    # What subclasses change -------------------------------------------------------------

    def _first(self) -> SignInResult:
        assert self.person_id is not None
        return sign_in(self._context.db, self._context.event_id, self.person_id)

    def _redo(self) -> SignInResult:
        return self._first()

    def _undo(self) -> None:
        if self.person_id is not None:
            undo_sign_in(self._context.db, self._context.event_id, self.person_id)

    # The protocol -----------------------------------------------------------------------

    def save_first(self) -> str:
        """Make the tick now, before pushing; returns "" or what the service refused.

        ``result.signed_in`` is False when the person was signed in already: nothing
        changed, and the caller does not push the command.
        """
        try:
            self.result = self._first()
        except ValueError as exc:  # SignInError, PersonError: the service's words
            return str(exc)
        self.person_id = self.result.person_id
        self._skip_next_redo = True
        return ""

    def redo(self) -> None:
        if self._skip_next_redo:
            self._skip_next_redo = False
            self._context.changed(self.result)
            return
        try:
            self.result = self._redo()
        except Exception as exc:
            self._give_up(exc)
            return
        self._context.changed(self.result)

    def undo(self) -> None:
        try:
            self._undo()
        except Exception as exc:
            self._give_up(exc)
            return
        self._context.changed(None)

    def _give_up(self, exc: Exception) -> None:
        # An exception must not escape into Qt: the stack would believe the step taken.
        if isinstance(exc, ValueError):
            message = str(exc)
        else:
            log.exception("undo/redo of %r failed", self.text())
            message = _tr("This step could not be taken: {problem}").format(problem=exc)
        self.setObsolete(True)
        self._context.failed(message)
        self._context.changed(None)


class NewcomerCommand(SignInCommand):
    """Adds a newcomer to the roster and signs them in; undo also moves them to the trash."""

    def __init__(self, context: SignInContext, data: PersonInput) -> None:
        super().__init__(context, -1, name_of(data))
        self.setText(menu_safe(_tr("Add and sign in {name}").format(name=name_of(data))))
        self.person_id = None
        self._data = data

    def _first(self) -> SignInResult:
        return add_newcomer_and_sign_in(self._context.db, self._context.event_id, self._data)

    def _redo(self) -> SignInResult:
        if self.person_id is None:
            return self._first()
        restore_people(self._context.db, [self.person_id])
        return sign_in(self._context.db, self._context.event_id, self.person_id)

    def _undo(self) -> None:
        if self.person_id is None:
            return
        undo_sign_in(self._context.db, self._context.event_id, self.person_id)
        remove_people(self._context.db, [self.person_id])


class RemoveTickCommand(SignInCommand):
    """Takes back a tick made by the secretary (not a kiosk or paper sign-up, whose
    consent and interests a new tick could not give back); undo ticks them again."""

    def __init__(self, context: SignInContext, person_id: int, name: str) -> None:
        super().__init__(context, person_id, name)
        self.setText(menu_safe(_tr("Take back the tick for {name}").format(name=name)))

    def save_first(self) -> str:
        try:
            self._undo_tick()
        except ValueError as exc:
            return str(exc)
        self._skip_next_redo = True
        return ""

    def redo(self) -> None:
        if self._skip_next_redo:
            self._skip_next_redo = False
            self._context.changed(None)
            return
        try:
            self._undo_tick()
        except Exception as exc:
            self._give_up(exc)
            return
        self._context.changed(None)

    def undo(self) -> None:
        try:
            self.result = self._first()
        except Exception as exc:
            self._give_up(exc)
            return
        self._context.changed(self.result)

    def _undo_tick(self) -> None:
        assert self.person_id is not None
        undo_sign_in(self._context.db, self._context.event_id, self.person_id)


__all__ = ["NewcomerCommand", "RemoveTickCommand", "SignInCommand", "SignInContext"]
