"""Cold start: from launching `groupdesk` to a shown, usable main window, under Xvfb.

The floor, measured in the same run, is a bare script that imports PySide6 and
sqlalchemy.orm, opens the same database file, and shows a QMainWindow with a
QTableView. Both are whole processes that, once their first paint is done and the
event loop is idle, print the wall-clock time and quit (Group Desk through
GROUPDESK_STARTUP_PROBE). The figure is that moment minus the moment the bench spawned
the process: the interpreter's start is counted, its tear-down after quitting is not
(it is not part of starting, and it grows with every module either side imports).
Runs alternate so that the machine's mood touches both alike.

Limits (issue 2): 5,000 people: median under 1.0 s and at most 1.5x the floor;
100,000 people: median under 1.2 s.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from desktop_app.db import create_database  # noqa: E402
from desktop_app.services.demo import create_demo  # noqa: E402
from tests.helpers.xvfb import virtual_display  # noqa: E402

RUNS = 7

FLOOR_SCRIPT = textwrap.dedent(
    """
    import sys
    import time
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
    from sqlalchemy import create_engine, text
    import sqlalchemy.orm  # noqa: F401  (what Group Desk's first window needs)

    engine = create_engine("sqlite:///" + sys.argv[1])
    with engine.connect() as conn:
        conn.execute(text("SELECT id FROM people ORDER BY sort_key LIMIT 200")).all()
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QTableView())
    window.resize(1200, 750)
    window.show()

    def shown():
        print(f"groupdesk-shown-at {time.time():.6f}", flush=True)
        app.quit()

    QTimer.singleShot(0, shown)
    app.exec()
    """
)


def timed(command: list[str], env: dict[str, str]) -> float:
    """Seconds from spawning the process to its report of a shown, idle window."""
    spawned = time.time()
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise SystemExit(f"bench_startup: {command[1:3]} failed:\n{completed.stderr[-2000:]}")
    for line in completed.stdout.splitlines():
        if line.startswith("groupdesk-shown-at "):
            return float(line.split()[1]) - spawned
    raise SystemExit(f"bench_startup: {command[1:3]} never reported its window as shown")


def measure(db_file: Path, env: dict[str, str], runs: int = RUNS) -> tuple[float, float]:
    """Median seconds for the floor script and for Group Desk on the same file."""
    floor_cmd = [sys.executable, "-c", FLOOR_SCRIPT, str(db_file)]
    app_cmd = [sys.executable, "-m", "desktop_app", "--db", str(db_file)]
    timed(floor_cmd, env)  # warm the file cache for both: "cold" is the process, not the disk
    timed(app_cmd, env)
    floors, apps = [], []
    for _ in range(runs):
        floors.append(timed(floor_cmd, env))
        apps.append(timed(app_cmd, env))
    return statistics.median(floors), statistics.median(apps)


def make_database(folder: Path, people: int) -> Path:
    path = folder / f"roster-{people}.sqlite"
    db = create_database(str(path))
    create_demo(db, people=people, seed=7)
    db.close()
    return path


def main() -> int:
    failures = 0
    with tempfile.TemporaryDirectory() as temp, virtual_display() as display:
        folder = Path(temp)
        env = {
            **os.environ,
            "DISPLAY": display,
            "QT_QPA_PLATFORM": "xcb",
            "GROUPDESK_DATA_DIR": str(folder / "data"),
            "XDG_CONFIG_HOME": str(folder / "config"),
            "GROUPDESK_STARTUP_PROBE": "1",
        }
        # An installed program starts from compiled bytecode; a machine that sets
        # PYTHONDONTWRITEBYTECODE would make both sides compile every module each time.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(REPO_ROOT / "desktop_app")],
            check=True,
            env=env,
        )
        for people, limit_seconds, limit_ratio in ((5_000, 1.0, 1.5), (100_000, 1.2, None)):
            db_file = make_database(folder, people)
            floor, app = measure(db_file, env)
            ratio = app / floor
            ok = app < limit_seconds and (limit_ratio is None or ratio <= limit_ratio)
            failures += not ok
            ratio_limit = f", limit {limit_ratio}x" if limit_ratio else ""
            print(
                f"startup.{people}_people  {app:.3f} s  floor {floor:.3f} s  "
                f"ratio {ratio:.2f}x  (limit {limit_seconds} s{ratio_limit})  "
                f"{'OK' if ok else 'MISSED'}"
            )
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
