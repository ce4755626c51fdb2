"""Errors of the environment rather than of the data or the code - a file locked by another process,
a permission denied - turned into one clear line for the command line (``nhi --debug`` shows the
traceback instead)."""

from __future__ import annotations

import errno
import sys

from nhi_warehouse.quality.exit_codes import ACCESS as ACCESS_EXIT_CODE

__all__ = ["ACCESS_EXIT_CODE", "AccessError", "describe_access_error", "first_line", "is_lock_error"]

_DENIED = {
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EROFS: "read-only file system",
}


class AccessError(Exception):
    """A file or the warehouse cannot be used now: locked by another process, or not permitted."""


def first_line(text: object) -> str:
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return lines[0] if lines else ""


def is_lock_error(error: BaseException) -> bool:
    """DuckDB's "Could not set lock on file ...: Conflicting lock is held in ... (PID n)"."""
    text = str(error)
    return "Could not set lock" in text or "Conflicting lock" in text


def describe_access_error(error: BaseException) -> str | None:
    """One line for a lock or permission error; None for any other error (shown as is)."""
    if isinstance(error, AccessError):
        return first_line(error)
    if isinstance(error, BlockingIOError):
        return f"a file is locked by another process: {first_line(error)}"
    if isinstance(error, OSError) and error.errno in _DENIED:
        names = " -> ".join(str(name) for name in (error.filename, error.filename2) if name is not None)
        return f"{_DENIED[error.errno]}: {names or first_line(error)}"
    duckdb = sys.modules.get("duckdb")
    if duckdb is not None and isinstance(error, duckdb.Error):
        if is_lock_error(error):
            return f"a DuckDB file is in use by another process: {first_line(error)}"
        if "Permission denied" in str(error) or "Read-only file system" in str(error):
            return f"permission denied: {first_line(error)}"
    return None
