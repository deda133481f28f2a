"""Tables from PDF pages: cheap triage with pypdfium2, ruled tables with pdfplumber, unruled tables
from word positions, scanned pages through tesseract, tables that run over pages stitched.

pypdfium2 reads a page's text in a few milliseconds; pdfplumber needs a few hundred. Only pages
whose text looks like a table (or that follow a table, or have no text at all) reach pdfplumber.

A page whose text runs sideways (a /Rotate over content drawn upright, or text drawn turned) is read
turned so its text runs left to right, and so is a scan in which tesseract finds no table upright but
finds its text turned; a row's bbox is still given on the page as a viewer shows it.
"""
from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.lib.costsheets.errors import DocumentError
from pipelines.lib.costsheets.rotation import Box, as_shown, reading_view
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


# ---------------------------------------------------------------- OCR

def ocr_available() -> str | None:
    """The tesseract languages to use ('deu+eng'), or None when tesseract is not installed."""
    import shutil

    if shutil.which("tesseract") is None:
        return None
    try:
        import pytesseract

        langs = set(pytesseract.get_languages(config=""))
    except Exception:
        return None
    chosen = [lang for lang in ("deu", "eng") if lang in langs]
    return "+".join(chosen) if chosen else None


def _long_runs(dark, length: int):
    """Pixels on a vertical run of at least `length` dark pixels (down the rows of `dark`)."""
    import numpy as np

    cs = np.cumsum(dark, axis=0, dtype=np.int32)
    starts = (cs[length:, :] - cs[:-length, :]) >= length - 2
    mask = np.zeros_like(dark)
    for shift in range(0, length, max(1, length // 8)):
        mask[shift:shift + starts.shape[0], :] |= starts
    return mask


def _erase_rules(gray):
    """Turn long horizontal and vertical dark runs (table rules) white so tesseract reads only text."""
    dark = gray < 140
    out = gray.copy()
    out[_long_runs(dark, max(60, gray.shape[0] // 40)) & dark] = 255        # vertical rules
    out[_long_runs(dark.T, max(60, gray.shape[1] // 25)).T & dark] = 255    # horizontal rules
    return out


def _ocr_words(gray, langs: str, points_per_pixel: float) -> list[dict]:
    """Words in a grayscale page image (rules erased first) with their boxes in PDF points, in the
    image's own frame (tesseract via pytesseract)."""
    import pytesseract
    from PIL import Image

    data = pytesseract.image_to_data(Image.fromarray(_erase_rules(gray)), lang=langs, config="--psm 6",
                                     output_type=pytesseract.Output.DICT)
    k = points_per_pixel
    words = []
    for text, conf, left, top, width, height in zip(data["text"], data["conf"], data["left"], data["top"],
                                                    data["width"], data["height"]):
        text = (text or "").strip().strip("|")
        if not text or float(conf) < 0:
            continue
        words.append({"text": text, "x0": left * k, "x1": (left + width) * k, "top": top * k,
                      "bottom": (top + height) * k})
    return words


# tesseract's orientation confidence: 5 to 20 on the pages tried, tables of a few lines included; a
# guess below this (specks, a line or two of text) is as likely wrong as right
_MIN_ORIENTATION_CONFIDENCE = 2.0


def _osd_angle(osd: str) -> int:
    """How far the text is turned clockwise, from tesseract's orientation report (`image_to_osd`);
    0 when the report is missing a figure or not confident. Its 'Rotate' is the clockwise turn that
    sets the text upright, so the text is turned clockwise by the rest of a full turn."""
    rotate = re.search(r"^Rotate: (\d+)", osd, re.M)
    confidence = re.search(r"^Orientation confidence: ([\d.]+)", osd, re.M)
    if rotate is None or confidence is None or float(confidence[1]) < _MIN_ORIENTATION_CONFIDENCE:
        return 0
    return (360 - int(rotate[1])) % 360 if int(rotate[1]) in (90, 180, 270) else 0


def ocr_page(path: Path, page_index: int, langs: str, dpi: int = 300
             ) -> tuple[list[dict], list[RawTable], Box, int]:
    """(words, tables, the page's box, angle) of a scanned page, read by tesseract as a viewer shows it.

    Only when that reading finds no table does tesseract's orientation detection run (it costs about
    a second a page): a page it finds turned (a landscape sheet scanned sideways, a page scanned upside
    down) is read again turned anticlockwise by `angle`, so its text runs left to right. Words, tables
    and rows' bboxes are then in that turned frame, like a pdfplumber page turned by reading_view;
    as_shown turns the rows' bboxes back onto the page's box (PDF points, top-left origin as a viewer
    shows it). When detection fails (too little text, tesseract's error) the upright reading stays."""
    import numpy as np
    import pypdfium2 as pdfium
    import pytesseract
    from PIL import Image

    # Documents already run in parallel in the extraction pool; tesseract's own OpenMP threads then
    # only contend for the same cores (two scanned pages on 2 cores: 30 s with them, 6 s without).
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    pdf = pdfium.PdfDocument(str(path))
    try:
        gray = np.asarray(pdf[page_index].render(scale=dpi / 72.0, grayscale=True).to_pil().convert("L"))
    finally:
        pdf.close()
    k = 72.0 / dpi
    frame = (0.0, 0.0, gray.shape[1] * k, gray.shape[0] * k)
    words = _ocr_words(gray, langs, k)
    tables = tables_from_words(words, page_index + 1, "ocr")
    if tables:
        return words, tables, frame, 0
    try:
        angle = _osd_angle(pytesseract.image_to_osd(Image.fromarray(gray)))
    except pytesseract.TesseractError:
        angle = 0
    if not angle:
        return words, tables, frame, 0
    words = _ocr_words(np.rot90(gray, angle // 90), langs, k)
    return words, tables_from_words(words, page_index + 1, "ocr"), frame, angle


# ---------------------------------------------------------------- the document

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
    result = PdfResult(pages=len(pages), text="\n".join(p.text for p in pages))
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
                result.text += "\n" + "\n".join(" ".join(w["text"] for w in line) for line in word_lines(words))
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
