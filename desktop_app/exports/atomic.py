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
from contextlib import contextmanager
from pathlib import Path


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


__all__ = ["replaced_on_success"]
