"""The one base class of Group Desk's dialogs.

Every dialog derives from BaseDialog so that they all behave alike: the size and
place a volunteer gave a dialog come back next time, Esc cancels, OK/Cancel sit
where the platform puts them, and a dialog refuses to close on OK while what was
typed is not valid, showing why in words next to the field.

A subclass usually:

1. builds its widgets, then calls ``self.make_button_box()`` and adds the box to its
   layout;
2. overrides ``is_complete()`` (is enough filled in for OK to be enabled?) and calls
   ``self.refresh_ok_button()`` whenever an input changes;
3. overrides ``validate()`` (check, show messages with ``show_field_error``) and
   ``apply()`` (save; return False to stay open, e.g. when the service refused).
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QWidget,
)


class BaseDialog(QDialog):
    """A dialog that remembers its geometry, closes on Esc and validates before OK."""

    def __init__(self, parent: QWidget | None = None, *, settings_key: str | None = None) -> None:
        super().__init__(parent)
        self._settings_key = settings_key or type(self).__name__
        self._geometry_restored = False
        self.button_box: QDialogButtonBox | None = None

    # --- geometry ------------------------------------------------------------------

    def settings_group(self) -> str:
        return f"dialogs/{self._settings_key}"

    def showEvent(self, event: QShowEvent) -> None:
        if not self._geometry_restored:
            self._geometry_restored = True
            geometry = QSettings().value(f"{self.settings_group()}/geometry")
            if isinstance(geometry, QByteArray | bytes) and geometry:
                self.restoreGeometry(QByteArray(geometry))
        super().showEvent(event)

    def save_geometry(self) -> None:
        QSettings().setValue(f"{self.settings_group()}/geometry", self.saveGeometry())

    def done(self, result: int) -> None:
        # done() is where accept(), reject(), Esc and the title bar's close all end up.
        if self.isVisible():
            self.save_geometry()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.isVisible():
            self.save_geometry()
        super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # QDialog already rejects on Esc, but only when it has the focus chain to itself;
        # saying it here keeps Esc working from any child (e.g. a multi-line editor).
        if event.key() == Qt.Key.Key_Escape and not event.modifiers():
            self.reject()
            return
        super().keyPressEvent(event)

    # --- buttons -------------------------------------------------------------------

    def make_button_box(
        self,
        buttons: QDialogButtonBox.StandardButton = (
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        ),
        *,
        ok_text: str = "",
    ) -> QDialogButtonBox:
        """An OK/Cancel box wired to accept()/reject(); OK follows is_complete().

        ok_text: what OK says instead, when it is clearer ("Add event", "&Import").
        """
        box = QDialogButtonBox(buttons, self)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        self.button_box = box
        ok = self.ok_button()
        if ok is not None and ok_text:
            ok.setText(ok_text)
        self.refresh_ok_button()
        return box

    def ok_button(self) -> QPushButton | None:
        if self.button_box is None:
            return None
        return self.button_box.button(QDialogButtonBox.StandardButton.Ok)

    def refresh_ok_button(self) -> None:
        button = self.ok_button()
        if button is not None:
            button.setEnabled(self.is_complete())

    # --- validation hooks ----------------------------------------------------------

    def is_complete(self) -> bool:
        """Enough has been filled in for OK to make sense (OK is disabled otherwise)."""
        return True

    def validate(self) -> bool:
        """Check the inputs and show what is wrong next to the fields; True if all is well."""
        return True

    def apply(self) -> bool:
        """Save what the dialog edits; return False to keep the dialog open."""
        return True

    def accept(self) -> None:
        if not self.is_complete() or not self.validate() or not self.apply():
            return
        super().accept()

    @staticmethod
    def make_error_label(parent: QWidget | None = None) -> QLabel:
        """A label for a field's problem, in words; hidden while there is none."""
        label = QLabel(parent)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setProperty("fieldError", True)
        # A red that stays readable on both light and dark window colours.
        dark = label.palette().color(QPalette.ColorRole.Window).lightness() < 128
        label.setStyleSheet(f"color: {'#ff8a80' if dark else '#b3261e'};")
        label.setVisible(False)
        return label

    @staticmethod
    def show_field_error(label: QLabel, message: str) -> None:
        """Show message in a field's error label, or hide the label when message is empty."""
        label.setText(message)
        label.setVisible(bool(message))


def open_warning(parent: QWidget | None, title: str, text: str) -> QMessageBox:
    """A warning box of plain text (never markup), open without blocking; it deletes
    itself when closed. Not exec(): an action from a menu or an undo must not start a
    nested event loop."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
