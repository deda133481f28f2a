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

_TEXT_TYPES = {".csv": "text/csv", ".tsv": "text/tab-separated-values", ".txt": "text/plain",
               ".md": "text/markdown", ".json": "application/json", ".html": "text/html",
               ".htm": "text/html"}


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


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"       # an OLE2 compound file (an XLS)
# what an office or image file's name promises its content is (HTML is text, checked as text); zips the
# cost-sheet readers open themselves (DOCX, ODS) are not archives (containers.container_format)
_OFFICE_MEDIA = {
    ".docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/zip"},
    ".ods": {"application/vnd.oasis.opendocument.spreadsheet", "application/zip"},
    ".xls": {"application/vnd.ms-excel"},
    ".png": {"image/png"}, ".jpg": {"image/jpeg"}, ".jpeg": {"image/jpeg"}, ".tif": {"image/tiff"},
    ".tiff": {"image/tiff"},
}


def kind_of(relative: Path) -> str:
    return KIND_BY_FOLDER.get(relative.parts[0], "unknown") if len(relative.parts) > 1 else "unknown"


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def _utf16_text(head: bytes) -> str | None:
    """The text of a UTF-16 file's first bytes (after its byte-order mark), or None when it is
    not UTF-16 text: a UTF-16 CSV is full of NUL bytes and must not be taken for binary data."""
    codec = "utf-16-le" if head.startswith(b"\xff\xfe") else "utf-16-be"
    body = head[2: len(head) - len(head) % 2]
    for cut in (0, 2):   # the sample may end inside a surrogate pair
        try:
            text = body[: len(body) - cut].decode(codec)
        except UnicodeDecodeError:
            continue
        return None if "\x00" in text else text
    return None


def media_type_of(path: Path, head: bytes) -> str:
    """Magic numbers first (the `filetype` library), then text sniffing; the name only picks the text type."""
    import filetype

    if head.startswith(_OLE) and path.suffix.lower() == ".xls":
        return "application/vnd.ms-excel"         # an OLE2 file (filetype knows no XLS), named as one
    kind = filetype.guess(head)
    if kind is not None:
        if kind.mime == "application/zip" and path.suffix.lower() == ".xlsx":
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return kind.mime
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _utf16_text(head)
        if text is None:
            return "application/octet-stream"
        head = text.encode("utf-8")
    if b"\x00" in head[:8192]:
        return "application/octet-stream"
    if head.lstrip().lower().startswith((b"<!doctype html", b"<html")):
        return "text/html"
    return _TEXT_TYPES.get(path.suffix.lower(), "text/plain")  # text, whatever the name claims


def _expected_media(path: Path) -> set[str] | None:
    """Media types a file's extension promises; None when the extension promises nothing we check."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return {"application/pdf"}
    if suffix == ".xlsx":
        return {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/zip"}
    if suffix in {".csv", ".tsv", ".txt", ".md", ".json"}:
        return {"text/csv", "text/tab-separated-values", "text/plain", "text/markdown", "application/json"}
    return _OFFICE_MEDIA.get(suffix)


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

    fmt = container_format(path, head)
    media = media_type(fmt) if fmt else media_type_of(path, head)
    if kind == "unknown":
        folders = ", ".join(f"{f}/" for f in KIND_BY_FOLDER)
        return FileRecord(rel, kind, digest, media, size,
                          f"not in a known input folder: put it in one of {folders}")
    return FileRecord(rel, kind, digest, media, size, None if fmt else content_problem(path, media),
                      container=fmt)


def content_problem(path: Path, media: str) -> str | None:
    """Why a file's bytes cannot go to a parser, whichever folder it is in (the register and
    `leakpipe ingest` both ask): content that is not what the name says. Archives and e-mails are
    containers (pipelines/lib/intake/containers.py), unpacked under the archive limits."""
    expected = _expected_media(path)
    if expected is not None and media not in expected:
        return (f"not a {path.suffix.lower().lstrip('.').upper()} file: the name says "
                f"{path.suffix.lower()} but the content is {media}")
    return None


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

