"""Run every bench/bench_*.py, one process each, with this Python; `make bench` calls it.

Each benchmark runs in its own process so that one's imports, caches and memory do not
colour the next one's figures. Arguments, if given, select benchmarks whose file name
contains one of them: `python bench/run_all.py roster pdf`.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent


def find_benchmarks(selectors: list[str]) -> list[Path]:
    found = sorted(BENCH_DIR.glob("bench_*.py"))
    if selectors:
        found = [path for path in found if any(word in path.name for word in selectors)]
    return found


def main(argv: list[str]) -> int:
    benchmarks = find_benchmarks(argv)
    if not benchmarks:
        print("bench: no bench/bench_*.py to run" + (f" matching {argv}" if argv else ""))
        return 0
    failed: list[str] = []
    for path in benchmarks:
        print(f"== {path.name}", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(path)], cwd=REPO_ROOT, check=False)
        elapsed = time.perf_counter() - started
        status = "ok" if result.returncode == 0 else f"FAILED (exit {result.returncode})"
        print(f"== {path.name}: {status} in {elapsed:.1f} s\n", flush=True)
        if result.returncode != 0:
            failed.append(path.name)
    if failed:
        print(f"bench: {len(failed)} of {len(benchmarks)} failed: {', '.join(failed)}")
        return 1
    print(f"bench: {len(benchmarks)} benchmark(s) ran")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
