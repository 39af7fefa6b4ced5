"""The main window: navigation between pages, menus, and the database it has open.

One window has one database open at a time. It holds that database's lock (so a
second Group Desk cannot open the same file), one undo stack for it, and the pages
built on it. File > New / Open / Open Recent switch to another database: the new
one is locked and opened first, and only when that worked are the old pages, undo
stack, database and lock let go; a failed open leaves everything as it was.

This module also holds the opening routine shared with app.py (lock, open, explain
failures, offer the latest automatic backup for a damaged file), so that the first
window and a switch behave the same way.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QDateTime,
    QEvent,
    QLocale,
    QLockFile,
    QObject,
    QRunnable,
    QSettings,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence, QUndoGroup, QUndoStack
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop_app.db import (
    Database,
    DatabaseCorrupt,
    DatabaseError,
    check_and_backup,
    create_database,
    is_url,
    list_backups,
    make_backup,
    open_database,
    restore_backup,
    sqlite_path_of,
)
from desktop_app.services.group import get_profile
from desktop_app.tasks.runner import ProgressText, Task, run_task
from desktop_app.views.about_dialog import AboutDialog
from desktop_app.views.base_dialog import BaseDialog
from desktop_app.views.group_profile_dialog import GroupProfileDialog
from desktop_app.views.pages import Page, PageFactory, default_page_factories

if TYPE_CHECKING:
    # Loaded when first used: the bundle service with its matcher, the kiosk (and the
    # sign-in service with rapidfuzz behind it), the pages other than the first.
    from desktop_app.services.bundles import Bundle, MergeProgress, MergeSummary
    from desktop_app.services.consent import ListKind
    from desktop_app.services.importer import ImportSummary
    from desktop_app.views.import_dialog import (
        ImportDialog,
        ImportHistoryDialog,
        ImportResultDialog,
    )
    from desktop_app.views.kiosk import KioskWindow
    from desktop_app.views.review_page import ReviewPage

MAX_RECENT = 8
RECENT_KEY = "recentDatabases"


# --- one Group Desk per database file ----------------------------------------------------


def lock_path_for(db_path: Path) -> Path:
    """The lock file beside a database: ``<file>.lock``."""
    return db_path.with_name(db_path.name + ".lock")


def server_name_for(db_path: Path) -> str:
    """The local socket name on which the Group Desk holding db_path listens."""
    digest = hashlib.sha256(str(db_path.expanduser().resolve()).encode()).hexdigest()
    return f"groupdesk-{digest[:32]}"


def ask_running_instance_to_raise(db_path: Path, timeout_ms: int = 1000) -> bool:
    """Ask the Group Desk that has db_path open to bring its window forward.

    Returns False when nobody answered (it may be closing, or a crash left the lock).
    """
    socket = QLocalSocket()
    socket.connectToServer(server_name_for(db_path))
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(QByteArray(b"raise\n"))
    socket.waitForBytesWritten(timeout_ms)
    socket.disconnectFromServer()
    return True


class DatabaseLock(QObject):
    """Holds ``<db file>.lock`` while a window has the file open, and listens for others.

    Signals:
        raise_requested: another Group Desk tried to open the same file.
    """

    raise_requested = Signal()

    def __init__(self, db_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db_path = db_path
        self._lock_file = QLockFile(str(lock_path_for(db_path)))
        # A window keeps its lock for hours: only a dead owner makes a lock stale, not age.
        self._lock_file.setStaleLockTime(0)
        self._server: QLocalServer | None = None

    def try_acquire(self, timeout_ms: int = 100) -> bool:
        if not self._lock_file.tryLock(timeout_ms):
            return False
        self._listen()
        return True

    def held_elsewhere(self) -> bool:
        """After a failed try_acquire: true if another Group Desk holds the lock."""
        return self._lock_file.error() == QLockFile.LockError.LockFailedError

    def is_locked(self) -> bool:
        return self._lock_file.isLocked()

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None
        if self._lock_file.isLocked():
            self._lock_file.unlock()

    def _listen(self) -> None:
        name = server_name_for(self.db_path)
        # We hold the lock, so a socket of that name can only be left over from a crash.
        QLocalServer.removeServer(name)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if server.listen(name):
            server.newConnection.connect(self._on_new_connection)
            self._server = server
        else:
            # Without the socket, a second start is still refused; it just cannot raise us.
            server.deleteLater()

    def _on_new_connection(self) -> None:
        server = self._server
        if server is None:
            return
        while server.hasPendingConnections():
            connection = server.nextPendingConnection()
            connection.disconnected.connect(connection.deleteLater)
            connection.disconnectFromServer()
        self.raise_requested.emit()


# --- opening a database with its lock --------------------------------------------------------


class AlreadyOpenElsewhere(DatabaseError):
    """Another Group Desk has this database open; it was asked to come forward."""


@dataclass
class OpenedDatabase:
    db: Database
    lock: DatabaseLock | None


@dataclass
class OpenOutcome:
    """What an attempt to open did: opened, open elsewhere, cancelled by the user, or failed."""

    opened: OpenedDatabase | None = None
    already_open: bool = False
    cancelled: bool = False


def lock_database(target: str, *, create: bool = False) -> DatabaseLock | None:
    """Take the lock of target's file; None when there is nothing to lock.

    Raises AlreadyOpenElsewhere (after asking the other window to come forward) or
    DatabaseError for an address that is not a database at all.
    """
    path = sqlite_path_of(target)
    if path is None:
        return None  # a server database: the server itself arbitrates between users
    if create:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None  # creating the database will explain what is wrong with the folder
    lock = DatabaseLock(path)
    if lock.try_acquire():
        return lock
    if lock.held_elsewhere():
        ask_running_instance_to_raise(path)
        lock.deleteLater()
        raise AlreadyOpenElsewhere(
            QCoreApplication.translate(
                "MainWindow", "This database is already open in another Group Desk window."
            )
            + f"\n\n{path}"
        )
    # No lock file can be made there (missing or read-only folder): opening will say why.
    lock.deleteLater()
    return None


def database_file_filter() -> str:
    return QCoreApplication.translate(
        "MainWindow", "Group Desk database (*.sqlite *.db);;All files (*)"
    )


def bundle_file_filter() -> str:
    return QCoreApplication.translate("MainWindow", "Sign-up bundles (*.json);;All files (*)")


def _title() -> str:
    return QCoreApplication.translate("MainWindow", "Group Desk")


def show_open_error(parent: QWidget | None, message: str) -> None:
    QMessageBox.critical(
        parent,
        _title(),
        QCoreApplication.translate("MainWindow", "Group Desk could not open the database.")
        + f"\n\n{message}",
    )


def show_already_open(parent: QWidget | None, message: str) -> None:
    QMessageBox.information(parent, _title(), message)


def _offer_restore(
    target: str, problem: DatabaseCorrupt, parent: QWidget | None
) -> Database | None:
    path = sqlite_path_of(target)
    backups = list_backups(path) if path is not None else []
    if path is None or not backups:
        show_open_error(
            parent,
            f"{problem}\n\n"
            + QCoreApplication.translate(
                "MainWindow", "There is no automatic backup of this database to restore."
            ),
        )
        return None
    latest = backups[0]
    answer = QMessageBox.question(
        parent,
        _title(),
        f"{problem}\n\n"
        + QCoreApplication.translate(
            "MainWindow",
            "Restore the latest automatic backup, taken {when}? "
            "The damaged file is kept beside it under a new name, not deleted.",
        ).format(when=_local_time_text(latest.stat().st_mtime)),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return None
    try:
        restore_backup(latest, path)
        return open_database(target)
    except DatabaseError as exc:
        show_open_error(parent, str(exc))
        return None


def open_interactively(
    target: str, *, create: bool = False, parent: QWidget | None = None
) -> OpenOutcome:
    """Lock and open (or create) target, explaining any failure in a message box."""
    try:
        lock = lock_database(target, create=create)
    except AlreadyOpenElsewhere as exc:
        show_already_open(parent, str(exc))
        return OpenOutcome(already_open=True)
    except DatabaseError as exc:
        show_open_error(parent, str(exc))
        return OpenOutcome()
    db: Database | None
    app = QApplication.instance()
    if isinstance(app, QApplication):
        app.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        # The page-by-page check runs after the window shows (check_and_backup).
        db = create_database(target) if create else open_database(target, check=False)
    except DatabaseCorrupt as exc:
        QApplication.restoreOverrideCursor()
        db = _offer_restore(target, exc, parent)
    except DatabaseError as exc:
        QApplication.restoreOverrideCursor()
        show_open_error(parent, str(exc))
        db = None
    else:
        QApplication.restoreOverrideCursor()
    if db is None:
        if lock is not None:
            lock.release()
            lock.deleteLater()
        return OpenOutcome()
    return OpenOutcome(opened=OpenedDatabase(db, lock))


# --- recent databases ------------------------------------------------------------------------


def recent_databases() -> list[str]:
    value = QSettings().value(RECENT_KEY, [])
    if isinstance(value, str):  # INI files give back a one-item list as a plain string
        value = [value]
    if not isinstance(value, list):
        return []
    return [str(item) for item in value if item][:MAX_RECENT]


def remember_recent(db: Database) -> None:
    """Put db first in File > Open Recent; a server address with a password is not kept."""
    if db.path is not None:
        entry = str(db.path)
    else:
        url = db.engine.url
        if url.password:
            return
        entry = url.render_as_string(hide_password=False)
    entries = [entry, *(item for item in recent_databases() if item != entry)]
    QSettings().setValue(RECENT_KEY, entries[:MAX_RECENT])


def _local_time_text(timestamp: float) -> str:
    moment = QDateTime.fromSecsSinceEpoch(int(timestamp))
    return QLocale().toString(moment, QLocale.FormatType.ShortFormat)


# --- the automatic backup on open, off the GUI thread ----------------------------------------


class _BackupSignals(QObject):
    # backup made ("" when none was needed), problem ("" when none), file found damaged
    done = Signal(str, str, bool)


class _BackupTask(QRunnable):
    def __init__(self, path: Path, signals: _BackupSignals) -> None:
        super().__init__()
        self._path = path
        self._signals = signals

    def run(self) -> None:
        try:
            made = check_and_backup(self._path)
        except DatabaseCorrupt as exc:
            self._signals.done.emit("", str(exc), True)
            return
        except (DatabaseError, OSError, sqlite3.Error) as exc:
            self._signals.done.emit("", str(exc) or type(exc).__name__, False)
            return
        self._signals.done.emit(str(made) if made else "", "", False)


# --- restore dialog -----------------------------------------------------------------------------

_BACKUP_NAME = re.compile(r"-(\d{8}T\d+Z)-(?P<reason>[a-z-]+)$")


class RestoreBackupDialog(BaseDialog):
    """Pick one of a database's automatic backups, newest first, or any backup file."""

    def __init__(self, backups: Sequence[Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Restore from backup"))
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)
        self._chosen: Path | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Choose the backup to go back to. What the database holds now is "
                "backed up first, so this can be undone by restoring that copy."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        label = QLabel(self.tr("&Automatic backups:"), self)
        self.backup_list = QListWidget(self)
        label.setBuddy(self.backup_list)
        layout.addWidget(label)
        layout.addWidget(self.backup_list)
        for backup in backups:
            item = QListWidgetItem(self._describe(backup), self.backup_list)
            item.setData(Qt.ItemDataRole.UserRole, str(backup))
            item.setToolTip(str(backup))
        if not backups:
            empty = QListWidgetItem(self.tr("No automatic backups yet."), self.backup_list)
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
        else:
            self.backup_list.setCurrentRow(0)
        self.backup_list.currentRowChanged.connect(self.refresh_ok_button)
        self.backup_list.itemDoubleClicked.connect(self.accept)
        box = self.make_button_box(ok_text=self.tr("&Restore"))
        other = QPushButton(self.tr("Choose a &file..."), self)
        other.clicked.connect(self._choose_file)
        box.addButton(other, box.ButtonRole.ActionRole)
        layout.addWidget(box)

    def _describe(self, backup: Path) -> str:
        match = _BACKUP_NAME.search(backup.stem)
        reason = match.group("reason") if match else ""
        reasons = {
            "auto": self.tr("taken on opening"),
            "before-upgrade": self.tr("taken before an upgrade"),
            "before-restore": self.tr("taken before a restore"),
        }
        when = _local_time_text(backup.stat().st_mtime)
        return f"{when} — {reasons.get(reason, reason)}" if reason else when

    def _choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose a backup"), "", database_file_filter()
        )
        if name:
            self._chosen = Path(name)
            self.accept()

    def is_complete(self) -> bool:
        return self._chosen is not None or self.selected_backup() is not None

    def selected_backup(self) -> Path | None:
        if self._chosen is not None:
            return self._chosen
        item = self.backup_list.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return Path(value) if value else None


