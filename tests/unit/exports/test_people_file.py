"""Reading people lists: encodings, delimiters, header rows, workbook cells, refusals.

Files are written by each test (CSV bytes, openpyxl workbooks) or taken from the two
sample exports copied into tests/data/samples; the awkward-file corpus has its own
table-driven test in test_import_corpus.py.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook  # type: ignore[import-untyped]

from desktop_app.exports.people_file import (
    PeopleFileError,
    RawTable,
    paused_gc,
    read_people_file,
    workbook_sheet_names,
)

SAMPLES = Path(__file__).parents[2] / "data" / "samples"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# --- the two sample exports -------------------------------------------------------------


def test_nationbuilder_sample_keeps_zip_codes_as_written() -> None:
    table = read_people_file(SAMPLES / "nationbuilder_people.csv")
    assert table.file_kind == "csv"
    assert table.encoding == "utf-8"
    assert table.delimiter == ","
    assert table.header_row == 1
    assert table.headers[:4] == ("nationbuilder_id", "first_name", "last_name", "email")
    assert len(table.rows) == 7
    assert table.row_numbers == [2, 3, 4, 5, 6, 7, 8]
    by_id = {row[0]: dict(zip(table.headers, row, strict=True)) for row in table.rows}
    assert by_id["500"]["primary_zip"] == "02139"  # text stays text
    assert by_id["504"]["primary_zip"] == "2139"  # the file's own lost zero, as written
    assert by_id["504"]["email"] == "MARIA.G@EXAMPLE.COM"  # trailing space stripped
    assert by_id["503"]["last_name"] == "Кузнецов"
    assert table.warnings == []


def test_surveymonkey_second_header_row_joins_its_group() -> None:
    table = read_people_file(SAMPLES / "surveymonkey_tabling.csv")
    assert table.header_row == 1
    assert table.headers[9:14] == (
        "Your contact details: Name",
        "Your contact details: Email",
        "Your contact details: Phone",
        "Your contact details: ZIP",
        "Which issues matter to you?",
    )
    # The answer-label row is not data; the first person is on row 3 of the file.
    assert table.row_numbers[0] == 3
    assert table.rows[0][9] == "Maria Gonçalves"
    assert len(table.rows) == 7


# --- encodings ----------------------------------------------------------------------------

PEOPLE = (
    "First Name,Last Name,Email\n"
    "María,Gonçalves,maria.g@example.com\n"
    "Zoë,Ní Bhriain,zoe@example.com\n"
)


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        (PEOPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + PEOPLE.encode("utf-8"), "utf-8-sig"),
        (PEOPLE.encode("utf-16"), "utf-16"),  # with its BOM, as Excel's "Unicode text"
        (codecs.BOM_UTF16_BE + PEOPLE.encode("utf-16-be"), "utf-16"),
        (PEOPLE.encode("utf-16-le"), "utf-16-le"),
        (PEOPLE.encode("cp1252"), "cp1252"),
    ],
)
def test_encodings_are_found_and_accents_survive(tmp_path: Path, raw: bytes, encoding: str) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(raw)
    table = read_people_file(path)
    assert table.encoding == encoding
    assert table.headers == ("First Name", "Last Name", "Email")  # no BOM in the first header
    assert table.rows == [
        ("María", "Gonçalves", "maria.g@example.com"),
        ("Zoë", "Ní Bhriain", "zoe@example.com"),
    ]


def test_windows_1252_is_a_guess_the_user_is_told_about(tmp_path: Path) -> None:
    path = write(tmp_path / "excel.csv", "Name,Note\nGonçalves,“quoted” – café\n", "cp1252")
    table = read_people_file(path)
    assert table.rows == [("Gonçalves", "“quoted” – café")]
    assert any("Windows-1252" in warning for warning in table.warnings)


def test_the_encoding_can_be_chosen(tmp_path: Path) -> None:
    # A short cp1252 list that is also valid as another 8-bit encoding: the user decides.
    path = write(tmp_path / "list.csv", "Name,City\nJosé,Málaga\n", "cp1252")
    assert read_people_file(path).rows == [("José", "Málaga")]
    as_dos = [tuple(cell.encode("cp1252").decode("cp437") for cell in ("José", "Málaga"))]
    assert read_people_file(path, encoding="cp437").rows == as_dos
    assert read_people_file(path, encoding="cp437").encoding == "cp437"


def test_a_wrong_or_unknown_chosen_encoding_is_refused_in_one_line(tmp_path: Path) -> None:
    path = write(tmp_path / "list.csv", "Name\nJosé\n", "cp1252")
    with pytest.raises(PeopleFileError, match=r"^list\.csv: the file is not in utf-8"):
        read_people_file(path, encoding="utf-8")
    with pytest.raises(PeopleFileError, match=r"^list\.csv: .*not an encoding"):
        read_people_file(path, encoding="klingon-8")


def test_lines_in_two_encodings_are_each_read_in_their_own(tmp_path: Path) -> None:
    path = tmp_path / "joined.csv"
    path.write_bytes(
        "Name,Email\nGonçalves,m@example.com\n".encode()
        + "Müller,j@example.com\n".encode("cp1252")
        + "Ní Bhriain,a@example.com\n".encode()
    )
    table = read_people_file(path)
    assert [row[0] for row in table.rows] == ["Gonçalves", "Müller", "Ní Bhriain"]
    assert any("line 3" in warning for warning in table.warnings)


def test_a_utf8_bom_over_windows_1252_text(tmp_path: Path) -> None:
    # A tool added a UTF-8 mark to a file it never converted: the text still reads.
    path = tmp_path / "marked.csv"
    path.write_bytes(codecs.BOM_UTF8 + b"Name\nJos\xe9\n")
    table = read_people_file(path)
    assert table.headers == ("Name",)
    assert table.rows == [("José",)]
    assert any("Windows-1252" in warning for warning in table.warnings)
    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes(codecs.BOM_UTF8 + "Name\nGonçalves\n".encode() + b"Jos\xe9\n")
    table = read_people_file(mixed)
    assert table.encoding == "utf-8-sig"
    assert table.rows == [("Gonçalves",), ("José",)]


def test_a_utf16_bom_over_broken_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "liar.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + "Name\nAda\n".encode("utf-16-le") + b"\x00\xd8")
    with pytest.raises(PeopleFileError, match=r"^liar\.csv: the file says it is UTF-16"):
        read_people_file(path)


# --- delimiters, rows and cells -------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_the_delimiter_is_the_one_that_gives_even_rows(tmp_path: Path, delimiter: str) -> None:
    rows = [["Name", "Email", "Zip"], ["Sato, Kenji", "k@example.com", "02140"], ["Ada", "", ""]]
    path = tmp_path / "list.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    table = read_people_file(path)
    assert table.delimiter == delimiter
    assert table.headers == ("Name", "Email", "Zip")
    assert table.rows[0] == ("Sato, Kenji", "k@example.com", "02140")


def test_unquoted_commas_inside_a_semicolon_file(tmp_path: Path) -> None:
    # csv.Sniffer would pick the comma here; every line splits evenly on ";".
    path = write(
        tmp_path / "list.csv",
        "Name;E-Mail;PLZ\nSato, Kenji;k@example.com;10115\nWeiß, Anna;a@example.de;01067\n",
    )
    table = read_people_file(path)
    assert table.delimiter == ";"
    assert table.rows[1] == ("Weiß, Anna", "a@example.de", "01067")


def test_blank_rows_are_skipped_and_row_numbers_are_the_files(tmp_path: Path) -> None:
    path = write(tmp_path / "gaps.csv", "Name,Email\n\nAda,a@example.com\n , \nBo,b@example.com\n")
    table = read_people_file(path)
    assert table.rows == [("Ada", "a@example.com"), ("Bo", "b@example.com")]
    assert table.row_numbers == [3, 5]


def test_line_breaks_inside_quoted_cells_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "multi.csv"
    path.write_bytes(b'Name,Address\r\nAda,"1 Main St\r\nApt 2"\r\nBo,"2 Main St"\r\n')
    table = read_people_file(path)
    assert table.rows == [("Ada", "1 Main St\nApt 2"), ("Bo", "2 Main St")]


def test_ragged_rows_lose_nothing(tmp_path: Path) -> None:
    path = write(tmp_path / "ragged.csv", "Name,Email\nAda,a@example.com,met at fair\nBo\n")
    table = read_people_file(path)
    assert table.headers == ("Name", "Email", "Column 3")
    assert table.rows == [("Ada", "a@example.com", "met at fair"), ("Bo", "", "")]
    assert any("more cells" in warning for warning in table.warnings)


def test_trailing_empty_columns_are_dropped_and_empty_headers_named(tmp_path: Path) -> None:
    path = write(tmp_path / "excel.csv", "Name,,Email,,,\nAda,x,a@example.com,,,\n")
    table = read_people_file(path)
    assert table.headers == ("Name", "Column 2", "Email")
    assert table.rows == [("Ada", "x", "a@example.com")]


def test_control_characters_go_and_formula_like_text_stays(tmp_path: Path) -> None:
    path = write(
        tmp_path / "hostile.csv",
        'Name,Note\nA\x00d\x1ba,"=HYPERLINK(""http://x.example"",""y"")"\n@Bo,+1-2 <b>hi</b>\n',
    )
    table = read_people_file(path)
    assert table.rows == [
        ("Ada", '=HYPERLINK("http://x.example","y")'),
        ("@Bo", "+1-2 <b>hi</b>"),
    ]


def test_max_rows_stops_early_and_says_so(tmp_path: Path) -> None:
    path = write(tmp_path / "long.csv", "Name\n" + "".join(f"P{i}\n" for i in range(50)))
    preview = read_people_file(path, max_rows=5)
    assert [row[0] for row in preview.rows] == ["P0", "P1", "P2", "P3", "P4"]
    assert preview.truncated
    assert not read_people_file(path).truncated


def test_a_header_below_title_rows_is_found(tmp_path: Path) -> None:
    path = write(
        tmp_path / "secretary.csv",
        "Amnesty Group 123 members 2025,,\n,,\nName,Email,Phone\nSato, Kenji,k@example.com,617\n",
    )
    # Unquoted "Sato, Kenji" makes that row four cells wide; nothing is lost.
    table = read_people_file(path)
    assert table.header_row == 3
    assert table.headers[:3] == ("Name", "Email", "Phone")
    assert any("title" in warning for warning in table.warnings)


def test_a_list_without_a_header_gets_numbered_columns(tmp_path: Path) -> None:
    path = write(tmp_path / "emails.csv", "a@example.com,Ada\nb@example.com,Bo\n")
    table = read_people_file(path)
    assert table.header_row == 0
    assert table.headers == ("Column 1", "Column 2")
    assert table.rows[0] == ("a@example.com", "Ada")
    assert table.row_numbers == [1, 2]


def test_an_unclosed_quote_names_its_row(tmp_path: Path) -> None:
    path = write(
        tmp_path / "quote.csv", 'Name,Email\nAda,a@example.com\n"Bo,b@example.com\nCy,c@x\n'
    )
    with pytest.raises(PeopleFileError, match=r'^quote\.csv: row 3: a quote mark \("\)'):
        read_people_file(path)


def test_stray_quotes_inside_cells_are_harmless(tmp_path: Path) -> None:
    path = write(tmp_path / "quote.csv", 'Name,Height\nAda,5" 4\nBo,6"\n')
    assert read_people_file(path).rows == [("Ada", '5" 4'), ("Bo", '6"')]


# --- workbooks ------------------------------------------------------------------------


def secretary_workbook(path: Path) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Members"
    sheet["A1"] = "Amnesty Group 123 members 2025"
    sheet.append([])
    sheet.append(["Name", "Zip", "Phone", "Joined", "Paid", "Dues", "Last seen"])
    sheet.append(
        [
            "Sato, Kenji",
            2139,
            6175550142.0,
            dt.date(2025, 1, 3),
            True,
            12.5,
            dt.datetime(2025, 3, 1, 18, 30),
        ]
    )
    sheet.append([])
    sheet.append(
        ["Ní Bhriain, Aoife", "02141", 6175550144, dt.datetime(2025, 2, 1), False, 10, None]
    )
    other = workbook.create_sheet("Old list")
    other.append(["Name", "Email"])
    other.append(["Ada", "a@example.com"])
    hidden = workbook.create_sheet("Hidden")
    hidden.sheet_state = "hidden"
    hidden["A1"] = "secret"
    workbook.save(path)
    return path


def test_workbook_numbers_dates_and_title_rows(tmp_path: Path) -> None:
    table = read_people_file(secretary_workbook(tmp_path / "members.xlsx"))
    assert table.file_kind == "xlsx"
    assert table.encoding == table.delimiter == ""
    assert table.sheet == "Members"
    assert table.header_row == 3
    assert table.row_numbers == [4, 6]
    assert table.rows[0] == (
        "Sato, Kenji",
        "2139",  # the mapping restores a US ZIP's zero; the reader says what the cell holds
        "6175550142",  # a phone stored as a number, without ".0"
        "2025-01-03",
        "TRUE",
        "12.5",
        "2025-03-01 18:30:00",
    )
    assert table.rows[1][1:4] == ("02141", "6175550144", "2025-02-01")
    assert any('"Old list"' in warning for warning in table.warnings)


def test_sheets_are_listed_without_hidden_ones_and_can_be_chosen(tmp_path: Path) -> None:
    path = secretary_workbook(tmp_path / "members.xlsx")
    assert workbook_sheet_names(path) == ["Members", "Old list"]
    table = read_people_file(path, sheet="Old list")
    assert table.sheet == "Old list"
    assert table.rows == [("Ada", "a@example.com")]
    with pytest.raises(
        PeopleFileError,
        match=r'^members\.xlsx: the workbook has no sheet named "Nope" '
        r'\(it has: "Members", "Old list"\)',
    ):
        read_people_file(path, sheet="Nope")
    assert workbook_sheet_names(SAMPLES / "nationbuilder_people.csv") == []


def test_a_workbook_with_only_empty_sheets_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "blank.xlsx"
    Workbook().save(path)
    with pytest.raises(
        PeopleFileError, match=r"^blank\.xlsx: every sheet of the workbook is empty"
    ):
        read_people_file(path)


def test_a_workbook_preview_reads_only_the_first_rows(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Name", "Email"])
    for i in range(40):
        sheet.append([f"P{i}", f"p{i}@example.com"])
    path = tmp_path / "list.xlsx"
    workbook.save(path)
    table = read_people_file(path, max_rows=3)
    assert [row[0] for row in table.rows] == ["P0", "P1", "P2"]
    assert table.truncated


# --- refusals -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("empty.csv", b"", "the file is empty"),
        ("junk.csv", bytes(range(256)) * 20, "binary data"),
        ("report.csv", b"%PDF-1.7\n...", "PDF"),
        (
            "page.xls",
            b"<html><body><table><tr><td>Name</td></tr></table></body></html>",
            "web page",
        ),
        ("half.xlsx", b"PK\x03\x04" + b"\x00" * 40, "damaged"),
    ],
)
def test_refusals_are_one_line_naming_the_file(
    tmp_path: Path, name: str, content: bytes, fragment: str
) -> None:
    path = tmp_path / "folder with a name" / name
    path.parent.mkdir()
    path.write_bytes(content)
    with pytest.raises(PeopleFileError) as caught:
        read_people_file(path)
    message = str(caught.value)
    assert message.startswith(f"{name}: ")
    assert fragment in message
    assert "\n" not in message
    assert "folder with a name" not in message
    assert isinstance(caught.value, ValueError)


def test_a_missing_file_and_a_folder(tmp_path: Path) -> None:
    with pytest.raises(PeopleFileError, match=r"^gone\.csv: the file does not exist"):
        read_people_file(tmp_path / "gone.csv")
    with pytest.raises(PeopleFileError, match=rf"^{re.escape(tmp_path.name)}: this is a folder"):
        read_people_file(tmp_path)


def test_reading_a_csv_does_not_load_the_workbook_reader() -> None:
    # Start-up time: python_calamine is imported only when a workbook is read.
    probe = textwrap.dedent(
        f"""
        import json, sys
        from desktop_app.exports.people_file import read_people_file
        read_people_file({str(SAMPLES / "nationbuilder_people.csv")!r})
        print(json.dumps("python_calamine" in sys.modules))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) is False


