"""The list pages' shared table: its keys, its double click, its columns and its rows.

Every list page (events, follow-ups, urgent actions, the ledger) builds its table with
list_tables.ListTableView and size_columns, so what is checked here holds on each.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QHeaderView, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.views.list_tables import (
    ListTableView,
    select_row,
    selected_id,
    selected_row,
    size_columns,
)
from desktop_app.views.table_models.row_list import RowListModel


@dataclass(frozen=True)
class Item:
    id: int
    name: str


class ItemsModel(RowListModel[Item]):
    NAME = 0
    NOTE = 1
    COLUMN_COUNT = 2

    def text(self, row: Item, column: int) -> str:
        return row.name if column == self.NAME else f"note {row.id}"


@pytest.fixture
def calls() -> list[str]:
    return []


@pytest.fixture
def table(qtbot: QtBot, calls: list[str]) -> Iterator[ListTableView]:
    model = ItemsModel(("Name", "Note"))
    model._replace_rows([Item(7, "Ana"), Item(9, "Ben")])
    parent = QWidget()
    qtbot.addWidget(parent)
    view = ListTableView(model, "Items", parent)
    view.openRequested.connect(lambda: calls.append("open"))
    view.deleteRequested.connect(lambda: calls.append("delete"))
    view.resize(400, 200)
    parent.show()
    qtbot.waitExposed(parent)
    yield view  # parent, and so the table, lives until the test ends


def test_enter_and_a_double_click_open_and_delete_deletes(
    qtbot: QtBot, table: ListTableView, calls: list[str]
) -> None:
    select_row(table, 1)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    cell = table.visualRect(table.model().index(0, 0)).center()
    # As a mouse does it: the first click's press, then the double click.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    assert calls == ["open", "delete", "open"]


def test_keys_with_a_modifier_are_left_to_the_table(
    qtbot: QtBot, table: ListTableView, calls: list[str]
) -> None:
    select_row(table, 0)
    qtbot.keyClick(table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(table, Qt.Key.Key_Delete, Qt.KeyboardModifier.ShiftModifier)
    assert calls == []


def test_enter_is_the_tables_own_when_the_page_does_not_listen(qtbot: QtBot) -> None:
    model = ItemsModel(("Name", "Note"))
    model._replace_rows([Item(7, "Ana")])
    parent = QWidget()
    qtbot.addWidget(parent)
    view = ListTableView(model, "Items", parent)
    select_row(view, 0)
    with qtbot.waitSignal(view.activated, timeout=1000):  # QAbstractItemView's own Enter
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert view.accessibleName() == "Items"


def test_rows_are_selected_whole_and_found_by_id(table: ListTableView) -> None:
    assert select_row(table, 1)
    assert selected_row(table) == 1
    assert selected_id(table, ItemsModel.IdRole) == 9
    assert table.model().index(1, 1).data() == "note 9"
    assert not select_row(table, 5)  # no such row: the selection stays
    assert selected_id(table, ItemsModel.IdRole) == 9


def test_columns_share_the_width(table: ListTableView) -> None:
    header = table.horizontalHeader()
    size_columns(table, (None, 90), stretch=ItemsModel.NAME)
    assert not header.stretchLastSection()
    assert header.sectionResizeMode(ItemsModel.NAME) == QHeaderView.ResizeMode.Stretch
    assert header.sectionSize(ItemsModel.NOTE) == 90
    size_columns(table, fit=(ItemsModel.NAME,))
    assert header.stretchLastSection()
    assert header.sectionResizeMode(ItemsModel.NAME) == QHeaderView.ResizeMode.ResizeToContents


def test_the_list_look(table: ListTableView) -> None:
    assert not table.verticalHeader().isVisible()
    assert not table.horizontalHeader().highlightSections()
    assert not table.tabKeyNavigation()
    assert table.editTriggers() == table.EditTrigger.NoEditTriggers
    row = table.rowViewportPosition(1) - table.rowViewportPosition(0)
    assert row == table.fontMetrics().height() + 10
    assert table.indexAt(QPoint(1, 1)).row() == 0
