"""Urgent Action letters: one per writer and addressee, with envelopes or labels.

Each letter has the writer's name and address as sender, the date in words, the
official's name, title and address, the template's text filled in for this
writer and official, and the "copies to" representatives at the foot. A letter too
long for one page goes on to a second. Envelopes (#10, 9.5 x 4.125 in) or address
labels come as a second PDF: they are printed on other paper, in another run.

Letters are drawn straight on the canvas, the body wrapped line by line (the
same paragraph for the next writer is wrapped once and reused): 500 letters take
about a second.
"""

from __future__ import annotations

import functools
from collections.abc import Generator, Sequence

from desktop_app.printing.data import (
    INCH,
    Addressee,
    EnvelopeStyle,
    LetterBatch,
    LetterDocuments,
    MailingLabel,
    PageSize,
    PdfResult,
    PrintError,
    PrintProgress,
    Writer,
    label_layout,
)
from desktop_app.printing.document import Document
from desktop_app.printing.fonts import wrap
from desktop_app.printing.templates import check_template, fill_template
from desktop_app.printing.words import date_in_words
from desktop_app.tasks.steps import run_to_end

MAX_LETTERS = 5000
ENVELOPE_10 = (9.5 * INCH, 4.125 * INCH)  # landscape, as it goes through the printer
SIDE = 1.0 * INCH
TOP = 0.75 * INCH
BOTTOM = 0.8 * INCH
BODY_SIZE = 11.0
BODY_LEADING = 14.6
SMALL = 9.5


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


def salutation_for(addressee: Addressee) -> str:
    """The addressee's salutation without a trailing comma (the template adds its own)."""
    text = addressee.salutation.strip().rstrip(",").strip()
    return text or f"Dear {addressee.name.strip()}"


def letter_values(batch: LetterBatch, writer: Writer, addressee: Addressee) -> dict[str, str]:
    """What each placeholder stands for in one letter."""
    action = batch.action
    return {
        "salutation": salutation_for(addressee),
        "addressee_name": addressee.name.strip(),
        "addressee_title": addressee.title.strip(),
        "person_at_risk": ", ".join(_lines(action.persons_at_risk)),
        "ua_number": action.number.strip(),
        "ua_title": action.title.strip(),
        "issue": action.issue.strip(),
        "country": action.country.strip(),
        "writer_name": writer.name.strip(),
        "writer_city": writer.city.strip(),
        "writer_address": "\n".join(_lines(writer.address)),
        "date": date_in_words(batch.letter_date, weekday=False),
        "group_name": batch.group_name.strip(),
    }


def _template_for(batch: LetterBatch, addressee: Addressee) -> str:
    language = addressee.language.strip().lower()
    for code, template in batch.templates_by_language:
        if code.strip().lower() == language and language:
            return template
    return batch.template


def check_batch(batch: LetterBatch) -> tuple[int, int]:
    """(letters to officials, copies) the batch will print; PrintError names what is wrong."""
    check_template(batch.template)
    for code, template in batch.templates_by_language:
        try:
            check_template(template)
        except PrintError as exc:
            raise PrintError(f"{exc} (the {code} template)") from None
    if not batch.writers:
        raise PrintError("Writers: choose at least one person to write the letters")
    for writer in batch.writers:
        if not writer.name.strip():
            raise PrintError("Writers: every writer needs a name to sign with")
    recipients = batch.action.recipients
    if not recipients:
        raise PrintError(
            f"Addressees: urgent action {batch.action.number or batch.action.title!r} "
            "has no official to write to"
        )
    letters = len(batch.writers) * len(recipients)
    copies = letters * len(batch.action.copies) if batch.print_copies else 0
    if letters + copies > MAX_LETTERS:
        raise PrintError(
            f"Letters: {letters + copies} at once is more than {MAX_LETTERS}; "
            "print them in smaller batches"
        )
    if batch.envelopes is EnvelopeStyle.LABELS:
        label_layout(batch.label_layout)
    return letters, copies


@functools.lru_cache(maxsize=4096)
def _wrapped(paragraph: str, width: float) -> tuple[str, ...]:
    return tuple(wrap(paragraph, BODY_SIZE, width))


def _body_lines(text: str, width: float) -> list[str]:
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").split("\n"):
        lines.extend(_wrapped(paragraph, width) if paragraph.strip() else ("",))
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _address_block(addressee: Addressee) -> list[str]:
    return [
        line
        for line in (addressee.name.strip(), addressee.title.strip(), *_lines(addressee.address))
        if line
    ]


