"""Pages that list records with the selected one's details beside them: Events, Urgent Actions.

Such a page has, at the top, what the list shows (the upcoming/past tabs, "show
closed cases") at the left and the action buttons at the right; under them the
page's message line; then the list (a ListTableView) and, beside it, the selected
record's name in large type, its details as selectable text, and whatever more the
page puts under them.

The page reads its rows into its model and calls show_rows(record_id): that record
(or else the first) is selected and shown. Whenever the selection changes, the page
reads the selected record's details (read_detail; a refusal among DETAIL_ERRORS is
said on the message line), then shows them (show_detail) and enables what they allow
(update_actions).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import ClassVar, Generic, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from desktop_app.views.list_tables import ListTableView, select_id, selected_id
from desktop_app.views.pages import Page, control_row
from desktop_app.views.table_models.row_list import RowListModel

DetailT = TypeVar("DetailT")


class ListDetailPage(Page, Generic[DetailT]):
    """A list of records, the selected one's details beside it, and actions on it.

    A subclass makes ``table``, ``message`` (make_message_label), the detail labels
    (make_detail_labels) and the panel beside the list (detail_layout), then lays them
    out with lay_out_list_and_detail. It says:

    * ``read_detail(record_id)``: the details of a record (may raise DETAIL_ERRORS);
    * ``show_detail()``: show ``self.detail`` beside the list (None: nothing selected);
    * ``update_actions()``: enable the actions ``self.detail`` allows.
    """

    DETAIL_ERRORS: ClassVar[tuple[type[Exception], ...]] = ()
    table: ListTableView
    detail_title: QLabel
    detail_text: QLabel
    detail_panel: QWidget

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: DetailT | None = None
        self._showing_rows = False  # show_rows reads the selected record itself, once

    # --- building ----------------------------------------------------------------------

    def make_detail_labels(self) -> None:
        """detail_title (the record's name, larger and bold) and detail_text under it."""
        self.detail_title = QLabel(self)
        self.detail_title.setTextFormat(Qt.TextFormat.PlainText)
        self.detail_title.setWordWrap(True)
        title_font = QFont(self.detail_title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.25)
        title_font.setBold(True)
        self.detail_title.setFont(title_font)
        self.detail_text = QLabel(self)
        self.detail_text.setTextFormat(Qt.TextFormat.PlainText)
        self.detail_text.setWordWrap(True)
        self.detail_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def detail_layout(self, *, text_stretch: int = 0) -> QVBoxLayout:
        """The panel beside the list (detail_panel) with the detail labels; its layout,
        for the page to add more under them."""
        self.detail_panel = QWidget(self)
        layout = QVBoxLayout(self.detail_panel)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addWidget(self.detail_title)
        layout.addWidget(self.detail_text, text_stretch)
        return layout

    def lay_out_list_and_detail(
        self,
        shown: QWidget,
        buttons: Sequence[QWidget],
        sizes: tuple[int, int],
        *,
        then: Sequence[QWidget] = (),
    ) -> None:
        """Lay the page out and follow the list's selection.

        shown: what chooses the rows (at the left of the buttons); sizes: the list's and
        the panel's widths to start with; then: the panel's controls, after the list in
        the Tab order.
        """
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail_panel)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes(list(sizes))
        self.lay_out_page([control_row(shown, None, *buttons)], splitter)
        order: list[QWidget] = [shown, *buttons, self.table, *then]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)
        self.focus_after_dialog = self.table
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

    # --- reading (read_detail, show_detail and update_actions are the subclass's) --------

    def read_detail(self, record_id: int) -> DetailT:
        raise NotImplementedError

    def selected_id(self) -> int | None:
        """The id of the selected record, or None."""
        return selected_id(self.table, RowListModel.IdRole)

    def show_rows(self, record_id: int | None) -> None:
        """The model has new rows: select record_id's (or else the first) and show it."""
        self._showing_rows = True
        try:
            select_id(self.table, RowListModel.IdRole, record_id)
        finally:
            self._showing_rows = False
        self._read_selected()

    def _on_selection_changed(self) -> None:
        if not self._showing_rows:
            self._read_selected()

    def _read_selected(self) -> None:
        record_id = self.selected_id()
        self.detail = None
        if record_id is not None:
            try:
                self.detail = self.read_detail(record_id)
            except self.DETAIL_ERRORS as exc:
                self.show_message(str(exc))
        self.show_detail()
        self.update_actions()

    def show_detail(self) -> None:
        raise NotImplementedError

    def update_actions(self) -> None:
        raise NotImplementedError


__all__ = ["ListDetailPage"]
