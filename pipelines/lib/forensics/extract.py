"""One core.document_metadata row for any file: dispatched on its bytes (not its name), never raising.

A format with no embedded metadata (CSV, JSON, text) or one no reader here handles gets a row too, with
its fields NULL and `notes` saying why: files in = rows out.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd

from pipelines.lib.forensics.office import office_metadata
from pipelines.lib.forensics.pdf import pdf_metadata
from pipelines.lib.intake.email import email_metadata

# The table's columns in order (contract of issue 19, then the facts the metadata checks rest on).
COLUMNS = ["document_id", "media_type", "title", "author", "producer", "creator_tool", "created_at",
           "modified_at", "xmp_created_at", "xmp_modified_at", "incremental_updates", "signed", "fonts",
           "email_from", "email_to", "email_cc", "email_date", "email_subject", "notes",
           "xmp_producer", "xmp_creator_tool", "dates_without_offset", "pages", "pages_with_text",
           "pages_with_images", "pages_with_invisible_text", "revision_producers", "text_added_by_update"]
LIST_COLUMNS = ["fonts", "email_to", "email_cc", "dates_without_offset", "revision_producers"]
TIME_COLUMNS = ["created_at", "modified_at", "xmp_created_at", "xmp_modified_at", "email_date"]
_EMAIL_SUFFIXES = {".eml", ".msg", ".mbox"}


def kind_of(path: Path, head: bytes) -> str | None:
    """pdf | office | email | None, from the first bytes (and the suffix only for e-mail, which has no magic)."""
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        if "docProps/core.xml" in names or "[Content_Types].xml" in names or "meta.xml" in names:
            return "office"
        return None
    if head.startswith(b"\xd0\xcf\x11\xe0") and path.suffix.lower() == ".msg":
        return "email"
    if path.suffix.lower() in _EMAIL_SUFFIXES:
        return "email"
    return None


def document_metadata(path: Path, document_id: str | None = None, media_type: str | None = None) -> dict:
    """The row of core.document_metadata for the file at `path` (every column of COLUMNS)."""
    row: dict = {c: None for c in COLUMNS}
    row.update(document_id=document_id, media_type=media_type)
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        row["notes"] = f"cannot read the file ({exc.strerror or exc})"
        return _lists(row)
    kind = kind_of(path, head)
    try:
        if kind == "pdf":
            found = pdf_metadata(path)
        elif kind == "office":
            found = office_metadata(path)
        elif kind == "email":
            found = email_metadata(path)
        else:
            found = {"notes": f"no embedded metadata read for this format ({media_type or 'unknown type'})"}
    except Exception as exc:  # a reader crash is one file's note, never the run's end
        found = {"notes": f"the {kind} metadata reader failed ({type(exc).__name__}: {str(exc)[:160]})"}
    row.update({k: v for k, v in found.items() if k in row and (v is not None or k != "media_type")})
    row["media_type"] = row["media_type"] or media_type
    return _lists(row)


def _lists(row: dict) -> dict:
    for c in LIST_COLUMNS:
        if row.get(c) is not None:
            row[c] = [str(v) for v in row[c]]
    return row


def metadata_frame(rows: list[dict]) -> pd.DataFrame:
    """Rows as the table's frame: timestamps tz-aware UTC, lists as lists, nullable ints and booleans."""
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for c in TIME_COLUMNS:
        frame[c] = pd.to_datetime(frame[c], utc=True)
    for c in ["incremental_updates", "pages", "pages_with_text", "pages_with_images", "pages_with_invisible_text"]:
        frame[c] = pd.array(frame[c], dtype="Int64")
    for c in ["signed", "text_added_by_update"]:
        frame[c] = pd.array(frame[c], dtype="boolean")
    return frame
