"""Starting Group Desk's window: the QApplication, which database to open, the first run.

``run_gui(db_target)`` is what ``groupdesk`` without a command calls. It decides the
database (``--db``, then ``$GROUPDESK_DB``, then the default file in the data folder);
when that is the default file and it does not exist yet, this is the very first
start: the group profile dialog creates the group's database, or opens a demo group
to look around in. A database already open in another Group Desk is not touched: the
other window is asked to come forward and this start ends quietly.

Only Qt and the database layer are imported here; printing, spreadsheets and charts
load when first used, so the window appears quickly.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, Qt, QTimer, QTranslator
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app import __version__, config
from desktop_app.db import Database, DatabaseError, create_database
from desktop_app.views.group_profile_dialog import GroupProfileDialog
from desktop_app.views.main_window import (
    AlreadyOpenElsewhere,
    DatabaseLock,
    MainWindow,
    OpenedDatabase,
    OpenOutcome,
    ask_running_instance_to_raise,
    lock_database,
    lock_path_for,
    open_interactively,
    server_name_for,
    show_already_open,
    show_open_error,
)

__all__ = [
    "DEMO_PEOPLE",
    "AlreadyOpenElsewhere",
    "DatabaseLock",
    "OpenOutcome",
    "OpenedDatabase",
    "ask_running_instance_to_raise",
    "configure_application",
    "demo_database_path",
    "install_translators",
    "is_first_run",
    "lock_database",
    "lock_path_for",
    "open_demo",
    "open_initial_database",
    "run_first_run",
    "run_gui",
    "server_name_for",
]

DEMO_PEOPLE = 300
DEMO_SEED = 1


STARTUP_PROBE_ENV = "GROUPDESK_STARTUP_PROBE"


def resource_dirs() -> list[Path]:
    """Where icons and translations may be: inside the package, then beside it."""
    package = Path(__file__).resolve().parent
    return [package / "resources", package.parent / "resources"]


def app_icon() -> QIcon | None:
    for folder in resource_dirs():
        for name in ("groupdesk.svg", "groupdesk.png", "groupdesk.ico"):
            candidate = folder / "icons" / name
            if candidate.is_file():
                return QIcon(str(candidate))
    if QIcon.hasThemeIcon("groupdesk"):
        return QIcon.fromTheme("groupdesk")
    return None


def install_translators(app: QCoreApplication, locale: QLocale | None = None) -> list[QTranslator]:
    """Qt's own and Group Desk's translations for the language, where they exist.

    locale defaults to the system's. No translation at all is fine: English is built in.
    """
    locale = locale if locale is not None else QLocale.system()
    sources = [(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath), "qtbase")]
    sources += [(str(folder / "translations"), "groupdesk") for folder in resource_dirs()]
    installed: list[QTranslator] = []
    loaded_prefixes: set[str] = set()
    for folder, prefix in sources:
        if prefix in loaded_prefixes or not Path(folder).is_dir():
            continue
        translator = QTranslator(app)
        if translator.load(locale, prefix, "_", folder):
            app.installTranslator(translator)
            installed.append(translator)
            loaded_prefixes.add(prefix)
    return installed


def configure_application(app: QApplication) -> None:
    """Names (QSettings keys off them), translations, icon."""
    QCoreApplication.setOrganizationName(config.APP_AUTHOR)
    QCoreApplication.setApplicationName(config.APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    QGuiApplication.setDesktopFileName("groupdesk")
    install_translators(app)
    QGuiApplication.setApplicationDisplayName(QCoreApplication.translate("GroupDesk", "Group Desk"))
    icon = app_icon()
    if icon is not None:
        app.setWindowIcon(icon)


def is_first_run(target: str) -> bool:
    """True when the database to open is the default file and it was never made."""
    default = config.default_database_path()
    return target == str(default) and not default.exists()


def demo_database_path() -> Path:
    return config.data_dir() / "demo.sqlite"


def _remove_database_files(path: Path) -> None:
    """Remove a database this start made a moment ago and that holds nothing yet."""
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _fill_demo(db: Database) -> None:
    # Imported only when asked for: the demo generator is not needed to start.
    from desktop_app.services.demo import create_demo

    create_demo(db, DEMO_PEOPLE, seed=DEMO_SEED)


def open_demo() -> OpenOutcome:
    """Open the demo group in the data folder, making it the first time."""
    path = demo_database_path()
    target = str(path)
    if path.exists() and path.stat().st_size > 0:
        return open_interactively(target)
    try:
        lock = lock_database(target, create=True)
    except AlreadyOpenElsewhere as exc:
        show_already_open(None, str(exc))
        return OpenOutcome(already_open=True)
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        db = create_database(target)
    except DatabaseError as exc:
        QApplication.restoreOverrideCursor()
        if lock is not None:
            lock.release()
        show_open_error(None, str(exc))
        return OpenOutcome()
    try:
        _fill_demo(db)
    except Exception as exc:  # the generator's own failure, whatever it is, is reported
        QApplication.restoreOverrideCursor()
        db.close()
        _remove_database_files(path)
        if lock is not None:
            lock.release()
        QMessageBox.critical(
            None,
            QCoreApplication.translate("GroupDesk", "Group Desk"),
            QCoreApplication.translate("GroupDesk", "The demo group could not be made.")
            + f"\n\n{exc}",
        )
        return OpenOutcome()
    QApplication.restoreOverrideCursor()
    return OpenOutcome(opened=OpenedDatabase(db, lock))


def run_first_run() -> OpenOutcome:
    """The first start: create the group's database with its profile, or look at a demo."""
    target = str(config.default_database_path())
    try:
        lock = lock_database(target, create=True)
    except AlreadyOpenElsewhere as exc:
        # Another Group Desk is in its own first run; it has been asked to come forward.
        show_already_open(None, str(exc))
        return OpenOutcome(already_open=True)
    dialog = GroupProfileDialog(
        None, first_run=True, create_database=lambda: create_database(target)
    )
    if lock is not None:
        lock.raise_requested.connect(dialog.raise_)
        lock.raise_requested.connect(dialog.activateWindow)
    result = dialog.exec()
    db = dialog.database
    if result == GroupProfileDialog.DialogCode.Accepted and db is not None:
        return OpenOutcome(opened=OpenedDatabase(db, lock))
    if db is not None:
        # Made on OK, but the profile was then refused and the user gave up: leave no
        # nameless group behind, so the next start asks again.
        db.close()
        _remove_database_files(Path(target))
    if lock is not None:
        lock.release()
        lock.deleteLater()
    if result == GroupProfileDialog.DEMO:
        return open_demo()
    return OpenOutcome(cancelled=True)


