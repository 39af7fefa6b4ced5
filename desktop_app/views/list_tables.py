"""The list pages' tables (the roster, events, follow-ups, urgent actions, the ledger):
how they look, how their columns share the width, and how they are selected by row.

They are read-only lists of whole rows with even row heights and no row numbers, where
Tab leaves the table (arrows move in it), Enter or a double click opens the row and
Delete removes it where the page allows. Each page reads its list again after a
change and wants the record it was on, or the first one, to stay selected and in
view; and each asks which record is selected by the id its model keeps in a role.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import (
    SIGNAL,
    QAbstractItemModel,
    QItemSelectionModel,
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget


def prepare_list_table(table: QTableView, *, many: bool = False) -> None:
    """Give table the list pages' look; many: several rows may be selected at once."""
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection
        if many
        else QAbstractItemView.SelectionMode.SingleSelection
    )
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    table.horizontalHeader().setHighlightSections(False)
    vertical = table.verticalHeader()
    vertical.setVisible(False)
    # Fixed heights: a 100,000-row table never measures its rows.
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(table.fontMetrics().height() + 10)


def size_columns(
    table: QTableView,
    widths: Sequence[int | None] = (),
    *,
    stretch: int | None = None,
    fit: Iterable[int] = (),
) -> None:
    """Share the table's width among its columns.

    widths: the columns' widths to start with, in column order (None: leave that one),
    the user may drag them; stretch: the column that takes the room left over (the last
    one when None); fit: columns kept as wide as their text.
    """
    header = table.horizontalHeader()
    header.setStretchLastSection(stretch is None)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    for column, width in enumerate(widths):
        if width is not None:
            header.resizeSection(column, width)
    for column in fit:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)


def select_row(table: QTableView, row: int) -> bool:
    """Make row the current and only selected row, scrolled into view (False: no such row)."""
    model = table.model()
    selection = table.selectionModel()
    if model is None or selection is None or not 0 <= row < model.rowCount():
        return False
    index = model.index(row, 0)
    selection.setCurrentIndex(
        index,
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    table.scrollTo(index)
    return True


def select_id(table: QTableView, role: int, record_id: int | None) -> bool:
    """Select the row whose role holds record_id, or else the first (False: no rows)."""
    model = table.model()
    if model is None or model.rowCount() == 0:
        return False
    found = (
        model.match(model.index(0, 0), role, record_id, 1, Qt.MatchFlag.MatchExactly)
        if record_id is not None
        else []
    )
    return select_row(table, found[0].row() if found else 0)


def selected_row(table: QTableView) -> int:
    """The first selected row's number, or -1."""
    selection = table.selectionModel()
    rows = selection.selectedRows() if selection is not None else []
    return rows[0].row() if rows else -1


def selected_id(table: QTableView, role: int) -> int | None:
    """The id the first selected row holds in role, or None when nothing is selected."""
    selection = table.selectionModel()
    rows = selection.selectedRows() if selection is not None else []
    value = rows[0].data(role) if rows else None
    return value if isinstance(value, int) else None


class ListTableView(QTableView):
    """A list page's table over model, with prepare_list_table's look.

    Signals:
        openRequested(): Enter (or Return) or a double click on a row.
        deleteRequested(): the Delete key.

    The page acts on what is selected. A key whose signal nobody listens to is the
    table's as usual.
    """

    openRequested = Signal()
    deleteRequested = Signal()

    def __init__(
        self, model: QAbstractItemModel, name: str, parent: QWidget, *, many: bool = False
    ) -> None:
        super().__init__(parent)
        prepare_list_table(self, many=many)
        self.setModel(model)
        self.setAccessibleName(name)
        self.doubleClicked.connect(self._on_double_clicked)

    def _on_double_clicked(self, _index: QModelIndex) -> None:
        self.openRequested.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not event.modifiers():
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.receivers(
                SIGNAL("openRequested()")
            ):
                self.openRequested.emit()
                return
            if key == Qt.Key.Key_Delete and self.receivers(SIGNAL("deleteRequested()")):
                self.deleteRequested.emit()
                return
        super().keyPressEvent(event)
