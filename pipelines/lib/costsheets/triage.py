"""Cheap checks before any table is read: the bytes are a whole PDF (check_bytes), every page's
text, char count and image count via pypdfium2 (triage), and whether a page's text looks like a
table (looks_tabular).

pypdfium2 reads a page's text in a few milliseconds; pdfplumber needs a few hundred. Only pages
whose text looks like a table (or that follow a table, or have no text at all) reach pdfplumber.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipelines.lib.costsheets.errors import DocumentError
from pipelines.lib.costsheets.vocab import synonyms


@dataclass
class PageText:
    number: int           # 1-based
    text: str
    chars: int
    images: int


_NUMBER_TOKEN = re.compile(r"(?<![\w.,])[-(]?\d[\d.,\u00a0\u202f']*%?(?![\w])")


def check_bytes(path: Path) -> None:
    """Reject what is not a complete PDF before any parser sees it."""
    size = path.stat().st_size
    if size == 0:
        raise DocumentError("empty file (0 bytes)", "cost_sheets.empty")
    with open(path, "rb") as fh:
        head = fh.read(1024)
        fh.seek(max(0, size - 2048))
        tail = fh.read()
    if b"%PDF-" not in head:
        looks = "HTML" if re.search(rb"<(!doctype|html|head|body)", head, re.I) else \
            "text" if all(32 <= b < 127 or b in (9, 10, 13) for b in head[:256]) else "binary data"
        raise DocumentError(f"not a PDF: the file is named .pdf but holds {looks} (no %PDF- header)",
                            "cost_sheets.not_a_pdf")
    if b"%%EOF" not in tail:
        raise DocumentError(f"truncated or damaged PDF: no end-of-file marker ({size} bytes; "
                            "the file was probably cut off in transfer)", "cost_sheets.truncated_pdf")


def triage(path: Path, max_pages: int) -> list[PageText]:
    """Every page's text, char count and image count, via pypdfium2 (fast)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            raise DocumentError("encrypted PDF: it needs a password to open, so its tables cannot be read",
                                "cost_sheets.encrypted_pdf") from exc
        raise DocumentError(f"damaged PDF: PDFium cannot open it ({exc})", "cost_sheets.damaged_pdf") from exc
    try:
        count = len(pdf)
        if count == 0:
            raise DocumentError("the PDF has no pages", "cost_sheets.no_pages")
        if count > max_pages:
            raise DocumentError(f"over the page limit: {count} pages > {max_pages} "
                                "(LEAKPIPE_PDF_MAX_PAGES)", "cost_sheets.too_many_pages")
        out = []
        for i in range(count):
            page = pdf[i]
            textpage = page.get_textpage()
            chars = textpage.count_chars()
            text = textpage.get_text_range() if chars else ""
            images = 0 if chars else sum(1 for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE],
                                                                     max_depth=2))
            out.append(PageText(i + 1, text.replace("\r\n", "\n"), chars, images))
            textpage.close()
            page.close()
        return out
    finally:
        pdf.close()


@lru_cache(maxsize=1)
def _keywords() -> re.Pattern:
    words = sorted({s for s, _, _ in synonyms() if len(s) >= 3}, key=len, reverse=True)
    return re.compile(r"(?<![a-zäöüß])(" + "|".join(map(re.escape, words)) + r")(?![a-zäöüß])", re.I)


def looks_tabular(text: str) -> bool:
    """Cheap test on a page's text: header words, and several lines with three or more numbers or
    several rows of a table with one column per site (two sites give two figures a line)."""
    lines = text.splitlines()
    numeric_lines = sum(1 for line in lines if len(_NUMBER_TOKEN.findall(line)) >= 3)
    keywords = {m.lower() for m in _keywords().findall(text)}
    if len(keywords) >= 3 and (numeric_lines >= 2 or sum(map(_measure_row, lines)) >= 2):
        return True
    # a table of one line: one line of figures under a line naming three columns
    return numeric_lines == 1 and any(len({m.lower() for m in _keywords().findall(line)}) >= 3
                                      for line in lines)


def _measure_row(line: str) -> bool:
    """A row of a table with one column per site as the page's text has it: a label naming a measure
    ('Anzahl', 'Leistung (kW)'), then two or more figures and nothing else ('1.024 512', '€ 745,2 €
    210,9'); prose seldom ends a line in a run of bare figures."""
    figures = list(_NUMBER_TOKEN.finditer(line))
    if len(figures) < 2:
        return False
    start = figures[0].start()
    return re.fullmatch(r"[\s$€£%]*", _NUMBER_TOKEN.sub("", line[start:])) is not None \
        and _keywords().search(line[:start]) is not None
