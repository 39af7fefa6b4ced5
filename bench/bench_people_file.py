"""The input side of an import at 100,000 rows: reading the file, and rows to candidates.

A NationBuilder-shaped list (13 columns: names in several scripts, emails, phones in
four shapes, ZIP codes with and without their leading zero, tags, an opt-in flag) is
written as CSV and as XLSX (numbers stored as numbers in half the rows, as Excel
does), then:

- csv.read: read_people_file on the CSV, against the floor of decoding the bytes and
  parsing them with the csv module into a list;
- xlsx.read: read_people_file on the XLSX, against the floor of python-calamine
  opening the workbook and returning the sheet's rows (what any reader must pay);
- candidates: guess_mapping and rows_to_candidates on the CSV's table (emails and
  phones checked, ZIPs restored, tags split), with an absolute limit;
- csv.total and xlsx.total: both steps together.

The best of five runs is reported, the floor and ours taking turns (a shared
two-core machine is noisy); the neighbours' load and Python's own speed are printed
so that a slow figure can be read.
``--rows N`` changes the size for a quick run.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    OtherLoad,
    Timer,
    exit_status,
    python_speed,
    report,
    temporary_folder,
    time_call,
)

RUNS = 5
CSV_READ_LIMIT = 2.0  # x the csv module's parse
XLSX_READ_LIMIT = 1.5  # x calamine's own read
CANDIDATES_LIMIT_S = 1.5  # for 100,000 rows

GIVEN = ["Maria", "Kenji", "Aoife", "Samuel", "Владимир", "Fatima", "Lucía", "Chen", "Olu"]
FAMILY = ["Gonçalves", "Sato", "Ní Bhriain", "Adeyemi", "Кузнецов", "Haddad", "García", "Wei"]
HEADERS = [
    "nationbuilder_id",
    "first_name",
    "last_name",
    "email",
    "email_opt_in",
    "phone_number",
    "mobile_number",
    "primary_address1",
    "primary_city",
    "primary_state",
    "primary_zip",
    "tag_list",
    "is_volunteer",
]


def people(rows: int) -> list[list[object]]:
    generator = random.Random(2026)
    shapes = ["(617) 555-{:04d}", "617-555-{:04d}", "617.555.{:04d}", "+1 617 555 {:04d}"]
    out: list[list[object]] = []
    for i in range(rows):
        given = generator.choice(GIVEN)
        family = generator.choice(FAMILY)
        zip_code = f"0{2100 + i % 900}"
        phone = shapes[i % 4].format(i % 10_000)
        out.append(
            [
                i,
                given,
                family,
                f"{given.lower()}.{i}@example.org",
                generator.choice(["true", "false"]),
                phone,
                "",
                f"{i % 999 + 1} Harvard St",
                "Cambridge",
                "MA",
                zip_code,
                "tabling-2026, write-for-rights",
                "true",
            ]
        )
    return out


def write_files(folder: Path, rows: int) -> tuple[Path, Path]:
    from openpyxl import Workbook  # type: ignore[import-untyped]

    data = people(rows)
    csv_path = folder / "people.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(data)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("People")
    sheet.append(HEADERS)
    for number, row in enumerate(data):
        if number % 2:  # as Excel stores what looks like a number
            row = [*row]
            row[10] = int(str(row[10]))
            row[5] = int("617555" + str(row[5])[-4:])
        sheet.append(row)
    xlsx_path = folder / "people.xlsx"
    workbook.save(xlsx_path)
    return csv_path, xlsx_path


def best_pair(floor: Callable[[], object], ours: Callable[[], object]) -> tuple[float, float]:
    """Best of RUNS for the floor and for ours, run turn about so a busy neighbour
    slows both alike."""
    floors, times = [], []
    for _ in range(RUNS):
        with Timer() as timer:
            floor()
        floors.append(timer.seconds)
        with Timer() as timer:
            ours()
        times.append(timer.seconds)
    return min(floors), min(times)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args(argv)

    import python_calamine

    from desktop_app.exports.people_file import read_people_file
    from desktop_app.services.import_mapping import guess_mapping, rows_to_candidates

    results = []
    with temporary_folder() as folder, OtherLoad() as load:
        csv_path, xlsx_path = write_files(folder, args.rows)

        def csv_floor() -> None:
            list(csv.reader(io.StringIO(csv_path.read_bytes().decode("utf-8"))))

        def xlsx_floor() -> None:
            workbook = python_calamine.CalamineWorkbook.from_path(str(xlsx_path))
            list(workbook.get_sheet_by_index(0).iter_rows())
            workbook.close()

        table = read_people_file(csv_path)

        def to_candidates() -> None:
            mapping = guess_mapping(table.headers, table.rows[:200])
            for _ in rows_to_candidates(table, mapping, country="US"):
                pass

        floor_csv, read_csv = best_pair(csv_floor, lambda: read_people_file(csv_path))
        floor_xlsx, read_xlsx = best_pair(xlsx_floor, lambda: read_people_file(xlsx_path))
        candidates = min(time_call(to_candidates, repeat=RUNS))
        limit = CANDIDATES_LIMIT_S * args.rows / 100_000
        results.append(report("csv.read", read_csv, floor_csv, "s", CSV_READ_LIMIT))
        results.append(report("xlsx.read", read_xlsx, floor_xlsx, "s", XLSX_READ_LIMIT))
        results.append(report("candidates", candidates, None, "s", limit_abs=limit))
        report("csv.total", read_csv + candidates, floor_csv, "s")
        report("xlsx.total", read_xlsx + candidates, floor_xlsx, "s")
    busy = "unknown" if load.cores is None else f"{load.cores:.1f}"
    print(f"rows {args.rows:,}; other processes kept {busy} core(s) busy meanwhile")
    print(f"python speed: {python_speed():.2f} s for 10 million additions")
    return exit_status(results)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
