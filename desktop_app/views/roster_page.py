"""The roster page: find people as you type, narrow with filters, add, edit, remove, restore.

The table is a RosterTableModel (ids in SQL order, rows a page at a time) in a plain
QTableView, so 100,000 people search as you type. Every change goes through an undo
command (views/roster_commands.py) on the window's undo stack; removal sends people
to the trash, from where Restore brings them back. Erasing personal data on a
person's request is the one change that cannot be undone, and the confirmation says
so in as many words.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QDate,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QLocale,
    QModelIndex,
    QObject,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QKeyEvent,
    QTextCharFormat,
    QTextCursor,
    QTextOption,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStyle,
    QTableView,
    QTextEdit,
    QWidget,
)

from desktop_app.db import Database
from desktop_app.models import LadderStage, PersonStatus
from desktop_app.services.group import group_country
from desktop_app.services.labels import JOINED_VIA_LABELS, LADDER_LABELS, STATUS_LABELS
from desktop_app.services.roster import (
    PersonDetail,
    PersonError,
    PersonInput,
    RosterFilter,
    erase_personal_data,
    get_person,
    list_role_types,
    list_tags,
)
from desktop_app.services.validation import format_phone
from desktop_app.views.list_tables import prepare_list_table
from desktop_app.views.pages import Page, control_row
from desktop_app.views.person_dialog import PersonDialog
from desktop_app.views.roster_commands import (
    AddPersonCommand,
    EditPersonCommand,
    RemovePeopleCommand,
    RestorePeopleCommand,
    RosterCommand,
    RosterContext,
    name_of,
    without_role_names,
)
from desktop_app.views.table_models.roster_model import RosterTableModel, label_text

SEARCH_DELAY_MS = 120  # long enough to skip the middle of a fast word, short enough to feel live
DETAIL_DELAY_MS = 60  # holding an arrow key down should not read every person it passes
COLUMN_WIDTHS_KEY = "roster/column_widths"
DEFAULT_COLUMN_WIDTHS = (220, 230, 130, 95, 90, 170, 150, 110, 75, 130, 140)


def confirm(parent: QWidget, title: str, text: str, yes_text: str, *, details: str = "") -> bool:
    """Ask a yes/no question with buttons that say what they do; No is the default.

    A module function so that tests can answer it (monkeypatch roster_page.confirm).
    """
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)  # the text holds people's names as typed
    box.setText(text)
    if details:
        box.setInformativeText(details)
    yes = box.addButton(yes_text, QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    box.exec()
    return box.clickedButton() is yes


class RosterTableView(QTableView):
    """The roster table: Enter opens, Delete removes, and the selection survives reloads.

    Signals:
        openRequested(int): Enter, Return or a double click on a person.
        removeRequested(): the Delete key.
    """

    openRequested = Signal(int)
    removeRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._kept_ids: list[int] = []
        self._kept_current: int | None = None
        prepare_list_table(self, many=True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setCornerButtonEnabled(False)
        self.doubleClicked.connect(self._on_double_clicked)

    def roster_model(self) -> RosterTableModel:
        model = self.model()
        assert isinstance(model, RosterTableModel)
        return model

    def set_roster_model(self, model: RosterTableModel) -> None:
        self.setModel(model)
        model.modelAboutToBeReset.connect(self._remember_selection)
        model.modelReset.connect(self._restore_selection)

    # Keys and mouse -----------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            person_id = self.current_person_id()
            if person_id is not None:
                self.openRequested.emit(person_id)
                return
        if key == Qt.Key.Key_Delete and not event.modifiers():
            self.removeRequested.emit()
            return
        super().keyPressEvent(event)

    def _on_double_clicked(self, index: QModelIndex) -> None:
        person_id = index.data(RosterTableModel.PersonIdRole)
        if isinstance(person_id, int):
            self.openRequested.emit(person_id)

    # Selection by person id -----------------------------------------------------------------

    def current_person_id(self) -> int | None:
        index = self.currentIndex()
        value = index.data(RosterTableModel.PersonIdRole) if index.isValid() else None
        return value if isinstance(value, int) else None

    def selected_person_ids(self) -> list[int]:
        selection = self.selectionModel()
        if selection is None:
            return []
        model = self.roster_model()
        rows = sorted(index.row() for index in selection.selectedRows())
        return [pid for pid in (model.person_id_at(row) for row in rows) if pid is not None]

    def select_person_ids(self, person_ids: Sequence[int], *, scroll: bool = True) -> None:
        """Select these people (those shown), make the first current, and show it."""
        model = self.roster_model()
        selection_model = self.selectionModel()
        rows = sorted(row for row in (model.row_of(pid) for pid in person_ids) if row >= 0)
        selection = QItemSelection()
        last_column = model.columnCount() - 1
        for row in rows:
            selection.select(model.index(row, 0), model.index(row, last_column))
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        selection_model.select(selection, flags)
        if rows:
            current = model.index(model.row_of(person_ids[0]), 0)
            if not current.isValid():
                current = model.index(rows[0], 0)
            selection_model.setCurrentIndex(current, QItemSelectionModel.SelectionFlag.NoUpdate)
            if scroll:
                self.scrollTo(current)

    def _remember_selection(self) -> None:
        self._kept_ids = self.selected_person_ids()
        self._kept_current = self.current_person_id()

    def _restore_selection(self) -> None:
        wanted = self._kept_ids
        if self._kept_current is not None:
            wanted = [self._kept_current, *(i for i in wanted if i != self._kept_current)]
        if wanted:
            self.select_person_ids(wanted, scroll=False)


class PersonSummary(QTextEdit):
    """The selected person at a glance, with their history, as read-only plain text.

    A text document rather than labels: it wraps a 500-character name anywhere,
    shows every character exactly as stored (text is inserted, never parsed), and
    can be selected and copied.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setAccessibleName(self.tr("Selected person"))
        self.setTabChangesFocus(True)
        self.show_nobody(0)

    def show_nobody(self, selected: int) -> None:
        self.clear()
        # An explicit format: the editor would otherwise carry on in the last one used.
        plain = QTextCharFormat()
        cursor = self.textCursor()
        cursor.setCharFormat(plain)
        if selected > 1:
            cursor.insertText(self.tr("{count} people selected.").format(count=selected), plain)
        else:
            cursor.insertText(self.tr("Select a person to see their details and history."), plain)

    def show_person(self, detail: PersonDetail, country: str) -> None:
        data = detail.data
        self.clear()
        cursor = self.textCursor()
        title = QTextCharFormat()
        title.setFontWeight(700)
        title.setFontPointSize(self.font().pointSizeF() * 1.25)
        heading = QTextCharFormat()
        heading.setFontWeight(700)
        plain = QTextCharFormat()
        warning = QTextCharFormat()
        warning.setFontWeight(700)

        cursor.insertText(detail.display_name or data.email or data.phone or "…", title)
        lines: list[str] = []
        if data.preferred_name and data.given_name:
            lines.append(self.tr("Given name: {name}").format(name=data.given_name))
        lines += [value for value in (data.email, format_phone(data.phone, country)) if value]
        address = [data.address_line1, data.address_line2, data.city, data.region]
        address_text = ", ".join(part for part in address if part)
        postal = " ".join(part for part in (data.postal_code, data.country) if part)
        if address_text or postal:
            lines.append(", ".join(part for part in (address_text, postal) if part))
        lines.append(
            " · ".join(
                (
                    label_text(STATUS_LABELS[data.status]),
                    label_text(LADDER_LABELS[data.ladder_stage]),
                    label_text(JOINED_VIA_LABELS[data.joined_via]),
                )
            )
        )
        if detail.invited_by_name:
            lines.append(self.tr("Invited by {name}").format(name=detail.invited_by_name))
        if data.dues_waived:
            lines.append(self.tr("Dues waived"))
        elif data.dues_paid_through:
            paid = data.dues_paid_through
            paid_on = QDate(paid.year, paid.month, paid.day)
            lines.append(
                self.tr("Dues paid through {date}").format(
                    date=QLocale().toString(paid_on, QLocale.FormatType.ShortFormat)
                )
            )
        if data.do_not_contact:
            lines.append(self.tr("Do not contact"))
        if data.tags:
            lines.append(self.tr("Tags: {tags}").format(tags=", ".join(data.tags)))
        for line in lines:
            cursor.insertBlock()
            cursor.insertText(line, plain)
        notices = []
        if detail.needs_review:
            notices.append(self.tr("Needs review: {why}").format(why=detail.review_reason))
        if detail.erased_at is not None:
            notices.append(self.tr("Personal data erased on request."))
        elif detail.removed_at is not None:
            notices.append(self.tr("In the trash; Restore brings them back."))
        for notice in notices:
            cursor.insertBlock()
            cursor.insertBlock()
            cursor.insertText(notice, warning)
        if data.notes:
            cursor.insertBlock()
            cursor.insertBlock()
            cursor.insertText(self.tr("Notes"), heading)
            cursor.insertBlock()
            cursor.insertText(data.notes, plain)
        cursor.insertBlock()
        cursor.insertBlock()
        cursor.insertText(self.tr("History"), heading)
        for item in detail.history:
            cursor.insertBlock()
            when = item.when.isoformat() if item.when else "…"
            cursor.insertText(f"{when}  {item.text}", plain)
        self.moveCursor(QTextCursor.MoveOperation.Start)


