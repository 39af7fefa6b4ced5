"""Printing: a 1,000-row sign-in sheet and 500 personalised letters, against bare ReportLab.

sign-in sheet: 1,000 expected people with their email, phone and postal code shown,
made by printing.signin_sheet (page headers, consent sentence, grid, tick boxes,
per-run fonts, shrink-to-fit cells, "Page 2 of 37"). The floor draws the same pages
straight on a ReportLab canvas in the same bundled font: the same header strings, the
same grid lines and boxes, and each cell's text with one drawString, nothing
measured or fitted. Targets: under 1 s, and no more than 3x the floor.

letters: 250 writers x 2 officials = 500 one-page letters from the default template,
made by printing.ua_letters (template filled in, body wrapped, sender, addressee,
copies-to). The floor draws the same 500 pages' lines, filled in and wrapped before
the clock starts, with one drawString each. Target: under 3 s.

Each figure is the median of RUNS runs, floor and document alternating. A line also
says whether ReportLab's C accelerator (rl-accel) is in use, and the sheet is timed
once more in a child process without it, to show what it buys.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

if os.environ.get("BENCH_PRINT_NO_ACCEL") == "1":
    sys.modules["_rl_accel"] = None  # type: ignore[assignment]  # ReportLab then uses Python

REPO_ROOT = Path(__file__).resolve().parent.parent
for folder in (REPO_ROOT, REPO_ROOT / "bench"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from common import OtherLoad, exit_status, median, python_speed, report, time_call  # noqa: E402

RUNS = int(os.environ.get("BENCH_PRINT_RUNS", "5"))
ROWS = 1000
WRITERS = 250
EVENING = datetime(2026, 5, 14, 19, 0, tzinfo=timezone(timedelta(hours=-4)))


def sheet_data():  # type: ignore[no-untyped-def]
    from desktop_app.printing.data import ExpectedPerson, SigninSheetData

    given = ["Zoë", "Ana", "Γιώργος", "Дмитрий", "Nguyễn", "Kenji", "Siobhán", "José", "Amara"]
    family = ["Müller", "García", "Παπαδόπουλος", "Иванов", "Trần", "Sato", "Ní Bhriain", "Okafor"]
    people = tuple(
        ExpectedPerson(
            given[i % len(given)],
            f"{family[i % len(family)]}{i}",
            email=f"person{i}@example.org",
            phone=f"(617) 555-{i:04d}",
            postal_code=f"{2100 + i % 60:05d}",
        )
        for i in range(ROWS)
    )
    return SigninSheetData(
        group_name="Amnesty Group 133",
        event_title="Monthly meeting",
        starts_at=EVENING,
        place="First Parish, 3 Church St",
        expected=people,
        blank_rows=0,
        show_contact_details=True,
    )


def sheet_floor(data) -> int:  # type: ignore[no-untyped-def]
    """The same sign-in pages straight on a canvas: strings, lines and boxes, no fitting."""
    from reportlab.pdfgen.canvas import Canvas

    from desktop_app.printing import signin_sheet as module
    from desktop_app.printing.data import PageSize
    from desktop_app.printing.fonts import base_font

    font, bold = base_font(), base_font(bold=True)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=PageSize.LETTER.points, initialFontName=font)
    geometry = module._geometry(data, PageSize.LETTER.points)
    people = module.sorted_expected(data.expected)
    per_page = geometry.rows_per_page
    edges = geometry.edges
    row_height = module.ROW_HEIGHT
    left, width = geometry.left, geometry.width
    pages = 0
    for start in range(0, len(people), per_page):
        chunk = people[start : start + per_page]
        canvas.setFont(font, 10)
        canvas.drawString(left, geometry.header_top - 10, data.group_name)
        canvas.drawRightString(left + width, geometry.header_top - 10, "Sign-in sheet")
        canvas.setFont(bold, 15)
        canvas.drawString(left, geometry.header_top - 28, data.event_title)
        canvas.setFont(font, 10)
        canvas.drawString(left, geometry.header_top - 42, "Thursday 14 May 2026, 7:00 pm")
        y = geometry.header_top - 50
        canvas.setFont(font, module.CONSENT_SIZE)
        for line in geometry.consent_lines:
            canvas.drawString(left, y, line)
            y -= 9
        canvas.rect(left, geometry.table_top, width, 14, stroke=0, fill=1)
        canvas.setFont(bold, module.HEADER_SIZE)
        for index, (title, _share) in enumerate(module.COLUMNS):
            canvas.drawString(edges[index] + 3, geometry.table_top + 4, title)
        top = geometry.table_top
        bottom = top - len(chunk) * row_height
        lines = [
            (left, top - i * row_height, left + width, top - i * row_height)
            for i in range(len(chunk) + 1)
        ]
        lines += [(x, top + 14, x, bottom) for x in edges]
        canvas.lines(lines)
        canvas.setFont(font, module.CELL_SIZE)
        for slot, person in enumerate(chunk):
            row_top = top - slot * row_height
            baseline = row_top - 14
            canvas.rect(edges[0] + 6, row_top - 15, 9, 9)
            canvas.rect(edges[-2] + 14, row_top - 15, 9, 9)
            canvas.drawString(edges[1] + 3, baseline, person.name)
            canvas.drawString(edges[2] + 3, baseline, person.email)
            canvas.drawString(edges[3] + 3, baseline, person.phone)
            canvas.drawString(edges[4] + 3, baseline, person.postal_code)
        canvas.setFont(font, 8)
        canvas.drawString(left, 36, data.event_title)
        canvas.drawCentredString(left + width / 2, 36, f"Page {pages + 1}")
        canvas.showPage()
        pages += 1
    canvas.save()
    return pages


def letter_batch():  # type: ignore[no-untyped-def]
    from desktop_app.printing.data import Addressee, LetterBatch, UrgentActionData, Writer
    from desktop_app.printing.templates import DEFAULT_LETTER_TEMPLATE

    action = UrgentActionData(
        number="UA 229/10",
        title="Student activist detained",
        country="Valdoria",
        persons_at_risk="Tomás Ibarra",
        addressees=(
            Addressee(
                "Minister Ana Ruiz",
                "Minister of Justice",
                "1 Palace Road\nCapital City",
                "Dear Minister",
            ),
            Addressee("General Paulo Vera", "Chief of Police", "Police HQ\nCapital City"),
            Addressee("Ambassador Eva Sol", "Embassy of Valdoria", "2 Embassy Row", is_copy=True),
        ),
    )
    writers = tuple(
        Writer(f"Writer {i} Müller", f"{i} Elm Street\nCambridge, MA 02139", "Cambridge", i)
        for i in range(WRITERS)
    )
    return LetterBatch(action, writers, DEFAULT_LETTER_TEMPLATE, date(2026, 5, 14), "Group 133")


def letter_lines(batch) -> list[tuple[list[str], list[str]]]:  # type: ignore[no-untyped-def]
    """Each letter's heading and body lines, filled in and wrapped (not timed)."""
    from desktop_app.printing import ua_letters as module
    from desktop_app.printing.data import PageSize
    from desktop_app.printing.fonts import wrap
    from desktop_app.printing.templates import fill_template

    width, _height = PageSize.LETTER.points
    text_width = width - 2 * module.SIDE
    pages_lines = []
    for writer in batch.writers:
        for addressee in batch.action.recipients:
            body = fill_template(batch.template, module.letter_values(batch, writer, addressee))
            head = [
                writer.name,
                *writer.address.splitlines(),
                "14 May 2026",
                addressee.name,
                addressee.title,
                *addressee.address.splitlines(),
            ]
            lines = [
                line for part in body.split("\n") for line in (wrap(part, 11, text_width) or [""])
            ]
            pages_lines.append((head, lines))
    return pages_lines


