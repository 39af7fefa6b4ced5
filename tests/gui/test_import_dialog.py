"""File > Import people: the mapping dialog, the counts before import, import, undo, history."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.db import Database
from desktop_app.services import importer
from desktop_app.services.group import laptop_id
from desktop_app.services.import_mapping import Field
from desktop_app.services.roster import PersonInput, create_person
from desktop_app.views import import_dialog
from desktop_app.views.import_dialog import (
    ImportDialog,
    ImportHistoryDialog,
    ImportResultDialog,
)
from desktop_app.views.main_window import MainWindow
from desktop_app.views.roster_page import RosterPage
from tests.helpers.bundle_laptops import dump, query

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
CORPUS = Path(__file__).resolve().parents[1] / "data" / "import_corpus"


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


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> Messages:
    return Messages(monkeypatch)


@pytest.fixture
def db(group_db: Database) -> Database:
    laptop_id(group_db)
    return group_db


@pytest.fixture
def dialog(qtbot: QtBot, db: Database) -> Iterator[ImportDialog]:
    widget = ImportDialog(db)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.close()


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def wait_for_counts(qtbot: QtBot, dialog: ImportDialog) -> None:
    qtbot.waitUntil(lambda: dialog.plan is not None and not dialog.counting(), timeout=15_000)


def import_and_wait(qtbot: QtBot, dialog: ImportDialog) -> None:
    with qtbot.waitSignal(dialog.imported, timeout=15_000):
        dialog.start_import()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)


def test_a_column_corrected_by_hand_is_imported_as_chosen(
    qtbot: QtBot, dialog: ImportDialog, db: Database, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "sign-in sheet.csv",
        ["First", "Last", "Contact", "Year"],
        [["Lin", "Wei", "lin@example.net", "Sophomore"], ["Ama", "Mensah", "", "Senior"]],
    )
    assert dialog.open_path(path)
    table = dialog.table
    assert table is not None and table.headers == ("First", "Last", "Contact", "Year")
    # The preview shows the rows, and the guessed fields in the column headers.
    assert dialog.preview.rowCount() == 2
    assert dialog.preview.item(0, 1).text() == "Lin"
    assert dialog.field_combo(0).currentData() == Field.GIVEN_NAME.value
    assert dialog.field_combo(3).currentData() == Field.IGNORE.value
    wait_for_counts(qtbot, dialog)
    assert "2 new people" in dialog.counts_label.text()
    assert dialog.preview.item(0, 0).text() == "Added"

    # "Year" is the student's year: kept in the notes, chosen from the column's menu.
    combo = dialog.field_combo(3)
    combo.setCurrentIndex(combo.findData(Field.NOTES.value))
    assert "→ Notes" in dialog.preview.horizontalHeaderItem(4).text()
    dialog.tag_edit.setText("campus fair")
    wait_for_counts(qtbot, dialog)
    ok = dialog.ok_button()
    assert ok is not None and ok.isEnabled() and ok.text() == "&Import"

    import_and_wait(qtbot, dialog)

    assert dialog.summary is not None and dialog.summary.counts.added == 2
    assert query(db, "SELECT given_name, notes, source FROM people ORDER BY id") == [
        ("Lin", "Sophomore", f"import: sign-in sheet.csv, {dialog.summary.source[-10:]}"),
        ("Ama", "Senior", f"import: sign-in sheet.csv, {dialog.summary.source[-10:]}"),
    ]
    assert query(db, "SELECT COUNT(*) FROM person_tags") == [(2,)]


def test_a_file_that_cannot_be_read_says_why_and_import_stays_off(
    dialog: ImportDialog, db: Database
) -> None:
    before = dump(db)
    assert not dialog.open_path(CORPUS / "word_document.xlsx")
    assert dialog.last_error == "word_document.xlsx: this is a Word document, not a spreadsheet."
    assert dialog.warnings_label.isVisible()
    assert dialog.last_error in dialog.warnings_label.text()
    ok = dialog.ok_button()
    assert ok is not None and not ok.isEnabled()
    assert dialog.start_import() is None
    assert dump(db) == before


def test_no_usable_column_keeps_import_off_until_one_is_chosen(
    qtbot: QtBot, dialog: ImportDialog, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "odd.csv", ["A", "B"], [["Lin Wei", "x"], ["Ama Mensah", "y"]])
    dialog.open_path(path)
    ok = dialog.ok_button()
    assert ok is not None and not ok.isEnabled()
    assert "No column holds a name" in dialog.warnings_label.text()
    dialog.set_field(0, Field.FULL_NAME)
    assert ok.isEnabled()
    wait_for_counts(qtbot, dialog)
    assert "2 new people" in dialog.counts_label.text()


def test_a_workbook_with_several_sheets_offers_them(
    qtbot: QtBot, dialog: ImportDialog, tmp_path: Path
) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    first = book.active
    first.title = "Members"
    first.append(["Name", "Email"])
    first.append(["Kenji Sato", "kenji@example.com"])
    second = book.create_sheet("Volunteers")
    second.append(["Name", "Email"])
    second.append(["Lin Wei", "lin@example.net"])
    second.append(["Ama Mensah", "ama@example.com"])
    path = tmp_path / "group.xlsx"
    book.save(path)
    dialog.open_path(path)
    assert not dialog.encoding_combo.isVisibleTo(dialog)
    assert dialog.sheet_combo.isVisibleTo(dialog)
    assert [dialog.sheet_combo.itemText(i) for i in range(dialog.sheet_combo.count())] == [
        "Members",
        "Volunteers",
    ]
    dialog.sheet_combo.setCurrentIndex(1)
    dialog.sheet_combo.activated.emit(1)
    assert dialog.table is not None and dialog.table.sheet == "Volunteers"
    assert dialog.preview.rowCount() == 2


def test_the_encoding_of_a_csv_can_be_chosen(dialog: ImportDialog) -> None:
    dialog.open_path(CORPUS / "windows_1252.csv")
    table = dialog.table
    assert table is not None and table.encoding == "cp1252"
    assert dialog.encoding_combo.isVisibleTo(dialog)
    assert dialog.encoding_combo.currentData() == "cp1252"
    index = dialog.encoding_combo.findData("latin-1")
    dialog.encoding_combo.setCurrentIndex(index)
    dialog.encoding_combo.activated.emit(index)
    assert dialog.table is not None and dialog.table.encoding == "latin-1"


def test_cancelling_the_dialog_imports_nothing(dialog: ImportDialog, db: Database) -> None:
    before = dump(db)
    dialog.open_path(SAMPLES / "nationbuilder_people.csv")
    dialog.reject()
    assert not dialog.isVisible()
    assert dump(db) == before


def test_the_result_dialog_opens_the_rejects_file_and_undoes_the_import(
    qtbot: QtBot, dialog: ImportDialog, db: Database, monkeypatch: pytest.MonkeyPatch,
    messages: Messages,
) -> None:  # fmt: skip
    kenji = create_person(
        db, PersonInput(given_name="Kenji", family_name="Sato", email="kenji.sato@example.com")
    ).person_id
    dialog.open_path(SAMPLES / "nationbuilder_people.csv")
    wait_for_counts(qtbot, dialog)
    import_and_wait(qtbot, dialog)
    summary = dialog.summary
    assert summary is not None
    assert query(db, "SELECT COUNT(*) FROM people WHERE removed_at IS NULL") == [(5,)]
    changed: list[bool] = []
    result = ImportResultDialog(db, summary, on_changed=lambda: changed.append(True))
    qtbot.addWidget(result)
    result.show()
    text = result.text_label.text()
    assert "Imported nationbuilder_people.csv." in text
    assert "New people added: 4" in text and "Rows not taken: 1" in text

    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    assert result.rejects_button.isEnabled()
    result.rejects_button.click()
    assert opened == [QUrl.fromLocalFile(str(summary.rejects_file))]

    messages.answers = [QMessageBox.StandardButton.Yes]
    result.undo_button.click()
    qtbot.waitUntil(lambda: result.undone is not None, timeout=10_000)
    assert result.undone is not None and result.undone.removed == 4
    assert "was undone" in result.text_label.text()
    assert not result.undo_button.isEnabled()
    assert changed == [True]
    assert query(db, "SELECT id FROM people WHERE removed_at IS NULL") == [(kenji,)]
    assert query(db, "SELECT phone FROM people WHERE id = ?", (kenji,)) == [("",)]


def test_history_lists_imports_and_undoes_the_one_chosen(
    qtbot: QtBot, db: Database, messages: Messages
) -> None:
    first = importer.import_people(db, SAMPLES / "nationbuilder_people.csv")
    second = importer.import_people(db, SAMPLES / "surveymonkey_tabling.csv", tag="t")
    assert isinstance(first, importer.ImportSummary)
    assert isinstance(second, importer.ImportSummary)
    history = ImportHistoryDialog(db)
    qtbot.addWidget(history)
    history.show()
    assert [b.file_name for b in history.batches()] == [
        "surveymonkey_tabling.csv",
        "nationbuilder_people.csv",
    ]
    assert history.table.item(1, 1).text() == "nationbuilder_people.csv"
    assert history.select_batch(first.batch_id)
    messages.answers = [QMessageBox.StandardButton.No]
    assert history.undo_selected() is None  # asked, and the answer was no
    assert history.undo_selected(confirm=False) is not None
    qtbot.waitUntil(lambda: history.last_undone is not None, timeout=10_000)
    undone = history.last_undone
    assert undone is not None and undone.removed == 5
    assert history.table.item(1, 6).text() != ""
    assert not history.undo_button.isEnabled()
    history.select_batch(second.batch_id)
    assert history.undo_button.isEnabled()


def test_history_opens_the_rows_an_import_did_not_take(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_rejects = importer.import_people(db, SAMPLES / "nationbuilder_people.csv")
    assert isinstance(with_rejects, importer.ImportSummary)
    assert with_rejects.rejects_file is not None
    again = importer.import_people(db, SAMPLES / "nationbuilder_people.csv")
    assert isinstance(again, importer.ImportSummary)
    assert again.rejects_file is not None  # the same bad row again
    again.rejects_file.unlink()  # tidied away by hand since
    history = ImportHistoryDialog(db)
    qtbot.addWidget(history)
    history.show()
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)

    assert history.select_batch(with_rejects.batch_id)
    assert history.rejects_button.isEnabled()
    history.rejects_button.click()
    assert opened == [QUrl.fromLocalFile(str(with_rejects.rejects_file))]

    # The second import's file is gone from the data folder: nothing to open, and why.
    assert history.select_batch(again.batch_id)
    assert not history.rejects_button.isEnabled()
    assert "no longer" in history.rejects_button.toolTip()
    assert not history.open_rejects_file()
    assert len(opened) == 1


def test_file_menu_import_then_the_roster_shows_them(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch, messages: Messages
) -> None:
    main = MainWindow(db)
    qtbot.addWidget(main)
    main.resize(1280, 800)
    main.show()
    qtbot.waitExposed(main)
    main.show_page(0)
    assert main.action_import_people.shortcut().toString() == "Ctrl+I"
    assert main.action_import_people in main.file_menu.actions()
    assert main.action_import_history in main.file_menu.actions()
    monkeypatch.setattr(
        QFileDialog,
        "getOpenFileName",
        lambda *_args, **_kwargs: (str(SAMPLES / "surveymonkey_tabling.csv"), ""),
    )
    main.action_import_people.trigger()
    dialog = main.import_dialog
    assert dialog is not None and dialog.isVisible()
    wait_for_counts(qtbot, dialog)
    import_and_wait(qtbot, dialog)
    qtbot.waitUntil(lambda: main.import_result is not None and main.import_result.isVisible())
    roster = next(page for page in main.pages() if isinstance(page, RosterPage))
    model = roster.model
    names = [str(model.data(model.index(row, model.NAME))) for row in range(model.rowCount())]
    assert any("Kenji" in name and "Sato" in name for name in names)
    result = main.import_result
    assert result is not None
    result.accept()
    history = main.show_import_history()
    assert history.batches()[0].file_name == "surveymonkey_tabling.csv"
    history.close()
    main.close()


def test_the_dialog_is_usable_from_the_keyboard(
    qtbot: QtBot, dialog: ImportDialog, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "k.csv", ["First", "Last", "Email"], [["Lin", "Wei", "l@e.org"]])
    dialog.open_path(path)
    # Every column's menu is labelled with its header, so a screen reader and Alt keys
    # find it, and Tab reaches each one.
    labels = [
        dialog.columns_form.itemAt(row, dialog.columns_form.ItemRole.LabelRole).widget()
        for row in range(dialog.columns_form.rowCount())
    ]
    assert [label.text() for label in labels if isinstance(label, QLabel)] == [
        "First",
        "Last",
        "Email",
    ]
    assert all(isinstance(label, QLabel) and label.buddy() is not None for label in labels)
    for column in range(3):
        assert dialog.field_combo(column).focusPolicy() & Qt.FocusPolicy.TabFocus
    # Tab goes down the columns in order: the focus chain Tab follows.
    for column in range(2):
        assert dialog.field_combo(column).nextInFocusChain() is dialog.field_combo(column + 1)
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    qtbot.waitUntil(dialog.field_combo(2).isVisible)  # new rows show at the next turn
    dialog.field_combo(0).setFocus()
    qtbot.keyClick(dialog.field_combo(0), Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.field_combo(1)
    assert import_dialog.PREVIEW_ROWS == 20
