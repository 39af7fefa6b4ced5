"""Names print as typed in every script the bundled fonts cover, and what they cannot
print is named in a warning instead of turning silently into boxes."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap

import pytest
from reportlab.pdfgen.canvas import Canvas

from desktop_app.printing import fonts
from desktop_app.printing.fonts import Notes, Pen
from tests.helpers.pdf_pages import all_text, font_names, logical, page_words

NAMES = {
    "latin": "Zoë Ñúñez-Ørsted",
    "vietnamese": "Nguyễn Thị Minh Khai",
    "greek": "Γιώργος Παπαδόπουλος",
    "cyrillic": "Дмитрий Иванов",
    "chinese": "王小明",
    "japanese": "さとう けんじ",
    "korean": "김민준",
}


def draw(lines: list[str], who: str = "") -> tuple[bytes, Notes]:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(600, 800), initialFontName=fonts.base_font())
    pen = Pen(canvas)
    y = 760.0
    for line in lines:
        pen.draw(40, y, line, 12, who=who or line)
        y -= 20
    canvas.showPage()
    canvas.save()
    return buffer.getvalue(), pen.notes


def test_font_folder_holds_every_bundled_font_and_its_licences() -> None:
    folder = fonts.font_folder()
    for file in fonts.FONT_FILES.values():
        assert (folder / file).stat().st_size > 10_000, file
    licences = {path.name for path in (folder / "LICENSES").iterdir()}
    assert {"DejaVu.txt", "Noto-OFL-1.1.txt", "Droid-Apache-2.0.txt"} <= licences


@pytest.mark.parametrize("script", sorted(NAMES))
def test_each_script_prints_and_reads_back(script: str) -> None:
    name = NAMES[script]
    pdf, notes = draw([name])
    assert notes.messages() == ()
    assert name.replace(" ", "") in all_text(pdf).replace(" ", "").replace("\n", "")


def test_scripts_are_drawn_with_the_font_that_has_them() -> None:
    assert fonts.font_for("Zoë") == fonts.SANS
    assert fonts.font_for("王小明") == fonts.CJK
    assert fonts.font_for("김민준") == fonts.CJK
    assert fonts.font_for("أحمد") == fonts.ARABIC
    assert fonts.font_for("שלום") == fonts.HEBREW
    pdf, _notes = draw([NAMES["latin"], NAMES["chinese"], "أحمد", "שלום"])
    embedded = font_names(pdf)
    assert {"DejaVuSans", "DroidSansFallback", "NotoSansArabic-Regular"} <= embedded
    assert "NotoSansHebrew-Regular" in embedded
    assert not any("Helvetica" in name for name in embedded)


def test_arabic_is_joined_and_reads_back_in_logical_order() -> None:
    shaped = fonts.shape_line("أحمد حداد")
    ((font, text),) = shaped.runs
    assert font == fonts.ARABIC
    # Joined letter forms (presentation forms) in display order, not the bare letters.
    assert all(0xFE70 <= ord(char) <= 0xFEFF or char == " " for char in text)
    pdf, notes = draw(["أحمد حداد"])
    assert notes.messages() == ()
    assert logical(all_text(pdf).strip()) == "أحمد حداد"


def test_hebrew_reads_back_in_logical_order() -> None:
    pdf, _notes = draw(["שלום עליכם"])
    assert logical(all_text(pdf).strip()) == "שלום עליכם"


def test_mixed_line_keeps_latin_left_to_right_and_arabic_right_to_left() -> None:
    shaped = fonts.shape_line("Ahmed (أحمد) 12")
    fonts_used = [font for font, _text in shaped.runs]
    assert fonts_used == [fonts.SANS, fonts.ARABIC, fonts.SANS]
    assert shaped.runs[0][1].startswith("Ahmed")
    assert shaped.runs[-1][1].endswith("12")


def test_a_character_no_font_has_is_reported_with_whose_text_it_was() -> None:
    pdf, notes = draw(["Somchai สมชาย 🙂"], who="Somchai Jaidee")
    (message,) = notes.messages()
    assert message.startswith("Somchai Jaidee: ")
    assert "U+0E2A" in message and "empty boxes" in message
    assert "Somchai" in all_text(pdf)  # the rest of the line still prints


def test_a_compatibility_character_prints_as_its_parts() -> None:
    shaped = fonts.shape_line("ﬀ①")  # ligature ff (DejaVu has it) and a circled one
    assert shaped.missing == ""


def test_invisible_controls_are_dropped_not_reported() -> None:
    shaped = fonts.shape_line("Ana\u200b Lu\u00adís\u200e")
    assert shaped.missing == ""
    assert "".join(text for _font, text in shaped.runs) == "Ana Luís"


def test_markup_like_names_print_as_typed() -> None:
    pdf, _notes = draw(["<b>Tom & Jerry</b>", "&amp; <font name='x'>"])
    text = all_text(pdf)
    assert "<b>Tom & Jerry</b>" in text
    assert "&amp; <font name='x'>" in text


def test_wrap_keeps_every_word_and_fits_the_width() -> None:
    text = "The quick brown fox jumps over the lazy dog, again and again, until it tires."
    lines = fonts.wrap(text, 10, 120)
    assert len(lines) > 2
    assert " ".join(lines).split() == text.split()
    assert all(fonts.text_width(line, 10) <= 120 for line in lines)


def test_wrap_breaks_chinese_between_characters_and_long_words_anywhere() -> None:
    lines = fonts.wrap("中文名字很长很长很长的一段文字没有空格", 10, 60)
    assert "".join(lines) == "中文名字很长很长很长的一段文字没有空格"
    assert len(lines) > 1
    email = "averyveryveryverylongemailaddress@example.org"
    lines = fonts.wrap(email, 10, 80)
    assert "".join(lines) == email
    assert all(fonts.text_width(line, 10) <= 80 for line in lines)


def test_wrap_keeps_line_breaks() -> None:
    assert fonts.wrap("Line one\n\nLine three", 10, 400) == ["Line one", "", "Line three"]


def test_block_shrinks_then_cuts_and_notes_what_it_cut() -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(300, 300), initialFontName=fonts.base_font())
    pen = Pen(canvas)
    size = pen.block(10, 290, 100, 30, ["A short line"], 10, min_size=6)
    assert size == 10
    size = pen.block(10, 200, 100, 30, ["x" * 300], 10, min_size=6, who="Long Name")
    assert size == 6
    assert pen.notes.messages() == ("Long Name: too long to fit, printed cut short",)
    canvas.showPage()
    canvas.save()
    words = page_words(buffer.getvalue())
    assert all(word.x0 >= 10 and word.x1 <= 110.5 for word in words)


def test_importing_the_fonts_module_registers_nothing_until_text_needs_it() -> None:
    probe = textwrap.dedent(
        """
        import sys
        from desktop_app.printing import fonts
        assert fonts._coverage == {}, fonts._coverage
        fonts.shape_line("plain text")
        assert set(fonts._coverage) == {fonts.SANS}, set(fonts._coverage)
        fonts.shape_line("王")
        assert fonts.CJK in fonts._coverage
        print("ok")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
