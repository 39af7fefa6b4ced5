"""Help > About Group Desk: version, licence, and the versions a helper may ask about."""

from __future__ import annotations

import platform
from html import escape

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from desktop_app import __version__
from desktop_app.views.base_dialog import BaseDialog

LICENCE = "GPL-3.0-or-later"
LICENCE_URL = "https://www.gnu.org/licenses/gpl-3.0.html"


class AboutDialog(BaseDialog):
    """What Group Desk is, which version runs, under which licence, on which Qt and Python."""

    def __init__(self, parent: QWidget | None = None, *, database_name: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About Group Desk"))
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        layout = QVBoxLayout(self)

        title = QLabel(f"<h2>{escape(self.tr('Group Desk'))} {escape(__version__)}</h2>", self)
        title.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(title)

        blurb = QLabel(
            self.tr(
                "The roster, sign-in, printing and spreadsheets of a volunteer-run "
                "local human-rights group, on one laptop, offline."
            ),
            self,
        )
        blurb.setWordWrap(True)
        layout.addWidget(blurb)

        licence = QLabel(
            self.tr(
                'Free software under the <a href="{url}">GNU General Public License</a> '
                "({licence}): you may use, share and change it."
            ).format(url=LICENCE_URL, licence=LICENCE),
            self,
        )
        licence.setTextFormat(Qt.TextFormat.RichText)
        licence.setOpenExternalLinks(True)
        licence.setWordWrap(True)
        layout.addWidget(licence)

        lines = [
            self.tr("Version: {version}").format(version=__version__),
            self.tr("Licence: {licence}").format(licence=LICENCE),
            self.tr("Qt: {qt} (PySide6 {pyside})").format(
                qt=qVersion(), pyside=PySide6.__version__
            ),
            self.tr("Python: {python}").format(python=platform.python_version()),
        ]
        if database_name:
            lines.append(self.tr("Database: {name}").format(name=database_name))
        self.versions_label = QLabel("\n".join(lines), self)
        self.versions_label.setTextFormat(Qt.TextFormat.PlainText)
        # Selectable so a volunteer can paste it into a message asking for help.
        self.versions_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.versions_label)

        layout.addWidget(self.make_button_box(QDialogButtonBox.StandardButton.Close))

    def text(self) -> str:
        """Everything the dialog says, as plain text (for tests and copying)."""
        return self.versions_label.text()
