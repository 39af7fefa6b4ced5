"""The Treasurer page: the ledger, dues, donations, remittances, event budgets and the
paragraph for the minutes.

At the top, the bank and cash balances today and the period the lists show (this
month, this quarter, this year... or dates of one's own). Tabs below:

- Ledger: the lines of the period with the balance after each, filtered by category
  and account; money in, money out, change and remove (all undoable).
- Dues: record a payment (the member picked from the roster as one types), the
  members whose dues have lapsed, and the payments of the period.
- Donations and Remittances: record them, mark them thanked or acknowledged, remove.
- Event budgets: an event's planned lines against what the ledger shows for it.
- Report: the treasurer's paragraph for the minutes, with a Copy button.

Nothing is read while the window is built; a tab reads its data when it is shown
(Page.reload, and again when the tab changes).
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.db import Database
from desktop_app.models import Account, EntryKind
from desktop_app.services import ledger
from desktop_app.services.ledger import (
    BudgetLineInput,
    BudgetLineReport,
    DonationInput,
    DonationRow,
    LedgerError,
    LedgerLine,
    LedgerLineInput,
    Period,
    RemittanceInput,
    RemittanceRow,
)
from desktop_app.services.money import US, MoneyStyle
from desktop_app.tasks.runner import Task
from desktop_app.views.ledger_commands import (
    AcknowledgeCommand,
    AddDonationCommand,
    AddLineCommand,
    AddRemittanceCommand,
    EditLineCommand,
    LedgerCommand,
    LedgerContext,
    OpeningBalancesCommand,
    RecordDuesCommand,
    RemoveLineCommand,
    RemoveRecordCommand,
)
from desktop_app.views.ledger_dialogs import (
    AcknowledgeDialog,
    BudgetLineDialog,
    DonationDialog,
    DuesDialog,
    DuesInput,
    LineDialog,
    OpeningBalancesDialog,
    RemittanceDialog,
    date_edit,
)
from desktop_app.views.list_tables import ListTableView, select_row, selected_row, size_columns
from desktop_app.views.local_time import date_text, from_qdate, local_today
from desktop_app.views.pages import Page, control_row
from desktop_app.views.table_models.ledger_model import (
    BudgetTableModel,
    DonationsTableModel,
    DuesTableModel,
    LapsedTableModel,
    LedgerTableModel,
    RemittancesTableModel,
)

LEDGER, DUES, DONATIONS, REMITTANCES, BUDGETS, REPORT = range(6)
PERIOD_CHOICES = (
    "this_month",
    "last_month",
    "this_quarter",
    "last_quarter",
    "this_year",
    "last_year",
    "all",
    "custom",
)


def period_for(choice: str, today: date, start: date, end: date) -> Period:
    """The Period a choice of the period menu means on ``today``."""
    if choice == "this_month":
        return Period.month(today.year, today.month)
    if choice == "last_month":
        previous = today.replace(day=1) - timedelta(days=1)
        return Period.month(previous.year, previous.month)
    quarter = (today.month - 1) // 3 + 1
    if choice == "this_quarter":
        return Period.quarter(today.year, quarter)
    if choice == "last_quarter":
        return (
            Period.quarter(today.year, quarter - 1)
            if quarter > 1
            else Period.quarter(today.year - 1, 4)
        )
    if choice == "this_year":
        return Period.year(today.year)
    if choice == "last_year":
        return Period.year(today.year - 1)
    if choice == "custom":
        return Period.custom(start, end) if end >= start else Period.custom(end, start)
    return Period.everything()


class TreasurerPage(Page):
    """The treasurer's ledger and registers."""

    def __init__(self, db: Database, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("treasurer")
        self._db = db
        self._style: MoneyStyle = US
        self._context = LedgerContext(
            db=db,
            style=lambda: self._style,
            changed=self._after_change,
            failed=self.show_message,
        )
        self.ledger_model = LedgerTableModel(self)
        self.dues_model = DuesTableModel(self)
        self.lapsed_model = LapsedTableModel(self)
        self.donations_model = DonationsTableModel(self)
        self.remittances_model = RemittancesTableModel(self)
        self.budget_model = BudgetTableModel(self)
        self._build()
        self._connect()
        # Page.showEvent calls reload() when the page is first shown.

    # --- the Page contract -------------------------------------------------------------------

    def page_title(self) -> str:
        return self.tr("Treasurer")

    # --- building ----------------------------------------------------------------------------

    def _build(self) -> None:
        self.balances_label = QLabel(self)
        self.balances_label.setObjectName("balances")
        self.balances_label.setTextFormat(Qt.TextFormat.PlainText)
        bold = QFont(self.balances_label.font())
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.15)
        self.balances_label.setFont(bold)
        self.opening_button = QPushButton(self.tr("Opening &balances…"), self)
        self.export_button = QPushButton(self.tr("E&xport workbook…"), self)
        self.export_button.setToolTip(
            self.tr("The treasurer's workbook (.xlsx): summary, transactions, dues, donations")
        )

        self.period = QComboBox(self)
        self.period.setAccessibleName(self.tr("Period"))
        for key, text in zip(
            PERIOD_CHOICES,
            (
                self.tr("This month"),
                self.tr("Last month"),
                self.tr("This quarter"),
                self.tr("Last quarter"),
                self.tr("This year"),
                self.tr("Last year"),
                self.tr("All dates"),
                self.tr("From … to …"),
            ),
            strict=True,
        ):
            self.period.addItem(text, key)
        self.period.setCurrentIndex(self.period.findData("this_year"))
        today = local_today()
        self.start = date_edit(self, today.replace(month=1, day=1))
        self.start.setAccessibleName(self.tr("From"))
        self.end = date_edit(self, today)
        self.end.setAccessibleName(self.tr("To"))
        self.period_label = QLabel(self.tr("&Period:"), self)
        self.period_label.setBuddy(self.period)

        top = QHBoxLayout()
        top.addWidget(self.balances_label, 1)
        top.addWidget(self.opening_button)
        top.addWidget(self.export_button)
        period_row = control_row(self.period_label, self.period, self.start, self.end, None)

        self.message = self.make_message_label()

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._build_ledger_tab(), self.tr("&Ledger"))
        self.tabs.addTab(self._build_dues_tab(), self.tr("D&ues"))
        self.tabs.addTab(self._build_donations_tab(), self.tr("Do&nations"))
        self.tabs.addTab(self._build_remittances_tab(), self.tr("Re&mittances"))
        self.tabs.addTab(self._build_budgets_tab(), self.tr("Event bu&dgets"))
        self.tabs.addTab(self._build_report_tab(), self.tr("Re&port"))

        self.lay_out_page([top, period_row], self.tabs)
        self._show_custom_dates()

    def _build_ledger_tab(self) -> QWidget:
        tab = QWidget(self)
        self.category = QComboBox(tab)
        self.category.setAccessibleName(self.tr("Category"))
        self.category.addItem(self.tr("All categories"), None)
        self.account = QComboBox(tab)
        self.account.setAccessibleName(self.tr("Account"))
        self.account.addItem(self.tr("Bank and cash"), None)
        self.account.addItem(self.tr("Bank"), Account.BANK)
        self.account.addItem(self.tr("Cash"), Account.CASH)
        self.money_in_button = QPushButton(self.tr("Money &in…"), tab)
        self.money_out_button = QPushButton(self.tr("Money &out…"), tab)
        self.edit_button = QPushButton(self.tr("&Change…"), tab)
        self.remove_button = QPushButton(self.tr("&Remove"), tab)
        self.ledger_table = ListTableView(self.ledger_model, self.tr("Ledger"), tab)
        # Date, the description (it takes the room there is), category, in, out and the
        # balance: amounts keep a steady width.
        size_columns(
            self.ledger_table, (130, None, 230, 105, 105, 120), stretch=LedgerTableModel.DESCRIPTION
        )
        self.ledger_totals = QLabel(tab)
        self.ledger_totals.setTextFormat(Qt.TextFormat.PlainText)
        filters = QHBoxLayout()
        category_label = QLabel(self.tr("Cate&gory:"), tab)
        category_label.setBuddy(self.category)
        account_label = QLabel(self.tr("&Account:"), tab)
        account_label.setBuddy(self.account)
        filters.addWidget(category_label)
        filters.addWidget(self.category, 1)
        filters.addWidget(account_label)
        filters.addWidget(self.account)
        filters.addStretch(1)
        actions = control_row(
            self.money_in_button, self.money_out_button, self.edit_button, self.remove_button, None
        )
        layout = QVBoxLayout(tab)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.ledger_table, 1)
        layout.addWidget(self.ledger_totals)
        return tab

    def _build_dues_tab(self) -> QWidget:
        tab = QWidget(self)
        self.dues_button = QPushButton(self.tr("&Record dues payment…"), tab)
        self.lapsed_label = QLabel(tab)
        self.lapsed_label.setTextFormat(Qt.TextFormat.PlainText)
        self.lapsed_table = ListTableView(self.lapsed_model, self.tr("Lapsed dues"), tab)
        size_columns(self.lapsed_table, (200, 130, 220))
        self.lapsed_label.setBuddy(self.lapsed_table)
        self.dues_label = QLabel(tab)
        self.dues_label.setTextFormat(Qt.TextFormat.PlainText)
        self.dues_table = ListTableView(self.dues_model, self.tr("Dues payments"), tab)
        size_columns(self.dues_table, (130, 200, 90, 70, 130))
        self.dues_label.setBuddy(self.dues_table)
        layout = QVBoxLayout(tab)
        layout.addLayout(control_row(self.dues_button, None))
        layout.addWidget(self.lapsed_label)
        layout.addWidget(self.lapsed_table, 1)
        layout.addWidget(self.dues_label)
        layout.addWidget(self.dues_table, 1)
        return tab

    def _build_donations_tab(self) -> QWidget:
        tab = QWidget(self)
        self.donation_button = QPushButton(self.tr("Record &donation…"), tab)
        self.thanked_button = QPushButton(self.tr("Mark &thanked…"), tab)
        self.remove_donation_button = QPushButton(self.tr("Remo&ve"), tab)
        self.donations_table = ListTableView(self.donations_model, self.tr("Donations"), tab)
        size_columns(self.donations_table, (130, 260, 100))
        self.donations_label = QLabel(tab)
        self.donations_label.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(tab)
        layout.addLayout(
            control_row(
                self.donation_button, self.thanked_button, self.remove_donation_button, None
            )
        )
        layout.addWidget(self.donations_table, 1)
        layout.addWidget(self.donations_label)
        return tab

    def _build_remittances_tab(self) -> QWidget:
        tab = QWidget(self)
        self.remittance_button = QPushButton(self.tr("Record &remittance…"), tab)
        self.acknowledged_button = QPushButton(self.tr("Mark &acknowledged…"), tab)
        self.remove_remittance_button = QPushButton(self.tr("Remo&ve"), tab)
        self.remittances_table = ListTableView(self.remittances_model, self.tr("Remittances"), tab)
        size_columns(self.remittances_table, (130, 100, 100, 150))
        self.remittances_label = QLabel(tab)
        self.remittances_label.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(tab)
        layout.addLayout(
            control_row(
                self.remittance_button,
                self.acknowledged_button,
                self.remove_remittance_button,
                None,
            )
        )
        layout.addWidget(self.remittances_table, 1)
        layout.addWidget(self.remittances_label)
        return tab

    def _build_budgets_tab(self) -> QWidget:
        tab = QWidget(self)
        self.budget_event = QComboBox(tab)
        self.budget_event.setAccessibleName(self.tr("Event"))
        self.budget_event.setMinimumContentsLength(30)
        event_label = QLabel(self.tr("E&vent:"), tab)
        event_label.setBuddy(self.budget_event)
        self.add_budget_button = QPushButton(self.tr("&Plan a line…"), tab)
        self.edit_budget_button = QPushButton(self.tr("C&hange…"), tab)
        self.remove_budget_button = QPushButton(self.tr("Remo&ve"), tab)
        self.budget_table = ListTableView(self.budget_model, self.tr("Budget"), tab)
        size_columns(self.budget_table, (220, 90, 110, 110))
        self.budget_totals = QLabel(tab)
        self.budget_totals.setTextFormat(Qt.TextFormat.PlainText)
        self.budget_totals.setWordWrap(True)
        choose = QHBoxLayout()
        choose.addWidget(event_label)
        choose.addWidget(self.budget_event, 1)
        layout = QVBoxLayout(tab)
        layout.addLayout(choose)
        layout.addLayout(
            control_row(
                self.add_budget_button, self.edit_budget_button, self.remove_budget_button, None
            )
        )
        layout.addWidget(self.budget_table, 1)
        layout.addWidget(self.budget_totals)
        return tab

    def _build_report_tab(self) -> QWidget:
        tab = QWidget(self)
        today = local_today()
        self.report_as_of = date_edit(tab, today)
        self.report_as_of.setAccessibleName(self.tr("On"))
        self.report_since = date_edit(tab, today.replace(day=1))
        self.report_since.setAccessibleName(self.tr("Since"))
        on_label = QLabel(self.tr("O&n:"), tab)
        on_label.setBuddy(self.report_as_of)
        since_label = QLabel(self.tr("&Since:"), tab)
        since_label.setBuddy(self.report_since)
        self.report_text = QPlainTextEdit(tab)
        self.report_text.setReadOnly(True)
        self.report_text.setAccessibleName(self.tr("Treasurer's report"))
        self.copy_button = QPushButton(self.tr("&Copy"), tab)
        self.copy_button.setToolTip(self.tr("Copy the paragraph, to paste into the minutes"))
        row = control_row(
            on_label, self.report_as_of, since_label, self.report_since, None, self.copy_button
        )
        layout = QVBoxLayout(tab)
        intro = QLabel(self.tr("The treasurer's report for the minutes:"), tab)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.report_text, 1)
        return tab

    def _connect(self) -> None:
        self.period.currentIndexChanged.connect(self._on_period_changed)
        self.start.dateChanged.connect(lambda _d: self.reload())
        self.end.dateChanged.connect(lambda _d: self.reload())
        self.tabs.currentChanged.connect(lambda _i: self.reload())
        self.category.activated.connect(lambda _i: self.reload())
        self.account.activated.connect(lambda _i: self.reload())
        self.opening_button.clicked.connect(self.edit_opening_balances)
        self.export_button.clicked.connect(self.export_workbook)
        self.money_in_button.clicked.connect(lambda: self.add_line(EntryKind.INCOME))
        self.money_out_button.clicked.connect(lambda: self.add_line(EntryKind.EXPENSE))
        self.edit_button.clicked.connect(self.edit_selected_line)
        self.remove_button.clicked.connect(self.remove_selected_line)
        self.ledger_table.openRequested.connect(self.edit_selected_line)  # Enter, a double click
        self.ledger_table.deleteRequested.connect(self.remove_selected_line)
        self.ledger_table.selectionModel().selectionChanged.connect(self._update_actions)
        self.dues_button.clicked.connect(self.record_dues)
        self.donation_button.clicked.connect(self.add_donation)
        self.thanked_button.clicked.connect(lambda: self.acknowledge("donation"))
        self.remove_donation_button.clicked.connect(lambda: self.remove_record("donation"))
        self.donations_table.selectionModel().selectionChanged.connect(self._update_actions)
        self.remittance_button.clicked.connect(self.add_remittance)
        self.acknowledged_button.clicked.connect(lambda: self.acknowledge("remittance"))
        self.remove_remittance_button.clicked.connect(lambda: self.remove_record("remittance"))
        self.remittances_table.selectionModel().selectionChanged.connect(self._update_actions)
        self.budget_event.activated.connect(lambda _i: self._read_budget())
        self.add_budget_button.clicked.connect(self.add_budget_line)
        self.edit_budget_button.clicked.connect(self.edit_budget_line)
        self.remove_budget_button.clicked.connect(self.remove_budget_line)
        self.budget_table.doubleClicked.connect(lambda _i: self.edit_budget_line())
        self.budget_table.selectionModel().selectionChanged.connect(self._update_actions)
        self.report_as_of.dateChanged.connect(lambda _d: self._read_report())
        self.report_since.dateChanged.connect(lambda _d: self._read_report())
        self.copy_button.clicked.connect(self.copy_report)
        order: list[QWidget] = [
            self.opening_button,
            self.export_button,
            self.period,
            self.start,
            self.end,
            self.tabs,
        ]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    # --- reading -------------------------------------------------------------------------------

    def current_period(self) -> Period:
        choice = self.period.currentData() or "this_year"
        return period_for(
            str(choice), local_today(), from_qdate(self.start.date()), from_qdate(self.end.date())
        )

    def set_period(self, choice: str) -> None:
        self.period.setCurrentIndex(self.period.findData(choice))

    def _on_period_changed(self, _index: int) -> None:
        self._show_custom_dates()
        self.reload()

    def _show_custom_dates(self) -> None:
        custom = self.period.currentData() == "custom"
        self.start.setVisible(custom)
        self.end.setVisible(custom)

    def money_style(self) -> MoneyStyle:
        return self._style

    def reload(self, select_line: int | None = None) -> None:
        """Read the balances and the current tab's lists afresh."""
        self._style = ledger.group_money_style(self._db)
        money = ledger.balances(self._db, local_today())
        self.balances_label.setText(
            self.tr("Bank {bank} · Cash {cash} · Together {total}").format(
                bank=self._style.format(money.bank_cents),
                cash=self._style.format(money.cash_cents),
                total=self._style.format(money.total_cents),
            )
        )
        tab = self.tabs.currentIndex()
        if tab == LEDGER:
            self._read_ledger(select_line)
        elif tab == DUES:
            self._read_dues()
        elif tab == DONATIONS:
            self._read_donations()
        elif tab == REMITTANCES:
            self._read_remittances()
        elif tab == BUDGETS:
            self._read_budget_events()
        elif tab == REPORT:
            self._read_report()
        self._update_actions()

    def _read_ledger(self, select_line: int | None) -> None:
        wanted = select_line if select_line is not None else self.selected_line_id()
        chosen = self.category.currentData()
        self.category.blockSignals(True)
        self.category.clear()
        self.category.addItem(self.tr("All categories"), None)
        names = sorted({use.name for use in ledger.categories_in_use(self._db)}, key=str.casefold)
        for name in names:
            self.category.addItem(name, name)
        self.category.setCurrentIndex(max(self.category.findData(chosen), 0))
        self.category.blockSignals(False)
        rows = ledger.list_lines(
            self._db,
            self.current_period(),
            category=self.category.currentData(),
            account=Account(self.account.currentData()) if self.account.currentData() else None,
        )
        self.ledger_model.set_rows(rows, self._style)
        money_in = sum(r.data.amount_cents for r in rows if r.data.kind is EntryKind.INCOME)
        money_out = sum(r.data.amount_cents for r in rows if r.data.kind is EntryKind.EXPENSE)
        count = len(rows)
        self.ledger_totals.setText(
            self.tr("{count} lines · in {money_in} · out {money_out}").format(
                count=count,
                money_in=self._style.format(money_in),
                money_out=self._style.format(money_out),
            )
            if count != 1
            else self.tr("1 line · in {money_in} · out {money_out}").format(
                money_in=self._style.format(money_in), money_out=self._style.format(money_out)
            )
        )
        row = self.ledger_model.row_of(wanted) if wanted is not None else -1
        if not select_row(self.ledger_table, row) and rows:
            self.ledger_table.scrollToBottom()

    def _read_dues(self) -> None:
        today = local_today()
        lapsed = ledger.lapsed_dues(self._db, today)
        self.lapsed_model.set_rows(lapsed, self._style)
        self.lapsed_label.setText(
            self.tr("Dues &lapsed ({count}), longest lapsed first:").format(count=len(lapsed))
        )
        payments = ledger.dues_payments(self._db, self.current_period())
        self.dues_model.set_rows(payments, self._style)
        total = sum(p.amount_cents for p in payments)
        self.dues_label.setText(
            self.tr("Pa&yments in {period} ({count}, {total}):").format(
                period=self.current_period().label,
                count=len(payments),
                total=self._style.format(total),
            )
        )

    def _read_donations(self) -> None:
        rows = ledger.list_donations(self._db, self.current_period())
        self.donations_model.set_rows(rows, self._style)
        waiting = sum(1 for r in rows if r.acknowledged_on is None)
        self.donations_label.setText(
            self.tr("{count} donations, {total}; {waiting} not thanked yet").format(
                count=len(rows),
                total=self._style.format(sum(r.amount_cents for r in rows)),
                waiting=waiting,
            )
        )

    def _read_remittances(self) -> None:
        rows = ledger.list_remittances(self._db, self.current_period())
        self.remittances_model.set_rows(rows, self._style)
        waiting = [r for r in rows if r.acknowledged_on is None]
        self.remittances_label.setText(
            self.tr("{count} remittances, {total}; {waiting} awaiting acknowledgement").format(
                count=len(rows),
                total=self._style.format(sum(r.amount_cents for r in rows)),
                waiting=len(waiting),
            )
        )

    def _read_budget_events(self) -> None:
        chosen = self.budget_event.currentData()
        self.budget_event.blockSignals(True)
        self.budget_event.clear()
        for choice in ledger.budget_event_choices(self._db, local_today()):
            self.budget_event.addItem(f"{choice.title} — {date_text(choice.starts_on)}", choice.id)
        self.budget_event.setCurrentIndex(max(self.budget_event.findData(chosen), 0))
        self.budget_event.blockSignals(False)
        self._read_budget()

    def _read_budget(self) -> None:
        event_id = self.budget_event.currentData()
        if not isinstance(event_id, int):
            self.budget_model.set_rows([], self._style)
            self.budget_totals.setText(self.tr("No events yet: make one on the Events page."))
            self._update_actions()
            return
        try:
            budget = ledger.event_budget(self._db, event_id)
        except LedgerError as exc:
            self.show_message(str(exc))
            return
        self.budget_model.set_rows(budget.lines, self._style)
        money = self._style.format
        self.budget_totals.setText(
            self.tr(
                "Planned: in {planned_in}, out {planned_out}. "
                "Actual: in {actual_in}, out {actual_out}."
            ).format(
                planned_in=money(budget.total(EntryKind.INCOME, actual=False)),
                planned_out=money(budget.total(EntryKind.EXPENSE, actual=False)),
                actual_in=money(budget.total(EntryKind.INCOME, actual=True)),
                actual_out=money(budget.total(EntryKind.EXPENSE, actual=True)),
            )
        )
        self._update_actions()

    def _read_report(self) -> None:
        as_of = from_qdate(self.report_as_of.date())
        since = from_qdate(self.report_since.date())
        try:
            text = ledger.treasurer_report(self._db, as_of, since)
        except LedgerError as exc:
            text = str(exc)
        self.report_text.setPlainText(text)

    def report_paragraph(self) -> str:
        return self.report_text.toPlainText()

    def copy_report(self) -> None:
        self._read_report()
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(self.report_paragraph())
        self.show_message(self.tr("Copied the report; paste it into the minutes."))

    # --- selection -----------------------------------------------------------------------------

    def selected_line(self) -> LedgerLine | None:
        return self.ledger_model.row_at(selected_row(self.ledger_table))

    def selected_line_id(self) -> int | None:
        line = self.selected_line()
        return line.id if line is not None else None

    def selected_donation(self) -> DonationRow | None:
        return self.donations_model.row_at(selected_row(self.donations_table))

    def selected_remittance(self) -> RemittanceRow | None:
        return self.remittances_model.row_at(selected_row(self.remittances_table))

    def selected_budget_line(self) -> BudgetLineReport | None:
        return self.budget_model.row_at(selected_row(self.budget_table))

    def select_line(self, line_id: int) -> None:
        row = self.ledger_model.row_of(line_id)
        if row >= 0:
            self.ledger_table.selectRow(row)

    def _update_actions(self) -> None:
        line = self.selected_line()
        self.edit_button.setEnabled(line is not None)
        self.remove_button.setEnabled(line is not None and not line.records)
        self.remove_button.setToolTip(
            self.tr("Remove it on the Dues, Donations or Remittances tab")
            if line is not None and line.records
            else ""
        )
        donation = self.selected_donation()
        self.thanked_button.setEnabled(donation is not None)
        self.remove_donation_button.setEnabled(donation is not None)
        remittance = self.selected_remittance()
        self.acknowledged_button.setEnabled(remittance is not None)
        self.remove_remittance_button.setEnabled(remittance is not None)
        planned = self.selected_budget_line()
        has_event = isinstance(self.budget_event.currentData(), int)
        self.add_budget_button.setEnabled(has_event)
        self.edit_budget_button.setEnabled(planned is not None)
        self.remove_budget_button.setEnabled(planned is not None and planned.id is not None)

    # --- changing ------------------------------------------------------------------------------

    def _run(self, command: LedgerCommand) -> str:
        """Make the change and put it on the undo stack; "" or the refusal in words."""
        problem = command.save_first()
        if problem:
            return problem
        stack = self.undo_stack()
        if stack is not None:
            stack.push(command)
        else:
            command.redo()  # only refreshes: the change is made
        return ""

    def _after_change(self, line_id: int | None) -> None:
        self.reload(select_line=line_id)

    def add_line(self, kind: EntryKind) -> None:
        def save(data: LedgerLineInput) -> str:
            command = AddLineCommand(self._context, data)
            problem = self._run(command)
            if not problem:
                self.show_message(
                    self.tr("Added {amount} ({category}).").format(
                        amount=self._style.format(data.amount_cents), category=data.category
                    )
                )
            return problem

        self.open_dialog(LineDialog(self._db, self._style, save, kind=kind, parent=self))

    def edit_selected_line(self) -> None:
        line = self.selected_line()
        if line is None:
            return
        old = line.data

        def save(new: LedgerLineInput) -> str:
            if new == old:
                return ""
            return self._run(EditLineCommand(self._context, line.id, old, new))

        dialog = LineDialog(
            self._db, self._style, save, data=old, person_name=line.person_name, parent=self
        )
        self.open_dialog(dialog)

    def remove_selected_line(self) -> None:
        line = self.selected_line()
        if line is None:
            return
        if line.records:
            self.show_message(
                self.tr(
                    "This line records dues, a donation or a remittance: change or remove it "
                    "on its own tab."
                )
            )
            return
        words = line.data.description or line.data.category
        problem = self._run(RemoveLineCommand(self._context, line.id, words))
        self.show_message(
            problem or self.tr("Removed {what}. Undo brings it back.").format(what=words)
        )

    def edit_opening_balances(self) -> None:
        current = ledger.opening_balances(self._db)

        def save(bank: int, cash: int) -> str:
            return self._run(OpeningBalancesCommand(self._context, bank, cash))

        self.open_dialog(
            OpeningBalancesDialog(
                self._style, current.bank_cents, current.cash_cents, save, parent=self
            )
        )

    def record_dues(self) -> None:
        dialog: DuesDialog

        def save(data: DuesInput) -> str:
            name = dialog.member.line_edit.text().split(" — ")[0]
            command = RecordDuesCommand(
                self._context,
                name,
                data.person_id,
                data.amount_cents,
                data.paid_on,
                data.months,
                data.method,
                data.receipt_ref,
            )
            problem = self._run(command)
            if not problem and command.receipt is not None:
                self.show_message(
                    self.tr("Recorded dues from {name}: paid through {date}.").format(
                        name=name, date=date_text(command.receipt.paid_through)
                    )
                )
            return problem

        dialog = DuesDialog(self._db, self._style, save, parent=self)
        self.open_dialog(dialog)

    def add_donation(self) -> None:
        dialog: DonationDialog

        def save(data: DonationInput) -> str:
            donor = data.donor_name or dialog.donor.line_edit.text().split(" — ")[0]
            return self._run(AddDonationCommand(self._context, data, donor))

        dialog = DonationDialog(self._db, self._style, save, parent=self)
        self.open_dialog(dialog)

    def add_remittance(self) -> None:
        def save(data: RemittanceInput) -> str:
            return self._run(AddRemittanceCommand(self._context, data))

        self.open_dialog(RemittanceDialog(self._style, save, parent=self))

    def _selected_record(self, record: ledger.RecordKind) -> tuple[int, int, date | None] | None:
        """(id, amount, acknowledged on) of the selected donation or remittance."""
        row = self.selected_donation() if record == "donation" else self.selected_remittance()
        if row is None:
            return None
        return row.id, row.amount_cents, row.acknowledged_on

    def acknowledge(self, record: ledger.RecordKind) -> None:
        selected = self._selected_record(record)
        if selected is None:
            return
        record_id, _amount, acknowledged_on = selected
        if record == "donation":
            title, label = self.tr("Donation thanked"), self.tr("&Thanked on")
        else:
            title, label = self.tr("Remittance acknowledged"), self.tr("&Acknowledged on")
        dialog = AcknowledgeDialog(title, label, acknowledged_on, self)

        def chosen() -> None:
            problem = self._run(
                AcknowledgeCommand(self._context, record, record_id, dialog.value())
            )
            if problem:
                self.show_message(problem)

        self.open_dialog(dialog, chosen)

    def remove_record(self, record: ledger.RecordKind) -> None:
        selected = self._selected_record(record)
        if selected is None:
            return
        record_id, amount, _acknowledged = selected
        words = (
            self.tr("the donation of {amount}")
            if record == "donation"
            else self.tr("the remittance of {amount}")
        ).format(amount=self._style.format(amount))
        problem = self._run(RemoveRecordCommand(self._context, record, record_id, words))
        self.show_message(
            problem
            or self.tr("Removed {what} and its ledger line. Undo brings them back.").format(
                what=words
            )
        )

    def _budget_event(self) -> tuple[int, str] | None:
        event_id = self.budget_event.currentData()
        if not isinstance(event_id, int):
            return None
        return event_id, self.budget_event.currentText().split(" — ")[0]

    def add_budget_line(self) -> None:
        self._open_budget_line(None, None)

    def edit_budget_line(self) -> None:
        row = self.selected_budget_line()
        if row is not None:
            data = BudgetLineInput(row.category, row.kind, row.planned_cents, row.notes)
            self._open_budget_line(row.id, data)

    def _open_budget_line(self, line_id: int | None, data: BudgetLineInput | None) -> None:
        """The dialog of a planned line of the chosen event: a new one (line_id None) or not."""
        chosen = self._budget_event()
        if chosen is None:
            return
        event_id, title = chosen

        def save(new: BudgetLineInput) -> str:
            try:
                if line_id is None:  # a new line, or an unplanned category planned now
                    ledger.add_budget_line(self._db, event_id, new)
                else:
                    ledger.update_budget_line(self._db, line_id, new)
            except LedgerError as exc:
                return str(exc)
            self._read_budget()
            return ""

        self.open_dialog(
            BudgetLineDialog(self._db, self._style, save, event_title=title, data=data, parent=self)
        )

    def remove_budget_line(self) -> None:
        row = self.selected_budget_line()
        if row is None or row.id is None:
            return
        try:
            ledger.remove_budget_line(self._db, row.id)
        except LedgerError as exc:
            self.show_message(str(exc))
            return
        self.show_message(self.tr("Removed the planned line."))
        self._read_budget()

    def export_workbook(self) -> Task | None:
        # Loaded on first use: the writers bring openpyxl, which nothing else here needs.
        from desktop_app.views.export_actions import export_treasurer_workbook

        return export_treasurer_workbook(self, self._db, self.show_message)


__all__ = ["PERIOD_CHOICES", "TreasurerPage", "period_for"]
