"""The treasurer's workbook (.xlsx, openpyxl write-only): Summary, Transactions, Dues,
Donations and Remittances.

Takes plain data (TreasurerWorkbook), knows nothing of sessions. What a treasurer
handing over the books gets:

- **Summary**: opening and closing balances of the bank and the cash box, and money
  in and out per category and month. Every total is a live formula (SUMIFS over the
  Transactions sheet), so a line corrected in Transactions changes the Summary.
  Category criteria are written as ``"=<category>"`` with wildcards escaped, so a
  category such as ``Misc*`` or ``<5`` matches itself only.
- **Transactions**: one row per ledger line in date order. The running balance is a
  value, not a formula: a formula referring to the row above gives nonsense as soon
  as someone sorts or filters the sheet, which is what an autofilter invites. The
  Summary's closing balances are the live check of the same figures.
- **Dues**, **Donations**, **Remittances**: the registers behind those lines.

Every sheet has a bold, frozen header row, an autofilter and set column widths;
dates are real dates and amounts are numbers in the group's currency format (exact
Decimals made from integer cents). Postal codes and phone numbers are text cells,
so "02139" keeps its zero. All user text goes through ``safe_cells``: nothing a
volunteer typed can become a formula. The file is written to a temporary name and
renamed when complete.

Speed: the Transactions sheet is streamed from the database; the date and money
cells are styled once per column and reused row after row (a write-only sheet
writes each row as it is appended), which is what keeps a 100,000-line ledger
within 1.3 times openpyxl's own write-only speed (bench/bench_ledger_export.py).
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
from openpyxl.styles import Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from desktop_app.exports.safe_cells import text_cell, text_value
from desktop_app.exports.workbooks import new_workbook, start_list_sheet
from desktop_app.services.money import to_decimal
from desktop_app.tasks.steps import run_to_end

SUMMARY_SHEET = "Summary"
TRANSACTIONS_SHEET = "Transactions"
DUES_SHEET = "Dues"
DONATIONS_SHEET = "Donations"
REMITTANCES_SHEET = "Remittances"
DATE_FORMAT = "yyyy-mm-dd"
MONTH_FORMAT = "mmm yyyy"
AWAITING = "Awaiting acknowledgement"
PROGRESS_EVERY = 5_000

# (header, width); the order is the column order.
TRANSACTION_COLUMNS: tuple[tuple[str, float], ...] = (
    ("Date", 12),
    ("Description", 42),
    ("Category", 26),
    ("Money in", 13),
    ("Money out", 13),
    ("Balance", 14),
    ("Account", 9),
    ("Method", 14),
    ("Person", 24),
    ("Event", 30),
    ("Receipt", 14),
)
DUES_COLUMNS: tuple[tuple[str, float], ...] = (
    ("Paid on", 12),
    ("Member", 28),
    ("Amount", 12),
    ("Months", 8),
    ("Paid through", 13),
    ("Dues now", 10),
    ("Email", 30),
    ("Phone", 17),
    ("Postal code", 12),
    ("Receipt", 14),
)
DONATION_COLUMNS: tuple[tuple[str, float], ...] = (
    ("Received on", 12),
    ("Donor", 32),
    ("Amount", 12),
    ("Method", 14),
    ("Thanked on", 12),
    ("Email", 30),
    ("Postal code", 12),
    ("Receipt", 14),
)
REMITTANCE_COLUMNS: tuple[tuple[str, float], ...] = (
    ("Sent on", 12),
    ("Period", 12),
    ("Amount", 12),
    ("Reference", 18),
    ("Acknowledged on", 16),
    ("Status", 26),
)


class TransactionLine(NamedTuple):
    """One ledger line; money_in or money_out (cents) is None; balance is after the line."""

    occurred_on: date
    description: str
    category: str
    money_in: int | None
    money_out: int | None
    balance: int
    account: str
    method: str
    person: str
    event: str
    receipt: str


class DuesLine(NamedTuple):
    paid_on: date
    member: str
    amount: int
    months: int
    paid_through: date
    dues_now: str
    email: str
    phone: str
    postal_code: str
    receipt: str


class DonationLine(NamedTuple):
    received_on: date
    donor: str
    amount: int
    method: str
    acknowledged_on: date | None
    email: str
    postal_code: str
    receipt: str


class RemittanceLine(NamedTuple):
    sent_on: date
    period: str
    amount: int
    reference: str
    acknowledged_on: date | None
    status: str


@dataclass(frozen=True)
class TreasurerWorkbook:
    """Everything the workbook shows. transactions may be a one-pass iterator of exactly
    transaction_count lines; months run from first_month to last_month (firsts of months)."""

    group_name: str
    period_label: str
    first_month: date | None
    last_month: date | None
    opening_bank_cents: int
    opening_cash_cents: int
    currency_format: str
    income_categories: Sequence[str]
    expense_categories: Sequence[str]
    transaction_count: int
    transactions: Iterable[TransactionLine]
    dues: Sequence[DuesLine] = ()
    donations: Sequence[DonationLine] = ()
    remittances: Sequence[RemittanceLine] = ()


def months_between(first: date | None, last: date | None) -> list[date]:
    """The first day of every month from first's month to last's, both included."""
    if first is None or last is None:
        return []
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def criterion(text: str) -> str:
    """A SUMIFS criterion, as a formula string literal, matching exactly this text.

    "=" first, so text that looks like a comparison ("<5") is compared, not obeyed;
    ~ * ? escaped with ~, so they are not wildcards; quotes doubled for the literal.
    """
    escaped = text.replace("~", "~~").replace("*", "~*").replace("?", "~?")
    return '"=' + escaped.replace('"', '""') + '"'


# --- cells ------------------------------------------------------------------------------------


class _Styles:
    """Cells styled once; write-only rows are written as appended, so one cell per
    column can carry value after value."""

    def __init__(self, sheet: Any, currency_format: str) -> None:
        self.sheet = sheet
        self.bold = Font(bold=True)
        self.currency_format = currency_format

    def date(self, value: date | None) -> Any:
        if value is None:
            return None
        cell = WriteOnlyCell(self.sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell

    def money(self, cents: int | None) -> Any:
        if cents is None:
            return None
        cell = WriteOnlyCell(self.sheet, value=to_decimal(cents))
        cell.number_format = self.currency_format
        return cell

    def formula(self, text: str, *, money: bool = True, bold: bool = False) -> Any:
        cell = WriteOnlyCell(self.sheet, value=text)
        if money:
            cell.number_format = self.currency_format
        if bold:
            cell.font = self.bold
        return cell

    def label(self, text: str, *, bold: bool = False) -> Any:
        return text_cell(
            self.sheet, text, font=self.bold if bold else None, number_format="General"
        )


# --- sheets -------------------------------------------------------------------------------------


def _column(sheet: str, column: int) -> str:
    """A whole column of another sheet: lines a later treasurer adds at the bottom count
    too, and SUMIFS, SUM and COUNT pass over the header's text."""
    letter = get_column_letter(column)
    return f"'{sheet}'!${letter}:${letter}"


