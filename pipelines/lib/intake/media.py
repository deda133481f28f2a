"""What a file's bytes are (magic numbers first, then text sniffing) and whether they are what its name
says: the register (inventory.py), the containers' members (containers.py) and `leakpipe ingest` ask here."""
from __future__ import annotations

from pathlib import Path

_TEXT_TYPES = {".csv": "text/csv", ".tsv": "text/tab-separated-values", ".txt": "text/plain",
               ".md": "text/markdown", ".json": "application/json", ".html": "text/html",
               ".htm": "text/html"}

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


def content_problem(path: Path, media: str) -> str | None:
    """Why a file's bytes cannot go to a parser, whichever folder it is in (the register and
    `leakpipe ingest` both ask): content that is not what the name says. Archives and e-mails are
    containers (pipelines/lib/intake/containers.py), unpacked under the archive limits."""
    expected = _expected_media(path)
    if expected is not None and media not in expected:
        return (f"not a {path.suffix.lower().lstrip('.').upper()} file: the name says "
                f"{path.suffix.lower()} but the content is {media}")
    return None
