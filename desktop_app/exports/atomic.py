"""Files that appear whole or not at all.

A writer writes to a temporary file beside the destination and renames it over the
destination only when everything was written; a failure, a full disk or a cancelled
export (GeneratorExit in a generator writer) removes the temporary file and leaves
any earlier file of that name as it was.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any


@contextmanager
def replaced_on_success(path: Path) -> Iterator[Path]:
    """Yields a temporary path in path's folder; renamed to path when the block ends well."""
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"{path}: is a folder; give a file name")
    handle, temporary = tempfile.mkstemp(
        prefix=f".{path.stem}.", suffix=path.suffix or ".tmp", dir=path.parent
    )
    os.close(handle)
    try:
        yield Path(temporary)
        # mkstemp makes the file private (0600); an export is an ordinary document.
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def discard_workbook(workbook: Any) -> None:
    """Let go of an openpyxl write-only workbook that will not be saved (a failure, a
    cancel): each sheet's temporary file is finished and removed now, rather than
    complaining when Python collects it and lingering until the program ends."""
    for sheet in getattr(workbook, "worksheets", ()):
        writer = getattr(sheet, "_writer", None)
        # A half-written sheet is thrown away: whatever closing it says does not matter.
        with suppress(Exception):
            if not sheet.closed:
                sheet.close()
        if writer is not None:
            with suppress(OSError, ValueError):
                writer.cleanup()


__all__ = ["discard_workbook", "replaced_on_success"]
