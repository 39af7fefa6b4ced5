"""The Treasurer page's undo steps on an undo stack: every kind of addition and removal
goes, comes back with the same uids, goes again; a member's paid-through date follows
their dues; a step the ledger refuses is reported once and dropped.

What is checked is read back from the database; what the page was told is recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from PySide6.QtGui import QUndoStack
from sqlalchemy import select

from desktop_app.db import Database
from desktop_app.models import (
    Donation,
    DuesPayment,
    EntryKind,
    LedgerEntry,
    PaymentMethod,
    Remittance,
)
from desktop_app.services import ledger, roster
from desktop_app.services.group import GroupProfileData, save_profile
from desktop_app.services.ledger import DonationInput, LedgerLineInput, RemittanceInput
from desktop_app.services.money import MoneyStyle
from desktop_app.views.ledger_commands import (
    AddDonationCommand,
    AddLineCommand,
    AddRemittanceCommand,
    LedgerCommand,
    LedgerContext,
    RecordDuesCommand,
    RemoveLineCommand,
    RemoveRecordCommand,
)
from tests.gui.roster_fixtures import undo_stack

__all__ = ["undo_stack"]  # fixtures

DAY = date(2026, 3, 14)
Records = dict[str, frozenset[str]]


class Page:
    """Stands for the Treasurer page: records what the commands tell it."""

    def __init__(self) -> None:
        self.selected: list[int | None] = []
        self.messages: list[str] = []


@pytest.fixture
def page() -> Page:
    return Page()


@pytest.fixture
def context(db: Database, page: Page) -> LedgerContext:
    save_profile(db, GroupProfileData(name="Riverside Group", country="US"))
    return LedgerContext(db, MoneyStyle, page.selected.append, page.messages.append)


def records(db: Database) -> Records:
    """record kind -> the uids in the database."""
    models: dict[str, Any] = {
        "line": LedgerEntry,
        "dues": DuesPayment,
        "donation": Donation,
        "remittance": Remittance,
    }
    with db.read_session() as session:
        return {
            kind: frozenset(session.scalars(select(model.uid)).all())
            for kind, model in models.items()
        }


def push(stack: QUndoStack, command: LedgerCommand) -> None:
    assert command.save_first() == ""
    stack.push(command)


def a_line(amount: int = 2_000) -> LedgerLineInput:
    return LedgerLineInput(DAY, "Hall", "Venue", EntryKind.EXPENSE, amount)


Make = Callable[[LedgerContext], LedgerCommand]

ADDITIONS: dict[str, Make] = {
    "line": lambda c: AddLineCommand(c, a_line()),
    "donation": lambda c: AddDonationCommand(
        c, DonationInput(DAY, 5_000, donor_name="Parish"), "Parish"
    ),
    "remittance": lambda c: AddRemittanceCommand(c, RemittanceInput(DAY, 30_000, "Q1")),
}


@pytest.mark.parametrize("kind", list(ADDITIONS))
def test_an_addition_undone_and_redone_comes_back_with_its_uids(
    kind: str, db: Database, context: LedgerContext, undo_stack: QUndoStack, page: Page
) -> None:
    before = records(db)
    push(undo_stack, ADDITIONS[kind](context))
    added = records(db)
    assert added[kind] - before[kind] and added["line"] - before["line"]
    for _ in range(2):
        undo_stack.undo()
        assert records(db) == before
        undo_stack.redo()
        assert records(db) == added
    assert page.messages == [] and undo_stack.count() == 1


@pytest.mark.parametrize("kind", ["line", "donation", "remittance"])
def test_a_removal_undone_and_redone_goes_and_comes_back_whole(
    kind: str, db: Database, context: LedgerContext, undo_stack: QUndoStack, page: Page
) -> None:
    if kind == "line":
        record_id = ledger.add_line(db, a_line())
        command: LedgerCommand = RemoveLineCommand(context, record_id, "Hall")
    elif kind == "donation":
        record_id = ledger.add_donation(db, DonationInput(DAY, 5_000, donor_name="Parish"))
        command = RemoveRecordCommand(context, "donation", record_id, "the donation")
    else:
        record_id = ledger.add_remittance(db, RemittanceInput(DAY, 30_000))
        command = RemoveRecordCommand(context, "remittance", record_id, "the remittance")
    there = records(db)
    push(undo_stack, command)
    gone = records(db)
    assert not gone[kind] and not gone["line"]
    for _ in range(2):
        undo_stack.undo()
        assert records(db) == there
        undo_stack.redo()
        assert records(db) == gone
    assert page.messages == []


def test_a_line_is_selected_while_it_stands_and_not_once_undone(
    db: Database, context: LedgerContext, undo_stack: QUndoStack, page: Page
) -> None:
    push(undo_stack, AddLineCommand(context, a_line()))
    undo_stack.undo()
    undo_stack.redo()
    (line,) = ledger.list_lines(db)
    assert page.selected == [line.id, None, line.id]


def test_dues_undone_and_redone_move_the_paid_through_date_back_and_forth(
    db: Database, context: LedgerContext, undo_stack: QUndoStack, page: Page
) -> None:
    ana = roster.create_person(
        db, roster.PersonInput(given_name="Ana", dues_paid_through=date(2026, 3, 1))
    ).person_id
    command = RecordDuesCommand(context, "Ana", ana, 2_500, DAY, 12, PaymentMethod.CASH)
    push(undo_stack, command)
    paid = records(db)
    assert command.receipt is not None
    through = command.receipt.paid_through
    assert through > date(2026, 3, 1)
    for _ in range(2):
        undo_stack.undo()
        assert not records(db)["dues"] and not records(db)["line"]
        assert roster.get_person(db, ana).data.dues_paid_through == date(2026, 3, 1)
        undo_stack.redo()
        assert records(db) == paid
        assert roster.get_person(db, ana).data.dues_paid_through == through
    assert page.selected[-1] == ledger.list_lines(db)[0].id


def test_an_undo_the_ledger_refuses_is_reported_once_and_dropped(
    db: Database, context: LedgerContext, undo_stack: QUndoStack, page: Page
) -> None:
    push(undo_stack, AddLineCommand(context, a_line()))
    push(
        undo_stack,
        AddDonationCommand(context, DonationInput(DAY, 5_000, donor_name="Parish"), "Parish"),
    )
    # Removed behind the page's back (say from the command line): nothing left to undo.
    (donation,) = ledger.list_donations(db)
    ledger.remove_donation(db, donation.id)
    undo_stack.undo()
    assert page.messages == ["That record is no longer in the ledger."]
    assert page.selected[-1] is None
    assert undo_stack.count() == 1 and undo_stack.undoText() == "Add Hall"
    undo_stack.undo()
    assert records(db)["line"] == frozenset()
    assert page.messages == ["That record is no longer in the ledger."]