# --- the window ---------------------------------------------------------------------------------


class MainWindow(QMainWindow):
    """Group Desk's main window around one open Database.

    Signals:
        database_changed: another database was opened in this window.
        backup_finished(str, str): the automatic backup on open ended; the backup's path
            ("" when none was needed) and a problem ("" when none).
    """

    database_changed = Signal()
    backup_finished = Signal(str, str)

    def __init__(
        self,
        db: Database,
        *,
        lock: DatabaseLock | None = None,
        page_factories: Sequence[PageFactory] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self._db = db
        self._lock: DatabaseLock | None = None
        self._page_factories = page_factories
        self._pages: list[Page] = []
        self._pending_pages: list[PageFactory] = []
        self._build_pages_after_paint = False
        self._undo_group = QUndoGroup(self)
        self._undo_stack: QUndoStack | None = None
        self._page_shortcuts: list[QAction] = []
        self._closed = False
        self._backup_pool = QThreadPool(self)
        self._backup_pool.setMaxThreadCount(1)  # one backup at a time, in order
        self._kiosk: KioskWindow | None = None
        self._exported = False  # an export was started from this window
        self._merge_task: Task | None = None

        self._build_central()
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()
        self._attach(db, lock)
        remember_recent(db)
        self._restore_settings()

    # --- public ------------------------------------------------------------------------------

    @property
    def database(self) -> Database:
        return self._db

    @property
    def database_lock(self) -> DatabaseLock | None:
        return self._lock

    @property
    def undo_stack(self) -> QUndoStack:
        assert self._undo_stack is not None
        return self._undo_stack

    def pages(self) -> list[Page]:
        self._build_all_pages()
        return list(self._pages)

    def current_page(self) -> Page | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, Page) else None

    def show_page(self, index: int) -> None:
        if index >= len(self._pages):
            self._build_all_pages()
        if 0 <= index < len(self._pages):
            self.navigation.setCurrentRow(index)

    def open_database_file(self, target: str) -> bool:
        """Switch to the database at target; False (and a message) if it could not open."""
        return self._switch_to(target, create=False)

    def new_database_file(self, path: str, *, ask_profile: bool = True) -> bool:
        """Create a database at path and switch to it, then ask for its group profile."""
        if not is_url(path) and Path(path).suffix == "":
            path += ".sqlite"
        if not self._switch_to(path, create=True):
            return False
        if ask_profile:
            self.ask_for_profile_if_missing()
        return True

    def start_backup_on_open(self) -> None:
        """Take the automatic backup of the open file in the background, if it changed."""
        path = self._db.path
        if path is None:
            return
        signals = _BackupSignals(self)
        signals.done.connect(self._on_backup_done)
        self._backup_pool.start(_BackupTask(path, signals))

    def wait_for_backups(self, timeout_ms: int = -1) -> bool:
        return self._backup_pool.waitForDone(timeout_ms)

    def ask_for_profile_if_missing(self) -> None:
        """A database without a group profile asks for one (e.g. just created)."""
        if get_profile(self._db) is None:
            self.edit_group_profile()

    def edit_group_profile(self) -> bool:
        dialog = GroupProfileDialog(self._db, self)
        accepted = dialog.exec() == GroupProfileDialog.DialogCode.Accepted
        if accepted:
            self._update_identity()
        return accepted

    def bring_to_front(self) -> None:
        """Another Group Desk tried to open this database: come forward instead."""
        if self._kiosk is not None:
            # In kiosk mode the roster stays hidden; only the kiosk comes forward.
            self._kiosk.raise_()
            self._kiosk.activateWindow()
            return
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()
        modal = QApplication.activeModalWidget()
        if modal is not None:
            modal.raise_()
            modal.activateWindow()

    # --- building ------------------------------------------------------------------------------

    def _build_central(self) -> None:
        self.navigation = QListWidget(self)
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName(self.tr("Pages"))
        self.navigation.setMinimumWidth(140)
        self.navigation.setMaximumWidth(260)
        # Roomy rows: the list is how most volunteers find their way around.
        self.navigation.setStyleSheet("QListWidget#navigation::item { padding: 6px 8px; }")
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("pages")
        self.navigation.currentRowChanged.connect(self._on_page_changed)
        # The first paint of the navigation says the window is on screen (eventFilter).
        self.navigation.viewport().installEventFilter(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.navigation)
        self.splitter.addWidget(self.stack)
        self.splitter.setCollapsible(0, False)
        self.splitter.setCollapsible(1, False)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([180, 900])
        self.setCentralWidget(self.splitter)

    def _action(
        self,
        name: str,
        text: str,
        slot: object,
        shortcuts: Sequence[QKeySequence] = (),
        icon: QIcon | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcuts:
            action.setShortcuts(list(shortcuts))
        if icon is not None:
            action.setIcon(icon)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _icon(self, theme_name: str, fallback: QStyle.StandardPixmap) -> QIcon:
        return QIcon.fromTheme(theme_name, self.style().standardIcon(fallback))

    def _build_actions(self) -> None:
        sp = QStyle.StandardPixmap
        self.action_new_database = self._action(
            "actionNewDatabase",
            self.tr("&New database..."),
            self._on_new_database,
            [QKeySequence("Ctrl+Shift+N")],
            tip=self.tr("Start a new, empty database for a group"),
        )
        self.action_open = self._action(
            "actionOpen",
            self.tr("&Open..."),
            self._on_open,
            [QKeySequence("Ctrl+O")],
            self._icon("document-open", sp.SP_DialogOpenButton),
            self.tr("Open another group's database"),
        )
        self.action_backup = self._action(
            "actionBackUp",
            self.tr("&Back up now..."),
            self._on_back_up_now,
            icon=self._icon("document-save", sp.SP_DialogSaveButton),
            tip=self.tr("Save a copy of the database, e.g. on a USB stick"),
        )
        self.action_restore = self._action(
            "actionRestore",
            self.tr("&Restore from backup..."),
            self._on_restore,
            tip=self.tr("Go back to an earlier copy of the database"),
        )
        self.action_export_bundle = self._action(
            "actionExportBundle",
            self.tr("E&xport sign-ups for merging..."),
            self._on_export_bundle,
            tip=self.tr("Save this laptop's sign-ups to a file, to merge on another laptop"),
        )
        self.action_merge_bundle = self._action(
            "actionMergeBundle",
            self.tr("&Merge sign-ups from another laptop..."),
            self._on_merge_bundle,
            tip=self.tr("Add the sign-ups another laptop exported, without duplicates"),
        )
        self.action_import_people = self._action(
            "actionImportPeople",
            self.tr("&Import people..."),
            self._on_import_people,
            [QKeySequence("Ctrl+I")],
            tip=self.tr("Add people from a spreadsheet or CSV list, without duplicates"),
        )
        self.action_import_history = self._action(
            "actionImportHistory",
            self.tr("Import &history..."),
            self._on_import_history,
            tip=self.tr("The lists imported so far, and undoing one"),
        )
        self.action_profile = self._action(
            "actionGroupProfile",
            self.tr("&Group profile..."),
            self.edit_group_profile,
            tip=self.tr("The group's name, meeting place and sign-up kiosk settings"),
        )
        self.action_quit = self._action(
            "actionQuit", self.tr("&Quit"), self.close, [QKeySequence("Ctrl+Q")]
        )
        self.action_quit.setMenuRole(QAction.MenuRole.QuitRole)

        self.action_undo = self._undo_group.createUndoAction(self, self.tr("&Undo"))
        self.action_undo.setObjectName("actionUndo")
        self.action_undo.setShortcuts([QKeySequence("Ctrl+Z")])
        self.action_undo.setIcon(self._icon("edit-undo", sp.SP_ArrowBack))
        self.action_redo = self._undo_group.createRedoAction(self, self.tr("&Redo"))
        self.action_redo.setObjectName("actionRedo")
        redo_keys = [QKeySequence("Ctrl+Shift+Z")]
        redo_keys += [
            key
            for key in QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
            if key not in redo_keys
        ]
        self.action_redo.setShortcuts(redo_keys)
        self.action_redo.setIcon(self._icon("edit-redo", sp.SP_ArrowForward))
        self.addAction(self.action_undo)
        self.addAction(self.action_redo)

        self.action_find = self._action(
            "actionFind",
            self.tr("&Find"),
            self._on_find,
            [QKeySequence("Ctrl+F")],
            self._icon("edit-find", sp.SP_FileDialogContentsView),
            self.tr("Search on this page"),
        )
        self.action_new_person = self._action(
            "actionNewPerson",
            self.tr("&New person"),
            self._on_new_person,
            [QKeySequence("Ctrl+N")],
            self._icon("contact-new", sp.SP_FileIcon),
            self.tr("Add someone to the roster"),
        )
        self.action_start_kiosk = self._action(
            "actionStartKiosk",
            self.tr("Start sign-up &kiosk..."),
            self._on_start_kiosk,
            icon=self._icon("system-lock-screen", sp.SP_DesktopIcon),
            tip=self.tr("A full-screen sign-up form for a table; leaving it needs the PIN"),
        )
        self.action_about = self._action(
            "actionAbout", self.tr("&About Group Desk"), self._on_about
        )
        self.action_about.setMenuRole(QAction.MenuRole.AboutRole)

        # Ctrl+1 ... Ctrl+9 go to the pages in navigation order, whatever they are.
        for number in range(1, 10):
            shortcut = QAction(self)
            shortcut.setObjectName(f"actionPage{number}")
            shortcut.setShortcut(QKeySequence(f"Ctrl+{number}"))
            shortcut.triggered.connect(lambda _=False, i=number - 1: self.show_page(i))
            self.addAction(shortcut)
            self._page_shortcuts.append(shortcut)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu(self.tr("&File"))
        self.file_menu.setObjectName("menuFile")
        self.file_menu.addAction(self.action_new_database)
        self.file_menu.addAction(self.action_open)
        self.recent_menu = QMenu(self.tr("Open R&ecent"), self.file_menu)
        self.recent_menu.setObjectName("menuRecent")
        self.recent_menu.setToolTipsVisible(True)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.file_menu.addMenu(self.recent_menu)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.action_backup)
        self.file_menu.addAction(self.action_restore)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.action_export_bundle)
        self.file_menu.addAction(self.action_merge_bundle)
        self.file_menu.addSeparator()
        self.file_menu.addMenu(self._build_export_menu())
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.action_import_people)
        self.file_menu.addAction(self.action_import_history)
        self.file_menu.addSeparator()
        self.file_menu.addMenu(self._build_print_menu())
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.action_profile)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.action_quit)

        self.edit_menu = bar.addMenu(self.tr("&Edit"))
        self.edit_menu.setObjectName("menuEdit")
        self.edit_menu.addAction(self.action_undo)
        self.edit_menu.addAction(self.action_redo)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.action_find)

        self.people_menu = bar.addMenu(self.tr("&People"))
        self.people_menu.setObjectName("menuPeople")
        self.people_menu.addAction(self.action_new_person)
        self.people_menu.addSeparator()
        self.people_menu.addAction(self.action_start_kiosk)

        self.help_menu = bar.addMenu(self.tr("&Help"))
        self.help_menu.setObjectName("menuHelp")
        self.help_menu.addAction(self.action_about)
        self._fill_recent_menu()

    def _build_toolbar(self) -> None:
        toolbar = QToolBar(self.tr("Main toolbar"), self)
        toolbar.setObjectName("mainToolBar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.setMovable(False)
        toolbar.addAction(self.action_new_person)
        toolbar.addAction(self.action_start_kiosk)
        toolbar.addAction(self.action_find)
        toolbar.addSeparator()
        toolbar.addAction(self.action_undo)
        toolbar.addAction(self.action_redo)
        toolbar.addSeparator()
        toolbar.addAction(self.action_backup)
        self.toolbar = toolbar
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)

    def _build_status_bar(self) -> None:
        self.group_label = QLabel(self)
        self.group_label.setObjectName("groupLabel")
        font = self.group_label.font()
        font.setBold(True)
        self.group_label.setFont(font)
        self.database_label = QLabel(self)
        self.database_label.setObjectName("databaseLabel")
        self.database_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addPermanentWidget(self.group_label)
        self.statusBar().addPermanentWidget(self.database_label)

    # --- the database and its pages -----------------------------------------------------------

    def _attach(self, db: Database, lock: DatabaseLock | None) -> None:
        self._db = db
        self._lock = lock
        if lock is not None:
            lock.setParent(self)
            lock.raise_requested.connect(self.bring_to_front)
        stack = QUndoStack(self)
        self._undo_group.addStack(stack)
        self._undo_group.setActiveStack(stack)
        self._undo_stack = stack
        factories = self._page_factories
        self._pending_pages = list(default_page_factories() if factories is None else factories)
        # The first page (the roster) is built now: it is what the window opens on. The
        # others are built one per turn of the event loop once the window has painted
        # (see eventFilter), or at once when something asks for them, so that starting
        # does not wait for pages, and their modules, that nobody has opened yet.
        self._build_next_page()
        self._build_pages_after_paint = bool(self._pending_pages)
        self.show_page(0)
        self._on_page_changed(self.navigation.currentRow())
        self.action_backup.setEnabled(db.path is not None)
        self.action_restore.setEnabled(db.path is not None)
        self._update_identity()

    def _detach(self) -> tuple[Database, DatabaseLock | None]:
        """Take the pages, undo stack and lock connection down; return what was open."""
        self.navigation.blockSignals(True)
        self.navigation.clear()
        self.navigation.blockSignals(False)
        # Hidden while the pages are taken out: removing the current page would show the
        # next one, and a page reads its data whenever it is shown.
        self.stack.hide()
        for page in self._pages:
            self.stack.removeWidget(page)
            page.deleteLater()
        self._pages = []
        self._pending_pages = []
        self._build_pages_after_paint = False
        self.stack.show()
        if self._undo_stack is not None:
            self._undo_group.removeStack(self._undo_stack)
            self._undo_stack.deleteLater()
            self._undo_stack = None
        lock = self._lock
        if lock is not None:
            lock.raise_requested.disconnect(self.bring_to_front)
        return self._db, lock

    @staticmethod
    def _let_go(db: Database, lock: DatabaseLock | None) -> None:
        db.close()
        if lock is not None:
            lock.release()
            lock.deleteLater()

    def _same_file_as_open(self, target: str) -> bool:
        try:
            path = sqlite_path_of(target)
        except DatabaseError:
            return False
        return path is not None and path == self._db.path

    def _busy(self) -> bool:
        """A merge runs on this database: it must not be closed under it."""
        if self._busy_merging():
            self.statusBar().showMessage(
                self.tr("Wait until the merge has finished (or cancel it)."), 5000
            )
            return True
        return False

    def _switch_to(self, target: str, *, create: bool) -> bool:
        if self._busy():
            return False
        if self._same_file_as_open(target):
            if create:
                show_open_error(
                    self,
                    self.tr("{path}: this database is open now; choose another name.").format(
                        path=target
                    ),
                )
                return False
            self.statusBar().showMessage(self.tr("That database is already open here."), 5000)
            return True
        outcome = open_interactively(target, create=create, parent=self)
        if outcome.opened is None:
            return False
        page_key = self._current_page_key()
        old_db, old_lock = self._detach()
        self._let_go(old_db, old_lock)
        self._attach(outcome.opened.db, outcome.opened.lock)
        self._select_page_key(page_key)
        remember_recent(outcome.opened.db)
        self._fill_recent_menu()
        self.database_changed.emit()
        self.start_backup_on_open()
        return True

    def _update_identity(self) -> None:
        profile = get_profile(self._db)
        group = profile.name if profile is not None else ""
        if group:
            self.group_label.setText(group)
            self.setWindowTitle(self.tr("{group} — Group Desk").format(group=group))
        else:
            self.group_label.setText(self.tr("No group profile yet"))
            self.setWindowTitle(self.tr("Group Desk"))
        self.database_label.setText(self.tr("Database: {name}").format(name=self._db.display_name))
        self.database_label.setToolTip(self._db.display_name)

    # --- pages and routing -------------------------------------------------------------------

    def _build_next_page(self) -> Page | None:
        """Build the next page not built yet and list it in the navigation."""
        if not self._pending_pages or self._undo_stack is None:
            return None
        factory = self._pending_pages.pop(0)
        page = factory(self._db, self._undo_stack, self)
        page.set_undo_stack(self._undo_stack)
        self._pages.append(page)
        number = len(self._pages)
        self.stack.addWidget(page)
        self.navigation.blockSignals(True)
        item = QListWidgetItem(page.page_title(), self.navigation)
        self.navigation.blockSignals(False)
        if number <= len(self._page_shortcuts):
            item.setToolTip(self.tr("Ctrl+{number}").format(number=number))
        page.title_changed.connect(lambda p=page: self._rename_page(p))
        self.action_new_person.setEnabled(any(p.can_add_person() for p in self._pages))
        return page

    def _build_all_pages(self) -> None:
        while self._pending_pages:
            self._build_next_page()

    def _build_pages_in_turn(self) -> None:
        # One page per turn of the event loop: the user's clicks and keys go between.
        if self._closed or self._build_next_page() is None:
            return
        if self._pending_pages:
            QTimer.singleShot(0, self._build_pages_in_turn)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Paint
            and watched is self.navigation.viewport()
            and self._build_pages_after_paint
        ):
            self._build_pages_after_paint = False
            QTimer.singleShot(0, self._build_pages_in_turn)
        return super().eventFilter(watched, event)

    def _on_page_changed(self, row: int) -> None:
        if 0 <= row < self.stack.count():
            self.stack.setCurrentIndex(row)
        page = self.current_page()
        self.action_find.setEnabled(page is not None and page.can_search())
        self.action_new_person.setEnabled(any(p.can_add_person() for p in self._pages))

    def _rename_page(self, page: Page) -> None:
        if page in self._pages:
            item = self.navigation.item(self._pages.index(page))
            if item is not None:
                item.setText(page.page_title())

    def review_page(self) -> ReviewPage | None:
        from desktop_app.views.review_page import ReviewPage

        self._build_all_pages()
        return next((page for page in self._pages if isinstance(page, ReviewPage)), None)

    def show_review_page(self) -> bool:
        page = self.review_page()
        if page is None:
            return False
        self.show_page(self._pages.index(page))
        return True

    def reread_pages(self) -> None:
        """People changed outside the pages (a merge, the kiosk): the review count and
        the page in view read their data again."""
        review = self.review_page()
        if review is not None:
            review.refresh()
        page = self.current_page()
        if page is not None and page is not review and page.isVisible():
            page.reload()

    def _on_find(self) -> None:
        page = self.current_page()
        if page is not None and page.can_search():
            page.focus_search()

    def _on_new_person(self) -> None:
        self._build_all_pages()
        for index, page in enumerate(self._pages):
            if page.can_add_person():
                self.show_page(index)
                page.new_person()
                return

    def _current_page_key(self) -> str:
        page = self.current_page()
        return page.page_key() if page is not None else ""

    def _select_page_key(self, key: str) -> None:
        # Built pages first, then build on only as far as the page wanted.
        index = 0
        while index < len(self._pages) or self._build_next_page() is not None:
            if self._pages[index].page_key() == key:
                self.show_page(index)
                return
            index += 1

    # --- File menu ---------------------------------------------------------------------------

    def _start_folder(self) -> str:
        return str(self._db.path.parent) if self._db.path is not None else ""

    def _on_new_database(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("New database"),
            self._start_folder(),
            database_file_filter(),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if name:
            self.new_database_file(name)

    def _on_open(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open a database"), self._start_folder(), database_file_filter()
        )
        if name:
            self.open_database_file(name)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        entries = recent_databases()
        for number, entry in enumerate(entries, start=1):
            missing = not is_url(entry) and not Path(entry).exists()
            shown = entry if is_url(entry) else f"{Path(entry).name}  ({Path(entry).parent})"
            action = self.recent_menu.addAction(f"&{number} {shown.replace('&', '&&')}")
            action.setData(entry)
            action.setToolTip(
                self.tr("This file is no longer there: {path}").format(path=entry)
                if missing
                else entry
            )
            action.setEnabled(not missing)
            action.triggered.connect(lambda _=False, target=entry: self.open_database_file(target))
        if not entries:
            empty = self.recent_menu.addAction(self.tr("No recent databases"))
            empty.setEnabled(False)
            return
        self.recent_menu.addSeparator()
        clear = self.recent_menu.addAction(self.tr("&Clear list"))
        clear.triggered.connect(self._clear_recent)

    def _clear_recent(self) -> None:
        QSettings().setValue(RECENT_KEY, [])
        self._fill_recent_menu()

    def _on_back_up_now(self) -> None:
        path = self._db.path
        if path is None:
            return
        suggested = str(
            Path.home() / f"{path.stem}-backup-{datetime.now().strftime('%Y-%m-%d')}.sqlite"
        )
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Back up the database"), suggested, database_file_filter()
        )
        if name:
            self.back_up_to(Path(name))

    def back_up_to(self, destination: Path) -> Path | None:
        """Copy the open database to destination; the copy's path, or None after a message."""
        path = self._db.path
        if path is None:
            return None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            made = make_backup(path, destination, reason="manual")
        except (DatabaseError, OSError, sqlite3.Error) as exc:
            QApplication.restoreOverrideCursor()
            QMessageBox.critical(
                self, _title(), self.tr("The backup could not be made.") + f"\n\n{exc}"
            )
            return None
        QApplication.restoreOverrideCursor()
        self.statusBar().showMessage(self.tr("Backup saved: {path}").format(path=made), 10000)
        return made

    def _on_restore(self) -> None:
        path = self._db.path
        if path is None:
            return
        dialog = RestoreBackupDialog(list_backups(path), self)
        if dialog.exec() != RestoreBackupDialog.DialogCode.Accepted:
            return
        backup = dialog.selected_backup()
        if backup is None:
            return
        answer = QMessageBox.question(
            self,
            _title(),
            self.tr(
                "Replace the open database with this backup?\n\n{backup}\n\n"
                "What the database holds now is backed up first."
            ).format(backup=backup),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_from(backup)

    def restore_from(self, backup: Path) -> bool:
        """Replace the open database file with backup, then reopen it in this window."""
        path = self._db.path
        if path is None or self._busy():
            return False
        target = self._db.target
        page_key = self._current_page_key()
        old_db, lock = self._detach()
        old_db.close()
        restored = True
        try:
            restore_backup(backup, path)
        except DatabaseError as exc:
            restored = False
            QMessageBox.critical(
                self, _title(), self.tr("The backup could not be restored.") + f"\n\n{exc}"
            )
        try:
            db = open_database(target)
        except DatabaseError as exc:
            show_open_error(self, str(exc))
            self._let_go(old_db, lock)
            self._lock = None
            self._closed = True
            self.close()
            return False
        self._attach(db, lock)
        self._select_page_key(page_key)
        self.database_changed.emit()
        if restored:
            self.statusBar().showMessage(self.tr("The backup was restored."), 10000)
            self.start_backup_on_open()
        return restored

    def _on_about(self) -> None:
        AboutDialog(self, database_name=self._db.display_name).exec()

    def _on_backup_done(self, made: str, problem: str, damaged: bool) -> None:
        sender = self.sender()
        if sender is not None:
            sender.deleteLater()
        if damaged:
            self._on_found_damaged(problem)
        elif problem:
            self.statusBar().showMessage(
                self.tr("The automatic backup failed: {problem}").format(problem=problem)
            )
        elif made:
            self.statusBar().showMessage(self.tr("Automatic backup saved."), 5000)
        self.backup_finished.emit(made, problem)

    def _on_found_damaged(self, problem: str) -> None:
        """The check after opening found damage: offer the newest backup at once."""
        self.statusBar().showMessage(self.tr("This database is damaged."))
        path = self._db.path
        backups = list_backups(path) if path is not None else []
        if not backups:
            show_open_error(
                self,
                problem
                + "\n\n"
                + self.tr(
                    "There is no automatic backup of it. Save your work elsewhere "
                    "(File > Back up now...) and ask for help before going on."
                ),
            )
            return
        answer = QMessageBox.warning(
            self,
            _title(),
            problem
            + "\n\n"
            + self.tr(
                "Restore the latest automatic backup, taken {when}? "
                "The damaged file is kept beside it under a new name, not deleted."
            ).format(when=_local_time_text(backups[0].stat().st_mtime)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_from(backups[0])

    # --- sign-ups: the kiosk, and bundles between laptops ------------------------------------

    @property
    def kiosk_window(self) -> KioskWindow | None:
        """The kiosk while kiosk mode is on, else None."""
        return self._kiosk

    def _on_start_kiosk(self) -> None:
        profile = get_profile(self._db)
        if profile is None or not profile.has_kiosk_pin:
            answer = QMessageBox.question(
                self,
                _title(),
                self.tr(
                    "The kiosk needs a kiosk PIN: a volunteer types it to leave the kiosk, "
                    "so nobody at the table can get to the roster. This group has no PIN "
                    "yet.\n\nSet one now in the group profile?"
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.Yes,
            )
            if answer != QMessageBox.StandardButton.Yes or not self.edit_group_profile():
                return
            profile = get_profile(self._db)
            if profile is None or not profile.has_kiosk_pin:
                QMessageBox.information(
                    self, _title(), self.tr("No kiosk PIN was set, so the kiosk did not start.")
                )
                return
        from desktop_app.views.kiosk import KioskStartDialog

        dialog = KioskStartDialog(self._db, self, now=datetime.now(UTC))
        if dialog.exec() != KioskStartDialog.DialogCode.Accepted:
            return
        event_id = dialog.event_id()
        if event_id is not None:
            self.start_kiosk(event_id)

    def start_kiosk(self, event_id: int) -> KioskWindow | None:
        """Full-screen kiosk for the event; this window hides until the PIN is given."""
        if self._kiosk is not None:
            return self._kiosk
        from desktop_app.services.signin import SignInError
        from desktop_app.views.kiosk import KioskWindow

        try:
            kiosk = KioskWindow.start(self._db, event_id)
        except SignInError as exc:
            QMessageBox.warning(
                self, _title(), self.tr("The kiosk could not start.") + f"\n\n{exc}"
            )
            return None
        kiosk.left.connect(self._on_kiosk_left)
        self._kiosk = kiosk
        # The kiosk first, then hide: there is always a window, so Qt does not quit.
        kiosk.show_kiosk()
        self.hide()
        return kiosk

    def _on_kiosk_left(self) -> None:
        kiosk, self._kiosk = self._kiosk, None
        self.show()  # before the kiosk closes, for the same reason
        self.raise_()
        self.activateWindow()
        self.reread_pages()
        if kiosk is not None:
            kiosk.deleteLater()

    def _on_export_bundle(self) -> None:
        # The bundle service (and its matcher) loads when first used, not at start-up.
        from desktop_app.services.bundles import SUGGESTED_SUFFIX

        profile = get_profile(self._db)
        stem = re.sub(r"[^\w-]+", "-", profile.name if profile else "").strip("-") or "sign-ups"
        suggested = Path.home() / f"{stem}-{date.today().isoformat()}{SUGGESTED_SUFFIX}"
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export sign-ups for merging"), str(suggested), bundle_file_filter()
        )
        if name:
            self.export_bundle_file(Path(name))

    def export_bundle_file(self, path: Path) -> bool:
        from desktop_app.services.bundles import BundleError, export_bundle

        """Write this laptop's sign-ups to path; False (after a message) if it could not."""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = export_bundle(self._db, path)
        except BundleError as exc:
            QApplication.restoreOverrideCursor()
            QMessageBox.critical(
                self, _title(), self.tr("The sign-ups were not exported.") + f"\n\n{exc}"
            )
            return False
        QApplication.restoreOverrideCursor()
        locale = QLocale()
        QMessageBox.information(
            self,
            _title(),
            self.tr(
                "Saved the sign-ups taken on this laptop to:\n{path}\n\nSign-ins: {signins}"
                "\nPeople: {people}\nEvents: {events}\n\nOn the secretary's laptop, merge "
                "this file with File > Merge sign-ups from another laptop."
            ).format(
                signins=locale.toString(result.signins),
                people=locale.toString(result.people),
                events=locale.toString(result.events),
                path=result.path,
            ),
        )
        return True

    def _on_merge_bundle(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Merge sign-ups from another laptop"),
            str(Path.home()),
            bundle_file_filter(),
        )
        if name:
            self.merge_bundle_file(Path(name))

    def merge_bundle_file(self, path: Path) -> Task | None:
        """Read the bundle at path, then merge it on the worker thread with a progress
        dialog; None (after one message, nothing changed) if the file is not mergeable."""
        from desktop_app.services.bundles import BundleError, read_bundle

        if self._busy():
            return None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            bundle = read_bundle(path)
        except BundleError as exc:
            QApplication.restoreOverrideCursor()
            self._merge_refused(exc)
            return None
        QApplication.restoreOverrideCursor()
        return self._start_merge(bundle, allow_other_group=False)

    def _start_merge(self, bundle: Bundle, *, allow_other_group: bool) -> Task:
        from desktop_app.services.bundles import merge_steps

        db = self._db
        self.action_merge_bundle.setEnabled(False)
        task = run_task(
            lambda: merge_steps(db, bundle, allow_other_group=allow_other_group),
            parent=self,
            title=self.tr("Merging sign-ups"),
            describe=self._describe_merge_step,
            on_success=self._on_merge_done,
            on_failure=lambda error: self._on_merge_failed(bundle, error),
            on_cancel=self._on_merge_cancelled,
        )
        task.finished.connect(self._on_merge_finished)
        self._merge_task = task
        return task

    def _on_merge_finished(self) -> None:
        # After "merge anyway?" a second merge may be running already.
        self.action_merge_bundle.setEnabled(not self._busy_merging())

    def _busy_merging(self) -> bool:
        return self._merge_task is not None and self._merge_task.is_running()

    @property
    def merge_task(self) -> Task | None:
        """The last merge started from this window (running or finished)."""
        return self._merge_task

    def _describe_merge_step(self, step: MergeProgress) -> ProgressText:
        words = {
            "reading": self.tr("Reading the file..."),
            "matching": self.tr("Matching people with the roster..."),
            "likely duplicates": self.tr("Looking for likely duplicates..."),
            "writing": self.tr("Saving..."),
        }
        return ProgressText(words.get(step.stage, self.tr("Merging...")), step.done, step.total)

    def _merge_refused(self, error: BaseException) -> None:
        QMessageBox.critical(
            self,
            _title(),
            self.tr("These sign-ups cannot be merged; nothing was changed.") + f"\n\n{error}",
        )

    def _on_merge_failed(self, bundle: Bundle, error: BaseException) -> None:
        from desktop_app.services.bundles import BundleFromOtherGroup

        if isinstance(error, BundleFromOtherGroup):
            ours = error.our_name or self.tr("this group")
            answer = QMessageBox.question(
                self,
                _title(),
                self.tr(
                    "This file comes from {group}, not from {ours}.\n\n{file}\n\nMerge it anyway?"
                ).format(
                    group=error.group_name or self.tr("a group without a name"),
                    ours=ours,
                    file=bundle.file_name,
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer == QMessageBox.StandardButton.Yes:
                self._start_merge(bundle, allow_other_group=True)
            else:
                self.statusBar().showMessage(self.tr("Not merged; nothing was changed."), 10000)
            return
        self._merge_refused(error)

    def _on_merge_cancelled(self) -> None:
        QMessageBox.information(
            self, _title(), self.tr("The merge was stopped. Nothing was changed.")
        )

    def merge_summary_text(self, summary: MergeSummary) -> str:
        """What a merge did, in words (the figures of ``groupdesk bundle merge --json``)."""
        if summary.already_merged:
            return self.tr("{file} was merged before: nothing changed.").format(
                file=summary.file_name
            )
        number = QLocale().toString
        lines = [
            self.tr("Merged {file}.").format(file=summary.file_name),
            "",
            self.tr("New people added: {n}").format(n=number(summary.people_added)),
            self.tr("People already on the roster: {n}").format(n=number(summary.people_matched)),
            self.tr("Sign-ins added: {n}").format(n=number(summary.signins_added)),
            self.tr("Needing a review: {n}").format(n=number(summary.needs_review))
            if summary.needs_review
            else self.tr("Nothing needs a review."),
        ]
        return "\n".join(lines)

    def _on_merge_done(self, summary: MergeSummary) -> None:
        self.reread_pages()
        text = self.merge_summary_text(summary)
        self.statusBar().showMessage(text.splitlines()[0], 10000)
        if summary.needs_review and self.review_page() is not None:
            answer = QMessageBox.question(
                self,
                _title(),
                text + "\n\n" + self.tr("Open the review list now?"),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.Yes,
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.show_review_page()
            return
        QMessageBox.information(self, _title(), text)

    # --- printing ------------------------------------------------------------------------------

    def _build_print_menu(self) -> QMenu:
        """File > Print: each entry opens a small options dialog, then the print preview.

        The dialogs, the printing code and QtPdf load when a document is first chosen.
        """
        menu = QMenu(self.tr("&Print"), self.file_menu)
        menu.setObjectName("menuPrint")
        menu.setToolTipsVisible(True)
        self.print_actions: dict[str, QAction] = {}
        for kind, name, text, tip in (
            (
                "flyer",
                "actionPrintFlyer",
                self.tr("&Flyer for an event..."),
                self.tr("Date, place and a QR code, with tear-off strips if wanted"),
            ),
            (
                "signin_sheet",
                "actionPrintSigninSheet",
                self.tr("&Sign-in sheet for an event..."),
                self.tr("The regulars' names already on it, and blank rows for newcomers"),
            ),
            (
                "labels",
                "actionPrintLabels",
                self.tr("Mailing &labels..."),
                self.tr("Avery 5160, 5163, L7160 or L7163, for those who agreed to post"),
            ),
            (
                "contact_list",
                "actionPrintContactList",
                self.tr("&Phone list or roster..."),
                self.tr("With only the contact details each person agreed to"),
            ),
            (
                "attendance",
                "actionPrintAttendance",
                self.tr("&Attendance of an event..."),
                self.tr("Who came, and who came for the first time"),
            ),
            (
                "agenda",
                "actionPrintAgenda",
                self.tr("Meeting a&genda..."),
                self.tr("The items, the open urgent actions and their deadlines"),
            ),
        ):
            action = self._action(
                name, text, lambda _checked=False, k=kind: self.print_document(k), tip=tip
            )
            menu.addAction(action)
            self.print_actions[kind] = action
        self.print_menu = menu
        return menu

    def print_document(self, kind: str) -> QDialog:
        """Open the options dialog for a kind of document (flyer, signin_sheet, labels,
        contact_list, attendance, agenda); the preview follows. Not blocking."""
        from desktop_app.views.print_dialogs import context_from, open_print_dialog

        context = context_from(self._db, self._pages)
        return open_print_dialog(self, kind, context)

    # --- importing people ----------------------------------------------------------------------

    def _on_import_people(self) -> None:
        from desktop_app.views.import_dialog import choose_people_file

        if self._busy():
            return
        path = choose_people_file(self)
        if path is not None:
            self.import_people_file(path)

    def import_people_file(self, path: Path) -> ImportDialog:
        """The import dialog on the list at path (read at once), shown window-modal."""
        from desktop_app.views.import_dialog import ImportDialog

        dialog = ImportDialog(self._db, self)
        dialog.imported.connect(self._on_people_imported)
        dialog.open_path(path)
        dialog.open()
        self.import_dialog: ImportDialog | None = dialog
        return dialog

    def _on_people_imported(self, summary: ImportSummary) -> None:
        from desktop_app.views.import_dialog import ImportResultDialog

        self.reread_pages()
        self.statusBar().showMessage(
            self.tr("Imported {file}: {n} added.").format(
                file=summary.source_name, n=QLocale().toString(summary.counts.added)
            ),
            10000,
        )
        result = ImportResultDialog(
            self._db,
            summary,
            self,
            on_changed=self.reread_pages,
            on_review=self.show_review_page,
        )
        result.open()
        self.import_result: ImportResultDialog | None = result

    def _on_import_history(self) -> None:
        self.show_import_history()

    def show_import_history(self) -> ImportHistoryDialog:
        from desktop_app.views.import_dialog import ImportHistoryDialog

        dialog = ImportHistoryDialog(self._db, self, on_changed=self.reread_pages)
        dialog.open()
        self.import_history: ImportHistoryDialog | None = dialog
        return dialog

    # --- exporting ------------------------------------------------------------------------------

    def _build_export_menu(self) -> QMenu:
        """File > Export: the treasurer's workbook and the people lists (.xlsx or .csv)."""
        menu = QMenu(self.tr("Expor&t"), self.file_menu)
        menu.setObjectName("menuExport")
        menu.setToolTipsVisible(True)
        self.action_export_treasurer = self._action(
            "actionExportTreasurer",
            self.tr("&Treasurer's workbook..."),
            self._on_export_treasurer,
            tip=self.tr("Summary by category and month, transactions, dues, donations (.xlsx)"),
        )
        menu.addAction(self.action_export_treasurer)
        menu.addSeparator()
        people_lists: tuple[tuple[ListKind, str, str, str], ...] = (
            (
                "roster",
                "actionExportRoster",
                self.tr("&Roster..."),
                self.tr("Everyone on the roster; do-not-contact people without their details"),
            ),
            (
                "mail",
                "actionExportMailingList",
                self.tr("&Mailing list..."),
                self.tr("Postal addresses of those who agreed to post"),
            ),
            (
                "email",
                "actionExportEmailList",
                self.tr("&Email list..."),
                self.tr("Email addresses of those who agreed to email"),
            ),
            (
                "phone",
                "actionExportPhoneList",
                self.tr("&Phone list..."),
                self.tr("Phone numbers of those who agreed to calls"),
            ),
        )
        self.export_people_actions: dict[ListKind, QAction] = {}
        for kind, name, text, tip in people_lists:
            action = self._action(
                name, text, lambda _checked=False, k=kind: self._on_export_people(k), tip=tip
            )
            menu.addAction(action)
            self.export_people_actions[kind] = action
        self.export_menu = menu
        return menu

    def _report_export(self, text: str) -> None:
        self.statusBar().showMessage(text, 15000)

    def _on_export_treasurer(self) -> None:
        from desktop_app.views.export_actions import export_treasurer_workbook

        if export_treasurer_workbook(self, self._db, self._report_export) is not None:
            self._exported = True

    def _on_export_people(self, kind: ListKind) -> None:
        from desktop_app.views.export_actions import export_people_list

        if export_people_list(self, self._db, kind, self._report_export) is not None:
            self._exported = True

    # --- settings and closing -----------------------------------------------------------------

    def _restore_settings(self) -> None:
        settings = QSettings()
        geometry = settings.value("mainWindow/geometry")
        if isinstance(geometry, QByteArray | bytes) and geometry:
            self.restoreGeometry(QByteArray(geometry))
        else:
            available = self.screen().availableGeometry()
            self.resize(
                min(1100, int(available.width() * 0.9)), min(720, int(available.height() * 0.9))
            )
        state = settings.value("mainWindow/state")
        if isinstance(state, QByteArray | bytes) and state:
            self.restoreState(QByteArray(state))
        splitter = settings.value("mainWindow/splitter")
        if isinstance(splitter, QByteArray | bytes) and splitter:
            self.splitter.restoreState(QByteArray(splitter))
        page = settings.value("mainWindow/page")
        if isinstance(page, str) and page:
            self._select_page_key(page)

    def save_settings(self) -> None:
        settings = QSettings()
        settings.setValue("mainWindow/geometry", self.saveGeometry())
        settings.setValue("mainWindow/state", self.saveState())
        settings.setValue("mainWindow/splitter", self.splitter.saveState())
        settings.setValue("mainWindow/page", self._current_page_key())
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._kiosk is not None and not self._closed:
            # Kiosk mode ends with the PIN, in the kiosk; not by closing this hidden window.
            event.ignore()
            return
        task = self._merge_task
        if task is not None and task.is_running():
            task.cancel()  # rolled back; the database is closed only after that
            task.wait()
        if self._exported:
            from desktop_app.views.export_actions import stop_running_exports

            stop_running_exports()  # an unfinished file never appears
        if not self._closed:
            self._closed = True
            self.save_settings()
            self._backup_pool.waitForDone()
            db, lock = self._detach()
            self._let_go(db, lock)
            self._lock = None
        event.accept()
