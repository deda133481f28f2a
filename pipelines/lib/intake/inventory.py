"""Register every file under the raw folder: content hash, kind, media type, duplicates.

Nothing is skipped: hidden files, files in unknown folders, links and unreadable files are all
recorded, the last three with a reason, so that files in = rows in core.documents.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

# Subfolder of the raw folder -> document kind (data-contract.md, "Input layout").
KIND_BY_FOLDER = {
    "cost_sheets": "cost_sheet",
    "capex": "capex",
    "prices": "prices",
    "network": "network",
    "hardware": "hardware",
    "fx": "fx",
    "flows": "flows",
    "events": "events",
}


@dataclass(frozen=True)
class FileRecord:
    path: str                 # relative to the raw folder, '/'-separated
    kind: str
    document_id: str | None   # sha256 hex; None when unreadable
    media_type: str | None
    bytes: int | None
    error: str | None         # why it cannot go to a parser (None: fine so far)
    parent_document_id: str | None = None   # sha256 of the container that held it (None: top-level)
    member_path: str | None = None          # its path inside that container
    container: str | None = None            # zip | 7z | tar | eml | msg | mbox when it holds documents


def kind_of(relative: Path) -> str:
    return KIND_BY_FOLDER.get(relative.parts[0], "unknown") if len(relative.parts) > 1 else "unknown"


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def inspect_file(raw_dir: Path, path: Path) -> FileRecord:
    relative = path.relative_to(raw_dir)
    rel = relative.as_posix()
    kind = kind_of(relative)
    if path.is_symlink():
        return FileRecord(rel, kind, None, None, None,
                          "symbolic link: not followed (inputs must be regular files inside the raw folder)")
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(65536)
        digest = sha256_of(path)
    except OSError as exc:
        return FileRecord(rel, kind, None, None, None, f"cannot read the file: {exc.strerror or exc}")
    if size == 0:
        return FileRecord(rel, kind, digest, "application/x-empty", 0, "empty file (0 bytes)")
    from pipelines.lib.intake.containers import container_format, media_type
    from pipelines.lib.intake.media import content_problem, media_type_of

    fmt = container_format(path, head)
    media = media_type(fmt) if fmt else media_type_of(path, head)
    if kind == "unknown":
        folders = ", ".join(f"{f}/" for f in KIND_BY_FOLDER)
        return FileRecord(rel, kind, digest, media, size,
                          f"not in a known input folder: put it in one of {folders}")
    return FileRecord(rel, kind, digest, media, size, None if fmt else content_problem(path, media),
                      container=fmt)


def scan(raw_dir: Path, scratch: Path | None = None, limits=None) -> list[FileRecord]:
    """Every file below raw_dir (links included, not followed), sorted by relative path, each
    container followed by its members (unpacked into `scratch` under `limits`, containers.py)."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        return []
    paths = sorted(p for p in raw_dir.rglob("*") if p.is_symlink() or p.is_file())
    out = []
    for path in paths:
        record = inspect_file(raw_dir, path)
        out.append(record)
        if record.container and record.error is None:
            out[-1:] = expand_record(record, path, scratch or _default_scratch(raw_dir), limits)
    return out


def _default_scratch(raw_dir: Path) -> Path:
    from pipelines.lib.intake.containers import default_scratch

    return default_scratch(raw_dir)


def expand_record(record: FileRecord, local: Path, scratch: Path, limits=None) -> list[FileRecord]:
    """The container's record and one per member of its tree; the container quarantined with the
    reason when it cannot be unpacked (encrypted, over a limit, broken)."""
    from pipelines.lib.intake import containers

    try:
        found = containers.expand(local, record.document_id, record.container, scratch,
                                  limits or containers.Limits())
    except Exception as exc:  # noqa: BLE001 - one bad archive never stops the rest
        reason = str(exc) if isinstance(exc, ValueError) and str(exc) else \
            f"the container could not be unpacked ({type(exc).__name__}: {exc})"
        return [replace(record, error=reason)]
    return [record] + [FileRecord(record.path + f.inner, record.kind, f.document_id, f.media_type, f.bytes,
                                  f.error, f.parent_document_id, f.member_path, f.container) for f in found]

