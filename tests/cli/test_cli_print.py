"""`groupdesk print ...`: each document written and read back, one JSON object, clear errors."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from desktop_app import cli
from desktop_app.db import Database
from desktop_app.models import EventKind
from desktop_app.services import events, roster, signin
from desktop_app.services.events import EventInput
from desktop_app.services.group import GroupProfileData, save_profile
from desktop_app.services.roster import PersonInput
from desktop_app.services.urgent_actions import (
    AddresseeInput,
    UrgentActionInput,
    create_urgent_action,
)
from tests.helpers import command_line
from tests.helpers.command_line import run
from tests.helpers.pdf_pages import all_text, page_sizes, page_texts

START = datetime(2026, 3, 5, 23, 0, tzinfo=UTC)
ADDRESS = {
    "address_line1": "12 Elm St",
    "city": "Cambridge",
    "region": "MA",
    "postal_code": "02139",
}


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    """`groupdesk print ... --json`: one object that starts with the documented keys."""
    result = command_line.run_json(capsys, *argv)
    assert list(result)[:3] == ["path", "pages", "warnings"]
    return result


@pytest.fixture
def setup(db: Database) -> dict[str, int]:
    save_profile(db, GroupProfileData(name="Group 133", contact_email="g133@example.org"))
    ana = roster.create_person(
        db,
        PersonInput(
            given_name="Ana",
            family_name="Álvarez",
            mail_ok=True,
            phone="617-555-0101",
            phone_ok=True,
            status="member",
            **ADDRESS,
        ),  # type: ignore[arg-type]
    ).person_id
    ben = roster.create_person(
        db,
        PersonInput(
            given_name="Γιώργος",
            family_name="Παπαδόπουλος",
            mail_ok=True,
            **{**ADDRESS, "address_line1": "14 Elm St"},
        ),  # type: ignore[arg-type]
    ).person_id
    kim = roster.create_person(
        db,
        PersonInput(
            given_name="Kim", family_name="Lee", do_not_contact=True, mail_ok=True, **ADDRESS
        ),  # type: ignore[arg-type]
    ).person_id
    first = events.create_event(
        db, EventInput(title="February meeting", starts_at=START, place="Library")
    ).id
    second = events.create_event(
        db, EventInput(title="March meeting", starts_at=START + timedelta(weeks=4))
    ).id
    night = events.create_event(
        db,
        EventInput(
            title="Letter night",
            starts_at=START + timedelta(weeks=1),
            kind=EventKind.LETTER_WRITING,
        ),
    ).id
    signin.sign_in(db, first, ana)
    signin.sign_in(db, first, ben)
    signin.sign_in(db, night, ana)
    signin.sign_in(db, night, ben)
    ua = create_urgent_action(
        db,
        UrgentActionInput(
            title="Student detained",
            number="UA 229/10",
            country="Valdoria",
            persons_at_risk="Tomás Ibarra",
            deadline=date(2026, 4, 1),
            addressees=(
                AddresseeInput("Minister Ana Ruiz", "Minister of Justice", "1 Road"),
                AddresseeInput("Embassy of Valdoria", is_copy=True),
            ),
        ),
    ).id
    return {
        "ana": ana,
        "ben": ben,
        "kim": kim,
        "first": first,
        "second": second,
        "night": night,
        "ua": ua,
    }


def db_args(db: Database) -> list[str]:
    assert db.path is not None
    return ["--db", str(db.path)]


def test_every_document_prints_and_reads_back(
    capsys: pytest.CaptureFixture[str], db: Database, setup: dict[str, int], tmp_path: Path
) -> None:
    base = db_args(db)
    out = tmp_path / "flyer.pdf"
    result = run_json(
        capsys,
        *base,
        "print",
        "flyer",
        "--event",
        str(setup["first"]),
        "--strips",
        "4",
        "-o",
        str(out),
    )
    assert result["path"] == str(out.resolve()) and result["pages"] == 1
    assert "February meeting" in all_text(out.read_bytes())
    assert page_sizes(out.read_bytes()) == [(612.0, 792.0)]  # a US group prints on Letter

    out = tmp_path / "sheet.pdf"
    result = run_json(
        capsys,
        *base,
        "print",
        "signin-sheet",
        "--event",
        str(setup["second"]),
        "--blank-rows",
        "5",
        "--page-size",
        "a4",
        "-o",
        str(out),
    )
    text = all_text(out.read_bytes())
    assert result["expected"] == 0  # no earlier meeting attended twice: no regulars yet
    assert "March meeting" in text and "Page 1 of 1" in text

    result = run_json(
        capsys,
        *base,
        "print",
        "signin-sheet",
        "--event",
        str(setup["second"]),
        "--status",
        "member",
        "-o",
        str(out),
    )
    assert result["expected"] == 1 and "Ana Álvarez" in all_text(out.read_bytes())

    out = tmp_path / "labels.pdf"
    result = run_json(
        capsys,
        *base,
        "print",
        "labels",
        "--layout",
        "l7160",
        "--household",
        "--offset-x",
        "1.5",
        "-o",
        str(out),
    )
    assert result["labels"] == 2 and result["left_out"] == {"do_not_contact": 1}
    text = all_text(out.read_bytes())
    assert "Ana Álvarez" in text and "Γιώργος Παπαδόπουλος" in text and "Kim Lee" not in text

    out = tmp_path / "calibration.pdf"
    result = run_json(capsys, *base, "print", "labels", "--calibration", "-o", str(out))
    assert result["pages"] == 1 and "Avery 5160" in all_text(out.read_bytes())

    out = tmp_path / "phones.pdf"
    result = run_json(capsys, *base, "print", "roster", "--phone-list", "-o", str(out))
    text = all_text(out.read_bytes())
    assert result["people"] == 3 and "Phone list" in text and "(617) 555-0101" in text
    assert "DO NOT CONTACT" in text

    out = tmp_path / "attendance.pdf"
    result = run_json(
        capsys, *base, "print", "attendance", "--event", str(setup["first"]), "-o", str(out)
    )
    assert result["people"] == 2 and "2 people signed in" in all_text(out.read_bytes())

    out = tmp_path / "agenda.pdf"
    result = run_json(
        capsys, *base, "print", "agenda", "--event", str(setup["second"]), "-o", str(out)
    )
    assert result["open_actions"] == 1 and "UA 229/10" in all_text(out.read_bytes())


def test_ua_letters_for_the_writers_of_a_letter_night_with_envelopes(
    capsys: pytest.CaptureFixture[str], db: Database, setup: dict[str, int], tmp_path: Path
) -> None:
    out = tmp_path / "letters.pdf"
    template = tmp_path / "letter.txt"
    template.write_text(
        "{salutation},\n\nFree {person_at_risk}.\n\n{writer_name}\n", encoding="utf-8"
    )
    result = run_json(
        capsys,
        *db_args(db),
        "print",
        "ua-letters",
        "--ua",
        str(setup["ua"]),
        "--event",
        str(setup["night"]),
        "--template",
        str(template),
        "--envelopes",
        "envelope10",
        "--date",
        "2026-03-12",
        "-o",
        str(out),
    )
    assert (result["letters"], result["writers"], result["pages"]) == (2, 2, 2)
    pages = page_texts(out.read_bytes())
    assert "Ana Álvarez" in pages[0] and "Free Tomás Ibarra." in pages[0]
    assert "Γιώργος Παπαδόπουλος" in pages[1]
    assert "12 March 2026" in pages[0]
    envelopes = Path(str(result["envelopes_path"]))
    assert envelopes.name == "letters-envelopes.pdf" and result["envelope_pages"] == 2
    assert "Minister Ana Ruiz" in all_text(envelopes.read_bytes())


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["flyer", "--event", "999"], "No event with id 999"),
        (["flyer", "--event", "{first}", "--qr", "not a link"], "QR code"),
        (["flyer", "--event", "{first}", "--image", "/nonexistent/logo.png"], "Picture"),
        (["ua-letters", "--ua", "{ua}"], "--writer ID"),
        (["ua-letters", "--ua", "999", "--writer", "{ana}"], "No urgent action with id 999"),
        (
            ["ua-letters", "--ua", "{ua}", "--writer", "{ana}", "--template", "{bad_template}"],
            "{minister} is not a placeholder",
        ),
        (["labels", "--offset-x", "99"], "Horizontal offset"),
        (["labels", "--tag", "nobody-has-this"], "nobody to print a label for"),
        (
            ["signin-sheet", "--event", "{first}", "--expected", "none", "--blank-rows", "0"],
            "Blank rows",
        ),
    ],
)
def test_bad_input_is_one_clear_line_and_no_file(
    capsys: pytest.CaptureFixture[str],
    db: Database,
    setup: dict[str, int],
    tmp_path: Path,
    argv: list[str],
    message: str,
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("Dear {minister}", encoding="utf-8")
    values = {**{key: str(value) for key, value in setup.items()}, "bad_template": str(bad)}
    out = tmp_path / "out.pdf"
    args = [part.format(**values) if part.startswith("{") else part for part in argv]
    code, stdout, err = run(capsys, *db_args(db), "print", *args, "-o", str(out), "--json")
    assert code == 1, err
    assert stdout == ""
    assert err.count("\n") == 1 and message in err
    assert not out.exists()


def test_usage_errors_exit_two(
    capsys: pytest.CaptureFixture[str], db: Database, tmp_path: Path
) -> None:
    code, _out, err = run(
        capsys, *db_args(db), "print", "labels", "--layout", "9999", "-o", str(tmp_path / "x.pdf")
    )
    assert code == 2 and err.count("\n") == 1
    code, _out, err = run(capsys, *db_args(db), "print", "labels", "-o", str(tmp_path / "x.txt"))
    assert code == 1 and "must end in .pdf" in err


def test_an_id_below_one_is_refused_with_the_least_it_may_be(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for given in ("-2", "0"):
        code, _, err = run(capsys, "print", "flyer", "--event", given, "-o", "x.pdf")
        assert code == cli.EXIT_USAGE
        assert f"'{given}' must be 1 or more" in err


def test_a_count_below_zero_is_refused_with_the_least_it_may_be(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for given, least in (("-1", 0), ("many", None)):
        code, _, err = run(
            capsys, "print", "flyer", "--event", "1", "--strips", given, "-o", "x.pdf"
        )
        assert code == cli.EXIT_USAGE
        said = (
            f"'{given}' must be {least} or more" if least is not None else "is not a whole number"
        )
        assert said in err
