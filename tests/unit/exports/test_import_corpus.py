"""Every awkward or broken file in the import corpus: read or refused, never a crash.

Each file under tests/data/import_corpus/ (small, checked in) and each file the
``generated`` fixture writes here (big, or a zip bomb: never committed) has an
expected outcome: either a RawTable of a given shape that also goes through mapping
and candidates without an exception, or a PeopleFileError whose one-line message
starts with the file's name and says what is wrong.
"""

from __future__ import annotations

import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop_app.exports.people_file import (
    MAX_FILE_BYTES,
    PeopleFileError,
    RawTable,
    read_people_file,
)
from desktop_app.services.import_mapping import (
    Candidate,
    RejectedRow,
    guess_mapping,
    mapping_problems,
    rows_to_candidates,
)

CORPUS = Path(__file__).parents[2] / "data" / "import_corpus"


@dataclass(frozen=True)
class Expect:
    """What reading one file must give."""

    error: str = ""  # a fragment of the PeopleFileError message; "" = must read
    rows: int | None = None  # data rows in the RawTable
    headers: tuple[str, ...] = ()  # headers that must be among the table's
    kind: str = ""  # file_kind
    warning: str = ""  # a fragment of one of the warnings
    candidates: int | None = None  # rows that become candidates with the guessed mapping
    no_identity_columns: bool = False  # mapping_problems must say nothing identifies people


CASES: dict[str, Expect] = {
    # Empty and near-empty files.
    "header_only.csv": Expect(rows=0, headers=("First Name", "Email"), candidates=0),
    "only_blank_lines.csv": Expect(error="no text"),
    # Not lists at all.
    "binary_junk.csv": Expect(error="binary data"),
    "pdf_named.csv": Expect(error="PDF"),
    "image_named.csv": Expect(error="image"),
    "truncated.xlsx": Expect(error="damaged or incomplete"),
    "zip_not_a_workbook.xlsx": Expect(error="zip archive"),
    "word_document.xlsx": Expect(error="Word document"),
    "unclosed_quote.csv": Expect(error="row 3: a quote mark"),
    # A text file named .xlsx is read as what it is, with a warning.
    "text_named.xlsx": Expect(rows=2, kind="csv", warning="named .xlsx", candidates=2),
    # Encodings.
    "utf8_bom.csv": Expect(rows=2, headers=("Email Address",), candidates=2),
    "utf16_excel_unicode_text.txt": Expect(rows=2, headers=("E-mail",), candidates=2),
    "utf16_no_bom.csv": Expect(rows=2, headers=("first_name",), warning="UTF-16", candidates=2),
    "windows_1252.csv": Expect(rows=2, warning="Windows-1252", candidates=2),
    "cp1252_undefined_byte.csv": Expect(rows=1, warning="Windows-1252", candidates=1),
    "mixed_encodings.csv": Expect(rows=3, warning="mixes encodings", candidates=3),
    # Delimiters and shapes.
    "semicolon_european.csv": Expect(rows=2, headers=("Vorname", "PLZ"), candidates=2),
    "tab_separated.tsv": Expect(rows=2, headers=("Given name",), candidates=2),
    "pipe_separated.csv": Expect(rows=2, headers=("first_name",), candidates=2),
    "ragged_rows.csv": Expect(rows=4, headers=("Column 4", "Column 5"), warning="more cells"),
    "duplicate_headers.csv": Expect(rows=2, candidates=2),
    "no_name_columns.csv": Expect(rows=2, candidates=0, no_identity_columns=True),
    "headerless_emails.csv": Expect(rows=4, headers=("Column 1",), warning="No header"),
    "repeated_header.csv": Expect(rows=3, candidates=2),
    "quoted_newlines.csv": Expect(rows=2, headers=("Address",), candidates=2),
    "hostile_cells.csv": Expect(rows=3, candidates=3),
    "control_characters.csv": Expect(rows=2, candidates=2),
    # Real exports.
    "qualtrics.csv": Expect(rows=1, headers=("What is your first name?",), candidates=1),
    "mailchimp_audience.csv": Expect(rows=1, headers=("TAGS", "LEID"), candidates=1),
    "action_network.csv": Expect(rows=1, headers=("can2_phone",), candidates=1),
    "civicrm_contacts.csv": Expect(rows=1, headers=("Do Not Email",), candidates=1),
    "google_forms.csv": Expect(rows=1, headers=("Your name",), candidates=1),
    "eventbrite_attendees.csv": Expect(rows=1, headers=("Cell Phone",), candidates=1),
    "full_name_family_first.csv": Expect(rows=4, headers=("Name",), candidates=4),
    "full_address.csv": Expect(rows=3, headers=("Address",), candidates=3),
    # Workbooks.
    "secretary_title_rows.xlsx": Expect(rows=3, kind="xlsx", warning="row 3", candidates=3),
    "first_sheet_empty.xlsx": Expect(rows=1, kind="xlsx", candidates=1),
    "formulas_cached.xlsx": Expect(rows=1, kind="xlsx", candidates=1),
    "libreoffice_people.ods": Expect(rows=2, kind="ods", candidates=2),
    "libreoffice_people.xls": Expect(rows=2, kind="xls", candidates=2),
}

