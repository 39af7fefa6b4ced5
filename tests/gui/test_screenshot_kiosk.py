"""The kiosk on a real X server (Xvfb): the empty form and the thank-you, as pictures
that are more than a blank.

The offscreen platform of the other GUI tests draws without a window system; here
the kiosk is a real full-screen window (tests/helpers/screenshot_sign_ups.py). The
pictures stay in the test's folder for a person to look at.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.helpers.xvfb import XvfbUnavailable, virtual_display

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREEN = (1280, 800)


@pytest.fixture
def xvfb_display() -> Iterator[str]:
    try:
        with virtual_display(f"{SCREEN[0]}x{SCREEN[1]}x24") as display:
            yield display
    except XvfbUnavailable as exc:
        pytest.skip(f"{exc}; it gives this test a screen")


def _colours(image: QImage, step: int = 5) -> set[int]:
    return {
        image.pixel(x, y)
        for x in range(0, image.width(), step)
        for y in range(0, image.height(), step)
    }


def _dark_share(image: QImage, step: int = 4) -> float:
    """The share of sampled pixels dark enough to be text."""
    dark = total = 0
    for x in range(0, image.width(), step):
        for y in range(0, image.height(), step):
            total += 1
            pixel = image.pixelColor(x, y)
            dark += pixel.lightness() < 96
    return dark / total


@pytest.mark.xvfb
def test_kiosk_screenshots(xvfb_display: str, tmp_path: Path) -> None:
    empty, thanks = tmp_path / "kiosk-empty.png", tmp_path / "kiosk-thanks.png"
    env = {
        **os.environ,
        "DISPLAY": xvfb_display,
        "QT_QPA_PLATFORM": "xcb",
        "GROUPDESK_DATA_DIR": str(tmp_path / "data"),
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH", "")])
        ),
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.helpers.screenshot_sign_ups",
            "kiosk",
            str(tmp_path / "work"),
            str(empty),
            str(thanks),
        ],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr

    form, thank_you = QImage(str(empty)), QImage(str(thanks))
    assert not form.isNull() and not thank_you.isNull()
    # The whole screen: full-screen works even without a window manager.
    assert (form.width(), form.height()) == SCREEN
    assert (thank_you.width(), thank_you.height()) == SCREEN
    # A form of text, fields and boxes; a thank-you that is mostly calm background.
    assert len(_colours(form)) > 30, "the form looks blank"
    assert 0.01 < _dark_share(form) < 0.5
    assert _dark_share(thank_you) > 0.002, "the thank-you has no text"
    assert _dark_share(thank_you) < _dark_share(form)
