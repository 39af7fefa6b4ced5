"""A table model over a short list of plain rows (events, attendance, follow-ups).

Short lists are read whole from a service and shown as they are; the 100,000-row
roster has its own model over row keys instead (roster_model.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

RowT = TypeVar("RowT")
ModelIndex = QModelIndex | QPersistentModelIndex


class RowListModel(QAbstractTableModel, Generic[RowT]):
    """Rows, headers and the parts of QAbstractTableModel every short list shares.

    data() answers the display text from text(), the id of the record a row shows
    (IdRole, from row_id()) and the row itself (RowRole); a subclass says what its
    columns show in text() and adds any other role (tool tips, fonts, colours...) in
    role_data().
    """

    COLUMN_COUNT: ClassVar[int] = 0
    IdRole = Qt.ItemDataRole.UserRole + 1  # int: the event's, the case's, the person's...
    RowRole = Qt.ItemDataRole.UserRole + 2  # the service's row

    def __init__(self, headers: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[RowT] = []
        self._headers = tuple(headers)

    def _replace_rows(self, rows: Sequence[RowT]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[RowT]:
        return list(self._rows)

    def row_at(self, row: int) -> RowT | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_where(self, matches: Callable[[RowT], bool]) -> int:
        """The number of the first row that matches, or -1."""
        return next((number for number, row in enumerate(self._rows) if matches(row)), -1)

    def row_id(self, row: RowT) -> int | None:
        """The id of the record row shows (IdRole, row_of): its ``id`` unless overridden."""
        value = getattr(row, "id", None)
        return value if isinstance(value, int) else None

    def row_of(self, record_id: int) -> int:
        """The number of the row showing that record, or -1."""
        return self.row_where(lambda row: self.row_id(row) == record_id)

    def text(self, row: RowT, column: int) -> str:
        """What the column shows for row (DisplayRole)."""
        raise NotImplementedError

    def role_data(self, row: RowT, column: int, role: int) -> Any:
        """Any other role of a cell (tool tip, font, colour, alignment); None by default."""
        return None

    # --- QAbstractTableModel -------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, index.column())
        if role == self.IdRole:
            return self.row_id(row)
        if role == self.RowRole:
            return row
        return self.role_data(row, index.column(), role)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < self.COLUMN_COUNT
        ):
            return self._headers[section]
        return None
