"""The kiosk kill harness: SIGKILL the kiosk while it takes sign-ups, again and again.

A child process (``tests.helpers.kiosk_typist``) runs the real kiosk window on a
database file and types sign-ups into it; each sign-up whose thank-you appeared is
written to a side file (and fsynced) after the thank-you is on the screen. The
parent kills the child with SIGKILL at a random moment, then checks the file with
the standard library: ``PRAGMA integrity_check`` says "ok", and every email in the
side file is a person in the database with a sign-in at the event. Then it starts a
new child on the same file, and kills it again.

``run_kill_harness`` is used by tests/gui/test_kiosk_kill.py (a few kills) and by
bench/kiosk_kill_soak.py (many).
"""

from __future__ import annotations

import os
import random
import selectors
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from desktop_app.db import create_database
from desktop_app.models import EventKind
from desktop_app.services.events import EventInput, create_event
from desktop_app.services.group import GroupProfileData, save_profile

REPO_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 60.0  # a loaded machine may take long to import Qt and SQLAlchemy
PIN = "2468"


@dataclass
class KillRound:
    number: int
    after_s: float  # how long the child had been typing when it was killed
    confirmed: int  # emails in the side file so far
    missing: list[str]
    integrity: str


@dataclass
class KillReport:
    rounds: list[KillRound] = field(default_factory=list)
    confirmed: int = 0
    found: int = 0

    @property
    def kills(self) -> int:
        return len(self.rounds)

    @property
    def lost(self) -> int:
        return self.confirmed - self.found

    @property
    def missing_ever(self) -> int:
        """Confirmed emails found missing after any kill (each must be 0)."""
        return sum(len(r.missing) for r in self.rounds)

    @property
    def integrity_failures(self) -> int:
        return sum(1 for r in self.rounds if r.integrity != "ok")


def prepare_database(path: Path) -> int:
    """A group database with a kiosk PIN, interests and a tabling event; the event's id."""
    db = create_database(str(path))
    try:
        save_profile(
            db,
            GroupProfileData(
                name="Riverside Human Rights Group",
                country="US",
                kiosk_interests=("Refugee rights", "Letter writing", "Events & films"),
            ),
            kiosk_pin=PIN,
        )
        starts = datetime.now(UTC) + timedelta(hours=1)
        made = create_event(
            db, EventInput(title="Street fair", starts_at=starts, kind=EventKind.TABLING)
        )
        return made.id
    finally:
        db.close()


def confirmed_emails(side_file: Path) -> list[str]:
    """Whole lines only: a line is written in one piece, but be strict anyway."""
    if not side_file.exists():
        return []
    text = side_file.read_text(encoding="utf-8")
    lines = text.split("\n")
    return [line for line in lines[:-1] if line]  # the part after the last newline is cut


def check_database(path: Path, event_id: int, emails: list[str]) -> tuple[str, list[str]]:
    """(integrity_check's answer, the confirmed emails not in the database)."""
    with closing(sqlite3.connect(path)) as conn:
        integrity = "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
        signed = {
            row[0]
            for row in conn.execute(
                "SELECT p.email FROM people p JOIN sign_ins s ON s.person_id = p.id "
                "WHERE s.event_id = ?",
                (event_id,),
            )
        }
    return integrity, [email for email in emails if email not in signed]


def _child_env(folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "GROUPDESK_DATA_DIR": str(folder / "data"),
        "XDG_CONFIG_HOME": str(folder / "config"),
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH", "")])
        ),
    }


def _wait_for_typing(child: subprocess.Popen[bytes]) -> None:
    assert child.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(child.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if selector.select(timeout=0.5):
                line = child.stdout.readline()
                if line.strip() == b"typing":
                    return
                if not line:
                    break
            if child.poll() is not None:
                break
    child.kill()
    _, errors = child.communicate(timeout=30)
    raise RuntimeError(f"the kiosk child did not start typing: {errors.decode(errors='replace')}")


def run_kill_harness(
    folder: Path,
    kills: int,
    *,
    seed: int = 1,
    longest_s: float = 2.0,
    log: Callable[[str], None] | None = None,
) -> KillReport:
    """Kill the typing kiosk ``kills`` times, checking the database after each kill."""
    folder.mkdir(parents=True, exist_ok=True)
    db_path = folder / "kiosk.sqlite"
    side_file = folder / "confirmed.txt"
    event_id = prepare_database(db_path)
    rng = random.Random(seed)
    report = KillReport()
    for number in range(1, kills + 1):
        child = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.helpers.kiosk_typist",
                str(db_path),
                str(event_id),
                str(side_file),
                str(number),
                str(rng.getrandbits(32)),
            ],
            cwd=REPO_ROOT,
            env=_child_env(folder),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        _wait_for_typing(child)
        after = rng.uniform(0.05, longest_s)
        time.sleep(after)
        if child.poll() is not None:
            _, errors = child.communicate(timeout=30)
            raise RuntimeError(
                f"the kiosk child stopped by itself ({child.returncode}): "
                f"{errors.decode(errors='replace')}"
            )
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        assert child.stdout is not None and child.stderr is not None
        child.stdout.close()
        child.stderr.close()
        emails = confirmed_emails(side_file)
        integrity, missing = check_database(db_path, event_id, emails)
        done = KillRound(number, after, len(emails), missing, integrity)
        report.rounds.append(done)
        report.confirmed = len(emails)
        report.found = len(emails) - len(missing)
        if log is not None:
            log(
                f"kill {number:3d} after {after:4.2f} s: {len(emails):5d} confirmed, "
                f"{len(missing)} missing, integrity {integrity}"
            )
    return report
