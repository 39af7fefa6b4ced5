"""Roster search as you type at 100,000 people: time per keystroke, and the page's memory.

A keystroke is timed from RosterTableModel.set_search(text) until the model is
updated: its reset done and the first visible page of rows read (data() for the
first row). Words are typed letter by letter ("m", "ma", "mar"...), as a secretary
types them; phone fragments, a Cyrillic name and an email domain are typed whole.
The raw floor for each text is a bare sqlite3 query of the same kind: the FTS5 match
(three characters or more) or the LIKE scan the service uses below three.

The roster page is then opened on the same people, searched, scrolled and painted,
and the process's resident memory read with psutil.

Targets: median keystroke under 30 ms; resident memory under 300 MB with the page
open. Exits 1 when one is missed. ``--people N`` (or BENCH_ROSTER_PEOPLE) changes
the size for a quick run.
"""

from __future__ import annotations

import argparse
import gc
import os
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from contextlib import closing
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    OtherLoad,
    Timer,
    exit_status,
    median,
    p95,
    report,
    temporary_folder,
    time_call,
)

if TYPE_CHECKING:
    from desktop_app.views.roster_page import RosterPage
    from desktop_app.views.table_models.roster_model import RosterTableModel

DEFAULT_PEOPLE = int(os.environ.get("BENCH_ROSTER_PEOPLE", "100000"))
ROUNDS = 3
MEDIAN_LIMIT_MS = 30.0
MEMORY_LIMIT_MB = 300.0
TYPED = ("maria", "ken", "sato", "nguyen", "garcía")  # one letter at a time
WHOLE = ("0214", "555-01", "кузн", "o'brien", "example.org", "(617) 555")  # pasted or fast


def keystrokes() -> list[str]:
    texts = [word[:end] for word in TYPED for end in range(1, len(word) + 1)]
    return texts + list(WHOLE)


def build(path: Path, people: int) -> None:
    """The demo group (run in another process, so its memory is not counted here)."""
    from desktop_app.db import create_database
    from desktop_app.services.demo import create_demo

    db = create_database(str(path))
    create_demo(db, people=people, seed=1)
    db.close()


# --- the raw floor ------------------------------------------------------------------------


def floor_query(text: str) -> tuple[str, tuple[str, ...]]:
    """The bare SQL the service's search comes down to for this text."""
    from desktop_app.services.roster import MIN_FTS_QUERY
    from desktop_app.text import digits_only, fold

    folded = fold(text)
    if len(folded) < MIN_FTS_QUERY:
        pattern = "SELECT id FROM people WHERE search_text LIKE ? OR search_text LIKE ?"
        return pattern, (f"{folded}%", f"% {folded}%")
    phrase = '"' + folded.replace('"', '""') + '"'
    digits = digits_only(text)
    phone_like = len(digits) >= MIN_FTS_QUERY and not any(c.isalpha() for c in text)
    if phone_like and digits != folded:
        phrase += f' OR "{digits}"'
    return "SELECT rowid FROM person_fts WHERE person_fts MATCH ?", (phrase,)


def run_query(conn: sqlite3.Connection, sql: str, args: tuple[str, ...]) -> None:
    conn.execute(sql, args).fetchall()


def raw_floor_ms(path: Path, texts: Sequence[str]) -> dict[str, float]:
    floors: dict[str, float] = {}
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        for text in texts:
            sql, args = floor_query(text)
            floors[text] = median(time_call(partial(run_query, conn, sql, args), 5)) * 1000
    return floors


# --- what Group Desk does ---------------------------------------------------------------


def keystroke(model: RosterTableModel, text: str) -> None:
    """One keystroke as the table sees it: the new search, then the first row shown."""
    from desktop_app.views.table_models.roster_model import RosterTableModel

    model.set_search(text)
    if model.rowCount():
        model.data(model.index(0, RosterTableModel.NAME))


def search_and_paint(page: RosterPage) -> None:
    page._run_search()  # what the search box's timer runs after a pause in typing
    page.table.viewport().grab()


