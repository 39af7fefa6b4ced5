"""Letter templates with {placeholders}: checking them and filling them in.

A template is the user's own text, so every mistake gets a sentence that names the
placeholder and its line, never a KeyError: an unknown {name}, a lone brace, a
format spec. A brace meant as a brace is written twice: {{ and }}.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Mapping
from dataclasses import dataclass

from desktop_app.printing.data import PrintError

PLACEHOLDERS: dict[str, str] = {
    "salutation": "the addressee's salutation, e.g. “Dear Minister”",
    "addressee_name": "the official's name",
    "addressee_title": "the official's title",
    "person_at_risk": "the person or people at risk",
    "ua_number": "the urgent action's number, e.g. UA 229/10",
    "ua_title": "the urgent action's title",
    "issue": "the issue, e.g. “fear of torture”",
    "country": "the country",
    "writer_name": "the writer's name",
    "writer_city": "the writer's town or city",
    "writer_address": "the writer's address",
    "date": "the letter's date, in words",
    "group_name": "the group's name",
}
"""Every placeholder a letter template may use, with what it stands for."""

DEFAULT_LETTER_TEMPLATE = (
    "{salutation},\n"
    "\n"
    "I am writing to express my deep concern for {person_at_risk} in {country}.\n"
    "\n"
    "I urge you to ensure that {person_at_risk} is protected from torture and other "
    "ill-treatment, has access to a lawyer of their choosing, to their family and to any "
    "medical care they may need, and is released immediately and unconditionally if held "
    "solely for the peaceful exercise of their human rights.\n"
    "\n"
    "I will be following this case closely and look forward to your reply.\n"
    "\n"
    "Yours sincerely,\n"
    "\n"
    "{writer_name}\n"
    "{writer_city}\n"
)


class TemplateError(PrintError):
    """A letter template that cannot be filled in; str() says where and why."""


@dataclass(frozen=True)
class _Piece:
    literal: str
    name: str | None


def _line_of(template: str, fragment: str) -> int:
    position = template.find(fragment)
    return template.count("\n", 0, max(position, 0)) + 1


@functools.lru_cache(maxsize=64)
def parse_template(template: str) -> tuple[_Piece, ...]:
    """The template as literal text and placeholders; raises TemplateError on a mistake."""
    pieces: list[_Piece] = []
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise TemplateError(_brace_problem(template, str(exc))) from None
    known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
    for literal, name, spec, conversion in parsed:
        if name is None:
            pieces.append(_Piece(literal, None))
            continue
        shown = (
            "{"
            + name
            + (f"!{conversion}" if conversion else "")
            + (f":{spec}" if spec else "")
            + "}"
        )
        line = _line_of(template, shown)
        if not name.strip():
            raise TemplateError(
                f"Letter template, line {line}: {{}} has no name inside; use one of {known}, "
                "or write {{ and }} for a brace"
            )
        name = name.strip()  # "{ writer_name }" is what was meant
        if name not in PLACEHOLDERS:
            raise TemplateError(
                f"Letter template, line {line}: {{{name}}} is not a placeholder; use one of {known}"
            )
        if spec or conversion:
            raise TemplateError(
                f"Letter template, line {line}: {shown} has extra characters after the name; "
                f"write it as {{{name}}}"
            )
        pieces.append(_Piece(literal, name))
    return tuple(pieces)


def _brace_problem(template: str, why: str) -> str:
    """Where the lone brace is, for the message (string.Formatter says only what)."""
    depth_line = 1
    index = 0
    while index < len(template):
        char = template[index]
        if char == "\n":
            depth_line += 1
        if char in "{}":
            if template.startswith(char * 2, index):
                index += 2
                continue
            if char == "}":
                return (
                    f"Letter template, line {depth_line}: a '}}' with no '{{' before it; "
                    "write }} for a brace"
                )
            closing = template.find("}", index)
            opening = template.find("{", index + 1)
            if closing == -1 or (opening != -1 and opening < closing):
                return (
                    f"Letter template, line {depth_line}: a '{{' that is never closed; "
                    "write {{ for a brace"
                )
            index = closing + 1
            continue
        index += 1
    return f"Letter template: {why}"


def check_template(template: str) -> list[str]:
    """The placeholders the template uses, in order; raises TemplateError on a mistake."""
    if not template.strip():
        raise TemplateError("Letter template: the template is empty; write the letter's text")
    return [piece.name for piece in parse_template(template) if piece.name is not None]


def fill_template(template: str, values: Mapping[str, str]) -> str:
    """The template with each placeholder replaced by its value (missing values: empty)."""
    parts: list[str] = []
    for piece in parse_template(template):
        parts.append(piece.literal)
        if piece.name is not None:
            parts.append(values.get(piece.name, ""))
    return "".join(parts)


__all__ = [
    "DEFAULT_LETTER_TEMPLATE",
    "PLACEHOLDERS",
    "TemplateError",
    "check_template",
    "fill_template",
    "parse_template",
]
