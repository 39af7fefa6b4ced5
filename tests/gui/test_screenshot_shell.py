"""The main window on a real X server (Xvfb): a screenshot that is more than a blank.

The offscreen platform used by the other GUI tests draws without a window system;
this one starts its own Xvfb so the window is laid out, decorated and painted as on
a desktop. The picture is kept in the test's folder for a person to look at.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.helpers.pictures import distinct_colours
from tests.helpers.xvfb import REPO_ROOT, run_on_display

SCRIPT = textwrap.dedent(
    """
    import importlib.util
    import sys
    from pathlib import Path

    from PySide6.QtCore import QCoreApplication, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop_app.db import create_database
    from desktop_app.models import Person, PersonStatus
    from desktop_app.services.group import GroupProfileData, save_profile

    db_path, png_path, settings_dir = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    db = create_database(str(db_path))
    if importlib.util.find_spec("desktop_app.services.demo") is not None:
        from desktop_app.services.demo import create_demo

        create_demo(db, people=60, seed=1)
    else:
        save_profile(db, GroupProfileData(name="Riverside Human Rights Group", city="Riverside"))
        with db.session() as session:
            for given, family in [("Ada", "Lovelace"), ("Grace", "Hopper"), ("Alan", "Turing")]:
                session.add(Person(given_name=given, family_name=family,
                                   status=PersonStatus.MEMBER))

    app = QApplication(sys.argv[:1])
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings_dir)
    QCoreApplication.setOrganizationName("GroupDeskScreenshot")
    QCoreApplication.setApplicationName("GroupDeskScreenshot")

    from desktop_app.views.main_window import MainWindow

    try:
        from desktop_app.views import roster_page  # noqa: F401
        factories = None  # the real pages
    except ImportError:
        sys.path.insert(0, sys.argv[4])
        from tests.gui.shell_fixtures import TEST_PAGES as factories

    window = MainWindow(db, page_factories=factories)
    window.resize(1100, 700)
    window.show()

    def shoot():
        window.grab().save(png_path)
        window.close()
        app.quit()

    QTimer.singleShot(1500, shoot)
    app.exec()
    """
)


@pytest.mark.xvfb
def test_main_window_screenshot(xvfb_display: str, tmp_path: Path) -> None:
    png = tmp_path / "main_window.png"
    script = tmp_path / "shoot.py"
    script.write_text(SCRIPT)
    settings = tmp_path / "screenshot-settings"
    settings.mkdir()
    result = run_on_display(
        xvfb_display,
        [str(script), str(tmp_path / "group.sqlite"), str(png), str(settings), str(REPO_ROOT)],
    )
    assert result.returncode == 0, result.stderr
    assert png.exists(), result.stderr
    image = QImage(str(png))
    assert not image.isNull()
    assert image.width() >= 800 and image.height() >= 500
    assert distinct_colours(image) > 20, "the window looks blank"
