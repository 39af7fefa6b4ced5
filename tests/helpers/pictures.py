"""Looking at a screenshot as a person would, roughly: is there anything on it?"""

from __future__ import annotations

from PySide6.QtGui import QImage


def distinct_colours(image: QImage, step: int = 7) -> int:
    """How many colours a grid of samples finds: a blank or one-colour picture has few."""
    return len(
        {
            image.pixel(x, y)
            for x in range(0, image.width(), step)
            for y in range(0, image.height(), step)
        }
    )


def dark_share(image: QImage, step: int = 4) -> float:
    """The share of sampled pixels dark enough to be text."""
    dark = total = 0
    for x in range(0, image.width(), step):
        for y in range(0, image.height(), step):
            total += 1
            dark += image.pixelColor(x, y).lightness() < 96
    return dark / total
