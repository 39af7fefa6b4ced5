"""Bundled fonts, chosen per run of text, so every name prints as it was typed.

ReportLab has no font fallback: a character its font lacks prints as an empty box.
So text is cut into runs, each drawn with a bundled font that has its characters:

- DejaVu Sans (and Bold): Latin with all diacritics, Vietnamese, Greek, Cyrillic,
  Armenian, Georgian and most symbols;
- Noto Sans Arabic and Noto Sans Hebrew (and Bold): Arabic, Persian, Urdu, Hebrew;
- Droid Sans Fallback: Chinese, Japanese and Korean (TrueType outlines: ReportLab
  cannot embed the CFF outlines of OpenType CJK fonts).

Arabic is shaped with arabic-reshaper (joined letter forms) and right-to-left text is
put in display order with python-bidi, line by line after wrapping. A character
no bundled font has is drawn as a box and *reported*: the Notes of a document list
whose text it was, so nobody finds out from the printed page.

Fonts register lazily, once per process, on first use (the CJK font only when a
text needs it). They are looked for in ``desktop_app/resources/fonts`` (an editable
install, a wheel, and a PyInstaller build that keeps the package's data), then in
``resources/fonts`` beside the package (the repository, and a build that copies
the top-level ``resources`` folder).
"""

from __future__ import annotations

import functools
import re
import sys
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

SANS = "GroupDesk-Sans"
SANS_BOLD = "GroupDesk-Sans-Bold"
ARABIC = "GroupDesk-Arabic"
ARABIC_BOLD = "GroupDesk-Arabic-Bold"
HEBREW = "GroupDesk-Hebrew"
HEBREW_BOLD = "GroupDesk-Hebrew-Bold"
CJK = "GroupDesk-CJK"  # no bold cut: bold CJK text uses the regular one

FONT_FILES: dict[str, str] = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    ARABIC: "NotoSansArabic-Regular.ttf",
    ARABIC_BOLD: "NotoSansArabic-Bold.ttf",
    HEBREW: "NotoSansHebrew-Regular.ttf",
    HEBREW_BOLD: "NotoSansHebrew-Bold.ttf",
    CJK: "DroidSansFallback.ttf",
}

Align = Literal["left", "right", "center"]
Run = tuple[str, str]  # (font name, text)


class FontsMissing(RuntimeError):
    """The bundled fonts are not where the program expects them (a broken install)."""


def _candidate_folders() -> Iterator[Path]:
    try:
        packaged = resources.files("desktop_app") / "resources" / "fonts"
        if isinstance(packaged, Path):
            yield packaged
    except (ModuleNotFoundError, TypeError):  # pragma: no cover - always importable here
        pass
    package = Path(__file__).resolve().parent.parent
    yield package / "resources" / "fonts"
    yield package.parent / "resources" / "fonts"
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        yield Path(frozen) / "desktop_app" / "resources" / "fonts"
        yield Path(frozen) / "resources" / "fonts"


@functools.cache
def font_folder() -> Path:
    """The folder holding the bundled .ttf files; FontsMissing names where it looked."""
    tried = []
    for folder in _candidate_folders():
        if (folder / FONT_FILES[SANS]).is_file():
            return folder
        tried.append(str(folder))
    raise FontsMissing(
        "the fonts Group Desk prints with are missing (looked in " + ", ".join(tried) + ")"
    )


_lock = threading.Lock()
_coverage: dict[str, frozenset[int]] = {}


def coverage(name: str) -> frozenset[int]:
    """The code points a bundled font has glyphs for; registers the font on first use."""
    found = _coverage.get(name)
    if found is not None:
        return found
    with _lock:
        found = _coverage.get(name)
        if found is None:
            path = font_folder() / FONT_FILES[name]
            try:
                font = TTFont(name, str(path))
            except Exception as exc:  # ReportLab raises its own TTFError and plain errors
                raise FontsMissing(f"{path}: not a usable TrueType font ({exc})") from exc
            pdfmetrics.registerFont(font)
            found = frozenset(font.face.charToGlyph)
            _coverage[name] = found
    return found


def register_fonts() -> None:
    """Register every bundled font now (normally each registers when first needed)."""
    for name in FONT_FILES:
        coverage(name)


def base_font(bold: bool = False) -> str:
    """The font of plain Latin text; registered, ready for canvas.setFont."""
    name = SANS_BOLD if bold else SANS
    coverage(name)
    return name


# --- scripts ----------------------------------------------------------------------------


