"""What every command of ``python -m estimator`` shares: user mistakes as one line, and output paths
checked before any work is done (so nothing is half-written)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ..model.scenario_files import describe_validation_error


class UsageError(Exception):
    """A mistake in the command line the user can fix; printed as one line, exit code 2."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose mistakes are ``UsageError`` (one line, exit 2), not a usage dump."""

    def error(self, message: str) -> None:  # type: ignore[override]  # argparse hook
        raise UsageError(message)


def user_message(exc: Exception, limit: int = 400) -> str:
    """One line for the user: a pydantic error said plainly, anything else as it is.

    >>> user_message(ValueError("draws = 0\\n  must be at least 1"))
    'draws = 0 must be at least 1'
    """
    from pydantic import ValidationError

    text = describe_validation_error(exc) if isinstance(exc, ValidationError) else str(exc)
    return " ".join(text.split())[:limit]


def writable_file(path_text: str, what: str) -> Path:
    """``path_text`` if a file can be written there (checked before any work is done)."""
    path = Path(path_text)
    if path.is_dir():
        raise UsageError(f"{what} '{path}' is a directory; give a file name")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"{what} '{path}': the folder '{folder}' does not exist")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UsageError(f"{what} '{path}' cannot be written here (permission denied)")
    return path


def writable_folder(path_text: str, what: str) -> Path:
    """``path_text`` if it is a folder that can be written, or can be made (checked before any work)."""
    path = Path(path_text)
    if path.exists() and not path.is_dir():
        raise UsageError(f"{what} '{path}' exists and is not a folder")
    existing = next((p for p in (path, *path.parents) if p.exists()), Path("."))
    if not existing.is_dir() or not os.access(existing, os.W_OK):
        raise UsageError(f"{what} '{path}' cannot be made or written here (permission denied)")
    return path
