"""The Treasurer page: lines added through the dialog land in the database, the balance
shown is right, amounts are read as typed (and refused when negative or zero), Undo
takes changes back, dues are recorded for a member picked with the completer, and the
workbook and lists exported from the page and File > Export read back with openpyxl."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QUndoStack
from pytestqt.qtbot import QtBot

from desktop_app.db import Database
from desktop_app.models import EntryKind, LedgerEntry
from desktop_app.services import events, ledger, roster
from desktop_app.services.group import GroupProfileData, save_profile
from desktop_app.services.ledger import LedgerLineInput
from desktop_app.views import export_actions, save_paths
from desktop_app.views.ledger_dialogs import (
    BudgetLineDialog,
    DuesDialog,
    LineDialog,
    OpeningBalancesDialog,
    chosen_account,
)
from desktop_app.views.local_time import local_today
from desktop_app.views.main_window import MainWindow
from desktop_app.views.table_models.ledger_model import LedgerTableModel
from desktop_app.views.treasurer_page import DUES, REPORT, TreasurerPage, period_for
from tests.gui.roster_fixtures import (
    add_person,
    open_dialog,
    pick,
    popup_noise,
    show_page,
    undo_stack,
    us_english,
)

__all__ = ["add_person", "undo_stack", "us_english"]  # fixtures

pytestmark = pytest.mark.usefixtures("us_english")
AddPerson = Callable[..., int]


@pytest.fixture
def books(db: Database) -> Database:
    save_profile(db, GroupProfileData(name="Riverside Group", country="US"))
    ledger.set_opening_balances(db, 100_000, 5_000)
    return db


@pytest.fixture
def page(qtbot: QtBot, books: Database, undo_stack: QUndoStack) -> TreasurerPage:
    treasurer = TreasurerPage(books, undo_stack)
    treasurer.set_undo_stack(undo_stack)
    return show_page(qtbot, treasurer, 1100, 700)


def lines_in_database(db: Database) -> list[tuple[str, str, int]]:
    with db.read_session() as session:
        return [
            (e.category, e.kind.value, e.amount_cents)
            for e in session.query(LedgerEntry).order_by(LedgerEntry.id)
        ]


def fill_line(qtbot: QtBot, dialog: LineDialog, amount: str, category: str, words: str) -> None:
    dialog.amount.clear()
    qtbot.keyClicks(dialog.amount, amount)
    dialog.category.setCurrentText(category)
    dialog.description.setText(words)


def shown(page: TreasurerPage, row: int, column: int) -> str:
    return str(page.ledger_model.index(row, column).data())


def test_a_line_added_in_the_dialog_is_saved_and_the_balance_is_right(
    qtbot: QtBot, page: TreasurerPage, books: Database
) -> None:
    assert page.balances_label.text() == "Bank $1,000.00 · Cash $50.00 · Together $1,050.00"
    qtbot.mouseClick(page.money_out_button, Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot, page)
    assert isinstance(dialog, LineDialog)
    fill_line(qtbot, dialog, "$12.50", "Printing", "Flyers for the vigil")
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: page.current_dialog() is None)
    assert lines_in_database(books) == [("Printing", "expense", 1_250)]
    assert page.ledger_model.rowCount() == 1
    assert shown(page, 0, LedgerTableModel.MONEY_OUT) == "$12.50"
    assert shown(page, 0, LedgerTableModel.BALANCE) == "$1,037.50"
    assert page.balances_label.text().startswith("Bank $987.50 · Cash $50.00")
    assert page.ledger_totals.text() == "1 line · in $0.00 · out $12.50"

    qtbot.mouseClick(page.money_in_button, Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot, page)
    assert isinstance(dialog, LineDialog)
    fill_line(qtbot, dialog, "1.234,50", "Raffle", "Raffle at the social")
    dialog.method.setCurrentIndex(dialog.method.findData(ledger.PaymentMethod.CASH))
    assert chosen_account(dialog.account) is ledger.Account.CASH  # cash goes in the cash box
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: page.current_dialog() is None)
    assert lines_in_database(books)[-1] == ("Raffle", "income", 123_450)
    assert ledger.balances(books) == ledger.Balances(98_750, 128_450)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-5", "must be more than zero"),
        ("0", "must be more than zero"),
        ("0,00", "must be more than zero"),
        ("twelve", "not an amount"),
        ("12.345,678", "more than two decimals"),
    ],
)
def test_bad_amounts_are_refused_in_words_and_the_dialog_stays_open(
    qtbot: QtBot, page: TreasurerPage, books: Database, typed: str, message: str
) -> None:
    page.add_line(EntryKind.EXPENSE)
    dialog = open_dialog(qtbot, page)
    assert isinstance(dialog, LineDialog)
    fill_line(qtbot, dialog, typed, "Printing", "")
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)  # type: ignore[arg-type]
    assert dialog.isVisible() and page.current_dialog() is dialog
    assert dialog.error.isVisible() and message in dialog.error.text()
    assert lines_in_database(books) == []
    dialog.reject()


def test_ok_waits_for_an_amount_and_a_category(qtbot: QtBot, page: TreasurerPage) -> None:
    page.add_line(EntryKind.INCOME)
    dialog = open_dialog(qtbot, page)
    assert isinstance(dialog, LineDialog)
    ok = dialog.ok_button()
    assert ok is not None and not ok.isEnabled()
    qtbot.keyClicks(dialog.amount, "5")
    dialog.category.setCurrentText("")
    assert not ok.isEnabled()
    dialog.category.setCurrentText("Dues")
    assert ok.isEnabled()
    dialog.reject()


def test_add_change_remove_and_undo_them(
    qtbot: QtBot, page: TreasurerPage, books: Database, undo_stack: QUndoStack
) -> None:
    page.add_line(EntryKind.EXPENSE)
    dialog = open_dialog(qtbot, page)
    assert isinstance(dialog, LineDialog)
    fill_line(qtbot, dialog, "20", "Venue", "Hall")
    dialog.accept()
    uid = page.ledger_model.row_at(0).uid  # type: ignore[union-attr]
    page.select_line(page.ledger_model.row_at(0).id)  # type: ignore[union-attr]
    page.edit_selected_line()
    dialog = open_dialog(qtbot, page)
    assert isinstance(dialog, LineDialog)
    assert dialog.amount.text() == "20.00" and dialog.category.currentText() == "Venue"
    dialog.amount.setText("25")
    dialog.accept()
    assert lines_in_database(books) == [("Venue", "expense", 2_500)]
    page.select_line(page.ledger_model.row_at(0).id)  # type: ignore[union-attr]
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert lines_in_database(books) == []
    assert page.ledger_model.rowCount() == 0
    assert "Undo brings it back" in page.message.text()

    undo_stack.undo()  # the removal
    assert lines_in_database(books) == [("Venue", "expense", 2_500)]
    assert page.ledger_model.row_at(0).uid == uid  # type: ignore[union-attr]
    undo_stack.undo()  # the change
    assert lines_in_database(books) == [("Venue", "expense", 2_000)]
    undo_stack.undo()  # the line itself
    assert lines_in_database(books) == []
    assert page.balances_label.text().startswith("Bank $1,000.00")
    undo_stack.redo()
    undo_stack.redo()
    assert lines_in_database(books) == [("Venue", "expense", 2_500)]
    assert undo_stack.count() == 3


def test_opening_balances_dialog_and_period_filter(
    qtbot: QtBot, page: TreasurerPage, books: Database, undo_stack: QUndoStack
) -> None:
    today = local_today()
    ledger.add_line(
        books,
        LedgerLineInput(today.replace(month=1, day=1) - timedelta(days=1), "", "Grants",
                        EntryKind.INCOME, 10_000),
    )  # fmt: skip
    ledger.add_line(books, LedgerLineInput(today, "", "Printing", EntryKind.EXPENSE, 500))
    page.reload()
    assert page.ledger_model.rowCount() == 1  # this year only
    assert shown(page, 0, LedgerTableModel.BALANCE) == "$1,145.00"  # last year's grant counts
    page.set_period("all")
    assert page.ledger_model.rowCount() == 2
    page.edit_opening_balances()
    dialog = open_dialog(qtbot, page)
    assert isinstance(dialog, OpeningBalancesDialog)
    assert dialog.amount.text() == "1000.00" and dialog.cash.text() == "50.00"
    dialog.amount.setText("2,000")
    dialog.cash.setText("-10")  # an overdrawn box is allowed
    dialog.accept()
    assert ledger.opening_balances(books) == ledger.Balances(200_000, -1_000)
    assert shown(page, 1, LedgerTableModel.BALANCE) == "$2,085.00"
    undo_stack.undo()
    assert ledger.opening_balances(books) == ledger.Balances(100_000, 5_000)


@popup_noise
def test_dues_recorded_for_a_member_picked_with_the_completer(
    qtbot: QtBot,
    page: TreasurerPage,
    books: Database,
    add_person: AddPerson,
    undo_stack: QUndoStack,
) -> None:
    today = local_today()
    ana = add_person(given_name="Ana", family_name="Lima", dues_paid_through=today - timedelta(1))
    add_person(given_name="Ben", family_name="Okafor", dues_paid_through=today - timedelta(90))
    page.tabs.setCurrentIndex(DUES)
    assert page.lapsed_model.rowCount() == 2
    assert "(2)" in page.lapsed_label.text()
    qtbot.mouseClick(page.dues_button, Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot, page)
    assert isinstance(dialog, DuesDialog)
    pick(qtbot, dialog.member, "Lima")
    assert dialog.member.person_id() == ana
    qtbot.keyClicks(dialog.amount, "25")
    assert "After this payment" in dialog.preview.text()
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: page.current_dialog() is None)
    through = roster.get_person(books, ana).data.dues_paid_through
    assert through == ledger.add_months(today, 12)
    assert page.lapsed_model.rowCount() == 1
    assert lines_in_database(books) == [("Dues", "income", 2_500)]
    assert "paid through" in page.message.text()
    undo_stack.undo()
    assert roster.get_person(books, ana).data.dues_paid_through == today - timedelta(1)
    assert lines_in_database(books) == [] and page.lapsed_model.rowCount() == 2


def test_donation_remittance_and_budget_tabs(
    qtbot: QtBot, page: TreasurerPage, books: Database, undo_stack: QUndoStack
) -> None:
    today = local_today()
    ledger.add_donation(books, ledger.DonationInput(today, 5_000, donor_name="Parish"))
    ledger.add_remittance(books, ledger.RemittanceInput(today, 30_000, "2026 Q3"))
    event_id = events.create_event(
        books, events.EventInput(title="Benefit", starts_at=datetime.now(UTC))
    ).id
    ledger.add_budget_line(books, event_id, ledger.BudgetLineInput("Venue", planned_cents=20_000))
    ledger.add_line(
        books, LedgerLineInput(today, "", "Venue", EntryKind.EXPENSE, 25_000, event_id=event_id)
    )
    page.tabs.setCurrentIndex(2)
    assert page.donations_model.rowCount() == 1
    page.donations_table.selectRow(0)
    page.remove_record("donation")
    assert ledger.list_donations(books) == []
    undo_stack.undo()
    assert len(ledger.list_donations(books)) == 1
    page.tabs.setCurrentIndex(3)
    assert "1 awaiting acknowledgement" in page.remittances_label.text()
    page.tabs.setCurrentIndex(4)
    page.budget_event.setCurrentIndex(page.budget_event.findData(event_id))
    page.budget_event.activated.emit(page.budget_event.currentIndex())
    assert page.budget_model.rowCount() == 1
    difference = page.budget_model.index(0, 4)
    assert difference.data() == "+$50.00" and difference.data(Qt.ItemDataRole.ForegroundRole)
    assert (
        page.budget_totals.text()
    ) == "Planned: in $0.00, out $200.00. Actual: in $0.00, out $250.00."


def test_report_paragraph_and_copy(qtbot: QtBot, page: TreasurerPage, books: Database) -> None:
    today = local_today()
    ledger.add_line(books, LedgerLineInput(today, "", "Dues", EntryKind.INCOME, 2_000))
    page.tabs.setCurrentIndex(REPORT)
    text = page.report_paragraph()
    assert text == ledger.treasurer_report(books, today, today.replace(day=1))
    assert "$1,020.00 in the bank" in text and "$20.00 came in (dues $20.00)" in text
    qtbot.mouseClick(page.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == text


def test_models_pass_the_model_tester(qtmodeltester, page: TreasurerPage, books: Database) -> None:  # type: ignore[no-untyped-def]
    ledger.add_line(books, LedgerLineInput(local_today(), "x", "Printing", EntryKind.EXPENSE, 1))
    page.reload()
    qtmodeltester.check(page.ledger_model)


def test_period_choices() -> None:
    today = date(2026, 2, 10)
    start, end = date(2025, 5, 1), date(2025, 6, 1)
    assert period_for("last_month", today, start, end) == ledger.Period.month(2026, 1)
    assert period_for("last_quarter", today, start, end) == ledger.Period.quarter(2025, 4)
    assert period_for("this_quarter", today, start, end) == ledger.Period.quarter(2026, 1)
    assert period_for("custom", today, end, start).start == start  # swapped dates sorted


def test_export_from_the_page_writes_a_workbook_openpyxl_reads(
    qtbot: QtBot,
    page: TreasurerPage,
    books: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ledger.add_line(
        books, LedgerLineInput(local_today(), "=2+2", "Printing", EntryKind.EXPENSE, 700)
    )
    target = tmp_path / "books"
    monkeypatch.setattr(export_actions, "ask_workbook_year", lambda parent, years: (True, None))
    monkeypatch.setattr(save_paths, "ask_save_path", lambda *args: target)
    task = page.export_workbook()
    assert task is not None
    with qtbot.waitSignal(task.finished, timeout=30_000):
        pass
    written = tmp_path / "books.xlsx"  # the suffix is added
    assert "Saved the treasurer's workbook (1 ledger lines)" in page.message.text()
    sheet = load_workbook(written)["Transactions"]
    assert sheet["B2"].value == "=2+2" and sheet["B2"].data_type == "s"
    assert sheet["E2"].value == 7


def test_file_export_menu_writes_the_lists(
    qtbot: QtBot,
    books: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    add_person: AddPerson,
) -> None:
    add_person(given_name="Ana", family_name="Lima", postal_code="02139",
               address_line1="1 Main St", mail_ok=True)  # fmt: skip
    add_person(given_name="Dora", family_name="Quiet", do_not_contact=True, mail_ok=True)
    window = MainWindow(books)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    names = [action.objectName() for action in window.export_menu.actions() if action.text()]
    assert names == [
        "actionExportTreasurer",
        "actionExportRoster",
        "actionExportMailingList",
        "actionExportEmailList",
        "actionExportPhoneList",
    ]
    assert any(page.page_title() == "Treasurer" for page in window.pages())
    target = tmp_path / "labels.xlsx"
    monkeypatch.setattr(save_paths, "ask_save_path", lambda *args: target)
    window.export_people_actions["mail"].trigger()
    qtbot.waitUntil(lambda: target.exists(), timeout=30_000)
    qtbot.waitUntil(lambda: "Saved 1 people" in window.statusBar().currentMessage())
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert rows[1][0] == "Ana Lima" and rows[1][5] == "02139"
    assert len(rows) == 2
    window.close()


def test_budget_lines_are_planned_and_changed_in_the_dialog(
    qtbot: QtBot, page: TreasurerPage, books: Database
) -> None:
    event_id = events.create_event(
        books, events.EventInput(title="Benefit", starts_at=datetime.now(UTC))
    ).id
    ledger.add_line(
        books,
        LedgerLineInput(local_today(), "", "Snacks", EntryKind.EXPENSE, 1_500, event_id=event_id),
    )
    page.tabs.setCurrentIndex(4)
    page.budget_event.setCurrentIndex(page.budget_event.findData(event_id))
    page.budget_event.activated.emit(page.budget_event.currentIndex())

    def planned() -> list[tuple[str, int, bool]]:
        lines = ledger.event_budget(books, event_id).lines
        return sorted((line.category, line.planned_cents, line.id is not None) for line in lines)

    def fill_and_save(category: str, amount: str) -> None:
        dialog = open_dialog(qtbot, page)
        assert isinstance(dialog, BudgetLineDialog)
        assert "Benefit" in dialog.windowTitle()
        dialog.category.setCurrentText(category)
        dialog.amount.clear()
        qtbot.keyClicks(dialog.amount, amount)
        qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)  # type: ignore[arg-type]
        qtbot.waitUntil(lambda: page.current_dialog() is None)

    page.add_budget_line()
    fill_and_save("Venue", "$200")
    assert planned() == [("Snacks", 0, False), ("Venue", 20_000, True)]
    assert page.budget_model.rowCount() == 2  # read again after the save

    page.budget_table.selectRow(page.budget_model.row_where(lambda r: r.category == "Venue"))
    page.edit_budget_line()
    fill_and_save("Venue", "$180")
    assert planned() == [("Snacks", 0, False), ("Venue", 18_000, True)]

    # Changing a category spent on but never planned plans it.
    page.budget_table.selectRow(page.budget_model.row_where(lambda r: r.category == "Snacks"))
    page.edit_budget_line()
    fill_and_save("Snacks", "$20")
    assert planned() == [("Snacks", 2_000, True), ("Venue", 18_000, True)]
