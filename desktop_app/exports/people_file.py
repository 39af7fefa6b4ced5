"""Reading a list of people someone was handed: CSV, XLSX, ODS or XLS, as a table of text.

This is the input side of an import, before any column means anything. It answers:
what kind of file is it really (by its bytes, not its name), which encoding and
delimiter does a CSV use, which sheet of a workbook holds the list, which row is the
header (lists often start with a title row or two), and what each cell says as text.
Mapping columns to fields and checking values happens in services/import_mapping.py.

Choices, and why:
- Encodings: a BOM or strict UTF-8 first; then Windows-1252 with a warning, because
  that is what Excel on Windows writes (DESIGN.md: detection misread a short cp1252
  list as cp775, so it is only a hint the caller can override with ``encoding=``). A
  file that is UTF-8 on some lines and Windows-1252 on others (two lists pasted
  together) is decoded line by line rather than turned into mojibake.
- Delimiters: ``csv.Sniffer`` guesses wrong on short or irregular lists, so each of
  comma, semicolon, tab and bar is tried and the one giving the most rows of one width
  wins (Excel's "sep=;" first line, when there is one, decides).
- Workbooks are read with python-calamine (openpyxl's read-only mode takes 15 s for
  100,000 rows). It is imported inside the function so start-up does not pay for it.
  An xlsx or ods is a zip: its declared sizes are checked with zipfile *before* calamine
  opens it, so a zip bomb is refused instead of filling the memory; a part that unpacks
  to more than it declared is stopped by calamine's own zip reader (the corpus test
  has such a file).
- Cells are text: integral numbers lose ".0" (a phone stored as 6175550142.0 reads
  "6175550142"), dates are ISO. NUL and other control characters are removed; text
  that would be a formula in a spreadsheet is kept as written (it is data, and the
  exporters neutralise it on the way out).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import gc
import io
import math
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from python_calamine import CalamineWorkbook

MAX_FILE_BYTES = 200 * 1024 * 1024
# What the parts of an xlsx/ods may add up to once unzipped. A 100,000-row list with
# twenty columns is about 150 MB of XML; a "1 GB" claim is refused.
MAX_UNZIPPED_BYTES = 600 * 1024 * 1024
# XML compresses 5-30 times; far beyond that a part is filler made to explode.
MAX_ZIP_RATIO = 200
MAX_ZIP_MEMBERS = 5_000
# How far down a header row is looked for (title rows, blank rows, notes above it).
HEADER_SEARCH_ROWS = 30
DELIMITERS = (",", ";", "\t", "|")
_DECLARED_DELIMITER = re.compile(r'\A"?sep=([,;\t|])"?[ ]*\n', re.IGNORECASE)

# C0 controls (tab and newline stay: a tab may be the delimiter, a newline is a line
# break inside an address or a note), DEL, and C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What a workbook cell may hold that a cell of the table must not (carriage returns
# become line breaks, the rest is removed).
_CELL_FIX = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

_WORKBOOK_KINDS = {"xlsx", "xlsm", "ods", "xls", "xlsb"}
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

# Words that make a row look like a header rather than a person. Kept short and
# generic: the real column vocabulary is in services/import_mapping.py, which this
# module must not import (exports sit below services).
_HEADER_WORDS = re.compile(
    r"\b(name|first|last|given|surname|family|e-?mail|phone|mobile|cell|tel|zip|postal"
    r"|postcode|address|street|city|town|state|country|tags?|notes?|status|school"
    r"|id|date|timestamp|opt|consent)",
    re.IGNORECASE,
)
_LOOKS_LIKE_DATA = re.compile(r"@|^\+?[\d\s().\-/]{6,}$")
_SURVEY_SUBHEADER_WORDS = {
    "response",
    "open-ended response",
    "other (please specify)",
    "other",
}


class PeopleFileError(ValueError):
    """A file that cannot be read as a list of people.

    ``str(exc)`` is one line naming the file (its name, not its folder) and the
    problem, ready to show to the person who picked the file.
    """

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path.name}: {problem}")


@dataclass(frozen=True)
class RawTable:
    """A people list as text: one header per column and the data rows below it."""

    source: Path
    file_kind: str  # "csv", "xlsx", "ods", "xls"
    encoding: str  # CSV: "utf-8", "utf-8-sig", "utf-16", "cp1252", ...; "" for workbooks
    delimiter: str  # CSV: "," ";" "\t" or "|"; "" otherwise
    sheet: str  # workbook sheet name; "" for CSV
    # Row numbers are 1-based and count rows as a spreadsheet shows them: a CSV record
    # whose quoted cell holds line breaks is one row.
    header_row: int  # the header's row in the file; 0 when the file has none
    headers: tuple[str, ...]  # one per column, never empty ("Column 7")
    rows: list[tuple[str, ...]]  # each as long as headers; fully empty rows left out
    row_numbers: list[int]  # 1-based row in the file of each data row
    warnings: list[str] = field(default_factory=list)
    sheets: tuple[str, ...] = ()  # every sheet of a workbook, for a sheet picker
    truncated: bool = False  # max_rows stopped the reading before the end

    @property
    def width(self) -> int:
        return len(self.headers)


def read_people_file(
    path: Path | str,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    max_rows: int | None = None,
    header_row: int | None = None,
) -> RawTable:
    """Reads a CSV or a workbook into a RawTable, or raises PeopleFileError.

    ``encoding`` overrides the guess for a CSV; ``sheet`` picks a workbook sheet by
    name (default: the first visible sheet that holds anything); ``max_rows`` stops
    after that many data rows (for a preview); ``header_row`` overrides the guess of
    which row (1-based, in the file) is the header, 0 meaning the file has none.
    """
    path = Path(path)
    try:
        with paused_gc():
            return _read(path, _Options(encoding, sheet, max_rows, header_row))
    except MemoryError:
        raise PeopleFileError(path, "the file is too big to read on this computer.") from None
    except OSError as exc:
        raise PeopleFileError(path, f"the file cannot be read ({exc.strerror or exc}).") from None


@dataclass(frozen=True)
class _Options:
    encoding: str | None
    sheet: str | None
    max_rows: int | None
    header_row: int | None


def _read(path: Path, options: _Options) -> RawTable:
    if path.is_dir():
        raise PeopleFileError(path, "this is a folder, not a file.")
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise PeopleFileError(path, "the file does not exist.") from None
    except OSError as exc:
        raise PeopleFileError(path, f"the file cannot be opened ({exc.strerror}).") from None
    if size == 0:
        raise PeopleFileError(path, "the file is empty.")
    if size > MAX_FILE_BYTES:
        raise PeopleFileError(
            path,
            f"the file is {size / 1024 / 1024:,.0f} MB; lists up to "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB can be imported. Split it into parts.",
        )
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise PeopleFileError(path, f"the file cannot be read ({exc.strerror}).") from None

    suffix = path.suffix.lower().lstrip(".")
    warnings: list[str] = []
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        kind = _zip_kind(path)
        return _read_workbook(path, kind, options, warnings)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        # The OLE2 container of Excel 97-2003 (and of old Word files: calamine says so).
        return _read_workbook(path, "xls", options, warnings)
    with path.open("rb") as handle:
        sample = handle.read(65536)
    problem = _not_a_list(sample)
    if problem:
        raise PeopleFileError(path, problem)
    if suffix in _WORKBOOK_KINDS:
        warnings.append(f"The file is named .{suffix} but holds plain text; it was read as CSV.")
    return _read_csv(path, options, warnings)


def workbook_sheet_names(path: Path | str) -> list[str]:
    """The visible worksheets of a workbook, in order, without reading them; [] for a CSV."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise PeopleFileError(path, f"the file cannot be read ({exc.strerror or exc}).") from None
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        _zip_kind(path)
    elif not head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return []
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # see _read_workbook
        raise PeopleFileError(
            path, f"the workbook is damaged or not a spreadsheet ({_one_line(exc)})."
        ) from None
    try:
        return _visible_sheets(workbook)
    finally:
        workbook.close()


