"""The plain data every document is made from, and what a document gives back.

Nothing here imports ReportLab, so services and windows can build these values
without paying for it; the renderers (flyer, signin_sheet, ua_letters, labels,
lists) import ReportLab when they are first used. All classes are frozen
dataclasses of plain values: text, numbers, dates and aware datetimes (a document
shows a datetime in the time zone it carries, so services pass local times).
"""

from __future__ import annotations

import enum
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

MM = 72 / 25.4  # points in a millimetre
INCH = 72.0


class PrintError(ValueError):
    """Data a document cannot be made from; str() names the field and the problem."""


class PageSize(enum.StrEnum):
    LETTER = "letter"
    A4 = "a4"

    @property
    def points(self) -> tuple[float, float]:
        """Width and height in points (1/72 inch), portrait."""
        if self is PageSize.LETTER:
            return (8.5 * INCH, 11 * INCH)
        return (210 * MM, 297 * MM)


@dataclass(frozen=True)
class PdfResult:
    """A finished document: the PDF itself, its page count and what a person should know.

    warnings names each person or line whose text could not be printed as typed
    (characters no bundled font has, an address cut short), one sentence each.
    """

    pdf: bytes
    pages: int
    warnings: tuple[str, ...] = ()

    def write(self, path: Path | str) -> Path:
        """Write the PDF to path, replacing it whole (never left half-written)."""
        target = Path(path)
        folder = target.parent if str(target.parent) else Path(".")
        if not folder.is_dir():
            raise PrintError(f"{target}: the folder {folder} does not exist")
        handle, temporary = tempfile.mkstemp(prefix=".groupdesk-", suffix=".pdf", dir=folder)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(self.pdf)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return target


@dataclass(frozen=True)
class PrintProgress:
    """One step of a long document: done of total units (letters, labels, rows)."""

    done: int
    total: int
    label: str = ""


# --- flyer ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlyerData:
    """An event flyer.

    qr_target is a link ("https://...") or an email address (printed as a mailto:
    code); empty prints no code. image_path is a picture or logo (PNG or JPEG) the
    user picked. tear_off_strips > 0 adds that many strips with the contact along the
    bottom edge, to be cut and torn off.
    """

    title: str
    starts_at: datetime
    place: str
    ends_at: datetime | None = None
    description: str = ""
    group_name: str = ""
    contact: str = ""
    qr_target: str = ""
    image_path: Path | None = None
    tear_off_strips: int = 0
    tear_off_text: str = ""  # defaults to the group name and contact


# --- sign-in sheet ----------------------------------------------------------------------


@dataclass(frozen=True)
class ExpectedPerson:
    """Someone expected at an event: a pre-filled row of the sign-in sheet.

    The contact fields are what the group already has; the sheet shows them only
    when asked to (a sheet passed round a room shows "on file" otherwise).
    """

    given_name: str
    family_name: str
    display_name: str = ""
    email: str = ""
    phone: str = ""
    postal_code: str = ""

    @property
    def name(self) -> str:
        if self.display_name:
            return self.display_name
        return " ".join(part for part in (self.given_name, self.family_name) if part)


DEFAULT_CONSENT_SENTENCE = (
    "Ticking the consent box means you agree that the group may keep these details to "
    "contact you about its work. You can ask to be removed at any time."
)


@dataclass(frozen=True)
class SigninSheetData:
    """A sign-in sheet for an event: expected people first (sorted by family name), then
    blank rows for newcomers."""

    group_name: str
    event_title: str
    starts_at: datetime
    place: str = ""
    expected: tuple[ExpectedPerson, ...] = ()
    blank_rows: int = 20
    consent_text: str = DEFAULT_CONSENT_SENTENCE
    show_contact_details: bool = False


# --- urgent action letters --------------------------------------------------------------


@dataclass(frozen=True)
class Addressee:
    """An official to write to, or (is_copy) a diplomatic representative to copy.

    The urgent action dialog edits it too (services.urgent_actions.AddresseeInput).
    id is set when read back; keep it when saving so letters already recorded against
    this addressee stay linked to it.
    """

    name: str
    title: str = ""
    address: str = ""  # several lines
    salutation: str = ""  # e.g. "Dear Minister"; empty gives "Dear <name>"
    language: str = ""  # e.g. "es"; picks a template in that language when there is one
    is_copy: bool = False
    id: int | None = None


