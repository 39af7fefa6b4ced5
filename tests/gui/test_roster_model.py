"""The roster table model: a correct Qt model, search and sort as SQL says, pages on demand."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from desktop_app.db import Database
from desktop_app.models import LadderStage, PersonStatus
from desktop_app.services import roster
from desktop_app.services.roster import RosterFilter, RosterRow
from desktop_app.text import fold
from desktop_app.views.table_models import roster_model
from desktop_app.views.table_models.roster_model import RosterTableModel
from tests.gui.roster_fixtures import add_person, bulk_add_people, many_people

__all__ = ["add_person", "many_people"]  # fixtures used by name below

Model = RosterTableModel
AddPerson = Callable[..., int]


def shown_ids(model: RosterTableModel) -> list[int]:
    return [model.data(model.index(row, 0), Model.PersonIdRole) for row in range(model.rowCount())]


def test_the_model_passes_qts_model_tester_through_every_change(db: Database) -> None:
    bulk_add_people(db, 300)
    model = RosterTableModel(db)
    # Warning mode: a broken rule becomes a Qt warning, which fails the test
    # (qt_log_level_fail = WARNING); the tester watches every signal from here on.
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning)
    model.set_search("mar")
    model.set_search("zzzz-nobody")
    model.set_search("")
    model.set_filter(RosterFilter(statuses=frozenset({PersonStatus.MEMBER})))
    model.sort(Model.EMAIL, Qt.SortOrder.DescendingOrder)
    model.refresh()
    assert tester is not None


def test_search_narrows_to_the_people_whose_text_matches(
    db: Database, many_people: list[int]
) -> None:
    model = RosterTableModel(db)
    assert model.rowCount() == 2000
    model.set_search("mari")
    assert 0 < model.rowCount() < 2000
    assert shown_ids(model) == roster.search_person_ids(db, "mari")
    for row in range(model.rowCount()):
        name = model.data(model.index(row, Model.NAME))
        email = model.data(model.index(row, Model.EMAIL))
        assert "mari" in fold(f"{name} {email}")
    model.set_search("")
    assert model.rowCount() == 2000


def test_a_phone_written_as_people_write_it_finds_the_number(
    db: Database, add_person: AddPerson
) -> None:
    kenji = add_person(given_name="Kenji", family_name="Sato", phone="617-555-0143")
    add_person(given_name="Aoife", phone="617 555 0199")
    model = RosterTableModel(db)
    model.set_search("555-0143")
    assert shown_ids(model) == [kenji]
    # Shown in the group's national format, stored as E.164.
    assert model.data(model.index(0, Model.PHONE)) == "(617) 555-0143"


@pytest.mark.parametrize("text", ["", "ma", "ken"])
def test_sorting_by_each_column_is_the_order_sql_gives(
    db: Database, many_people: list[int], text: str
) -> None:
    model = RosterTableModel(db)
    model.set_search(text)
    for column, key in Model.SORT_KEYS.items():
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            before = shown_ids(model)
            model.sort(column, order)
            if key is None:
                assert shown_ids(model) == before  # consent: not sortable, nothing moves
                continue
            descending = order == Qt.SortOrder.DescendingOrder
            expected = roster.search_person_ids(db, text, RosterFilter(), key, descending)
            assert shown_ids(model) == expected, (column, order)


def test_sorted_columns_read_in_order_on_screen(db: Database, many_people: list[int]) -> None:
    model = RosterTableModel(db)

    def column_values(column: int) -> list[str]:
        return [model.data(model.index(row, column)) for row in range(model.rowCount())]

    model.sort(Model.EMAIL, Qt.SortOrder.AscendingOrder)
    emails = column_values(Model.EMAIL)
    assert emails == sorted(emails, key=str.casefold)
    model.sort(Model.POSTAL_CODE, Qt.SortOrder.DescendingOrder)
    codes = column_values(Model.POSTAL_CODE)
    assert codes == sorted(codes, reverse=True)
    model.sort(Model.LADDER, Qt.SortOrder.AscendingOrder)
    rows: list[RosterRow] = [model.data(model.index(r, 0), Model.RowRole) for r in range(2000)]
    ranks = [list(LadderStage).index(row.ladder_stage) for row in rows]
    assert ranks == sorted(ranks)


def test_filters_narrow_like_the_service(db: Database, many_people: list[int]) -> None:
    model = RosterTableModel(db)
    model.set_search("ma")
    for flt in (
        RosterFilter(statuses=frozenset({PersonStatus.ACTIVIST})),
        RosterFilter(dues="lapsed"),
        RosterFilter(consent="do_not_contact"),
        RosterFilter(needs_review=True),
        RosterFilter(tag="letters"),
        RosterFilter(ladder_stage=LadderStage.LEADS),
    ):
        model.set_filter(flt)
        assert shown_ids(model) == roster.search_person_ids(db, "ma", flt)
        assert 0 < model.rowCount() < 2000


def test_rows_are_read_a_visible_page_at_a_time(
    db: Database, many_people: list[int], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    fetched: list[list[int]] = []

    def counting_fetch_rows(database: Database, ids: Sequence[int]) -> list[RosterRow]:
        fetched.append(list(ids))
        return roster.fetch_rows(database, ids)

    monkeypatch.setattr(roster_model, "fetch_rows", counting_fetch_rows)
    model = RosterTableModel(db)
    assert fetched == []  # nothing is read before a view asks
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(900, 400)
    view.show()
    qtbot.waitExposed(view)
    view.grab()  # a paint, now: it asks for the visible rows
    assert fetched
    ids = model.person_ids()
    page = Model.PAGE_SIZE
    assert all(set(batch) <= set(ids[:page]) for batch in fetched)
    fetched.clear()

    view.scrollToBottom()
    view.grab()
    assert fetched
    last_page_start = (len(ids) - 1) // page * page
    assert all(set(batch) <= set(ids[last_page_start:]) for batch in fetched)
    fetched.clear()

    view.scrollToTop()
    view.grab()
    assert fetched == []  # the first page is still in the cache


def test_the_cache_stays_bounded(db: Database, many_people: list[int]) -> None:
    model = RosterTableModel(db)
    model.CACHE_ROWS = 400
    for row in range(model.rowCount()):
        assert model.row_at(row) is not None
    assert len(model._cache) <= 400


def test_person_id_and_row_lookups(db: Database, many_people: list[int]) -> None:
    model = RosterTableModel(db)
    model.set_search("ken")
    first = model.person_id_at(0)
    assert first is not None
    assert model.row_of(first) == 0
    last = model.rowCount() - 1
    assert model.row_of(model.person_id_at(last) or -1) == last
    assert model.person_id_at(model.rowCount()) is None
    hidden = next(i for i in many_people if i not in set(model.person_ids()))
    assert model.row_of(hidden) == -1


def test_review_and_do_not_contact_are_marked(db: Database, add_person: AddPerson) -> None:
    flagged = add_person(given_name="<b>Tom & Jerry</b>", phone="12")
    quiet = add_person(given_name="Quiet", family_name="Person", do_not_contact=True)
    model = RosterTableModel(db)
    row = model.row_of(flagged)
    name = model.index(row, Model.NAME)
    assert model.data(name) == "<b>Tom & Jerry</b>"  # exactly as stored
    assert model.data(name, Qt.ItemDataRole.DecorationRole) is not None
    tooltip = model.data(name, Qt.ItemDataRole.ToolTipRole)
    assert "Needs review" in tooltip and "digits" in tooltip
    consent = model.index(model.row_of(quiet), Model.CONSENT)
    assert model.data(consent) == "Do not contact"
    assert model.data(consent, Qt.ItemDataRole.DecorationRole) is not None
    assert model.data(model.index(row, Model.CONSENT)) == "none given"


def test_tooltips_show_markup_literally() -> None:
    tip = roster_model.plain_text_tooltip("<b>Tom & Jerry</b>\nsecond line")
    assert "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;<br>second line" in tip
    assert roster_model.plain_text_tooltip("") == ""


def test_dues_read_as_words(db: Database, add_person: AddPerson) -> None:
    today = date.today()
    people = {
        add_person(given_name="A", dues_paid_through=today + timedelta(days=3)): "Current",
        add_person(given_name="B", dues_paid_through=today - timedelta(days=3)): "Lapsed",
        add_person(given_name="C", dues_waived=True): "Waived",
        add_person(given_name="D"): "",
    }
    model = RosterTableModel(db)
    for person_id, words in people.items():
        assert model.data(model.index(model.row_of(person_id), Model.DUES)) == words


def test_a_quick_start_reads_a_screenful_then_appends_the_rest(
    db: Database, many_people: list[int], qtbot: QtBot
) -> None:
    model = RosterTableModel(db, quick_start=True)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    assert model.rowCount() == RosterTableModel.FIRST_ROWS
    assert not model.is_complete()
    first = [model.data(model.index(row, 0), RosterTableModel.PersonIdRole) for row in range(5)]
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    with qtbot.waitSignal(model.rowsInserted), qtbot.waitSignal(model.countChanged) as counted:
        model.load_the_rest()
    assert counted.args == [2000]
    assert model.is_complete() and model.rowCount() == 2000
    assert resets == [], "appended, not reset: the selection and scroll position stay"
    assert list(model.person_ids()) == roster.search_person_ids(db)
    assert [
        model.data(model.index(row, 0), RosterTableModel.PersonIdRole) for row in range(5)
    ] == first


def test_searching_before_the_rest_is_read_searches_everyone(
    db: Database, many_people: list[int]
) -> None:
    model = RosterTableModel(db, quick_start=True)
    model.set_search("mari")
    assert list(model.person_ids()) == roster.search_person_ids(db, "mari")
    assert model.is_complete()
