"""Running long work written as steps to its end, where no one watches the progress.

Long work is a generator that yields progress and returns its result (see runner.py,
which runs one on a worker thread for a window). The command line wants only the
result: ``run_to_end(steps)``; a test that looks at the progress too hands each step
to ``on_step``. Nothing here imports Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any, TypeVar

R = TypeVar("R")


def run_to_end(steps: Generator[Any, None, R], on_step: Callable[[Any], object] | None = None) -> R:
    """Advance steps until it returns, and give back what it returned; each step
    yielded goes to on_step, if given."""
    while True:
        try:
            step = next(steps)
        except StopIteration as finished:
            result: R = finished.value
            return result
        if on_step is not None:
            on_step(step)
