"""Tables from PDF pages: every cost table in a PDF, tables that run over pages stitched into one.

A page goes through the cheap triage first (triage.py); pages whose text looks like a table, that
follow a table or hold no text reach pdfplumber: ruled tables (ruled.py), else tables from word
positions (words.py), scanned pages through tesseract (ocr.py). A page whose text runs sideways is
read turned so its text runs left to right (rotation.py); a row's bbox is still given on the page
as a viewer shows it.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.lib.costsheets.errors import DocumentError
from pipelines.lib.costsheets.ocr import ocr_page
from pipelines.lib.costsheets.rotation import as_shown, reading_view
from pipelines.lib.costsheets.ruled import context_above, ruled_tables
from pipelines.lib.costsheets.tables import RawTable
from pipelines.lib.costsheets.triage import check_bytes, looks_tabular, triage
from pipelines.lib.costsheets.vocab import header_score, is_total_label, map_header
from pipelines.lib.costsheets.words import continuation_from_words, tables_from_words, word_lines


@dataclass
class PdfResult:
    pages: int
    tables: list[RawTable] = field(default_factory=list)
    text: str = ""                       # every page's text (for 'Company:' / 'Period:' lines)
    candidate_pages: list[int] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    page_texts: dict[int, str] = field(default_factory=dict)   # page -> its text (OCR text for a scan)


def _signature(table: RawTable) -> tuple:
    return tuple(c.field if c else None for c in map_header(table.header))


def extract_pdf(path: Path, *, max_pages: int, deadline: float, ocr_langs: str | None) -> PdfResult:
    """Every cost table in the PDF, multi-page tables stitched into one RawTable.

    A row's bbox is (x0, top, x1, bottom) in PDF points on its page as a viewer shows it (after
    /Rotate), from the top left corner: pdfplumber's frame, so a crop of the page there shows the row.
    A table's bbox and header_x stay in the frame its page was read in (turned when its text runs
    sideways): they place the text above the table and the columns of its continuation."""
    check_bytes(path)
    pages = triage(path, max_pages)
    result = PdfResult(pages=len(pages), text="\n".join(p.text for p in pages),
                       page_texts={p.number: p.text for p in pages})
    scanned = [p.number for p in pages if p.chars == 0]
    result.candidate_pages = [p.number for p in pages if p.chars and looks_tabular(p.text)]
    if scanned and ocr_langs is None:
        raise DocumentError(f"needs OCR: run make system-deps (page{'s' if len(scanned) > 1 else ''} "
                            f"{', '.join(map(str, scanned[:10]))} hold{'' if len(scanned) > 1 else 's'} "
                            "no text, only images, and tesseract is not installed)", "cost_sheets.needs_ocr")
    import pdfplumber

    open_table: RawTable | None = None
    wanted = sorted(set(result.candidate_pages) | set(scanned))
    follow = set()
    with pdfplumber.open(str(path)) as pdf:
        for number in range(1, len(pages) + 1):
            if number not in wanted and number not in follow:
                open_table = None
                continue
            if time.monotonic() > deadline:
                raise DocumentError(f"timed out: extraction took longer than the limit at page {number} of "
                                    f"{len(pages)} (LEAKPIPE_PDF_TIMEOUT_SECONDS)", "cost_sheets.timeout")
            if number in scanned:
                words, found, frame, angle = ocr_page(path, number - 1, ocr_langs)
                result.ocr_pages.append(number)
                result.page_texts[number] = "\n".join(" ".join(w["text"] for w in line) for line in word_lines(words))
                result.text += "\n" + result.page_texts[number]
                page = None
            else:
                page = pdf.pages[number - 1]
                view, angle = reading_view(page)
                frame = page.bbox
                found = ruled_tables(view, number)
                recognised = [t for t in found if t.header and header_score(t.header) >= 3]
                continuing = [t for t in found if not t.header and open_table is not None
                              and len(t.rows) and len(t.rows[0].cells) == len(open_table.header)]
                found = [t for t in found if t in recognised or t in continuing]
                if not found:
                    words = view.extract_words(x_tolerance=1.5, y_tolerance=2, keep_blank_chars=False)
                    found = tables_from_words(words, number, "pdf_text")
            if not found and open_table is not None and open_table.header_x:
                found = [t for t in continuation_from_words(words, number, "ocr" if page is None else "pdf_text",
                                                            open_table) if _continues(open_table, t)]
            if angle:
                found = [as_shown(t, frame, angle) for t in found]
            floor = 0.0
            for k, table in enumerate(sorted(found, key=lambda t: (t.bbox or (0, 0))[1])):
                if page is not None and table.bbox:
                    table.context = context_above(view, table.bbox[1], floor)
                    floor = table.bbox[3]
                if k == 0 and open_table is not None and _continues(open_table, table):
                    open_table.rows.extend(table.rows)
                    continue
                result.tables.append(table)
                open_table = table
            if found:
                follow.add(number + 1)       # a table may run on without its header repeated
            else:
                open_table = None
            if page is not None:
                page.close()
    return result


def _continues(open_table: RawTable, table: RawTable) -> bool:
    """Is `table` (first on its page) the rest of `open_table` from the page before?"""
    if open_table.rows and any(is_total_label(c) for c in open_table.rows[-1].cells[:3] if isinstance(c, str)):
        return False
    marker = re.search(r"continued|fortsetzung|fortgesetzt|forts\.|\(cont", table.context or "", re.I)
    new_context = re.search(r"(?im)^\s*(unternehmen|company|zeitraum|period|tabelle|table)\b[^\n]*[:\d]",
                            table.context or "")
    if not table.header:
        return len(table.rows[0].cells) == len(open_table.header) if table.rows else False
    same = _signature(table) == _signature(open_table)
    return same and (bool(marker) or not new_context)
