"""Every document's text, part by part, as rows of core.document_text (what the search index reads).

Where the text comes from, without reading a document twice:
- leaked cost sheets (PDF, image, XLSX, XLS, ODS, CSV, DOCX, HTML; archive and e-mail members too):
  the text parts their extraction keeps in its cache entry (costsheets.extract.read_document), so
  nothing is parsed again here. A PDF page's text is 'pdf_text', an OCRed page's or image's 'ocr',
  the rest 'office'.
- e-mails (.eml, .msg, mbox): the body (intake.email.email_body_text), 'email_body'; attachments are
  documents of their own and come with the cost sheets.
- capex documents (raw/capex/ press releases and articles: TXT, Markdown, HTML as the capex reader
  sees them, 'office'; a PDF page by page, 'pdf_text'). They have no cache, and are read again on
  every run (a few small files; the folder's CSV and JSON records are not documents).

A document with no text gets one row with text NULL and the reason (unknown is never an empty string
read as if it were the text): not extracted yet, refused by its reader, no page held any word.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

COLUMNS = ["path", "document_id", "part", "page", "locator", "text_source", "text", "reason"]
_PAGE = re.compile(r"^(?:image )?page (\d+)$")


def _row(path: str, document_id: str, part: int, page, locator: str, source: str | None, text: str | None,
         reason: str | None) -> dict:
    return {"path": path, "document_id": document_id, "part": part, "page": page, "locator": locator,
            "text_source": source, "text": text, "reason": reason}


def unread(path: str, document_id: str, reason: str) -> list[dict]:
    """The one row of a document whose text could not be read, with why."""
    return [_row(path, document_id, 0, None, "file", None, None, reason)]


def part_rows(path: str, document_id: str, parts: list) -> list[dict]:
    """Rows for an extraction's text parts [(locator, text, source)]: page from 'page 3' / 'image page 3',
    a sheet's number from its place among the sheets, None for a format without pages (docx, html, csv).
    Parts with no word are left out."""
    rows, sheets = [], 0
    for locator, text, source in parts:
        page = None
        if (m := _PAGE.match(locator)) is not None:
            page = int(m.group(1))
        elif locator.startswith("sheet "):
            sheets += 1
            page = sheets
        if text and text.strip():
            rows.append(_row(path, document_id, len(rows) + 1, page, locator, source, text, None))
    return rows


def extraction_rows(path: str, document_id: str, summary: dict | None) -> list[dict]:
    """A cost sheet's rows from its cached extraction summary (None: no cache entry)."""
    if summary is None:
        return unread(path, document_id, "no text yet: the document has no finished extraction (timed out, "
                                          "or its extractor failed; see core.documents.error)")
    rows = part_rows(path, document_id, [tuple(p) for p in summary.get("text_parts") or []])
    if rows:
        return rows
    if summary.get("status") != "loaded" and summary.get("error"):
        return unread(path, document_id, f"no text read: {summary['error']}")
    return unread(path, document_id, "no text read: no page or part of the document holds a word "
                                      "(an empty page, or an image without OCR)")


def email_rows(path: str, document_id: str, local: Path | None) -> list[dict]:
    """An e-mail's body as one row ('body'), or the reason it has none."""
    from pipelines.lib.intake.email import MailError, email_body_text

    if local is None or not Path(local).is_file():
        return unread(path, document_id, f"no text read: the file is missing ({path})")
    try:
        body = email_body_text(Path(local))
    except (MailError, OSError, ValueError) as exc:
        return unread(path, document_id, f"no text read: {exc}")
    if not body.strip():
        return unread(path, document_id, "no text read: the e-mail has no text body (attachments only)")
    return [_row(path, document_id, 1, None, "body", "email_body", body, None)]


CAPEX_DATA_SUFFIXES = (".csv", ".tsv", ".json")     # tables and records of raw/capex/, not documents


def _pdf_pages(local: Path) -> list[str]:
    """Each page's text layer (pypdfium2, as the capex reader reads a PDF)."""
    import pypdfium2 as pdfium

    from pipelines.lib.common.pdftext import page_texts

    pdf = pdfium.PdfDocument(str(local))
    try:
        return page_texts(pdf)
    finally:
        pdf.close()


def capex_rows(path: str, document_id: str, local: Path | None) -> list[dict]:
    """A capex document's text (press release, article: TXT, Markdown, HTML as the capex reader sees it,
    scripts and hidden elements dropped; a PDF page by page), or the reason it has none. [] for the
    folder's data files (CSV, JSON), which are records, not documents."""
    from pipelines.lib.capex.documents import DocumentError, read_document

    if path.lower().endswith(CAPEX_DATA_SUFFIXES):
        return []
    if local is None or not Path(local).is_file():
        return unread(path, document_id, f"no text read: the file is missing ({path})")
    try:
        with open(local, "rb") as fh:
            is_pdf = fh.read(5) == b"%PDF-" or path.lower().endswith(".pdf")
        if is_pdf:
            parts = [(f"page {n}", text, "pdf_text") for n, text in enumerate(_pdf_pages(Path(local)), start=1)]
        else:
            document = read_document(Path(local))
            parts = [(document.method, document.text, "office")]
    except (DocumentError, OSError, ValueError) as exc:
        return unread(path, document_id, f"no text read: {exc}")
    except Exception as exc:  # noqa: BLE001 - pdfium's own error for a broken or encrypted PDF
        return unread(path, document_id, f"no text read: cannot open the PDF ({type(exc).__name__}: {exc})")
    return part_rows(path, document_id, parts) or unread(path, document_id, "no text read: the document holds no word")


def frame(rows: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("part", "page"):
        out[column] = out[column].astype("Int64")
    return out