def _is_arabic(cp: int) -> bool:
    return (
        0x0600 <= cp <= 0x06FF
        or 0x0750 <= cp <= 0x077F
        or 0x08A0 <= cp <= 0x08FF
        or 0xFB50 <= cp <= 0xFDFF
        or 0xFE70 <= cp <= 0xFEFF
    )


def _is_hebrew(cp: int) -> bool:
    return 0x0590 <= cp <= 0x05FF or 0xFB1D <= cp <= 0xFB4F


_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe]")
_ARABIC_LETTERS = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
# Invisible format characters, variation selectors and C0/C1 controls: dropped, they
# carry no glyph (bidi marks are dropped after python-bidi has used them).
_IGNORABLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u2069\ufe00-\ufe0f\ufeff]"
)
_CJK_CHAR = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
_TOKENS = re.compile(rf"\s+|[{_CJK_CHAR}]|[^\s{_CJK_CHAR}]+")


def _preference(cp: int, bold: bool) -> tuple[str, ...]:
    if _is_arabic(cp):
        return (ARABIC_BOLD, SANS_BOLD) if bold else (ARABIC, SANS)
    if _is_hebrew(cp):
        return (HEBREW_BOLD, SANS_BOLD) if bold else (HEBREW, SANS)
    if bold:
        return (SANS_BOLD, CJK, ARABIC_BOLD, HEBREW_BOLD)
    return (SANS, CJK, ARABIC, HEBREW)


def _pick(cp: int, bold: bool) -> str | None:
    for name in _preference(cp, bold):
        if cp in coverage(name):
            return name
    return None


def _neutral(char: str) -> bool:
    """Spaces, digits, punctuation and marks: they stay in the run they stand in."""
    return unicodedata.category(char)[0] in "ZPNSM"


def font_for(text: str, bold: bool = False) -> str:
    """The bundled font for a run of one script: the one its first letter needs."""
    for char in prepare(text):
        if not _neutral(char):
            return _pick(ord(char), bold) or base_font(bold)
    return base_font(bold)


def is_rtl(text: str) -> bool:
    """Whether the text's first strong character is right-to-left (Hebrew, Arabic)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


# --- preparing text ---------------------------------------------------------------------


@functools.lru_cache(maxsize=8192)
def prepare(text: str) -> str:
    """Text ready to measure: NFC, no invisible controls, Arabic letters joined.

    Line breaks stay (wrap uses them); the order is still the logical one.
    """
    text = _IGNORABLE.sub("", unicodedata.normalize("NFC", text.replace("\t", " ")))
    if _ARABIC_LETTERS.search(text):
        import arabic_reshaper  # only documents with Arabic text pay for it

        text = arabic_reshaper.reshape(text)
    return text


def to_visual(line: str) -> str:
    """One line in display order (right-to-left runs reversed); unchanged without any."""
    if not _RTL.search(line):
        return line
    from bidi import get_display

    return str(get_display(line))


@dataclass(frozen=True)
class Shaped:
    """One line as runs of (font, text) in display order, and what no font could print."""

    runs: tuple[Run, ...]
    missing: str = ""


def _chars_to_runs(text: str, bold: bool) -> Shaped:
    runs: list[Run] = []
    missing: list[str] = []
    buffer: list[str] = []
    current: str | None = None
    pending = list(reversed(text))
    while pending:
        char = pending.pop()
        cp = ord(char)
        if current is not None and _neutral(char) and cp in coverage(current):
            buffer.append(char)
            continue
        font = _pick(cp, bold)
        if font is None:
            # A letter with a compatibility decomposition ("ﬁ", "①") prints as its parts.
            decomposed = unicodedata.normalize("NFKD", char)
            if decomposed != char and all(_pick(ord(part), bold) for part in decomposed):
                pending.extend(reversed(decomposed))
                continue
            if char not in missing:
                missing.append(char)
            font = current or (SANS_BOLD if bold else SANS)
        if font != current:
            if buffer and current is not None:
                runs.append((current, "".join(buffer)))
            buffer = []
            current = font
        buffer.append(char)
    if buffer and current is not None:
        runs.append((current, "".join(buffer)))
    return Shaped(tuple(runs), "".join(missing))


@functools.lru_cache(maxsize=16384)
def shape_line(text: str, bold: bool = False) -> Shaped:
    """One line of text (line breaks become spaces) as font runs in display order."""
    if text.isascii() and text.isprintable():
        # Plain ASCII (most names, emails, phone numbers): one run, no scanning.
        return Shaped(((base_font(bold), text),)) if text else Shaped(())
    line = prepare(text.replace("\r\n", " ").replace("\n", " ").replace("\r", " "))
    return _chars_to_runs(to_visual(line), bold)


def run_width(shaped: Shaped, size: float) -> float:
    return sum(pdfmetrics.stringWidth(chunk, font, size) for font, chunk in shaped.runs)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of one line of text in points at the given size."""
    return run_width(shape_line(text, bold), size)