GENERATED: dict[str, Expect] = {
    "empty.csv": Expect(error="empty"),
    "zip_bomb.xlsx": Expect(error="zip bomb"),
    "one_gigabyte_claim.xlsx": Expect(error="refused as unsafe"),
    "sizes_that_lie.xlsx": Expect(error="damaged"),
    "too_big.csv": Expect(error="MB"),
    "cell_100k_characters.csv": Expect(rows=2, candidates=2),
    "cell_over_csv_limit.csv": Expect(error="row 2 holds a cell longer than"),
    "folder.csv": Expect(error="folder"),
    "missing.csv": Expect(error="does not exist"),
    "many_columns.csv": Expect(rows=3, candidates=3),
    "long_rows_100k.csv": Expect(rows=100_000, candidates=100_000),
}


def _minimal_xlsx_parts() -> dict[str, bytes]:
    return {
        "[Content_Types].xml": b"<Types/>",
        "xl/workbook.xml": b"<workbook/>",
    }


def _zip_bomb(path: Path) -> None:
    """A workbook-looking zip whose sheet is 300 MB of one byte, about 300 KB packed."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in _minimal_xlsx_parts().items():
            archive.writestr(name, data)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = b"0" * (1024 * 1024)
            for _ in range(300):
                sheet.write(chunk)


def _one_gigabyte_claim(path: Path) -> None:
    """A tiny zip whose headers say its sheet unpacks to 1 GB."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name, data in _minimal_xlsx_parts().items():
            archive.writestr(name, data)
        archive.writestr("xl/worksheets/sheet1.xml", b"<worksheet/>")
    data = bytearray(path.read_bytes())
    claim = struct.pack("<I", 1024 * 1024 * 1024)
    central = data.rfind(b"PK\x01\x02")  # the last member's central directory entry
    data[central + 24 : central + 28] = claim
    local = data.rfind(b"PK\x03\x04")
    data[local + 22 : local + 26] = claim
    path.write_bytes(bytes(data))


