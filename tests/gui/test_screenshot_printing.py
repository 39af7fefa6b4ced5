"""Printing on a real X server (Xvfb): the print preview of a sign-in sheet reached
through File > Print, and the Urgent Actions page, as pictures that are more than a
blank (tests/helpers/screenshot_printing.py). They stay in the test's folder for a
person to look at; docs/screenshot-print-preview.png and
docs/screenshot-urgent-actions.png are made the same way.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.helpers.pictures import dark_share, distinct_colours
from tests.helpers.xvfb import run_on_display


def shoot(
    xvfb_display: str, tmp_path: Path, what: str, png: Path
) -> subprocess.CompletedProcess[str]:
    """Run tests/helpers/screenshot_printing.py for what ("preview" or "urgent")."""
    result = run_on_display(
        xvfb_display,
        ["-m", "tests.helpers.screenshot_printing", what, str(tmp_path / "work"), str(png)],
        env={"GROUPDESK_DATA_DIR": str(tmp_path / "data")},
    )
    assert result.returncode == 0, result.stderr
    return result


@pytest.mark.xvfb
def test_print_preview_screenshot(xvfb_display: str, tmp_path: Path) -> None:
    png = tmp_path / "print-preview.png"
    result = shoot(xvfb_display, tmp_path, "preview", png)
    assert "warnings=1" in result.stdout, result.stdout  # the name no font has, said
    image = QImage(str(png))
    assert not image.isNull()
    assert image.width() >= 900 and image.height() >= 700
    assert distinct_colours(image, step=5) > 30, "the preview looks blank"
    # The page itself: the middle of the window is mostly white paper with some text.
    page = image.copy(
        image.width() // 4, image.height() // 4, image.width() // 2, image.height() // 3
    )
    assert 0.005 < dark_share(page) < 0.5, "no page is drawn in the preview"


@pytest.mark.xvfb
def test_urgent_actions_page_screenshot(xvfb_display: str, tmp_path: Path) -> None:
    png = tmp_path / "urgent-actions.png"
    result = shoot(xvfb_display, tmp_path, "urgent", png)
    cases = int(result.stdout.strip().rsplit("cases=", 1)[1].split()[0])
    assert cases > 0, result.stdout
    image = QImage(str(png))
    assert not image.isNull()
    assert distinct_colours(image, step=5) > 30, "the window looks blank"
    assert 0.005 < dark_share(image) < 0.5