def _summary(sheet: Any, book: TreasurerWorkbook) -> None:
    styles = _Styles(sheet, book.currency_format)
    months = months_between(book.first_month, book.last_month)
    sheet.freeze_panes = "B1"
    sheet.column_dimensions["A"].width = 36
    for index in range(2, len(months) + 3):
        sheet.column_dimensions[get_column_letter(index)].width = 13 if index > 5 else 16

    dates = _column(TRANSACTIONS_SHEET, 1)
    categories = _column(TRANSACTIONS_SHEET, 3)
    money_in = _column(TRANSACTIONS_SHEET, 4)
    money_out = _column(TRANSACTIONS_SHEET, 5)
    accounts = _column(TRANSACTIONS_SHEET, 7)

    title = (
        f"{book.group_name}: treasurer's workbook" if book.group_name else "Treasurer's workbook"
    )
    rows: list[list[Any]] = [
        [styles.label(title, bold=True)],
        [styles.label("Period"), styles.label(book.period_label)],
        [styles.label("Written on"), styles.date(date.today())],
        [],
    ]
    row = len(rows) + 1  # the header of the balances
    rows.append(
        [
            styles.label(text, bold=True)
            for text in ("Account", "Opening balance", "Money in", "Money out", "Closing balance")
        ]
    )
    for offset, (account, opening) in enumerate(
        (("Bank", book.opening_bank_cents), ("Cash", book.opening_cash_cents)), start=1
    ):
        r = row + offset
        rows.append(
            [
                styles.label(account),
                styles.money(opening),
                styles.formula(f'=SUMIFS({money_in},{accounts},"{account}")'),
                styles.formula(f'=SUMIFS({money_out},{accounts},"{account}")'),
                styles.formula(f"=B{r}+C{r}-D{r}"),
            ]
        )
    rows.append(
        [styles.label("Total", bold=True)]
        + [
            styles.formula(f"=SUM({letter}{row + 1}:{letter}{row + 2})", bold=True)
            for letter in "BCDE"
        ]
    )
    rows.append([])

    section_totals: dict[str, int] = {}
    for heading, names, amounts in (
        ("Money in", book.income_categories, money_in),
        ("Money out", book.expense_categories, money_out),
    ):
        header_row = len(rows) + 1
        header = [styles.label(heading, bold=True)]
        for month in months:
            cell = WriteOnlyCell(sheet, value=month)
            cell.number_format = MONTH_FORMAT
            cell.font = styles.bold
            header.append(cell)
        header.append(styles.label("Total", bold=True))
        rows.append(header)
        first_row = header_row + 1
        for name in names:
            match = criterion(name)
            line = [styles.label(name)]
            for index in range(len(months)):
                month_cell = f"{get_column_letter(index + 2)}${header_row}"
                line.append(
                    styles.formula(
                        f"=SUMIFS({amounts},{categories},{match},"
                        f'{dates},">="&{month_cell},{dates},"<"&EDATE({month_cell},1))'
                    )
                )
            line.append(styles.formula(f"=SUMIFS({amounts},{categories},{match})"))
            rows.append(line)
        last_row = len(rows)
        total = [styles.label(f"Total {heading.lower()}", bold=True)]
        for index in range(len(months) + 1):
            letter = get_column_letter(index + 2)
            formula = f"=SUM({letter}{first_row}:{letter}{last_row})" if names else "=0"
            total.append(styles.formula(formula, bold=True))
        rows.append(total)
        section_totals[heading] = len(rows)
        rows.append([])

    net = [styles.label("Net (money in less money out)", bold=True)]
    for index in range(len(months) + 1):
        letter = get_column_letter(index + 2)
        net.append(
            styles.formula(
                f"={letter}{section_totals['Money in']}-{letter}{section_totals['Money out']}",
                bold=True,
            )
        )
    rows.append(net)
    rows.append([])

    rows.append(
        [styles.label(text, bold=True) for text in ("Registers", "Entries", "Total amount")]
    )
    for name, sheet_name in (
        ("Dues payments", DUES_SHEET),
        ("Donations", DONATIONS_SHEET),
        ("Remittances", REMITTANCES_SHEET),
    ):
        rows.append(
            [
                styles.label(name),
                styles.formula(f"=COUNT({_column(sheet_name, 1)})", money=False),
                styles.formula(f"=SUM({_column(sheet_name, 3)})"),
            ]
        )
    status = _column(REMITTANCES_SHEET, 6)
    rows.append(
        [
            styles.label("Remittances awaiting acknowledgement"),
            styles.formula(f'=COUNTIF({status},"{AWAITING}")', money=False),
            styles.formula(f'=SUMIFS({_column(REMITTANCES_SHEET, 3)},{status},"{AWAITING}")'),
        ]
    )
    for line in rows:
        sheet.append(line)