def _visible_sheets(workbook: CalamineWorkbook) -> list[str]:
    import python_calamine

    return [
        meta.name
        for meta in workbook.sheets_metadata
        if meta.visible == python_calamine.SheetVisibleEnum.Visible
        and meta.typ == python_calamine.SheetTypeEnum.WorkSheet
    ] or list(workbook.sheet_names)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Python's cycle collector paused while many objects are made.

    Making a hundred thousand small objects (rows, cells, candidates) sets off
    collections that walk every object alive again and again: measured, that made
    reading a 100,000-row CSV 1.7 times slower, and turning rows into candidates
    twice as slow. Rows and candidates hold no reference cycles, so there is nothing
    for it to find; it is switched back on (if it was on) as soon as the work is done.

    Switching it back on alone would still walk everything made meanwhile once: all of
    it is counted as the youngest generation, and the first allocation afterwards
    collects that (half a second after a 100,000-row import). So what survived is moved
    to a generation the collector leaves alone (gc.freeze), with no walk. Where nothing
    was frozen before, it is handed straight on to the oldest generation (gc.unfreeze),
    collected with the rest of the long-lived objects; in the window, which freezes
    what start-up made, it stays frozen like that. Objects that die are freed by
    reference counting either way.
    """
    enabled = gc.isenabled()
    frozen_before = gc.get_freeze_count()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            if not frozen_before:
                gc.unfreeze()
            gc.enable()


# --- CSV --------------------------------------------------------------------------------


_MAGIC = (
    (b"%PDF", "this is a PDF document, not a list of people."),
    (b"\x89PNG", "this is an image, not a list of people."),
    (b"\xff\xd8\xff", "this is an image, not a list of people."),
    (b"GIF8", "this is an image, not a list of people."),
    (b"\x1f\x8b", "this is a compressed (gzip) file; unpack it first."),
    (b"Rar!", "this is a compressed (RAR) archive; unpack it first."),
    (b"7z\xbc\xaf", "this is a compressed (7-Zip) archive; unpack it first."),
    (b"{\\rtf", "this is a Rich Text document; save the list as CSV or as a workbook."),
)
_MARKUP = re.compile(
    rb"^\s*(?:<!doctype html|<html|<table|<\?xml[^>]*>\s*(?:<\?mso[^>]*>\s*)?<workbook)", re.I
)
# Bytes that never appear in text of any 8-bit encoding (tab, line breaks, form feed
# and the DOS end-of-file mark excepted).
_BINARY_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 26))


def _not_a_list(sample: bytes) -> str:
    """Why these first bytes cannot be a CSV, or "" when they can."""
    for magic, problem in _MAGIC:
        if sample.startswith(magic):
            return problem
    if _MARKUP.match(sample[:4096].lstrip(codecs.BOM_UTF8)):
        return (
            "this is a web page or an XML file, not a CSV or workbook (some systems save "
            "lists like this with an .xls name). Open it in a spreadsheet program and save "
            "it as CSV or XLSX."
        )
    if sample.startswith(
        (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    ) or _utf16_without_bom(sample[:8192]):
        return ""
    binary = len(sample) - len(sample.translate(None, _BINARY_BYTES))
    # Text with a stray control character or two is still text (they are removed).
    if binary > max(8, len(sample) // 50):
        return "this is not a text file or a spreadsheet (it holds binary data)."
    return ""


def _utf16_without_bom(sample: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NULs sit on every other byte, as in UTF-16 text."""
    even = sample[0::2]
    odd = sample[1::2]
    if len(sample) < 4:
        return None
    if odd.count(0) > len(odd) * 0.6 and even.count(0) < len(even) * 0.1:
        return "utf-16-le"
    if even.count(0) > len(even) * 0.6 and odd.count(0) < len(odd) * 0.1:
        return "utf-16-be"
    return None


