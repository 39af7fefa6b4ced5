"""desktop_app/services/importer.py: lists from elsewhere onto the roster, once, undoably.

Files are written into tmp_path the way other systems export them and go through the
real reader and mapping (exports.people_file, services.import_mapping). "Unchanged" is
checked on the database file itself, every table, before and after.
"""

from __future__ import annotations

import csv
import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from desktop_app.db import Database, open_database
from desktop_app.exports.people_file import PeopleFileError, read_people_file
from desktop_app.models import FollowUp, FollowUpKind, Person, SignInSource
from desktop_app.services import importer
from desktop_app.services.group import laptop_id
from desktop_app.services.import_mapping import Field, guess_mapping
from desktop_app.services.importer import ImportFailed, ImportPlan, ImportSummary
from desktop_app.services.reviews import (
    count_open_reviews,
    list_reviews,
    merge_people,
    resolve_conflict,
)
from desktop_app.services.roster import PersonInput, create_person, get_person, update_person
from tests.helpers.bundle_laptops import add_event, dump, query, set_up_group, sign_in

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
CORPUS = Path(__file__).resolve().parents[2] / "data" / "import_corpus"
HEADER = ["First Name", "Last Name", "Email", "Phone", "Zip", "City", "Tags"]


@pytest.fixture
def group(db: Database) -> Database:
    set_up_group(db)
    laptop_id(db)  # as on first run: made once, stamped on what this laptop records
    return db


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run(db: Database, path: Path, **options: Any) -> ImportSummary:
    result = importer.import_people(db, path, **options)
    assert isinstance(result, ImportSummary)
    return result


def plan(db: Database, path: Path, **options: Any) -> ImportPlan:
    result = importer.import_people(db, path, dry_run=True, **options)
    assert isinstance(result, ImportPlan)
    return result


def people(db: Database) -> list[tuple[Any, ...]]:
    return query(
        db,
        "SELECT given_name, family_name, email, phone, postal_code, removed_at IS NOT NULL "
        "FROM people ORDER BY id",
    )


def reviews(db: Database) -> list[tuple[Any, ...]]:
    return query(
        db,
        "SELECT kind, person_id, other_person_id, details, origin, resolution "
        "FROM review_items ORDER BY id",
    )


def add(db: Database, **fields: Any) -> int:
    return create_person(db, PersonInput(**fields), source="test").person_id


# --- a real export, start to finish ----------------------------------------------------------


def test_a_nationbuilder_export_lands_once_with_its_rejects_listed(group: Database) -> None:
    summary = run(group, SAMPLES / "nationbuilder_people.csv")
    assert summary.counts.as_dict() == {
        "rows": 7, "added": 5, "matched": 1, "updated": 0, "needs_review": 1, "rejected": 1,
    }  # fmt: skip
    names = [(row[0], row[1], row[4]) for row in people(group)]
    assert ("Maria", "Gonçalves", "02139") in names  # the repeated row found her, not a twin
    assert len(names) == 5
    today = date.today().isoformat()
    sources = query(group, "SELECT DISTINCT source, import_batch_id FROM people")
    assert sources == [(f"import: nationbuilder_people.csv, {today}", summary.batch_id)]
    # The repeat came with a different street: kept for a person to decide, not lost.
    ((kind, _, _, details, origin, _),) = reviews(group)
    assert kind == "conflict" and json.loads(details)["field"] == "address_line1"
    assert origin == f"import: nationbuilder_people.csv, {today}"
    assert summary.rejects_file is not None and summary.rejects_file.exists()
    with summary.rejects_file.open(encoding="utf-8-sig", newline="") as handle:
        rejects = list(csv.reader(handle))
    assert rejects[0][:3] == ["Row", "Reason", "nationbuilder_id"]
    assert [row[:3] for row in rejects[1:]] == [["8", "no name and no email or phone", "506"]]
    assert summary.rejects_file.parent.name == "rejects"


