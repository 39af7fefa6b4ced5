"""The `groupdesk` command line: a stable interface for scripts, tests and volunteers.

`groupdesk [--db URL] COMMAND [options] [--json]`. Every command exits 0 on success and
non-zero with one clear line on stderr otherwise; with --json it prints exactly one
JSON object on stdout. The commands call the same services as the windows do.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from desktop_app import __version__, config
from desktop_app.db import (
    Database,
    DatabaseError,
    create_database,
    list_backups,
    make_backup,
    open_database,
    quick_check,
    restore_backup,
    sqlite_path_of,
)

if TYPE_CHECKING:
    from desktop_app.services.roster import RosterFilter

COMMAND_MODULES: tuple[str, ...] = (
    "desktop_app.commands.exports",
    "desktop_app.commands.printing",
    "desktop_app.commands.imports",
)
"""Modules under desktop_app/commands/ that add sub-commands of their area.

Each has ``register(commands, common)``: it adds its parsers to ``commands`` (with
``parents=[common]``) and gives each leaf parser ``set_defaults(handler=..., show=...)``,
where ``handler(args) -> dict`` does the work and ``show(result)`` prints it without --json.
What every command module shares lives here, beside --db and the exit codes: raise
``CommandError`` for the one line on stderr; ``open_db(args)`` opens the database --db
names; ``add_roster_filter(parser)`` and ``roster_filter(args)`` give a command
``--status``/``--tag`` and turn them into a ``RosterFilter``; ``iso_date`` parses a day,
``whole_number`` and ``positive_int`` a number.
"""

STATUSES: tuple[str, ...] = ("member", "activist", "supporter", "prospect")
"""The values of models.PersonStatus, spelled out so that parsing needs no models import."""

EXIT_OK = 0
EXIT_FAILED = 1  # the command ran into bad data or a bad file
EXIT_USAGE = 2  # the command line itself was wrong


class CommandError(Exception):
    """A failure to report as one line on stderr."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr, as the contract says."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"groupdesk: {message} (see groupdesk --help)\n")
        raise SystemExit(EXIT_USAGE)