def measure(path: Path, people: int) -> int:
    import psutil  # type: ignore[import-untyped]
    from PySide6.QtCore import QCoreApplication, QSettings
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication

    from desktop_app.db import open_database
    from desktop_app.views.roster_page import RosterPage
    from desktop_app.views.table_models.roster_model import RosterTableModel

    process = psutil.Process()
    app = QApplication([])
    # The column widths the page remembers go to the temporary folder, not the user's.
    QCoreApplication.setOrganizationName("GroupDeskBench")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(path.parent))
    db = open_database(str(path))
    texts = keystrokes()
    results: list[bool] = []

    # The page, and the memory it holds.
    before_page_mb = process.memory_info().rss / 2**20
    with Timer() as opening:
        page = RosterPage(db, QUndoStack())
        page.resize(1280, 760)
        page.show()
        app.processEvents()
    paint_seconds: list[float] = []
    for text in (*texts[:5], "", "ke", ""):
        page.search.setText(text)
        paint_seconds += time_call(partial(search_and_paint, page))
    page.table.scrollToBottom()
    page.table.viewport().grab()
    app.processEvents()
    page_mb = process.memory_info().rss / 2**20

    # Keystrokes on a model of its own, a fresh one (empty row cache) each round.
    by_text: dict[str, list[float]] = {text: [] for text in texts}
    build_seconds: list[float] = []
    with OtherLoad() as load:
        for _round in range(ROUNDS):
            with Timer() as building:
                model = RosterTableModel(db)
            build_seconds.append(building.seconds)
            for text in texts:
                by_text[text] += time_call(partial(keystroke, model, text))
    samples_ms = [seconds * 1000 for values in by_text.values() for seconds in values]
    floors = raw_floor_ms(path, texts)

    print(f"roster search: {people:,} people, {ROUNDS} rounds of {len(texts)} keystrokes")
    print(f"  {'text':<14}{'matches':>9}{'keystroke':>12}{'raw floor':>12}{'ratio':>8}")
    for text in texts:
        model.set_search(text)
        value = median(by_text[text]) * 1000
        ratio = f"{value / floors[text]:.1f}x" if floors[text] > 0 else "-"
        print(
            f"  {text!r:<14}{model.rowCount():>9,}{value:>9.1f} ms{floors[text]:>9.1f} ms{ratio:>8}"
        )
    floor_median = median(list(floors.values()))
    results.append(
        report(
            "roster.keystroke_median",
            median(samples_ms),
            floor_median,
            "ms",
            limit_abs=MEDIAN_LIMIT_MS,
        )
    )
    report("roster.keystroke_p95", p95(samples_ms), p95(list(floors.values())), "ms")
    report("roster.model_build", median(build_seconds) * 1000, None, "ms")
    report("roster.page_open", opening.seconds * 1000, None, "ms")
    report("roster.page_search_and_paint", median(paint_seconds) * 1000, None, "ms")
    report("roster.rss_before_page", before_page_mb, None, "MB")
    results.append(report("roster.rss_page_open", page_mb, None, "MB", limit_abs=MEMORY_LIMIT_MB))
    print(f"  {load.describe()}")

    # Qt objects go before the QApplication, and it before the interpreter: left to the
    # interpreter's own teardown their order is chance, and so is a crash at exit.
    page.close()
    page.deleteLater()
    del page, model
    app.processEvents()
    gc.collect()
    db.close()
    app.shutdown()
    return exit_status(results)


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=DEFAULT_PEOPLE)
    parser.add_argument("--build", type=Path, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args(argv)
    if args.build is not None:
        build(args.build, args.people)
        return 0
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with temporary_folder("groupdesk-bench-roster-") as folder:
        # Backups and settings of the demo land in the temporary folder too.
        os.environ["GROUPDESK_DATA_DIR"] = str(folder)
        path = folder / "roster.sqlite"
        with Timer() as building:
            command = [sys.executable, __file__, "--people", str(args.people), "--build"]
            subprocess.run([*command, str(path)], check=True)
        print(f"built the demo group with {args.people:,} people in {building.seconds:.1f} s")
        return measure(path, args.people)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
