"""Amounts as typed and as shown: integer cents, the group's currency and country."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.services.money import (
    MAX_AMOUNT_CENTS,
    US,
    MoneyError,
    money_style,
    parse_money,
    to_decimal,
)

EURO_DE = money_style("EUR", "DE")


@pytest.mark.parametrize(
    ("typed", "cents"),
    [
        ("12.50", 1250),
        ("12,50", 1250),
        ("$12.50", 1250),
        (" $ 12.5 ", 1250),
        ("12", 1200),
        (".5", 50),
        ("1,234.56", 123456),
        ("1.234,56", 123456),
        ("1,250", 125000),  # US grouping
        ("1 234,50 €", 123450),
        ("USD 3", 300),
        ("-12.50", -1250),
        ("-$4.00", -400),
        ("(12.50)", -1250),
        ("0", 0),
        ("1,234.560", 123456),  # a third decimal that is zero is harmless
    ],
)
def test_parse_money_in_a_us_group(typed: str, cents: int) -> None:
    assert parse_money(typed, US) == cents


@pytest.mark.parametrize(
    ("typed", "cents"),
    [("12,50", 1250), ("1.250", 125000), ("1.234,56 €", 123456), ("€12.50", 1250)],
)
def test_parse_money_in_a_german_group(typed: str, cents: int) -> None:
    assert parse_money(typed, EURO_DE) == cents


@pytest.mark.parametrize(
    ("typed", "style", "message"),
    [
        ("", US, "type an amount"),
        ("abc", US, "not an amount"),
        ("1,234.567", US, "more than two decimals"),
        ("12.500", US, "unclear"),  # 12.5, or twelve thousand five hundred typed abroad?
        ("1,250", EURO_DE, "unclear"),
        ("1.2.3,4", US, "not an amount"),
        ("12a34", US, "not an amount"),
        ("99999999999999", US, "far too large"),
    ],
)
def test_parse_money_refuses_what_is_not_an_amount(typed: str, style: object, message: str) -> None:
    with pytest.raises(MoneyError, match=message):
        parse_money(typed, style)  # type: ignore[arg-type]


@given(st.integers(min_value=-MAX_AMOUNT_CENTS, max_value=MAX_AMOUNT_CENTS))
def test_what_is_shown_reads_back_as_the_same_cents(cents: int) -> None:
    for style in (US, EURO_DE, money_style("EUR", "FR"), money_style("CHF", "CH")):
        assert parse_money(style.format(cents), style) == cents
        assert parse_money(style.plain(cents), style) == cents
    assert to_decimal(cents) == Decimal(cents) / 100


@pytest.mark.parametrize(
    ("currency", "country", "shown", "excel"),
    [
        ("USD", "US", "$1,042.00", '"$"#,##0.00;-"$"#,##0.00'),
        ("GBP", "GB", "£1,042.00", '"£"#,##0.00;-"£"#,##0.00'),
        ("EUR", "IE", "€1,042.00", '"€"#,##0.00;-"€"#,##0.00'),
        ("EUR", "DE", "1.042,00\u00a0€", '#,##0.00 "€";-#,##0.00 "€"'),
        ("CAD", "US", "CA$1,042.00", '"CA$"#,##0.00;-"CA$"#,##0.00'),
        ("CAD", "CA", "$1,042.00", '"$"#,##0.00;-"$"#,##0.00'),
        ("KES", "KE", "1,042.00\u00a0KES", '#,##0.00 "KES";-#,##0.00 "KES"'),
    ],
)
def test_money_styles_by_currency_and_country(
    currency: str, country: str, shown: str, excel: str
) -> None:
    style = money_style(currency, country)
    assert style.format(104_200) == shown
    assert style.excel_format() == excel
    assert style.format(-5) == "-" + style.format(5)
