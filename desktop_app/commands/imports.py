"""`groupdesk import PATH` and `groupdesk imports list|undo`: lists from elsewhere.

    groupdesk import PATH [--dry-run] [--tag T] [--event ID] [--encoding E] [--sheet S]
    groupdesk imports list
    groupdesk imports undo BATCH_ID

``import`` reads a CSV, XLSX, ODS or XLS list, maps its columns from their headers
(as the Import dialog guesses them) and imports it in one transaction; with --json it
prints {"rows", "added", "matched", "updated", "needs_review", "rejected",
"rejects_file"} and then "batch_id" (null on a dry run), "dry_run", "flagged" and
"signed_in". A file that cannot be read, or whose columns name nobody, exits 1 with
one line naming the file, and the database is unchanged. Undoing is a command of its
own (``imports undo``), so that no file name can ever be taken for a batch number.
The rules are those of services.importer.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desktop_app.cli import CommandError, open_db


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be 1 or more")
    return value


def cmd_import(args: argparse.Namespace) -> dict[str, Any]:
    from desktop_app.exports.people_file import PeopleFileError
    from desktop_app.services.importer import ImportFailed, ImportPlan, import_people

    path = Path(args.path).expanduser()
    db = open_db(args)
    try:
        result = import_people(
            db,
            path,
            encoding=args.encoding,
            sheet=args.sheet,
            tag=args.tag,
            event_id=args.event,
            dry_run=args.dry_run,
        )
    except (PeopleFileError, ImportFailed) as exc:
        raise CommandError(str(exc)) from exc
    finally:
        db.close()
    if isinstance(result, ImportPlan):
        return {
            **result.counts.as_dict(),
            "rejects_file": None,
            "batch_id": None,
            "dry_run": True,
            "flagged": result.flagged,
            "signed_in": 0,
            "previously_imported": result.previously_imported.isoformat()
            if result.previously_imported
            else None,
        }
    return {**result.as_dict(), "dry_run": False}


def _show_import(result: dict[str, Any]) -> None:
    verb = "would add" if result["dry_run"] else "added"
    print(
        f"{result['rows']} rows: {verb} {result['added']}, matched {result['matched']} "
        f"({result['updated']} updated), {result['needs_review']} to review, "
        f"{result['rejected']} rejected"
    )
    if result["rejects_file"]:
        print(f"rejected rows: {result['rejects_file']}")
    if result.get("previously_imported"):
        print(f"this file was imported before, on {result['previously_imported'][:10]}")
    if result["batch_id"] is not None:
        print(f"to undo: groupdesk imports undo {result['batch_id']}", file=sys.stderr)


def cmd_list(args: argparse.Namespace) -> dict[str, Any]:
    from desktop_app.services.importer import list_import_batches

    db = open_db(args)
    try:
        batches = list_import_batches(db)
    finally:
        db.close()
    return {
        "imports": [
            {
                "batch_id": batch.id,
                "file_name": batch.file_name,
                "imported_at": batch.imported_at.isoformat(),
                "rows": batch.rows,
                "added": batch.added,
                "matched": batch.matched,
                "updated": batch.updated,
                "rejected": batch.rejected,
                "undone_at": batch.undone_at.isoformat() if batch.undone_at else None,
                "rejects_file": str(batch.rejects_file) if batch.rejects_file else None,
            }
            for batch in batches
        ]
    }


def _show_list(result: dict[str, Any]) -> None:
    for batch in result["imports"]:
        state = f"undone {batch['undone_at'][:10]}" if batch["undone_at"] else ""
        print(
            "\t".join(
                [
                    str(batch["batch_id"]),
                    batch["imported_at"][:16].replace("T", " "),
                    batch["file_name"],
                    f"{batch['rows']} rows, {batch['added']} added",
                    state,
                    f"rows not taken: {batch['rejects_file']}" if batch["rejects_file"] else "",
                ]
            ).rstrip()
        )
    count = len(result["imports"])
    print(f"{count} import{'' if count == 1 else 's'}", file=sys.stderr)


def cmd_undo(args: argparse.Namespace) -> dict[str, Any]:
    from desktop_app.services.importer import ImportFailed, undo_import

    db = open_db(args)
    try:
        summary = undo_import(db, args.batch_id)
    except ImportFailed as exc:
        raise CommandError(str(exc)) from exc
    finally:
        db.close()
    return summary.as_dict()


def _show_undo(result: dict[str, Any]) -> None:
    print(
        f"import {result['batch_id']} ({result['file_name']}) undone: "
        f"{result['removed']} moved to the trash, {result['restored']} fields restored"
    )
    if result["kept"]:
        print(
            f"kept on the roster (worked with since): {', '.join(result['kept_names'])}",
            file=sys.stderr,
        )
    if result["left"]:
        print(f"{result['left']} fields changed since were left as they are", file=sys.stderr)


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    parser_class = type(common)
    importing = commands.add_parser(
        "import",
        parents=[common],
        help="import people from a CSV, XLSX or ODS list",
        description="People already on the roster (same email or phone, or the same name "
        "and postal code) get their empty fields filled; likely duplicates are added and "
        "listed on the Review page; rows naming nobody go to a rejects file.",
    )
    importing.add_argument("path", help="the list to import (.csv, .xlsx, .ods, .xls)")
    importing.add_argument(
        "--dry-run", action="store_true", help="only count what would happen; change nothing"
    )
    importing.add_argument("--tag", help="give everyone in the list this tag")
    importing.add_argument(
        "--event", type=_positive, help="sign everyone in the list in at this event (its id)"
    )
    importing.add_argument("--encoding", help="the CSV's encoding, when the guess is wrong")
    importing.add_argument("--sheet", help="the workbook's sheet to read (default: the first)")
    importing.set_defaults(handler=cmd_import, show=_show_import)

    batches = commands.add_parser(
        "imports", parents=[common], help="list earlier imports, or undo one"
    )
    actions = batches.add_subparsers(
        dest="imports_command", metavar="ACTION", parser_class=parser_class, required=True
    )
    listing = actions.add_parser("list", parents=[common], help="every import, newest first")
    listing.set_defaults(handler=cmd_list, show=_show_list)
    undo = actions.add_parser(
        "undo",
        parents=[common],
        help="undo an import: its people to the trash, the fields it filled restored",
    )
    undo.add_argument("batch_id", type=_positive, help="the import's number (see imports list)")
    undo.set_defaults(handler=cmd_undo, show=_show_undo)


__all__ = ["register"]