def _sizes_that_lie(path: Path) -> None:
    """A real workbook whose sheet says it unpacks to 1,000 bytes and unpacks to 5 MB.

    The checks before calamine trust the declared sizes; calamine's zip reader stops
    at the declared size and says so, which this file proves.
    """
    from openpyxl import Workbook  # type: ignore[import-untyped]

    base = path.with_suffix(".base.xlsx")
    workbook = Workbook()
    workbook.active.append(["Name", "Email"])
    workbook.save(base)
    row = b'<row><c t="inlineStr"><is><t>Ada</t></is></c></row>'
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info, source.read(info.filename))
                continue
            with out.open(info.filename, "w") as sheet:
                sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/')
                sheet.write(b'spreadsheetml/2006/main"><sheetData>')
                for _ in range(2000):
                    sheet.write(row * 50)
                sheet.write(b"</sheetData></worksheet>")
    base.unlink()
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    position = data.find(b"PK\x01\x02")
    while position >= 0:
        length = struct.unpack("<H", data[position + 28 : position + 30])[0]
        if data[position + 46 : position + 46 + length] == name:
            data[position + 24 : position + 28] = struct.pack("<I", 1000)
            local = struct.unpack("<I", data[position + 42 : position + 46])[0]
            data[local + 22 : local + 26] = struct.pack("<I", 1000)
        position = data.find(b"PK\x01\x02", position + 4)
    path.write_bytes(bytes(data))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated_corpus")
    (folder / "empty.csv").write_bytes(b"")
    _zip_bomb(folder / "zip_bomb.xlsx")
    _one_gigabyte_claim(folder / "one_gigabyte_claim.xlsx")
    _sizes_that_lie(folder / "sizes_that_lie.xlsx")
    with (folder / "too_big.csv").open("wb") as handle:  # sparse: takes no disk space
        handle.truncate(MAX_FILE_BYTES + 1)
    (folder / "cell_100k_characters.csv").write_text(
        "First Name,Last Name,Notes\nMaria,Gonçalves," + "x" * 100_000 + "\nKenji,Sato,ok\n",
        encoding="utf-8",
    )
    (folder / "cell_over_csv_limit.csv").write_text(
        'First Name,Notes\nMaria,"' + "y" * 200_000 + '"\n', encoding="utf-8"
    )
    (folder / "folder.csv").mkdir()
    headers = ",".join(["First Name", "Email", *(f"Extra {i}" for i in range(1, 999))])
    rows = "\n".join(f"P{i},p{i}@example.org," + ",".join(["v"] * 998) for i in range(3))
    (folder / "many_columns.csv").write_text(headers + "\n" + rows + "\n", encoding="utf-8")
    lines = ["first_name,last_name,email,phone_number,zip"]
    lines += [
        f"Given{i},Family{i},person{i}@example.org,617-555-{i % 10000:04d},{2100 + i % 900}"
        for i in range(100_000)
    ]
    (folder / "long_rows_100k.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _check(path: Path, expect: Expect) -> None:
    if expect.error:
        with pytest.raises(PeopleFileError) as caught:
            read_people_file(path)
        message = str(caught.value)
        assert message.startswith(f"{path.name}: "), message
        assert "\n" not in message
        assert str(path.parent) not in message  # the name, not the folder
        assert expect.error in message, message
        assert caught.value.path == path
        return
    table = read_people_file(path)
    assert isinstance(table, RawTable)
    if expect.rows is not None:
        assert len(table.rows) == expect.rows
    assert len(table.row_numbers) == len(table.rows)
    assert all(len(row) == len(table.headers) for row in table.rows)
    assert all(header for header in table.headers)
    for header in expect.headers:
        assert header in table.headers, table.headers
    if expect.kind:
        assert table.file_kind == expect.kind
    if expect.warning:
        assert any(expect.warning in warning for warning in table.warnings), table.warnings
    mapping = guess_mapping(table.headers, table.rows[:200])
    problems = mapping_problems(mapping)
    if expect.no_identity_columns:
        assert not mapping.can_import
        assert any("No column holds a name" in problem for problem in problems)
    results = list(rows_to_candidates(table, mapping, country="US"))
    assert [result.row_number for result in results] == table.row_numbers
    assert all(isinstance(result, Candidate | RejectedRow) for result in results)
    if expect.candidates is not None:
        assert sum(isinstance(result, Candidate) for result in results) == expect.candidates


def test_the_corpus_holds_at_least_thirty_files_and_each_has_an_expectation() -> None:
    files = {path.name for path in CORPUS.iterdir() if path.is_file()}
    assert files == set(CASES)
    assert len(files) + len(GENERATED) >= 30


@pytest.mark.parametrize("name", sorted(CASES))
def test_corpus_file(name: str) -> None:
    _check(CORPUS / name, CASES[name])


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_file(name: str, generated: Path) -> None:
    _check(generated / name, GENERATED[name])


def test_the_zip_bomb_is_refused_before_anything_unpacks_it(generated: Path) -> None:
    # What the refusal rests on: the sizes the zip declares, read without unpacking.
    with zipfile.ZipFile(generated / "zip_bomb.xlsx") as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    assert sheet.file_size == 300 * 1024 * 1024
    assert sheet.compress_size < 2 * 1024 * 1024
    with pytest.raises(PeopleFileError, match="expands"):
        read_people_file(generated / "zip_bomb.xlsx")


def test_a_100k_character_cell_is_kept_in_the_table_and_cut_in_the_notes(
    generated: Path,
) -> None:
    table = read_people_file(generated / "cell_100k_characters.csv")
    assert len(table.rows[0][2]) == 100_000
    mapping = guess_mapping(table.headers)
    first = next(iter(rows_to_candidates(table, mapping, country="US")))
    assert isinstance(first, Candidate)
    assert len(first.notes) == 10_000
    assert any("cut" in problem for problem in first.problems)