# --- fuzzing ------------------------------------------------------------------------------

cell_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30
)  # any character that can be encoded, controls and quotes included


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    rows=st.lists(st.lists(cell_text, max_size=6), max_size=12),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_any_csv_the_csv_module_writes_reads_or_is_refused(
    tmp_path: Path, rows: list[list[str]], delimiter: str, encoding: str
) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path = tmp_path / "fuzz.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))
    try:
        table = read_people_file(path)
    except PeopleFileError as exc:
        assert str(exc).startswith("fuzz.csv: ")
        assert "\n" not in str(exc)
        return
    assert isinstance(table, RawTable)
    assert len(table.rows) == len(table.row_numbers)
    assert all(len(row) == len(table.headers) for row in table.rows)
    assert all(table.headers)
    assert table.row_numbers == sorted(set(table.row_numbers))
    for row in table.rows:
        assert any(row)
        for cell in row:
            assert cell == cell.strip()
            assert not any(ord(ch) < 32 and ch not in "\t\n" for ch in cell)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".csv", ".xlsx", ".ods", ".txt"]))
def test_any_bytes_read_or_are_refused(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"bytes{suffix}"
    path.write_bytes(data)
    try:
        table = read_people_file(path)
    except PeopleFileError as exc:
        assert str(exc).startswith(f"bytes{suffix}: ")
        assert "\n" not in str(exc)
        return
    assert all(len(row) == len(table.headers) for row in table.rows)


def test_the_header_row_can_be_chosen(tmp_path: Path) -> None:
    path = write(tmp_path / "names.csv", "Ada Lovelace\nBo Diddley\nCy Young\n")
    guessed = read_people_file(path)
    assert guessed.header_row == 1  # a lone line of words looks like a header
    none = read_people_file(path, header_row=0)
    assert none.headers == ("Column 1",)
    assert [row[0] for row in none.rows] == ["Ada Lovelace", "Bo Diddley", "Cy Young"]
    assert none.warnings == []
    second = read_people_file(path, header_row=2)
    assert second.headers == ("Bo Diddley",)
    assert second.rows == [("Cy Young",)]
    with pytest.raises(PeopleFileError, match=r"^names\.csv: row 9 cannot be the header"):
        read_people_file(path, header_row=9)


def test_sheet_names_without_reading_the_sheets(tmp_path: Path) -> None:
    path = secretary_workbook(tmp_path / "members.xlsx")
    assert workbook_sheet_names(path) == ["Members", "Old list"]
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(path.read_bytes()[:300])
    with pytest.raises(PeopleFileError, match=r"^broken\.xlsx: "):
        workbook_sheet_names(broken)


def test_excels_sep_line_names_the_delimiter(tmp_path: Path) -> None:
    path = write(tmp_path / "excel.csv", "sep=;\nName;Note\nAda;a,b,c\n")
    table = read_people_file(path)
    assert table.delimiter == ";"
    assert table.header_row == 2
    assert table.rows == [("Ada", "a,b,c")]
    assert table.row_numbers == [3]


# --- the collector after a big read ------------------------------------------------------


def test_paused_gc_leaves_no_walk_over_what_it_made_and_cycles_still_collectable() -> None:
    import gc

    assert gc.isenabled()
    gc.collect()
    with paused_gc():
        assert not gc.isenabled()
        made = [[str(n), {"row": n}] for n in range(50_000)]
        cycle: list[object] = []
        cycle.append(cycle)
        young_walks = gc.get_stats()[0]["collections"]
    # Everything made meanwhile is no longer counted as young: the first allocations
    # afterwards do not set off a collection that walks the 50,000 rows again.
    assert gc.get_stats()[0]["collections"] == young_walks
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0  # handed on to the oldest generation, not frozen
    del made, cycle
    assert gc.collect() >= 1  # the cycle made while paused is still found
