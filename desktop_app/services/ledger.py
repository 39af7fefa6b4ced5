"""The treasurer's ledger: income and expense lines, dues, donations, remittances to the
national office, event budgets, and the paragraph for the minutes.

Amounts are integer cents, always positive; a line's kind (income or expense) gives
its sign. Each function is one unit of work and returns frozen dataclasses.

Rules a treasurer can rely on:

- The running balance of a line is the balance of the account(s) after that line:
  the opening balance from the group profile plus every line up to it, in date order
  (and order of entry on the same day). Filtering by period or category hides lines;
  it never changes the balance shown on the lines left: that is the figure to
  compare with a bank statement. With an account filter (bank or cash) the balance is
  of that account alone, otherwise of both together.
- Recording a dues payment adds the payment and its income line in one transaction
  and moves the member's paid-through date on by the months paid, counted from the
  later of the day paid and the current paid-through date: paying early extends the
  membership without losing time, paying after it lapsed starts from the day paid.
  (Months are calendar months; the 31st becomes the last day of a shorter month.)
- A line that records a donation, a remittance or dues payments is changed together
  with that record: its amount and date follow the donation or remittance, and a
  dues deposit's amount stays the sum of its payments. Such a line is removed by
  removing the donation or remittance, not on its own.
- Removing returns a ``RemovedRecords`` that ``restore_records`` puts back exactly
  (same uid, and the same id when it is still free): the window's Undo uses it.
- "Lapsed" means what the roster's dues filter means: not waived, not in the trash,
  paid through a day before ``as_of``.
"""

from __future__ import annotations

import calendar
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from sqlalchemy import String, Table, case, func, insert, select, type_coerce
from sqlalchemy.orm import Session

from desktop_app.db import Database
from desktop_app.models import (
    Account,
    Donation,
    DuesPayment,
    EntryKind,
    Event,
    EventBudgetLine,
    GroupProfile,
    LedgerEntry,
    PaymentMethod,
    Person,
    Remittance,
)
from desktop_app.services.money import MAX_AMOUNT_CENTS, MoneyStyle, money_style
from desktop_app.tasks.steps import run_to_end
from desktop_app.text import display_name

if TYPE_CHECKING:
    from desktop_app.exports.treasurer_xlsx import TreasurerWorkbook

DUES_CATEGORY = "Dues"
DONATIONS_CATEGORY = "Donations"
REMITTANCE_CATEGORY = "Remittance to national office"
MAX_DESCRIPTION = 500
MAX_CATEGORY = 100
MAX_RECEIPT = 200
MAX_DUES_MONTHS = 120

DEFAULT_CATEGORIES: dict[EntryKind, tuple[str, ...]] = {
    EntryKind.INCOME: (
        DUES_CATEGORY,
        DONATIONS_CATEGORY,
        "Fundraising",
        "Grants",
        "Other income",
    ),
    EntryKind.EXPENSE: (
        "Printing",
        "Postage",
        "Venue",
        "Refreshments",
        "Travel",
        REMITTANCE_CATEGORY,
        "Bank fees",
        "Other expenses",
    ),
}

METHOD_LABELS: dict[PaymentMethod, str] = {
    PaymentMethod.CASH: "Cash",
    PaymentMethod.CHEQUE: "Cheque",
    PaymentMethod.CARD: "Card",
    PaymentMethod.BANK_TRANSFER: "Bank transfer",
    PaymentMethod.ONLINE: "Online",
    PaymentMethod.OTHER: "Other",
}
ACCOUNT_LABELS: dict[Account, str] = {Account.BANK: "Bank", Account.CASH: "Cash"}
KIND_LABELS: dict[EntryKind, str] = {EntryKind.INCOME: "Income", EntryKind.EXPENSE: "Expense"}

# English, as the paragraph is, whatever the locale (Qt sets the C library's): index 1 = January.
MONTH_NAMES = ("", "January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")  # fmt: skip


class LedgerError(ValueError):
    """A line or record that cannot be saved or found; str() names the field and problem."""


_Record = TypeVar("_Record")


def _get(session: Session, model: type[_Record], record_id: int, missing: str) -> _Record:
    """The record with that id; LedgerError(missing) when it is no longer there."""
    record = session.get(model, record_id)
    if record is None:
        raise LedgerError(missing)
    return record


