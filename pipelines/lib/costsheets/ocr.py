"""Scanned pages through tesseract: table rules erased, words placed in PDF points, tables read from
their positions; a scan in which no table is found upright is read again turned when tesseract finds
its text turned.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from pipelines.lib.costsheets.rotation import Box
from pipelines.lib.costsheets.tables import RawTable
from pipelines.lib.costsheets.words import tables_from_words


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

    # Documents already run in parallel in the extraction pool; tesseract's own OpenMP threads then
    # only contend for the same cores (two scanned pages on 2 cores: 30 s with them, 6 s without).
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    pdf = pdfium.PdfDocument(str(path))
    try:
        gray = np.asarray(pdf[page_index].render(scale=dpi / 72.0, grayscale=True).to_pil().convert("L"))
    finally:
        pdf.close()
    return ocr_gray(gray, page_index + 1, langs, 72.0 / dpi, "ocr")


def ocr_gray(gray, page: int, langs: str, points_per_pixel: float, method: str
             ) -> tuple[list[dict], list[RawTable], Box, int]:
    """(words, tables, the image's box, angle) of a grayscale page image (a rendered scanned PDF page,
    or a scanned or photographed page given as an image file), as `ocr_page` describes; boxes are in
    pixels times `points_per_pixel`."""
    import numpy as np
    import pytesseract
    from PIL import Image

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    k = points_per_pixel
    frame = (0.0, 0.0, gray.shape[1] * k, gray.shape[0] * k)
    words = _ocr_words(gray, langs, k)
    tables = tables_from_words(words, page, method)
    if tables:
        return words, tables, frame, 0
    try:
        angle = _osd_angle(pytesseract.image_to_osd(Image.fromarray(gray)))
    except pytesseract.TesseractError:
        angle = 0
    if not angle:
        return words, tables, frame, 0
    words = _ocr_words(np.rot90(gray, angle // 90), langs, k)
    return words, tables_from_words(words, page, method), frame, angle
