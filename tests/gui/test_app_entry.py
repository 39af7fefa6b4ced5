"""`groupdesk` itself: window or command, what start-up imports, translations, a whole run."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication

from desktop_app import __main__ as entry
from desktop_app import app as app_module
from desktop_app.db import list_backups
from desktop_app.views.main_window import lock_path_for
from tests.gui.shell_fixtures import make_group_database

REPO_ROOT = Path(__file__).resolve().parents[2]
HEAVY_LIBRARIES = ("reportlab", "openpyxl", "matplotlib")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], (True, None)),
        (["--db", "group.sqlite"], (True, "group.sqlite")),
        (["--db=postgresql+psycopg://host/group"], (True, "postgresql+psycopg://host/group")),
        (["demo"], (False, None)),
        (["--db", "group.sqlite", "roster", "list"], (False, None)),
        (["--help"], (False, None)),
        (["--version"], (False, None)),
        (["--db"], (False, None)),  # incomplete: the command line explains
    ],
)
def test_window_or_command(argv: list[str], expected: tuple[bool, str | None]) -> None:
    assert entry.gui_database_option(argv) == expected


def test_main_starts_the_window_or_hands_over_to_the_command_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from desktop_app import cli

    calls: list[tuple[str, object]] = []
    monkeypatch.setattr(app_module, "run_gui", lambda target: calls.append(("gui", target)) or 0)
    monkeypatch.setattr(cli, "main", lambda argv=None: calls.append(("cli", argv)) or 3)
    assert entry.main([]) == 0
    assert entry.main(["--db", "x.sqlite"]) == 0
    assert entry.main(["--db", "x.sqlite", "check"]) == 3
    assert calls == [
        ("gui", None),
        ("gui", "x.sqlite"),
        ("cli", ["--db", "x.sqlite", "check"]),
    ]


def _run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **env},
        cwd=REPO_ROOT,
    )


def test_start_up_imports_no_printing_spreadsheet_or_chart_library() -> None:
    code = textwrap.dedent(
        f"""
        import sys
        import desktop_app.__main__
        import desktop_app.app
        from desktop_app.views.pages import page_classes
        page_classes()  # every page's module, as once all pages are built
        print(",".join(name for name in {HEAVY_LIBRARIES!r} if name in sys.modules))
        """
    )
    result = _run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_command_line_does_not_load_qt() -> None:
    code = "import sys, desktop_app.__main__; print('PySide6' in sys.modules)"
    result = _run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_python_dash_m_runs_the_command_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "desktop_app", "--version"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO_ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert "groupdesk" in result.stdout


def test_no_translation_is_fine(qapp: QApplication) -> None:
    assert app_module.install_translators(qapp, QLocale(QLocale.Language.Welsh)) == []


def test_a_translation_is_installed_when_there_is_one(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    if not lrelease.exists():
        pytest.skip("pyside6-lrelease is not installed")
    folder = tmp_path / "resources" / "translations"
    folder.mkdir(parents=True)
    source = folder / "groupdesk_es.ts"
    source.write_text(
        textwrap.dedent(
            """\
            <?xml version="1.0" encoding="utf-8"?>
            <!DOCTYPE TS>
            <TS version="2.1" language="es">
            <context><name>GroupDesk</name>
            <message><source>Group Desk</source><translation>Mesa del Grupo</translation></message>
            </context>
            </TS>
            """
        )
    )
    subprocess.run(
        [str(lrelease), str(source), "-qm", str(folder / "groupdesk_es.qm")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    monkeypatch.setattr(app_module, "resource_dirs", lambda: [tmp_path / "resources"])
    installed = app_module.install_translators(qapp, QLocale(QLocale.Language.Spanish))
    try:
        assert len(installed) >= 1
        assert QCoreApplication.translate("GroupDesk", "Group Desk") == "Mesa del Grupo"
    finally:
        for translator in installed:
            qapp.removeTranslator(translator)


def test_a_whole_run_on_an_existing_database(tmp_path: Path) -> None:
    """run_gui opens the window, backs up in the background, and lets go on quitting."""
    database = tmp_path / "group.sqlite"
    make_group_database(database, name="Whole Run Group").close()
    code = textwrap.dedent(
        f"""
        import sys
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        from desktop_app.app import run_gui
        from desktop_app.views.main_window import MainWindow

        app = QApplication(sys.argv[:1])
        seen = []

        def finish():
            windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow)]
            for window in windows:
                seen.append(window.group_label.text())
                window.close()

        QTimer.singleShot(1500, finish)
        status = run_gui({str(database)!r})
        print("STATUS", status, "GROUP", seen)
        """
    )
    result = _run_python(code)
    assert result.returncode == 0, result.stderr
    assert "STATUS 0 GROUP ['Whole Run Group']" in result.stdout, result.stdout + result.stderr
    assert list_backups(database.resolve())  # the automatic backup on open was taken
    assert not lock_path_for(database.resolve()).exists()
