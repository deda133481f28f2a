"""Writing a file so that a reader sees the old one or the new one, never half of one."""
from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Callable


def replace_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Call write(tmp) on a temporary file beside `path`, then rename it over `path` (atomic on one
    filesystem). The temporary name is unique (not the pid alone: two containers on a shared folder
    can both be pid 7, and a Dask worker may run two tasks in one process); on any error it is removed."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def read_text_or_none(path: Path) -> str | None:
    """The file's text, or None when it is missing or unreadable (a stamp not written yet)."""
    try:
        return Path(path).read_text()
    except OSError:
        return None


def read_json_or_empty(path: Path) -> dict:
    """A JSON object kept in a file (a record, a stamp, a manifest), or {} when the file is missing,
    unreadable, damaged or not an object: the caller then acts as if nothing had been recorded."""
    try:
        record = json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def write_json_atomically(path: Path, record) -> None:
    """Write `record` as JSON so that a reader sees the previous file or this one (replace_atomically)."""
    replace_atomically(path, lambda tmp: tmp.write_text(json.dumps(record)))
