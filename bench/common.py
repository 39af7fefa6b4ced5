"""Shared helpers for the benchmarks in bench/: timing, statistics, one-line reports.

Every benchmark compares what Group Desk does with a raw floor (the same work done
the plainest way, e.g. bare sqlite3) and prints one line per figure::

    demo.people_insert  0.41 s  floor 0.30 s  ratio 1.37x  (limit 2.0x) OK

and exits non-zero when a limit is missed. The whole API:

- ``Timer``: ``with Timer() as t: ...`` then ``t.seconds`` (time.perf_counter).
- ``time_call(fn, repeat=1)``: seconds per call, one value per call.
- ``median(values)``, ``p95(values)``: the usual summaries (p95 by nearest rank).
- ``report(name, value, floor, unit, limit_ratio=None, limit_abs=None) -> bool``:
  prints the line and returns whether the limits were met. ``floor`` may be None for
  a figure with an absolute limit only.
- ``exit_status(results) -> int``: 0 when every report passed, 1 otherwise.
- ``temporary_folder(prefix)``: a folder removed afterwards, for databases.
- ``OtherLoad``: ``with OtherLoad() as load: ...`` then ``load.cores``: how many cores
  other processes kept busy meanwhile (Linux; None elsewhere). On a shared machine
  a slow figure with a busy neighbour is noise, not a regression; print it.
- ``python_speed()``: seconds for a fixed pure-Python loop (10 million additions),
  to tell a slow machine (or a slow moment of a virtual one) from slow code.

Importing this module has no side effects; benchmarks run under ``if __name__ == "__main__"``.
"""

from __future__ import annotations

import math
import os
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

__all__ = [
    "OtherLoad",
    "Timer",
    "exit_status",
    "median",
    "p95",
    "python_speed",
    "report",
    "temporary_folder",
    "time_call",
]


class Timer:
    """Wall-clock time of a block, with time.perf_counter."""

    def __init__(self) -> None:
        self.started = 0.0
        self.seconds = 0.0

    def __enter__(self) -> Timer:
        self.started = time.perf_counter()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.seconds = time.perf_counter() - self.started


def time_call(fn: Callable[[], object], repeat: int = 1) -> list[float]:
    """Call fn ``repeat`` times; the seconds each call took."""
    times = []
    for _ in range(repeat):
        with Timer() as timer:
            fn()
        times.append(timer.seconds)
    return times


def median(values: Sequence[float]) -> float:
    if not values:
        raise ValueError("median of no values")
    return float(statistics.median(values))


def p95(values: Sequence[float]) -> float:
    """The 95th percentile by nearest rank: a value that was actually measured."""
    if not values:
        raise ValueError("p95 of no values")
    ordered = sorted(values)
    return float(ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)])


def _number(value: float) -> str:
    return f"{value:.0f}" if abs(value) >= 100 else f"{value:.2f}"


def report(
    name: str,
    value: float,
    floor: float | None,
    unit: str,
    limit_ratio: float | None = None,
    limit_abs: float | None = None,
) -> bool:
    """Print one result line; True when value is within every limit given.

    limit_ratio bounds value / floor; limit_abs bounds value itself (same unit).
    """
    parts = [name, f"{_number(value)} {unit}"]
    ok = True
    if floor is not None:
        parts.append(f"floor {_number(floor)} {unit}")
        ratio = value / floor if floor > 0 else math.inf
        parts.append(f"ratio {ratio:.2f}x")
        if limit_ratio is not None and ratio > limit_ratio:
            ok = False
    elif limit_ratio is not None:
        raise ValueError(f"{name}: a ratio limit needs a floor")
    if limit_abs is not None and value > limit_abs:
        ok = False
    limits = []
    if limit_ratio is not None:
        limits.append(f"{limit_ratio:.1f}x")
    if limit_abs is not None:
        limits.append(f"{_number(limit_abs)} {unit}")
    line = "  ".join(parts)
    if limits:
        line += f"  (limit {', '.join(limits)}) {'OK' if ok else 'MISSED'}"
    print(line, flush=True)
    return ok


def python_speed() -> float:
    """CPU seconds for 10 million additions in a Python loop (0.4-0.9 s on a laptop)."""
    started = time.process_time()
    total = 0
    for number in range(10_000_000):
        total += number
    return time.process_time() - started


def exit_status(results: Iterable[bool]) -> int:
    return 0 if all(results) else 1


@contextmanager
def temporary_folder(prefix: str = "groupdesk-bench-") -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _busy_seconds() -> float | None:
    """CPU seconds all processes have used since boot (Linux /proc/stat), or None."""
    try:
        with open("/proc/stat", encoding="ascii") as handle:
            fields = [int(part) for part in handle.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields) - idle) / os.sysconf("SC_CLK_TCK")


def _own_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime + children.ru_utime + children.ru_stime


class OtherLoad:
    """How many cores other processes kept busy during a block (None if unknown)."""

    def __init__(self) -> None:
        self.cores: float | None = None
        self._start: tuple[float | None, float, float] = (None, 0.0, 0.0)

    def __enter__(self) -> OtherLoad:
        self._start = (_busy_seconds(), _own_seconds(), time.perf_counter())
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        busy_before, own_before, started = self._start
        busy_after = _busy_seconds()
        wall = time.perf_counter() - started
        if busy_before is None or busy_after is None or wall <= 0:
            return
        others = (busy_after - busy_before) - (_own_seconds() - own_before)
        self.cores = max(0.0, others / wall)

    def describe(self) -> str:
        if self.cores is None:
            return "other processes: unknown"
        return f"other processes kept {self.cores:.2f} cores busy"
