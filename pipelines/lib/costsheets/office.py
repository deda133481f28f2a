"""What the office, web and image readers share: the format a file's bytes are in (magic bytes first,
then the name), the zip checks before a DOCX or ODS is inflated, and the result every reader returns.

Each reader (docxfile.py, calamine.py, htmlfile.py, images.py) gives RawTables that go through the
same header vocabulary as a PDF's or an XLSX's (tables.normalise), the document's text outside its
tables (for 'Company:' and 'Period:' lines), and its text part by part (`text_parts`, each with a
locator such as `docx`, `sheet 'Q3'`, `image page 2`) for the full-text index.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.lib.costsheets.errors import DocumentError
from pipelines.lib.costsheets.tables import RawTable

MAX_UNZIPPED_BYTES = 256 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ROWS = 200_000


def too_many_rows(what: str) -> DocumentError:
    """The error for a sheet or table over MAX_ROWS rows (`what`: "sheet 'Q1'", "a table")."""
    return DocumentError(f"over the row limit: {what} has more than {MAX_ROWS} rows", "cost_sheets.too_many_rows")

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"       # an OLE2 compound file: XLS (also DOC, MSG)
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
_BY_SUFFIX = {".pdf": "pdf", ".xlsx": "xlsx", ".xlsm": "xlsx", ".docx": "docx", ".ods": "ods", ".xls": "xls",
              ".html": "html", ".htm": "html", ".csv": "csv", ".tsv": "csv", ".txt": "csv",
              **{s: "image" for s in IMAGE_SUFFIXES}}
LABELS = {"docx": "DOCX document", "ods": "ODS spreadsheet", "xls": "XLS workbook", "html": "HTML page",
          "image": "image"}


@dataclass
class Read:
    """One document read by an office, web or image reader."""
    tables: list[RawTable]
    text: str                                  # text outside the tables, for 'Company:' / 'Period:' lines
    pages: int                                 # sheets, tables or image pages read
    where: str                                 # what was read, for the 'no cost table found' reason
    notes: list[str] = field(default_factory=list)
    text_parts: list[tuple[str, str]] = field(default_factory=list)   # (locator, text) for the index


def _zip_kind(path: Path) -> str | None:
    """'docx' | 'ods' | 'xlsx' for an office zip by its members (names only, and the few bytes of an
    ODF 'mimetype'); None when it is none of those or unreadable."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "mimetype" in names:
                with archive.open("mimetype") as fh:
                    kind = fh.read(80)
                if kind.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
                    return "ods"
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError):
        return None
    return None


def sniff(path: Path, head: bytes) -> str | None:
    """The reader a file goes to: 'pdf' | 'xlsx' | 'docx' | 'ods' | 'xls' | 'html' | 'image' | 'csv',
    from its content where the content says (a PDF named .xlsx is read as the PDF it is), else from its
    name; None when neither says anything we read."""
    suffix = path.suffix.lower()
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        named = _BY_SUFFIX.get(suffix)      # a zip its members do not place: an office name decides, else XLSX
        return _zip_kind(path) or (named if named in ("docx", "ods", "xlsx") else "xlsx")
    if head.startswith(_OLE):
        return "xls"
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")):
        return "image"
    if suffix not in _BY_SUFFIX and head.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
        return "html"
    return _BY_SUFFIX.get(suffix)


def check_zip(path: Path, label: str, check_prefix: str) -> None:
    """An office file is a zip: refuse zip bombs and members that point outside the archive before
    any parser inflates anything."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        article = "an" if label[:1] in "AEFHILMNORSX" else "a"     # an XLSX, an ODS, a DOCX
        raise DocumentError(f"damaged or not {article} {label} (not a readable zip archive: {exc})",
                            f"cost_sheets.damaged_{check_prefix}") from exc
    for m in members:
        name = m.filename.replace("\\", "/")
        if name.startswith("/") or ".." in name.split("/"):
            raise DocumentError(f"unsafe archive: member {m.filename!r} points outside the {label}",
                                "cost_sheets.unsafe_archive")
        if m.flag_bits & 0x1:
            raise DocumentError(f"encrypted {label}: member {m.filename!r} needs a password",
                                f"cost_sheets.encrypted_{check_prefix}")
    unzipped = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    if unzipped > MAX_UNZIPPED_BYTES:
        raise DocumentError(f"unsafe archive: {unzipped:,} bytes once unpacked (limit {MAX_UNZIPPED_BYTES:,})",
                            "cost_sheets.zip_bomb")
    if unzipped > 1024 * 1024 and unzipped / packed > MAX_COMPRESSION_RATIO:
        raise DocumentError(f"unsafe archive: compression ratio {unzipped / packed:,.0f}:1 is over "
                            f"{MAX_COMPRESSION_RATIO}:1 (a zip bomb?)", "cost_sheets.zip_bomb")


def cell_text(value) -> str:
    return "" if value is None else str(value).strip()


def grid_text(grid: list[list]) -> str:
    """A grid as text, one line per row, cells separated by tabs (blank rows dropped)."""
    lines = ["\t".join(cell_text(c) for c in row).rstrip("\t") for row in grid]
    return "\n".join(line for line in lines if line.strip())
