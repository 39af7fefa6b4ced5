"""Reading printed PDFs back in tests: text and words per page, pictures of pages, QR codes.

pdfplumber reads text with positions (origin top left, y down, in points);
pdftoppm (poppler-utils) renders a page to PNG; zxing-cpp decodes QR codes in it.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page, as pdfplumber lays it out."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [page.extract_text() or "" for page in document.pages]


def all_text(pdf: bytes) -> str:
    return "\n".join(page_texts(pdf))


def page_words(pdf: bytes, page: int = 0) -> list[Word]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        words = document.pages[page].extract_words(keep_blank_chars=False, use_text_flow=True)
    return [Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"]) for w in words]


def page_chars(pdf: bytes, page: int = 0) -> list[dict[str, Any]]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return list(document.pages[page].chars)


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [(float(page.width), float(page.height)) for page in document.pages]


def font_names(pdf: bytes) -> set[str]:
    """The fonts the text of the PDF is drawn with (subset prefixes removed)."""
    names = set()
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            for char in page.chars:
                names.add(str(char["fontname"]).split("+", 1)[-1])
    return names


def logical(text: str) -> str:
    """Extracted right-to-left text back in reading order: the shaped presentation
    forms folded to plain letters and each word reversed (pdfplumber reads the page
    left to right, in display order)."""
    return unicodedata.normalize("NFKC", text)[::-1]


def render_png(pdf: bytes, folder: Path, page: int = 1, dpi: int = 60) -> Path:
    """Page (1-based) as a PNG made by pdftoppm; the path of the picture."""
    if shutil.which("pdftoppm") is None:
        raise RuntimeError("pdftoppm is missing: install poppler-utils (make system-deps)")
    source = folder / "page.pdf"
    source.write_bytes(pdf)
    prefix = folder / f"page-{page}"
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            "-png",
            "-singlefile",
            str(source),
            str(prefix),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return prefix.with_suffix(".png")


def qr_codes(png: Path) -> list[str]:
    """The text of every QR code in the picture."""
    import zxingcpp
    from PIL import Image

    with Image.open(png) as image:
        return [result.text for result in zxingcpp.read_barcodes(image)]


__all__ = [
    "Word",
    "all_text",
    "font_names",
    "logical",
    "page_chars",
    "page_sizes",
    "page_texts",
    "page_words",
    "qr_codes",
    "render_png",
]