def letters_floor(pages_lines: list[tuple[list[str], list[str]]]) -> int:
    """The same 500 pages' text lines, one drawString each."""
    from reportlab.pdfgen.canvas import Canvas

    from desktop_app.printing.data import PageSize
    from desktop_app.printing.fonts import base_font

    font = base_font()
    width, height = PageSize.LETTER.points
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), initialFontName=font)
    for head, body in pages_lines:
        canvas.setFont(font, 10)
        y = height - 60
        for line in head:
            canvas.drawString(72, y, line)
            y -= 13
        canvas.setFont(font, 11)
        y -= 20
        for line in body:
            canvas.drawString(72, y, line)
            y -= 14.6
        canvas.setFont(font, 9.5)
        canvas.drawString(72, 70, "Copies to:")
        canvas.drawString(80, 58, "Ambassador Eva Sol, Embassy of Valdoria")
        canvas.showPage()
    canvas.save()
    return len(pages_lines)


def sheet_only() -> float:
    from desktop_app.printing.signin_sheet import render_signin_sheet

    data = sheet_data()
    render_signin_sheet(data)  # fonts registered, caches warm, as in a running program
    return median(time_call(lambda: render_signin_sheet(data), repeat=RUNS))


def accelerated() -> bool:
    from reportlab.lib import rl_accel

    return bool(getattr(rl_accel, "_c_funcs", None))


def main() -> int:
    if os.environ.get("BENCH_PRINT_NO_ACCEL") == "1":
        print(f"{sheet_only():.4f}")
        return 0
    from desktop_app.printing.signin_sheet import render_signin_sheet
    from desktop_app.printing.ua_letters import render_letters

    print(
        f"python speed: {python_speed():.2f} s for 10M additions; "
        f"rl-accel {'in use' if accelerated() else 'NOT in use'}",
        flush=True,
    )
    data = sheet_data()
    batch = letter_batch()
    # Warm up once each: fonts register, caches fill, as in a program already running.
    sheet = render_signin_sheet(data)
    assert sheet_floor(data) == sheet.pages
    letters = render_letters(batch)
    pages_lines = letter_lines(batch)
    assert letters.letters.pages == letters_floor(pages_lines) == 2 * WRITERS
    results = []
    with OtherLoad() as load:
        sheet_times, sheet_floor_times, letter_times, letter_floor_times = [], [], [], []
        for _ in range(RUNS):
            sheet_floor_times += time_call(lambda: sheet_floor(data))
            sheet_times += time_call(lambda: render_signin_sheet(data))
            letter_floor_times += time_call(lambda: letters_floor(pages_lines))
            letter_times += time_call(lambda: render_letters(batch))
    results.append(
        report(
            f"print.signin_sheet_{ROWS}_rows ({sheet.pages} pages)",
            median(sheet_times),
            median(sheet_floor_times),
            "s",
            limit_ratio=3.0,
            limit_abs=1.0,
        )
    )
    results.append(
        report(
            f"print.ua_letters_{2 * WRITERS}",
            median(letter_times),
            median(letter_floor_times),
            "s",
            limit_abs=3.0,
        )
    )
    print(load.describe(), flush=True)
    if accelerated():
        child = subprocess.run(
            [sys.executable, __file__],
            env={**os.environ, "BENCH_PRINT_NO_ACCEL": "1"},
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        if child.returncode == 0:
            without = float(child.stdout.strip().splitlines()[-1])
            print(
                f"print.signin_sheet without rl-accel: {without:.2f} s "
                f"({without / median(sheet_times):.2f}x slower than with it)",
                flush=True,
            )
    return exit_status(results)


if __name__ == "__main__":
    sys.exit(main())