@dataclass(frozen=True)
class UrgentActionData:
    number: str  # "UA 229/10" or "27.22"
    title: str
    country: str = ""
    persons_at_risk: str = ""
    issue: str = ""
    deadline: date | None = None
    addressees: tuple[Addressee, ...] = ()

    @property
    def recipients(self) -> tuple[Addressee, ...]:
        """The officials the letters are addressed to."""
        return tuple(a for a in self.addressees if not a.is_copy)

    @property
    def copies(self) -> tuple[Addressee, ...]:
        """The representatives a copy goes to."""
        return tuple(a for a in self.addressees if a.is_copy)


@dataclass(frozen=True)
class Writer:
    """Someone writing letters: their name and address print as the sender."""

    name: str
    address: str = ""  # several lines, without the name
    city: str = ""
    person_id: int | None = None


class EnvelopeStyle(enum.StrEnum):
    NONE = "none"
    LABELS = "labels"  # address labels on a label sheet (the batch's label layout)
    ENVELOPE_10 = "envelope10"  # printed straight on #10 envelopes, 9.5 x 4.125 in


@dataclass(frozen=True)
class LetterBatch:
    """Letters for one urgent action: one per writer and addressee.

    template is the letter text with {placeholders} (see printing.templates);
    templates_by_language, keyed by language code, overrides it for addressees with
    that preferred language. print_copies adds, after each letter, the same letter
    marked as a copy for each "copies to" representative (and its envelope).
    """

    action: UrgentActionData
    writers: tuple[Writer, ...]
    template: str
    letter_date: date
    group_name: str = ""
    templates_by_language: tuple[tuple[str, str], ...] = ()
    envelopes: EnvelopeStyle = EnvelopeStyle.NONE
    label_layout: str = "5160"
    print_copies: bool = False


@dataclass(frozen=True)
class LetterDocuments:
    """A batch of letters: the letters themselves and, separately, their envelopes or
    labels (other paper, another print run). letters_per_writer counts the letters to
    officials each writer signs (copies not included): what is recorded afterwards."""

    letters: PdfResult
    envelopes: PdfResult | None
    letter_count: int
    copy_count: int
    letters_per_writer: int


# --- labels -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MailingLabel:
    """One address label: its lines top to bottom; who names it in warnings."""

    lines: tuple[str, ...]
    who: str = ""


@dataclass(frozen=True)
class LabelLayout:
    """A label sheet, in points: where the first label sits and how far the next ones are."""

    code: str
    description: str
    page_size: PageSize
    columns: int
    rows: int
    label_width: float
    label_height: float
    left_margin: float
    top_margin: float
    column_pitch: float  # left edge to left edge
    row_pitch: float  # top edge to top edge

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    def cell(self, position: int, offset_x: float = 0.0, offset_y: float = 0.0) -> Cell:
        """The label at position (0 = top left, across then down) on its page.

        offset_x moves right and offset_y moves down, in points (the printer's drift).
        """
        index = position % self.per_sheet
        row, column = divmod(index, self.columns)
        height = self.page_size.points[1]
        left = self.left_margin + column * self.column_pitch + offset_x
        top = self.top_margin + row * self.row_pitch + offset_y
        return Cell(
            x=left,
            y=height - top - self.label_height,
            width=self.label_width,
            height=self.label_height,
        )


@dataclass(frozen=True)
class Cell:
    """A rectangle on the page in PDF coordinates (origin bottom left)."""

    x: float
    y: float
    width: float
    height: float


LABEL_LAYOUTS: dict[str, LabelLayout] = {
    layout.code: layout
    for layout in (
        LabelLayout(
            code="5160",
            description="Avery 5160 address labels, 30 a sheet (2⅝ × 1 in), Letter",
            page_size=PageSize.LETTER,
            columns=3,
            rows=10,
            label_width=2.625 * INCH,
            label_height=1.0 * INCH,
            left_margin=0.1875 * INCH,
            top_margin=0.5 * INCH,
            column_pitch=2.75 * INCH,
            row_pitch=1.0 * INCH,
        ),
        LabelLayout(
            code="5163",
            description="Avery 5163 shipping labels, 10 a sheet (4 × 2 in), Letter",
            page_size=PageSize.LETTER,
            columns=2,
            rows=5,
            label_width=4.0 * INCH,
            label_height=2.0 * INCH,
            left_margin=0.15625 * INCH,
            top_margin=0.5 * INCH,
            column_pitch=4.1875 * INCH,
            row_pitch=2.0 * INCH,
        ),
        LabelLayout(
            code="L7160",
            description="Avery L7160 address labels, 21 a sheet (63.5 × 38.1 mm), A4",
            page_size=PageSize.A4,
            columns=3,
            rows=7,
            label_width=63.5 * MM,
            label_height=38.1 * MM,
            left_margin=7.21 * MM,
            top_margin=15.15 * MM,
            column_pitch=66.04 * MM,
            row_pitch=38.1 * MM,
        ),
        LabelLayout(
            code="L7163",
            description="Avery L7163 address labels, 14 a sheet (99.1 × 38.1 mm), A4",
            page_size=PageSize.A4,
            columns=2,
            rows=7,
            label_width=99.1 * MM,
            label_height=38.1 * MM,
            left_margin=4.65 * MM,
            top_margin=15.15 * MM,
            column_pitch=101.6 * MM,
            row_pitch=38.1 * MM,
        ),
    )
}


