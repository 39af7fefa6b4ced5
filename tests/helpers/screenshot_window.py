"""What the screenshot helpers share: a QApplication whose settings live in the
screenshot's folder, the demo group, and the main window showing one of its pages.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QCoreApplication, QLocale, QSettings
from PySide6.QtWidgets import QApplication, QWidget

from desktop_app.db import Database, create_database
from desktop_app.services.demo import create_demo

if TYPE_CHECKING:
    from desktop_app.views.main_window import MainWindow

P = TypeVar("P", bound=QWidget)


def application(folder: Path) -> QApplication:
    """The application, in US English, keeping its settings in folder."""
    app = QApplication(sys.argv[:1])
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    QCoreApplication.setOrganizationName("GroupDeskScreenshot")
    QCoreApplication.setApplicationName("GroupDeskScreenshot")
    return app


def demo_database(folder: Path) -> Database:
    """A database in folder holding the demo group (300 people, always the same)."""
    db = create_database(str(folder / "group.sqlite"))
    create_demo(db, people=300, seed=1)
    return db


def main_window(db: Database) -> MainWindow:
    """The main window on db, shown at the screenshots' size."""
    from desktop_app.views.main_window import MainWindow

    window = MainWindow(db)
    window.resize(1280, 800)
    window.show()
    return window


def show_page(window: MainWindow, page_type: type[P]) -> P:
    """Switch window to its page of page_type and return that page."""
    index = next(
        number for number, page in enumerate(window.pages()) if isinstance(page, page_type)
    )
    window.show_page(index)
    page = window.current_page()
    assert isinstance(page, page_type)
    return page