class RosterPage(Page):
    """Who the group knows: search, filters, the table, a person's details and history."""

    def __init__(self, db: Database, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("roster")
        self._db = db
        self._stack = undo_stack
        self._country = group_country(db)
        self._dialog: PersonDialog | None = None
        self._open_after_dialog: int | None = None
        self._shown_before = False
        self._context = RosterContext(db, self._on_roster_changed, self.show_failure)
        # The first rows now, the rest once the table has painted (see eventFilter).
        self.model = RosterTableModel(db, self, quick_start=True)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._run_search)
        self._detail_timer = QTimer(self)
        self._detail_timer.setSingleShot(True)
        self._detail_timer.setInterval(DETAIL_DELAY_MS)
        self._detail_timer.timeout.connect(self._show_current_person)
        self._widths_timer = QTimer(self)
        self._widths_timer.setSingleShot(True)
        self._widths_timer.setInterval(500)
        self._widths_timer.timeout.connect(self._save_column_widths)

        self._build()
        self._fill_filter_choices()
        self._connect()
        if self.model.is_complete():
            self._update_count(self.model.rowCount())
        self._update_actions()
        self.table.viewport().installEventFilter(self)

    # --- the Page contract ---------------------------------------------------------------------

    def page_title(self) -> str:
        return self.tr("Roster")

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def new_person(self) -> None:
        self.open_person(None)

    def set_undo_stack(self, stack: QUndoStack) -> None:
        super().set_undo_stack(stack)
        self._stack = stack

    def reload(self) -> None:
        # The model read the roster when the page was built. Coming back from another
        # page (the sign-in kiosk, an import...), people may have been added or changed
        # meanwhile, so read it again.
        if self._shown_before:
            self._on_roster_changed(())

    # --- building ----------------------------------------------------------------------------

    def _build(self) -> None:
        style = self.style()
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search names, email, phone, postal code"))
        self.search.setAccessibleName(self.tr("Search the roster"))
        self.search.setToolTip(
            self.tr("Ctrl+F comes here; Down moves to the list, Esc clears the search.")
        )
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(320)
        self.search.installEventFilter(self)
        self.trash_button = QPushButton(
            style.standardIcon(QStyle.StandardPixmap.SP_TrashIcon), self.tr("&Trash"), self
        )
        self.trash_button.setCheckable(True)
        self.trash_button.setToolTip(
            self.tr("Show the people removed from the roster, to restore them")
        )
        self.count_label = QLabel(self)
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.count_label.setAccessibleName(self.tr("Number of people shown"))

        self.status_filter = self._combo(self.tr("Status"))
        self.role_filter = self._combo(self.tr("Role"))
        self.tag_filter = self._combo(self.tr("Tag"))
        self.dues_filter = self._combo(self.tr("Dues"))
        self.ladder_filter = self._combo(self.tr("Ladder stage"))
        self.consent_filter = self._combo(self.tr("Consent"))
        self.filter_menus = (
            self.status_filter,
            self.role_filter,
            self.tag_filter,
            self.dues_filter,
            self.ladder_filter,
            self.consent_filter,
        )
        self.review_filter = QCheckBox(self.tr("Needs re&view"), self)
        self.review_filter.setToolTip(
            self.tr("Only people whose email, phone or postal code was kept as written")
        )
        self.followup_filter = QCheckBox(self.tr("New, not follo&wed up"), self)
        self.followup_filter.setToolTip(
            self.tr("Only people who came for the first time and have had no follow-up yet")
        )
        self.clear_filters_button = QPushButton(self.tr("Clear filters"), self)

        self.new_button = QPushButton(
            style.standardIcon(QStyle.StandardPixmap.SP_FileIcon), self.tr("&New person"), self
        )
        self.new_button.setToolTip(self.tr("Add someone to the roster (Ctrl+N)"))
        self.edit_button = QPushButton(self.tr("Ed&it…"), self)
        self.edit_button.setToolTip(self.tr("Open the selected person (Enter)"))
        self.remove_button = QPushButton(self.tr("&Remove"), self)
        self.remove_button.setToolTip(
            self.tr("Move the selected people to the trash; they can be restored (Delete)")
        )
        self.restore_button = QPushButton(self.tr("Re&store"), self)
        self.restore_button.setToolTip(self.tr("Bring the selected people back to the roster"))
        self.erase_button = QPushButton(self.tr("Erase personal data…"), self)
        self.erase_button.setToolTip(
            self.tr("On a person's request: remove what identifies them, for good")
        )
        self.message = self.make_message_label()

        self.table = RosterTableView(self)
        self.table.setAccessibleName(self.tr("Roster"))
        self.table.set_roster_model(self.model)
        header = self.table.horizontalHeader()
        # Set before enabling sorting, which sorts at once by the indicator's column.
        header.setSortIndicator(RosterTableModel.NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        header.setSectionsMovable(True)
        header.setStretchLastSection(True)
        self._restore_column_widths()

        self.summary = PersonSummary(self)
        self.summary.setMinimumWidth(220)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.summary)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        splitter.setSizes([900, 300])
        splitter.setChildrenCollapsible(False)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.followup_filter)
        top.addWidget(self.trash_button)
        top.addSpacing(12)
        top.addWidget(self.count_label)
        filters = QHBoxLayout()
        # The menus share the width: narrow on a small laptop, roomier on a big screen.
        for combo in self.filter_menus:
            filters.addWidget(combo, 1)
        filters.addWidget(self.review_filter)
        filters.addWidget(self.clear_filters_button)
        actions = control_row(
            self.new_button,
            self.edit_button,
            self.remove_button,
            self.restore_button,
            self.erase_button,
            None,
        )
        self.lay_out_page([top, filters, actions], splitter)

        order: list[QWidget] = [
            self.search,
            self.followup_filter,
            self.trash_button,
            *self.filter_menus,
            self.review_filter,
            self.clear_filters_button,
            self.new_button,
            self.edit_button,
            self.remove_button,
            self.restore_button,
            self.erase_button,
            self.table,
            self.summary,
        ]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def _combo(self, accessible: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(accessible)
        # A fixed width: a group's long role or tag names must not push the row off screen.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(8)
        return combo

    def _fill_filter_choices(self) -> None:
        """(Re)fill the filter menus, keeping what is chosen; roles and tags grow over time."""
        self._refill(
            self.status_filter,
            self.tr("Status: any"),
            [(label_text(STATUS_LABELS[s]), s) for s in PersonStatus],
        )
        self._refill(
            self.role_filter,
            self.tr("Role: any"),
            [(role.name, role.id) for role in list_role_types(self._db)],
        )
        self._refill(
            self.tag_filter, self.tr("Tag: any"), [(tag, tag) for tag in list_tags(self._db)]
        )
        self._refill(
            self.dues_filter,
            self.tr("Dues: any"),
            [(self.tr("Dues current"), "current"), (self.tr("Dues lapsed"), "lapsed")],
        )
        self._refill(
            self.ladder_filter,
            self.tr("Ladder: any"),
            [(label_text(LADDER_LABELS[s]), s) for s in LadderStage],
        )
        self._refill(
            self.consent_filter,
            self.tr("Consent: any"),
            [
                (self.tr("Email OK"), "email_ok"),
                (self.tr("Phone OK"), "phone_ok"),
                (self.tr("Post OK"), "mail_ok"),
                (self.tr("May be contacted"), "contactable"),
                (self.tr("Do not contact"), "do_not_contact"),
            ],
        )

    @staticmethod
    def _refill(combo: QComboBox, everyone: str, choices: Sequence[tuple[str, object]]) -> None:
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everyone, None)
        for text, value in choices:
            combo.addItem(text, value)
        combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen is not None else 0)
        combo.blockSignals(False)

    def _connect(self) -> None:
        self.search.textChanged.connect(self._on_search_edited)
        self.trash_button.toggled.connect(self._on_filters_changed)
        for combo in self.filter_menus:
            combo.currentIndexChanged.connect(self._on_filters_changed)
        self.review_filter.toggled.connect(self._on_filters_changed)
        self.followup_filter.toggled.connect(self._on_filters_changed)
        self.clear_filters_button.clicked.connect(self.clear_filters)
        self.new_button.clicked.connect(self.new_person)
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.restore_button.clicked.connect(self.restore_selected)
        self.erase_button.clicked.connect(self.erase_selected)
        self.table.openRequested.connect(self.open_person)
        self.table.removeRequested.connect(self._on_delete_key)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.table.selectionModel().currentChanged.connect(self._on_selection_changed)
        self.model.countChanged.connect(self._update_count)
        # A reset (search, filter, sort, reload) may drop the selection without saying so.
        self.model.modelReset.connect(self._on_selection_changed)
        header = self.table.horizontalHeader()
        header.sortIndicatorChanged.connect(self._on_sort_indicator_changed)
        header.sectionResized.connect(self._widths_timer.start)

    # --- search and filters ------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Paint
            and watched is self.table.viewport()
            and not self.model.is_complete()
        ):
            # The first screenful is on screen: read the rest of the roster next.
            QTimer.singleShot(0, self.model.load_the_rest)
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._run_search()
                self._focus_table()
                return True
            if key == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
        return super().eventFilter(watched, event)

    def _on_search_edited(self) -> None:
        self._search_timer.start()

    def _run_search(self) -> None:
        self._search_timer.stop()
        text = self.search.text()
        if text == self.model.search_text():
            return
        self.model.set_search(text)
        self.table.scrollToTop()

    def current_filter(self) -> RosterFilter:
        status = self.status_filter.currentData()
        return RosterFilter(
            statuses=frozenset({status}) if status is not None else frozenset(),
            role_type_id=self.role_filter.currentData(),
            tag=self.tag_filter.currentData(),
            dues=self.dues_filter.currentData(),
            ladder_stage=self.ladder_filter.currentData(),
            consent=self.consent_filter.currentData(),
            needs_review=self.review_filter.isChecked(),
            followup_pending=self.followup_filter.isChecked(),
            in_trash=self.trash_button.isChecked(),
        )

    def _on_filters_changed(self) -> None:
        self.model.set_filter(self.current_filter())
        self.table.scrollToTop()
        self._update_actions()

    def clear_filters(self) -> None:
        for combo in self.filter_menus:
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        for box in (self.review_filter, self.followup_filter):
            box.blockSignals(True)
            box.setChecked(False)
            box.blockSignals(False)
        self._on_filters_changed()

    def _on_sort_indicator_changed(self, column: int, _order: Qt.SortOrder) -> None:
        if RosterTableModel.SORT_KEYS.get(column) is None:
            # Not sortable (the view already asked the model, which ignored it): put the
            # arrow back on the column the rows are really sorted by.
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(self.model.sort_column(), self.model.sort_order())
            header.blockSignals(False)

    def _update_count(self, count: int) -> None:
        number = QLocale().toString(count)
        if self.trash_button.isChecked():
            text = (
                self.tr("1 person in the trash")
                if count == 1
                else self.tr("{count} people in the trash").format(count=number)
            )
        else:
            text = (
                self.tr("1 person")
                if count == 1
                else self.tr("{count} people").format(count=number)
            )
        self.count_label.setText(text)

    # --- selection and details ---------------------------------------------------------------

    def selected_person_ids(self) -> list[int]:
        return self.table.selected_person_ids()

    def _focus_table(self) -> None:
        # Land on a selected person, so Enter opens them and Delete removes them at once.
        selection = self.table.selectionModel()
        if self.model.rowCount() and not selection.hasSelection():
            self.table.selectRow(max(self.table.currentIndex().row(), 0))
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_selection_changed(self) -> None:
        self._update_actions()
        self._detail_timer.start()

    def _show_current_person(self) -> None:
        selected = self.selected_person_ids()
        person_id = self.table.current_person_id()
        if person_id is None or len(selected) > 1 or person_id not in selected:
            self.summary.show_nobody(len(selected))
            return
        try:
            detail = get_person(self._db, person_id)
        except PersonError:
            self.summary.show_nobody(0)
            return
        self.summary.show_person(detail, self._country)

    def _update_actions(self) -> None:
        in_trash = self.trash_button.isChecked()
        count = len(self.selected_person_ids())
        self.edit_button.setEnabled(count == 1)
        self.remove_button.setVisible(not in_trash)
        self.remove_button.setEnabled(count > 0 and not in_trash)
        self.restore_button.setVisible(in_trash)
        self.restore_button.setEnabled(count > 0 and in_trash)
        self.erase_button.setEnabled(count > 0)

    # --- the person dialog -------------------------------------------------------------------

    def current_dialog(self) -> PersonDialog | None:
        """The person dialog while it is open (tests and the window use it)."""
        return self._dialog

    def edit_selected(self) -> None:
        person_id = self.table.current_person_id()
        if person_id is not None:
            self.open_person(person_id)

    def open_person(self, person_id: int | None) -> None:
        """Open the dialog for a new person (None) or someone on the roster."""
        if self._dialog is not None:
            self._dialog.raise_()
            self._dialog.activateWindow()
            return
        dialog: PersonDialog

        def save(data: PersonInput) -> str:
            if person_id is None:
                return self._save_new(data)
            return self._save_edit(person_id, dialog.loaded_input(), data)

        try:
            dialog = PersonDialog(self._db, person_id, self, save=save)
        except PersonError as exc:  # removed from the database since the list was read
            self.show_failure(str(exc))
            self.model.refresh()
            return
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.openPersonRequested.connect(self._on_open_other_person)
        dialog.finished.connect(self._on_dialog_finished)
        self._dialog = dialog
        dialog.open()

    def _on_open_other_person(self, person_id: int) -> None:
        self._open_after_dialog = person_id

    def _on_dialog_finished(self) -> None:
        self._dialog = None
        self._fill_filter_choices()  # the dialog may have added a role or a tag
        other, self._open_after_dialog = self._open_after_dialog, None
        if other is not None:
            # After the closing dialog is gone, so the two never overlap.
            QTimer.singleShot(0, lambda: self._open_found_person(other))
        else:
            self.table.setFocus()

    def _open_found_person(self, person_id: int) -> None:
        if self.model.row_of(person_id) < 0:
            # Hidden by the search, a filter or the trash: show the list they are in.
            try:
                in_trash = get_person(self._db, person_id).removed_at is not None
            except PersonError as exc:
                self.show_failure(str(exc))
                return
            self.search.clear()
            self._run_search()
            self.clear_filters()
            self.trash_button.setChecked(in_trash)
        self.table.select_person_ids([person_id])
        self.open_person(person_id)

    def _save_new(self, data: PersonInput) -> str:
        command = AddPersonCommand(self._context, data)
        return self._push(command, lambda: self._saved_message(data, command.problems))

    def _save_edit(self, person_id: int, old: PersonInput | None, new: PersonInput) -> str:
        if old is None:
            return self.tr("This person could not be read; close the dialog and try again.")
        if without_role_names(old) == without_role_names(new):
            return ""  # nothing changed: no undo step
        command = EditPersonCommand(self._context, person_id, old, new)
        return self._push(command, lambda: self._saved_message(new, command.problems))

    def _push(self, command: RosterCommand, on_done: Callable[[], None] | None = None) -> str:
        """Make the change, then put it on the undo stack; returns the refusal or ""."""
        error = command.save_first()
        if error:
            return error
        if on_done is not None:
            on_done()
        self._stack.push(command)
        return ""

    def _saved_message(self, data: PersonInput, problems: Sequence[str]) -> None:
        name = name_of(data)
        if problems:
            self.show_message(
                self.tr("Saved {name} as written; flagged for review: {problems}").format(
                    name=name, problems=" ".join(problems)
                )
            )
        else:
            self.show_message(self.tr("Saved {name}.").format(name=name))

    # --- remove, restore, erase --------------------------------------------------------------

    def _who(self, person_ids: Sequence[int]) -> str:
        if len(person_ids) == 1:
            row = self.model.row_at(self.model.row_of(person_ids[0]))
            if row is not None:
                return row.display_name or row.email or row.phone or self.tr("1 person")
        return self.tr("{count} people").format(count=QLocale().toString(len(person_ids)))

    def _on_delete_key(self) -> None:
        if self.trash_button.isChecked():
            self.show_message(
                self.tr("These people are already in the trash. Restore brings them back.")
            )
            return
        self.remove_selected()

    def remove_selected(self) -> None:
        person_ids = self.selected_person_ids()
        if not person_ids or self.trash_button.isChecked():
            return
        who = self._who(person_ids)
        if not confirm(
            self,
            self.tr("Remove from the roster"),
            self.tr("Move {who} to the trash?").format(who=who),
            self.tr("Move to trash"),
            details=self.tr(
                "Nothing is deleted: you can restore them from the Trash at any time, "
                "or undo this with Ctrl+Z."
            ),
        ):
            return
        command = RemovePeopleCommand(self._context, person_ids, who)
        error = self._push(command)
        if error:
            self.show_failure(error)
        else:
            self.show_message(
                self.tr(
                    "Moved {who} to the trash. Undo (Ctrl+Z) or Trash > Restore brings them back."
                ).format(who=who)
            )

    def restore_selected(self) -> None:
        person_ids = self.selected_person_ids()
        if not person_ids or not self.trash_button.isChecked():
            return
        who = self._who(person_ids)
        error = self._push(RestorePeopleCommand(self._context, person_ids, who))
        if error:
            self.show_failure(error)
        else:
            self.show_message(self.tr("Restored {who} to the roster.").format(who=who))

    def erase_selected(self) -> None:
        person_ids = self.selected_person_ids()
        if not person_ids:
            return
        who = self._who(person_ids)
        if not confirm(
            self,
            self.tr("Erase personal data"),
            self.tr("Erase the personal data of {who}? This cannot be undone.").format(who=who),
            self.tr("Erase for good"),
            details=self.tr(
                "Do this only when the person asked for it. Their name, email, phone, "
                "address, notes and tags are removed for good. What they took part in "
                "(attendance, letters, dues) stays as anonymous records, so the group's "
                "counts stay right. The undo history is cleared as well."
            ),
        ):
            return
        problems = []
        for person_id in person_ids:
            try:
                erase_personal_data(self._db, person_id)
            except PersonError as exc:
                problems.append(str(exc))
        # Older undo steps would write the erased details back: they must go.
        self._stack.clear()
        self._on_roster_changed(())
        if problems:
            self.show_failure("\n".join(problems))
        else:
            self.show_message(
                self.tr(
                    "Erased the personal data of {who}. Their anonymous record stays in the trash."
                ).format(who=who)
            )

    # --- after a change ----------------------------------------------------------------------

    def _on_roster_changed(self, person_ids: Sequence[int]) -> None:
        self._fill_filter_choices()
        self.model.refresh()
        if person_ids:
            self.table.select_person_ids(person_ids)
        self._update_actions()
        self._detail_timer.start()

    # --- column widths -----------------------------------------------------------------------

    def _restore_column_widths(self) -> None:
        header = self.table.horizontalHeader()
        saved = QSettings().value(COLUMN_WIDTHS_KEY)
        widths: list[int] = list(DEFAULT_COLUMN_WIDTHS)
        if isinstance(saved, list) and len(saved) == len(widths):
            with contextlib.suppress(TypeError, ValueError):
                widths = [max(40, int(value)) for value in saved]
        for column, width in enumerate(widths):
            header.resizeSection(column, width)

    def _save_column_widths(self) -> None:
        header = self.table.horizontalHeader()
        QSettings().setValue(
            COLUMN_WIDTHS_KEY, [header.sectionSize(c) for c in range(header.count())]
        )


__all__ = ["PersonSummary", "RosterPage", "RosterTableView", "confirm"]
