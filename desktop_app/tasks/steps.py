"""Running long work written as steps to its end, where no one watches the progress.

Long work is a generator that yields progress and returns its result (see runner.py,
which runs one on a worker thread for a window). The command line and the tests want
only the result: ``run_to_end(steps)``. Nothing here imports Qt.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any, TypeVar

R = TypeVar("R")


def run_to_end(steps: Generator[Any, None, R]) -> R:
    """Advance steps until it returns, and give back what it returned."""
    while True:
        try:
            next(steps)
        except StopIteration as finished:
            result: R = finished.value
            return result
