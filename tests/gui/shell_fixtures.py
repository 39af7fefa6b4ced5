"""Helpers for the application shell's GUI tests: stand-in pages and a group database.

The pages are tiny stand-ins so the window's own behaviour (navigation, routing of
Find and New person, undo) is tested apart from the real pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from desktop_app.db import Database, create_database
from desktop_app.services.group import GroupProfileData, save_profile
from desktop_app.views.pages import Page, PageFactory


class SearchPage(Page):
    """Stands in for the roster: it can search and add people."""

    def __init__(self, db: Database, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("SearchPage")
        self.db = db
        self.built_with_stack = undo_stack
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("search")
        QVBoxLayout(self).addWidget(self.search_edit)
        self.search_calls = 0
        self.new_person_calls = 0

    def page_title(self) -> str:
        return "People"

    def focus_search(self) -> None:
        self.search_calls += 1
        self.search_edit.setFocus()

    def new_person(self) -> None:
        self.new_person_calls += 1


class PlainPage(Page):
    """A page that neither searches nor adds people."""

    def __init__(self, db: Database, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("PlainPage")
        self.db = db
        self.field = QLineEdit(self)
        QVBoxLayout(self).addWidget(self.field)

    def page_title(self) -> str:
        return "Notes"


TEST_PAGES: Sequence[PageFactory] = (SearchPage, PlainPage)


def make_group_database(path: Path, name: str = "Riverside Group") -> Database:
    """A new database file with a group profile saved in it."""
    db = create_database(str(path))
    save_profile(db, GroupProfileData(name=name, city="Riverside", country="US"), kiosk_pin="1234")
    return db
