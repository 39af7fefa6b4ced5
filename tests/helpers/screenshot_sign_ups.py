"""Screenshots of the kiosk and the Review page, as real windows on an X server.

Run with DISPLAY set to an Xvfb (tests/helpers/xvfb.py) and QT_QPA_PLATFORM=xcb::

    python -m tests.helpers.screenshot_sign_ups kiosk FOLDER EMPTY.png THANKS.png
    python -m tests.helpers.screenshot_sign_ups review FOLDER REVIEW.png

FOLDER receives the databases and the window settings. Used by
tests/gui/test_screenshot_kiosk.py and to make docs/screenshot-kiosk.png and
docs/screenshot-review.png.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from desktop_app.db import create_database
from desktop_app.models import EventKind
from desktop_app.services.bundles import merge_bundle
from desktop_app.services.events import EventInput, create_event
from desktop_app.services.group import GroupProfileData, save_profile

SETTLE_MS = 800  # time for the window system to map and paint the window


def _application(folder: Path) -> QApplication:
    app = QApplication(sys.argv[:1])
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    QCoreApplication.setOrganizationName("GroupDeskScreenshot")
    QCoreApplication.setApplicationName("GroupDeskScreenshot")
    return app


def _later(app: QApplication, ms: int, action: Callable[[], None]) -> None:
    """Run action after ms; if it fails, the script ends with an error, not a hang."""

    def run() -> None:
        try:
            action()
        except BaseException:
            app.exit(2)
            raise

    QTimer.singleShot(ms, run)


def shoot_kiosk(folder: Path, empty_png: Path, thanks_png: Path) -> int:
    app = _application(folder)
    from desktop_app.views.kiosk import KioskWindow

    db = create_database(str(folder / "kiosk.sqlite"))
    save_profile(
        db,
        GroupProfileData(
            name="Riverside Human Rights Group",
            city="Riverside",
            country="US",
            kiosk_interests=(
                "Refugee rights",
                "Letter writing",
                "Ending the death penalty",
                "Film nights & events",
                "Student activism",
                "Helping at the table",
            ),
        ),
        kiosk_pin="2468",
    )
    fair = create_event(
        db,
        EventInput(
            title="Riverside Street Fair",
            starts_at=datetime.now(UTC) + timedelta(hours=1),
            kind=EventKind.TABLING,
        ),
    )
    kiosk = KioskWindow.start(db, fair.id, thank_you_ms=60_000)
    kiosk.show_kiosk()

    def empty() -> None:
        kiosk.grab().save(str(empty_png))
        kiosk.given_edit.setText("Amara")
        kiosk.family_edit.setText("Okafor")
        kiosk.email_edit.setText("amara.okafor@example.org")
        kiosk.interest_boxes[0].setChecked(True)
        kiosk.consent_box.setChecked(True)
        if not kiosk.submit():
            raise RuntimeError(kiosk.problem_label.text())
        _later(app, SETTLE_MS, thanks)

    def thanks() -> None:
        kiosk.grab().save(str(thanks_png))
        kiosk._unlocked = True  # a screenshot, not a volunteer: no PIN to type
        kiosk.close()
        app.quit()

    _later(app, SETTLE_MS * 2, empty)
    return app.exec()


def shoot_review(folder: Path, review_png: Path) -> int:
    app = _application(folder)
    from desktop_app.views.list_tables import select_row
    from desktop_app.views.main_window import MainWindow
    from desktop_app.views.review_page import ReviewPage
    from tests.helpers.merge_scenario import street_fair

    fair = street_fair(folder)
    merge_bundle(fair.db, fair.bundle)
    window = MainWindow(fair.db)
    window.resize(1180, 760)
    window.show()
    window.show_review_page()
    page = window.current_page()
    assert isinstance(page, ReviewPage)
    model = page.review_list.model()
    for number in range(model.rowCount()):
        if "John" in model.index(number, 0).data():
            select_row(page.review_list, number)

    def shoot() -> None:
        widget: QWidget = window
        widget.grab().save(str(review_png))
        window.close()
        app.quit()

    _later(app, SETTLE_MS * 2, shoot)
    return app.exec()


def main(argv: list[str]) -> int:
    mode, folder = argv[0], Path(argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    if mode == "kiosk":
        return shoot_kiosk(folder, Path(argv[2]), Path(argv[3]))
    if mode == "review":
        return shoot_review(folder, Path(argv[2]))
    print(f"unknown mode {mode!r}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