def _transactions(sheet: Any, book: TreasurerWorkbook) -> Generator[int, None, int]:
    sheet_rows = book.transaction_count
    start_list_sheet(sheet, TRANSACTION_COLUMNS, sheet_rows)
    # One styled cell per column, given a new value each row (see _Styles).
    day = WriteOnlyCell(sheet)
    day.number_format = DATE_FORMAT
    money_in = WriteOnlyCell(sheet)
    money_in.number_format = book.currency_format
    money_out = WriteOnlyCell(sheet)
    money_out.number_format = book.currency_format
    balance = WriteOnlyCell(sheet)
    balance.number_format = book.currency_format
    append = sheet.append
    decimal = to_decimal
    written = 0
    for line in book.transactions:
        day.value = line.occurred_on
        balance.value = decimal(line.balance)
        if line.money_in is not None:
            money_in.value = decimal(line.money_in)
            cell_in, cell_out = money_in, None
        else:
            money_out.value = decimal(line.money_out or 0)
            cell_in, cell_out = None, money_out
        append(
            [
                day,
                text_value(sheet, line.description),
                text_value(sheet, line.category),
                cell_in,
                cell_out,
                balance,
                line.account,
                line.method,
                text_value(sheet, line.person),
                text_value(sheet, line.event),
                text_value(sheet, line.receipt),
            ]
        )
        written += 1
        if written % PROGRESS_EVERY == 0:
            yield written
    if written != sheet_rows:
        raise ValueError(f"expected {sheet_rows} ledger lines, got {written}")
    return written


