"""desktop_app/text.py: folding for search and sorting, across scripts."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.text import digits_only, display_name, email_key, fold, search_text, sort_key


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Ní Bhriain", "ni bhriain"),
        ("  Aoife  Ní\tBhriain \n", "aoife ni bhriain"),
        ("Gonçalves", "goncalves"),
        ("Владимир", "владимир"),  # Cyrillic stays Cyrillic, only lower-cased
        ("Ζωή Παπαδοπούλου", "ζωη παπαδοπουλου"),
        ("Straße", "strasse"),
        ("Øyvind Åsen", "øyvind asen"),  # ø is a letter of its own, not o with a mark
        ("ﬁona", "fiona"),
        ("佐藤 健二", "佐藤 健二"),
        ("", ""),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_makes_composed_and_decomposed_forms_equal() -> None:
    composed = "Gonçalves"
    decomposed = "Gonc\u0327alves"
    assert composed != decomposed
    assert fold(composed) == fold(decomposed) == "goncalves"


def test_fold_is_idempotent() -> None:
    for text in ("Ní Bhriain", "Владимир", "Gonçalves", "Straße"):
        assert fold(fold(text)) == fold(text)


def test_digits_only() -> None:
    assert digits_only("+1 (617) 555-0142") == "16175550142"
    assert digits_only("no digits") == ""


def test_email_key_trims_and_folds_case() -> None:
    assert email_key("  Ana.Gomez@Example.ORG \n") == "ana.gomez@example.org"
    assert email_key("ANA.GOMEZ@example.org") == email_key("ana.gomez@EXAMPLE.org")


def test_search_text_has_the_names_once_and_the_contact_details() -> None:
    text = search_text(
        given_name="Kenji",
        family_name="Satō",
        preferred_name="",
        email="K.Sato@Example.org",
        phone="+1 (617) 555-0142",
        postal_code="02139",
    )

    assert "kenji sato" in text
    assert text.count("sato") == 2, "the family name once, and the email"
    assert "k.sato@example.org" in text
    assert "16175550142" in text
    assert "02139" in text
    assert text == fold(text), "already folded, as the search box text will be"


def test_search_text_skips_empty_parts() -> None:
    text = search_text(
        given_name="Aoife",
        family_name="Ní Bhriain",
        preferred_name="",
        email="",
        phone="",
        postal_code="",
    )

    assert "|" not in text
    assert text == "aoife ni bhriain"


def test_sort_key_orders_by_family_then_given_name_ignoring_accents() -> None:
    people = [("Zoë", "Ó Briain"), ("Aoife", "Ní Bhriain"), ("Ana", "Obama"), ("Élodie", "Nadeau")]

    ordered = sorted(people, key=lambda person: sort_key(*person))

    assert ordered == [
        ("Élodie", "Nadeau"),
        ("Aoife", "Ní Bhriain"),
        ("Zoë", "Ó Briain"),
        ("Ana", "Obama"),
    ]
    assert sort_key("Aoife", "Ní Bhriain") == "ni bhriain aoife"


def _fold_by_the_book(text: str) -> str:
    """fold as the Unicode data says it, one character at a time (slow, obviously right)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(unicodedata.normalize("NFC", kept).split())


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40))
def test_fold_drops_exactly_the_combining_marks(text: str) -> None:
    assert fold(text) == _fold_by_the_book(text)


@pytest.mark.parametrize(
    ("given_name", "family_name", "preferred_name", "shown"),
    [
        ("Ana", "García", None, "Ana García"),
        ("Ana", "García", "", "Ana García"),
        ("Anastasia", "García", "Ana", "Ana García"),
        ("", "García", "", "García"),
        ("Ana", "", None, "Ana"),
        ("", "", "Ana", "Ana"),
        ("", "", "", ""),
        (None, None, None, ""),  # nobody on an outer join
        (None, "García", None, "García"),
    ],
)
def test_display_name_is_the_name_one_goes_by_then_the_family_name(
    given_name: str | None, family_name: str | None, preferred_name: str | None, shown: str
) -> None:
    assert display_name(given_name, family_name, preferred_name) == shown
