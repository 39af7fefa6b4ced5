"""The Review page's list: one open review item a row, said in words.

An import can leave many likely duplicates, so the list is a list table (fixed row
heights, nothing measured per row) rather than a list of wrapped items. The page
says what each item is (it knows which person a merge keeps); a row too long for
the column is cut short, and its tool tip says it whole with why the item is there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt

from desktop_app.services.reviews import ReviewRow
from desktop_app.views.table_models.roster_model import plain_text_tooltip
from desktop_app.views.table_models.row_list import RowListModel


class ReviewListModel(RowListModel[ReviewRow]):
    """The open review items as services.reviews lists them; describe says each in words."""

    ITEM = 0
    COLUMN_COUNT = 1

    def __init__(self, describe: Callable[[ReviewRow], str], parent: QObject | None = None) -> None:
        super().__init__((QCoreApplication.translate("ReviewListModel", "To review"),), parent)
        self._describe = describe

    def set_rows(self, rows: Sequence[ReviewRow]) -> None:
        self._replace_rows(rows)

    def text(self, row: ReviewRow, column: int) -> str:
        return self._describe(row)

    def role_data(self, row: ReviewRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            why = row.reason or row.origin
            return plain_text_tooltip(
                f"{self._describe(row)}\n{why}" if why else self._describe(row)
            )
        return None
