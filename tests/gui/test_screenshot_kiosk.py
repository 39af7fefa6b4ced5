"""The kiosk on a real X server (Xvfb): the empty form and the thank-you, as pictures
that are more than a blank.

The offscreen platform of the other GUI tests draws without a window system; here
the kiosk is a real full-screen window (tests/helpers/screenshot_sign_ups.py). The
pictures stay in the test's folder for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.helpers.pictures import dark_share, distinct_colours
from tests.helpers.xvfb import run_on_display

SCREEN = (1280, 800)


@pytest.mark.xvfb
def test_kiosk_screenshots(xvfb_display: str, tmp_path: Path) -> None:
    empty, thanks = tmp_path / "kiosk-empty.png", tmp_path / "kiosk-thanks.png"
    result = run_on_display(
        xvfb_display,
        [
            "-m",
            "tests.helpers.screenshot_sign_ups",
            "kiosk",
            str(tmp_path / "work"),
            str(empty),
            str(thanks),
        ],
        env={"GROUPDESK_DATA_DIR": str(tmp_path / "data")},
    )
    assert result.returncode == 0, result.stderr

    form, thank_you = QImage(str(empty)), QImage(str(thanks))
    assert not form.isNull() and not thank_you.isNull()
    # The whole screen: full-screen works even without a window manager.
    assert (form.width(), form.height()) == SCREEN
    assert (thank_you.width(), thank_you.height()) == SCREEN
    # A form of text, fields and boxes; a thank-you that is mostly calm background.
    assert distinct_colours(form, step=5) > 30, "the form looks blank"
    assert 0.01 < dark_share(form) < 0.5
    assert dark_share(thank_you) > 0.002, "the thank-you has no text"
    assert dark_share(thank_you) < dark_share(form)
