"""Exports started from the window: the treasurer's workbook and the people lists.

File > Export and the Treasurer page share these. Each asks where to save (the
folder is remembered), then writes off the GUI thread with a progress dialog that
appears only for slow work and can be cancelled (the file then never appears).
Where to save is asked through save_paths; ``ask_workbook_year`` is a module function
so tests can answer it without a dialog.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from desktop_app.db import Database
from desktop_app.services.group import get_profile
from desktop_app.services.ledger import ExportResult, export_treasurer_steps, ledger_years
from desktop_app.services.people_export import ListKind, PeopleExportResult, export_people_steps
from desktop_app.tasks.runner import ProgressText, Task, run_task
from desktop_app.views.base_dialog import open_warning
from desktop_app.views.ledger_dialogs import WorkbookYearDialog
from desktop_app.views.save_paths import ask_export_path

Report = Callable[[str], None]
# Exports still writing; the window stops them (no file appears) before it closes the database.
_running: set[Task] = set()


def _tr(text: str) -> str:
    return QCoreApplication.translate("Exports", text)


def ask_workbook_year(parent: QWidget, years: list[int]) -> tuple[bool, int | None]:
    """(chosen, year): the year the workbook covers, None for all years."""
    dialog = WorkbookYearDialog(years, parent)
    try:
        if dialog.exec() != WorkbookYearDialog.DialogCode.Accepted:
            return False, None
        return True, dialog.chosen_year()
    finally:
        dialog.deleteLater()


def _group_stem(db: Database) -> str:
    profile = get_profile(db)
    name = profile.name if profile is not None else ""
    return re.sub(r"[^\w]+", "-", name.casefold()).strip("-_")[:50] or "group"


def _ask(parent: QWidget, title: str, stem: str, suffixes: tuple[str, ...]) -> Path | None:
    filters = {
        ".xlsx": _tr("Excel workbook (*.xlsx)"),
        ".csv": _tr("CSV, comma-separated (*.csv)"),
    }
    return ask_export_path(parent, title, stem, {suffix: filters[suffix] for suffix in suffixes})


def _failed(parent: QWidget, report: Report, what: str, error: BaseException) -> None:
    message = _tr("{what} was not written: {problem}").format(what=what, problem=error)
    report(message)
    open_warning(parent, _tr("Export"), message)


def _track(task: Task) -> Task:
    _running.add(task)
    task.finished.connect(lambda: _running.discard(task))
    return task


def stop_running_exports() -> None:
    """Cancel every export still writing and wait for it: its file never appears."""
    for task in list(_running):
        if task.is_running():
            task.cancel()
            task.wait()
        _running.discard(task)


def start_treasurer_export(
    parent: QWidget, db: Database, path: Path, year: int | None, report: Report
) -> Task:
    """Write the treasurer's workbook to path in the background; report says how it went."""
    return _track(
        run_task(
            lambda: export_treasurer_steps(db, path, year),
            parent=parent,
            title=_tr("Writing the treasurer's workbook"),
            describe=lambda done: ProgressText(_tr("Writing ledger lines…"), done, 0),
            on_success=lambda result: _treasurer_done(report, result),
            on_failure=lambda error: _failed(parent, report, _tr("The workbook"), error),
            on_cancel=lambda: report(_tr("Export stopped; no workbook was written.")),
        )
    )


def _treasurer_done(report: Report, result: ExportResult) -> None:
    report(
        _tr("Saved the treasurer's workbook ({count} ledger lines): {path}").format(
            count=result.rows, path=result.path
        )
    )


def export_treasurer_workbook(parent: QWidget, db: Database, report: Report) -> Task | None:
    """Ask for the year and the file, then write the workbook (None if the user cancelled)."""
    chosen, year = ask_workbook_year(parent, ledger_years(db))
    if not chosen:
        return None
    stem = f"{_group_stem(db)}-treasurer-{year if year is not None else 'all-years'}"
    path = _ask(parent, _tr("Export the treasurer's workbook"), stem, (".xlsx",))
    if path is None:
        return None
    return start_treasurer_export(parent, db, path, year, report)


PEOPLE_TITLES: dict[ListKind, str] = {
    "roster": "Export the roster",
    "mail": "Export a mailing list (postal addresses)",
    "email": "Export an email list",
    "phone": "Export a phone list",
}
PEOPLE_STEMS: dict[ListKind, str] = {
    "roster": "roster",
    "mail": "mailing-list",
    "email": "email-list",
    "phone": "phone-list",
}


def start_people_export(
    parent: QWidget, db: Database, path: Path, kind: ListKind, report: Report
) -> Task:
    return _track(
        run_task(
            lambda: export_people_steps(db, path, kind=kind),
            parent=parent,
            title=_tr("Writing the list"),
            describe=lambda done: ProgressText(_tr("Writing people…"), done, 0),
            on_success=lambda result: _people_done(report, result),
            on_failure=lambda error: _failed(parent, report, _tr("The list"), error),
            on_cancel=lambda: report(_tr("Export stopped; no file was written.")),
        )
    )


def _people_done(report: Report, result: PeopleExportResult) -> None:
    text = _tr("Saved {count} people to {path}").format(count=result.rows, path=result.path)
    left_out = sum(result.left_out.values())
    if left_out:
        text += " " + _tr("({count} left out: no consent, do not contact or no details)").format(
            count=left_out
        )
    report(text)


def export_people_list(
    parent: QWidget, db: Database, kind: ListKind, report: Report
) -> Task | None:
    """Ask for the file (.xlsx or .csv), then write the list (None if cancelled)."""
    stem = f"{_group_stem(db)}-{PEOPLE_STEMS[kind]}-{date.today().isoformat()}"
    path = _ask(parent, _tr(PEOPLE_TITLES[kind]), stem, (".xlsx", ".csv"))
    if path is None:
        return None
    return start_people_export(parent, db, path, kind, report)


__all__ = [
    "ask_workbook_year",
    "export_people_list",
    "export_treasurer_workbook",
    "start_people_export",
    "start_treasurer_export",
    "stop_running_exports",
]
