"""Undoable ticks at a meeting: sign a person in, or add a newcomer and sign them in.

The protocol is ServiceCommand's (views/service_commands.py), as for the roster and the
ledger: the change is made before the command is pushed (``save_first``), so a refusal
is shown at once and never leaves a half-done step on the stack; a later undo or redo
that the service refuses reports the message and marks the command obsolete, so the
stack only holds steps that can still be taken.

Undoing a newcomer takes the tick back and moves the new person to the trash (never
deletes them), as undoing "Add person" does on the roster; redo brings them back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from desktop_app.db import Database
from desktop_app.services.roster import PersonInput, remove_people, restore_people
from desktop_app.services.signin import (
    SignInResult,
    add_newcomer_and_sign_in,
    sign_in,
    undo_sign_in,
)
from desktop_app.views.roster_commands import name_of
from desktop_app.views.service_commands import ServiceCommand


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


class SignInStep(ServiceCommand[SignInResult | None]):
    """A change of one person's tick at the event: redo ticks them, undo takes it back.

    ``result`` is the tick the step has just made, None once it is taken back: the
    screen is told it after every step.
    """

    # SignInError and PersonError, both ValueError: their words are for the user.
    refusals = (ValueError,)

    def __init__(self, context: SignInContext, text: str, person_id: int | None) -> None:
        super().__init__(text, context.changed, context.failed, None)
        self._context = context
        self.person_id = person_id
        self.result: SignInResult | None = None

    def shown(self) -> SignInResult | None:
        return self.result

    def _redo(self) -> None:
        assert self.person_id is not None
        self.result = sign_in(self._context.db, self._context.event_id, self.person_id)

    def _undo(self) -> None:
        if self.person_id is not None:
            undo_sign_in(self._context.db, self._context.event_id, self.person_id)
        self.result = None


class SignInCommand(SignInStep):
    """Ticks one person off at the event; undo takes the tick back.

    After ``save_first``, ``result.signed_in`` is False when the person was signed in
    already: nothing changed, and the caller does not push the command.
    """

    def __init__(self, context: SignInContext, person_id: int, name: str) -> None:
        super().__init__(context, _tr("Sign in {name}").format(name=name), person_id)


class NewcomerCommand(SignInStep):
    """Adds a newcomer to the roster and signs them in; undo also moves them to the trash."""

    def __init__(self, context: SignInContext, data: PersonInput) -> None:
        text = _tr("Add and sign in {name}").format(name=name_of(data))
        super().__init__(context, text, None)
        self._data = data

    def _first(self) -> None:
        self.result = add_newcomer_and_sign_in(self._context.db, self._context.event_id, self._data)
        self.person_id = self.result.person_id

    def _redo(self) -> None:
        if self.person_id is None:
            self._first()
            return
        restore_people(self._context.db, [self.person_id])
        super()._redo()

    def _undo(self) -> None:
        super()._undo()
        if self.person_id is not None:
            remove_people(self._context.db, [self.person_id])


class RemoveTickCommand(SignInStep):
    """Takes back a tick made by the secretary (not a kiosk or paper sign-up, whose
    consent and interests a new tick could not give back); undo ticks them again."""

    def __init__(self, context: SignInContext, person_id: int, name: str) -> None:
        super().__init__(context, _tr("Take back the tick for {name}").format(name=name), person_id)

    def _redo(self) -> None:
        super()._undo()

    def _undo(self) -> None:
        super()._redo()


__all__ = [
    "NewcomerCommand",
    "RemoveTickCommand",
    "SignInCommand",
    "SignInContext",
    "SignInStep",
]
