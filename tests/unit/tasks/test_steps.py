"""desktop_app/tasks/steps.py: long work run to its end without a window."""

from __future__ import annotations

from collections.abc import Generator

import pytest

from desktop_app.tasks.steps import run_to_end


def test_the_result_is_what_the_steps_returned_after_every_step() -> None:
    seen: list[int] = []

    def steps() -> Generator[int, None, str]:
        for step in range(3):
            seen.append(step)
            yield step
        return "done"

    assert run_to_end(steps()) == "done"
    assert seen == [0, 1, 2]


def test_a_failing_step_fails_the_run() -> None:
    def steps() -> Generator[int, None, str]:
        yield 1
        raise ValueError("row 7: no name")

    with pytest.raises(ValueError, match="row 7"):
        run_to_end(steps())


def test_each_step_goes_to_on_step_in_order() -> None:
    def steps() -> Generator[str, None, int]:
        yield "reading"
        yield "writing"
        return 2

    handed: list[str] = []
    assert run_to_end(steps(), handed.append) == 2
    assert handed == ["reading", "writing"]
