"""Exporting a 100,000-line ledger to the treasurer's workbook: at most 1.3x the floor.

A fresh database gets 100,000 ledger lines over five years (a raw executemany in one
transaction), 30 categories, people and events on some lines, receipt numbers, and
a formula-like description now and then. Group Desk's export (``ledger.export_treasurer``,
the whole ledger: reading the database, the running balance, the Summary's formulas,
the Transactions sheet, saving) is timed against the floor: openpyxl write-only
writing the same Transactions cells (the same values, dates and currency formats,
one styled cell per date or amount, as openpyxl's documentation shows) from rows
already in memory, saved to a file. Floor and export alternate, twice each; the
medians are compared. Prints the figures and exits 1 above the limit.
"""

from __future__ import annotations

import random
import sys
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]

from bench.common import (
    OtherLoad,
    Timer,
    exit_status,
    median,
    python_speed,
    report,
    temporary_folder,
)
from desktop_app.db import Database, create_database
from desktop_app.exports.treasurer_xlsx import TRANSACTION_COLUMNS
from desktop_app.services import ledger
from desktop_app.services.group import GroupProfileData, save_profile
from desktop_app.services.money import money_style, to_decimal

LINES = 100_000
LIMIT_RATIO = 1.3
ROUNDS = 2
SEED = 2026
INCOME = ("Dues", "Donations", "Fundraising", "Grants", "Raffle", "Book sale", "Other income")
EXPENSE = (
    "Printing", "Postage", "Venue", "Refreshments", "Travel", "Remittance to national office",
    "Bank fees", "Banners", "Stationery", "Website", "Phone", "Training fees", "Candles",
    "Petition printing", "Film licence", "Speaker gifts", "Room hire", "Badges", "Stamps",
    "Photocopies", "Insurance", "Other expenses", "Conference", "Translation",
)  # fmt: skip
METHODS = ("cash", "cheque", "card", "bank_transfer", "online", "other")