def test_importing_the_same_file_twice_adds_nobody_the_second_time(group: Database) -> None:
    first = run(group, SAMPLES / "nationbuilder_people.csv", tag="fair-2026")
    before = dump(group)["people"]
    second = run(group, SAMPLES / "nationbuilder_people.csv", tag="fair-2026")
    assert first.counts.added == 5
    assert (second.counts.added, second.counts.matched) == (0, 6)
    assert (second.counts.updated, second.counts.needs_review) == (0, 0)
    assert dump(group)["people"] == before


def test_a_names_only_list_imported_twice_adds_nobody_the_second_time(
    group: Database, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "names.csv",
        [["Ama", "Mensah", "", "", "02139", "", ""], ["Lin", "Wei", "", "", "", "", ""]],
    )
    assert run(group, path).counts.added == 2
    again = run(group, path)
    assert (again.counts.added, again.counts.matched) == (0, 2)


def test_a_dry_run_changes_nothing_and_predicts_the_import(group: Database, tmp_path: Path) -> None:
    add(group, given_name="Kenji", family_name="Sato", email="Kenji.Sato@example.com")
    before = dump(group)
    predicted = plan(group, SAMPLES / "nationbuilder_people.csv", tag="fair")
    assert dump(group) == before
    assert not (tmp_path / "data" / "rejects").exists()
    assert [d.action for d in predicted.decisions] == [
        "add", "match", "add", "add", "match", "add", "reject",
    ]  # fmt: skip
    kenji = predicted.decisions[1]
    assert (kenji.reason, kenji.name) == ("same email", "Kenji Sato")
    assert predicted.decisions[4].other_row == 2  # Maria again, matched to row 2
    done = run(group, SAMPLES / "nationbuilder_people.csv", tag="fair")
    assert done.counts == predicted.counts


def test_a_file_imported_before_is_recognised_in_the_plan(group: Database) -> None:
    assert plan(group, SAMPLES / "surveymonkey_tabling.csv").previously_imported is None
    summary = run(group, SAMPLES / "surveymonkey_tabling.csv")
    earlier = plan(group, SAMPLES / "surveymonkey_tabling.csv").previously_imported
    assert earlier is not None and earlier.tzinfo is not None
    importer.undo_import(group, summary.batch_id)
    assert plan(group, SAMPLES / "surveymonkey_tabling.csv").previously_imported is None


# --- matching rules ------------------------------------------------------------------------


def test_a_certain_match_fills_empty_fields_only_and_records_what_was_there(
    group: Database, tmp_path: Path
) -> None:
    kenji = add(group, given_name="Kenji", family_name="Sato", email="kenji@example.com",
                city="Boston")  # fmt: skip
    path = write_csv(
        tmp_path / "list.csv",
        [["Kenji", "Sato", "KENJI@example.com", "(617) 555-0143", "02140", "Cambridge", ""]],
    )
    summary = run(group, path)
    assert summary.counts.as_dict() == {
        "rows": 1, "added": 0, "matched": 1, "updated": 1, "needs_review": 1, "rejected": 0,
    }  # fmt: skip
    assert query(group, "SELECT phone, postal_code, city FROM people WHERE id = ?", (kenji,)) == [
        ("+16175550143", "02140", "Boston")
    ]
    changes = query(
        group,
        "SELECT person_id, field, old_value, new_value FROM import_changes ORDER BY field",
    )
    assert changes == [(kenji, "phone", "", "+16175550143"), (kenji, "postal_code", "", "02140")]
    ((kind, person_id, other, details, _, _),) = reviews(group)
    assert (kind, person_id, other) == ("conflict", kenji, None)
    assert json.loads(details)["ours"] == "Boston"
    assert json.loads(details)["theirs"] == "Cambridge"
    # The Review page's "use theirs" works on it like on a merge's conflict.
    (row,) = list_reviews(group)
    resolve_conflict(group, row.id, use_theirs=True)
    assert query(group, "SELECT city FROM people WHERE id = ?", (kenji,)) == [("Cambridge",)]


