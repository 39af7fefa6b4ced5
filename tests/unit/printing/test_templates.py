"""Letter templates: every mistake is a sentence naming the placeholder and its line."""

from __future__ import annotations

import pytest

from desktop_app.printing.templates import (
    DEFAULT_LETTER_TEMPLATE,
    PLACEHOLDERS,
    TemplateError,
    check_template,
    fill_template,
)


def test_default_template_uses_only_known_placeholders() -> None:
    used = check_template(DEFAULT_LETTER_TEMPLATE)
    assert set(used) <= set(PLACEHOLDERS)
    assert {"salutation", "person_at_risk", "writer_name"} <= set(used)


def test_fill_replaces_every_placeholder_and_keeps_doubled_braces() -> None:
    text = fill_template(
        "{salutation},\nAbout {person_at_risk} ({ua_number}) {{sic}}\n{ writer_name }",
        {
            "salutation": "Dear Minister",
            "person_at_risk": "Ana",
            "ua_number": "UA 229/10",
            "writer_name": "Zoë",
        },
    )
    assert text == "Dear Minister,\nAbout Ana (UA 229/10) {sic}\nZoë"


def test_values_with_braces_are_not_read_as_placeholders() -> None:
    assert fill_template("{writer_name}", {"writer_name": "{salutation}"}) == "{salutation}"


@pytest.mark.parametrize(
    ("template", "words"),
    [
        ("Dear {minister},", ["line 1", "{minister}", "is not a placeholder", "{salutation}"]),
        ("Hello\n\nYours, {writer_nmae}", ["line 3", "{writer_nmae}"]),
        ("Hello {salutation", ["line 1", "never closed", "{{"]),
        ("Price: 5 } dollars", ["line 1", "no '{' before it", "}}"]),
        ("{}", ["no name inside"]),
        ("{date:%Y}", ["{date:%Y}", "write it as {date}"]),
        ("{writer_name!r}", ["{writer_name!r}", "write it as {writer_name}"]),
        ("{writer_name.upper}", ["{writer_name.upper}", "is not a placeholder"]),
        ("   \n ", ["empty"]),
    ],
)
def test_mistakes_name_the_placeholder(template: str, words: list[str]) -> None:
    with pytest.raises(TemplateError) as caught:
        check_template(template)
    message = str(caught.value)
    assert message.startswith("Letter template")
    for word in words:
        assert word in message
    # Filling in raises the same clear error, never a KeyError.
    if template.strip():
        with pytest.raises(TemplateError):
            fill_template(template, {})
