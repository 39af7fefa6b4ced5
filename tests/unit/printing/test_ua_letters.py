"""Urgent action letters: one per writer and official, filled in, with envelopes or labels."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date

import pytest

from desktop_app.printing.data import (
    INCH,
    Addressee,
    EnvelopeStyle,
    LetterBatch,
    PrintError,
    UrgentActionData,
    Writer,
)
from desktop_app.printing.templates import DEFAULT_LETTER_TEMPLATE
from desktop_app.printing.ua_letters import letters_steps, render_letters
from desktop_app.tasks.steps import run_to_end
from tests.helpers.pdf_pages import page_sizes, page_texts

ACTION = UrgentActionData(
    number="UA 229/10",
    title="Student activist detained",
    country="Valdoria",
    persons_at_risk="Tomás Ibarra\nLucía Méndez",
    issue="Fear of torture",
    deadline=date(2026, 6, 12),
    addressees=(
        Addressee(
            "Minister Ana Ruiz",
            "Minister of Justice",
            "1 Palace Road\nCapital City",
            "Dear Minister,",
            "es",
        ),
        Addressee("General Paulo Vera", "Chief of Police", "Police HQ\nCapital City"),
        Addressee(
            "Ambassador Eva Sol",
            "Embassy of Valdoria",
            "2 Embassy Row\nWashington DC",
            is_copy=True,
        ),
    ),
)
WRITERS = (
    Writer("Zoë Müller", "12 Elm Street\nCambridge, MA 02139", "Cambridge", 1),
    Writer("Дмитрий Иванов", "4 Oak Ave\nSomerville, MA 02144", "Somerville", 2),
    Writer("王小明", "9 Pine St\nBoston, MA 02115", "Boston", 3),
)


def batch(**changes: object) -> LetterBatch:
    values: dict[str, object] = {
        "action": ACTION,
        "writers": WRITERS,
        "template": DEFAULT_LETTER_TEMPLATE,
        "letter_date": date(2026, 5, 14),
        "group_name": "Group 133",
    }
    values.update(changes)
    return LetterBatch(**values)  # type: ignore[arg-type]


def test_one_letter_per_writer_and_official_filled_in() -> None:
    documents = render_letters(batch())
    assert documents.letter_count == 6 and documents.copy_count == 0
    assert documents.letters_per_writer == 2
    assert documents.envelopes is None
    pages = page_texts(documents.letters.pdf)
    assert len(pages) == documents.letters.pages == 6
    expected = [(w, a) for w in WRITERS for a in ACTION.recipients]
    for text, (writer, addressee) in zip(pages, expected, strict=True):
        flat = " ".join(text.split())
        assert writer.name in text
        assert writer.address.splitlines()[0] in text  # the sender's address
        assert addressee.name in text and addressee.title in text
        assert "14 May 2026" in text
        assert "deep concern for Tomás Ibarra, Lucía Méndez in Valdoria" in flat
        # The salutation: the official's own (its comma not doubled) or "Dear <name>".
        if addressee.salutation:
            assert "Dear Minister," in text and "Dear Minister,," not in text
        else:
            assert "Dear General Paulo Vera," in text
        assert "Copies to:" in text and "Ambassador Eva Sol, Embassy of Valdoria" in text
        assert writer.city in text.splitlines()


def test_a_template_in_the_officials_language_is_used_for_them() -> None:
    spanish = "{salutation}:\n\nLe escribo por {person_at_risk}.\n\nAtentamente,\n{writer_name}"
    documents = render_letters(batch(writers=WRITERS[:1], templates_by_language=(("ES", spanish),)))
    minister, police = page_texts(documents.letters.pdf)
    assert "Le escribo por Tomás Ibarra, Lucía Méndez." in minister
    assert "I am writing" not in minister
    assert "I am writing" in police


def test_copies_print_after_each_letter_with_their_envelopes() -> None:
    documents = render_letters(
        batch(writers=WRITERS[:1], print_copies=True, envelopes=EnvelopeStyle.ENVELOPE_10)
    )
    assert (documents.letter_count, documents.copy_count) == (2, 2)
    pages = page_texts(documents.letters.pdf)
    assert [page.startswith("COPY") for page in pages] == [False, True, False, True]
    assert "(this copy)" in pages[1]
    assert documents.envelopes is not None
    envelopes = page_texts(documents.envelopes.pdf)
    assert len(envelopes) == 4
    assert "Minister Ana Ruiz" in envelopes[0] and "Ambassador Eva Sol" in envelopes[1]
    assert all("Zoë Müller" in envelope for envelope in envelopes)  # the return address
    for width, height in page_sizes(documents.envelopes.pdf):
        assert (width, height) == pytest.approx((9.5 * INCH, 4.125 * INCH))


def test_envelope_labels_on_a_label_sheet() -> None:
    documents = render_letters(batch(envelopes=EnvelopeStyle.LABELS, label_layout="L7163"))
    assert documents.envelopes is not None
    text = page_texts(documents.envelopes.pdf)[0]
    assert text.count("Minister Ana Ruiz") == 3 and text.count("General Paulo Vera") == 3
    (size,) = set(page_sizes(documents.envelopes.pdf))
    assert size == pytest.approx((595.28, 841.89), abs=0.01)


def test_a_template_that_places_the_date_itself_gets_it_once() -> None:
    template = "{date}\n\n{salutation},\n\nAbout {ua_number}.\n\n{writer_name}"
    (text, _second) = page_texts(
        render_letters(batch(writers=WRITERS[:1], template=template)).letters.pdf
    )
    assert text.count("14 May 2026") == 1
    assert "About UA 229/10." in text


def test_a_long_letter_goes_on_to_a_second_page() -> None:
    long = DEFAULT_LETTER_TEMPLATE.replace("{country}.", "{country}.\n\n" + "More words. " * 500)
    documents = render_letters(batch(writers=WRITERS[:1], template=long))
    pages = page_texts(documents.letters.pdf)
    assert len(pages) > 2
    assert "Zoë Müller, continued" in pages[1]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"template": "Dear {minister}"}, "{minister} is not a placeholder"),
        ({"writers": ()}, "Writers"),
        ({"writers": (Writer("  "),)}, "Writers"),
        ({"action": replace(ACTION, addressees=ACTION.copies)}, "no official to write to"),
        ({"envelopes": EnvelopeStyle.LABELS, "label_layout": "1234"}, "Label layout"),
        ({"templates_by_language": (("es", "{oops"),)}, "the es template"),
    ],
)
def test_bad_batches_are_refused_before_printing(changes: dict[str, object], message: str) -> None:
    with pytest.raises(PrintError) as caught:
        next(letters_steps(batch(**changes)))
    assert message in str(caught.value)


def test_progress_counts_letters_and_five_hundred_are_quick() -> None:
    writers = tuple(
        Writer(f"Writer {i}", f"{i} Elm Street\nCambridge, MA", "Cambridge", i) for i in range(250)
    )
    steps = letters_steps(batch(writers=writers))
    started = time.perf_counter()
    progress = []
    documents = run_to_end(steps, progress.append)
    elapsed = time.perf_counter() - started
    assert documents.letters.pages == 500
    assert [step.done for step in progress] == list(range(1, 501))
    assert elapsed < 6.0  # the benchmark holds it to 3 s; a busy test machine gets room