def label_layout(code: str) -> LabelLayout:
    """The layout for a code such as "5160" or "l7163"; PrintError names the known ones."""
    wanted = code.strip().upper()
    for known, layout in LABEL_LAYOUTS.items():
        if known.upper() == wanted:
            return layout
    names = ", ".join(LABEL_LAYOUTS)
    raise PrintError(f"Label layout: {code!r} is not one Group Desk knows; use one of {names}")


# --- lists ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactLine:
    """One person on a phone list or roster print.

    phone and email hold only what the person agreed to be contacted on; the
    flags say why a field is empty, so the list can show it.
    """

    name: str
    phone: str = ""
    email: str = ""
    phone_ok: bool = False
    email_ok: bool = False
    do_not_contact: bool = False
    status: str = ""
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContactListData:
    group_name: str
    title: str  # "Phone list", "Roster"
    printed_on: date
    lines: tuple[ContactLine, ...]
    subtitle: str = ""  # e.g. which filter chose these people


@dataclass(frozen=True)
class AttendanceEntry:
    name: str
    first_time: bool = False
    source: str = ""
    signed_in_at: datetime | None = None
    interests: tuple[str, ...] = ()
    do_not_contact: bool = False


@dataclass(frozen=True)
class AttendanceData:
    group_name: str
    event_title: str
    starts_at: datetime
    place: str = ""
    entries: tuple[AttendanceEntry, ...] = ()
    cancelled: bool = False


@dataclass(frozen=True)
class AgendaAction:
    """An open urgent action, as the agenda lists it."""

    number: str
    title: str
    country: str = ""
    deadline: date | None = None
    letters_written: int = 0


@dataclass(frozen=True)
class AgendaEvent:
    title: str
    starts_at: datetime
    place: str = ""


DEFAULT_AGENDA_ITEMS: tuple[str, ...] = (
    "Welcome and introductions (new people first)",
    "Minutes of the last meeting",
    "Reports: coordinator, treasurer, membership",
    "Urgent actions",
    "Campaigns",
    "Coming events",
    "Any other business",
    "Date of the next meeting",
)


@dataclass(frozen=True)
class AgendaData:
    """The skeleton of a meeting agenda, with room to write under each item.

    The item whose text starts with "Urgent actions" lists open_actions under it,
    and the one starting with "Coming events" lists upcoming_events.
    """

    group_name: str
    meeting_title: str
    starts_at: datetime | None = None
    place: str = ""
    today: date = field(default_factory=date.today)
    items: tuple[str, ...] = DEFAULT_AGENDA_ITEMS
    open_actions: tuple[AgendaAction, ...] = ()
    upcoming_events: tuple[AgendaEvent, ...] = ()


__all__ = [
    "DEFAULT_AGENDA_ITEMS",
    "DEFAULT_CONSENT_SENTENCE",
    "INCH",
    "LABEL_LAYOUTS",
    "MM",
    "Addressee",
    "AgendaAction",
    "AgendaData",
    "AgendaEvent",
    "AttendanceData",
    "AttendanceEntry",
    "Cell",
    "ContactLine",
    "ContactListData",
    "EnvelopeStyle",
    "ExpectedPerson",
    "FlyerData",
    "LabelLayout",
    "LetterBatch",
    "LetterDocuments",
    "MailingLabel",
    "PageSize",
    "PdfResult",
    "PrintError",
    "PrintProgress",
    "SigninSheetData",
    "UrgentActionData",
    "Writer",
    "label_layout",
]
