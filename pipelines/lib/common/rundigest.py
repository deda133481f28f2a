"""Whether a whole run would rebuild what is already there: the digest of everything that shapes it.

A run's result is a function of the raw folder's content, the project's code (every .py, .sql and
reference table of the `pipelines` package), the model assumptions and the settings that change what
is computed. Their digest is kept beside the warehouse after a run that succeeded; a run whose digest
matches, on a warehouse and reports that are still the ones that run left, has nothing to do.

The raw folder is digested by content (sha256 per file), cheaply: a file whose size and mtime did not
move since the last digest keeps its recorded sha256 (the same cache the folder sensor keeps), so an
unchanged folder costs one stat per file, and a touched but unchanged file is re-hashed, not rebuilt.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipelines.lib.common.digests import PACKAGE_DIR, files_digest
from pipelines.lib.common.files import read_json_or_empty, write_json_atomically
from pipelines.lib.intake.inventory import sha256_of

STAMP_VERSION = 1
NO_RECORD = "no record of a previous successful run on this warehouse"


def fingerprint_folder(root: Path, previous: dict, under: str = "",
                       keep: Callable[[str], bool] = lambda rel: True) -> dict:
    """{path relative to root: [size, mtime_ns, sha256]} for every file below root/under whose
    relative path `keep`s; a file is re-hashed only when its size or mtime moved."""
    out = {}
    base = root / under if under else root
    if not base.is_dir() or (under and base.is_symlink()):   # a subfolder linking out is not walked
        return out
    for path in sorted(p for p in base.rglob("*") if p.is_file() and not p.is_symlink()):
        rel = path.relative_to(root).as_posix()
        if not keep(rel):
            continue
        try:
            stat = path.stat()
            old = previous.get(rel)
            if old and old[0] == stat.st_size and old[1] == stat.st_mtime_ns:
                out[rel] = old
            else:
                out[rel] = [stat.st_size, stat.st_mtime_ns, sha256_of(path)]
        except OSError:
            continue  # vanished or unreadable between listing and reading: the next look sees it
    return out


def content_digest(fingerprint: dict) -> str:
    """sha256 over the (path, sha256) pairs: the folder's content, whatever the files' mtimes."""
    return hashlib.sha256(json.dumps(sorted((p, v[2]) for p, v in fingerprint.items())).encode()).hexdigest()


def code_digest() -> str:
    """Every file of the package that can shape a result: its Python, its SQL, its reference tables."""
    files = [p for p in PACKAGE_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts
             and p.suffix not in {".pyc", ".pyo"}]
    return files_digest(files)


def settings_digest(settings) -> str:
    """The settings that change what is computed or where it goes (not how fast: workers, executor)."""
    assumptions = settings.assumptions_file
    shaping = {
        "raw_dir": str(Path(settings.raw_dir).resolve()), "warehouse": str(Path(settings.warehouse).resolve()),
        "reports_dir": str(Path(settings.reports_dir).resolve()), "ocr": settings.ocr,
        "pdf_max_pages": settings.pdf_max_pages, "pdf_timeout_seconds": settings.pdf_timeout_seconds,
        "assumptions": sha256_of(assumptions) if assumptions and Path(assumptions).is_file() else str(assumptions),
    }
    return hashlib.sha256(json.dumps(shaping, sort_keys=True).encode()).hexdigest()


def _stat(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


@dataclass
class RunDigest:
    """What a run would be built from, and where the last successful run's record of it is kept."""

    stamp: Path
    raw: dict            # fingerprint of the raw folder
    parts: dict          # {"raw": ..., "code": ..., "settings": ...} digests
    outputs: list[Path]  # what the run leaves (warehouse files, report, exports) that must still be there

    @classmethod
    def of(cls, settings) -> "RunDigest":
        warehouse = Path(settings.warehouse)       # the published file, and the working file behind it
        stamp = warehouse.with_name(f".{warehouse.name}.run-digest.json")
        previous = read_json_or_empty(stamp)
        raw = fingerprint_folder(Path(settings.raw_dir), previous.get("raw_files", {}))
        reports = Path(settings.reports_dir)
        from pipelines.lib.search.publish import index_paths

        index_work, index_link = index_paths(warehouse)   # the search index's commit record, working and published
        return cls(stamp=stamp, raw=raw,
                   parts={"raw": content_digest(raw), "code": code_digest(), "settings": settings_digest(settings)},
                   outputs=[Path(settings.warehouse), warehouse.with_name(f".{warehouse.name}.work"),
                            index_work / "meta.json", index_link / "meta.json",
                            reports / "report" / "report.html",
                            reports / "exports", reports / "data_docs" / "index.html"])

    def _compare(self) -> tuple[dict, list[str]]:
        """(the last successful run's record, what differs from it: each digest part that changed, each
        output that is not as it left it); no record gives a reason of its own."""
        previous = read_json_or_empty(self.stamp)
        if previous.get("version") != STAMP_VERSION:
            return previous, [NO_RECORD]
        reasons = [f"{what} changed" for what, digest in self.parts.items()
                   if previous.get("parts", {}).get(what) != digest]
        outputs = previous.get("outputs", {})
        reasons += [f"{p} is not as the last run left it" for p in self.outputs
                    if _stat(p) is None or outputs.get(str(p)) != _stat(p)]
        return previous, reasons

    def unchanged_since_last_run(self) -> tuple[dict | None, list[str]]:
        """(the last successful run's record, []) when nothing that shapes a run changed and its outputs
        are as it left them; else (None, the reasons a run is needed)."""
        previous, reasons = self._compare()
        return (previous, []) if not reasons else (None, reasons)

    def raw_changes(self) -> tuple[list[str], dict] | None:
        """(the raw-folder paths added, changed or removed, the last successful run's record) when only the
        raw folder's content changed since that run: the same code and settings, its outputs as it left
        them. None otherwise (no record, or something besides the files changed: then everything is re-read)."""
        previous, reasons = self._compare()
        if set(reasons) - {"raw changed"} or "raw_files" not in previous:
            return None
        old = {p: v[2] for p, v in previous.get("raw_files", {}).items()}
        new = {p: v[2] for p, v in self.raw.items()}
        return sorted(p for p in old.keys() | new.keys() if old.get(p) != new.get(p)), previous

    @staticmethod
    def recorded_span(previous: dict) -> tuple[dt.date, dt.date] | None:
        """The dates the files held at the run a record describes (None: no dated rows)."""
        return tuple(dt.date.fromisoformat(d) for d in previous["span"]) if previous.get("span") else None

    def record(self, span, started_at: str) -> None:
        """After a successful run: what it was built from and what it left, written atomically."""
        body = {"version": STAMP_VERSION, "parts": self.parts, "raw_files": self.raw, "started_at": started_at,
                "span": [d.isoformat() for d in span] if span else None,
                "outputs": {str(p): _stat(p) for p in self.outputs}}
        write_json_atomically(self.stamp, body)

    def forget(self) -> None:
        """Before a run writes anything: a run killed half-way must not leave a record that says 'done'."""
        self.stamp.unlink(missing_ok=True)