def _common_options() -> _Parser:
    """--db and --json are accepted before or after the command name."""
    common = _Parser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, help="database file or SQLAlchemy URL")
    common.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="print one JSON object"
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common_options()
    parser = _Parser(
        prog="groupdesk",
        description="Group Desk: the roster, sign-in, printing and spreadsheets of a local group. "
        "With no command, the window opens.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"groupdesk {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    demo = commands.add_parser(
        "demo", parents=[common], help="fill a new database with realistic demo data"
    )
    demo.add_argument("--people", type=positive_int, default=300, help="how many people")
    demo.add_argument("--seed", type=int, default=1, help="the same seed gives the same data")

    roster = commands.add_parser("roster", parents=[common], help="the group roster")
    roster_commands = roster.add_subparsers(
        dest="roster_command", metavar="ACTION", parser_class=_Parser, required=True
    )
    listing = roster_commands.add_parser("list", parents=[common], help="list people")
    listing.add_argument("--search", default="", help="names, email, phone or postal code")
    add_roster_filter(listing)
    listing.add_argument("--limit", type=positive_int, help="at most this many people")
    listing.add_argument("--trash", action="store_true", help="list removed people instead")

    commands.add_parser(
        "check", parents=[common], help="check the database file for damage (integrity check)"
    )
    backup = commands.add_parser("backup", parents=[common], help="copy the database safely")
    backup.add_argument(
        "path", nargs="?", help="where to write the copy (default: the backups folder)"
    )
    restore = commands.add_parser(
        "restore", parents=[common], help="replace the database with a backup"
    )
    restore.add_argument("path", help="the backup file to restore")

    bundle = commands.add_parser(
        "bundle", parents=[common], help="sign-ups of several laptops: export one, merge another"
    )
    bundle_commands = bundle.add_subparsers(
        dest="bundle_command", metavar="ACTION", parser_class=_Parser, required=True
    )
    bundle_export = bundle_commands.add_parser(
        "export", parents=[common], help="write this laptop's sign-ups to one file"
    )
    bundle_export.add_argument("path", help="the bundle file to write")
    bundle_export.add_argument("--event", type=positive_int, help="only this event (its id)")
    bundle_export.add_argument(
        "--since", type=iso_date, help="only sign-ins from this day on (YYYY-MM-DD)"
    )
    bundle_merge = bundle_commands.add_parser(
        "merge", parents=[common], help="merge a bundle written on another laptop"
    )
    bundle_merge.add_argument("path", help="the bundle file to merge")
    bundle_merge.add_argument(
        "--other-group",
        action="store_true",
        help="merge it even though it comes from another group's database",
    )
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(commands, common)
    return parser


def whole_number(text: str, least: int = 1, most: int | None = None, *, wrong: str = "") -> int:
    """The argparse check of a whole number from least to most (no top when None).

    A refusal quotes the text, then says wrong when given ("is not a year like 2026"),
    else "is not a whole number" or "must be <least> or more".
    """
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} {wrong or 'is not a whole number'}") from None
    if value < least or (most is not None and value > most):
        raise argparse.ArgumentTypeError(f"{text!r} {wrong or f'must be {least} or more'}")
    return value


def positive_int(text: str) -> int:
    """An argparse type: a whole number of 1 or more."""
    return whole_number(text)


def iso_date(text: str) -> date:
    """An argparse type: a day written YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-05-16") from None


def _target(args: argparse.Namespace) -> str:
    """The database to open: --db, else $GROUPDESK_DB, else the default file."""
    return config.database_target(getattr(args, "db", None))


def open_db(args: argparse.Namespace) -> Database:
    """Open the database --db names (migrating it if it is older); the caller closes it."""
    return open_database(_target(args))


def add_roster_filter(
    parser: argparse.ArgumentParser, *, status_help: str = "only this status"
) -> None:
    """--status and --tag, which narrow the people a command works on (see roster_filter)."""
    parser.add_argument("--status", choices=STATUSES, help=status_help)
    parser.add_argument("--tag", help="only people with this tag")


def roster_filter(args: argparse.Namespace, *, in_trash: bool = False) -> RosterFilter:
    """The roster filter that --status and --tag (add_roster_filter) ask for."""
    from desktop_app.models import PersonStatus
    from desktop_app.services.roster import RosterFilter

    return RosterFilter(
        statuses=frozenset({PersonStatus(args.status)}) if args.status else frozenset(),
        tag=args.tag,
        in_trash=in_trash,
    )


# --- commands ---------------------------------------------------------------------------


def _file_of(args: argparse.Namespace) -> Path:
    target = _target(args)
    path = sqlite_path_of(target)
    if path is None:
        raise CommandError(
            f"{target}: backups of a server database are made with the server's own tools"
        )
    return path


def cmd_demo(args: argparse.Namespace) -> dict[str, Any]:
    from desktop_app.services.demo import create_demo

    target = _target(args)
    path = sqlite_path_of(target)
    started = time.perf_counter()
    if path is not None and not path.exists():
        db = create_database(target)
    else:
        db = open_database(target, create=True)
    try:
        summary = create_demo(db, people=args.people, seed=args.seed)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    finally:
        db.close()
    counts = summary if isinstance(summary, dict) else vars(summary)
    return {
        "database": db.display_name,
        "people": args.people,
        "seed": args.seed,
        "seconds": round(time.perf_counter() - started, 3),
        "tables": counts,
    }


def cmd_roster_list(args: argparse.Namespace) -> dict[str, Any]:
    from desktop_app.services.roster import fetch_rows, search_person_ids

    flt = roster_filter(args, in_trash=args.trash)
    db = open_db(args)
    try:
        ids = search_person_ids(db, args.search, flt)
        shown = ids[: args.limit] if args.limit else ids
        rows = fetch_rows(db, shown)
    finally:
        db.close()
    people = [
        {
            "id": row.id,
            "uid": row.uid,
            "given_name": row.given_name,
            "family_name": row.family_name,
            "preferred_name": row.preferred_name,
            "email": row.email,
            "phone": row.phone,
            "postal_code": row.postal_code,
            "status": row.status.value,
            "ladder_stage": row.ladder_stage.value,
            "joined_via": row.joined_via.value,
            "roles": list(row.roles),
            "tags": list(row.tags),
            "dues": row.dues_state(),
            "dues_paid_through": row.dues_paid_through.isoformat()
            if row.dues_paid_through
            else None,
            "email_ok": row.email_ok,
            "phone_ok": row.phone_ok,
            "mail_ok": row.mail_ok,
            "do_not_contact": row.do_not_contact,
            "needs_review": row.needs_review,
        }
        for row in rows
    ]
    return {"count": len(ids), "people": people}


def _print_roster(result: dict[str, Any]) -> None:
    for person in result["people"]:
        name = " ".join(p for p in (person["given_name"], person["family_name"]) if p)
        roles = ", ".join(person["roles"])
        line = "\t".join([name, person["email"], person["phone"], person["postal_code"], roles])
        print(line.rstrip())
    shown = len(result["people"])
    total = result["count"]
    more = f" (showing {shown})" if shown != total else ""
    print(f"{total} {'person' if total == 1 else 'people'}{more}", file=sys.stderr)


def cmd_check(args: argparse.Namespace) -> dict[str, Any]:
    target = _target(args)
    path = sqlite_path_of(target)
    if path is None:
        db = open_database(target, migrate=False)
        db.close()
        return {"database": target, "ok": True, "problems": []}
    if not path.exists():
        raise CommandError(f"{path}: no such database file")
    problems = quick_check(path, full=True)
    result = {"database": str(path), "ok": not problems, "problems": problems[:50]}
    if problems:
        result["backups"] = [str(p) for p in list_backups(path)[:3]]
    return result


def cmd_backup(args: argparse.Namespace) -> dict[str, Any]:
    path = _file_of(args)
    if not path.exists():
        raise CommandError(f"{path}: no such database file")
    # Opening first proves the file is a sound Group Desk database worth copying.
    open_database(str(path), migrate=False).close()
    destination = Path(args.path) if args.path else None
    written = make_backup(path, destination, reason="manual")
    return {"database": str(path), "path": str(written), "bytes": written.stat().st_size}


def cmd_restore(args: argparse.Namespace) -> dict[str, Any]:
    path = _file_of(args)
    safety = restore_backup(Path(args.path), path)
    db = open_database(str(path))  # brings an older backup up to date, with its own backup
    db.close()
    return {
        "database": str(path),
        "restored_from": str(Path(args.path).resolve()),
        "previous_copy": str(safety) if safety else None,
    }


def cmd_bundle_export(args: argparse.Namespace) -> dict[str, Any]:
    from desktop_app.services.bundles import BundleError, export_bundle

    db = open_db(args)
    try:
        result = export_bundle(db, Path(args.path), event_id=args.event, since=args.since)
    except BundleError as exc:
        raise CommandError(str(exc)) from exc
    finally:
        db.close()
    return {
        "path": str(result.path.resolve()),
        "people": result.people,
        "signins": result.signins,
        "events": result.events,
        "bundle_uid": result.bundle_uid,
    }


def cmd_bundle_merge(args: argparse.Namespace) -> dict[str, Any]:
    from desktop_app.services.bundles import (
        BundleError,
        BundleFromOtherGroup,
        merge_bundle,
        read_bundle,
    )

    try:
        # The file is checked before the database is even opened: a bad file touches nothing.
        bundle = read_bundle(Path(args.path))
    except BundleError as exc:
        raise CommandError(str(exc)) from exc
    db = open_db(args)
    try:
        summary = merge_bundle(db, bundle, allow_other_group=args.other_group)
    except BundleFromOtherGroup as exc:
        raise CommandError(f"{exc}; to merge it anyway, add --other-group") from exc
    except BundleError as exc:
        raise CommandError(str(exc)) from exc
    finally:
        db.close()
    return dict(summary.counts())


Handler = Callable[[argparse.Namespace], dict[str, Any]]


def print_plain(result: dict[str, Any]) -> None:
    """The default way a command's result is shown without --json: one `key: value` a line."""
    for key, value in result.items():
        print(f"{key}: {value}")


def _handler_for(args: argparse.Namespace) -> tuple[Handler, Callable[[dict[str, Any]], None]]:
    plain = print_plain
    registered: Handler | None = getattr(args, "handler", None)
    if registered is not None:
        return registered, getattr(args, "show", plain)
    if args.command == "roster":
        return cmd_roster_list, _print_roster
    if args.command == "bundle":
        bundle_handlers: dict[str, Handler] = {
            "export": cmd_bundle_export,
            "merge": cmd_bundle_merge,
        }
        return bundle_handlers[args.bundle_command], plain
    handlers: dict[str, Handler] = {
        "demo": cmd_demo,
        "check": cmd_check,
        "backup": cmd_backup,
        "restore": cmd_restore,
    }
    return handlers[args.command], plain


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.command is None:
        from desktop_app.app import run_gui

        return run_gui(getattr(args, "db", None))
    handler, show = _handler_for(args)
    try:
        result = handler(args)
    except (CommandError, DatabaseError) as exc:
        sys.stderr.write(f"groupdesk: {exc}\n")
        return EXIT_FAILED
    except KeyboardInterrupt:
        sys.stderr.write("groupdesk: interrupted; nothing was half-written\n")
        return EXIT_FAILED
    try:
        if getattr(args, "json", False):
            print(json.dumps(result, ensure_ascii=False, default=str))
        else:
            show(result)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`groupdesk ... | head`): the work is done and saved; say
        # nothing more, and keep Python from complaining about stdout as it exits.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if args.command == "check" and not result["ok"]:
        sys.stderr.write(f"groupdesk: {result['database']}: damaged ({result['problems'][0]})\n")
        return EXIT_FAILED
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
