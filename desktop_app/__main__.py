"""The `groupdesk` entry point: the window by default, a sub-command when one is given.

`groupdesk` and `groupdesk --db FILE` open the window; anything else on the command
line (a command such as `demo`, or `--help`) goes to the command-line interface.
Both are imported only once it is known which one is wanted, so the command line
never loads Qt and the window never loads argparse's sub-commands.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import NoReturn


def gui_database_option(argv: list[str]) -> tuple[bool, str | None]:
    """(True, --db value) when argv holds nothing but --db options; (False, None) otherwise."""
    db_target: str | None = None
    index = 0
    while index < len(argv):
        argument = argv[index]
        if argument == "--db" and index + 1 < len(argv):
            db_target = argv[index + 1]
            index += 2
        elif argument.startswith("--db="):
            db_target = argument.removeprefix("--db=")
            index += 1
        else:
            return False, None
    return True, db_target


def main(argv: list[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    is_gui, db_target = gui_database_option(arguments)
    if not is_gui:
        from desktop_app import cli

        return cli.main(arguments)
    # Start-up allocates a great many long-lived objects (Qt bindings, SQLAlchemy, the
    # models) and the cyclic collector would walk them again and again while they load:
    # it is paused until the window is shown, then those objects are frozen out of its
    # reach (run_gui), so later collections are shorter too.
    gc.disable()
    from desktop_app.app import run_gui

    return run_gui(db_target)


def run() -> NoReturn:
    """`groupdesk` as installed, and `python -m desktop_app`: main(), then leave."""
    arguments = sys.argv[1:]
    code = main(arguments)
    if not gui_database_option(arguments)[0]:
        # A command has finished: its database is closed, its files are written and
        # closed, its output is printed. Leaving without the interpreter's tear-down of
        # every module and object saves about 0.3 s after a big command (the demo).
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    run()