def test_a_shared_email_under_another_name_is_added_and_put_up_for_review(
    group: Database, tmp_path: Path
) -> None:
    maria = add(group, given_name="Maria", family_name="Gonçalves", email="family@example.com")
    path = write_csv(
        tmp_path / "list.csv", [["João", "Gonçalves", "family@example.com", "", "", "", ""]]
    )
    summary = run(group, path)
    assert (summary.counts.added, summary.counts.matched, summary.counts.needs_review) == (1, 0, 1)
    ((kind, newcomer, other, details, origin, _),) = reviews(group)
    assert (kind, other) == ("duplicate", maria)
    assert json.loads(details)["reason"] == "same email, different name"
    assert json.loads(details)["fields"]["given_name"] == ["João", "Maria"]  # newcomer first
    # It is on the Review page's list, side by side, and "merge into one" works.
    (row,) = list_reviews(group)
    assert row.origin == origin and row.other is not None
    assert {row.person.display_name, row.other.display_name} == {
        "João Gonçalves",
        "Maria Gonçalves",
    }
    merge_people(group, row.id, keep_id=maria, other_id=newcomer)
    assert query(group, "SELECT removed_at IS NOT NULL FROM people WHERE id = ?", (newcomer,)) == [
        (1,)
    ]
    # Imported again, the row is still not Maria by name; the record merged away sits in
    # the trash, where nothing is matched, so the row is asked about once more rather
    # than silently joined to Maria.
    again = run(group, path)
    assert (again.counts.added, again.counts.needs_review) == (1, 1)


def test_a_likely_duplicate_by_name_and_postal_code_goes_to_review(
    group: Database, tmp_path: Path
) -> None:
    aoife = add(group, given_name="Aoife", family_name="Ní Bhriain", postal_code="02141")
    path = write_csv(tmp_path / "list.csv", [["Aoife", "Ni Bhriainn", "", "", "2141", "", ""]])
    predicted = plan(group, path)
    (decision,) = predicted.decisions
    assert (decision.action, decision.person_id) == ("review", aoife)
    assert decision.reason == "similar name, same postal code"
    summary = run(group, path)
    assert (summary.counts.added, summary.counts.needs_review) == (1, 1)
    ((kind, _, other, details, _, _),) = reviews(group)
    assert (kind, other) == ("duplicate", aoife)
    assert json.loads(details)["score"] >= 0.9
    assert importer.import_people(group, path).counts.needs_review == 0  # type: ignore[union-attr]


def test_rows_are_matched_to_each_other_within_the_file(group: Database, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "list.csv",
        [
            ["Lin", "Wei", "lin@example.net", "", "", "", ""],
            ["Lin", "Wei", "", "617 555 0150", "02139", "", ""],
            ["", "", "LIN@example.net", "(617) 555-0150", "", "Cambridge", ""],
            ["Linn", "Wei", "", "", "02139", "", ""],
        ],
    )
    summary = run(group, path)
    assert summary.counts.as_dict() == {
        "rows": 4, "added": 3, "matched": 1, "updated": 0, "needs_review": 2, "rejected": 0,
    }  # fmt: skip
    first, second, third = people(group)
    # Row 3 is row 1's person (the email), and fills in the phone and city it gave.
    assert first[:5] == ("Lin", "Wei", "lin@example.net", "+16175550150", "")
    assert query(group, "SELECT city FROM people ORDER BY id LIMIT 1") == [("Cambridge",)]
    assert second[:5] == ("Lin", "Wei", "", "+16175550150", "02139")
    assert third[:2] == ("Linn", "Wei")
    # Row 3 gave row 1's email and row 2's phone: those two may be one person (they have
    # the same name, too); rows 2 and 4 have close names in one postal code. Each pair
    # awaits a person once.
    pairs = {(row[1], row[2], json.loads(row[3])["reason"]) for row in reviews(group)}
    ids = [row[0] for row in query(group, "SELECT id FROM people ORDER BY id")]
    assert pairs == {
        (ids[1], ids[0], "same email as one, same phone as the other"),
        (ids[2], ids[1], "similar name, same postal code"),
    }


def test_an_objection_in_the_file_is_honoured_at_once(group: Database, tmp_path: Path) -> None:
    kenji = add(group, given_name="Kenji", family_name="Sato", email="kenji@example.com",
                email_ok=True)  # fmt: skip
    path = write_csv(
        tmp_path / "list.csv",
        [["Kenji", "Sato", "kenji@example.com", "yes"]],
        header=["First Name", "Last Name", "Email", "Do Not Contact"],
    )
    run(group, path)
    assert query(group, "SELECT do_not_contact, email_ok FROM people WHERE id = ?", (kenji,)) == [
        (1, 1)
    ]


