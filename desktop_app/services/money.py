"""Money as the group writes it: integer cents in, "$1,042.00" or "1.042,00 €" out.

Amounts are integer cents everywhere (DESIGN: never float). How an amount is shown
follows the group profile's currency and country: where the symbol goes and which
characters group thousands and mark the decimals. A small table covers the
currencies groups of the organisation use; any other currency is shown with its
ISO code after the number ("1,042.00 INR"), which is never wrong, only plain.

``parse_money`` reads what a volunteer types in an amount field: "12.50", "12,50",
"$12.50", "1,234.56", "1.234,56 €", "€ 12", "(12.50)" and "-12.50" (negative; the
services refuse those with a message). It never guesses silently: "1,250" in a
group whose decimal mark is "," could be twelve-fifty or one thousand two hundred
and fifty, so it is refused with a message asking for the plain form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

NBSP = "\u00a0"
MAX_AMOUNT_CENTS = 99_999_999_999  # a billion in any currency: anything above is a typo


class MoneyError(ValueError):
    """An amount that cannot be read; str() says why in words."""


@dataclass(frozen=True)
class MoneyStyle:
    """How amounts of one currency are written in one country."""

    currency: str = "USD"
    symbol: str = "$"
    symbol_first: bool = True
    symbol_space: bool = False  # "€ 12,50" / "12,50 €" rather than "€12.50"
    thousands: str = ","
    decimal: str = "."

    def format(self, cents: int, *, grouping: bool = True) -> str:
        """cents as text, e.g. 104200 -> "$1,042.00"; negative amounts lead with "-"."""
        sign = "-" if cents < 0 else ""
        whole, part = divmod(abs(int(cents)), 100)
        digits = f"{whole:,}".replace(",", self.thousands) if grouping else str(whole)
        number = f"{digits}{self.decimal}{part:02d}"
        space = NBSP if self.symbol_space else ""
        if self.symbol_first:
            return f"{sign}{self.symbol}{space}{number}"
        return f"{sign}{number}{space}{self.symbol}"

    def plain(self, cents: int) -> str:
        """cents as the number alone in this style, e.g. "1042.00" or "1042,00" (for editors)."""
        whole, part = divmod(abs(int(cents)), 100)
        return f"{'-' if cents < 0 else ''}{whole}{self.decimal}{part:02d}"

    def excel_format(self) -> str:
        """A spreadsheet number format showing the symbol where this style puts it.

        In a format code "," and "." always mean grouping and decimals; the program
        shows them in its user's own way, so only the symbol's place is ours to say.
        """
        symbol = '"' + self.symbol.replace('"', "") + '"'
        space = " " if self.symbol_space else ""
        number = "#,##0.00"
        positive = f"{symbol}{space}{number}" if self.symbol_first else f"{number}{space}{symbol}"
        return f"{positive};-{positive}"


US = MoneyStyle()
# Symbol-first, "," thousands, "." decimals, unless the country writes it otherwise.
_SYMBOLS = {
    "USD": "$",
    "CAD": "$",
    "AUD": "$",
    "NZD": "$",
    "GBP": "£",
    "EUR": "€",
    "JPY": "¥",
    "INR": "₹",
    "ZAR": "R",
    "MXN": "$",
    "CHF": "CHF",
    "SEK": "kr",
    "NOK": "kr",
    "DKK": "kr",
    "PLN": "zł",
}
_HOME = {"CAD": "CA", "AUD": "AU", "NZD": "NZ", "MXN": "MX"}  # "$" alone only at home
_DOLLAR_ABROAD = {"CAD": "CA$", "AUD": "A$", "NZD": "NZ$", "MXN": "MX$"}
# Countries that write 1.234,56 (symbol after, with a space) and 1 234,56 (space groups).
_DOT_GROUPS = {"DE", "AT", "ES", "IT", "PT", "GR", "SI", "HR", "CY", "DK", "PL", "BR", "ID"}
_SPACE_GROUPS = {"FR", "BE", "LU", "FI", "SK", "EE", "LV", "LT", "SE", "NO", "CZ", "HU"}


def money_style(currency: str = "USD", country: str = "US") -> MoneyStyle:
    """The style for a group keeping accounts in ``currency`` in ``country`` (ISO codes)."""
    currency = (currency or "USD").strip().upper()
    country = (country or "US").strip().upper()
    symbol = _SYMBOLS.get(currency)
    if symbol is None:
        return MoneyStyle(currency, currency, symbol_first=False, symbol_space=True)
    if currency in _HOME and country != _HOME[currency]:
        symbol = _DOLLAR_ABROAD[currency]
    if currency == "CHF":
        return MoneyStyle(currency, "CHF", symbol_first=True, symbol_space=True, thousands="'")
    if country == "NL" and currency == "EUR":
        return MoneyStyle(currency, symbol, symbol_first=True, symbol_space=True, thousands=".",
                          decimal=",")  # fmt: skip
    if country in _DOT_GROUPS:
        return MoneyStyle(currency, symbol, symbol_first=False, symbol_space=True, thousands=".",
                          decimal=",")  # fmt: skip
    if country in _SPACE_GROUPS:
        return MoneyStyle(currency, symbol, symbol_first=False, symbol_space=True,
                          thousands=NBSP, decimal=",")  # fmt: skip
    if symbol in ("kr", "zł"):  # a Nordic or Polish currency kept elsewhere
        return MoneyStyle(currency, symbol, symbol_first=False, symbol_space=True)
    return MoneyStyle(currency, symbol)


def to_decimal(cents: int) -> Decimal:
    """cents as an exact Decimal of whole units: 104250 -> Decimal("1042.50")."""
    return Decimal(int(cents)).scaleb(-2)


# Everything around the number that is not part of it: symbols, ISO codes, spaces.
_AROUND = re.compile(r"^[^\d.,\-−(]*|[^\d.,)]*$")
_SPACES = re.compile(r"[\s\u00a0\u202f'’]")


def parse_money(text: str, style: MoneyStyle = US) -> int:
    """What a volunteer typed as an amount, in cents (may be negative or zero).

    Raises MoneyError with a message in words when the text is not an amount.
    """
    raw = text.strip()
    if not raw:
        raise MoneyError("Amount: please type an amount, for example 12.50.")
    cleaned = _AROUND.sub("", raw)
    negative = False
    if cleaned.startswith("(") and cleaned.endswith(")"):
        negative, cleaned = True, cleaned[1:-1]
    cleaned = _AROUND.sub("", cleaned)
    if cleaned[:1] in ("-", "−"):
        negative, cleaned = True, cleaned[1:]
    cleaned = _AROUND.sub("", cleaned)
    # Spaces and apostrophes group thousands in some countries (1 234,50; 1'234.50).
    cleaned = _SPACES.sub("", cleaned)
    if not cleaned or not re.fullmatch(r"[\d.,]+", cleaned) or not re.search(r"\d", cleaned):
        raise MoneyError(f"Amount: {raw!r} is not an amount; type it like 12.50.")
    whole, fraction = _split(cleaned, raw, style)
    if not whole.isdigit() and whole != "":
        raise MoneyError(f"Amount: {raw!r} is not an amount; type it like 12.50.")
    if len(fraction) > 2:
        if fraction[2:].strip("0"):
            raise MoneyError(f"Amount: {raw!r} has more than two decimals.")
        fraction = fraction[:2]
    cents = int(whole or "0") * 100 + int(fraction.ljust(2, "0") or "0")
    if cents > MAX_AMOUNT_CENTS:
        raise MoneyError(f"Amount: {raw!r} is far too large; check the number.")
    return -cents if negative else cents


def _split(number: str, raw: str, style: MoneyStyle) -> tuple[str, str]:
    """The whole and decimal digits of "1,234.56", "1.234,56", "12,5", "1,250"..."""
    marks = [ch for ch in number if ch in ".,"]
    if not marks:
        return number, ""
    last = max(number.rfind("."), number.rfind(","))
    if len(set(marks)) == 2:
        decimal_mark = number[last]
        whole, fraction = number[:last], number[last + 1 :]
        return _ungroup(whole, "," if decimal_mark == "." else ".", raw), fraction
    mark = marks[0]
    groups = number.split(mark)
    if len(groups) == 2 and len(groups[1]) in (1, 2):
        return groups[0], groups[1]  # "12.5", "12,50": a decimal mark
    if len(groups) == 2 and len(groups[1]) == 3 and mark == style.decimal != style.thousands:
        raise MoneyError(
            f"Amount: {raw!r} is unclear (thousands or decimals?); "
            f"type it without grouping, e.g. 1250 or 1{style.decimal}25."
        )
    return _ungroup(number, mark, raw), ""


def _ungroup(whole: str, mark: str, raw: str) -> str:
    if not whole:
        return ""
    groups = whole.split(mark)
    if len(groups) > 1 and (
        not 1 <= len(groups[0]) <= 3 or any(len(group) != 3 for group in groups[1:])
    ):
        raise MoneyError(f"Amount: {raw!r} is not an amount; type it like 1250.00.")
    if any(ch in ".," for ch in "".join(groups)):
        raise MoneyError(f"Amount: {raw!r} is not an amount; type it like 1250.00.")
    return "".join(groups)


__all__ = [
    "MAX_AMOUNT_CENTS",
    "US",
    "MoneyError",
    "MoneyStyle",
    "money_style",
    "parse_money",
    "to_decimal",
]
