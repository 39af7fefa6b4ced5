"""A screenshot of the Treasurer page in the main window, on a real X server.

Run with DISPLAY set to an Xvfb (tests/helpers/xvfb.py) and QT_QPA_PLATFORM=xcb::

    python -m tests.helpers.screenshot_treasurer FOLDER TREASURER.png [TAB]

FOLDER receives the database (the demo group, with opening balances) and the window
settings. Used by tests/gui/test_screenshot_treasurer.py and to make
docs/screenshot-treasurer.png. TAB (0-5) picks another tab than the ledger.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer

from desktop_app.services import ledger
from tests.helpers.screenshot_window import application, demo_database, main_window, show_page

SETTLE_MS = 1_600  # time for the window system to map and paint the window


def shoot(folder: Path, png: Path, tab: int = 0) -> int:
    app = application(folder)
    from desktop_app.views.treasurer_page import TreasurerPage

    db = demo_database(folder)
    # What the account and the cash box held when this ledger was started.
    ledger.set_opening_balances(db, 420_000, 15_000)
    window = main_window(db)
    page = show_page(window, TreasurerPage)
    page.set_period("this_year")
    page.tabs.setCurrentIndex(tab)
    rows = page.ledger_model.rowCount()
    if rows:
        page.select_line(page.ledger_model.row_at(rows - 1).id)  # type: ignore[union-attr]

    def take() -> None:
        try:
            window.grab().save(str(png))
        finally:
            window.close()
            app.quit()

    QTimer.singleShot(SETTLE_MS, take)
    return app.exec()


def main(argv: list[str]) -> int:
    folder, png = Path(argv[0]), Path(argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    return shoot(folder, png, int(argv[2]) if len(argv) > 2 else 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
