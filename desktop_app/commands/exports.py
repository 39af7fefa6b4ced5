"""`groupdesk export ...`: the treasurer's workbook, the roster and lists, attendance.

    groupdesk export treasurer PATH.xlsx [--year Y]
    groupdesk export roster PATH.xlsx|.csv [--status S] [--tag T]
                            [--mailing-list | --email-list | --phone-list]
    groupdesk export attendance EVENT_ID PATH.xlsx|.csv

With --json each prints one object: {"path", "rows", ...}. Who is in a roster file and
which details are left out follows services.people_export (consent rules per kind).
Files are written under a temporary name and appear only when complete.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from desktop_app.cli import (
    CommandError,
    add_roster_filter,
    open_db,
    roster_filter,
    whole_number,
)
from desktop_app.db import Database

_Result = TypeVar("_Result")


def _destination(text: str, suffixes: tuple[str, ...]) -> Path:
    path = Path(text).expanduser()
    if path.suffix.lower() not in suffixes:
        raise CommandError(f"{path}: the file name must end in {' or '.join(suffixes)}")
    if path.is_dir():
        raise CommandError(f"{path}: is a folder; give a file name")
    if not path.parent.is_dir():
        raise CommandError(f"{path.parent}: no such folder")
    return path


def _run(
    args: argparse.Namespace,
    path: Path,
    work: Callable[[Database], _Result],
    not_written: tuple[type[Exception], ...],
    refused: tuple[type[Exception], ...] = (),
) -> _Result:
    """Open the database and do the work: a refusal (refused) is one line of its own
    words, a service error of not_written or a file error names the file not written."""
    failures: tuple[type[Exception], ...] = (*not_written, OSError)
    db = open_db(args)
    try:
        return work(db)
    except refused as exc:
        raise CommandError(str(exc)) from exc
    except failures as exc:
        raise CommandError(f"{path}: not written ({exc})") from exc
    finally:
        db.close()


def _written(result: Any, **extra: Any) -> dict[str, Any]:
    """The JSON object of a written file: {"path", "rows", ...extra}."""
    return {"path": str(result.path.resolve()), "rows": result.rows} | extra


def cmd_treasurer(args: argparse.Namespace) -> dict[str, Any]:
    from desktop_app.services.ledger import LedgerError, export_treasurer

    path = _destination(args.path, (".xlsx",))
    result = _run(args, path, lambda db: export_treasurer(db, path, args.year), (LedgerError,))
    counts = {key: value for key, value in result.counts.items() if key != "transactions"}
    return _written(result, year=args.year, **counts)


def cmd_roster(args: argparse.Namespace) -> dict[str, Any]:
    from desktop_app.services.people_export import ExportError, ListKind, export_people

    path = _destination(args.path, (".xlsx", ".csv"))
    kind: ListKind = "roster"
    if args.mailing_list:
        kind = "mail"
    elif args.email_list:
        kind = "email"
    elif args.phone_list:
        kind = "phone"
    flt = roster_filter(args)
    result = _run(args, path, lambda db: export_people(db, path, flt, kind), (ExportError,))
    return _written(result, kind=result.kind, left_out=result.left_out)


def cmd_attendance(args: argparse.Namespace) -> dict[str, Any]:
    from desktop_app.services.events import EventError
    from desktop_app.services.people_export import ExportError, export_attendance_file

    path = _destination(args.path, (".xlsx", ".csv"))
    result = _run(
        args,
        path,
        lambda db: export_attendance_file(db, args.event_id, path),
        (ExportError,),
        refused=(EventError,),
    )
    hidden = result.left_out.get("details_hidden", 0)
    return _written(result, event_id=args.event_id, details_hidden=hidden)


def _show(result: dict[str, Any]) -> None:
    rows = result["rows"]
    print(result["path"])
    noun = "row" if rows == 1 else "rows"
    extra = ""
    left_out = result.get("left_out") or {}
    if left_out:
        words = ", ".join(f"{key.replace('_', ' ')}: {count}" for key, count in left_out.items())
        extra = f"; left out: {words}"
    print(f"{rows} {noun} written{extra}", file=sys.stderr)


def _year(text: str) -> int:
    return whole_number(text, 1900, 9999, wrong="is not a year like 2026")


def _event_id(text: str) -> int:
    return whole_number(text, wrong="is not an event id (a number)")


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    export = commands.add_parser(
        "export", parents=[common], help="write the treasurer's workbook, the roster or lists"
    )
    exports = export.add_subparsers(
        dest="export_command", metavar="WHAT", parser_class=type(export), required=True
    )

    treasurer = exports.add_parser(
        "treasurer", parents=[common], help="the treasurer's workbook (.xlsx)"
    )
    treasurer.add_argument("path", help="the workbook to write (.xlsx)")
    treasurer.add_argument(
        "--year", type=_year, help="only this calendar year (default: the whole ledger)"
    )
    treasurer.set_defaults(handler=cmd_treasurer, show=_show)

    roster = exports.add_parser(
        "roster",
        parents=[common],
        help="the roster, or a mailing, email or phone list (.xlsx or .csv)",
        description="The roster lists everyone the filter shows; a do-not-contact person's "
        "email, phone and street address are left out. The lists hold only people who "
        "agreed to that kind of contact (mail, email or phone) and are not do-not-contact.",
    )
    roster.add_argument("path", help="the file to write (.xlsx or .csv)")
    add_roster_filter(roster)
    kinds = roster.add_mutually_exclusive_group()
    kinds.add_argument(
        "--mailing-list",
        action="store_true",
        help="postal addresses of those who agreed to post (mail OK)",
    )
    kinds.add_argument(
        "--email-list", action="store_true", help="email addresses of those who agreed to email"
    )
    kinds.add_argument(
        "--phone-list", action="store_true", help="phone numbers of those who agreed to calls"
    )
    roster.set_defaults(handler=cmd_roster, show=_show)

    attendance = exports.add_parser(
        "attendance", parents=[common], help="who came to an event (.xlsx or .csv)"
    )
    attendance.add_argument("event_id", type=_event_id, help="the event's id")
    attendance.add_argument("path", help="the file to write (.xlsx or .csv)")
    attendance.set_defaults(handler=cmd_attendance, show=_show)


__all__ = ["register"]
