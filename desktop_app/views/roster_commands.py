"""Undoable roster changes: add, edit, remove to the trash and restore, as QUndoCommands.

Each command calls the roster service, then tells the page what changed (so the
table reloads and selects the people concerned). The first change is made before
the command is pushed (``save_first``), so a refusal is shown while the dialog is
still open, with nothing typed lost, and never leaves a half-done command on the
stack. A later undo or redo that the service refuses (say the person was erased
in the meantime) reports the message and marks the command obsolete, which makes
QUndoStack drop it: the stack then only holds steps that can still be taken.

Erasing personal data is deliberately not a command: it cannot be undone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from PySide6.QtCore import QCoreApplication

from desktop_app.db import Database
from desktop_app.services.roster import (
    PersonError,
    PersonInput,
    create_person,
    remove_people,
    restore_people,
    update_person,
)
from desktop_app.text import display_name
from desktop_app.views.service_commands import ServiceCommand


def _tr(text: str) -> str:
    return QCoreApplication.translate("RosterCommands", text)


def name_of(data: PersonInput) -> str:
    """How a person is named in an undo step: name, else email, else phone."""
    name = display_name(
        data.given_name.strip(), data.family_name.strip(), data.preferred_name.strip()
    )
    return name or data.email.strip() or data.phone.strip() or _tr("a person")


@dataclass(frozen=True)
class RosterContext:
    """What the commands need from the page.

    changed(ids): reload what shows the roster and select these people.
    failed(message): tell the user, in words, what could not be done.
    """

    db: Database
    changed: Callable[[Sequence[int]], None]
    failed: Callable[[str], None]


class RosterCommand(ServiceCommand[Sequence[int]]):
    """A roster change; the page selects ``person_ids()`` after it."""

    refusals = (PersonError,)

    def __init__(self, context: RosterContext, text: str) -> None:
        super().__init__(text, context.changed, context.failed, ())
        self._context = context

    def person_ids(self) -> Sequence[int]:
        """The people to select once the command has run."""
        raise NotImplementedError

    def shown(self) -> Sequence[int]:
        return self.person_ids()


class AddPersonCommand(RosterCommand):
    """Adds a person; undo moves them to the trash, redo brings them back."""

    def __init__(self, context: RosterContext, data: PersonInput) -> None:
        super().__init__(context, _tr("Add {name}").format(name=name_of(data)))
        self._data = data
        self.person_id: int | None = None
        self.problems: tuple[str, ...] = ()  # kept as written, flagged for review

    def _first(self) -> None:
        result = create_person(self._context.db, self._data)
        self.person_id = result.person_id
        self.problems = result.problems

    def _redo(self) -> None:
        if self.person_id is None:
            self._first()
        else:
            restore_people(self._context.db, [self.person_id])

    def _undo(self) -> None:
        if self.person_id is not None:
            remove_people(self._context.db, [self.person_id])

    def person_ids(self) -> Sequence[int]:
        return () if self.person_id is None else (self.person_id,)


class EditPersonCommand(RosterCommand):
    """Changes a person from old to new; undo writes old back."""

    def __init__(
        self, context: RosterContext, person_id: int, old: PersonInput, new: PersonInput
    ) -> None:
        super().__init__(context, _tr("Edit {name}").format(name=name_of(new)))
        self.person_id = person_id
        self._old = old
        self._new = new
        self.problems: tuple[str, ...] = ()

    def _redo(self) -> None:
        self.problems = update_person(self._context.db, self.person_id, self._new).problems

    def _undo(self) -> None:
        update_person(self._context.db, self.person_id, self._old)

    def person_ids(self) -> Sequence[int]:
        return (self.person_id,)


class RemovePeopleCommand(RosterCommand):
    """Moves people to the trash; undo restores them."""

    def __init__(self, context: RosterContext, person_ids: Sequence[int], label: str) -> None:
        super().__init__(context, _tr("Remove {who}").format(who=label))
        self._ids = tuple(person_ids)

    def _redo(self) -> None:
        remove_people(self._context.db, self._ids)

    def _undo(self) -> None:
        restore_people(self._context.db, self._ids)

    def person_ids(self) -> Sequence[int]:
        return self._ids


class RestorePeopleCommand(RosterCommand):
    """Brings people back from the trash; undo returns them to it."""

    def __init__(self, context: RosterContext, person_ids: Sequence[int], label: str) -> None:
        super().__init__(context, _tr("Restore {who}").format(who=label))
        self._ids = tuple(person_ids)

    def _redo(self) -> None:
        restore_people(self._context.db, self._ids)

    def _undo(self) -> None:
        remove_people(self._context.db, self._ids)

    def person_ids(self) -> Sequence[int]:
        return self._ids


def without_role_names(data: PersonInput) -> PersonInput:
    """data with the read-back role names blanked, to compare what an edit changes."""
    return replace(data, roles=tuple(replace(term, role_name="") for term in data.roles))