def test_values_that_do_not_check_out_are_kept_and_flagged(group: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", [["Ama", "Mensah", "ama.example.com", "", "", "", ""]])
    summary = run(group, path)
    assert (summary.counts.added, summary.flagged) == (1, 1)
    ((email, needs_review, reason),) = query(
        group, "SELECT email, needs_review, review_reason FROM people"
    )
    assert (email, needs_review) == ("ama.example.com", 1)
    assert "@" in reason


# --- tags, events, rejects --------------------------------------------------------------------


def test_a_tag_and_an_event_reach_everyone_in_the_file(group: Database, tmp_path: Path) -> None:
    vigil = add_event(group, "Vigil")
    kenji = add(group, given_name="Kenji", family_name="Sato", email="kenji@example.com")
    sign_in(group, vigil, kenji, source=SignInSource.MEETING)
    ama = add(group, given_name="Ama", family_name="Mensah", email="ama@example.com")
    path = write_csv(
        tmp_path / "attendees.csv",
        [
            ["Kenji", "Sato", "kenji@example.com", "", "", "", "refugee rights"],
            ["Ama", "Mensah", "ama@example.com", "", "", "", ""],
            ["Lin", "Wei", "lin@example.net", "", "", "", ""],
        ],
    )
    summary = run(group, path, tag="Vigil 2026", event_id=vigil)
    assert summary.signed_in == 2  # Kenji was there already
    tags = query(
        group,
        "SELECT p.given_name, t.name FROM person_tags pt JOIN people p ON p.id = pt.person_id "
        "JOIN tags t ON t.id = pt.tag_id ORDER BY p.given_name, t.name",
    )
    assert tags == [
        ("Ama", "Vigil 2026"), ("Kenji", "Vigil 2026"), ("Kenji", "refugee rights"),
        ("Lin", "Vigil 2026"),
    ]  # fmt: skip
    attended = query(
        group,
        "SELECT p.given_name, s.source, s.first_time FROM sign_ins s "
        "JOIN people p ON p.id = s.person_id WHERE s.event_id = ? ORDER BY p.given_name",
        (vigil,),
    )
    assert attended == [("Ama", "import", 1), ("Kenji", "meeting", 0), ("Lin", "import", 1)]
    assert summary.counts.updated == 2  # Kenji and Ama got tags
    assert ama in [row[0] for row in query(group, "SELECT person_id FROM import_changes")]


def test_an_unknown_event_is_refused_before_anything_is_written(
    group: Database, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "list.csv", [["Lin", "Wei", "lin@example.net", "", "", "", ""]])
    before = dump(group)
    with pytest.raises(ImportFailed, match=r"list\.csv: there is no event 99"):
        run(group, path, event_id=99)
    assert dump(group) == before


def test_the_rejects_file_neutralises_formulas(group: Database, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "hostile.csv",
        [
            ["", "", "", "", '=HYPERLINK("http://evil.example","x")', "@SUM(1)", ""],
            ["Lin", "Wei", "lin@example.net", "", "", "", ""],
        ],
    )
    summary = run(group, path)
    assert summary.counts.rejected == 1 and summary.rejects_file is not None
    text = summary.rejects_file.read_text(encoding="utf-8-sig")
    with summary.rejects_file.open(encoding="utf-8-sig", newline="") as handle:
        (_, row) = list(csv.reader(handle))
    assert row[0] == "2"
    assert "'=HYPERLINK" in text and "'@SUM(1)" in text
    assert not any(cell.startswith(("=", "@", "+", "-")) for cell in row)


def test_postal_codes_and_phones_stored_as_numbers_in_a_workbook_come_back_right(
    group: Database, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Members of Local Group 133"])
    sheet.append([])
    sheet.append(["Name", "E-mail", "Cell Phone", "ZIP code"])
    sheet.append(["Sato, Kenji", "kenji@example.com", 6175550143, 2140])
    path = tmp_path / "secretary.xlsx"
    book.save(path)
    summary = run(group, path)
    assert summary.counts.added == 1
    assert people(group) == [("Kenji", "Sato", "kenji@example.com", "+16175550143", "02140", 0)]


# --- safety -------------------------------------------------------------------------------------


def test_a_failure_while_writing_leaves_nothing_behind(
    group: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(group, given_name="Kenji", family_name="Sato", email="kenji@example.com")
    before = dump(group)

    def broken(self: object) -> None:
        raise RuntimeError("disk gone")

    # People, fills, tags and sign-ins are written by then; the review items fail.
    monkeypatch.setattr(importer._Writer, "_write_reviews", broken)
    with pytest.raises(RuntimeError, match="disk gone"):
        run(group, SAMPLES / "nationbuilder_people.csv", tag="fair")
    assert dump(group) == before
    rejects = tmp_path / "data" / "rejects"
    assert not rejects.exists() or not any(rejects.iterdir())


def test_cancelling_midway_changes_nothing(group: Database, tmp_path: Path) -> None:
    rows = [[f"Given{k}", f"Family{k}", f"p{k}@example.org", "", "", "", ""] for k in range(5000)]
    rows.append(["", "", "", "", "", "", "nothing"])
    path = write_csv(tmp_path / "big.csv", rows)
    table = read_people_file(path)
    mapping = guess_mapping(table.headers, table.rows[:200])
    before = dump(group)
    steps = importer.import_steps(group, table, mapping, tag="t")
    stages = [next(steps).stage for _ in range(4)]
    steps.close()
    assert "matching" in stages
    assert dump(group) == before
    rejects = tmp_path / "data" / "rejects"
    assert not rejects.exists() or not any(rejects.iterdir())


def test_a_list_with_no_usable_column_is_refused_with_the_file_named(
    group: Database, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "survey.csv", [["yes", "blue"]], header=["Happy?", "Colour"])
    with pytest.raises(ImportFailed, match=r"^survey\.csv: .*name"):
        importer.import_people(group, path)


@pytest.mark.parametrize(
    "name", sorted(p.name for p in CORPUS.iterdir()) if CORPUS.exists() else []
)
def test_every_awkward_file_is_imported_whole_or_refused_with_its_name(
    group: Database, name: str
) -> None:
    path = CORPUS / name
    before = dump(group)
    try:
        summary = run(group, path)
    except (PeopleFileError, ImportFailed) as exc:
        message = str(exc)
        assert message.startswith(f"{name}:") and "\n" not in message
        assert dump(group) == before
        return
    counts = summary.counts
    assert counts.rows == counts.added + counts.matched + counts.rejected
    (added,) = query(group, "SELECT COUNT(*) FROM people WHERE import_batch_id = ?",
                     (summary.batch_id,))[0]  # fmt: skip
    assert added == counts.added


# --- undo ------------------------------------------------------------------------------------


def test_undo_takes_the_import_back_and_loses_nothing(group: Database, tmp_path: Path) -> None:
    vigil = add_event(group, "Vigil")
    kenji = add(group, given_name="Kenji", family_name="Sato", email="kenji@example.com")
    path = write_csv(
        tmp_path / "list.csv",
        [
            ["Kenji", "Sato", "kenji@example.com", "(617) 555-0143", "02140", "", "new-tag"],
            ["Lin", "Wei", "lin@example.net", "", "", "", ""],
            ["Ama", "Mensah", "ama@example.com", "", "", "", ""],
        ],
    )
    summary = run(group, path, tag="t", event_id=vigil)
    lin, ama = [row[0] for row in query(group, "SELECT id FROM people WHERE id != ? ORDER BY id",
                                        (kenji,))]  # fmt: skip
    # Someone worked with Ama since: she came to another meeting.
    meeting = add_event(group, "Meeting", starts_at=datetime(2026, 6, 1, 18, tzinfo=UTC))
    sign_in(group, meeting, ama, source=SignInSource.MEETING)
    undone = importer.undo_import(group, summary.batch_id)
    assert (undone.removed, undone.kept, undone.restored, undone.left) == (
        1, ("Ama Mensah",), 2, 0,
    )  # fmt: skip
    assert query(group, "SELECT phone, postal_code FROM people WHERE id = ?", (kenji,)) == [
        ("", "")
    ]
    assert query(group, "SELECT COUNT(*) FROM person_tags WHERE person_id = ?", (kenji,)) == [(0,)]
    assert query(
        group, "SELECT removed_at IS NOT NULL, notes FROM people WHERE id = ?", (lin,)
    ) == [(1, f"Removed on {date.today().isoformat()} by undoing the import of list.csv "
              f"(import {summary.batch_id}).")]  # fmt: skip
    assert query(group, "SELECT removed_at FROM people WHERE id = ?", (ama,)) == [(None,)]
    assert query(group, "SELECT person_id FROM sign_ins WHERE event_id = ? ORDER BY person_id",
                 (vigil,)) == [(ama,)]  # fmt: skip
    (batch,) = [b for b in importer.list_import_batches(group) if b.id == summary.batch_id]
    assert batch.undone
    with pytest.raises(ImportFailed, match="already undone"):
        importer.undo_import(group, summary.batch_id)
    # Lin is in the trash, not gone: restoring brings her back as she was.
    assert get_person(group, lin).data.email == "lin@example.net"


def test_undo_leaves_a_field_someone_changed_since(group: Database, tmp_path: Path) -> None:
    kenji = add(group, given_name="Kenji", family_name="Sato", email="kenji@example.com")
    path = write_csv(
        tmp_path / "list.csv", [["Kenji", "Sato", "kenji@example.com", "", "02140", "", ""]]
    )
    summary = run(group, path)
    detail = get_person(group, kenji)
    update_person(group, kenji, detail.data.__class__(**{**vars(detail.data),
                                                          "postal_code": "02139"}))  # fmt: skip
    undone = importer.undo_import(group, summary.batch_id)
    assert (undone.restored, undone.left) == (0, 1)
    assert query(group, "SELECT postal_code FROM people WHERE id = ?", (kenji,)) == [("02139",)]


def test_undo_closes_the_batch_s_open_reviews(group: Database, tmp_path: Path) -> None:
    add(group, given_name="Aoife", family_name="Ní Bhriain", postal_code="02141")
    path = write_csv(tmp_path / "list.csv", [["Aoife", "Ni Bhriainn", "", "", "02141", "", ""]])
    summary = run(group, path)
    assert count_open_reviews(group) == 1
    undone = importer.undo_import(group, summary.batch_id)
    assert undone.reviews_closed == 1
    assert count_open_reviews(group) == 0
    assert reviews(group)[0][5] == "import_undone"


def test_undo_of_an_unknown_batch_says_so(group: Database) -> None:
    with pytest.raises(ImportFailed, match="Import 42: there is no such import"):
        importer.undo_import(group, 42)


def test_a_mapping_corrected_by_hand_is_the_one_used(group: Database, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "list.csv", [["Lin", "Wei", "Sophomore"]], header=["First", "Last", "Year"]
    )
    table = read_people_file(path)
    mapping = guess_mapping(table.headers, table.rows)
    mapping.fields[2] = Field.NOTES
    summary = importer.import_table(group, table, mapping)
    assert summary.counts.added == 1
    assert query(group, "SELECT notes FROM people") == [("Sophomore",)]


def test_people_added_are_findable_in_the_roster_search(group: Database, tmp_path: Path) -> None:
    from desktop_app.services.roster import search_person_ids

    path = write_csv(tmp_path / "list.csv", [["Zdeňka", "Nováková", "", "", "", "", ""]])
    run(group, path)
    assert len(search_person_ids(group, "novakova")) == 1


def test_a_person_erased_on_request_is_never_matched_or_filled(
    group: Database, tmp_path: Path
) -> None:
    from desktop_app.services.roster import erase_personal_data

    kenji = add(group, given_name="Kenji", family_name="Sato", email="kenji@example.com")
    erase_personal_data(group, kenji)
    with group.session() as session:
        session.execute(update(Person).where(Person.id == kenji).values(notes=""))
    path = write_csv(
        tmp_path / "list.csv", [["Kenji", "Sato", "kenji@example.com", "", "", "", ""]]
    )
    summary = run(group, path)
    assert summary.counts.added == 1
    assert query(group, "SELECT given_name FROM people WHERE id = ?", (kenji,)) == [("(erased)",)]


# --- fuzzing ---------------------------------------------------------------------------------

_CELL = st.one_of(
    st.sampled_from(["", " ", "Maria", "Gonçalves", "=SUM(A1)", "+1 617 555 0142", "02139",
                     "kenji@example.com", "KENJI@EXAMPLE.COM ", "yes", "no", "Sato, Kenji"]),
    st.text(max_size=40),
    st.text(alphabet="abcdefgh@. -+0123456789", max_size=25),
)  # fmt: skip
_HEADERS = ["Name", "First Name", "Last Name", "E-mail", "Phone", "ZIP", "Tags", "Do Not Email"]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(st.lists(_CELL, min_size=8, max_size=8), min_size=1, max_size=12))
def test_any_rows_import_whole_and_a_second_time_add_nobody(
    rows: list[list[str]], tmp_path_factory: pytest.TempPathFactory, migrated_template: Path
) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    shutil.copyfile(migrated_template, folder / "group.sqlite")
    fuzzed = open_database(str(folder / "group.sqlite"))
    try:
        set_up_group(fuzzed)
        laptop_id(fuzzed)
        path = write_csv(folder / "list.csv", rows, header=_HEADERS)
        try:
            first = run(fuzzed, path)
        except (PeopleFileError, ImportFailed) as exc:
            assert str(exc).startswith("list.csv: ") and "\n" not in str(exc)
            assert query(fuzzed, "SELECT COUNT(*) FROM people") == [(0,)]
            return
        counts = first.counts
        assert counts.rows == counts.added + counts.matched + counts.rejected
        assert query(fuzzed, "SELECT COUNT(*) FROM people") == [(counts.added,)]
        second = run(fuzzed, path)
        assert second.counts.added == 0
        assert second.counts.matched == counts.added + counts.matched
        assert second.counts.needs_review == 0
    finally:
        fuzzed.close()


def test_undo_keeps_whom_the_group_has_worked_with_since(group: Database, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "list.csv",
        [
            ["Grace", "Hopper", "grace@example.com", "", "", "", ""],
            ["Lin", "Wei", "lin@example.net", "", "", "", ""],
            ["Ama", "Mensah", "ama@example.com", "", "", "", ""],
        ],
    )
    summary = run(group, path)
    grace, lin, ama = [row[0] for row in query(group, "SELECT id FROM people ORDER BY id")]
    # Someone new says Grace invited them; Lin was given a follow-up call.
    add(group, given_name="Tomás", family_name="Ruiz", invited_by_id=grace)
    with group.session() as session:
        session.add(FollowUp(person_id=lin, kind=FollowUpKind.CALL))
    undone = importer.undo_import(group, summary.batch_id)
    assert (undone.removed, sorted(undone.kept)) == (1, ["Grace Hopper", "Lin Wei"])
    assert query(group, "SELECT id FROM people WHERE removed_at IS NOT NULL") == [(ama,)]


def test_a_long_list_written_in_bulk_leaves_the_file_in_wal_and_whole(
    group: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "BULK_ROWS", 10)  # the bulk path, with a short list
    rows = [
        [f"Given{k}", f"Family{k}", f"p{k}@example.org", "", "02139", "", ""] for k in range(50)
    ]
    path = write_csv(tmp_path / "long.csv", rows)
    table = read_people_file(path)
    mapping = guess_mapping(table.headers, table.rows[:200])
    before = dump(group)
    steps = importer.import_steps(group, table, mapping)
    next(steps)
    next(steps)
    steps.close()  # cancelled inside the bulk transaction: rolled back
    assert dump(group) == before
    summary = importer.import_table(group, table, mapping)
    assert summary.counts.added == 50
    assert query(group, "PRAGMA journal_mode") == [("wal",)]
    assert query(group, "PRAGMA integrity_check") == [("ok",)]
    assert query(group, "SELECT COUNT(*) FROM person_fts") == [(50,)]
    from desktop_app.services.roster import search_person_ids

    assert len(search_person_ids(group, "family4")) == 11  # Family4, Family40..49


def _schema(db: Database) -> list[tuple[Any, ...]]:
    return query(db, "SELECT type, name, sql FROM sqlite_master ORDER BY type, name")


def test_a_list_into_an_empty_roster_is_stored_and_searchable_whole(
    db: Database, tmp_path: Path
) -> None:
    """More people than there are: the indexes are set aside and built again."""
    from desktop_app.services.roster import search_person_ids

    set_up_group(db)
    schema = _schema(db)
    rows = [
        [f"Given{k}", f"Nakamura{k:02d}", f"p{k}@example.org", "", "", "", ""] for k in range(11)
    ]
    summary = run(db, write_csv(tmp_path / "list.csv", rows))
    assert summary.counts.added == 11
    stored = query(db, "SELECT id, family_name, email_key FROM people ORDER BY id")
    assert [row[1] for row in stored] == [f"Nakamura{k:02d}" for k in range(11)]
    assert [row[0] for row in stored] == list(range(stored[0][0], stored[0][0] + 11))
    # Everyone went into the search index, once; the triggers and indexes are back.
    assert query(db, "SELECT COUNT(*) FROM person_fts") == [(11,)]
    assert len(search_person_ids(db, "nakamura")) == 11
    assert search_person_ids(db, "nakamura10") == [stored[10][0]]
    assert _schema(db) == schema
    assert query(db, "PRAGMA integrity_check") == [("ok",)]


def test_a_failure_while_indexing_for_search_leaves_nothing_behind(
    group: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The likely duplicates run beside the index build; a failure there undoes all."""
    from sqlalchemy.exc import OperationalError

    from desktop_app import search_index

    def fails(conn: Any, low: int | None = None, high: int | None = None) -> int:
        raise OperationalError("INSERT INTO person_fts", None, Exception("disk I/O error"))

    monkeypatch.setattr(search_index, "index_people", fails)
    before, schema = dump(group), _schema(group)
    rows = [[f"Given{k}", f"Family{k}", f"q{k}@example.org", "", "", "", ""] for k in range(10)]
    with pytest.raises(ImportFailed, match=r"list\.csv.*disk I/O error.*nothing was changed"):
        run(group, write_csv(tmp_path / "list.csv", rows))
    assert dump(group) == before
    assert _schema(group) == schema


def test_the_history_keeps_the_rejects_file_while_it_is_there(group: Database) -> None:
    summary = run(group, SAMPLES / "nationbuilder_people.csv")
    assert summary.rejects_file is not None and summary.rejects_file.is_file()
    (batch,) = importer.list_import_batches(group)
    assert batch.rejects_file == summary.rejects_file
    assert query(group, "SELECT rejects_file_name FROM import_batches") == [
        (summary.rejects_file.name,)
    ]
    summary.rejects_file.unlink()  # tidied away by hand
    (batch,) = importer.list_import_batches(group)
    assert batch.rejects_file is None


def test_a_rejects_file_name_is_only_looked_up_in_the_rejects_folder(
    group: Database, tmp_path: Path
) -> None:
    outside = tmp_path / "data" / "secret.csv"
    # The folder exists, as after any import with rejects: "rejects/../secret.csv" resolves.
    (tmp_path / "data" / importer.REJECTS_FOLDER).mkdir(parents=True, exist_ok=True)
    outside.write_text("x")
    for name in ("", "../secret.csv", str(outside), ".", ".."):
        assert importer.rejects_file_of(name) is None


def test_an_import_that_takes_every_row_keeps_no_rejects_file(
    group: Database, tmp_path: Path
) -> None:
    run(
        group,
        write_csv(tmp_path / "fine.csv", [["Ana", "Lima", "ana@example.org", "", "", "", ""]]),
    )
    (batch,) = importer.list_import_batches(group)
    assert batch.rejects_file is None
    assert query(group, "SELECT rejects_file_name FROM import_batches") == [("",)]
