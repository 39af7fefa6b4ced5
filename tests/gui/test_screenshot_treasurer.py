"""The Treasurer page on a real X server (Xvfb): a picture of the demo group's ledger
that is more than a blank (tests/helpers/screenshot_treasurer.py makes it; the same
script made docs/screenshot-treasurer.png)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.helpers.pictures import dark_share, distinct_colours
from tests.helpers.xvfb import run_on_display


@pytest.mark.xvfb
def test_treasurer_page_screenshot(xvfb_display: str, tmp_path: Path) -> None:
    png = tmp_path / "treasurer.png"
    result = run_on_display(
        xvfb_display,
        ["-m", "tests.helpers.screenshot_treasurer", str(tmp_path / "work"), str(png)],
        env={"GROUPDESK_DATA_DIR": str(tmp_path / "data")},
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(png))
    assert not image.isNull()
    assert (image.width(), image.height()) == (1280, 800)
    assert distinct_colours(image) > 30, "the page looks blank"
    assert 0.005 < dark_share(image) < 0.5  # text on a light window
