"""Open a workbook in LibreOffice (headless) and read back every sheet as it computed it.

Exported workbooks carry formulas without cached results (openpyxl cannot compute
them); LibreOffice computes them on opening, so converting each sheet to CSV shows
what a treasurer opening the file would see. Each conversion uses a throwaway user
profile of its own (parallel runs never share one) and a time limit.

LibreOffice comes from the Debian package libreoffice-calc-nogui (``make
system-deps``). Without it the tests are skipped on a developer's machine but fail
in CI (CI=true), so a missing package cannot quietly turn the check off.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

TIMEOUT_SECONDS = 180
# Filter options: comma, double quote, UTF-8, from line 1, standard cells, English (US)
# number words, no quoting rules, detect numbers, values not as shown (plain numbers),
# no formulas, no trimming, every sheet to a file of its own (-1).
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,false,false,false,-1"
MISSING = (
    "LibreOffice (soffice) is not installed; `make system-deps` installs the Debian package "
    "libreoffice-calc-nogui, which the workbook tests use to open the exported files"
)


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def soffice() -> str:
    """The soffice binary; skips the test (fails it in CI) when LibreOffice is missing."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if in_ci():
        pytest.fail(MISSING)
    pytest.skip(MISSING)


def sheets_as_csv(workbook: Path) -> dict[str, list[list[str]]]:
    """Every sheet of workbook as LibreOffice computed it: sheet name -> rows of text."""
    binary = soffice()
    with tempfile.TemporaryDirectory(prefix="groupdesk-lo-") as folder:
        work = Path(folder)
        source = work / "book.xlsx"
        shutil.copyfile(workbook, source)
        out = work / "out"
        command = [
            binary,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            CSV_FILTER,
            "--outdir",
            str(out),
            str(source),
        ]
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
        )
        produced = sorted(out.glob("book-*.csv")) if out.is_dir() else []
        if result.returncode != 0 or not produced:
            raise AssertionError(
                f"LibreOffice did not convert {workbook.name} (exit {result.returncode}): "
                f"{result.stderr.strip() or result.stdout.strip()}"
            )
        sheets = {}
        for path in produced:
            name = path.stem.removeprefix("book-")
            with path.open(encoding="utf-8-sig", newline="") as handle:
                sheets[name] = list(csv.reader(handle))
        return sheets


__all__ = ["in_ci", "sheets_as_csv", "soffice"]