def _decode(path: Path, data: bytes, encoding: str | None, warnings: list[str]) -> tuple[str, str]:
    """(text, encoding name) for CSV bytes; see the module docstring for the order."""
    if encoding:
        try:
            text = data.decode(encoding)
        except LookupError:  # unknown, or not a text encoding ("base64", "rot13")
            raise PeopleFileError(
                path, f'"{encoding}" is not an encoding this program knows.'
            ) from None
        except UnicodeDecodeError as exc:
            raise PeopleFileError(
                path,
                f"the file is not in {encoding}: byte {exc.start + 1:,} cannot be read in it. "
                "Try another encoding.",
            ) from None
        if text.startswith("\ufeff"):
            text = text[1:]
        return text, encoding
    utf8_name = "utf-8"
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
        utf8_name = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return _strict(path, data, "utf-32", "utf-32"), "utf-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(path, data, "utf-16", "utf-16"), "utf-16"
    bomless = None if utf8_name == "utf-8-sig" else _utf16_without_bom(data[:8192])
    if bomless is not None:
        try:
            text = data.decode(bomless)
        except UnicodeDecodeError:
            pass
        else:
            warnings.append(f"The file has no byte-order mark; it was read as {bomless.upper()}.")
            return text, bomless
    try:
        return data.decode("utf-8"), utf8_name
    except UnicodeDecodeError:
        pass
    # Not UTF-8 as a whole. If some lines are UTF-8 with accents and others are not,
    # two files were joined: decode each line in its own encoding.
    lines = data.split(b"\n")
    utf8_accented = 0
    failing: list[int] = []
    for number, line in enumerate(lines, start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            failing.append(number)
        else:
            utf8_accented += 1
    if utf8_accented and failing:
        decoded = []
        for line in lines:
            try:
                decoded.append(line.decode("utf-8"))
            except UnicodeDecodeError:
                decoded.append(_decode_cp1252(line))
        warnings.append(
            f"The file mixes encodings: {len(failing):,} line(s) (first: line {failing[0]:,}) "
            "are not UTF-8 and were read as Windows-1252. Check their accents."
        )
        return "\n".join(decoded), utf8_name
    warnings.append(
        "The file is not UTF-8; its encoding was guessed as Windows-1252 (what Excel on "
        "Windows writes). If accents look wrong, choose the encoding."
    )
    return _decode_cp1252(data), "cp1252"


def _decode_cp1252(data: bytes) -> str:
    # Five bytes are unassigned in Windows-1252; they are dropped rather than failing
    # the whole file (they are control codes in Latin-1, removed later anyway).
    return data.translate(None, b"\x81\x8d\x8f\x90\x9d").decode("cp1252")


def _strict(path: Path, data: bytes, codec: str, label: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise PeopleFileError(
            path,
            f"the file says it is {label.upper()} but byte {exc.start + 1:,} is not; "
            "it may be damaged or two files joined together.",
        ) from None


def _read_csv(path: Path, options: _Options, warnings: list[str]) -> RawTable:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PeopleFileError(path, f"the file cannot be read ({exc.strerror}).") from None
    text, used_encoding = _decode(path, data, options.encoding, warnings)
    del data
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    if not text.strip():
        raise PeopleFileError(path, "the file holds no text, only blank lines.")
    declared = _DECLARED_DELIMITER.match(text)
    if declared:
        # Excel's "sep=;" first line; an empty line keeps the rows' numbers.
        delimiter = declared.group(1)
        text = "\n" + text[declared.end() :]
    else:
        delimiter = _pick_delimiter(text)
    records = _csv_records(path, text, delimiter, odd_quotes=text.count('"') % 2 == 1)
    return _build_table(
        path,
        records,
        file_kind="csv",
        encoding=used_encoding,
        delimiter=delimiter,
        sheet="",
        sheets=(),
        options=options,
        warnings=warnings,
    )


def _pick_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most rows of one width (> 1)."""
    sample_lines = []
    for line in text[:65536].split("\n")[:60]:
        if line.strip():
            sample_lines.append(line)
    if not sample_lines:
        return ","
    best = ","
    best_score = (0, 0, 0)
    for delimiter in DELIMITERS:
        if not any(delimiter in line for line in sample_lines):
            continue
        try:
            widths = [
                len(row)
                for row in csv.reader(sample_lines, delimiter=delimiter, strict=False)
                if any(cell.strip() for cell in row)
            ]
        except csv.Error:
            continue
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        if width < 2:
            continue
        # Prefer more consistent rows, then the order of DELIMITERS (comma first).
        score = (count, -DELIMITERS.index(delimiter), width)
        if score[0] > best_score[0] or (score[0] == best_score[0] and score > best_score):
            best, best_score = delimiter, score
    return best


# csv's own limit on one cell (131,072 characters) is kept: a longer cell in a people
# list means a quote was never closed, and the message says so.
def _csv_records(
    path: Path, text: str, delimiter: str, *, odd_quotes: bool
) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=False)
    record = 0
    last: list[str] = []
    try:
        strip = str.strip
        for row in reader:
            record += 1
            last = row
            yield record, list(map(strip, row))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise PeopleFileError(
                path,
                f"row {record + 1:,} holds a cell longer than {csv.field_size_limit():,} "
                'characters: probably a quote mark (") that is never closed.',
            ) from None
        raise PeopleFileError(path, f"row {record + 1:,} cannot be read as CSV ({exc}).") from None
    # A quote that opens a cell and never closes swallows the rest of the file into
    # that cell. The csv module says nothing (outside strict mode, which also refuses
    # harmless stray quotes); an odd number of quote marks and a last row holding line
    # breaks give it away.
    if odd_quotes and any("\n" in cell for cell in last):
        raise PeopleFileError(
            path,
            f'row {record:,}: a quote mark (") opens a cell that is never closed, so the rest '
            "of the file would be read into that cell. Correct the quote marks in that row.",
        )


# --- workbooks ------------------------------------------------------------------------


def _zip_kind(path: Path) -> str:
    """'xlsx' or 'ods' for a zip that is one, after checking it is not a zip bomb."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = {info.filename for info in members}
            mimetype = archive.read("mimetype")[:200] if "mimetype" in names else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError):
        raise PeopleFileError(
            path, "the workbook is damaged or incomplete (its zip structure cannot be read)."
        ) from None
    except (NotImplementedError, RuntimeError) as exc:
        raise PeopleFileError(path, f"the workbook cannot be opened ({exc}).") from None
    except OSError as exc:
        raise PeopleFileError(path, f"the file cannot be read ({exc.strerror}).") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise PeopleFileError(
            path, f"the workbook holds {len(members):,} parts; refused as unsafe."
        )
    total = sum(info.file_size for info in members)
    if total > MAX_UNZIPPED_BYTES:
        raise PeopleFileError(
            path,
            f"the workbook would unpack to {total / 1024 / 1024:,.0f} MB; refused as unsafe "
            f"(at most {MAX_UNZIPPED_BYTES // 1024 // 1024} MB).",
        )
    for info in members:
        ratio = info.file_size // max(info.compress_size, 1)
        if info.file_size > 1024 * 1024 and ratio > MAX_ZIP_RATIO:
            raise PeopleFileError(
                path,
                f"a part of the workbook ({info.filename}) expands {ratio:,} times when "
                "unpacked, as a zip bomb does; refused as unsafe.",
            )
    if mimetype.startswith(_ODS_MIMETYPE):
        return "ods"
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return "xlsx" if "xl/workbook.xml" in names else "xlsb"
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        raise PeopleFileError(
            path, "this is an OpenDocument text or presentation, not a spreadsheet."
        )
    if any(name.startswith("word/") for name in names):
        raise PeopleFileError(path, "this is a Word document, not a spreadsheet.")
    if any(name.startswith("ppt/") for name in names):
        raise PeopleFileError(path, "this is a PowerPoint file, not a spreadsheet.")
    raise PeopleFileError(path, "this is a zip archive, not a spreadsheet; unpack it first.")


def _read_workbook(path: Path, kind: str, options: _Options, warnings: list[str]) -> RawTable:
    import python_calamine

    sheet = options.sheet
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError:
        raise PeopleFileError(
            path, "the workbook is protected with a password; save a copy without one."
        ) from None
    except Exception as exc:  # calamine raises several types, and plain ones for bad XML
        raise PeopleFileError(
            path, f"the workbook is damaged or not a spreadsheet ({_one_line(exc)})."
        ) from None
    try:
        visible = _visible_sheets(workbook)
        if sheet is not None:
            if sheet not in workbook.sheet_names:
                raise PeopleFileError(
                    path,
                    f'the workbook has no sheet named "{sheet}" (it has: '
                    + ", ".join(f'"{name}"' for name in visible)
                    + ").",
                )
            chosen = sheet
            rows = workbook.get_sheet_by_name(chosen).iter_rows()
        else:
            chosen = ""
            rows = iter(())
            filled: list[str] = []
            for name in visible:
                candidate = workbook.get_sheet_by_name(name)
                if candidate.height and candidate.width:
                    filled.append(name)
                    if not chosen:
                        chosen = name
                        rows = candidate.iter_rows()
            if not chosen:
                raise PeopleFileError(path, "every sheet of the workbook is empty.")
            if len(filled) > 1:
                others = ", ".join(f'"{name}"' for name in filled if name != chosen)
                warnings.append(
                    f'Read the sheet "{chosen}"; the workbook also has {others}. '
                    "Choose another sheet if the list is there."
                )
        records = _workbook_records(rows)
        return _build_table(
            path,
            _guarded(path, records),
            file_kind=kind,
            encoding="",
            delimiter="",
            sheet=chosen,
            sheets=tuple(visible),
            options=options,
            warnings=warnings,
        )
    except PeopleFileError:
        raise
    except Exception as exc:
        raise PeopleFileError(
            path, f"the workbook is damaged or not a spreadsheet ({_one_line(exc)})."
        ) from None
    finally:
        workbook.close()


def _guarded(
    path: Path, records: Iterator[tuple[int, list[str]]]
) -> Iterator[tuple[int, list[str]]]:
    try:
        yield from records
    except PeopleFileError:
        raise
    except Exception as exc:
        raise PeopleFileError(
            path, f"the workbook is damaged or not a spreadsheet ({_one_line(exc)})."
        ) from None


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


def _workbook_records(rows: Iterable[Sequence[object]]) -> Iterator[tuple[int, list[str]]]:
    """Rows of workbook cells as (row number, stripped text cells)."""
    needs_fixing = _CELL_FIX.search
    strip = str.strip
    for number, row in enumerate(rows, 1):
        cells = [value if type(value) is str else _cell_text(value) for value in row]
        if needs_fixing("".join(cells)):
            cells = [_fix_text(cell) for cell in cells]
        yield number, list(map(strip, cells))


def _fix_text(text: str) -> str:
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _cell_text(value: object) -> str:
    """A workbook cell as the text a person would have typed into it."""
    if isinstance(value, str):
        return _fix_text(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value) if math.isfinite(value) else ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return "" if value is None else str(value)


# --- header and rows ------------------------------------------------------------------


def _build_table(
    path: Path,
    records: Iterable[tuple[int, list[str]]],
    *,
    file_kind: str,
    encoding: str,
    delimiter: str,
    sheet: str,
    sheets: tuple[str, ...],
    options: _Options,
    warnings: list[str],
) -> RawTable:
    iterator = iter(records)
    # The first rows, to find the header in. Records come with their cells stripped.
    head: list[tuple[int, list[str]]] = []
    for number, cells in iterator:
        if any(cells):
            head.append((number, cells))
            if len(head) >= HEADER_SEARCH_ROWS:
                break
    if not head:
        raise PeopleFileError(path, "the file holds no text, only empty rows.")

    if options.header_row is None:
        header_index, header_rows = _find_header(head)
    elif options.header_row == 0:
        header_index, header_rows = -1, 0
    else:
        chosen = [i for i, (number, _) in enumerate(head) if number == options.header_row]
        if not chosen:
            raise PeopleFileError(
                path,
                f"row {options.header_row} cannot be the header: it is empty or not among "
                f"the first {HEADER_SEARCH_ROWS} filled rows.",
            )
        header_index = chosen[0]
        subheader = header_index + 1 < len(head) and _is_subheader(
            head[header_index][1], head[header_index + 1][1]
        )
        header_rows = 2 if subheader else 1
    if header_index < 0:
        width = max(len(cells) for _, cells in head)
        headers = [f"Column {i}" for i in range(1, width + 1)]
        header_row = 0
        data_start = 0
        if options.header_row is None:
            warnings.append(
                "No header row was found; the columns are named Column 1, Column 2, ... "
                "Map them by hand."
            )
    else:
        header_row = head[header_index][0]
        headers = _combine_headers([head[header_index + k][1] for k in range(header_rows)])
        data_start = header_index + header_rows
        # Qualtrics puts a row of {"ImportId": ...} under its header rows.
        while data_start < len(head) and _is_import_id_row(head[data_start][1]):
            data_start += 1
        skipped = [number for number, _ in head[:header_index]]
        if skipped:
            warnings.append(
                f"The header is row {header_row}; the {len(skipped)} filled row(s) above it "
                "were left out as titles."
            )

    width = len(headers)
    limit = options.max_rows
    filled = (
        (number, tuple(cells)) for number, cells in chain(head[data_start:], iterator) if any(cells)
    )
    body = list(islice(filled, limit + 1) if limit is not None else filled)
    truncated = limit is not None and len(body) > limit
    if truncated:
        del body[limit:]
    row_numbers = [number for number, _ in body]
    rows = [cells for _, cells in body]
    del body
    longer = 0
    max_width = width
    if set(map(len, rows)) - {width}:  # ragged rows: pad, cut, or widen the table
        for index, row in enumerate(rows):
            if len(row) == width:
                continue
            if len(row) < width:
                rows[index] = row + ("",) * (width - len(row))
                continue
            filled_width = len(row)
            while filled_width > width and not row[filled_width - 1]:
                filled_width -= 1
            if filled_width > width:
                longer += 1
                max_width = max(max_width, filled_width)
            rows[index] = row[:filled_width]

    if max_width > width:
        headers = headers + [f"Column {i}" for i in range(width + 1, max_width + 1)]
        warnings.append(
            f"{longer:,} row(s) have more cells than the header has columns; the extra "
            f"cells are in columns named Column {width + 1} and on."
        )
        width = max_width
        rows = [row if len(row) == width else row + ("",) * (width - len(row)) for row in rows]

    # Columns with no header and nothing in them (trailing commas) are left out.
    keep = width
    while (
        keep > 1
        and headers[keep - 1].startswith("Column ")
        and not any(row[keep - 1] for row in rows)
    ):
        keep -= 1
    if keep < width:
        headers = headers[:keep]
        rows = [row[:keep] for row in rows]

    return RawTable(
        source=path,
        file_kind=file_kind,
        encoding=encoding,
        delimiter=delimiter,
        sheet=sheet,
        header_row=header_row,
        headers=tuple(headers),
        rows=rows,
        row_numbers=row_numbers,
        warnings=warnings,
        sheets=sheets,
        truncated=truncated,
    )


def _header_score(cells: Sequence[str]) -> int:
    filled = [cell for cell in cells if cell]
    if not filled:
        return -1
    score = 0
    for cell in filled:
        if _LOOKS_LIKE_DATA.search(cell):
            score -= 3
        elif len(cell) <= 60:
            score += 1
        if _HEADER_WORDS.search(cell):
            score += 2
    return score


def _find_header(head: list[tuple[int, list[str]]]) -> tuple[int, int]:
    """(index into head of the header row, number of header rows), or (-1, 0)."""
    widths = [sum(1 for cell in cells if cell) for _, cells in head]
    table_width = max(widths)
    chosen = -1
    best = 0
    for index, (_, cells) in enumerate(head):
        filled = widths[index]
        # A title row fills one or two cells of a wide table.
        if table_width >= 3 and filled * 2 < min(table_width, len(cells)) and filled < 3:
            continue
        score = _header_score(cells)
        if score > best:
            chosen, best = index, score
        # The header is usually the first wide row; look only a little further.
        if chosen >= 0 and index >= chosen + 2:
            break
    if chosen < 0:
        return -1, 0
    _, cells = head[chosen]
    if not any(_HEADER_WORDS.search(cell) for cell in cells if cell):
        # Wide and text-only, but no header word: a list of names with no header?
        data_like = sum(1 for cell in cells if cell and _LOOKS_LIKE_DATA.search(cell))
        if data_like:
            return -1, 0
    if chosen + 1 < len(head) and _is_subheader(cells, head[chosen + 1][1]):
        return chosen, 2
    return chosen, 1


def _is_import_id_row(cells: Sequence[str]) -> bool:
    filled = [cell for cell in cells if cell]
    return bool(filled) and all(cell.startswith('{"ImportId"') for cell in filled)


def _is_subheader(header: Sequence[str], below: Sequence[str]) -> bool:
    """SurveyMonkey's second header row: answer labels under a question spanning columns."""
    if not any(not cell for cell in header):
        return False
    filled_below = [cell for cell in below if cell]
    if not filled_below or any(_LOOKS_LIKE_DATA.search(cell) for cell in filled_below):
        return False
    if any(len(cell) > 80 for cell in filled_below):
        return False
    group = ""
    spans_group = False
    for index in range(max(len(header), len(below))):
        top = header[index] if index < len(header) else ""
        under = below[index] if index < len(below) else ""
        if top:
            group = top
            continue
        if group and not under:
            return False  # an empty header cell in a group must have a label below it
        if group and under:
            spans_group = True
    said_response = any(cell.casefold() in _SURVEY_SUBHEADER_WORDS for cell in filled_below)
    metadata_empty = any(
        header[index] and not (below[index] if index < len(below) else "")
        for index in range(len(header))
    )
    return spans_group and (said_response or metadata_empty)


def _combine_headers(header_rows: list[list[str]]) -> list[str]:
    """One name per column, never empty; a 2nd row is joined to its group ("Group: Label")."""
    top = header_rows[0]
    if len(header_rows) >= 2:
        below = header_rows[1]
        width = max(len(top), len(below))
        names = []
        group = ""
        for index in range(width):
            upper = top[index] if index < len(top) else ""
            lower = below[index] if index < len(below) else ""
            if upper:
                group = upper
            if lower and lower.casefold() not in _SURVEY_SUBHEADER_WORDS and group:
                names.append(f"{group}: {lower}")
            elif upper:
                names.append(upper)
            elif lower:
                names.append(lower)
            else:
                names.append("")
        top = names
    headers = [" ".join(name.split()) for name in top]
    return [name or f"Column {index}" for index, name in enumerate(headers, start=1)]


__all__ = [
    "MAX_FILE_BYTES",
    "PeopleFileError",
    "RawTable",
    "paused_gc",
    "read_people_file",
    "workbook_sheet_names",
]
