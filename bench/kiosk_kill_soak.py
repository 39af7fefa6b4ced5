"""Soak the kiosk under SIGKILL: at least 50 kills while a script types sign-ups.

Each round starts the real kiosk window (offscreen) in a child process on the same
database file; a script types sign-ups into it and writes each one's email to a side
file once its thank-you is on the screen. The child is killed with SIGKILL at a random
moment; then ``PRAGMA integrity_check`` must say ok and every email in the side file
must be in the database with its sign-in. See tests/helpers/kiosk_kill.py.

    .venv/bin/python bench/kiosk_kill_soak.py [KILLS] [SEED]

Prints one line per kill and the totals; exits 1 if anything was lost or damaged.
KIOSK_KILL_FOLDER keeps the database and side file in that folder for a look.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tests.helpers.kiosk_kill import run_kill_harness  # noqa: E402

DEFAULT_KILLS = 60


def main(argv: list[str]) -> int:
    kills = int(argv[0]) if argv else DEFAULT_KILLS
    seed = int(argv[1]) if len(argv) > 1 else int(time.time())
    kept = os.environ.get("KIOSK_KILL_FOLDER")
    with tempfile.TemporaryDirectory(prefix="kiosk-kill-") as scratch:
        folder = Path(kept) if kept else Path(scratch)
        started = time.perf_counter()
        report = run_kill_harness(folder, kills, seed=seed, log=print)
        seconds = time.perf_counter() - started
    print(
        f"kiosk_kill_soak: {report.kills} kills (seed {seed}) in {seconds:.0f} s; "
        f"{report.confirmed} sign-ups confirmed by a thank-you, {report.found} found in the "
        f"database, {report.lost} lost; missing after a kill: {report.missing_ever}; "
        f"integrity failures: {report.integrity_failures}"
    )
    ok = report.lost == 0 and report.missing_ever == 0 and report.integrity_failures == 0
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
