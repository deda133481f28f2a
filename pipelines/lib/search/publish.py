"""The search index beside the warehouse: a working copy the pipeline writes, a published copy readers use.

Layout, next to the published warehouse file `<dir>/leaks.duckdb`:
- `<dir>/.search_index.work/`: the working index (search.index.update_index writes it during a run);
- `<dir>/.search_index.<version>/`: a published version, never written after it is complete;
- `<dir>/search_index`: a relative symlink to the current version, swapped in one rename.

Publishing goes with the warehouse's (the published_warehouse asset), so the two show the same run.
A reader resolves the link once and keeps the version it opened, whatever a run does meanwhile (the
same rule as the warehouse file: never written in place). A version's files are hard links to the
working index's (tantivy never rewrites a segment file, and replaces meta.json by rename, so a link
keeps the content it had), a copy where links cannot be made: O(files), not O(bytes). Skipped when
the working index's meta.json is the one already published. The version before the current one is
kept (a reader may still be opening it); older ones are removed.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

LINK_NAME = "search_index"
_LOCKS = (".tantivy-writer.lock", ".tantivy-meta.lock")


@dataclass(frozen=True)
class PublishedIndex:
    path: Path              # the link readers open
    copied: bool
    reason: str
    seconds: float


def index_paths(published_warehouse: Path) -> tuple[Path, Path]:
    """(working index folder, published link) for the warehouse file analysts open."""
    folder = Path(published_warehouse).parent
    return folder / ".search_index.work", folder / LINK_NAME


def _version(work: Path) -> str | None:
    try:
        return hashlib.sha256((work / "meta.json").read_bytes()).hexdigest()[:16]
    except OSError:
        return None


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def publish_index(work: Path, link: Path) -> PublishedIndex:
    """Make `link` point at a complete copy of the working index `work` (see the module docstring)."""
    started = time.perf_counter()
    version = _version(work)
    if version is None:
        return PublishedIndex(link, False, "no working index to publish (the index asset has not run)",
                              time.perf_counter() - started)
    target = link.with_name(f".{LINK_NAME}.{version}")
    current = os.readlink(link) if link.is_symlink() else None
    if current == target.name and target.is_dir():
        return PublishedIndex(link, False, "the index is unchanged since it was published",
                              time.perf_counter() - started)
    if not target.is_dir():
        staging = link.with_name(f".{LINK_NAME}.{uuid.uuid4().hex}.publishing")
        shutil.copytree(work, staging, copy_function=_link_or_copy,
                        ignore=shutil.ignore_patterns(*_LOCKS))
        os.replace(staging, target)
    new_link = link.with_name(f".{LINK_NAME}.{uuid.uuid4().hex}.link")
    os.symlink(target.name, new_link)
    os.replace(new_link, link)
    keep = {target.name, current}
    for old in link.parent.glob(f".{LINK_NAME}.*"):
        if old.name not in keep and re.fullmatch(rf"\.{LINK_NAME}\.[0-9a-f]{{16}}", old.name) and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    return PublishedIndex(link, True, "the index changed since it was last published" if current
                          else "first publish of the index", time.perf_counter() - started)
