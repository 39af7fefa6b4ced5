"""The kiosk under SIGKILL: every sign-up whose thank-you appeared survives, every time.

A child process runs the real kiosk window (offscreen) and types sign-ups into it;
the parent kills it at random moments and checks the file after each kill
(tests/helpers/kiosk_kill.py). bench/kiosk_kill_soak.py runs the same with many kills.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.kiosk_kill import check_database, prepare_database, run_kill_harness

KILLS = 6


@pytest.mark.slow
def test_no_confirmed_sign_up_is_lost_when_the_kiosk_is_killed(tmp_path: Path) -> None:
    report = run_kill_harness(tmp_path / "harness", KILLS, seed=20260516)

    assert report.kills == KILLS
    assert [r.integrity for r in report.rounds] == ["ok"] * KILLS
    assert [r.missing for r in report.rounds] == [[]] * KILLS
    assert report.lost == 0
    # The harness saw sign-ups confirmed, in more than one run of the kiosk.
    assert report.confirmed >= KILLS
    assert len({r.confirmed for r in report.rounds}) > 1


def test_the_check_notices_a_missing_sign_up(tmp_path: Path) -> None:
    """The check above can fail: an email never saved is reported missing."""
    path = tmp_path / "kiosk.sqlite"
    event_id = prepare_database(path)
    integrity, missing = check_database(path, event_id, ["never-saved@example.org"])
    assert integrity == "ok"
    assert missing == ["never-saved@example.org"]
