"""The meeting sign-in on a real X server (Xvfb), with a few people ticked: a screenshot
that is more than a blank.

The offscreen platform of the other GUI tests draws without a window system; this one
starts its own Xvfb so the screen is laid out and painted as on a desktop, on a demo
group's database. The picture is kept in the test's folder for a person to look at.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.helpers.pictures import distinct_colours
from tests.helpers.xvfb import run_on_display

SCRIPT = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime, timedelta

    from PySide6.QtCore import QCoreApplication, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop_app.db import create_database
    from desktop_app.services import events, roster
    from desktop_app.services.demo import create_demo

    db_path, png_path, settings_dir = sys.argv[1], sys.argv[2], sys.argv[3]
    db = create_database(db_path)
    create_demo(db, people=300, seed=1)
    meeting = events.create_event(
        db,
        events.EventInput(
            title="Monthly meeting",
            starts_at=datetime.now(UTC),
            ends_at=datetime.now(UTC) + timedelta(hours=2),
            place="Cambridge Public Library",
        ),
    )

    app = QApplication(sys.argv[:1])
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings_dir)
    QCoreApplication.setOrganizationName("GroupDeskScreenshot")
    QCoreApplication.setApplicationName("GroupDeskScreenshot")

    from desktop_app.views.meeting_signin import MeetingSignInDialog

    dialog = MeetingSignInDialog(db, meeting.id)
    dialog.resize(1060, 700)
    dialog.show()
    for person_id in roster.search_person_ids(db, limit=100)[::12]:
        dialog.tick(person_id, "")
    dialog.search.setText("mar")

    def shoot():
        dialog._run_search()
        print(dialog.count_label.text())
        dialog.grab().save(png_path)
        dialog.close()
        app.quit()

    QTimer.singleShot(1500, shoot)
    app.exec()
    """
)


@pytest.mark.xvfb
def test_meeting_signin_screenshot(xvfb_display: str, tmp_path: Path) -> None:
    png = tmp_path / "meeting_signin.png"
    script = tmp_path / "shoot.py"
    script.write_text(SCRIPT)
    settings = tmp_path / "screenshot-settings"
    settings.mkdir()
    result = run_on_display(
        xvfb_display,
        [str(script), str(tmp_path / "group.sqlite"), str(png), str(settings)],
    )
    assert result.returncode == 0, result.stderr
    assert "9 signed in" in result.stdout, result.stdout  # every ticked person counted
    image = QImage(str(png))
    assert not image.isNull()
    assert image.width() >= 1000 and image.height() >= 650
    assert distinct_colours(image) > 20, "the sign-in screen looks blank"
    # Not one colour from edge to edge across the middle: the lists have content.
    middle = image.height() // 3
    assert len({image.pixel(x, middle) for x in range(image.width())}) > 5
