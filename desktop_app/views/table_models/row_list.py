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
    """Rows, headers and the counting parts of QAbstractTableModel; subclasses add data()."""

    COLUMN_COUNT: ClassVar[int] = 0

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

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMN_COUNT

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
