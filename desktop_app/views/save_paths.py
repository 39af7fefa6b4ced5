"""Asking where to save an export, in the folder last used for that kind of file.

Light on purpose (Qt and the standard library only): pages that export import it
at start-up without loading the exports themselves. ``ask_save_path`` is a module
function so tests can answer it without a file dialog.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

EXPORT_FOLDER_KEY = "exports/folder"


def ask_save_path(parent: QWidget, title: str, suggested: Path, file_filter: str) -> Path | None:
    """Ask where to save; None if the user cancelled."""
    name, _chosen = QFileDialog.getSaveFileName(parent, title, str(suggested), file_filter)
    return Path(name) if name else None


def export_folder(key: str = EXPORT_FOLDER_KEY) -> Path:
    """The folder last saved to under the settings key (the Documents folder at first)."""
    saved = QSettings().value(key)
    if isinstance(saved, str) and saved and Path(saved).is_dir():
        return Path(saved)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


def ask_export_path(
    parent: QWidget,
    title: str,
    stem: str,
    filters: Mapping[str, str],
    key: str = EXPORT_FOLDER_KEY,
) -> Path | None:
    """Ask where to save stem in the folder last used under the settings key; None if
    cancelled. filters: suffix -> file-dialog filter, the first the default suffix (added
    when the name has none of them). The folder chosen is remembered under key."""
    suffixes = tuple(filters)
    path = ask_save_path(
        parent, title, export_folder(key) / f"{stem}{suffixes[0]}", ";;".join(filters.values())
    )
    if path is None:
        return None
    if path.suffix.lower() not in suffixes:
        path = path.with_name(path.name + suffixes[0])
    QSettings().setValue(key, str(path.parent))
    return path


__all__ = ["EXPORT_FOLDER_KEY", "ask_export_path", "ask_save_path", "export_folder"]
