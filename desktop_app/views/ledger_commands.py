"""Undoable changes of the Treasurer page, as QUndoCommands on the window's undo stack.

Adding, changing and removing ledger lines, recording a dues payment, a donation or
a remittance, removing those, thanking a donor, marking a remittance acknowledged,
and setting the opening balances. The protocol is ServiceCommand's (service_commands):
the change is made once before the command is pushed (``save_first``), so a refusal
is shown while the dialog is still open and never leaves a half-done step on the
stack; a later undo or redo the service refuses is reported and the step dropped.

Records are followed by uid, not id: a removed line put back by Undo keeps its uid
but may get another id, and later steps must still find it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QCoreApplication

from desktop_app.db import Database
from desktop_app.models import PaymentMethod
from desktop_app.services import ledger
from desktop_app.services.ledger import (
    DonationInput,
    LedgerError,
    LedgerLineInput,
    RecordKind,
    RemittanceInput,
    RemovedRecords,
)
from desktop_app.services.money import MoneyStyle
from desktop_app.views.service_commands import ServiceCommand


def _tr(text: str) -> str:
    return QCoreApplication.translate("LedgerCommands", text)


@dataclass(frozen=True)
class LedgerContext:
    """What the commands need from the page.

    changed(line_id): read the ledger again; select this line if not None.
    failed(message): tell the user what could not be done.
    """

    db: Database
    style: Callable[[], MoneyStyle]
    changed: Callable[[int | None], None]
    failed: Callable[[str], None]


class LedgerCommand(ServiceCommand[int | None]):
    """A change of the ledger; the page selects ``line_id()`` after it."""

    refusals = (LedgerError,)

    def __init__(self, context: LedgerContext, text: str) -> None:
        super().__init__(text, context.changed, context.failed, None)
        self._context = context

    @property
    def db(self) -> Database:
        return self._context.db

    def line_id(self) -> int | None:
        """The ledger line to select once the command has run."""
        return None

    def shown(self) -> int | None:
        return self.line_id()

    def _id(self, record: RecordKind, uid: str) -> int:
        found = ledger.id_for_uid(self.db, record, uid)
        if found is None:
            raise LedgerError(_tr("That record is no longer in the ledger."))
        return found

    def _remove(self, record: RecordKind, uid: str) -> RemovedRecords:
        """Removes a line, or a donation or remittance with its line, found by uid."""
        return _REMOVERS[record](self.db, self._id(record, uid))


# Each returns what restore_records needs to put the records back.
_REMOVERS: dict[RecordKind, Callable[[Database, int], RemovedRecords]] = {
    "line": ledger.remove_line,
    "donation": ledger.remove_donation,
    "remittance": ledger.remove_remittance,
}


class _TakeOutCommand(LedgerCommand):
    """A change of which one side takes records out of the ledger and the other puts
    exactly those back, uids and all; subclasses give ``_take_out``."""

    def __init__(self, context: LedgerContext, text: str) -> None:
        super().__init__(context, text)
        self._removed: RemovedRecords | None = None

    def _take_out(self) -> RemovedRecords:
        raise NotImplementedError

    def _take(self) -> None:
        self._removed = self._take_out()

    def _put_back(self) -> None:
        if self._removed is not None:
            ledger.restore_records(self.db, self._removed)
            self._removed = None


class _AddCommand(_TakeOutCommand):
    """Adds records (``_first``); undo takes them out, redo puts the same ones back."""

    def _redo(self) -> None:
        if self._removed is None:
            self._first()
        else:
            self._put_back()

    def _undo(self) -> None:
        self._take()


class _RemoveCommand(_TakeOutCommand):
    """Removes records; undo puts them back exactly."""

    def _redo(self) -> None:
        self._take()

    def _undo(self) -> None:
        self._put_back()


def _words(data: LedgerLineInput) -> str:
    """How a line is named in an undo step."""
    return data.description.strip() or data.category.strip()


class _AddRecordCommand(_AddCommand):
    """Adds a line, or a donation or remittance with its line, and follows it by uid."""

    record: RecordKind = "line"

    def __init__(self, context: LedgerContext, text: str) -> None:
        super().__init__(context, text)
        self._uid = ""

    def _add(self) -> int:
        raise NotImplementedError

    def _first(self) -> None:
        self._uid = ledger.uid_for_id(self.db, self.record, self._add())

    def _take_out(self) -> RemovedRecords:
        return self._remove(self.record, self._uid)


class AddLineCommand(_AddRecordCommand):
    """Adds a line; undo removes it, redo puts the same line back."""

    record: RecordKind = "line"

    def __init__(self, context: LedgerContext, data: LedgerLineInput) -> None:
        super().__init__(context, _tr("Add {what}").format(what=_words(data)))
        self._data = data

    def _add(self) -> int:
        return ledger.add_line(self.db, self._data)

    def line_id(self) -> int | None:
        return ledger.id_for_uid(self.db, "line", self._uid) if self._uid else None


class EditLineCommand(LedgerCommand):
    """Changes a line from old to new; undo writes old back."""

    def __init__(
        self, context: LedgerContext, line_id: int, old: LedgerLineInput, new: LedgerLineInput
    ) -> None:
        super().__init__(context, _tr("Change {what}").format(what=_words(new)))
        self._uid = ledger.uid_for_id(context.db, "line", line_id)
        self._old = old
        self._new = new

    def _redo(self) -> None:
        ledger.update_line(self.db, self._id("line", self._uid), self._new)

    def _undo(self) -> None:
        ledger.update_line(self.db, self._id("line", self._uid), self._old)

    def line_id(self) -> int | None:
        return ledger.id_for_uid(self.db, "line", self._uid)


class RemoveRecordCommand(_RemoveCommand):
    """Removes a donation or remittance with its line (or a plain line); undo puts
    them back."""

    def __init__(
        self, context: LedgerContext, record: RecordKind, record_id: int, words: str
    ) -> None:
        super().__init__(context, _tr("Remove {what}").format(what=words))
        self._record = record
        self._uid = ledger.uid_for_id(context.db, record, record_id)

    def _take_out(self) -> RemovedRecords:
        return self._remove(self._record, self._uid)


class RemoveLineCommand(RemoveRecordCommand):
    """Removes a line; undo puts it back exactly."""

    def __init__(self, context: LedgerContext, line_id: int, words: str) -> None:
        super().__init__(context, "line", line_id, words)

    def line_id(self) -> int | None:
        return ledger.id_for_uid(self.db, "line", self._uid)


class RecordDuesCommand(_AddCommand):
    """Records a dues payment; undo takes it back and returns the paid-through date."""

    def __init__(
        self,
        context: LedgerContext,
        name: str,
        person_id: int,
        amount_cents: int,
        paid_on: date,
        months: int,
        method: PaymentMethod,
        receipt_ref: str = "",
    ) -> None:
        super().__init__(context, _tr("Dues from {name}").format(name=name))
        self._args = (person_id, amount_cents, paid_on, months)
        self._method = method
        self._receipt_ref = receipt_ref
        self.receipt: ledger.DuesReceipt | None = None
        self._payment_uid = ""
        self._line_uid = ""

    def _first(self) -> None:
        self.receipt = ledger.record_dues_payment(
            self.db, *self._args, method=self._method, receipt_ref=self._receipt_ref
        )
        self._payment_uid = ledger.uid_for_id(self.db, "dues", self.receipt.payment_id)
        self._line_uid = ledger.uid_for_id(self.db, "line", self.receipt.ledger_entry_id)

    def _take_out(self) -> RemovedRecords:
        assert self.receipt is not None
        payment_id = self._id("dues", self._payment_uid)
        return ledger.cancel_dues_payment(self.db, payment_id, self.receipt.paid_through_before)

    def line_id(self) -> int | None:
        return ledger.id_for_uid(self.db, "line", self._line_uid) if self._line_uid else None


class AddDonationCommand(_AddRecordCommand):
    record: RecordKind = "donation"

    def __init__(self, context: LedgerContext, data: DonationInput, donor: str) -> None:
        super().__init__(
            context,
            _tr("Donation of {amount} from {donor}").format(
                amount=context.style().format(data.amount_cents), donor=donor
            ),
        )
        self._data = data

    def _add(self) -> int:
        return ledger.add_donation(self.db, self._data)


class AddRemittanceCommand(_AddRecordCommand):
    record: RecordKind = "remittance"

    def __init__(self, context: LedgerContext, data: RemittanceInput) -> None:
        super().__init__(
            context,
            _tr("Remittance of {amount}").format(amount=context.style().format(data.amount_cents)),
        )
        self._data = data

    def _add(self) -> int:
        return ledger.add_remittance(self.db, self._data)


class AcknowledgeCommand(LedgerCommand):
    """Sets the day a donation was thanked or a remittance acknowledged (None: not yet)."""

    def __init__(
        self, context: LedgerContext, record: RecordKind, record_id: int, day: date | None
    ) -> None:
        text = (
            _tr("Mark donation thanked")
            if record == "donation"
            else _tr("Mark remittance acknowledged")
        )
        super().__init__(context, text)
        self._record = record
        self._uid = ledger.uid_for_id(context.db, record, record_id)
        self._day = day
        self._before: date | None = None

    def _set(self, day: date | None) -> date | None:
        record_id = self._id(self._record, self._uid)
        if self._record == "donation":
            return ledger.acknowledge_donation(self.db, record_id, day)
        return ledger.acknowledge_remittance(self.db, record_id, day)

    def _redo(self) -> None:
        self._before = self._set(self._day)

    def _undo(self) -> None:
        self._set(self._before)


class OpeningBalancesCommand(LedgerCommand):
    def __init__(self, context: LedgerContext, bank_cents: int, cash_cents: int) -> None:
        super().__init__(context, _tr("Set opening balances"))
        self._new = (bank_cents, cash_cents)
        self._old: ledger.Balances | None = None

    def _redo(self) -> None:
        self._old = ledger.set_opening_balances(self.db, *self._new)

    def _undo(self) -> None:
        if self._old is not None:
            ledger.set_opening_balances(self.db, self._old.bank_cents, self._old.cash_cents)


__all__ = [
    "AcknowledgeCommand",
    "AddDonationCommand",
    "AddLineCommand",
    "AddRemittanceCommand",
    "EditLineCommand",
    "LedgerCommand",
    "LedgerContext",
    "OpeningBalancesCommand",
    "RecordDuesCommand",
    "RemoveLineCommand",
    "RemoveRecordCommand",
]
