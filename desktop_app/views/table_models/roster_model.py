"""The roster table: person ids in display order, rows loaded a page at a time.

A state-wide roster has 100,000 people, so the model never holds them all as rows.
It keeps two id lists: the ids of the current filter in the current sort order
(one SQL query when the filter or the sort changes, or the data does) and the ids
shown, which are those of the first that match the search text. A keystroke asks
the service only for the set of ids matching the text (the FTS index alone) and
keeps the ordered ids found in it, which is several times faster than a sorted
query per keystroke (see bench/bench_roster_search.py). Rows are read with
fetch_rows, ~200 at a time, when the view first asks for one, and kept in a bounded
least-recently-used cache.

Everything shown is plain text exactly as stored: Qt item views do not interpret
markup in DisplayRole text, and tool tips (which Qt would interpret) are escaped.
"""

from __future__ import annotations

import html
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

from desktop_app.db import Database
from desktop_app.services.group import group_country
from desktop_app.services.labels import JOINED_VIA_LABELS, LADDER_LABELS, STATUS_LABELS
from desktop_app.services.roster import (
    RosterFilter,
    RosterRow,
    SortKey,
    fetch_rows,
    match_person_ids,
    review_reasons,
    search_person_ids,
)
from desktop_app.services.validation import format_phone

ModelIndex = QModelIndex | QPersistentModelIndex


def label_text(text: str) -> str:
    """A stored code's English label (services/labels.py), translated for display."""
    return QCoreApplication.translate("labels", text)


def plain_text_tooltip(text: str) -> str:
    """A tool tip that shows text literally.

    QToolTip guesses whether its text is HTML, so a name like "<b>Tom & Jerry</b>"
    would turn bold; escaping it inside an explicit rich-text paragraph shows it
    as typed, line breaks included.
    """
    if not text:
        return ""
    escaped = html.escape(text).replace("\n", "<br>")
    return f"<p style='white-space:pre-wrap'>{escaped}</p>"


