"""Typing any text into a widget as key presses, as a keyboard with that text would.

QTest.keyClicks maps each character to a key code and aborts the whole process on
one outside ASCII ("é", "م", an emoji). A key event may carry any text with no key
code, which is what an input method sends; that is what ``type_text`` does.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget


def type_text(widget: QWidget, text: str) -> None:
    """Press and release a key for each character of text, in widget."""
    for character in text:
        if character.isascii() and character.isprintable():
            QTest.keyClick(widget, character)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, character)
            QApplication.sendEvent(widget, event)
