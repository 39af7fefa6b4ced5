"""Labels land inside their cells on every sheet layout, long addresses included."""

from __future__ import annotations

from itertools import pairwise

import pytest

from desktop_app.printing.data import (
    LABEL_LAYOUTS,
    MM,
    Cell,
    MailingLabel,
    PrintError,
    label_layout,
)
from desktop_app.printing.labels import render_calibration, render_labels, text_area
from tests.helpers.pdf_pages import Word, page_chars, page_sizes, page_texts, page_words

LONG = MailingLabel(
    (
        "Dr. Maximiliana Alexandrovna Konstantinopoulou-Vanderbilt",
        "Department of Extraordinarily Long Street Names and Avenues, Building 12345",
        "Suite 8910, Post Office Box 111213",
        "Springfield-upon-the-Very-Long-River, MA 02139-1234",
        "UNITED STATES OF AMERICA",
    ),
    who="Maximiliana",
)


def label(index: int) -> MailingLabel:
    return MailingLabel((f"Name{index:03d} Müller", f"{index} Elm Street", "Cambridge, MA 02139"))


def inside(word: Word, cell: Cell, page_height: float, slack: float = 0.6) -> bool:
    top = page_height - (cell.y + cell.height)
    return (
        word.x0 >= cell.x - slack
        and word.x1 <= cell.x + cell.width + slack
        and word.top >= top - slack
        and word.bottom <= top + cell.height + slack
    )


def test_layouts_fit_their_paper_and_cells_do_not_overlap() -> None:
    for layout in LABEL_LAYOUTS.values():
        width, height = layout.page_size.points
        cells = [layout.cell(position) for position in range(layout.per_sheet)]
        for cell in cells:
            assert cell.x >= 0 and cell.x + cell.width <= width + 0.01, layout.code
            assert cell.y >= 0 and cell.y + cell.height <= height + 0.01, layout.code
        for first, second in pairwise(cells):
            if first.y == second.y:
                assert first.x + first.width <= second.x + 0.01
    sheet = label_layout("5160")
    assert (sheet.columns, sheet.rows) == (3, 10)
    assert sheet.label_width == pytest.approx(2.625 * 72)
    assert label_layout("l7163").label_width == pytest.approx(99.1 * MM)


@pytest.mark.parametrize("code", sorted(LABEL_LAYOUTS))
def test_every_label_text_falls_inside_its_cell(code: str) -> None:
    layout = LABEL_LAYOUTS[code]
    labels = [label(index) for index in range(layout.per_sheet + 3)]
    labels[1] = LONG
    result = render_labels(labels, layout)
    assert result.pages == 2
    _width, height = page_sizes(result.pdf)[0]
    words = page_words(result.pdf, 0)
    for position in range(layout.per_sheet):
        cell = layout.cell(position)
        area = text_area(cell)
        mine = [word for word in words if inside(word, cell, height)]
        assert mine, f"{code}: nothing in cell {position + 1}"
        for word in mine:
            assert inside(word, area, height), f"{code}: {word.text!r} outside the printable area"
    # No word sits across two cells or in a gap between them.
    cells = [layout.cell(position) for position in range(layout.per_sheet)]
    for word in words:
        assert any(inside(word, cell, height) for cell in cells), f"{code}: {word.text!r} spills"
    text = page_texts(result.pdf)[0]
    assert "Name000 Müller" in text and "Cambridge, MA 02139" in text
    assert f"Name{layout.per_sheet + 2:03d}" in page_texts(result.pdf)[1]


def test_a_long_address_shrinks_and_wraps_but_keeps_every_word_on_a_big_label() -> None:
    result = render_labels([LONG], "5163")
    assert result.warnings == ()
    text = " ".join(page_texts(result.pdf)[0].split())
    for word in " ".join(LONG.lines).split():
        assert word in text


def test_an_address_too_long_even_when_shrunk_is_cut_and_named() -> None:
    huge = MailingLabel(tuple(f"Line {i} " + "word " * 30 for i in range(12)), who="Huge Household")
    result = render_labels([huge], "5160")
    assert result.warnings == ("Huge Household: too long to fit, printed cut short",)
    layout = LABEL_LAYOUTS["5160"]
    height = page_sizes(result.pdf)[0][1]
    for word in page_words(result.pdf):
        assert inside(word, text_area(layout.cell(0)), height)


def test_offset_moves_everything_by_that_many_millimetres() -> None:
    plain = page_words(render_labels([label(1)], "5160").pdf)
    moved = page_words(render_labels([label(1)], "5160", offset_x_mm=2, offset_y_mm=-1.5).pdf)
    assert len(plain) == len(moved)
    for before, after in zip(plain, moved, strict=True):
        assert after.x0 - before.x0 == pytest.approx(2 * MM, abs=0.05)
        assert after.top - before.top == pytest.approx(-1.5 * MM, abs=0.05)


def test_first_position_skips_used_labels() -> None:
    layout = LABEL_LAYOUTS["5160"]
    result = render_labels([label(7)], layout, first_position=5)
    height = page_sizes(result.pdf)[0][1]
    words = page_words(result.pdf)
    assert words and all(inside(word, layout.cell(4), height) for word in words)


def test_right_to_left_addresses_align_right_in_the_cell() -> None:
    layout = LABEL_LAYOUTS["5163"]
    result = render_labels([MailingLabel(("أحمد حداد", "شارع الملك فيصل", "الرياض"))], layout)
    area = text_area(layout.cell(0))
    words = page_words(result.pdf)
    assert words
    assert max(word.x1 for word in words) == pytest.approx(area.x + area.width, abs=1.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"offset_x_mm": 40}, "Horizontal offset"),
        ({"offset_y_mm": -30}, "Vertical offset"),
        ({"first_position": 31}, "First label"),
    ],
)
def test_bad_settings_name_the_setting(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(PrintError, match=message):
        render_labels([label(1)], "5160", **kwargs)  # type: ignore[arg-type]


def test_unknown_layout_and_no_labels_are_refused() -> None:
    with pytest.raises(PrintError, match="5160, 5163, L7160, L7163"):
        render_labels([label(1)], "9999")
    with pytest.raises(PrintError, match="no addresses"):
        render_labels([], "5160")


@pytest.mark.parametrize("code", sorted(LABEL_LAYOUTS))
def test_calibration_page_numbers_every_cell_at_its_place(code: str) -> None:
    layout = LABEL_LAYOUTS[code]
    result = render_calibration(layout, offset_x_mm=1, offset_y_mm=-1)
    assert result.pages == 1
    height = page_sizes(result.pdf)[0][1]
    words = page_words(result.pdf)
    text = page_texts(result.pdf)[0]
    assert "Offset now: +1.0 mm across, -1.0 mm down." in text
    for position in range(layout.per_sheet):
        cell = layout.cell(position, 1 * MM, -1 * MM)
        number = [
            word for word in words if word.text == str(position + 1) and inside(word, cell, height)
        ]
        assert number, f"{code}: no number {position + 1} in its cell"


def test_a_long_address_wraps_rather_than_shrinking_to_small_print() -> None:
    result = render_labels([LONG], "L7163")
    sizes = {round(char["size"], 1) for char in page_chars(result.pdf)}
    assert min(sizes) >= 7.0, sizes
    text = " ".join(page_texts(result.pdf)[0].split())
    for word in " ".join(LONG.lines).split():
        assert word in text
