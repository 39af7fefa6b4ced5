"""File > Merge sign-ups from another laptop, and the Review page it fills."""

from __future__ import annotations

import json
import threading
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from desktop_app.db import Database
from desktop_app.models import GroupProfile, new_uid
from desktop_app.services import bundles, reviews, roster
from desktop_app.services.group import GroupProfileData
from desktop_app.services.roster import RosterFilter
from desktop_app.views.list_tables import select_row
from desktop_app.views.main_window import MainWindow
from desktop_app.views.review_page import ReviewPage
from desktop_app.views.roster_page import RosterPage
from tests.helpers.bundle_laptops import (
    add_event,
    add_person,
    dump,
    fresh_laptop,
    query,
    set_up_group,
    sign_in,
)
from tests.helpers.merge_scenario import StreetFair, street_fair

TRASH = RosterFilter(in_trash=True)


class Messages:
    """Stands in for QMessageBox's static functions; remembers what would have been said."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.said: list[tuple[str, str]] = []
        self.answers: list[QMessageBox.StandardButton] = []
        for kind in ("information", "warning", "critical", "question"):
            monkeypatch.setattr(QMessageBox, kind, self._capture(kind))

    def _capture(self, kind: str) -> Any:
        def capture(_parent: QWidget | None, _title: str, text: str, *_args: Any) -> Any:
            self.said.append((kind, text))
            if kind == "question":
                return self.answers.pop(0) if self.answers else QMessageBox.StandardButton.No
            return QMessageBox.StandardButton.Ok

        return capture

    def kinds(self) -> list[str]:
        return [kind for kind, _ in self.said]


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> Messages:
    return Messages(monkeypatch)


@pytest.fixture
def fair(group_db: Database, tmp_path: Path) -> StreetFair:
    return street_fair(tmp_path, group_db)


@pytest.fixture
def main(qtbot: QtBot, group_db: Database) -> Iterator[MainWindow]:
    """The main window with the real pages (the roster first)."""
    window = MainWindow(group_db)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.show_page(0)
    yield window
    window.close()


def choose_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_args, **_kwargs: (str(path), ""))


def merge_through_the_menu(qtbot: QtBot, main: MainWindow) -> None:
    main.action_merge_bundle.trigger()
    task = main.merge_task
    if task is not None:
        qtbot.waitUntil(lambda: not task.is_running(), timeout=10_000)
        qtbot.waitUntil(lambda: main.action_merge_bundle.isEnabled(), timeout=10_000)


def page_of(main: MainWindow, kind: type[Any]) -> Any:
    return next(page for page in main.pages() if isinstance(page, kind))


def roster_names(main: MainWindow) -> list[str]:
    page = page_of(main, RosterPage)
    model = page.model
    return [str(model.data(model.index(row, model.NAME))) for row in range(model.rowCount())]


def nav_text(main: MainWindow, page: Any) -> str:
    return main.navigation.item(main.pages().index(page)).text()


# --- merging ------------------------------------------------------------------------------------


def test_merge_from_the_file_menu_says_what_it_did_and_the_roster_shows_them(
    qtbot: QtBot, main: MainWindow, fair: StreetFair, messages: Messages,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    choose_file(monkeypatch, fair.bundle)
    assert not any("Lin" in name for name in roster_names(main))
    review = page_of(main, ReviewPage)
    assert nav_text(main, review) == "Review"
    messages.answers = [QMessageBox.StandardButton.No]  # not now: stay on the roster

    merge_through_the_menu(qtbot, main)

    [(kind, text)] = messages.said
    assert kind == "question"
    assert "Merged tabling-laptop.signups.json." in text
    assert "New people added: 3" in text
    assert "People already on the roster: 1" in text
    assert "Sign-ins added: 4" in text
    assert "Needing a review: 3" in text
    assert text.endswith("Open the review list now?")
    # The roster in view shows the newcomers at once; the review count is in the title.
    assert isinstance(main.current_page(), RosterPage)
    names = roster_names(main)
    assert any("Lin" in name and "Wu" in name for name in names)
    assert any("Jon" in name and "Gonçalves" in name for name in names)
    assert nav_text(main, review) == "Review (3)"


def test_the_summary_offers_the_review_list(
    qtbot: QtBot, main: MainWindow, fair: StreetFair, messages: Messages,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    choose_file(monkeypatch, fair.bundle)
    messages.answers = [QMessageBox.StandardButton.Yes]
    merge_through_the_menu(qtbot, main)
    review = main.current_page()
    assert isinstance(review, ReviewPage)
    assert review.open_count() == 3


def test_merging_the_same_file_again_changes_nothing_and_says_so(
    qtbot: QtBot, main: MainWindow, fair: StreetFair, messages: Messages,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    choose_file(monkeypatch, fair.bundle)
    merge_through_the_menu(qtbot, main)
    before = dump(fair.db)
    messages.said.clear()

    merge_through_the_menu(qtbot, main)

    assert messages.said == [
        ("information", "tabling-laptop.signups.json was merged before: nothing changed.")
    ]
    assert dump(fair.db) == before


def test_a_png_named_json_gets_one_message_and_changes_nothing(
    qtbot: QtBot, main: MainWindow, group_db: Database, tmp_path: Path, messages: Messages,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    picture = tmp_path / "photo.signups.json"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    choose_file(monkeypatch, picture)
    before = dump(group_db)

    merge_through_the_menu(qtbot, main)

    [(kind, text)] = messages.said
    assert kind == "critical"
    assert str(picture) in text
    assert "not a sign-up bundle" in text
    assert "nothing was changed" in text
    assert main.merge_task is None
    assert dump(group_db) == before


def test_a_bundle_cut_short_gets_one_message_and_changes_nothing(
    qtbot: QtBot, main: MainWindow, fair: StreetFair, tmp_path: Path, messages: Messages,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    cut = tmp_path / "cut.signups.json"
    data = fair.bundle.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    choose_file(monkeypatch, cut)
    before = dump(fair.db)
    merge_through_the_menu(qtbot, main)
    [(kind, text)] = messages.said
    assert kind == "critical" and str(cut) in text and "damaged or cut short" in text
    assert dump(fair.db) == before


def _other_groups_bundle(group_db: Database, tmp_path: Path) -> Path:
    other = fresh_laptop(group_db, tmp_path, "other-group")
    set_up_group(other, GroupProfileData(name="Hilltown Student Group", country="US"))
    # A group of its own: a new group uid, as another group's database has.
    with other.session() as session:
        session.execute(update(GroupProfile).values(uid=new_uid()))
    event = add_event(other, "Campus fair")
    sign_in(other, event, add_person(other, given_name="Kenji", family_name="Sato",
                                     email="kenji@example.org"))  # fmt: skip
    path = tmp_path / "hilltown.signups.json"
    bundles.export_bundle(other, path)
    other.close()
    return path


def test_another_groups_bundle_is_merged_only_when_confirmed(
    qtbot: QtBot, main: MainWindow, group_db: Database, tmp_path: Path, messages: Messages,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    path = _other_groups_bundle(group_db, tmp_path)
    choose_file(monkeypatch, path)
    before = dump(group_db)

    messages.answers = [QMessageBox.StandardButton.No]
    merge_through_the_menu(qtbot, main)
    [(kind, text)] = messages.said
    assert kind == "question"
    assert text.startswith("This file comes from Hilltown Student Group, not from Riverside Group.")
    assert text.endswith("Merge it anyway?")
    assert dump(group_db) == before

    messages.said.clear()
    messages.answers = [QMessageBox.StandardButton.Yes]
    merge_through_the_menu(qtbot, main)
    second = main.merge_task
    assert second is not None
    qtbot.waitUntil(lambda: len(messages.said) == 2, timeout=10_000)
    assert messages.said[0][0] == "question"
    assert messages.said[1] == ("information", main.merge_summary_text(_summary_of(group_db)))
    assert query(group_db, "SELECT count(*) FROM people WHERE email = 'kenji@example.org'") == [
        (1,)
    ]


def _summary_of(db: Database) -> bundles.MergeSummary:
    """The summary of the one merge recorded in db, as the window words it."""
    [(name, summary)] = query(db, "SELECT file_name, summary FROM merged_bundles")
    figures = json.loads(summary)
    return bundles.MergeSummary(
        people_added=figures["people_added"],
        people_matched=figures["people_matched"],
        signins_added=figures["signins_added"],
        needs_review=figures["needs_review"],
        file_name=name,
    )


def test_cancel_in_the_progress_dialog_changes_nothing(
    qtbot: QtBot, main: MainWindow, fair: StreetFair, messages: Messages,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """A merge slow enough for the dialog to show (held at a gate) is cancelled there."""
    gate = threading.Event()
    real_steps = bundles.merge_steps

    def slow_steps(*args: Any, **kwargs: Any) -> Generator[Any, None, Any]:
        steps = real_steps(*args, **kwargs)
        first = next(steps)
        yield first
        gate.wait(10)
        return (yield from steps)

    monkeypatch.setattr(bundles, "merge_steps", slow_steps)  # the window imports it on use
    choose_file(monkeypatch, fair.bundle)
    before = dump(fair.db)
    main.action_merge_bundle.trigger()
    task = main.merge_task
    assert task is not None
    assert not main.action_merge_bundle.isEnabled()
    qtbot.waitUntil(lambda: task.dialog is not None and task.dialog.isVisible(), timeout=5000)
    dialog = task.dialog
    assert dialog is not None
    button = dialog.findChild(QPushButton, "taskCancelButton")
    assert button is not None

    with qtbot.waitSignal(task.finished, timeout=10_000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        gate.set()

    assert messages.said == [("information", "The merge was stopped. Nothing was changed.")]
    assert dump(fair.db) == before
    assert main.action_merge_bundle.isEnabled()


# --- the review page -------------------------------------------------------------------------


@pytest.fixture
def merged(qtbot: QtBot, main: MainWindow, fair: StreetFair, messages: Messages,
           monkeypatch: pytest.MonkeyPatch) -> ReviewPage:  # fmt: skip
    """The bundle merged through the menu, and the review list opened from the summary."""
    choose_file(monkeypatch, fair.bundle)
    messages.answers = [QMessageBox.StandardButton.Yes]
    merge_through_the_menu(qtbot, main)
    messages.said.clear()
    page = main.current_page()
    assert isinstance(page, ReviewPage)
    return page


def _texts(page: ReviewPage) -> list[str]:
    """What the review list says, row by row."""
    model = page.review_list.model()
    return [model.index(number, 0).data() for number in range(model.rowCount())]


def _select(page: ReviewPage, text: str) -> reviews.ReviewRow:
    for number, item in enumerate(_texts(page)):
        if text in item:
            select_row(page.review_list, number)
            row = page.current_review()
            assert row is not None
            return row
    raise AssertionError(f"no review item with {text!r}")


def test_the_list_names_each_item(merged: ReviewPage) -> None:
    assert _texts(merged) == [
        "Dana Quist: phone differs",
        "Same person? John Goncalves / Jon Gonçalves",
        "Same person? Maria Garcia / Mario Garcia",
    ]
    # A row cut short by a narrow column is said whole in its tool tip, with why it is there.
    tip = merged.review_list.model().index(1, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "John Goncalves / Jon Gonçalves" in tip and "similar name" in tip


def test_a_duplicate_is_shown_side_by_side_with_differences_highlighted(
    merged: ReviewPage,
) -> None:
    _select(merged, "John Goncalves")
    assert merged.details.currentWidget() is merged.duplicate_panel
    grid = merged.side_scroll.widget()
    assert grid is not None
    texts = [label.text() for label in grid.findChildren(QLabel)]
    assert "Kept: John Goncalves" in texts and "Merged in: Jon Gonçalves" in texts
    assert "john.g@example.org" in texts and "+16175550123" in texts  # one side each
    assert "Street fair" not in texts  # events are counted, not listed
    # Differing names are a choice, the roster's chosen unless changed.
    keep = grid.findChild(QRadioButton, "choice_given_name_keep")
    other = grid.findChild(QRadioButton, "choice_given_name_other")
    assert (keep.text(), other.text()) == ("John", "Jon")
    assert keep.isChecked() and not other.isChecked()
    assert grid.findChild(QFrame, "differs_given_name") is not None
    assert grid.findChild(QFrame, "differs_family_name") is None  # the same, folded
    # An objection to contact is no choice: the rule keeps it, and the page says so.
    assert grid.findChild(QRadioButton, "choice_do_not_contact_keep") is None
    rule = grid.findChild(QLabel, "rule_do_not_contact")
    assert rule is not None and rule.text() == "Kept if either says so."
    # Events attended (the meeting; the fair) and where each came from.
    assert "Events attended" in texts
    row = texts.index("Events attended")
    assert texts[row + 1 : row + 3] == ["1", "1"]
    assert "bundle: tabling-laptop.signups.json" in texts  # "Came from"
    assert "Dues waived" not in texts  # "No" on both sides is left out


def test_merge_into_one_moves_sign_ins_and_trashes_the_other(
    qtbot: QtBot, main: MainWindow, merged: ReviewPage, fair: StreetFair
) -> None:
    row = _select(merged, "John Goncalves")
    jon = row.person.id
    merged.choose("given_name", reviews.OTHER)  # he goes by Jon, the secretary decides

    qtbot.mouseClick(merged.merge_button, Qt.MouseButton.LeftButton)

    assert merged.message.text().startswith("Jon Gonçalves was merged into")
    assert jon in roster.search_person_ids(fair.db, flt=TRASH)
    kept = roster.get_person(fair.db, fair.john)
    assert kept.data.given_name == "Jon"
    assert kept.data.do_not_contact is True  # the objection stayed
    assert kept.data.phone == "+16175550123"  # filled from the other record
    # Both sign-ins (the meeting and the fair) are John's now, none is Jon's.
    signed = query(
        fair.db, "SELECT person_id, count(*) FROM sign_ins GROUP BY person_id ORDER BY 1"
    )
    assert (fair.john, 2) in signed and all(person != jon for person, _ in signed)
    # The list and the title follow; the roster shows one of them when looked at.
    assert merged.open_count() == 2
    assert nav_text(main, merged) == "Review (2)"
    assert not any("John Goncalves" in text for text in _texts(merged))
    main.show_page(0)
    names = roster_names(main)
    assert not any("Gonçalves" in name for name in names)
    assert sum("Goncalves" in name for name in names) == 1


def test_keep_apart_closes_the_item_and_keeps_both(
    qtbot: QtBot, main: MainWindow, merged: ReviewPage, fair: StreetFair
) -> None:
    row = _select(merged, "Maria Garcia")
    mario = row.person.id
    qtbot.mouseClick(merged.apart_button, Qt.MouseButton.LeftButton)

    assert merged.open_count() == 2
    assert nav_text(main, merged) == "Review (2)"
    live = set(roster.search_person_ids(fair.db))
    assert {fair.maria, mario} <= live
    [resolution] = query(fair.db, "SELECT resolution FROM review_items WHERE id = ?", (row.id,))
    assert resolution == ("kept_apart",)


def test_a_conflict_offers_ours_or_theirs(
    qtbot: QtBot, main: MainWindow, merged: ReviewPage, fair: StreetFair
) -> None:
    _select(merged, "Dana Quist")
    assert merged.details.currentWidget() is merged.conflict_panel
    assert merged.conflict_field.text() == "Phone"
    assert merged.conflict_ours.text() == "+16175550100"
    assert merged.conflict_theirs.text() == "+16175550199"
    assert merged.conflict_origin.text() == "tabling-laptop.signups.json"

    qtbot.mouseClick(merged.use_theirs_button, Qt.MouseButton.LeftButton)

    assert roster.get_person(fair.db, fair.dana).data.phone == "+16175550199"
    assert merged.open_count() == 2
    assert merged.message.text() == "The bundle's value is used."


def test_keep_ours_leaves_the_value(qtbot: QtBot, merged: ReviewPage, fair: StreetFair) -> None:
    _select(merged, "Dana Quist")
    qtbot.mouseClick(merged.keep_ours_button, Qt.MouseButton.LeftButton)
    assert roster.get_person(fair.db, fair.dana).data.phone == "+16175550100"
    assert merged.open_count() == 2


def test_everything_decided_leaves_an_empty_list(
    qtbot: QtBot, main: MainWindow, merged: ReviewPage
) -> None:
    while merged.open_count():
        row = merged.current_review()
        assert row is not None
        if row.kind == reviews.KIND_CONFLICT:
            merged.resolve_current(False)
        else:
            merged.keep_current_apart()
    assert merged.details.currentWidget() is merged.empty_label
    assert nav_text(main, merged) == "Review"


def test_an_item_decided_elsewhere_is_refused_with_a_message(
    merged: ReviewPage, fair: StreetFair, messages: Messages
) -> None:
    row = _select(merged, "Maria Garcia")
    reviews.keep_apart(fair.db, row.id)  # e.g. on the command line meanwhile
    assert merged.keep_current_apart() is False
    # Said on the page's message line and in a warning box (not a static one: no nested loop).
    assert "already decided" in merged.message.text()
    [box] = [box for box in merged.findChildren(QMessageBox) if box.isVisible()]
    assert box.icon() == QMessageBox.Icon.Warning and "already decided" in box.text()
    box.close()
    assert messages.said == []
    assert merged.open_count() == 2


# --- exporting, on the laptop that took the sign-ups ------------------------------------------


def test_export_writes_a_bundle_the_merge_reads(
    qtbot: QtBot, main: MainWindow, fair: StreetFair, tmp_path: Path, messages: Messages,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    target = tmp_path / "secretary.signups.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args, **_kwargs: (str(target), ""))
    main.action_export_bundle.trigger()

    [(kind, text)] = messages.said
    assert kind == "information"
    assert "Sign-ins: 1\nPeople: 1\nEvents: 1" in text  # John at the meeting
    assert str(target) in text
    bundle = bundles.read_bundle(target)
    assert [person.given_name for person in bundle.people] == ["John"]


def test_export_refuses_to_overwrite_a_database(
    main: MainWindow, fair: StreetFair, messages: Messages, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert fair.db.path is not None
    before = fair.db.path.read_bytes()
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_args, **_kwargs: (str(fair.db.path), "")
    )
    main.action_export_bundle.trigger()
    [(kind, text)] = messages.said
    assert kind == "critical" and "not exported" in text and str(fair.db.path) in text
    assert fair.db.path.read_bytes() == before