class RosterTableModel(QAbstractTableModel):
    """The people of the roster for one search text, filter and sort order.

    Signals:
        countChanged(int): the number of rows after every reset (search, filter,
            sort or refresh), for the page's "1,234 people" label.
    """

    countChanged = Signal(int)

    # Columns, left to right.
    NAME = 0
    EMAIL = 1
    PHONE = 2
    POSTAL_CODE = 3
    STATUS = 4
    ROLES = 5
    TAGS = 6
    LADDER = 7
    DUES = 8
    CONSENT = 9
    JOINED_VIA = 10
    COLUMN_COUNT = 11

    # The service's order for each column; consent has none (the consent filter
    # answers "who may we email?" better than an order of tick-box combinations).
    SORT_KEYS: ClassVar[dict[int, SortKey | None]] = {
        NAME: SortKey.NAME,
        EMAIL: SortKey.EMAIL,
        PHONE: SortKey.PHONE,
        POSTAL_CODE: SortKey.POSTAL_CODE,
        STATUS: SortKey.STATUS,
        ROLES: SortKey.ROLES,
        TAGS: SortKey.TAGS,
        LADDER: SortKey.LADDER,
        DUES: SortKey.DUES,
        CONSENT: None,
        JOINED_VIA: SortKey.JOINED_VIA,
    }

    # Custom roles.
    PersonIdRole = Qt.ItemDataRole.UserRole + 1  # int: the person's id
    RowRole = Qt.ItemDataRole.UserRole + 2  # RosterRow (None while the person is gone)

    PAGE_SIZE = 200
    # What a first paint needs: a screenful and some. With quick_start the model reads
    # only these at first and the rest when load_the_rest() is called (after the first
    # paint), which at 100,000 people keeps 0.1 s of reading out of the start-up.
    FIRST_ROWS = 2 * PAGE_SIZE
    # Ten pages: a screenful plus generous scrolling back and forth, ~2 MB at most.
    CACHE_ROWS = 2000

    def __init__(
        self, db: Database, parent: QObject | None = None, *, quick_start: bool = False
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._country = group_country(db)
        self._text = ""
        self._filter = RosterFilter()
        self._sort_column = self.NAME
        self._sort_key = SortKey.NAME
        self._descending = False
        # None: the text narrows nothing; otherwise every id (trash included) it matches.
        self._matches: frozenset[int] | None = None
        self._ordered_ids: list[int] = []  # the filter's ids in display order
        self._position: dict[int, int] | None = None  # id -> place in _ordered_ids, when asked
        self._ids: list[int] = []  # what is shown: _ordered_ids kept by _matches
        self._row_by_id: dict[int, int] | None = None  # built when first asked
        self._cache: OrderedDict[int, RosterRow] = OrderedDict()
        self._reasons: dict[int, str] = {}  # review reasons of cached flagged rows
        self._gone: set[int] = set()  # ids whose rows were asked for and not found
        self._headers = self._header_texts()
        self._icons: dict[QStyle.StandardPixmap, QIcon] = {}
        self._incomplete = False  # only the first rows of the order are read so far
        if quick_start:
            self._load_first_rows()
        else:
            self._load_ordered_ids()
        self._apply_matches()

    # --- Qt model interface --------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        if role == Qt.ItemDataRole.ToolTipRole and self.SORT_KEYS[section] is not None:
            return self.tr("Click to sort by this column; click again to reverse.")
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == self.PersonIdRole:
            return self._ids[index.row()]
        if role not in _ROLES_WITH_ROW_DATA:
            return None
        row = self._row(index.row())
        if row is None:
            return None
        if role == self.RowRole:
            return row
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._decoration(row, column)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.SORT_KEYS.get(column)
        if key is None:
            return  # not a sortable column: the order stays as it was
        descending = order == Qt.SortOrder.DescendingOrder
        if (column, descending) == (self._sort_column, self._descending):
            return
        self._sort_column, self._sort_key, self._descending = column, key, descending
        self.beginResetModel()
        self._load_ordered_ids()
        self._apply_matches()
        self._end_reset()

    # --- what the page asks ----------------------------------------------------------------

    def search_text(self) -> str:
        return self._text

    def roster_filter(self) -> RosterFilter:
        return self._filter

    def sort_column(self) -> int:
        return self._sort_column

    def sort_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder

    def set_search(self, text: str) -> None:
        """Show the people whose names, email, phone or postal code contain text."""
        if text == self._text:
            return
        self._ensure_complete()
        self._text = text
        matches = match_person_ids(self._db, text)
        self.beginResetModel()
        self._matches = matches
        self._apply_matches()
        self._end_reset()

    def set_filter(self, flt: RosterFilter) -> None:
        if flt == self._filter:
            return
        self.beginResetModel()
        self._filter = flt
        self._load_ordered_ids()
        self._apply_matches()
        self._end_reset()

    def refresh(self) -> None:
        """Read everything again after a change (add, edit, remove, restore, erase).

        This is a reset; views built on the model keep their selection by person id
        (RosterPage's table restores it from PersonIdRole after modelReset).
        """
        self.beginResetModel()
        self._country = group_country(self._db)
        self._cache.clear()
        self._reasons.clear()
        self._gone.clear()
        self._matches = match_person_ids(self._db, self._text)
        self._load_ordered_ids()
        self._apply_matches()
        self._end_reset()

    def person_id_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, person_id: int) -> int:
        """The row showing that person, or -1 if they are not shown."""
        self._ensure_complete()
        if self._row_by_id is None:
            self._row_by_id = {person_id: row for row, person_id in enumerate(self._ids)}
        return self._row_by_id.get(person_id, -1)

    def row_at(self, row: int) -> RosterRow | None:
        """The roster row shown at row (loading its page if needed)."""
        return self._row(row) if 0 <= row < len(self._ids) else None

    def person_ids(self) -> Sequence[int]:
        """Every id shown, in display order (read-only view for exports and tests)."""
        self._ensure_complete()
        return tuple(self._ids)

    # --- loading -------------------------------------------------------------------------

    def is_complete(self) -> bool:
        """False while only the first rows are read (see FIRST_ROWS and load_the_rest)."""
        return not self._incomplete

    def load_the_rest(self) -> None:
        """Read the ids past the first rows, appending them as new rows (no reset, so
        the selection and the scroll position stay)."""
        if not self._incomplete:
            return
        self._incomplete = False
        shown = list(self._ids)
        self._load_ordered_ids()
        if self._ordered_ids[: len(shown)] != shown or self._matches is not None:
            # Someone was added or removed in between: show the roster afresh.
            self.beginResetModel()
            self._apply_matches()
            self._end_reset()
            return
        if len(self._ordered_ids) > len(shown):
            self.beginInsertRows(QModelIndex(), len(shown), len(self._ordered_ids) - 1)
            self._apply_matches()
            self.endInsertRows()
        self.countChanged.emit(len(self._ids))

    def _ensure_complete(self) -> None:
        if self._incomplete:
            self.load_the_rest()

    def _load_first_rows(self) -> None:
        self._ordered_ids = search_person_ids(
            self._db, "", self._filter, self._sort_key, self._descending, limit=self.FIRST_ROWS
        )
        self._incomplete = len(self._ordered_ids) == self.FIRST_ROWS
        self._position = None

    def _load_ordered_ids(self) -> None:
        self._ordered_ids = search_person_ids(
            self._db, "", self._filter, self._sort_key, self._descending
        )
        self._incomplete = False
        self._position = None

    def _apply_matches(self) -> None:
        matches = self._matches
        if matches is None:
            self._ids = self._ordered_ids
        elif len(matches) * 4 < len(self._ordered_ids):
            # Few matches (most keystrokes past the third letter): sort them by their
            # place in the order instead of walking all 100,000 ordered ids.
            if self._position is None:
                self._position = {pid: place for place, pid in enumerate(self._ordered_ids)}
            position = self._position
            kept = [pid for pid in matches if pid in position]
            kept.sort(key=position.__getitem__)
            self._ids = kept
        else:
            self._ids = [pid for pid in self._ordered_ids if pid in matches]
        self._row_by_id = None

    def _end_reset(self) -> None:
        self.endResetModel()
        self.countChanged.emit(len(self._ids))

    def _row(self, row: int) -> RosterRow | None:
        person_id = self._ids[row]
        found = self._cache.get(person_id)
        if found is not None:
            self._cache.move_to_end(person_id)
            return found
        if person_id in self._gone:
            return None
        self._fetch_page(row // self.PAGE_SIZE)
        return self._cache.get(person_id)

    def _fetch_page(self, page: int) -> None:
        start = page * self.PAGE_SIZE
        wanted = [i for i in self._ids[start : start + self.PAGE_SIZE] if i not in self._cache]
        rows = fetch_rows(self._db, wanted)
        flagged = [row.id for row in rows if row.needs_review]
        if flagged:
            self._reasons.update(review_reasons(self._db, flagged))
        for row in rows:
            self._cache[row.id] = row
        # Someone removed from the database since the ids were read: show an empty row
        # until the next refresh rather than asking again on every paint.
        self._gone.update(set(wanted) - {row.id for row in rows})
        while len(self._cache) > self.CACHE_ROWS:
            evicted, _ = self._cache.popitem(last=False)
            self._reasons.pop(evicted, None)

    # --- how a row is shown ----------------------------------------------------------------

    def _header_texts(self) -> list[str]:
        return [
            self.tr("Name"),
            self.tr("Email"),
            self.tr("Phone"),
            self.tr("Postal code"),
            self.tr("Status"),
            self.tr("Roles"),
            self.tr("Tags"),
            self.tr("Ladder stage"),
            self.tr("Dues"),
            self.tr("Consent"),
            self.tr("Joined via"),
        ]

    def _display(self, row: RosterRow, column: int) -> str:
        if column == self.NAME:
            return row.display_name
        if column == self.EMAIL:
            return row.email
        if column == self.PHONE:
            return format_phone(row.phone, self._country)
        if column == self.POSTAL_CODE:
            return row.postal_code
        if column == self.STATUS:
            return label_text(STATUS_LABELS[row.status])
        if column == self.ROLES:
            return ", ".join(row.roles)
        if column == self.TAGS:
            return ", ".join(row.tags)
        if column == self.LADDER:
            return label_text(LADDER_LABELS[row.ladder_stage])
        if column == self.DUES:
            return self.dues_text(row)
        if column == self.CONSENT:
            return self.consent_text(row)
        if column == self.JOINED_VIA:
            return label_text(JOINED_VIA_LABELS[row.joined_via])
        return ""

    def dues_text(self, row: RosterRow) -> str:
        state = row.dues_state()
        return {
            "waived": self.tr("Waived"),
            "current": self.tr("Current"),
            "lapsed": self.tr("Lapsed"),
        }.get(state, "")

    def consent_text(self, row: RosterRow) -> str:
        if row.do_not_contact:
            return self.tr("Do not contact")
        ways = [
            text
            for allowed, text in (
                (row.email_ok, self.tr("email")),
                (row.phone_ok, self.tr("phone")),
                (row.mail_ok, self.tr("mail")),
            )
            if allowed
        ]
        return ", ".join(ways) if ways else self.tr("none given")

    def _tooltip(self, row: RosterRow, column: int) -> str | None:
        lines: list[str] = []
        if column == self.NAME:
            if row.needs_review:
                reason = self._reasons.get(row.id, "")
                lines.append(self.tr("Needs review:") + (f"\n{reason}" if reason else ""))
            if row.do_not_contact:
                lines.append(self.tr("Do not contact this person."))
            if row.removed_at is not None:
                lines.append(self.tr("In the trash; Restore brings them back."))
        elif column == self.CONSENT and row.do_not_contact:
            lines.append(self.tr("Do not contact: left out of every mailing, label and call list."))
        text = self._display(row, column)
        # Long values are cut off in the cell; the tool tip shows them whole.
        if len(text) > 40:
            lines.insert(0, text)
        return plain_text_tooltip("\n\n".join(lines)) or None

    def _decoration(self, row: RosterRow, column: int) -> QIcon | None:
        if column == self.NAME and row.needs_review:
            return self._standard_icon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        if column == self.CONSENT and row.do_not_contact:
            return self._standard_icon(QStyle.StandardPixmap.SP_DialogNoButton)
        return None

    def _standard_icon(self, pixmap: QStyle.StandardPixmap) -> QIcon:
        # Asked for on every paint of a flagged row; the style builds each icon once.
        icon = self._icons.get(pixmap)
        if icon is None:
            style = QApplication.style()
            icon = style.standardIcon(pixmap) if style is not None else QIcon()
            self._icons[pixmap] = icon
        return icon


_ROLES_WITH_ROW_DATA = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.AccessibleTextRole,
        RosterTableModel.RowRole,
    }
)