def wrap(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    """Lines (logical order, prepared) that each fit width; line breaks in text are kept.

    Breaks between words, and between any two Chinese or Japanese characters; a
    word longer than a line is broken where it must be.
    """
    lines: list[str] = []
    for paragraph in prepare(text).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = ""
        line_width = 0.0
        for token in _TOKENS.findall(paragraph):
            token_width = text_width(token, size, bold)
            if line_width + token_width <= width or not line.strip():
                if token.isspace() and not line:
                    continue
                if token_width > width and not token.isspace():
                    # A word longer than the whole line: break it character by character.
                    for char in token:
                        char_width = text_width(char, size, bold)
                        if line_width + char_width > width and line:
                            lines.append(line.rstrip())
                            line, line_width = "", 0.0
                        line += char
                        line_width += char_width
                    continue
                line += token
                line_width += token_width
                continue
            lines.append(line.rstrip())
            if token.isspace():
                line, line_width = "", 0.0
            else:
                line, line_width = token, token_width
        lines.append(line.rstrip())
    return lines


def ellipsize(text: str, size: float, width: float, bold: bool = False) -> str:
    """The longest start of text that fits width with "…" after it (text if it fits)."""
    if text_width(text, size, bold) <= width:
        return text
    ellipsis_width = text_width("…", size, bold)
    kept = ""
    used = 0.0
    for char in prepare(text):
        char_width = text_width(char, size, bold)
        if used + char_width + ellipsis_width > width:
            break
        kept += char
        used += char_width
    return kept.rstrip() + "…"


def _fit_block(
    texts: Sequence[str],
    width: float,
    height: float,
    size: float,
    min_size: float,
    bold: bool,
    leading: float,
) -> tuple[list[str], float, bool]:
    """Lines and a size that fit the box, and whether anything had to be cut.

    The largest size wins: each text on one line, or wrapped when that allows a
    bigger size (small print is what labels must avoid); one line is kept when it
    costs at most a fifth of the size.
    """
    widest = max(text_width(text, 1.0, bold) for text in texts)
    # The largest size at which every text fits on one line, across and down.
    across = width / widest if widest > 0 else size
    down = height / (len(texts) * leading)
    one_line = min(size, across, down)
    if one_line >= size * 0.8:
        return list(texts), one_line, False
    candidate = min(size, down)
    while candidate > one_line and candidate >= min_size:
        lines = [line for text in texts for line in wrap(text, candidate, width, bold)]
        if len(lines) * candidate * leading <= height:
            return lines, candidate, False
        candidate -= 0.5
    if one_line >= min_size:
        return list(texts), one_line, False
    # Not even the smallest size holds it all: wrap at that size and cut what is left.
    candidate = min_size
    lines = [line for text in texts for line in wrap(text, candidate, width, bold)]
    fits = max(1, int(height // (candidate * leading)))
    cut = len(lines) > fits or any(text_width(line, candidate, bold) > width for line in lines)
    if len(lines) > fits:
        lines = lines[:fits]
        lines[-1] = lines[-1] + "…"
    lines = [ellipsize(line, candidate, width, bold) for line in lines]
    return lines, candidate, cut


# --- drawing ----------------------------------------------------------------------------


class Notes:
    """What a document could not print as typed, collected while it is drawn."""

    def __init__(self) -> None:
        self._missing: dict[str, list[str]] = {}
        self._other: list[str] = []

    def missing(self, who: str, chars: str) -> None:
        known = self._missing.setdefault(who, [])
        for char in chars:
            if char not in known:
                known.append(char)

    def add(self, message: str) -> None:
        if message not in self._other:
            self._other.append(message)

    def messages(self) -> tuple[str, ...]:
        texts = []
        for who, chars in self._missing.items():
            shown = ", ".join(f"“{char}” (U+{ord(char):04X})" for char in chars[:5])
            more = f" and {len(chars) - 5} more" if len(chars) > 5 else ""
            noun = "character" if len(chars) == 1 else "characters"
            texts.append(
                f"{who}: {len(chars)} {noun} no bundled font has, printed as empty boxes: "
                f"{shown}{more}"
            )
        return tuple(texts) + tuple(self._other)


class Pen:
    """Draws text on a ReportLab canvas in the bundled fonts, noting what it cannot print.

    Every call names ``who`` the text belongs to (a person's name, "flyer title");
    a character no font has puts that name in the notes.
    """

    def __init__(self, canvas: Any, notes: Notes | None = None) -> None:
        self.canvas = canvas
        self.notes = notes if notes is not None else Notes()

    def width(self, text: str, size: float, bold: bool = False) -> float:
        return text_width(text, size, bold)

    def draw(
        self,
        x: float,
        y: float,
        text: str,
        size: float,
        *,
        bold: bool = False,
        align: Align = "left",
        who: str = "",
    ) -> None:
        """One line of text with its baseline at y; x is its left, right or centre."""
        shaped = shape_line(text, bold)
        if shaped.missing:
            self.notes.missing(who or text, shaped.missing)
        runs = shaped.runs
        if align != "left":
            total = run_width(shaped, size)
            x -= total if align == "right" else total / 2
        canvas = self.canvas
        last = len(runs) - 1
        for index, (font, chunk) in enumerate(runs):
            if canvas._fontname != font or canvas._fontsize != size:
                canvas.setFont(font, size)
            canvas.drawString(x, y, chunk)
            if index != last:
                x += pdfmetrics.stringWidth(chunk, font, size)

    def draw_fitted(
        self,
        x: float,
        y: float,
        text: str,
        width: float,
        size: float,
        *,
        min_size: float,
        bold: bool = False,
        align: Align = "left",
        who: str = "",
    ) -> float:
        """One line shrunk to fit width (down to min_size, then cut with "…" and noted).

        Returns the size used.
        """
        natural = self.width(text, size, bold)
        if natural > width > 0:
            size = max(min_size, size * width / natural)
            if self.width(text, size, bold) > width:
                self.notes.add(f"{who or text}: too long to fit, printed cut short")
                text = ellipsize(text, size, width, bold)
        self.draw(x, y, text, size, bold=bold, align=align, who=who)
        return size

    def block(
        self,
        x: float,
        top: float,
        width: float,
        height: float,
        texts: Sequence[str],
        size: float,
        *,
        min_size: float,
        bold: bool = False,
        who: str = "",
        leading: float = 1.18,
        middle: bool = False,
    ) -> float:
        """Lines of text kept inside a box whose top left is (x, top); returns the size used.

        Each text is a line of its own. They shrink first (down to min_size) and wrap
        only when shrinking is not enough; what still does not fit at min_size is cut
        with "…" and noted. middle centres the block vertically.
        """
        texts = [text for text in texts if text.strip()]
        if not texts:
            return size
        lines, size, cut = _fit_block(texts, width, height, size, min_size, bold, leading)
        if cut:
            self.notes.add(f"{who or texts[0]}: too long to fit, printed cut short")
        step = size * leading
        used = len(lines) * step
        first = top - size * 0.93
        if middle and used < height:
            first -= (height - used) / 2
        for line in lines:
            if is_rtl(line):
                self.draw(x + width, first, line, size, bold=bold, align="right", who=who)
            else:
                self.draw(x, first, line, size, bold=bold, who=who)
            first -= step
        return size

    def paragraph(
        self,
        x: float,
        y: float,
        text: str,
        width: float,
        size: float,
        *,
        leading: float | None = None,
        bold: bool = False,
        who: str = "",
        lines: list[str] | None = None,
    ) -> float:
        """Text wrapped to width, first baseline at y; returns the baseline after the last.

        A right-to-left paragraph is aligned right. lines, when given, are the result
        of an earlier wrap() of the same text (to avoid wrapping twice).
        """
        leading = leading if leading is not None else size * 1.3
        wrapped = lines if lines is not None else wrap(text, size, width, bold)
        for line in wrapped:
            if line:
                if is_rtl(line):
                    self.draw(x + width, y, line, size, bold=bold, align="right", who=who)
                else:
                    self.draw(x, y, line, size, bold=bold, who=who)
            y -= leading
        return y


__all__ = [
    "ARABIC",
    "CJK",
    "FONT_FILES",
    "HEBREW",
    "SANS",
    "SANS_BOLD",
    "FontsMissing",
    "Notes",
    "Pen",
    "Shaped",
    "base_font",
    "coverage",
    "ellipsize",
    "font_folder",
    "font_for",
    "is_rtl",
    "prepare",
    "register_fonts",
    "shape_line",
    "text_width",
    "to_visual",
    "wrap",
]
