"""Screenshots of printing on a real X server: the print preview of a sign-in sheet,
and the Urgent Actions page.

Run with DISPLAY set to an Xvfb (tests/helpers/xvfb.py) and QT_QPA_PLATFORM=xcb::

    python -m tests.helpers.screenshot_printing preview FOLDER PREVIEW.png
    python -m tests.helpers.screenshot_printing urgent FOLDER URGENT.png

FOLDER receives the database (the demo group) and the window settings. The preview
is reached as a person reaches it: File > Print > Sign-in sheet, Preview; a regular
whose name is in a script no bundled font has shows the warning under the pages.
Used by tests/gui/test_screenshot_printing.py and to make docs/screenshot-*.png.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QTimer

from desktop_app.db import Database
from desktop_app.models import EventKind
from desktop_app.services import events, roster
from desktop_app.services.signin import sign_in
from tests.helpers.screenshot_window import application, demo_database, main_window, show_page

SETTLE_MS = 1_600  # time for the window system to map and paint a window
RENDER_MS = 2_000  # and for QPdfView to render the visible pages (on its own thread)


def _next_meeting(db: Database) -> int:
    """The next monthly meeting, with a regular whose name no bundled font covers."""
    now = datetime.now(UTC)
    meeting = next(
        (row.id for row in events.list_upcoming(db, now) if row.kind == EventKind.MEETING),
        None,
    )
    if meeting is None:
        meeting = events.create_event(
            db, events.EventInput(title="Monthly meeting", starts_at=now + timedelta(days=6))
        ).id
    kavya = roster.create_person(
        db, roster.PersonInput(given_name="காவ்யா", family_name="Raman")
    ).person_id
    past = [
        row.id
        for row in events.list_past(db, now, limit=50)
        if row.kind == EventKind.MEETING and not row.cancelled
    ][:2]
    for event_id in past:
        sign_in(db, event_id, kavya)
    return meeting


def shoot_preview(folder: Path, png: Path) -> int:
    app = application(folder)
    from desktop_app.views.print_dialogs import SigninSheetDialog
    from desktop_app.views.print_preview import PrintPreviewDialog

    db = demo_database(folder)
    meeting = _next_meeting(db)
    window = main_window(db)
    dialog = window.print_document("signin_sheet")
    assert isinstance(dialog, SigninSheetDialog)
    dialog.event_combo.setCurrentIndex(dialog.event_combo.findData(meeting))
    dialog.blank_spin.setValue(25)
    ok = dialog.ok_button()
    assert ok is not None
    ok.click()

    def wait_for_preview() -> None:
        preview = window.findChild(PrintPreviewDialog)
        if preview is None or not preview.isVisible():
            QTimer.singleShot(100, wait_for_preview)
            return
        preview.resize(980, 780)
        QTimer.singleShot(RENDER_MS, lambda: take(preview))

    def take(preview: PrintPreviewDialog) -> None:
        try:
            preview.grab().save(str(png))
            print(f"pages={preview.page_count()} warnings={preview.warnings_list.count()}")
        finally:
            preview.close()
            window.close()
            app.quit()

    QTimer.singleShot(SETTLE_MS, wait_for_preview)
    return app.exec()


def shoot_urgent_actions(folder: Path, png: Path) -> int:
    app = application(folder)
    from desktop_app.views.urgent_actions_page import UrgentActionsPage

    window = main_window(demo_database(folder))
    page = show_page(window, UrgentActionsPage)
    page.closed_check.setChecked(True)
    rows = page.model.rows()
    written = [row for row in rows if row.letters_written]
    if written:
        page.select_case(written[0].id)

    def take() -> None:
        try:
            window.grab().save(str(png))
            print(f"cases={page.model.rowCount()}")
        finally:
            window.close()
            app.quit()

    QTimer.singleShot(SETTLE_MS, take)
    return app.exec()


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] not in ("preview", "urgent"):
        print(__doc__, file=sys.stderr)
        return 2
    folder, png = Path(argv[1]), Path(argv[2])
    folder.mkdir(parents=True, exist_ok=True)
    if argv[0] == "preview":
        return shoot_preview(folder, png)
    return shoot_urgent_actions(folder, png)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
