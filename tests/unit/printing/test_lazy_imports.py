"""ReportLab loads only when something is printed: start-up time is measured.

The services, the CLI and the main window may name the printing data types, but
importing them must not pull in ReportLab, the renderers or the fonts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

PROBE = textwrap.dedent(
    """
    import importlib, json, sys
    for name in sys.argv[1:]:
        importlib.import_module(name)
    heavy = sorted(
        name for name in sys.modules
        if name.split(".")[0] in ("reportlab", "arabic_reshaper", "bidi", "PIL")
        or name in (
            "desktop_app.printing.fonts", "desktop_app.printing.document",
            "desktop_app.printing.flyer", "desktop_app.printing.signin_sheet",
            "desktop_app.printing.ua_letters", "desktop_app.printing.labels",
            "desktop_app.printing.lists",
        )
    )
    print(json.dumps(heavy))
    """
)


def loaded_after(*modules: str) -> list[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *modules],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    loaded: list[str] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


def test_services_cli_and_data_types_do_not_load_reportlab() -> None:
    assert (
        loaded_after(
            "desktop_app.printing",
            "desktop_app.printing.data",
            "desktop_app.printing.templates",
            "desktop_app.printing.words",
            "desktop_app.services.printing_data",
            "desktop_app.services.urgent_actions",
            "desktop_app.commands.printing",
            "desktop_app.cli",
        )
        == []
    )


def test_the_main_window_module_does_not_load_reportlab() -> None:
    pytest.importorskip("PySide6.QtWidgets")
    assert loaded_after("desktop_app.views.main_window") == []


def test_the_probe_sees_a_renderer() -> None:
    loaded = loaded_after("desktop_app.printing.labels")
    assert "desktop_app.printing.fonts" in loaded
    assert "reportlab" in loaded