def _draw_letter(
    document: Document,
    batch: LetterBatch,
    writer: Writer,
    addressee: Addressee,
    body: str,
    copy_for: Addressee | None,
) -> None:
    canvas = document.canvas
    pen = document.pen
    width, height = document.page_size
    right = width - SIDE
    text_width = width - 2 * SIDE
    who = f"letter from {writer.name} to {addressee.name}"
    y = height - TOP
    if copy_for is not None:
        canvas.setFillColorRGB(0.6, 0.1, 0.1)
        pen.draw(SIDE, y - 4, "COPY", 14, bold=True)
        canvas.setFillGray(0)
    # The sender, top right.
    sender = [writer.name.strip(), *_lines(writer.address)]
    size = 10.0
    for line in sender:
        pen.draw_fitted(
            right, y - size, line, text_width * 0.5, size, min_size=7, align="right", who=who
        )
        y -= size * 1.25
    y -= 8
    if "date" not in check_template(_template_for(batch, addressee)):
        # A template that places {date} itself gets no second date up here.
        pen.draw(
            right, y - size, date_in_words(batch.letter_date, weekday=False), size, align="right"
        )
        y -= size * 1.25
    y -= 18
    # The official.
    for line in _address_block(addressee):
        pen.draw_fitted(
            SIDE, y - BODY_SIZE, line, text_width * 0.65, BODY_SIZE, min_size=7, who=who
        )
        y -= BODY_SIZE * 1.3
    y -= 20
    # The body.
    bottom = BOTTOM + (len(batch.action.copies) * SMALL * 1.3 + 24 if batch.action.copies else 0)
    y -= BODY_SIZE
    for line in _body_lines(body, text_width):
        if y < bottom:
            _draw_copies(document, batch, copy_for, who)
            document.end_page()
            y = height - TOP - BODY_SIZE
            canvas.setFillGray(0.4)
            pen.draw(right, y, f"{writer.name.strip()}, continued", 8, align="right", who=who)
            canvas.setFillGray(0)
            y -= 24
        if line:
            pen.draw(SIDE, y, line, BODY_SIZE, who=who)
        y -= BODY_LEADING
    _draw_copies(document, batch, copy_for, who)
    document.end_page()


def _draw_copies(
    document: Document, batch: LetterBatch, copy_for: Addressee | None, who: str
) -> None:
    copies = batch.action.copies
    if not copies:
        return
    pen = document.pen
    width = document.width
    y = BOTTOM + len(copies) * SMALL * 1.3
    pen.draw(SIDE, y, "Copies to:", SMALL, bold=True)
    for copy in copies:
        y -= SMALL * 1.3
        text = ", ".join(part for part in (copy.name.strip(), copy.title.strip()) if part)
        if copy_for is not None and copy is copy_for:
            text += "  (this copy)"
        pen.draw_fitted(SIDE + 8, y, text, width - 2 * SIDE - 8, SMALL, min_size=6, who=who)


def _draw_envelope(document: Document, writer: Writer, addressee: Addressee) -> None:
    pen = document.pen
    width, height = document.page_size
    who = f"envelope to {addressee.name}"
    pen.block(
        0.35 * INCH,
        height - 0.3 * INCH,
        3.2 * INCH,
        1.1 * INCH,
        [writer.name.strip(), *_lines(writer.address)],
        9,
        min_size=6,
        who=who,
    )
    pen.block(
        4.0 * INCH,
        2.35 * INCH,
        width - 4.0 * INCH - 0.5 * INCH,
        1.75 * INCH,
        _address_block(addressee),
        12,
        min_size=7,
        who=who,
    )
    document.end_page()


def letters_steps(
    batch: LetterBatch, page_size: PageSize = PageSize.LETTER
) -> Generator[PrintProgress, None, LetterDocuments]:
    """Draw every letter (then envelopes or labels), yielding progress after each letter."""
    letters, copies = check_batch(batch)
    action = batch.action
    document = Document(page_size.points, f"Letters: {action.number} {action.title}".strip())
    envelopes: list[tuple[Writer, Addressee]] = []
    total = letters + copies
    done = 0
    for writer in batch.writers:
        for addressee in action.recipients:
            body = fill_template(
                _template_for(batch, addressee), letter_values(batch, writer, addressee)
            )
            _draw_letter(document, batch, writer, addressee, body, None)
            envelopes.append((writer, addressee))
            done += 1
            if batch.print_copies:
                for copy in action.copies:
                    _draw_letter(document, batch, writer, addressee, body, copy)
                    envelopes.append((writer, copy))
                    done += 1
            yield PrintProgress(done, total, f"Letter {done} of {total}")
    letters_pdf = document.finish()
    envelope_pdf = None
    if batch.envelopes is not EnvelopeStyle.NONE:
        envelope_pdf = _envelopes(batch, envelopes)
    return LetterDocuments(
        letters=letters_pdf,
        envelopes=envelope_pdf,
        letter_count=letters,
        copy_count=copies,
        letters_per_writer=len(action.recipients),
    )


def _envelopes(batch: LetterBatch, envelopes: Sequence[tuple[Writer, Addressee]]) -> PdfResult:
    if batch.envelopes is EnvelopeStyle.ENVELOPE_10:
        title = f"Envelopes: {batch.action.number} {batch.action.title}".strip()
        document = Document(ENVELOPE_10, title)
        for writer, addressee in envelopes:
            _draw_envelope(document, writer, addressee)
        return document.finish()
    from desktop_app.printing.labels import render_labels

    labels = [
        MailingLabel(tuple(_address_block(addressee)), who=f"label for {addressee.name}")
        for _writer, addressee in envelopes
    ]
    return render_labels(labels, batch.label_layout)


def render_letters(batch: LetterBatch, page_size: PageSize = PageSize.LETTER) -> LetterDocuments:
    """The letters (and envelopes or labels) as PDFs (see letters_steps for progress)."""
    return run_to_end(letters_steps(batch, page_size))


__all__ = [
    "ENVELOPE_10",
    "check_batch",
    "letter_values",
    "letters_steps",
    "render_letters",
    "salutation_for",
]
