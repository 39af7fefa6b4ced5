"""`groupdesk print ...`: flyers, sign-in sheets, urgent action letters, labels and lists.

    groupdesk print flyer --event ID [--qr LINK|EMAIL] [--image FILE] [--strips N] -o OUT.pdf
    groupdesk print signin-sheet --event ID [--expected regulars|filter|none]
                                 [--status S] [--tag T] [--blank-rows N] [--show-details] -o OUT.pdf
    groupdesk print ua-letters --ua ID (--writer ID ... | --event ID) [--template FILE]
                               [--template-for LANG FILE] [--envelopes none|labels|envelope10]
                               [--layout 5160] [--copies] [--date YYYY-MM-DD] -o OUT.pdf
    groupdesk print labels [--status S] [--tag T] [--household] [--layout 5160]
                           [--offset-x MM] [--offset-y MM] [--first N] [--calibration] -o OUT.pdf
    groupdesk print roster [--status S] [--tag T] [--phone-list] -o OUT.pdf
    groupdesk print attendance --event ID -o OUT.pdf
    groupdesk print agenda [--event ID] -o OUT.pdf

Every one takes --page-size letter|a4 (default: the group's country's paper; label
sheets have their own). With --json each prints one object that starts with
{"path", "pages", "warnings"}; ua-letters writes envelopes or labels beside the
letters as OUT-envelopes.pdf and names it too. Files appear only when complete.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.cli import (
    CommandError,
    add_roster_filter,
    iso_date,
    open_db,
    positive_int,
    roster_filter,
    whole_number,
)
from desktop_app.db import Database

if TYPE_CHECKING:
    from desktop_app.printing.data import PageSize, PdfResult

LAYOUTS = ("5160", "5163", "L7160", "L7163")


def _output(text: str) -> Path:
    path = Path(text).expanduser()
    if path.is_dir():
        raise CommandError(f"{path}: is a folder; give a file name ending in .pdf")
    if path.suffix.lower() != ".pdf":
        raise CommandError(f"{path}: the file name must end in .pdf")
    if not path.parent.is_dir():
        raise CommandError(f"{path.parent}: no such folder")
    return path


def _page_size(args: argparse.Namespace, db: Database) -> PageSize:
    from desktop_app.printing.data import PageSize
    from desktop_app.services.printing_data import page_size_for

    return PageSize(args.page_size) if args.page_size else page_size_for(db)


def _errors() -> tuple[type[Exception], ...]:
    from desktop_app.printing.data import PrintError
    from desktop_app.printing.fonts import FontsMissing
    from desktop_app.services.events import EventError
    from desktop_app.services.urgent_actions import UrgentActionError

    return (PrintError, FontsMissing, EventError, UrgentActionError)


def _written(result: PdfResult, path: Path, **extra: Any) -> dict[str, Any]:
    try:
        result.write(path)
    except OSError as exc:
        raise CommandError(f"{path}: not written ({exc.strerror or exc})") from exc
    return {
        "path": str(path.resolve()),
        "pages": result.pages,
        "warnings": list(result.warnings),
    } | extra


def _run(args: argparse.Namespace, work: Any) -> dict[str, Any]:
    """Open the database, do the work, turn the printing errors into one clear line."""
    path = _output(args.output)
    errors = _errors()
    db = open_db(args)
    try:
        result: dict[str, Any] = work(db, path)
        return result
    except errors as exc:
        raise CommandError(str(exc)) from exc
    finally:
        db.close()


# --- commands ---------------------------------------------------------------------------


def cmd_flyer(args: argparse.Namespace) -> dict[str, Any]:
    from desktop_app.printing.flyer import render_flyer
    from desktop_app.services.printing_data import flyer_data

    def work(db: Database, path: Path) -> dict[str, Any]:
        data = flyer_data(
            db,
            args.event,
            qr_target=args.qr,
            image_path=Path(args.image).expanduser() if args.image else None,
            tear_off_strips=args.strips,
        )
        return _written(render_flyer(data, _page_size(args, db)), path)

    return _run(args, work)


def cmd_signin_sheet(args: argparse.Namespace) -> dict[str, Any]:
    from desktop_app.printing.signin_sheet import render_signin_sheet
    from desktop_app.services.printing_data import (
        expected_from_filter,
        expected_regulars,
        signin_sheet_data,
    )

    expected_kind = args.expected or ("filter" if args.status or args.tag else "regulars")

    def work(db: Database, path: Path) -> dict[str, Any]:
        if expected_kind == "regulars":
            expected = expected_regulars(db, args.event)
        elif expected_kind == "filter":
            expected = expected_from_filter(db, roster_filter(args))
        else:
            expected = ()
        data = signin_sheet_data(
            db,
            args.event,
            expected=expected,
            blank_rows=args.blank_rows,
            show_contact_details=args.show_details,
        )
        result = render_signin_sheet(data, _page_size(args, db))
        return _written(result, path, expected=len(expected), blank_rows=args.blank_rows)

    return _run(args, work)


def _read_template(text: str) -> str:
    path = Path(text).expanduser()
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise CommandError(f"{path}: not UTF-8 text; save the template as UTF-8") from None
    except OSError as exc:
        raise CommandError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def cmd_ua_letters(args: argparse.Namespace) -> dict[str, Any]:
    from desktop_app.printing.data import EnvelopeStyle
    from desktop_app.printing.ua_letters import render_letters
    from desktop_app.services.printing_data import letter_batch, writers_at_event

    template = _read_template(args.template) if args.template else None
    by_language = [(code, _read_template(file)) for code, file in args.template_for or []]
    if not args.writer and args.event is None:
        raise CommandError("name the writers: --writer ID (repeatable) or --event ID")

    def work(db: Database, path: Path) -> dict[str, Any]:
        writer_ids = list(args.writer or [])
        if args.event is not None:
            writer_ids += writers_at_event(db, args.event)
            if not writer_ids:
                raise CommandError(f"nobody signed in at event {args.event}, so nobody writes")
        batch = letter_batch(
            db,
            args.ua,
            writer_ids,
            letter_date=args.date,
            template=template,
            templates_by_language=by_language,
            envelopes=EnvelopeStyle(args.envelopes),
            label_layout=args.layout,
            print_copies=args.copies,
        )
        documents = render_letters(batch, _page_size(args, db))
        extra: dict[str, Any] = {
            "letters": documents.letter_count,
            "copies": documents.copy_count,
            "writers": len(batch.writers),
            "letters_per_writer": documents.letters_per_writer,
        }
        if documents.envelopes is not None:
            envelope_path = path.with_name(path.stem + "-envelopes.pdf")
            written = _written(documents.envelopes, envelope_path)
            extra["envelopes_path"] = written["path"]
            extra["envelope_pages"] = written["pages"]
            envelope_warnings = written["warnings"]
        else:
            envelope_warnings = []
        result = _written(documents.letters, path, **extra)
        result["warnings"] += envelope_warnings
        return result

    return _run(args, work)


def cmd_labels(args: argparse.Namespace) -> dict[str, Any]:
    from desktop_app.printing.labels import render_calibration, render_labels
    from desktop_app.services.printing_data import mailing_labels

    def work(db: Database, path: Path) -> dict[str, Any]:
        if args.calibration:
            result = render_calibration(
                args.layout, offset_x_mm=args.offset_x, offset_y_mm=args.offset_y
            )
            return _written(result, path, layout=args.layout, calibration=True)
        run = mailing_labels(db, roster_filter(args), household=args.household)
        if not run.labels:
            left = ", ".join(
                f"{count} {why.replace('_', ' ')}" for why, count in run.left_out.items()
            )
            raise CommandError(
                "nobody to print a label for" + (f" (left out: {left})" if left else "")
            )
        result = render_labels(
            run.labels,
            args.layout,
            offset_x_mm=args.offset_x,
            offset_y_mm=args.offset_y,
            first_position=args.first,
        )
        return _written(
            result,
            path,
            layout=args.layout,
            labels=len(run.labels),
            people=run.people,
            households_merged=run.households_merged,
            left_out=run.left_out,
        )

    return _run(args, work)


def cmd_roster(args: argparse.Namespace) -> dict[str, Any]:
    from desktop_app.printing.lists import render_contact_list
    from desktop_app.services.printing_data import contact_list_data

    title = "Phone list" if args.phone_list else "Roster"
    parts = [args.status.capitalize() + "s" if args.status else "", args.tag or ""]
    subtitle = " · ".join(part for part in parts if part)

    def work(db: Database, path: Path) -> dict[str, Any]:
        data = contact_list_data(db, roster_filter(args), title=title, subtitle=subtitle)
        result = render_contact_list(data, _page_size(args, db))
        return _written(result, path, people=len(data.lines))

    return _run(args, work)


def cmd_attendance(args: argparse.Namespace) -> dict[str, Any]:
    from desktop_app.printing.lists import render_attendance
    from desktop_app.services.printing_data import attendance_data

    def work(db: Database, path: Path) -> dict[str, Any]:
        data = attendance_data(db, args.event)
        result = render_attendance(data, _page_size(args, db))
        return _written(result, path, people=len(data.entries))

    return _run(args, work)


def cmd_agenda(args: argparse.Namespace) -> dict[str, Any]:
    from desktop_app.printing.lists import render_agenda
    from desktop_app.services.printing_data import agenda_data

    def work(db: Database, path: Path) -> dict[str, Any]:
        data = agenda_data(db, args.event)
        result = render_agenda(data, _page_size(args, db))
        return _written(result, path, open_actions=len(data.open_actions))

    return _run(args, work)


def show(result: dict[str, Any]) -> None:
    pages = result["pages"]
    print(f"{result['path']}: {pages} page{'' if pages == 1 else 's'}")
    if "envelopes_path" in result:
        print(f"{result['envelopes_path']}: {result['envelope_pages']} pages (envelopes or labels)")
    for warning in result["warnings"]:
        print(f"warning: {warning}", file=sys.stderr)


# --- the parsers ------------------------------------------------------------------------


def _non_negative(text: str) -> int:
    return whole_number(text, 0)


def _millimetres(text: str) -> float:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of millimetres") from None


def _layout(text: str) -> str:
    for layout in LAYOUTS:
        if layout.lower() == text.strip().lower():
            return layout
    raise argparse.ArgumentTypeError(f"{text!r} is not one of {', '.join(LAYOUTS)}")


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add `groupdesk print ...` to the command line."""
    printing = commands.add_parser(
        "print", parents=[common], help="print flyers, sign-in sheets, letters, labels, lists"
    )
    actions = printing.add_subparsers(
        dest="print_command", metavar="DOCUMENT", parser_class=type(printing), required=True
    )

    def document(name: str, help_text: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = actions.add_parser(name, parents=[common], help=help_text)
        parser.add_argument(
            "-o", "--output", required=True, metavar="OUT.pdf", help="the PDF file to write"
        )
        parser.add_argument(
            "--page-size",
            choices=["letter", "a4"],
            help="paper size (default: the group's country's)",
        )
        return parser

    def people_filter(parser: argparse.ArgumentParser) -> None:
        add_roster_filter(parser, status_help="only people with this status")

    flyer = document("flyer", "an event's flyer with a QR code")
    flyer.add_argument("--event", type=positive_int, required=True, help="the event's id")
    flyer.add_argument("--qr", help="link or email in the QR code (default: the group's email)")
    flyer.add_argument("--image", help="a picture or logo (PNG or JPEG)")
    flyer.add_argument(
        "--strips", type=_non_negative, default=0, help="tear-off strips with the contact"
    )
    flyer.set_defaults(handler=cmd_flyer, show=show)

    sheet = document("signin-sheet", "an event's sign-in sheet")
    sheet.add_argument("--event", type=positive_int, required=True, help="the event's id")
    sheet.add_argument(
        "--expected",
        choices=["regulars", "filter", "none"],
        help="pre-filled rows: the series' regulars (default), a roster filter, or none",
    )
    people_filter(sheet)
    sheet.add_argument("--blank-rows", type=_non_negative, default=20, help="rows for newcomers")
    sheet.add_argument(
        "--show-details",
        action="store_true",
        help="print expected people's email and phone (otherwise 'on file')",
    )
    sheet.set_defaults(handler=cmd_signin_sheet, show=show)

    letters = document("ua-letters", "urgent action letters, one per writer and official")
    letters.add_argument("--ua", type=positive_int, required=True, help="the urgent action's id")
    letters.add_argument(
        "--writer", type=positive_int, action="append", help="a writer's person id (repeatable)"
    )
    letters.add_argument(
        "--event", type=positive_int, help="everyone who signed in at this event writes"
    )
    letters.add_argument("--template", help="a UTF-8 text file with the letter's template")
    letters.add_argument(
        "--template-for",
        nargs=2,
        action="append",
        metavar=("LANG", "FILE"),
        help="the template for officials whose language is LANG (repeatable)",
    )
    letters.add_argument(
        "--envelopes",
        choices=[style.value for style in _envelope_styles()],
        default="none",
        help="also print envelopes (#10) or address labels, to OUT-envelopes.pdf",
    )
    letters.add_argument("--layout", type=_layout, default="5160", help="label sheet for labels")
    letters.add_argument(
        "--copies", action="store_true", help="a copy of each letter for the representatives"
    )
    letters.add_argument("--date", type=iso_date, help="the letters' date (default: today)")
    letters.set_defaults(handler=cmd_ua_letters, show=show)

    labels = document("labels", "mailing labels for people who agreed to post")
    people_filter(labels)
    labels.add_argument("--layout", type=_layout, default="5160", help=", ".join(LAYOUTS))
    labels.add_argument(
        "--household", action="store_true", help="one label per address (household)"
    )
    labels.add_argument(
        "--offset-x", type=_millimetres, default=0.0, help="move right by MM (negative: left)"
    )
    labels.add_argument(
        "--offset-y", type=_millimetres, default=0.0, help="move down by MM (negative: up)"
    )
    labels.add_argument(
        "--first", type=positive_int, default=1, help="start at this label of a part-used sheet"
    )
    labels.add_argument(
        "--calibration", action="store_true", help="print the calibration grid instead"
    )
    labels.set_defaults(handler=cmd_labels, show=show)

    roster = document("roster", "the roster or phone list, with the consent people gave")
    people_filter(roster)
    roster.add_argument("--phone-list", action="store_true", help="title it 'Phone list'")
    roster.set_defaults(handler=cmd_roster, show=show)

    attendance = document("attendance", "who came to an event")
    attendance.add_argument("--event", type=positive_int, required=True, help="the event's id")
    attendance.set_defaults(handler=cmd_attendance, show=show)

    agenda = document("agenda", "a meeting agenda with the open urgent actions")
    agenda.add_argument("--event", type=positive_int, help="the meeting's id")
    agenda.set_defaults(handler=cmd_agenda, show=show)


def _envelope_styles() -> list[Any]:
    from desktop_app.printing.data import EnvelopeStyle

    return list(EnvelopeStyle)
