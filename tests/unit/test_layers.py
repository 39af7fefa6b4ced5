"""The layers below the views import no Qt: models, services, printing, exports and db.

The imports run in a fresh interpreter, because in this test session Qt is already
loaded by the GUI tests and pytest-qt, and would hide an import that pulls it in.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

QT_FREE_PACKAGES = (
    "desktop_app.models",
    "desktop_app.services",
    "desktop_app.printing",
    "desktop_app.exports",
)
QT_FREE_MODULES = ("desktop_app.db", "desktop_app.config", "desktop_app.text")

# Imports every module of the packages (found with pkgutil, so new ones are covered as
# they are added), and notes the first module after whose import PySide6 was loaded.
PROBE = textwrap.dedent(
    """
    import importlib
    import json
    import pkgutil
    import sys

    packages, modules = json.loads(sys.argv[1])
    imported = []
    first_with_qt = None

    def load(name):
        global first_with_qt
        importlib.import_module(name)
        imported.append(name)
        if first_with_qt is None and "PySide6" in sys.modules:
            first_with_qt = name

    for package_name in packages:
        package = importlib.import_module(package_name)
        load(package_name)
        for info in pkgutil.walk_packages(package.__path__, package_name + "."):
            load(info.name)
    for name in modules:
        load(name)
    qt_modules = sorted(name for name in sys.modules if name.split(".")[0] == "PySide6")
    print(json.dumps({"imported": imported, "first_with_qt": first_with_qt, "qt": qt_modules}))
    """
)


def test_lower_layers_import_no_qt() -> None:
    argument = json.dumps([list(QT_FREE_PACKAGES), list(QT_FREE_MODULES)])
    result = subprocess.run(
        [sys.executable, "-c", PROBE, argument],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])

    assert report["first_with_qt"] is None, (
        f"importing {report['first_with_qt']} loaded Qt: {report['qt'][:5]}"
    )
    assert report["qt"] == []
    # The probe really walked the packages: the services it must have found are there.
    assert "desktop_app.services.group" in report["imported"]
    assert "desktop_app.services.validation" in report["imported"]
    assert "desktop_app.models.people" in report["imported"]
    assert set(QT_FREE_PACKAGES) | set(QT_FREE_MODULES) <= set(report["imported"])


def test_the_probe_notices_qt() -> None:
    """The same probe, pointed at Qt itself, reports it: the check above can fail."""
    argument = json.dumps([[], ["PySide6.QtCore"]])
    result = subprocess.run(
        [sys.executable, "-c", PROBE, argument],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["first_with_qt"] == "PySide6.QtCore"
