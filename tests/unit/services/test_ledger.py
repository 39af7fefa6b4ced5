"""The treasurer's ledger: lines and running balance, filters, dues, donations,
remittances, event budgets, undo records and the paragraph for the minutes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from desktop_app.db import Database
from desktop_app.models import Account, DuesPayment, EntryKind, LedgerEntry, PaymentMethod, Person
from desktop_app.services import events, ledger, roster
from desktop_app.services.group import GroupProfileData, save_profile
from desktop_app.services.ledger import (
    BudgetLineInput,
    DonationInput,
    LedgerError,
    LedgerLineInput,
    Period,
    RemittanceInput,
)
from desktop_app.services.roster import PersonInput


def line(
    day: date,
    cents: int,
    category: str,
    kind: EntryKind = EntryKind.EXPENSE,
    account: Account = Account.BANK,
    **more: object,
) -> LedgerLineInput:
    return LedgerLineInput(
        occurred_on=day,
        description=more.pop("description", f"{category} on {day}"),  # type: ignore[arg-type]
        category=category,
        kind=kind,
        amount_cents=cents,
        account=account,
        **more,  # type: ignore[arg-type]
    )


@pytest.fixture
def group(db: Database) -> Database:
    save_profile(db, GroupProfileData(name="Riverside Group", country="US"))
    ledger.set_opening_balances(db, 100_000, 5_000)
    return db


def member(db: Database, given: str, through: date | None = None, **more: object) -> int:
    data = PersonInput(
        given_name=given,
        family_name="Member",
        status="member",  # type: ignore[arg-type]
        dues_paid_through=through,
        **more,  # type: ignore[arg-type]
    )
    return roster.create_person(db, data).person_id


# --- lines and balances -------------------------------------------------------------------


def test_running_balance_starts_at_the_opening_balances_and_follows_date_order(
    group: Database,
) -> None:
    # Entered out of order: the balance follows the dates, then the order of entry.
    ledger.add_line(group, line(date(2026, 3, 1), 2_000, "Printing"))
    ledger.add_line(group, line(date(2026, 1, 5), 2_500, "Dues", EntryKind.INCOME))
    ledger.add_line(group, line(date(2026, 1, 5), 700, "Refreshments", account=Account.CASH))
    rows = ledger.list_lines(group)
    assert [r.data.category for r in rows] == ["Dues", "Refreshments", "Printing"]
    assert [r.balance_cents for r in rows] == [107_500, 106_800, 104_800]
    bank = ledger.list_lines(group, account=Account.BANK)
    assert [r.balance_cents for r in bank] == [102_500, 100_500]
    cash = ledger.list_lines(group, account=Account.CASH)
    assert [r.balance_cents for r in cash] == [4_300]
    assert ledger.balances(group) == ledger.Balances(100_500, 4_300)
    assert ledger.balances(group, date(2026, 2, 1)) == ledger.Balances(102_500, 4_300)


def test_filters_hide_lines_but_keep_each_lines_true_balance(group: Database) -> None:
    ledger.add_line(group, line(date(2025, 12, 30), 10_000, "Grants", EntryKind.INCOME))
    ledger.add_line(group, line(date(2026, 1, 15), 1_000, "Printing"))
    ledger.add_line(group, line(date(2026, 2, 15), 3_000, "Venue"))
    ledger.add_line(group, line(date(2026, 4, 1), 500, "Printing"))
    january = ledger.list_lines(group, Period.month(2026, 1))
    assert [(r.data.category, r.balance_cents) for r in january] == [("Printing", 114_000)]
    first_quarter = ledger.list_lines(group, Period.quarter(2026, 1))
    assert [r.balance_cents for r in first_quarter] == [114_000, 111_000]
    printing = ledger.list_lines(group, Period.year(2026), category="Printing")
    assert [r.balance_cents for r in printing] == [114_000, 110_500]
    custom = ledger.list_lines(group, Period.custom(date(2025, 12, 1), date(2026, 1, 31)))
    assert len(custom) == 2
    expenses = ledger.list_lines(group, kind=EntryKind.EXPENSE)
    assert len(expenses) == 3
    with pytest.raises(LedgerError, match="end is before"):
        Period.custom(date(2026, 2, 1), date(2026, 1, 1))


def test_categories_in_use_and_suggestions(group: Database) -> None:
    ledger.add_line(group, line(date(2026, 1, 1), 100, "Banner paint"))
    ledger.add_line(group, line(date(2026, 1, 2), 100, "Banner paint"))
    ledger.add_line(group, line(date(2026, 1, 3), 900, "Raffle", EntryKind.INCOME))
    uses = ledger.categories_in_use(group)
    assert [(u.name, u.kind, u.lines) for u in uses] == [
        ("Raffle", EntryKind.INCOME, 1),
        ("Banner paint", EntryKind.EXPENSE, 2),
    ]
    expense_names = ledger.category_suggestions(group, EntryKind.EXPENSE)
    assert "Banner paint" in expense_names and "Printing" in expense_names
    assert "Raffle" not in expense_names
    assert expense_names == sorted(expense_names, key=str.casefold)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"amount_cents": 0}, "more than zero"),
        ({"amount_cents": -500}, "more than zero"),
        ({"category": "   "}, "Category"),
        ({"description": "x" * 501}, "Description"),
        ({"person_id": 9999}, "Person"),
        ({"event_id": 9999}, "Event"),
    ],
)
def test_bad_lines_are_refused_with_the_field_named(
    group: Database, change: dict[str, object], message: str
) -> None:
    base = line(date(2026, 1, 1), 1_000, "Printing")
    data = LedgerLineInput(**{**base.__dict__, **change})  # type: ignore[arg-type]
    with pytest.raises(LedgerError, match=message):
        ledger.add_line(group, data)
    assert ledger.list_lines(group) == []


def test_edit_returns_what_was_there_and_remove_restores_exactly(group: Database) -> None:
    person = member(group, "Ana")
    line_id = ledger.add_line(
        group, line(date(2026, 1, 1), 1_000, "Printing", person_id=person, receipt_ref="R-1")
    )
    uid = ledger.list_lines(group)[0].uid
    before = ledger.update_line(group, line_id, line(date(2026, 1, 2), 1_250, "Postage"))
    assert before.amount_cents == 1_000 and before.receipt_ref == "R-1"
    assert ledger.get_line(group, line_id).category == "Postage"

    removed = ledger.remove_line(group, line_id)
    assert ledger.list_lines(group) == []
    restored_id = ledger.restore_records(group, removed)
    again = ledger.list_lines(group)
    assert [(r.id, r.uid, r.data.amount_cents) for r in again] == [(restored_id, uid, 1_250)]
    assert restored_id == line_id  # the id was still free
    with pytest.raises(LedgerError, match="already"):
        ledger.restore_records(group, removed)


def test_restore_takes_a_new_id_when_the_old_one_was_taken(group: Database) -> None:
    line_id = ledger.add_line(group, line(date(2026, 1, 1), 1_000, "Printing"))
    removed = ledger.remove_line(group, line_id)
    taken = ledger.add_line(group, line(date(2026, 1, 2), 300, "Postage"))
    assert taken == line_id  # SQLite hands the freed id out again
    restored = ledger.restore_records(group, removed)
    assert restored != line_id
    assert {r.data.category for r in ledger.list_lines(group)} == {"Printing", "Postage"}


def test_opening_balances_live_on_the_group_profile(group: Database) -> None:
    before = ledger.set_opening_balances(group, 25_000, 0)
    assert before == ledger.Balances(100_000, 5_000)
    assert ledger.opening_balances(group) == ledger.Balances(25_000, 0)
    with pytest.raises(LedgerError, match="far too large"):
        ledger.set_opening_balances(group, 10**12, 0)


def test_opening_balances_need_a_profile(db: Database) -> None:
    with pytest.raises(LedgerError, match="group profile"):
        ledger.set_opening_balances(db, 100, 0)


# --- dues ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "paid_on", "months", "expected"),
    [
        (None, date(2026, 3, 10), 12, date(2027, 3, 10)),  # first payment: from the day paid
        (date(2026, 12, 31), date(2026, 11, 20), 12, date(2027, 12, 31)),  # early: no time lost
        (date(2025, 6, 30), date(2026, 3, 10), 12, date(2027, 3, 10)),  # lapsed: from the day paid
        (date(2026, 1, 31), date(2026, 1, 10), 1, date(2026, 2, 28)),  # 31st to a short month
        (date(2026, 3, 10), date(2026, 3, 10), 6, date(2026, 9, 10)),
    ],
)
def test_next_paid_through_rule(
    current: date | None, paid_on: date, months: int, expected: date
) -> None:
    assert ledger.next_paid_through(current, paid_on, months) == expected


def test_recording_dues_adds_payment_line_and_advances_paid_through_together(
    group: Database,
) -> None:
    ana = member(group, "Ana", through=date(2026, 12, 31))
    receipt = ledger.record_dues_payment(
        group, ana, 2_500, date(2026, 11, 20), method=PaymentMethod.CASH
    )
    assert receipt.paid_through_before == date(2026, 12, 31)
    assert receipt.paid_through == date(2027, 12, 31)
    assert roster.get_person(group, ana).data.dues_paid_through == date(2027, 12, 31)
    rows = ledger.list_lines(group)
    assert len(rows) == 1
    only = rows[0]
    assert (only.data.category, only.data.kind, only.data.amount_cents) == (
        "Dues",
        EntryKind.INCOME,
        2_500,
    )
    assert only.data.account is Account.CASH and only.data.person_id == ana
    assert only.records == "dues" and "Ana Member" in only.data.description
    payments = ledger.dues_payments(group)
    assert [(p.member, p.amount_cents, p.ledger_entry_id) for p in payments] == [
        ("Ana Member", 2_500, only.id)
    ]


def test_dues_payment_failure_leaves_nothing_behind(group: Database) -> None:
    ana = member(group, "Ana")
    with pytest.raises(LedgerError, match="Months"):
        ledger.record_dues_payment(group, ana, 2_500, date(2026, 1, 1), months=0)
    with pytest.raises(LedgerError, match="more than zero"):
        ledger.record_dues_payment(group, ana, 0, date(2026, 1, 1))
    roster.remove_people(group, [ana])
    with pytest.raises(LedgerError, match="trash"):
        ledger.record_dues_payment(group, ana, 2_500, date(2026, 1, 1))
    with group.read_session() as session:
        assert session.query(LedgerEntry).count() == 0
        assert session.query(DuesPayment).count() == 0
        assert session.get(Person, ana).dues_paid_through is None  # type: ignore[union-attr]


def test_cancelling_a_dues_payment_puts_everything_back_and_redo_works(group: Database) -> None:
    ana = member(group, "Ana", through=date(2026, 5, 1))
    receipt = ledger.record_dues_payment(group, ana, 2_500, date(2026, 4, 1))
    removed = ledger.cancel_dues_payment(group, receipt.payment_id, receipt.paid_through_before)
    assert ledger.list_lines(group) == [] and ledger.dues_payments(group) == []
    assert roster.get_person(group, ana).data.dues_paid_through == date(2026, 5, 1)
    ledger.restore_records(group, removed)
    assert roster.get_person(group, ana).data.dues_paid_through == date(2027, 5, 1)
    assert [r.records for r in ledger.list_lines(group)] == ["dues"]


def test_a_dues_line_keeps_the_amount_of_its_payments(group: Database) -> None:
    ana = member(group, "Ana")
    receipt = ledger.record_dues_payment(group, ana, 2_500, date(2026, 4, 1))
    data = ledger.get_line(group, receipt.ledger_entry_id)
    with pytest.raises(LedgerError, match="amount is theirs"):
        ledger.update_line(
            group, receipt.ledger_entry_id, LedgerLineInput(**{**data.__dict__, "amount_cents": 1})
        )
    with pytest.raises(LedgerError, match="dues"):
        ledger.remove_line(group, receipt.ledger_entry_id)
    # Other fields may change.
    ledger.update_line(
        group, receipt.ledger_entry_id, LedgerLineInput(**{**data.__dict__, "receipt_ref": "D-9"})
    )
    assert ledger.get_line(group, receipt.ledger_entry_id).receipt_ref == "D-9"


def test_lapsed_list_matches_the_rosters_lapsed_filter(group: Database) -> None:
    today = date(2026, 11, 30)
    lapsed = member(group, "Lapsed", through=date(2026, 11, 29), phone="617 555 0142")
    member(group, "Current", through=date(2026, 11, 30))
    member(group, "Waived", through=date(2020, 1, 1), dues_waived=True)
    member(group, "Never")
    quiet = member(group, "Quiet", through=date(2025, 1, 1), do_not_contact=True, email="q@x.org")
    gone = member(group, "Gone", through=date(2024, 1, 1))
    roster.remove_people(group, [gone])
    found = ledger.lapsed_dues(group, today)
    assert [m.person_id for m in found] == [quiet, lapsed]  # longest lapsed first
    assert found[0].email == "" and found[0].do_not_contact
    assert found[1].phone == "+16175550142"
    assert ledger.lapsed_count(group, today) == 2


# --- donations and remittances ------------------------------------------------------------


def test_donation_with_its_line_acknowledgement_and_removal(group: Database) -> None:
    ana = member(group, "Ana")
    donation_id = ledger.add_donation(
        group,
        DonationInput(received_on=date(2026, 2, 3), amount_cents=5_000, person_id=ana),
    )
    outside = ledger.add_donation(
        group,
        DonationInput(
            received_on=date(2026, 2, 4),
            amount_cents=2_000,
            donor_name="Teachers Union Local 412",
            method=PaymentMethod.CASH,
        ),
    )
    rows = ledger.list_donations(group)
    assert [(r.donor, r.amount_cents, r.acknowledged_on) for r in rows] == [
        ("Teachers Union Local 412", 2_000, None),
        ("Ana Member", 5_000, None),
    ]
    lines = ledger.list_lines(group)
    assert [(r.data.category, r.data.account, r.records) for r in lines] == [
        ("Donations", Account.BANK, "donation"),
        ("Donations", Account.CASH, "donation"),
    ]
    assert ledger.acknowledge_donation(group, donation_id, date(2026, 2, 10)) is None
    with pytest.raises(LedgerError, match="before it was received"):
        ledger.acknowledge_donation(group, donation_id, date(2026, 1, 1))
    with pytest.raises(LedgerError, match="remove the donation"):
        ledger.remove_line(group, lines[0].id)
    # Editing the line keeps the donation in step.
    data = ledger.get_line(group, lines[0].id)
    ledger.update_line(
        group, lines[0].id, LedgerLineInput(**{**data.__dict__, "amount_cents": 6_000})
    )
    assert ledger.list_donations(group)[1].amount_cents == 6_000
    removed = ledger.remove_donation(group, outside)
    assert len(ledger.list_donations(group)) == 1 and len(ledger.list_lines(group)) == 1
    ledger.restore_records(group, removed)
    assert len(ledger.list_donations(group)) == 2 and len(ledger.list_lines(group)) == 2
    with pytest.raises(LedgerError, match="Donor"):
        ledger.add_donation(group, DonationInput(date(2026, 1, 1), 100))


def test_remittance_expense_and_acknowledgement(group: Database) -> None:
    remittance_id = ledger.add_remittance(
        group,
        RemittanceInput(
            sent_on=date(2026, 10, 15), amount_cents=45_000, period="2026 Q3", reference="REM-7"
        ),
    )
    [row] = ledger.list_remittances(group)
    assert (row.period, row.reference, row.acknowledged_on) == ("2026 Q3", "REM-7", None)
    [entry] = ledger.list_lines(group)
    assert entry.data.kind is EntryKind.EXPENSE
    assert entry.data.category == ledger.REMITTANCE_CATEGORY
    assert entry.balance_cents == 105_000 - 45_000
    ledger.acknowledge_remittance(group, remittance_id, date(2026, 11, 2))
    assert ledger.list_remittances(group)[0].acknowledged_on == date(2026, 11, 2)
    with pytest.raises(LedgerError, match="stays an expense"):
        data = ledger.get_line(group, entry.id)
        ledger.update_line(
            group, entry.id, LedgerLineInput(**{**data.__dict__, "kind": EntryKind.INCOME})
        )


# --- event budgets ------------------------------------------------------------------------


def test_event_budget_planned_against_actual(group: Database) -> None:
    event_id = events.create_event(
        group,
        events.EventInput(title="Benefit concert", starts_at=datetime(2026, 5, 2, 18, tzinfo=UTC)),
    ).id
    ledger.add_budget_line(group, event_id, BudgetLineInput("Venue", EntryKind.EXPENSE, 20_000))
    ledger.add_budget_line(
        group, event_id, BudgetLineInput("Fundraising", EntryKind.INCOME, 50_000, "Tickets")
    )
    ledger.add_line(group, line(date(2026, 5, 2), 22_500, "Venue", event_id=event_id))
    ledger.add_line(
        group, line(date(2026, 5, 2), 61_000, "Fundraising", EntryKind.INCOME, event_id=event_id)
    )
    ledger.add_line(group, line(date(2026, 5, 2), 3_000, "Refreshments", event_id=event_id))
    ledger.add_line(group, line(date(2026, 5, 2), 999, "Venue"))  # another event's, or none
    budget = ledger.event_budget(group, event_id)
    rows = {(r.category, r.kind): r for r in budget.lines}
    assert rows[("Venue", EntryKind.EXPENSE)].difference_cents == 2_500
    assert rows[("Fundraising", EntryKind.INCOME)].actual_cents == 61_000
    unplanned = rows[("Refreshments", EntryKind.EXPENSE)]
    assert (unplanned.id, unplanned.planned_cents, unplanned.actual_cents) == (None, 0, 3_000)
    assert budget.total(EntryKind.EXPENSE, actual=True) == 25_500
    assert budget.total(EntryKind.EXPENSE, actual=False) == 20_000
    with pytest.raises(LedgerError, match="planned for this event already"):
        ledger.add_budget_line(group, event_id, BudgetLineInput("venue", EntryKind.EXPENSE, 1))
    venue_id = rows[("Venue", EntryKind.EXPENSE)].id
    assert venue_id is not None
    removed = ledger.remove_budget_line(group, venue_id)
    assert len(ledger.event_budget(group, event_id).lines) == 3  # Venue is now unplanned
    ledger.restore_records(group, removed)
    assert ledger.event_budget(group, event_id).total(EntryKind.EXPENSE, actual=False) == 20_000
    assert any(c.id == event_id for c in ledger.budget_event_choices(group, date(2026, 6, 1)))


# --- the paragraph for the minutes --------------------------------------------------------


def test_treasurer_report_paragraph_has_the_right_numbers(group: Database) -> None:
    ledger.set_opening_balances(group, 90_000, 20_000)
    ledger.add_line(group, line(date(2026, 10, 20), 3_000, "Printing"))  # before the month
    for given, through in (("A", date(2026, 1, 1)), ("B", date(2026, 6, 1)), ("C", None)):
        member(group, given, through=through)
    paying = member(group, "Payer", through=date(2026, 11, 1))
    ledger.record_dues_payment(group, paying, 20_000, date(2026, 11, 5))
    ledger.add_donation(group, DonationInput(date(2026, 11, 10), 15_000, donor_name="Anon"))
    ledger.add_line(group, line(date(2026, 11, 12), 7_000, "Printing"))
    ledger.add_line(group, line(date(2026, 11, 13), 5_000, "Venue", account=Account.CASH))
    ledger.add_line(group, line(date(2026, 12, 2), 100_000, "Venue"))  # after the report day
    ledger.add_remittance(group, RemittanceInput(date(2026, 10, 15), 40_000, "2026 Q3"))
    text = ledger.treasurer_report(group, date(2026, 11, 30))
    # Bank: 900.00 - 30.00 - 400.00 + 200.00 + 150.00 - 70.00 = 750.00; cash 200 - 50.
    assert text.startswith(
        "On 30 November 2026 the group has $750.00 in the bank and $150.00 in cash."
    )
    assert (
        "Since 1 November: $350.00 came in (dues $200.00, donations $150.00) "
        "and $120.00 went out (printing $70.00, venue $50.00)." in text
    )
    assert "2 members' dues have lapsed." in text
    assert "1 remittance to the national office ($400.00) awaits acknowledgement." in text


def test_report_of_a_quiet_month_and_another_currency(db: Database) -> None:
    save_profile(db, GroupProfileData(name="Gruppe Köln", country="DE", currency="EUR"))
    ledger.set_opening_balances(db, 104_250, 0)
    text = ledger.treasurer_report(db, date(2026, 3, 31), since=date(2025, 12, 1))
    assert text == (
        "On 31 March 2026 the group has 1.042,50\u00a0€ in the bank and 0,00\u00a0€ in cash. "
        "Since 1 December 2025 nothing came in or went out. No member's dues have lapsed."
    )