def _register(
    sheet: Any,
    columns: Sequence[tuple[str, float]],
    lines: Sequence[Sequence[Any]],
    kinds: str,
    currency_format: str,
) -> None:
    """A small sheet; kinds gives each column's kind: d(ate) m(oney) n(umber) t(ext, as
    Text format) s(tring)."""
    start_list_sheet(sheet, columns, len(lines))
    styles = _Styles(sheet, currency_format)
    for line in lines:
        cells: list[Any] = []
        for kind, value in zip(kinds, line, strict=True):
            if kind == "d":
                cells.append(styles.date(value))
            elif kind == "m":
                cells.append(styles.money(value))
            elif kind == "n":
                cells.append(value)
            elif kind == "t":
                cells.append(text_cell(sheet, value) if value else None)
            else:
                cells.append(text_value(sheet, value))
        sheet.append(cells)


def write_treasurer_steps(book: TreasurerWorkbook, path: Path) -> Generator[int, None, Path]:
    """Write the workbook, yielding the number of ledger lines written now and then;
    returns the path. An existing file is replaced only once the new one is complete."""
    with new_workbook(Path(path), f"Treasurer's workbook {book.period_label}".strip()) as workbook:
        yield from _sheets(workbook, book)
    return Path(path)


def _sheets(workbook: Any, book: TreasurerWorkbook) -> Generator[int, None, None]:
    """The five sheets in order; yields progress while the transactions are written."""
    money = book.currency_format
    _summary(workbook.create_sheet(SUMMARY_SHEET), book)
    yield from _transactions(workbook.create_sheet(TRANSACTIONS_SHEET), book)
    _register(workbook.create_sheet(DUES_SHEET), DUES_COLUMNS, book.dues, "dsmndsstts", money)
    _register(
        workbook.create_sheet(DONATIONS_SHEET), DONATION_COLUMNS, book.donations, "dsmsdsts", money
    )
    _register(
        workbook.create_sheet(REMITTANCES_SHEET),
        REMITTANCE_COLUMNS,
        book.remittances,
        "dsmsds",
        money,
    )


def write_treasurer(book: TreasurerWorkbook, path: Path) -> Path:
    """write_treasurer_steps run to the end."""
    return run_to_end(write_treasurer_steps(book, path))


__all__ = [
    "DONATION_COLUMNS",
    "DUES_COLUMNS",
    "REMITTANCE_COLUMNS",
    "TRANSACTION_COLUMNS",
    "DonationLine",
    "DuesLine",
    "RemittanceLine",
    "TransactionLine",
    "TreasurerWorkbook",
    "criterion",
    "months_between",
    "write_treasurer",
    "write_treasurer_steps",
]
