"""Demo data at 100,000 people: the people insert against the raw floor, and the total.

Each run makes a new database in a temporary folder and calls create_demo, which
reports its own phases (DemoSummary.seconds). The figures are medians over runs:

- demo.people_insert: the executemany calls that put the people rows in, against
  the floor: raw sqlite3 executemany of the same tuples (read back from the demo
  database) into the people table as the demo loads it, i.e. the same columns and
  constraints without the secondary indexes and search triggers; WAL, foreign keys
  on, the same page cache, one transaction. Limit 2.0x (at least half the rate).
- demo.people_with_indexes: that insert plus building the people indexes again,
  against raw executemany into the migrated people table with all its indexes
  (triggers off). Limit 2.0x.
- demo.search_index: indexing the people for search (in chunks, alongside the
  helper thread), against one raw INSERT ... SELECT into person_fts. No limit.
- demo.total: create_demo from start to commit, every table. Limit 5 s.
- demo.command: the whole `groupdesk demo --people N` as a user runs it, from
  spawning the process to its exit (start-up, a new database, the demo). Limit 5 s.

Run: .venv/bin/python bench/bench_demo.py [--people N] [--repeat R]. Exits 1 when a
limit is missed. On a shared machine, look at the "other processes" line first.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    OtherLoad,
    Timer,
    exit_status,
    median,
    python_speed,
    report,
    temporary_folder,
)

PEOPLE_INSERT_LIMIT = 2.0
TOTAL_LIMIT_SECONDS = 5.0


def _make_demo(folder: Path, number: int, people: int, seed: int) -> tuple[Path, dict[str, float]]:
    from desktop_app.db import create_database
    from desktop_app.services.demo import create_demo

    path = folder / f"demo-{number}.sqlite"
    db = create_database(str(path))
    try:
        summary = create_demo(db, people, seed=seed)
    finally:
        db.close()
    return path, dict(summary.seconds)


def _time_command(folder: Path, number: int, people: int, seed: int) -> float:
    """Wall-clock seconds of `groupdesk --db NEW demo --people N` in its own process."""
    path = folder / f"command-{number}.sqlite"
    command = [sys.executable, "-m", "desktop_app", "--db", str(path), "demo"]
    command += ["--people", str(people), "--seed", str(seed), "--json"]
    # As an installed program runs: from compiled bytecode (see main), not compiling
    # every module again because this machine sets PYTHONDONTWRITEBYTECODE.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with Timer() as timer:
        completed = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if completed.returncode != 0:
        raise SystemExit(f"bench_demo: the demo command failed:\n{completed.stderr[-2000:]}")
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    return timer.seconds


def _people_tuples(path: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """The people rows as stored by the demo, and the import batch they point at."""
    with closing(sqlite3.connect(path)) as conn:
        people = conn.execute("SELECT * FROM people ORDER BY id").fetchall()
        batches = conn.execute("SELECT * FROM import_batches").fetchall()
    return people, batches


def _floor(
    folder: Path,
    number: int,
    people: Sequence[tuple[object, ...]],
    batches: Sequence[tuple[object, ...]],
    *,
    keep_indexes: bool,
) -> tuple[float, float]:
    """Seconds for raw executemany of the people, and for one raw FTS build after it."""
    from desktop_app.db import BULK_CACHE_KIB, create_database
    from desktop_app.search_index import PERSON_TRIGGERS

    path = folder / f"floor-{number}-{'indexed' if keep_indexes else 'bare'}.sqlite"
    create_database(str(path)).close()  # the migrated schema, nothing else
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
        for name in PERSON_TRIGGERS:
            conn.execute(f"DROP TRIGGER {name}")
        if not keep_indexes:
            names = conn.execute(
                "SELECT name FROM sqlite_master "
                "WHERE type = 'index' AND tbl_name = 'people' AND sql IS NOT NULL"
            ).fetchall()
            for (name,) in names:
                conn.execute(f'DROP INDEX "{name}"')
        if batches:
            marks = ", ".join("?" * len(batches[0]))
            conn.executemany(f"INSERT INTO import_batches VALUES ({marks})", batches)
        marks = ", ".join("?" * len(people[0]))
        conn.execute("BEGIN")
        with Timer() as insert:
            conn.executemany(f"INSERT INTO people VALUES ({marks})", people)
        with Timer() as index:
            conn.execute(
                "INSERT INTO person_fts(rowid, search_text) SELECT id, search_text FROM people"
            )
        conn.execute("ROLLBACK")
    path.unlink()
    return insert.seconds, index.seconds


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    print(
        f"bench_demo: {args.people:,} people, {args.repeat} runs; {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
        flush=True,
    )
    package = Path(__file__).resolve().parent.parent / "desktop_app"
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)
    runs: list[dict[str, float]] = []
    floors_bare: list[float] = []
    floors_indexed: list[float] = []
    floors_search: list[float] = []
    commands: list[float] = []
    with temporary_folder("groupdesk-bench-demo-") as folder, OtherLoad() as load:
        os.environ["GROUPDESK_DATA_DIR"] = str(folder / "data")
        for number in range(args.repeat):
            path, seconds = _make_demo(folder, number, args.people, args.seed)
            runs.append(seconds)
            print(
                f"  run {number + 1}: total {seconds['total']:.2f} s  ("
                + ", ".join(f"{k} {v:.2f}" for k, v in seconds.items() if k != "total")
                + ")",
                flush=True,
            )
            people, batches = _people_tuples(path)
            path.unlink()
            bare, search = _floor(folder, number, people, batches, keep_indexes=False)
            indexed, _ = _floor(folder, number, people, batches, keep_indexes=True)
            floors_bare.append(bare)
            floors_indexed.append(indexed)
            floors_search.append(search)
            commands.append(_time_command(folder, number, args.people, args.seed))
            print(
                f"  floor {number + 1}: bare {bare:.2f} s, with indexes {indexed:.2f} s, "
                f"search index {search:.2f} s; the whole command {commands[-1]:.2f} s",
                flush=True,
            )
    print(f"{load.describe()}; Python speed {python_speed():.2f} s per 10M additions", flush=True)

    def med(key: str) -> float:
        return median([run.get(key, 0.0) for run in runs])

    with_indexes = median([run["people_insert"] + run["people_indexes"] for run in runs])
    results = [
        report(
            "demo.people_insert",
            med("people_insert"),
            median(floors_bare),
            "s",
            limit_ratio=PEOPLE_INSERT_LIMIT,
        ),
        report(
            "demo.people_with_indexes",
            with_indexes,
            median(floors_indexed),
            "s",
            limit_ratio=PEOPLE_INSERT_LIMIT,
        ),
        report("demo.search_index", med("search_index"), median(floors_search), "s"),
        report("demo.total", med("total"), None, "s", limit_abs=TOTAL_LIMIT_SECONDS),
        report("demo.command", median(commands), None, "s", limit_abs=TOTAL_LIMIT_SECONDS),
    ]
    return exit_status(results)


if __name__ == "__main__":
    sys.exit(main())
