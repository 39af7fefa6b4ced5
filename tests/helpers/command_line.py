"""`groupdesk` run in the test's own process, as tests/cli reads it back.

Each takes pytest's ``capsys``: what the command printed is read from it, so a test
sees exactly what a script reading stdout and stderr would see.
"""

from __future__ import annotations

import json

import pytest

from desktop_app import cli


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """The exit code, stdout and stderr of `groupdesk ARGV`."""
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    """`groupdesk ARGV --json`, which must succeed and print one JSON object on one line."""
    code, out, err = run(capsys, *argv, "--json")
    assert code == cli.EXIT_OK, err
    assert out.count("\n") == 1, "exactly one JSON object on one line"
    result = json.loads(out)
    assert isinstance(result, dict)
    return result


def one_line(err: str) -> str:
    """stderr, which must be the one line `groupdesk: ...` the contract promises."""
    assert err.count("\n") == 1 and err.startswith("groupdesk: "), err
    return err


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """`groupdesk ARGV`, which must fail with nothing on stdout and one line on stderr."""
    code, out, err = run(capsys, *argv)
    assert code != 0 and out == ""
    return one_line(err)
