"""The list pages' tables (events, follow-ups, urgent actions, the ledger): how they
look and how they are selected by row.

They are read-only lists of whole rows with even row heights and no row numbers, where
Tab leaves the table (arrows move in it). Each page reads its list again after a
change and wants the record it was on, or the first one, to stay selected and in
view; and each asks which record is selected by the id its model keeps in a role.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView


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
    vertical = table.verticalHeader()
    vertical.setVisible(False)
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(table.fontMetrics().height() + 10)


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