def open_initial_database(db_target: str | None) -> OpenOutcome:
    """The database this start opens, with every question and message on the way."""
    target = config.database_target(db_target)
    if is_first_run(target):
        return run_first_run()
    return open_interactively(target)


def _application() -> QApplication:
    existing = QApplication.instance()
    # Only the program name goes to Qt: Group Desk's own options were read already.
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    configure_application(app)
    return app


def _report_shown_and_quit() -> None:
    print(f"groupdesk-shown-at {time.time():.6f}", flush=True)
    QCoreApplication.quit()


def run_gui(db_target: str | None = None) -> int:
    """Show Group Desk's window on the chosen database; returns the exit status."""
    app = _application()
    outcome = open_initial_database(db_target)
    if outcome.opened is None:
        gc.enable()
        return 0 if outcome.already_open or outcome.cancelled else 1
    window = MainWindow(outcome.opened.db, lock=outcome.opened.lock)
    window.show()
    # What start-up made lives as long as the window: keep the collector off it (see
    # __main__), and turn the collector back on for what comes next.
    gc.freeze()
    gc.enable()
    if os.environ.get(STARTUP_PROBE_ENV):
        # bench/bench_startup.py: once the first paint is done and the event loop is
        # idle, say when (wall clock, so the bench can subtract the moment it spawned
        # this process) and leave.
        QTimer.singleShot(0, _report_shown_and_quit)
        return app.exec()
    # After the first paint: the backup runs on a worker thread, then a database made
    # elsewhere (e.g. by the command line) is asked for its group profile.
    QTimer.singleShot(0, window.start_backup_on_open)
    QTimer.singleShot(0, window.ask_for_profile_if_missing)
    return app.exec()