# --- periods ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Dates from start to end, both included; None on either side means open."""

    start: date | None = None
    end: date | None = None
    label: str = "All dates"

    @classmethod
    def everything(cls) -> Period:
        return cls()

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        last = calendar.monthrange(year, month)[1]
        return cls(date(year, month, 1), date(year, month, last), f"{MONTH_NAMES[month]} {year}")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise LedgerError("Quarter: 1 to 4.")
        first = 3 * quarter - 2
        last = calendar.monthrange(year, first + 2)[1]
        return cls(date(year, first, 1), date(year, first + 2, last), f"{year} Q{quarter}")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), str(year))

    @classmethod
    def custom(cls, start: date | None, end: date | None) -> Period:
        if start is not None and end is not None and end < start:
            raise LedgerError("Period: the end is before the start.")
        words = f"{day_text(start) if start else '…'} – {day_text(end) if end else '…'}"
        return cls(start, end, words)

    def contains(self, day: date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


def day_text(day: date, *, year: bool = True) -> str:
    """A date in words, in English: "30 November 2026" (or "30 November")."""
    text = f"{day.day} {MONTH_NAMES[day.month]}"
    return f"{text} {day.year}" if year else text


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later; the 31st becomes a shorter month's last."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- data ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerLineInput:
    """What the line dialog edits."""

    occurred_on: date
    description: str
    category: str
    kind: EntryKind
    amount_cents: int
    method: PaymentMethod = PaymentMethod.OTHER
    account: Account = Account.BANK
    person_id: int | None = None
    event_id: int | None = None
    receipt_ref: str = ""


@dataclass(frozen=True)
class LedgerLine:
    """One line as listed, with the balance after it."""

    id: int
    uid: str
    data: LedgerLineInput
    balance_cents: int
    person_name: str = ""
    event_title: str = ""
    records: str = ""  # "dues", "donation", "remittance" or "" (a plain line)

    @property
    def signed_cents(self) -> int:
        amount = self.data.amount_cents
        return amount if self.data.kind is EntryKind.INCOME else -amount


@dataclass(frozen=True)
class Balances:
    bank_cents: int
    cash_cents: int

    @property
    def total_cents(self) -> int:
        return self.bank_cents + self.cash_cents


@dataclass(frozen=True)
class CategoryUse:
    name: str
    kind: EntryKind
    lines: int


@dataclass(frozen=True)
class RemovedRecords:
    """What a removal took out, to put back exactly (Undo). Rows are column -> value."""

    ledger_entries: tuple[dict[str, Any], ...] = ()
    dues_payments: tuple[dict[str, Any], ...] = ()
    donations: tuple[dict[str, Any], ...] = ()
    remittances: tuple[dict[str, Any], ...] = ()
    event_budget_lines: tuple[dict[str, Any], ...] = ()
    # (person id, paid-through date to set again when restored)
    paid_through: tuple[tuple[int, date | None], ...] = ()
    main_uid: str = ""  # the uid of the record the removal was asked for


@dataclass(frozen=True)
class DuesReceipt:
    payment_id: int
    ledger_entry_id: int
    person_id: int
    paid_through_before: date | None
    paid_through: date


@dataclass(frozen=True)
class DuesRow:
    id: int
    person_id: int
    member: str
    paid_on: date
    amount_cents: int
    months: int
    paid_through: date
    ledger_entry_id: int | None
    dues_now: str  # "current", "lapsed", "waived"


@dataclass(frozen=True)
class LapsedMember:
    person_id: int
    name: str
    paid_through: date
    email: str
    phone: str
    do_not_contact: bool
    status: str


@dataclass(frozen=True)
class DonationInput:
    received_on: date
    amount_cents: int
    person_id: int | None = None
    donor_name: str = ""  # when the donor is not on the roster
    method: PaymentMethod = PaymentMethod.OTHER
    account: Account | None = None  # None: cash for cash, the bank otherwise
    acknowledged_on: date | None = None
    receipt_ref: str = ""


@dataclass(frozen=True)
class DonationRow:
    id: int
    uid: str
    received_on: date
    donor: str
    person_id: int | None
    amount_cents: int
    acknowledged_on: date | None
    ledger_entry_id: int | None
    method: PaymentMethod | None


@dataclass(frozen=True)
class RemittanceInput:
    sent_on: date
    amount_cents: int
    period: str = ""
    reference: str = ""
    method: PaymentMethod = PaymentMethod.BANK_TRANSFER
    account: Account = Account.BANK
    acknowledged_on: date | None = None


@dataclass(frozen=True)
class RemittanceRow:
    id: int
    uid: str
    sent_on: date
    amount_cents: int
    period: str
    reference: str
    acknowledged_on: date | None
    ledger_entry_id: int | None


@dataclass(frozen=True)
class BudgetLineInput:
    category: str
    kind: EntryKind = EntryKind.EXPENSE
    planned_cents: int = 0
    notes: str = ""


@dataclass(frozen=True)
class BudgetLineReport:
    """Planned against actual for one category of an event; id is None when unplanned."""

    id: int | None
    category: str
    kind: EntryKind
    planned_cents: int
    actual_cents: int
    notes: str = ""

    @property
    def difference_cents(self) -> int:
        """Actual minus planned: for an expense, positive means over budget."""
        return self.actual_cents - self.planned_cents


@dataclass(frozen=True)
class EventBudget:
    event_id: int
    title: str
    starts_on: date
    lines: tuple[BudgetLineReport, ...]

    def total(self, kind: EntryKind, *, actual: bool) -> int:
        return sum(
            (line.actual_cents if actual else line.planned_cents)
            for line in self.lines
            if line.kind is kind
        )


@dataclass(frozen=True)
class EventChoice:
    id: int
    title: str
    starts_on: date


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    counts: dict[str, int] = field(default_factory=dict)


# --- checking -------------------------------------------------------------------------------


def check_amount(cents: int, label: str = "Amount") -> int:
    if isinstance(cents, bool) or not isinstance(cents, int):
        raise LedgerError(f"{label}: a whole number of cents.")
    if cents <= 0:
        raise LedgerError(f"{label}: must be more than zero.")
    if cents > MAX_AMOUNT_CENTS:
        raise LedgerError(f"{label}: far too large; check the number.")
    return cents


def _text(value: str, label: str, limit: int, *, required: bool = False) -> str:
    cleaned = " ".join(value.split()) if "\n" not in value else value.strip()
    if required and not cleaned:
        raise LedgerError(f"{label}: please fill it in.")
    if len(cleaned) > limit:
        raise LedgerError(f"{label}: at most {limit} characters.")
    return cleaned


def check_line(data: LedgerLineInput) -> LedgerLineInput:
    """The input trimmed and checked; raises LedgerError naming the first bad field."""
    if not isinstance(data.occurred_on, date):
        raise LedgerError("Date: please give the date.")
    try:
        kind = EntryKind(data.kind)
        method = PaymentMethod(data.method)
        account = Account(data.account)
    except ValueError as exc:
        raise LedgerError(f"Line: {exc}.") from None
    return replace(
        data,
        description=_text(data.description, "Description", MAX_DESCRIPTION),
        category=_text(data.category, "Category", MAX_CATEGORY, required=True),
        kind=kind,
        amount_cents=check_amount(data.amount_cents),
        method=method,
        account=account,
        receipt_ref=_text(data.receipt_ref, "Receipt", MAX_RECEIPT),
    )


def default_account(method: PaymentMethod) -> Account:
    """Cash goes in the cash box; everything else moves through the bank."""
    return Account.CASH if method is PaymentMethod.CASH else Account.BANK


# --- the group's money style and opening balances --------------------------------------------


def _profile(session: Session) -> GroupProfile | None:
    return session.scalars(select(GroupProfile).order_by(GroupProfile.id)).first()


def group_money_style(db: Database) -> MoneyStyle:
    """How this group writes amounts (its profile's currency and country)."""
    with db.read_session() as session:
        profile = _profile(session)
        if profile is None:
            return money_style()
        return money_style(profile.currency, profile.country)


def opening_balances(db: Database) -> Balances:
    with db.read_session() as session:
        return _opening(session)


def _opening(session: Session) -> Balances:
    profile = _profile(session)
    if profile is None:
        return Balances(0, 0)
    return Balances(profile.opening_balance_cents or 0, profile.opening_cash_cents or 0)


def set_opening_balances(db: Database, bank_cents: int, cash_cents: int) -> Balances:
    """The balances before the first line; returns the previous ones (for Undo).

    An opening balance may be zero or negative (an overdrawn account).
    """
    for value, label in ((bank_cents, "Bank"), (cash_cents, "Cash")):
        if isinstance(value, bool) or not isinstance(value, int):
            raise LedgerError(f"{label} opening balance: a whole number of cents.")
        if abs(value) > MAX_AMOUNT_CENTS:
            raise LedgerError(f"{label} opening balance: far too large; check the number.")
    with db.session() as session:
        profile = _profile(session)
        if profile is None:
            raise LedgerError("Save the group profile first (File > Group profile).")
        before = Balances(profile.opening_balance_cents or 0, profile.opening_cash_cents or 0)
        profile.opening_balance_cents = bank_cents
        profile.opening_cash_cents = cash_cents
        return before


# --- lines ------------------------------------------------------------------------------------


def _check_links(session: Session, data: LedgerLineInput) -> None:
    if data.person_id is not None:
        person = session.get(Person, data.person_id)
        if person is None or person.erased_at is not None:
            raise LedgerError("Person: that person is no longer on the roster.")
    if data.event_id is not None and session.get(Event, data.event_id) is None:
        raise LedgerError("Event: that event no longer exists.")


def _add_entry(session: Session, data: LedgerLineInput) -> LedgerEntry:
    """A new ledger line, flushed so its id is known."""
    entry = LedgerEntry()
    _apply_line(entry, data)
    session.add(entry)
    session.flush()
    return entry


def _apply_line(entry: LedgerEntry, data: LedgerLineInput) -> None:
    entry.occurred_on = data.occurred_on
    entry.description = data.description
    entry.category = data.category
    entry.kind = data.kind
    entry.amount_cents = data.amount_cents
    entry.method = data.method
    entry.account = data.account
    entry.person_id = data.person_id
    entry.event_id = data.event_id
    entry.receipt_ref = data.receipt_ref


def _input_of(entry: LedgerEntry) -> LedgerLineInput:
    return LedgerLineInput(
        occurred_on=entry.occurred_on,
        description=entry.description,
        category=entry.category,
        kind=entry.kind,
        amount_cents=entry.amount_cents,
        method=entry.method,
        account=entry.account,
        person_id=entry.person_id,
        event_id=entry.event_id,
        receipt_ref=entry.receipt_ref,
    )


def add_line(db: Database, data: LedgerLineInput) -> int:
    """Add an income or expense line; returns its id."""
    data = check_line(data)
    with db.session() as session:
        _check_links(session, data)
        return _add_entry(session, data).id


def _load_entry(session: Session, line_id: int) -> LedgerEntry:
    missing = f"No ledger line with id {line_id}; it may have been removed."
    return _get(session, LedgerEntry, line_id, missing)


RecordKind = Literal["line", "dues", "donation", "remittance"]
_RECORD_MODELS: dict[str, Any] = {
    "line": LedgerEntry,
    "dues": DuesPayment,
    "donation": Donation,
    "remittance": Remittance,
}


def id_for_uid(db: Database, record: RecordKind, uid: str) -> int | None:
    """The current id of a record known by its uid (ids may change on restore; uids never)."""
    model = _RECORD_MODELS[record]
    with db.read_session() as session:
        found: int | None = session.scalar(select(model.id).where(model.uid == uid))
        return found


def uid_for_id(db: Database, record: RecordKind, record_id: int) -> str:
    model = _RECORD_MODELS[record]
    with db.read_session() as session:
        uid = session.scalar(select(model.uid).where(model.id == record_id))
    if uid is None:
        raise LedgerError("That record is no longer there.")
    return str(uid)


def line_id_for_uid(db: Database, uid: str) -> int | None:
    return id_for_uid(db, "line", uid)


def member_dues(db: Database, person_id: int) -> tuple[date | None, bool]:
    """A person's paid-through date and whether their dues are waived."""
    with db.read_session() as session:
        person = session.get(Person, person_id)
        if person is None:
            raise LedgerError("Member: that person is no longer on the roster.")
        return person.dues_paid_through, person.dues_waived


def get_line(db: Database, line_id: int) -> LedgerLineInput:
    with db.read_session() as session:
        return _input_of(_load_entry(session, line_id))


def update_line(db: Database, line_id: int, data: LedgerLineInput) -> LedgerLineInput:
    """Change a line; returns what it was (for Undo). Linked records change with it."""
    data = check_line(data)
    with db.session() as session:
        entry = _load_entry(session, line_id)
        _check_links(session, data)
        before = _input_of(entry)
        _follow_records(session, entry, data)
        _apply_line(entry, data)
        return before


def _follow_records(session: Session, entry: LedgerEntry, data: LedgerLineInput) -> None:
    """Keep a donation, remittance or dues deposit in step with its line (or refuse)."""
    donation = session.scalars(select(Donation).where(Donation.ledger_entry_id == entry.id)).first()
    if donation is not None:
        if data.kind is not EntryKind.INCOME:
            raise LedgerError("Kind: this line records a donation, so it stays income.")
        donation.amount_cents = data.amount_cents
        donation.received_on = data.occurred_on
        donation.person_id = data.person_id
    remittance = session.scalars(
        select(Remittance).where(Remittance.ledger_entry_id == entry.id)
    ).first()
    if remittance is not None:
        if data.kind is not EntryKind.EXPENSE:
            raise LedgerError("Kind: this line records a remittance, so it stays an expense.")
        remittance.amount_cents = data.amount_cents
        remittance.sent_on = data.occurred_on
    dues_total, dues_count = session.execute(
        select(func.coalesce(func.sum(DuesPayment.amount_cents), 0), func.count()).where(
            DuesPayment.ledger_entry_id == entry.id
        )
    ).one()
    if dues_count:
        if data.kind is not EntryKind.INCOME:
            raise LedgerError("Kind: this line records dues, so it stays income.")
        if data.amount_cents != dues_total:
            noun = "payment" if dues_count == 1 else f"{dues_count} payments"
            raise LedgerError(
                f"Amount: this line records dues ({noun}); its amount is theirs. "
                "Record a separate line for any difference."
            )


def _records_of(session: Session, line_id: int) -> str:
    if session.scalar(select(Donation.id).where(Donation.ledger_entry_id == line_id).limit(1)):
        return "donation"
    if session.scalar(select(Remittance.id).where(Remittance.ledger_entry_id == line_id).limit(1)):
        return "remittance"
    if session.scalar(
        select(DuesPayment.id).where(DuesPayment.ledger_entry_id == line_id).limit(1)
    ):
        return "dues"
    return ""


def _rows(session: Session, table: Table, condition: Any) -> tuple[dict[str, Any], ...]:
    return tuple(dict(row) for row in session.execute(select(table).where(condition)).mappings())


def _row_of(session: Session, record: Any) -> tuple[dict[str, Any], ...]:
    """A record's row as stored (column -> value), for RemovedRecords."""
    table: Table = type(record).__table__
    return _rows(session, table, table.c.id == record.id)


def remove_line(db: Database, line_id: int) -> RemovedRecords:
    """Remove a plain line; returns what restore_records needs to put it back."""
    with db.session() as session:
        entry = _load_entry(session, line_id)
        records = _records_of(session, line_id)
        if records == "donation":
            raise LedgerError(
                "This line records a donation: remove the donation instead (Donations)."
            )
        if records == "remittance":
            raise LedgerError(
                "This line records a remittance: remove the remittance instead (Remittances)."
            )
        if records == "dues":
            raise LedgerError(
                "This line records dues payments; it cannot be removed on its own. "
                "Record a correcting expense line instead."
            )
        removed = RemovedRecords(ledger_entries=_row_of(session, entry), main_uid=entry.uid)
        session.delete(entry)
        return removed


def _insert_keeping_id(session: Session, table: Table, row: dict[str, Any]) -> int:
    """Insert a removed row again, under its old id if nobody has taken it since."""
    values = dict(row)
    taken = session.scalar(select(table.c.id).where(table.c.id == values["id"]))
    if taken is not None:
        del values["id"]
    result = session.execute(insert(table).values(**values).returning(table.c.id))
    return int(result.scalar_one())


def restore_records(db: Database, removed: RemovedRecords) -> int:
    """Put removed records back exactly; returns the id of the main record's ledger line
    (or of the main record itself when it has no line)."""
    with db.session() as session:
        new_ids: dict[int, int] = {}
        ledger = LedgerEntry.__table__
        for row in removed.ledger_entries:
            if session.scalar(select(ledger.c.id).where(ledger.c.uid == row["uid"])) is not None:
                raise LedgerError("This line is in the ledger already; nothing to restore.")
            new_ids[row["id"]] = _insert_keeping_id(session, ledger, row)  # type: ignore[arg-type]
        # The main record's line, or (a budget line, say) the main record itself.
        main_id = next(iter(new_ids.values()), 0)
        for model, rows in (
            (DuesPayment, removed.dues_payments),
            (Donation, removed.donations),
            (Remittance, removed.remittances),
            (EventBudgetLine, removed.event_budget_lines),
        ):
            table: Table = model.__table__  # type: ignore[assignment]
            for row in rows:
                values = dict(row)
                linked = values.get("ledger_entry_id")
                if linked is not None:
                    values["ledger_entry_id"] = new_ids.get(linked, linked)
                    if model is DuesPayment and linked not in new_ids:
                        # A deposit of several payments shrank when this one was taken out.
                        deposit = session.get(LedgerEntry, linked)
                        if deposit is not None:
                            deposit.amount_cents += values["amount_cents"]
                made = _insert_keeping_id(session, table, values)
                if not new_ids and not main_id:
                    main_id = made
        for person_id, paid_through in removed.paid_through:
            person = session.get(Person, person_id)
            if person is not None:
                person.dues_paid_through = paid_through
        return main_id


# --- reading the ledger -------------------------------------------------------------------------


def _signed() -> Any:
    return case(
        (LedgerEntry.kind == EntryKind.INCOME, LedgerEntry.amount_cents),
        else_=-LedgerEntry.amount_cents,
    )


def _linked_line_ids(session: Session) -> dict[int, str]:
    linked: dict[int, str] = {}
    for kind, column in (
        ("dues", DuesPayment.ledger_entry_id),
        ("donation", Donation.ledger_entry_id),
        ("remittance", Remittance.ledger_entry_id),
    ):
        for line_id in session.scalars(select(column).where(column.is_not(None)).distinct()):
            if line_id is not None:
                linked[line_id] = kind
    return linked


def list_lines(
    db: Database,
    period: Period | None = None,
    category: str | None = None,
    account: Account | None = None,
    kind: EntryKind | None = None,
) -> list[LedgerLine]:
    """Lines in date order with the balance after each (see the module's rules)."""
    with db.read_session() as session:
        opening = _opening(session)
        start = {
            None: opening.total_cents,
            Account.BANK: opening.bank_cents,
            Account.CASH: opening.cash_cents,
        }[account]
        order = (LedgerEntry.occurred_on, LedgerEntry.id)
        inner = select(
            LedgerEntry.id,
            func.sum(_signed()).over(order_by=order).label("running"),
        )
        if account is not None:
            inner = inner.where(LedgerEntry.account == account)
        running = inner.subquery()
        query = (
            select(
                LedgerEntry,
                running.c.running,
                Person.preferred_name,
                Person.given_name,
                Person.family_name,
                Event.title,
            )
            .join(running, running.c.id == LedgerEntry.id)
            .outerjoin(Person, Person.id == LedgerEntry.person_id)
            .outerjoin(Event, Event.id == LedgerEntry.event_id)
            .order_by(*order)
        )
        query = _in_period(query, LedgerEntry.occurred_on, period)
        if category:
            query = query.where(LedgerEntry.category == category)
        if kind is not None:
            query = query.where(LedgerEntry.kind == kind)
        linked = _linked_line_ids(session)
        return [
            LedgerLine(
                id=entry.id,
                uid=entry.uid,
                data=_input_of(entry),
                balance_cents=start + int(total),
                person_name=display_name(given, family, preferred),
                event_title=title or "",
                records=linked.get(entry.id, ""),
            )
            for entry, total, preferred, given, family, title in session.execute(query)
        ]


def ledger_years(db: Database, today: date | None = None) -> list[int]:
    """The years the ledger has lines in, and this year, newest first."""
    this_year = (today or date.today()).year
    with db.read_session() as session:
        first, last = session.execute(
            select(func.min(LedgerEntry.occurred_on), func.max(LedgerEntry.occurred_on))
        ).one()
    low = min(first.year if first else this_year, this_year)
    high = max(last.year if last else this_year, this_year)
    return list(range(high, low - 1, -1))


def balances(db: Database, as_of: date | None = None) -> Balances:
    """Bank and cash at the end of as_of (default: after every line)."""
    with db.read_session() as session:
        return _balances(session, as_of)


def _balances(session: Session, as_of: date | None, *, before: bool = False) -> Balances:
    opening = _opening(session)
    query = select(LedgerEntry.account, func.coalesce(func.sum(_signed()), 0)).group_by(
        LedgerEntry.account
    )
    if as_of is not None:
        query = query.where(
            LedgerEntry.occurred_on < as_of if before else LedgerEntry.occurred_on <= as_of
        )
    sums = {account: int(total) for account, total in session.execute(query)}
    return Balances(
        opening.bank_cents + sums.get(Account.BANK, 0),
        opening.cash_cents + sums.get(Account.CASH, 0),
    )


def categories_in_use(db: Database) -> list[CategoryUse]:
    """Every category lines use, with its kind and how many lines; by kind, then name."""
    with db.read_session() as session:
        rows = session.execute(
            select(LedgerEntry.category, LedgerEntry.kind, func.count())
            .group_by(LedgerEntry.category, LedgerEntry.kind)
            .order_by(LedgerEntry.kind.desc(), func.lower(LedgerEntry.category))
        )
        return [CategoryUse(name, kind, int(count)) for name, kind, count in rows]


def category_suggestions(db: Database, kind: EntryKind | None = None) -> list[str]:
    """Categories to offer: those in use (of that kind) and the usual ones, A to Z."""
    names: dict[str, str] = {}
    kinds = [kind] if kind is not None else list(EntryKind)
    for use in categories_in_use(db):
        if use.kind in kinds:
            names.setdefault(use.name.casefold(), use.name)
    for one in kinds:
        for name in DEFAULT_CATEGORIES[one]:
            names.setdefault(name.casefold(), name)
    with db.read_session() as session:
        planned = session.scalars(
            select(EventBudgetLine.category).where(EventBudgetLine.kind.in_(kinds)).distinct()
        )
        for name in planned:
            if name:
                names.setdefault(name.casefold(), name)
    return sorted(names.values(), key=str.casefold)


def totals_by_category(
    db: Database, period: Period | None = None
) -> dict[EntryKind, list[tuple[str, int]]]:
    """Money in and out per category over a period, largest first."""
    with db.read_session() as session:
        return _totals(session, period)


def _totals(session: Session, period: Period | None) -> dict[EntryKind, list[tuple[str, int]]]:
    query = select(
        LedgerEntry.kind, LedgerEntry.category, func.sum(LedgerEntry.amount_cents)
    ).group_by(LedgerEntry.kind, LedgerEntry.category)
    query = _in_period(query, LedgerEntry.occurred_on, period)
    result: dict[EntryKind, list[tuple[str, int]]] = {kind: [] for kind in EntryKind}
    for kind, category, total in session.execute(query):
        result[kind].append((category, int(total)))
    for rows in result.values():
        rows.sort(key=lambda item: (-item[1], item[0].casefold()))
    return result


# --- dues ---------------------------------------------------------------------------------------


def next_paid_through(current: date | None, paid_on: date, months: int) -> date:
    """The paid-through date after paying ``months`` on ``paid_on`` (see the module's rule)."""
    base = paid_on if current is None or current < paid_on else current
    return add_months(base, months)


def record_dues_payment(
    db: Database,
    person_id: int,
    amount_cents: int,
    paid_on: date,
    months: int = 12,
    *,
    method: PaymentMethod = PaymentMethod.OTHER,
    account: Account | None = None,
    receipt_ref: str = "",
) -> DuesReceipt:
    """Record a member's dues: the payment, its income line and the new paid-through date,
    in one transaction."""
    check_amount(amount_cents)
    if isinstance(months, bool) or not 1 <= months <= MAX_DUES_MONTHS:
        raise LedgerError(f"Months: 1 to {MAX_DUES_MONTHS}.")
    receipt_ref = _text(receipt_ref, "Receipt", MAX_RECEIPT)
    with db.session() as session:
        person = session.get(Person, person_id)
        if person is None or person.erased_at is not None:
            raise LedgerError("Member: that person is no longer on the roster.")
        if person.removed_at is not None:
            raise LedgerError(f"Member: {person.display_name} is in the trash; restore them first.")
        before = person.dues_paid_through
        through = next_paid_through(before, paid_on, months)
        name = person.display_name or person.email or f"#{person.id}"
        span = "1 month" if months == 1 else f"{months} months"
        entry = _add_entry(
            session,
            LedgerLineInput(
                occurred_on=paid_on,
                description=f"Dues: {name} ({span})"[:MAX_DESCRIPTION],
                category=DUES_CATEGORY,
                kind=EntryKind.INCOME,
                amount_cents=amount_cents,
                method=method,
                account=account or default_account(method),
                person_id=person.id,
                receipt_ref=receipt_ref,
            ),
        )
        payment = DuesPayment(
            person_id=person.id,
            paid_on=paid_on,
            amount_cents=amount_cents,
            months=months,
            paid_through=through,
            ledger_entry_id=entry.id,
        )
        session.add(payment)
        person.dues_paid_through = through
        session.flush()
        return DuesReceipt(payment.id, entry.id, person.id, before, through)


def cancel_dues_payment(
    db: Database, payment_id: int, paid_through_before: date | None
) -> RemovedRecords:
    """Take a dues payment back (Undo of record_dues_payment): the payment goes, its line
    goes (or shrinks, when it is a deposit of several payments), and the member's
    paid-through date returns to paid_through_before unless it was changed since."""
    with db.session() as session:
        payment = _get(session, DuesPayment, payment_id, "That dues payment is no longer recorded.")
        removed_payment = _row_of(session, payment)
        lines: tuple[dict[str, Any], ...] = ()
        entry = session.get(LedgerEntry, payment.ledger_entry_id or 0)
        if entry is not None:
            others = session.scalar(
                select(func.count()).where(
                    DuesPayment.ledger_entry_id == entry.id, DuesPayment.id != payment.id
                )
            )
            if others:
                entry.amount_cents -= payment.amount_cents
            else:
                lines = _row_of(session, entry)
        person = session.get(Person, payment.person_id)
        paid_through: tuple[tuple[int, date | None], ...] = ()
        if person is not None and person.dues_paid_through == payment.paid_through:
            person.dues_paid_through = paid_through_before
            paid_through = ((person.id, payment.paid_through),)
        session.delete(payment)
        if lines and entry is not None:
            session.delete(entry)
        return RemovedRecords(
            ledger_entries=lines,
            dues_payments=removed_payment,
            paid_through=paid_through,
            main_uid=payment.uid,
        )


def dues_payments(db: Database, period: Period | None = None) -> list[DuesRow]:
    """Dues payments, newest first."""
    today = date.today()
    with db.read_session() as session:
        query = (
            select(
                DuesPayment,
                Person.preferred_name,
                Person.given_name,
                Person.family_name,
                Person.dues_paid_through,
                Person.dues_waived,
            )
            .join(Person, Person.id == DuesPayment.person_id)
            .order_by(DuesPayment.paid_on.desc(), DuesPayment.id.desc())
        )
        query = _in_period(query, DuesPayment.paid_on, period)
        rows = []
        for payment, preferred, given, family, through, waived in session.execute(query):
            state = "waived" if waived else _dues_state(through, today)
            rows.append(
                DuesRow(
                    id=payment.id,
                    person_id=payment.person_id,
                    member=display_name(given, family, preferred),
                    paid_on=payment.paid_on,
                    amount_cents=payment.amount_cents,
                    months=payment.months,
                    paid_through=payment.paid_through,
                    ledger_entry_id=payment.ledger_entry_id,
                    dues_now=state,
                )
            )
        return rows


def _dues_state(through: date | None, today: date) -> str:
    if through is None:
        return ""
    return "current" if through >= today else "lapsed"


def _in_period(query: Any, column: Any, period: Period | None) -> Any:
    if period is not None and period.start is not None:
        query = query.where(column >= period.start)
    if period is not None and period.end is not None:
        query = query.where(column <= period.end)
    return query


def _lapsed_condition(as_of: date) -> list[Any]:
    return [
        Person.removed_at.is_(None),
        Person.dues_waived.is_(False),
        Person.dues_paid_through.is_not(None),
        Person.dues_paid_through < as_of,
    ]


def lapsed_dues(db: Database, as_of: date | None = None) -> list[LapsedMember]:
    """People whose dues have lapsed by as_of (default today), longest lapsed first."""
    as_of = as_of or date.today()
    with db.read_session() as session:
        people = session.scalars(
            select(Person)
            .where(*_lapsed_condition(as_of))
            .order_by(Person.dues_paid_through, Person.sort_key)
        )
        return [
            LapsedMember(
                person_id=person.id,
                name=person.display_name,
                paid_through=person.dues_paid_through or as_of,
                email="" if person.do_not_contact else person.email,
                phone="" if person.do_not_contact else person.phone,
                do_not_contact=person.do_not_contact,
                status=person.status.value,
            )
            for person in people
        ]


def lapsed_count(db: Database, as_of: date | None = None) -> int:
    with db.read_session() as session:
        return _lapsed_count(session, as_of or date.today())


def _lapsed_count(session: Session, as_of: date) -> int:
    return int(
        session.scalar(select(func.count()).select_from(Person).where(*_lapsed_condition(as_of)))
        or 0
    )


# --- donations and remittances: a record with its ledger line ---------------------------------

_MoneyRecord = type[Donation] | type[Remittance]
_GONE: dict[_MoneyRecord, str] = {
    Donation: "That donation is no longer recorded.",
    Remittance: "That remittance is no longer recorded.",
}
# Said when the day it was thanked or acknowledged is before the money moved.
_TOO_EARLY: dict[_MoneyRecord, str] = {
    Donation: "Thanked on: the day it was thanked is before it was received.",
    Remittance: "Acknowledged on: the day is before the money was sent.",
}


def _check_acknowledged(model: _MoneyRecord, on: date | None, moved_on: date) -> None:
    if on is not None and on < moved_on:
        raise LedgerError(_TOO_EARLY[model])


def _acknowledge(db: Database, model: _MoneyRecord, record_id: int, on: date | None) -> date | None:
    """Set the day a donation was thanked or a remittance acknowledged (None: not yet);
    returns the previous value."""
    with db.session() as session:
        record = _get(session, model, record_id, _GONE[model])
        moved_on = record.received_on if isinstance(record, Donation) else record.sent_on
        _check_acknowledged(model, on, moved_on)
        before = record.acknowledged_on
        record.acknowledged_on = on
        return before


def _remove_with_line(db: Database, model: _MoneyRecord, record_id: int) -> RemovedRecords:
    """Remove a donation or remittance together with its ledger line."""
    with db.session() as session:
        record = _get(session, model, record_id, _GONE[model])
        rows = _row_of(session, record)
        lines: tuple[dict[str, Any], ...] = ()
        entry = session.get(LedgerEntry, record.ledger_entry_id or 0)
        if entry is not None:
            lines = _row_of(session, entry)
        if isinstance(record, Donation):
            removed = RemovedRecords(ledger_entries=lines, donations=rows, main_uid=record.uid)
        else:
            removed = RemovedRecords(ledger_entries=lines, remittances=rows, main_uid=record.uid)
        session.delete(record)
        if entry is not None:
            session.delete(entry)
        return removed


# --- donations ----------------------------------------------------------------------------------


def _donor_name(session: Session, person_id: int | None, donor_name: str) -> str:
    if person_id is None:
        return donor_name
    person = session.get(Person, person_id)
    return person.display_name if person is not None else donor_name


def add_donation(db: Database, data: DonationInput) -> int:
    """Record a donation and its income line; returns the donation's id."""
    check_amount(data.amount_cents)
    donor_name = _text(data.donor_name, "Donor", 300)
    if data.person_id is None and not donor_name:
        raise LedgerError("Donor: pick someone from the roster or type the donor's name.")
    _check_acknowledged(Donation, data.acknowledged_on, data.received_on)
    receipt = _text(data.receipt_ref, "Receipt", MAX_RECEIPT)
    method = PaymentMethod(data.method)
    with db.session() as session:
        line = LedgerLineInput(
            occurred_on=data.received_on,
            description="",
            category=DONATIONS_CATEGORY,
            kind=EntryKind.INCOME,
            amount_cents=data.amount_cents,
            method=method,
            account=data.account or default_account(method),
            person_id=data.person_id,
            receipt_ref=receipt,
        )
        _check_links(session, line)
        donor = _donor_name(session, data.person_id, donor_name)
        entry = _add_entry(
            session, replace(line, description=f"Donation: {donor}"[:MAX_DESCRIPTION])
        )
        donation = Donation(
            person_id=data.person_id,
            donor_name="" if data.person_id is not None else donor_name,
            received_on=data.received_on,
            amount_cents=data.amount_cents,
            acknowledged_on=data.acknowledged_on,
            ledger_entry_id=entry.id,
        )
        session.add(donation)
        session.flush()
        return donation.id


def acknowledge_donation(db: Database, donation_id: int, on: date | None) -> date | None:
    """Mark a donation thanked on a day (None: not yet); returns the previous value."""
    return _acknowledge(db, Donation, donation_id, on)


def remove_donation(db: Database, donation_id: int) -> RemovedRecords:
    """Remove a donation together with its ledger line."""
    return _remove_with_line(db, Donation, donation_id)


def list_donations(db: Database, period: Period | None = None) -> list[DonationRow]:
    """Donations, newest first."""
    with db.read_session() as session:
        query = (
            select(
                Donation,
                Person.preferred_name,
                Person.given_name,
                Person.family_name,
                LedgerEntry.method,
            )
            .outerjoin(Person, Person.id == Donation.person_id)
            .outerjoin(LedgerEntry, LedgerEntry.id == Donation.ledger_entry_id)
            .order_by(Donation.received_on.desc(), Donation.id.desc())
        )
        query = _in_period(query, Donation.received_on, period)
        return [
            DonationRow(
                id=donation.id,
                uid=donation.uid,
                received_on=donation.received_on,
                donor=display_name(given, family, preferred) or donation.donor_name,
                person_id=donation.person_id,
                amount_cents=donation.amount_cents,
                acknowledged_on=donation.acknowledged_on,
                ledger_entry_id=donation.ledger_entry_id,
                method=method,
            )
            for donation, preferred, given, family, method in session.execute(query)
        ]


# --- remittances ---------------------------------------------------------------------------------


def add_remittance(db: Database, data: RemittanceInput) -> int:
    """Record money sent on to the national office, and its expense line."""
    check_amount(data.amount_cents)
    period = _text(data.period, "Period", 100)
    reference = _text(data.reference, "Reference", 200)
    _check_acknowledged(Remittance, data.acknowledged_on, data.sent_on)
    with db.session() as session:
        words = f"Remittance {period}".strip() if period else "Remittance"
        entry = _add_entry(
            session,
            LedgerLineInput(
                occurred_on=data.sent_on,
                description=words,
                category=REMITTANCE_CATEGORY,
                kind=EntryKind.EXPENSE,
                amount_cents=data.amount_cents,
                method=PaymentMethod(data.method),
                account=Account(data.account),
                receipt_ref=reference[:MAX_RECEIPT],
            ),
        )
        remittance = Remittance(
            sent_on=data.sent_on,
            amount_cents=data.amount_cents,
            period=period,
            reference=reference,
            acknowledged_on=data.acknowledged_on,
            ledger_entry_id=entry.id,
        )
        session.add(remittance)
        session.flush()
        return remittance.id


def acknowledge_remittance(db: Database, remittance_id: int, on: date | None) -> date | None:
    """Mark a remittance acknowledged by the national office (None: not yet)."""
    return _acknowledge(db, Remittance, remittance_id, on)


def remove_remittance(db: Database, remittance_id: int) -> RemovedRecords:
    """Remove a remittance together with its ledger line."""
    return _remove_with_line(db, Remittance, remittance_id)


def list_remittances(db: Database, period: Period | None = None) -> list[RemittanceRow]:
    """Remittances, newest first."""
    with db.read_session() as session:
        query = select(Remittance).order_by(Remittance.sent_on.desc(), Remittance.id.desc())
        query = _in_period(query, Remittance.sent_on, period)
        return [
            RemittanceRow(
                id=r.id,
                uid=r.uid,
                sent_on=r.sent_on,
                amount_cents=r.amount_cents,
                period=r.period,
                reference=r.reference,
                acknowledged_on=r.acknowledged_on,
                ledger_entry_id=r.ledger_entry_id,
            )
            for r in session.scalars(query)
        ]


# --- event budgets --------------------------------------------------------------------------------


def budget_event_choices(db: Database, today: date | None = None) -> list[EventChoice]:
    """Events to budget for: upcoming ones and those of the last two years, newest first."""
    since = (today or date.today()) - timedelta(days=731)
    since_at = datetime(since.year, since.month, since.day, tzinfo=UTC)
    with db.read_session() as session:
        rows = session.execute(
            select(Event.id, Event.title, Event.starts_at)
            .where(Event.cancelled.is_(False), Event.starts_at >= since_at)
            .order_by(Event.starts_at.desc())
            .limit(500)
        )
        return [EventChoice(i, title, starts.astimezone().date()) for i, title, starts in rows]


_BUDGET_LINE_GONE = "That budget line is no longer there."


def _check_budget(data: BudgetLineInput) -> BudgetLineInput:
    if isinstance(data.planned_cents, bool) or not 0 <= data.planned_cents <= MAX_AMOUNT_CENTS:
        raise LedgerError("Planned: an amount of zero or more.")
    return replace(
        data,
        category=_text(data.category, "Category", MAX_CATEGORY, required=True),
        kind=EntryKind(data.kind),
        notes=data.notes.strip(),
    )


def add_budget_line(db: Database, event_id: int, data: BudgetLineInput) -> int:
    data = _check_budget(data)
    with db.session() as session:
        if session.get(Event, event_id) is None:
            raise LedgerError("Event: that event no longer exists.")
        taken = session.scalar(
            select(EventBudgetLine.id).where(
                EventBudgetLine.event_id == event_id,
                func.lower(EventBudgetLine.category) == data.category.lower(),
                EventBudgetLine.kind == data.kind,
            )
        )
        if taken is not None:
            raise LedgerError(
                f"Category: {data.category} is planned for this event already; change that line."
            )
        line = EventBudgetLine(
            event_id=event_id,
            category=data.category,
            kind=data.kind,
            planned_cents=data.planned_cents,
            notes=data.notes,
        )
        session.add(line)
        session.flush()
        return line.id


def update_budget_line(db: Database, line_id: int, data: BudgetLineInput) -> BudgetLineInput:
    data = _check_budget(data)
    with db.session() as session:
        line = _get(session, EventBudgetLine, line_id, _BUDGET_LINE_GONE)
        before = BudgetLineInput(line.category, line.kind, line.planned_cents, line.notes)
        line.category = data.category
        line.kind = data.kind
        line.planned_cents = data.planned_cents
        line.notes = data.notes
        return before


def remove_budget_line(db: Database, line_id: int) -> RemovedRecords:
    with db.session() as session:
        line = _get(session, EventBudgetLine, line_id, _BUDGET_LINE_GONE)
        removed = RemovedRecords(event_budget_lines=_row_of(session, line))
        session.delete(line)
        return removed


def event_budget(db: Database, event_id: int) -> EventBudget:
    """The event's planned lines against what the ledger shows for it, by category."""
    with db.read_session() as session:
        event = session.get(Event, event_id)
        if event is None:
            raise LedgerError("Event: that event no longer exists.")
        planned = session.scalars(
            select(EventBudgetLine)
            .where(EventBudgetLine.event_id == event_id)
            .order_by(EventBudgetLine.kind.desc(), EventBudgetLine.category)
        ).all()
        actual_rows = session.execute(
            select(LedgerEntry.category, LedgerEntry.kind, func.sum(LedgerEntry.amount_cents))
            .where(LedgerEntry.event_id == event_id)
            .group_by(LedgerEntry.category, LedgerEntry.kind)
        ).all()
        actual = {(cat.casefold(), kind): int(total) for cat, kind, total in actual_rows}
        lines = [
            BudgetLineReport(
                id=p.id,
                category=p.category,
                kind=p.kind,
                planned_cents=p.planned_cents,
                actual_cents=actual.pop((p.category.casefold(), p.kind), 0),
                notes=p.notes,
            )
            for p in planned
        ]
        for category, kind, total in actual_rows:
            if (category.casefold(), kind) in actual:
                lines.append(BudgetLineReport(None, category, kind, 0, int(total)))
        lines.sort(key=lambda line: (line.kind is not EntryKind.INCOME, line.category.casefold()))
        return EventBudget(event.id, event.title, event.starts_at.astimezone().date(), tuple(lines))


# --- the treasurer's report ---------------------------------------------------------------


def _lower_first(name: str) -> str:
    if len(name) > 1 and name[1].isupper():
        return name  # "UA postage", "NGO grant": an acronym stays as it is
    return name[:1].lower() + name[1:]


def _breakdown(rows: Sequence[tuple[str, int]], style: MoneyStyle, limit: int = 5) -> str:
    shown = list(rows[:limit]) if len(rows) <= limit else list(rows[: limit - 1])
    parts = [f"{_lower_first(name)} {style.format(cents)}" for name, cents in shown]
    rest = sum(cents for _, cents in rows[len(shown) :])
    if rest:
        parts.append(f"other {style.format(rest)}")
    return ", ".join(parts)


def treasurer_report(db: Database, as_of: date, since: date | None = None) -> str:
    """One paragraph for the minutes: balances on as_of, what came in and went out since
    ``since`` (default: the first of as_of's month), lapsed dues and open remittances."""
    since = since or as_of.replace(day=1)
    if since > as_of:
        raise LedgerError("Report: the start is after the day of the report.")
    style = group_money_style(db)
    with db.read_session() as session:
        money = _balances(session, as_of)
        totals = _totals(session, Period(since, as_of))
        lapsed = _lapsed_count(session, as_of)
        waiting = session.execute(
            select(func.count(), func.coalesce(func.sum(Remittance.amount_cents), 0)).where(
                Remittance.acknowledged_on.is_(None), Remittance.sent_on <= as_of
            )
        ).one()
    sentences = [
        f"On {day_text(as_of)} the group has {style.format(money.bank_cents)} in the bank "
        f"and {style.format(money.cash_cents)} in cash."
    ]
    came_in = sum(cents for _, cents in totals[EntryKind.INCOME])
    went_out = sum(cents for _, cents in totals[EntryKind.EXPENSE])
    start = day_text(since, year=since.year != as_of.year)
    if not came_in and not went_out:
        sentences.append(f"Since {start} nothing came in or went out.")
    else:
        incoming = (
            f"{style.format(came_in)} came in ({_breakdown(totals[EntryKind.INCOME], style)})"
            if came_in
            else "nothing came in"
        )
        outgoing = (
            f"{style.format(went_out)} went out ({_breakdown(totals[EntryKind.EXPENSE], style)})"
            if went_out
            else "nothing went out"
        )
        sentences.append(f"Since {start}: {incoming} and {outgoing}.")
    if lapsed == 0:
        sentences.append("No member's dues have lapsed.")
    elif lapsed == 1:
        sentences.append("1 member's dues have lapsed.")
    else:
        sentences.append(f"{lapsed} members' dues have lapsed.")
    count, amount = int(waiting[0]), int(waiting[1])
    if count == 1:
        sentences.append(
            f"1 remittance to the national office ({style.format(amount)}) awaits acknowledgement."
        )
    elif count > 1:
        sentences.append(
            f"{count} remittances to the national office ({style.format(amount)}) "
            "await acknowledgement."
        )
    return " ".join(sentences)


# --- the treasurer's workbook -------------------------------------------------------------

EXPORT_PROGRESS_EVERY = 5_000


def _month_start(day: date) -> date:
    return day.replace(day=1)


def treasurer_workbook(
    session: Session, style: MoneyStyle, year: int | None, group_name: str
) -> TreasurerWorkbook:
    """Plain data for the treasurer's workbook; the transactions are read as written,
    so the session must stay open while the workbook is written."""
    from desktop_app.exports.treasurer_xlsx import TreasurerWorkbook

    period = Period.year(year) if year is not None else Period.everything()
    opening = (
        _balances(session, period.start, before=True)
        if period.start is not None
        else _opening(session)
    )
    query = _in_period(
        select(func.min(LedgerEntry.occurred_on), func.max(LedgerEntry.occurred_on), func.count()),
        LedgerEntry.occurred_on,
        period,
    )
    first, last, count = session.execute(query).one()
    if year is not None:
        first_month: date | None = date(year, 1, 1)
        last_month: date | None = date(year, 12, 1)
    else:
        first_month = _month_start(first) if first else None
        last_month = _month_start(last) if last else None
    totals = _totals(session, period)
    return TreasurerWorkbook(
        group_name=group_name,
        period_label=period.label if year is not None else "All years",
        first_month=first_month,
        last_month=last_month,
        opening_bank_cents=opening.bank_cents,
        opening_cash_cents=opening.cash_cents,
        currency_format=style.excel_format(),
        income_categories=tuple(
            sorted((name for name, _ in totals[EntryKind.INCOME]), key=str.casefold)
        ),
        expense_categories=tuple(
            sorted((name for name, _ in totals[EntryKind.EXPENSE]), key=str.casefold)
        ),
        transaction_count=int(count),
        transactions=_transaction_lines(session, period, opening.total_cents),
        dues=tuple(_dues_lines(session, period)),
        donations=tuple(_donation_lines(session, period)),
        remittances=tuple(_remittance_lines(session, period)),
    )


def _transaction_lines(session: Session, period: Period, opening_cents: int) -> Iterator[Any]:
    from desktop_app.exports.treasurer_xlsx import TransactionLine

    # The codes as stored (plain text): a 100,000-line export need not build enums.
    query = _in_period(
        select(
            LedgerEntry.occurred_on,
            LedgerEntry.description,
            LedgerEntry.category,
            type_coerce(LedgerEntry.kind, String),
            LedgerEntry.amount_cents,
            type_coerce(LedgerEntry.account, String),
            type_coerce(LedgerEntry.method, String),
            Person.preferred_name,
            Person.given_name,
            Person.family_name,
            Event.title,
            LedgerEntry.receipt_ref,
        )
        .outerjoin(Person, Person.id == LedgerEntry.person_id)
        .outerjoin(Event, Event.id == LedgerEntry.event_id)
        .order_by(LedgerEntry.occurred_on, LedgerEntry.id),
        LedgerEntry.occurred_on,
        period,
    )
    balance = opening_cents
    income = EntryKind.INCOME.value
    accounts = {account.value: label for account, label in ACCOUNT_LABELS.items()}
    methods = {method.value: label for method, label in METHOD_LABELS.items()}
    # A Core result on the session's connection: no ORM row handling per line.
    result = session.connection().execute(query.execution_options(yield_per=EXPORT_PROGRESS_EVERY))
    for row in result:
        (day, description, category, kind, amount, account, method, preferred, given, family,
         title, receipt) = row  # fmt: skip
        if kind == income:
            balance += amount
            money_in, money_out = amount, None
        else:
            balance -= amount
            money_in, money_out = None, amount
        yield TransactionLine(
            day,
            description,
            category,
            money_in,
            money_out,
            balance,
            accounts.get(account, str(account)),
            methods.get(method, str(method)),
            display_name(given, family, preferred),
            title or "",
            receipt,
        )


def _dues_lines(session: Session, period: Period) -> Iterator[Any]:
    from desktop_app.exports.treasurer_xlsx import DuesLine

    today = date.today()
    query = _in_period(
        select(DuesPayment, Person, LedgerEntry.receipt_ref)
        .join(Person, Person.id == DuesPayment.person_id)
        .outerjoin(LedgerEntry, LedgerEntry.id == DuesPayment.ledger_entry_id)
        .order_by(DuesPayment.paid_on, DuesPayment.id),
        DuesPayment.paid_on,
        period,
    )
    for payment, person, receipt in session.execute(query):
        hidden = person.do_not_contact
        state = "waived" if person.dues_waived else _dues_state(person.dues_paid_through, today)
        yield DuesLine(
            payment.paid_on,
            person.display_name,
            payment.amount_cents,
            payment.months,
            payment.paid_through,
            state.capitalize(),
            "" if hidden else person.email,
            "" if hidden else person.phone,
            person.postal_code,
            receipt or "",
        )


def _donation_lines(session: Session, period: Period) -> Iterator[Any]:
    from desktop_app.exports.treasurer_xlsx import DonationLine

    query = _in_period(
        select(Donation, Person, LedgerEntry.method, LedgerEntry.receipt_ref)
        .outerjoin(Person, Person.id == Donation.person_id)
        .outerjoin(LedgerEntry, LedgerEntry.id == Donation.ledger_entry_id)
        .order_by(Donation.received_on, Donation.id),
        Donation.received_on,
        period,
    )
    for donation, person, method, receipt in session.execute(query):
        hidden = person is None or person.do_not_contact
        yield DonationLine(
            donation.received_on,
            person.display_name if person is not None else donation.donor_name,
            donation.amount_cents,
            METHOD_LABELS.get(method, "") if method is not None else "",
            donation.acknowledged_on,
            "" if hidden else person.email,
            "" if hidden else person.postal_code,
            receipt or "",
        )


def _remittance_lines(session: Session, period: Period) -> Iterator[Any]:
    from desktop_app.exports.treasurer_xlsx import RemittanceLine

    query = _in_period(
        select(Remittance).order_by(Remittance.sent_on, Remittance.id), Remittance.sent_on, period
    )
    for r in session.scalars(query):
        yield RemittanceLine(
            r.sent_on,
            r.period,
            r.amount_cents,
            r.reference,
            r.acknowledged_on,
            "Acknowledged" if r.acknowledged_on else "Awaiting acknowledgement",
        )


def export_treasurer_steps(
    db: Database, path: Path, year: int | None = None
) -> Generator[int, None, ExportResult]:
    """Write the treasurer's workbook to path, yielding how many ledger lines are written
    (for a progress dialog); the file appears only once complete."""
    from desktop_app.exports.treasurer_xlsx import write_treasurer_steps

    if year is not None and not 1900 <= year <= 9999:
        raise LedgerError(f"Year: {year} is not a year.")
    style = group_money_style(db)
    with db.read_session() as session:
        profile = _profile(session)
        name = profile.name if profile is not None else ""
        book = treasurer_workbook(session, style, year, name)
        written = yield from write_treasurer_steps(book, Path(path))
        return ExportResult(
            written,
            book.transaction_count,
            {
                "transactions": book.transaction_count,
                "dues": len(book.dues),
                "donations": len(book.donations),
                "remittances": len(book.remittances),
            },
        )


def export_treasurer(db: Database, path: Path, year: int | None = None) -> ExportResult:
    """export_treasurer_steps run to the end."""
    return run_to_end(export_treasurer_steps(db, path, year))


__all__ = [
    "ACCOUNT_LABELS",
    "DEFAULT_CATEGORIES",
    "DONATIONS_CATEGORY",
    "DUES_CATEGORY",
    "KIND_LABELS",
    "METHOD_LABELS",
    "REMITTANCE_CATEGORY",
    "Balances",
    "BudgetLineInput",
    "BudgetLineReport",
    "CategoryUse",
    "DonationInput",
    "DonationRow",
    "DuesReceipt",
    "DuesRow",
    "EventBudget",
    "EventChoice",
    "ExportResult",
    "LapsedMember",
    "LedgerError",
    "LedgerLine",
    "LedgerLineInput",
    "Period",
    "RecordKind",
    "RemittanceInput",
    "RemittanceRow",
    "RemovedRecords",
    "acknowledge_donation",
    "acknowledge_remittance",
    "add_budget_line",
    "add_donation",
    "add_line",
    "add_months",
    "add_remittance",
    "balances",
    "budget_event_choices",
    "cancel_dues_payment",
    "categories_in_use",
    "category_suggestions",
    "check_amount",
    "check_line",
    "day_text",
    "default_account",
    "dues_payments",
    "event_budget",
    "export_treasurer",
    "export_treasurer_steps",
    "get_line",
    "group_money_style",
    "id_for_uid",
    "lapsed_count",
    "lapsed_dues",
    "ledger_years",
    "line_id_for_uid",
    "list_donations",
    "list_lines",
    "list_remittances",
    "member_dues",
    "next_paid_through",
    "opening_balances",
    "record_dues_payment",
    "remove_budget_line",
    "remove_donation",
    "remove_line",
    "remove_remittance",
    "restore_records",
    "set_opening_balances",
    "totals_by_category",
    "treasurer_report",
    "uid_for_id",
    "update_budget_line",
    "update_line",
]
