"""Rendered images (charts, page crops) kept in the report folder between builds, so a rebuild after a
small change re-renders only the images whose inputs changed.

An entry is keyed by a digest of exactly what shapes the image: its kind and name, the digest of the code
that draws it, the versions of the libraries that draw it and the content of its inputs (every value,
not a time stamp or a row count). An entry holds a checksum of its bytes: one that is missing, truncated
or damaged is not trusted, it is rendered again and rewritten. After a build, entries it did not use are
removed, so the folder holds one report's images. Entries are written atomically (common.files).
"""
from __future__ import annotations

import datetime as dt
import decimal
import functools
import hashlib
import re
from pathlib import Path
from typing import Callable

from pipelines.lib.common.digests import source_digest
from pipelines.lib.common.files import replace_atomically

CACHE_DIR = ".report_cache"      # under the report folder
FORMAT = b"leakpipe-image-cache-1\n"
_LEAVES = {type(None), bool, int, float, str, bytes, decimal.Decimal, dt.date, dt.datetime, dt.time, dt.timedelta}
_ENTRY = re.compile(r"^[a-z0-9_-]+-[0-9a-f]{40}\.bin$")


def digest(*parts) -> str | None:
    """sha1 hex of `parts` by content, the key of a cache entry; None when a part is not plain data.

    The text hashed is repr(), which for plain data (None, bool, int, float, str, bytes, Decimal, dates
    and times, and lists, tuples and dicts of them: what the report's rows hold) is exact (a float's repr
    reads back as the same float, nan as nan), keeps types apart (1, 1.0, '1' and True differ) and order
    (a dict keeps its columns' order), and is the same in every process (no hash() seed, no pickle
    protocol). Anything else may have a repr that is its address (a new key every run) or that elides
    values (a numpy array's '...': the same key for different data), so it is never cached."""
    if not _plain(parts):
        return None
    return hashlib.sha1(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _plain(value) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind in _LEAVES:
            continue
        if kind is dict:
            stack.extend(item.keys())
            stack.extend(item.values())
        elif kind is list or kind is tuple:
            stack.extend(item)
        else:
            return False
    return True


@functools.lru_cache(maxsize=None)
def code_digest(module: str) -> str:
    """Digest of the code that draws an image: the module, every `pipelines` module it imports and the
    reference tables they name (digests.source_digest), read once per process: the code this process
    loaded, not a later edit of the file."""
    return source_digest(module)


@functools.lru_cache(maxsize=None)
def versions(*distributions: str) -> tuple:
    """(name, version) of each installed distribution (an image drawn by another version may differ)."""
    from importlib import metadata

    out = []
    for name in distributions:
        try:
            out.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            out.append((name, None))
    return tuple(out)


class ImageCache:
    """Images by key in `folder`; `rendered` and `reused` list the names drawn and taken from the folder."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.rendered: list[str] = []
        self.reused: list[str] = []
        self._used: set[str] = set()

    def image(self, name: str, key_parts: tuple, render: Callable[[], bytes | None]) -> bytes | None:
        """The image `name` for `key_parts`: from the folder when an intact entry has that key, else
        `render()` (PNG bytes, or None when there is nothing to draw), stored for the next build."""
        key = digest(name, key_parts)
        if key is None:
            self.rendered.append(name)
            return render()
        slug = re.sub(r"[^a-z0-9_]+", "_", name.lower())[:60] or "image"
        entry = f"{slug}-{key}.bin"
        self._used.add(entry)
        path = self.folder / entry
        found = _read(path)
        if found is not None:
            self.reused.append(name)
            return found or None
        value = render()
        self.rendered.append(name)
        self._store(path, value or b"")
        return value

    def _store(self, path: Path, payload: bytes) -> None:
        record = FORMAT + hashlib.sha256(payload).digest() + payload

        def write(tmp: Path) -> None:
            with open(tmp, "wb") as fh:
                fh.write(record)

        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            replace_atomically(path, write)
        except OSError:
            pass      # an entry that could not be stored is rendered again next time

    def prune(self) -> None:
        """Remove the entries this build did not use (earlier reports' images)."""
        try:
            names = [p for p in self.folder.iterdir() if _ENTRY.match(p.name) and p.name not in self._used]
        except OSError:
            return
        for path in names:
            try:
                path.unlink()
            except OSError:
                pass


def _read(path: Path) -> bytes | None:
    """The payload of an intact entry (b"" for 'nothing to draw'), or None when it is missing or damaged."""
    try:
        record = path.read_bytes()
    except OSError:
        return None
    head = len(FORMAT) + 32
    if len(record) < head or not record.startswith(FORMAT):
        return None
    payload = record[head:]
    if hashlib.sha256(payload).digest() != record[len(FORMAT):head]:
        return None
    return payload
