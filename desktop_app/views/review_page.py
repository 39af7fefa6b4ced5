"""The Review page: what a merge of sign-ups or an import left for a person to decide.

Merging another laptop's sign-ups, or importing a list, never guesses where a
mistake would cost someone their record or their privacy. Both leave two kinds of
review items (services.reviews), each saying where it came from:

- a **likely duplicate**: two people whose names are close (and postal codes agree).
  The page shows them side by side, differing fields highlighted, with what each has
  attended and where each came from. "Merge into one" keeps the person already on the
  roster and takes, per differing field, the value the secretary picks (the roster's
  by default); the other record goes to the trash with a note, its sign-ins moved.
  "Keep apart" says they are two people.
- a **conflict**: a bundle or a list gave a different value for a field that had
  one. "Keep ours" or "Use theirs".

Fields that decide consent or history are not offered as a choice: the service's
rule keeps an objection (do not contact) and any agreement, the later dues date, the
earlier joining date, the higher ladder rung, and both sets of notes; the page says
so next to them. The page's title carries the number of open items ("Review (3)").
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QColor, QPalette, QUndoStack
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.db import Database
from desktop_app.models import JoinedVia, LadderStage, PersonStatus
from desktop_app.services.labels import JOINED_VIA_LABELS, LADDER_LABELS, STATUS_LABELS
from desktop_app.services.reviews import (
    KEEP,
    KIND_CONFLICT,
    KIND_DUPLICATE,
    OTHER,
    REVIEW_FIELDS,
    FieldValue,
    PersonSide,
    ReviewError,
    ReviewRow,
    count_open_reviews,
    keep_apart,
    list_reviews,
    merge_people,
    resolve_conflict,
)
from desktop_app.views.list_tables import ListTableView, select_row, selected_row, size_columns
from desktop_app.views.local_time import date_text
from desktop_app.views.pages import Page, control_row
from desktop_app.views.table_models.review_model import ReviewListModel
from desktop_app.views.table_models.roster_model import label_text

# Fields where the secretary picks one of the two values in a merge.
CHOOSABLE_FIELDS = frozenset(
    {
        "given_name",
        "family_name",
        "preferred_name",
        "email",
        "phone",
        "address_line1",
        "address_line2",
        "city",
        "region",
        "postal_code",
        "country",
        "school",
        "graduation_year",
    }
)
HIGHLIGHT = "#fff1b8"  # differing rows: a pale yellow that keeps dark text readable
HIGHLIGHT_DARK = "#5c4a00"


class ReviewPage(Page):
    """Open review items from merged sign-ups and imported lists, decided one at a time.

    The roster shows each decision when it is next looked at (it reads itself again
    when shown); this page's title follows at once (``title_changed``).
    """

    def __init__(self, db: Database, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ReviewPage")
        self._db = db
        self._title = ""
        self._choices: dict[str, QButtonGroup] = {}
        self._keep: PersonSide | None = None
        self._other: PersonSide | None = None
        self._field_names = self._field_words()
        self._loaded = False
        self._refreshing = False
        self._build()
        # Only the count while the window starts (the navigation shows "Review (3)"); the
        # items themselves are read when the page is first shown or asked for them.
        self._open_count = count_open_reviews(db)
        self._title = self.page_title()

    # --- the Page contract -------------------------------------------------------------------

    def page_title(self) -> str:
        count = self._open_count
        return self.tr("Review ({count})").format(count=count) if count else self.tr("Review")

    def reload(self) -> None:
        # Merges and the other pages change what is open; read it again when shown.
        self.refresh()

    def _ensure_loaded(self) -> None:
        if not self._loaded:
            self.refresh()

    # --- public -----------------------------------------------------------------------------

    def open_count(self) -> int:
        return self._open_count

    def reviews(self) -> list[ReviewRow]:
        self._ensure_loaded()
        return self.review_model.rows()

    def current_review(self) -> ReviewRow | None:
        return self.review_model.row_at(selected_row(self.review_list))

    def select_review(self, review_id: int) -> bool:
        self._ensure_loaded()
        return select_row(self.review_list, self.review_model.row_of(review_id))

    def refresh(self) -> None:
        """Read the open items again, keeping the selection where it was."""
        current = self.current_review()
        keep_row = selected_row(self.review_list)
        rows = list_reviews(self._db)
        self._open_count = len(rows)
        self._loaded = True
        self._refreshing = True  # one _show_current below, not one per selection change
        try:
            self.review_model.set_rows(rows)
            if current is None or not self.select_review(current.id):
                # The item decided is gone: the one that took its place in the list.
                select_row(self.review_list, min(max(keep_row, 0), len(rows) - 1))
        finally:
            self._refreshing = False
        self._show_current()
        title = self.page_title()
        if title != self._title:
            self._title = title
            self.title_changed.emit()

    def choose(self, field: str, which: str) -> None:
        """Pick KEEP or OTHER for a differing field of the duplicate shown (as a click does)."""
        group = self._choices[field]
        button = group.button(0 if which == KEEP else 1)
        button.setChecked(True)

    def field_choices(self) -> dict[str, str]:
        return {
            name: KEEP if group.checkedId() == 0 else OTHER for name, group in self._choices.items()
        }

    def merge_current(self) -> bool:
        row = self.current_review()
        if row is None or row.kind != KIND_DUPLICATE or self._keep is None or self._other is None:
            return False
        keep, other = self._keep, self._other
        try:
            merge_people(self._db, row.id, keep.id, other.id, self.field_choices())
        except ReviewError as exc:
            return self._refused(str(exc))
        self._done(
            self.tr("{other} was merged into {keep}; the other record is in the trash.").format(
                other=other.display_name or self.tr("(no name)"),
                keep=keep.display_name or self.tr("(no name)"),
            ),
        )
        return True

    def keep_current_apart(self) -> bool:
        row = self.current_review()
        if row is None or row.kind != KIND_DUPLICATE:
            return False
        try:
            keep_apart(self._db, row.id)
        except ReviewError as exc:
            return self._refused(str(exc))
        self._done(self.tr("Kept apart: they are two different people."))
        return True

    def resolve_current(self, use_theirs: bool) -> bool:
        row = self.current_review()
        if row is None or row.kind != KIND_CONFLICT:
            return False
        try:
            resolve_conflict(self._db, row.id, use_theirs)
        except ReviewError as exc:
            return self._refused(str(exc))
        self._done(
            self.tr("The bundle's value is used.") if use_theirs else self.tr("Our value is kept.")
        )
        return True

    # --- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        intro = QLabel(
            self.tr(
                "Sign-ups merged from other laptops that need a person's decision: two "
                "records that may be one person, and details that differ from the roster's."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.message = self.make_message_label()

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.review_model = ReviewListModel(self._item_text, self)
        self.review_list = ListTableView(self.review_model, self.tr("Items to review"), splitter)
        self.review_list.setObjectName("reviewList")
        # One column says it all; a long line is cut short and its tool tip says it whole.
        self.review_list.horizontalHeader().setVisible(False)
        size_columns(self.review_list)
        self.review_list.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.details = QStackedWidget(splitter)
        self.details.setObjectName("reviewDetails")
        self.empty_label = QLabel(
            self.tr(
                "Nothing to review. After File > Merge sign-ups from another laptop, "
                "likely duplicates and differing details appear here."
            ),
            self.details,
        )
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.details.addWidget(self.empty_label)
        self.duplicate_panel = self._build_duplicate_panel()
        self.details.addWidget(self.duplicate_panel)
        self.conflict_panel = self._build_conflict_panel()
        self.details.addWidget(self.conflict_panel)
        splitter.addWidget(self.review_list)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([300, 780])
        self.lay_out_page([control_row(intro)], splitter)

    def _build_duplicate_panel(self) -> QWidget:
        panel = QWidget(self.details)
        column = QVBoxLayout(panel)
        self.duplicate_heading = self._heading(panel, "duplicateHeading")
        column.addWidget(self.duplicate_heading)
        hint = QLabel(
            self.tr(
                "Merging keeps the person on the left. Where they differ (highlighted), "
                "choose the value to keep; the person on the right goes to the trash, and "
                "their sign-ins, roles and tags move over."
            ),
            panel,
        )
        hint.setWordWrap(True)
        column.addWidget(hint)
        self.side_scroll = QScrollArea(panel)
        self.side_scroll.setObjectName("sideBySide")
        self.side_scroll.setWidgetResizable(True)
        self.side_scroll.setFrameShape(QFrame.Shape.StyledPanel)
        column.addWidget(self.side_scroll, 1)
        self.merge_button = QPushButton(self.tr("&Merge into one"), panel)
        self.merge_button.setObjectName("mergeButton")
        self.merge_button.clicked.connect(self.merge_current)
        self.apart_button = QPushButton(self.tr("&Keep apart"), panel)
        self.apart_button.setObjectName("keepApartButton")
        self.apart_button.clicked.connect(self.keep_current_apart)
        column.addLayout(control_row(self.merge_button, self.apart_button, None))
        return panel

    def _build_conflict_panel(self) -> QWidget:
        panel = QWidget(self.details)
        column = QVBoxLayout(panel)
        self.conflict_heading = self._heading(panel, "conflictHeading")
        column.addWidget(self.conflict_heading)
        grid = QGridLayout()
        self.conflict_field = self._value_label(panel)
        self.conflict_ours = self._value_label(panel)
        self.conflict_theirs = self._value_label(panel)
        self.conflict_origin = self._value_label(panel)
        for number, (label, value) in enumerate(
            (
                (self.tr("Field:"), self.conflict_field),
                (self.tr("On the roster (ours):"), self.conflict_ours),
                (self.tr("In the merged file (theirs):"), self.conflict_theirs),
                (self.tr("From:"), self.conflict_origin),
            )
        ):
            grid.addWidget(QLabel(label, panel), number, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, number, 1)
        grid.setColumnStretch(1, 1)
        column.addLayout(grid)
        column.addStretch(1)
        self.keep_ours_button = QPushButton(self.tr("Keep &ours"), panel)
        self.keep_ours_button.setObjectName("keepOursButton")
        self.keep_ours_button.clicked.connect(lambda: self.resolve_current(False))
        self.use_theirs_button = QPushButton(self.tr("Use &theirs"), panel)
        self.use_theirs_button.setObjectName("useTheirsButton")
        self.use_theirs_button.clicked.connect(lambda: self.resolve_current(True))
        column.addLayout(control_row(self.keep_ours_button, self.use_theirs_button, None))
        return panel

    @staticmethod
    def _heading(parent: QWidget, name: str) -> QLabel:
        """A panel's heading: the item in words, bold and a little larger."""
        heading = QLabel(parent)
        heading.setObjectName(name)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setWordWrap(True)
        bold = heading.font()
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.15)
        heading.setFont(bold)
        return heading

    @staticmethod
    def _value_label(parent: QWidget, text: str = "") -> QLabel:
        label = QLabel(text, parent)
        label.setTextFormat(Qt.TextFormat.PlainText)  # people's text is never markup
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    # --- showing one item ----------------------------------------------------------------------

    def _on_current_changed(self) -> None:
        if not self._refreshing:
            self._show_current()

    def _show_current(self) -> None:
        row = self.current_review()
        if row is None:
            self.details.setCurrentWidget(self.empty_label)
            self._choices = {}
            self._keep = self._other = None
            return
        if row.kind == KIND_DUPLICATE and row.other is not None:
            self._show_duplicate(row, row.other)
            self.details.setCurrentWidget(self.duplicate_panel)
        else:
            self._show_conflict(row)
            self.details.setCurrentWidget(self.conflict_panel)

    def _sides(self, row: ReviewRow, other: PersonSide) -> tuple[PersonSide, PersonSide]:
        """(kept, merged in). The review's other person is the one found on the roster
        (the earlier record); the newcomer is merged into them, unless the roster's one
        is in the trash, where a merge cannot keep them."""
        if other.in_trash and not row.person.in_trash:
            return row.person, other
        return other, row.person

    def _show_duplicate(self, row: ReviewRow, other: PersonSide) -> None:
        keep, merged = self._sides(row, other)
        self._keep, self._other = keep, merged
        self.duplicate_heading.setText(
            self.tr("The same person? {a} and {b}").format(
                a=keep.display_name or self.tr("(no name)"),
                b=merged.display_name or self.tr("(no name)"),
            )
        )
        self.merge_button.setEnabled(not (keep.erased or merged.erased))
        grid_holder = QWidget()
        grid_holder.setObjectName("sideBySideGrid")
        grid = QGridLayout(grid_holder)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(4)
        header_font = grid_holder.font()
        header_font.setBold(True)
        for column, text in enumerate(
            (
                self.tr("Field"),
                self.tr("Kept: {name}").format(name=keep.display_name),
                self.tr("Merged in: {name}").format(name=merged.display_name),
                "",
            )
        ):
            header = self._value_label(grid_holder, text)
            header.setFont(header_font)
            grid.addWidget(header, 0, column)
        self._choices = {}
        differing = set(row.differing)
        line = 1
        for name in REVIEW_FIELDS:
            ours, theirs = keep.values.get(name), merged.values.get(name)
            if (_blank(ours) or ours is False) and (_blank(theirs) or theirs is False):
                continue  # nothing on either side (a "No" twice is nothing to compare)
            if name in differing:
                # Behind the row's widgets (made first, so drawn first): one band of colour.
                grid.addWidget(self._band(grid_holder, name), line, 0, 1, 4)
            grid.addWidget(self._value_label(grid_holder, self._field_names[name]), line, 0)
            if name in differing and name in CHOOSABLE_FIELDS:
                group = QButtonGroup(grid_holder)
                for column, value in ((1, ours), (2, theirs)):
                    button = QRadioButton(self._value_text(name, value).replace("&", "&&"))
                    button.setObjectName(f"choice_{name}_{'keep' if column == 1 else 'other'}")
                    group.addButton(button, column - 1)
                    grid.addWidget(button, line, column)
                group.button(0).setChecked(True)  # the roster's value unless chosen otherwise
                self._choices[name] = group
            else:
                grid.addWidget(
                    self._value_label(grid_holder, self._value_text(name, ours)), line, 1
                )
                grid.addWidget(
                    self._value_label(grid_holder, self._value_text(name, theirs)), line, 2
                )
                if name in differing:
                    rule = self._value_label(grid_holder, self._rule_words(name))
                    rule.setObjectName(f"rule_{name}")
                    grid.addWidget(rule, line, 3)
            line += 1
        for label, ours_text, theirs_text in (
            (
                self.tr("Events attended"),
                QLocale().toString(keep.events_attended),
                QLocale().toString(merged.events_attended),
            ),
            (self.tr("Came from"), keep.source or "—", merged.source or "—"),
            (self.tr("Added on"), _date_text(keep.created_at), _date_text(merged.created_at)),
            (
                self.tr("In the trash"),
                self.tr("Yes") if keep.in_trash else self.tr("No"),
                self.tr("Yes") if merged.in_trash else self.tr("No"),
            ),
        ):
            grid.addWidget(self._value_label(grid_holder, label), line, 0)
            grid.addWidget(self._value_label(grid_holder, ours_text), line, 1)
            grid.addWidget(self._value_label(grid_holder, theirs_text), line, 2)
            line += 1
        if row.reason:
            why = self._value_label(
                grid_holder, self.tr("Why it is here: {reason}").format(reason=row.reason)
            )
            grid.addWidget(why, line, 0, 1, 4)
            line += 1
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        grid.setRowStretch(line, 1)
        old = self.side_scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self.side_scroll.setWidget(grid_holder)

    def _band(self, parent: QWidget, name: str) -> QFrame:
        """The highlight behind a row whose two values differ."""
        band = QFrame(parent)
        band.setObjectName(f"differs_{name}")
        band.setProperty("differs", True)
        band.setAutoFillBackground(True)
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        palette = band.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(HIGHLIGHT_DARK if dark else HIGHLIGHT))
        band.setPalette(palette)
        return band

    def _show_conflict(self, row: ReviewRow) -> None:
        self._choices = {}
        self._keep = self._other = None
        field = self._field_names.get(row.field, row.field)
        self.conflict_heading.setText(
            self.tr("{name}: two different values for {field}").format(
                name=row.person.display_name or self.tr("(no name)"), field=field.lower()
            )
        )
        self.conflict_field.setText(field)
        self.conflict_ours.setText(self._value_text(row.field, row.ours))
        self.conflict_theirs.setText(self._value_text(row.field, row.theirs))
        self.conflict_origin.setText(row.origin)
        self.use_theirs_button.setEnabled(not row.person.erased)

    # --- words ---------------------------------------------------------------------------------

    def _item_text(self, row: ReviewRow) -> str:
        name = row.person.display_name or self.tr("(no name)")
        if row.kind == KIND_DUPLICATE and row.other is not None:
            keep, merged = self._sides(row, row.other)
            return self.tr("Same person? {a} / {b}").format(
                a=keep.display_name or self.tr("(no name)"),
                b=merged.display_name or self.tr("(no name)"),
            )
        field = self._field_names.get(row.field, row.field)
        return self.tr("{name}: {field} differs").format(name=name, field=field.lower())

    def _value_text(self, name: str, value: FieldValue) -> str:
        if _blank(value):
            return "—"
        if isinstance(value, bool):
            return self.tr("Yes") if value else self.tr("No")
        if isinstance(value, date | datetime):
            return _date_text(value)
        if name == "status":
            return label_text(STATUS_LABELS.get(PersonStatus(str(value)), str(value)))
        if name == "ladder_stage":
            return label_text(LADDER_LABELS.get(LadderStage(str(value)), str(value)))
        if name == "joined_via":
            return label_text(JOINED_VIA_LABELS.get(JoinedVia(str(value)), str(value)))
        if name in ("dues_paid_through", "joined_on") and isinstance(value, str):
            try:
                return _date_text(date.fromisoformat(value))
            except ValueError:
                return value
        return str(value)

    def _rule_words(self, name: str) -> str:
        rules: Mapping[str, str] = {
            "notes": self.tr("Both notes are kept."),
            "do_not_contact": self.tr("Kept if either says so."),
            "email_ok": self.tr("Yes if either agreed."),
            "phone_ok": self.tr("Yes if either agreed."),
            "mail_ok": self.tr("Yes if either agreed."),
            "dues_waived": self.tr("Kept if either has it."),
            "dues_paid_through": self.tr("The later date is kept."),
            "joined_on": self.tr("The earlier date is kept."),
            "ladder_stage": self.tr("The higher rung is kept."),
            "status": self.tr("The kept person's, unless it is Prospect."),
            "joined_via": self.tr("The kept person's, unless it is Other."),
        }
        return rules.get(name, "")

    def _field_words(self) -> dict[str, str]:
        return {
            "given_name": self.tr("Given name"),
            "family_name": self.tr("Family name"),
            "preferred_name": self.tr("Preferred name"),
            "email": self.tr("Email"),
            "phone": self.tr("Phone"),
            "address_line1": self.tr("Address"),
            "address_line2": self.tr("Address (line 2)"),
            "city": self.tr("City"),
            "region": self.tr("Region"),
            "postal_code": self.tr("Postal code"),
            "country": self.tr("Country"),
            "school": self.tr("School"),
            "graduation_year": self.tr("Graduation year"),
            "joined_on": self.tr("Joined on"),
            "joined_via": self.tr("Joined through"),
            "status": self.tr("Status"),
            "ladder_stage": self.tr("Ladder of engagement"),
            "dues_paid_through": self.tr("Dues paid through"),
            "dues_waived": self.tr("Dues waived"),
            "email_ok": self.tr("Email allowed"),
            "phone_ok": self.tr("Phone allowed"),
            "mail_ok": self.tr("Post allowed"),
            "do_not_contact": self.tr("Do not contact"),
            "notes": self.tr("Notes"),
        }

    # --- after a decision ------------------------------------------------------------------------

    def _done(self, message: str) -> None:
        self.show_message(message)
        self.refresh()

    def _refused(self, message: str) -> bool:
        self.show_failure(message)
        self.refresh()
        return False


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _date_text(value: date | datetime) -> str:
    if isinstance(value, datetime):
        return date_text(value.astimezone().date())  # the day it was where the user is
    return date_text(value)