def fill_ledger(db: Database) -> None:
    """LINES ledger lines, a few people and events to name, in one transaction."""
    rng = random.Random(SEED)
    start = date(2022, 1, 1)
    stamp = "2026-01-01 00:00:00.000000"
    with db.session() as session:
        connection = session.connection()
        people = [
            (n, str(uuid.UUID(int=rng.getrandbits(128))), f"Given{n}", f"Family{n}", stamp, stamp)
            for n in range(1, 501)
        ]
        connection.exec_driver_sql(
            "INSERT INTO people (id, uid, given_name, family_name, created_at, updated_at, "
            "preferred_name, email, email_key, phone, address_line1, address_line2, city, "
            "region, postal_code, country, status, dues_waived, school, joined_via, "
            "ladder_stage, email_ok, phone_ok, mail_ok, do_not_contact, notes, needs_review, "
            "review_reason, search_text, sort_key, origin_laptop, source) VALUES "
            "(?, ?, ?, ?, ?, ?, '', '', '', '', '', '', '', '', '', '', 'member', 0, '', "
            "'other', 'signed_up', 0, 0, 0, 0, '', 0, '', '', '', '', '')",
            people,
        )
        events = [
            (n, str(uuid.UUID(int=rng.getrandbits(128))), f"Event number {n}", stamp, stamp, stamp)
            for n in range(1, 201)
        ]
        connection.exec_driver_sql(
            "INSERT INTO events (id, uid, title, starts_at, created_at, updated_at, kind, "
            "place, description, minutes, cancelled, origin_laptop) VALUES "
            "(?, ?, ?, ?, ?, ?, 'meeting', '', '', '', 0, '')",
            events,
        )
        rows = []
        for n in range(1, LINES + 1):
            income = rng.random() < 0.45
            category = rng.choice(INCOME if income else EXPENSE)
            method = rng.choice(METHODS)
            description = f"{category}: line {n}"
            if n % 997 == 0:
                description = '=HYPERLINK("http://evil.example","click")'
            rows.append(
                (
                    str(uuid.UUID(int=rng.getrandbits(128))),
                    (start + timedelta(days=n * 1826 // LINES)).isoformat(),
                    description,
                    category,
                    "income" if income else "expense",
                    rng.randint(100, 50_000),
                    method,
                    "cash" if method == "cash" else "bank",
                    rng.randint(1, 500) if rng.random() < 0.3 else None,
                    rng.randint(1, 200) if rng.random() < 0.2 else None,
                    f"R-{n:06d}" if rng.random() < 0.6 else "",
                    stamp,
                    stamp,
                )
            )
        connection.exec_driver_sql(
            "INSERT INTO ledger_entries (uid, occurred_on, description, category, kind, "
            "amount_cents, method, account, person_id, event_id, receipt_ref, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def cells_in_memory(db: Database) -> list[tuple[Any, ...]]:
    """The Transactions rows as the export writes them, ready for the floor to write."""
    with db.read_session() as session:
        book = ledger.treasurer_workbook(session, money_style(), None, "Bench group")
        return [
            (
                line.occurred_on,
                line.description,
                line.category,
                to_decimal(line.money_in) if line.money_in is not None else None,
                to_decimal(line.money_out) if line.money_out is not None else None,
                to_decimal(line.balance),
                line.account,
                line.method,
                line.person or None,
                line.event or None,
                line.receipt or None,
            )
            for line in book.transactions
        ]


def floor_write(rows: list[tuple[Any, ...]], path: Path, currency_format: str) -> None:
    """openpyxl write-only, the plain way: a styled cell per date and amount."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Transactions")
    sheet.append([title for title, _ in TRANSACTION_COLUMNS])
    for row in rows:
        day = WriteOnlyCell(sheet, value=row[0])
        day.number_format = "yyyy-mm-dd"
        amounts = []
        for value in row[3:6]:
            if value is None:
                amounts.append(None)
                continue
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = currency_format
            amounts.append(cell)
        description = row[1]
        if isinstance(description, str) and description.startswith("="):
            description = WriteOnlyCell(sheet, value=description)
            description.data_type = "s"
        sheet.append([day, description, row[2], *amounts, *row[6:]])
    workbook.save(path)


def main() -> int:
    results = []
    with temporary_folder("groupdesk-bench-ledger-") as folder:
        db = create_database(str(folder / "ledger.sqlite"))
        save_profile(db, GroupProfileData(name="Bench group"))
        ledger.set_opening_balances(db, 150_000, 10_000)
        with Timer() as filling:
            fill_ledger(db)
        report("ledger_export.fill_100k_lines", filling.seconds, None, "s")
        rows = cells_in_memory(db)
        assert len(rows) == LINES
        currency = money_style().excel_format()
        floors, ours = [], []
        with OtherLoad() as load:
            for round_number in range(ROUNDS):
                with Timer() as timer:
                    floor_write(rows, folder / f"floor-{round_number}.xlsx", currency)
                floors.append(timer.seconds)
                with Timer() as timer:
                    result = ledger.export_treasurer(db, folder / f"ours-{round_number}.xlsx")
                ours.append(timer.seconds)
                assert result.rows == LINES
        ours_size = (folder / "ours-0.xlsx").stat().st_size
        floor_size = (folder / "floor-0.xlsx").stat().st_size
        db.close()
    results.append(
        report(
            "ledger_export.workbook_100k_lines",
            median(ours),
            median(floors),
            "s",
            limit_ratio=LIMIT_RATIO,
        )
    )
    print(
        f"  runs: ours {', '.join(f'{s:.2f}' for s in ours)} s; "
        f"floor {', '.join(f'{s:.2f}' for s in floors)} s; "
        f"files {ours_size / 1e6:.1f} MB (floor {floor_size / 1e6:.1f} MB); "
        f"{load.describe()}; python speed {python_speed():.2f} s",
        flush=True,
    )
    return exit_status(results)


if __name__ == "__main__":
    sys.exit(main())
