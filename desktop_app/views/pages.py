"""The pages of the main window, and the small contract each page follows.

A page is one area of the group's work (the roster, events, letters...). The main
window lists the pages on the left and shows one at a time. A page is built on an
open Database and the window's QUndoStack for that database; when the user switches
to another database the window throws the pages away and builds new ones, so a page
never has to cope with its database changing under it.

What the window may ask of a page:

* ``page_title()``: the name in the navigation list (translated).
* ``focus_search()``: Edit > Find (Ctrl+F). Override it only if the page can search;
  the window enables Find only for pages that override it.
* ``new_person()``: People > New person (Ctrl+N). Override it only on the page that
  adds people (the roster); the window switches to that page before calling it.
* ``set_undo_stack(stack)``: the window calls it right after building the page.
* ``title_changed``: a page whose title carries a count ("Review (3)") emits it when
  ``page_title()`` would give another text; the window renames the navigation item.

What a page may use: ``open_dialog(dialog, on_accepted)`` shows one window-modal
dialog at a time (a second is refused and the first brought forward) and
``current_dialog()`` says which is open (tests and the window use it). A page with a
message line under its buttons makes it with ``self.message = self.make_message_label()``;
``show_message(text)`` then says what just happened there, and ``show_failure(text)``
says it in a warning box as well. ``lay_out_page(rows, body)`` stacks the rows of
controls (``control_row``), the message line and the body that takes the rest.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLayout,
    QVBoxLayout,
    QWidget,
)

from desktop_app.db import Database
from desktop_app.views.base_dialog import open_warning


def control_row(*items: QWidget | None) -> QHBoxLayout:
    """A row of controls, left to right; None stands for the free room between them."""
    row = QHBoxLayout()
    for item in items:
        if item is None:
            row.addStretch(1)
        else:
            row.addWidget(item)
    return row


class Page(QWidget):
    """Base class of every page shown in the main window.

    Signals:
        title_changed(): page_title() has a new text.
    """

    title_changed = Signal()
    message: QLabel  # made by make_message_label() on the pages that have a message line

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._page_undo_stack: QUndoStack | None = None
        self._shown_before = False
        self._page_dialog: QDialog | None = None
        # Where the keyboard goes when a dialog of open_dialog closes (a page's list).
        self.focus_after_dialog: QWidget | None = None

    def reload(self) -> None:
        """Read what the page shows afresh (override on pages that show data)."""

    def showEvent(self, event: QShowEvent) -> None:
        # Read on first show rather than when built (the window builds every page soon
        # after it starts, opened or not), and again whenever the user comes back to the
        # page: the kiosk, a merge or another page may have changed what it shows.
        if not self._shown_before or not event.spontaneous():
            self.reload()
        self._shown_before = True
        super().showEvent(event)

    def page_title(self) -> str:
        """The page's name in the navigation list; subclasses return a translated text."""
        raise NotImplementedError

    def page_key(self) -> str:
        """A stable, untranslated name under which the window remembers the current page."""
        return self.objectName() or type(self).__name__

    def set_undo_stack(self, stack: QUndoStack) -> None:
        """The undo stack of the window for this database; push undoable edits onto it."""
        self._page_undo_stack = stack

    def undo_stack(self) -> QUndoStack | None:
        return self._page_undo_stack

    def focus_search(self) -> None:
        """Put the keyboard focus in the page's search field (override if there is one)."""

    def new_person(self) -> None:
        """Start adding a person (override on the page that can)."""

    def current_dialog(self) -> QDialog | None:
        """The dialog open_dialog has open, if any."""
        return self._page_dialog

    def open_dialog(self, dialog: QDialog, on_accepted: Callable[[], None] | None = None) -> None:
        """Show dialog window-modal; on_accepted runs if it is accepted.

        One at a time: while another is open this one is thrown away and the open one
        comes forward, so a double click never stacks two editors of the same thing.
        """
        if self._page_dialog is not None:
            self._page_dialog.raise_()
            self._page_dialog.activateWindow()
            dialog.deleteLater()
            return
        self._page_dialog = dialog

        def finished(result: int) -> None:
            self._page_dialog = None
            dialog.deleteLater()
            if result == QDialog.DialogCode.Accepted and on_accepted is not None:
                on_accepted()
            if self.focus_after_dialog is not None:
                self.focus_after_dialog.setFocus()

        dialog.finished.connect(finished)
        dialog.open()

    def make_message_label(self) -> QLabel:
        """A new message line: plain text, wrapped, hidden while it says nothing."""
        label = QLabel(self)
        label.setObjectName("pageMessage")
        label.setTextFormat(Qt.TextFormat.PlainText)  # it quotes names as they were typed
        label.setWordWrap(True)
        label.setVisible(False)
        return label

    def lay_out_page(self, rows: Sequence[QLayout], body: QWidget) -> None:
        """The page's layout: rows of controls, the message line, then body taking the rest."""
        layout = QVBoxLayout(self)
        for row in rows:
            layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(body, 1)

    def show_message(self, text: str) -> None:
        """Say text on the page's message line, or hide the line when text is empty."""
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def show_failure(self, text: str) -> None:
        """Say why something failed, on the message line and in a warning box."""
        self.show_message(text)
        open_warning(self, self.page_title(), text)

    def can_search(self) -> bool:
        return type(self).focus_search is not Page.focus_search

    def can_add_person(self) -> bool:
        return type(self).new_person is not Page.new_person


PageFactory = Callable[[Database, QUndoStack, QWidget | None], Page]
"""Builds one page: ``factory(db, undo_stack, parent)``; a Page subclass itself fits."""


class LazyPage:
    """A page factory that imports the page's module only when the page is built.

    The window builds its first page at once and the others after its first paint, so
    a page nobody has opened yet costs nothing while Group Desk starts.
    """

    def __init__(self, module: str, class_name: str) -> None:
        self.module = module
        self.class_name = class_name

    @property
    def page_class(self) -> type[Page]:
        page_class: type[Page] = getattr(importlib.import_module(self.module), self.class_name)
        return page_class

    def __call__(self, db: Database, undo_stack: QUndoStack, parent: QWidget | None) -> Page:
        # Every page class takes (db, undo_stack, parent); the base Page does not.
        factory = cast(PageFactory, self.page_class)
        return factory(db, undo_stack, parent)

    def __repr__(self) -> str:
        return f"LazyPage({self.module}.{self.class_name})"


def default_page_factories() -> Sequence[LazyPage]:
    """The pages that exist, in navigation order (the first is the one the window opens on)."""
    return (
        LazyPage("desktop_app.views.roster_page", "RosterPage"),
        LazyPage("desktop_app.views.events_page", "EventsPage"),
        LazyPage("desktop_app.views.followups_page", "FollowUpsPage"),
        LazyPage("desktop_app.views.urgent_actions_page", "UrgentActionsPage"),
        LazyPage("desktop_app.views.review_page", "ReviewPage"),
        LazyPage("desktop_app.views.treasurer_page", "TreasurerPage"),
    )


def page_classes() -> list[type[Page]]:
    """The classes of the default pages (imports every page module)."""
    return [factory.page_class for factory in default_page_factories()]
