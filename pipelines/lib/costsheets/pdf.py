"""Tables from PDF pages: cheap triage with pypdfium2, ruled tables with pdfplumber, unruled tables
from word positions, scanned pages through tesseract, tables that run over pages stitched.

pypdfium2 reads a page's text in a few milliseconds; pdfplumber needs a few hundred. Only pages
whose text looks like a table (or that follow a table, or have no text at all) reach pdfplumber.

A page whose text runs sideways (a /Rotate over content drawn upright, or text drawn turned) is read
turned so its text runs left to right, and so is a scan in which tesseract finds no table upright but
finds its text turned; a row's bbox is still given on the page as a viewer shows it.
"""
from __future__ import annotations

import math
import os
import re
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from statistics import median

from pipelines.lib.costsheets.errors import DocumentError
from pipelines.lib.costsheets.tables import RawRow, RawTable, transposed
from pipelines.lib.costsheets.triage import check_bytes, looks_tabular, triage
from pipelines.lib.costsheets.vocab import (
    header_score,
    is_total_label,
    is_units_row,
    map_header,
    read_header,
)


@dataclass
class PdfResult:
    pages: int
    tables: list[RawTable] = field(default_factory=list)
    text: str = ""                       # every page's text (for 'Company:' / 'Period:' lines)
    candidate_pages: list[int] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- tables from word positions

@dataclass
class _Phrase:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


def _lines(words: list[dict]) -> list[list[dict]]:
    """Words grouped into printed lines by their vertical middle, each line left to right."""
    if not words:
        return []
    tol = max(1.5, 0.5 * median(w["bottom"] - w["top"] for w in words))
    lines: list[list[dict]] = []
    mids: list[float] = []
    for w in sorted(words, key=lambda w: ((w["top"] + w["bottom"]) / 2, w["x0"])):
        mid = (w["top"] + w["bottom"]) / 2
        if lines and abs(mid - mids[-1]) <= tol:
            lines[-1].append(w)
        else:
            lines.append([w])
            mids.append(mid)
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _phrases(line: list[dict], gap: float) -> list[_Phrase]:
    out: list[_Phrase] = []
    for w in line:
        if out and w["x0"] - out[-1].x1 <= gap:
            p = out[-1]
            p.text, p.x1 = f"{p.text} {w['text']}", max(p.x1, w["x1"])
            p.top, p.bottom = min(p.top, w["top"]), max(p.bottom, w["bottom"])
        else:
            out.append(_Phrase(w["text"], w["x0"], w["x1"], w["top"], w["bottom"]))
    return out


def _units_joined(phrases: list[_Phrase], gap: float) -> list[_Phrase]:
    """'Utilization' + '(%)' -> 'Utilization (%)': a bracketed unit belongs to the label before it."""
    out: list[_Phrase] = []
    for p in phrases:
        if out and re.fullmatch(r"[\(\[][^\d]{0,12}[\)\]]", p.text) and p.x0 - out[-1].x1 <= gap \
                and not _has_digits(out[-1].text):
            q = out[-1]
            q.text, q.x1, q.bottom = f"{q.text} {p.text}", p.x1, max(q.bottom, p.bottom)
        else:
            out.append(p)
    return out


def _has_digits(text: str) -> bool:
    return bool(re.search(r"\d", text))


def _overlap(a0, a1, b0, b1) -> float:
    return min(a1, b1) - max(a0, b0)


def _phrased_lines(words: list[dict]) -> tuple[float, float, list[list[_Phrase]]]:
    """(median word height, the gap between columns, the page's lines as phrases); rule glyphs
    ('|', '—') are dropped."""
    words = [w for w in words if w["text"].strip() and not re.fullmatch(r"[|\[\]_—–-]+", w["text"].strip())]
    lines = _lines(words)
    if not lines:
        return 0.0, 0.0, []
    height = median(w["bottom"] - w["top"] for w in words)
    # words of one cell are a space apart (about half a character), columns at least a character
    char_width = median((w["x1"] - w["x0"]) / max(1, len(w["text"])) for w in words)
    gap = max(1.5, 1.1 * char_width)
    return height, gap, [_units_joined(_phrases(line, gap), 3 * gap) for line in lines]


def tables_from_words(words: list[dict], page: int, method: str) -> list[RawTable]:
    """Tables without rules: a header line naming >= 3 contract columns, then the lines below it
    that hold figures; each phrase goes to the header column it sits under."""
    height, gap, phrased = _phrased_lines(words)
    if not phrased:
        return []
    tables, i = [], 0
    while i < len(phrased):
        head = phrased[i]
        score = header_score([p.text for p in head])
        if score < 3 and not (score >= 1 and _header_wraps(phrased, i, height)):
            i += 1
            continue
        header, j = _wrapped_header(phrased, i, height, gap)
        if score < 3 and header_score([h.text for h in header]) < 3:
            i += 1          # 'Rechen-' / 'zentrum': only the whole header names three columns
            continue
        data, j = _data_lines(phrased, j, header[-1].bottom, height, gap)
        if data:
            tables.append(_assemble(header, data, page, method))
        i = j
    return tables


def _header_wraps(phrased: list[list[_Phrase]], i: int, height: float) -> bool:
    """Does the header line i go on in the line under it (close, no figures, a word hyphenated)?"""
    return i + 1 < len(phrased) and bool(phrased[i + 1]) \
        and min(p.top for p in phrased[i + 1]) - max(p.bottom for p in phrased[i]) < 1.2 * height \
        and any(p.text.endswith("-") for p in phrased[i]) \
        and not any(_has_digits(re.sub(r"[\(\[][^\)\]]*[\)\]]", "", p.text)) for p in phrased[i + 1])


def _wrapped_header(phrased: list[list[_Phrase]], i: int, height: float, gap: float) -> tuple[list[_Phrase], int]:
    """The header line i with the header text wrapped onto the lines under it; the next line's index."""
    header = [_Phrase(p.text, p.x0, p.x1, p.top, p.bottom) for p in phrased[i]]
    j = i + 1
    # header text wrapped onto the next lines ('Idle' / 'hours', 'Hashrate per GPU' / '(MH/s)'):
    # close below, and no figures outside brackets (data lines always hold figures)
    while j < len(phrased) and phrased[j] \
            and min(p.top for p in phrased[j]) - max(h.bottom for h in header) < 1.2 * height \
            and not any(_has_digits(re.sub(r"[\(\[][^\)\]]*[\)\]]", "", p.text)) for p in phrased[j]) \
            and not _leads_data_line(phrased, j, height, gap):
        for p in phrased[j]:
            best = max(header, key=lambda h: _overlap(h.x0, h.x1, p.x0, p.x1))
            if _overlap(best.x0, best.x1, p.x0, p.x1) <= 0:
                header.append(_Phrase(p.text, p.x0, p.x1, p.top, p.bottom))
                header.sort(key=lambda h: h.x0)
                continue
            joint = "\n" if best.text.endswith("-") else " "   # clean_label joins 'Rechen-' 'zentrum'
            best.text, best.x1, best.bottom = f"{best.text}{joint}{p.text}", max(best.x1, p.x1), p.bottom
        j += 1
    return header, j


def _is_data_line(line: list[_Phrase]) -> bool:
    texts = [p.text for p in line]
    if header_score(texts) >= 3:
        return False
    return sum(_has_digits(t) for t in texts) >= 2 or any(is_total_label(t) for t in texts[:2])


def _wrapped_text(line: list[_Phrase], above: list[_Phrase], step: float, spacing: float | None,
                  height: float, gap: float) -> bool:
    """Is `line` the rest of text cells of the line above, wrapped ('Frankfurt am' / 'Main')? Set
    tight under it, no figures, and each phrase aligned in a text cell of the line above and not
    running into the next cell."""
    if step > 0.6 * height or (spacing is not None and step > 0.75 * spacing):
        return False
    if any(_has_digits(p.text) or is_total_label(p.text) for p in line):
        return False
    for p in line:
        k = next((k for k, q in enumerate(above) if not _has_digits(q.text)
                  and (abs(p.x0 - q.x0) <= 2 * gap or abs(p.x1 - q.x1) <= 2 * gap)), None)
        if k is None or (k + 1 < len(above) and p.x1 > above[k + 1].x0 - gap):
            return False
    return True


def _leads_data_line(phrased: list[list[_Phrase]], j: int, height: float, gap: float) -> bool:
    """Is line j the first part of text cells of the line of figures right under it (text centred
    on its row, so it starts above the figures)?"""
    if j + 1 >= len(phrased) or _is_data_line(phrased[j]) or not _is_data_line(phrased[j + 1]):
        return False
    line, below = phrased[j], phrased[j + 1]
    step = min(p.top for p in below) - max(p.bottom for p in line)
    if step > 0.6 * height or any(_has_digits(p.text) or is_total_label(p.text) for p in line):
        return False
    # each phrase sits in a cell the line of figures leaves empty
    return not any(_overlap(p.x0 - gap, p.x1 + gap, q.x0, q.x1) > 0 for p in line for q in below)


def _data_lines(phrased: list[list[_Phrase]], j: int, last_bottom: float, height: float, gap: float,
                spacing: float | None = None) -> tuple[list[list[_Phrase]], int]:
    """The lines of figures from line j on, up to a wider gap, a new header or a line without figures."""
    data = []
    while j < len(phrased):
        line = phrased[j]
        step = min(p.top for p in line) - last_bottom
        # (only between lines of figures: a short note set tight under the last line is not its text)
        if data and j + 1 < len(phrased) and _is_data_line(phrased[j + 1]) \
                and _wrapped_text(line, data[-1], step, spacing, height, gap):
            data[-1] = data[-1] + line
            last_bottom = max(p.bottom for p in line)
            j += 1
            continue
        if spacing is not None and step > max(2.5 * spacing, 1.8 * height) or \
                spacing is None and step > 3 * height:
            break
        if _leads_data_line(phrased, j, height, gap):
            line = line + phrased[j + 1]        # text set above its line's figures ('Frankfurt am' / figures)
            j += 1
        elif not _is_data_line(line):
            break
        data.append(line)
        spacing = step if spacing is None else min(max(step, 0.5), spacing) if step > 0 else spacing
        last_bottom = max(p.bottom for p in line)
        j += 1
    return data, j


def continuation_from_words(words: list[dict], page: int, method: str, open_table: RawTable) -> list[RawTable]:
    """Lines of figures at the top of a page that has no header of its own, read under the columns of
    the unruled table left open on the page before (its header is not repeated after the break).
    The lines must start within the page's first three lines and sit inside that table's width."""
    if not open_table.header_x or not open_table.bbox:
        return []
    height, gap, phrased = _phrased_lines(words)
    if not phrased:
        return []
    start = next((k for k, line in enumerate(phrased[:3]) if _is_data_line(line)), None)
    if start is None:
        return []
    left, right = open_table.bbox[0] - 3 * gap, open_table.bbox[2] + 3 * gap
    first = phrased[start]
    data, _ = _data_lines(phrased, start + 1, max(p.bottom for p in first), height, gap)
    data = [first] + data
    inside = [line for line in data if all(left <= p.x0 and p.x1 <= right for p in line)
              and len(line) <= len(open_table.header)]
    data = data[:len(inside)] if inside == data[:len(inside)] else []
    if not data:
        return []
    header = [_Phrase(h or "", x0, x1, 0.0, 0.0) for h, (x0, x1) in zip(open_table.header, open_table.header_x)]
    table = _assemble(header, data, page, method)
    table.header, table.header_x = [], open_table.header_x
    return [table]


def _assemble(header: list[_Phrase], data: list[list[_Phrase]], page: int, method: str) -> RawTable:
    x0 = min(min(p.x0 for p in header), min(p.x0 for line in data for p in line))
    x1 = max(max(p.x1 for p in header), max(p.x1 for line in data for p in line))
    rows = []
    for line in data:
        cells: list[str | None] = [None] * len(header)
        for p in line:
            scores = [_overlap(h.x0, h.x1, p.x0, p.x1) for h in header]
            k = max(range(len(header)), key=lambda n: scores[n])
            if scores[k] <= 0:
                center = (p.x0 + p.x1) / 2
                k = min(range(len(header)), key=lambda n: min(abs(center - header[n].x0),
                                                                 abs(center - header[n].x1)))
            cells[k] = p.text if cells[k] is None else f"{cells[k]} {p.text}"
        top, bottom = min(p.top for p in line), max(p.bottom for p in line)
        rows.append(RawRow(cells, page, (round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2))))
    top = min(p.top for p in header) if any(p.bottom for p in header) else rows[0].bbox[1]
    return RawTable([h.text for h in header], rows, page, method,
                    bbox=(x0, top, x1, rows[-1].bbox[3]), header_x=[(h.x0, h.x1) for h in header])


# ---------------------------------------------------------------- ruled tables (pdfplumber)

def _ruled_tables(page, page_no: int) -> list[RawTable]:
    out = []
    for table in page.find_tables():
        grid = table.extract()
        if not grid:
            continue
        bboxes = [r.bbox for r in table.rows]
        turned = transposed(grid)     # one column per site: its columns are the lines
        if turned:
            grid, bboxes = turned, [None, *(c.bbox for c in table.columns[1:])]
        header_at = next((k for k, cells in enumerate(grid[:4]) if header_score(cells) >= 3), None)
        header = grid[header_at] if header_at is not None else []
        start = header_at + 1 if header_at is not None else 0
        if header and start < len(grid) and _sub_header(grid[start]):
            # a two-level header: cells merged down over both rows keep the upper text; a group label
            # ('Energie') above its columns ('Leistung (kW)', 'Strompreis') gives way to them
            header = [(b if read_header(b) else f"{a}\n{b}" if a and b else a or b)
                      for a, b in zip(header, list(grid[start]) + [None] * len(header))]
            start += 1
        rows = [RawRow([(c or "").replace("\n", " ").strip() or None for c in cells], page_no,
                       tuple(round(v, 2) for v in bboxes[k]))
                for k, cells in enumerate(grid) if k >= start and any((c or "").strip() for c in cells)]
        if header:
            rows = [r for r in rows if [c or "" for c in r.cells] != [(h or "").replace("\n", " ").strip()
                                                                      for h in header]]
        # a header cell's line breaks stay: clean_label joins a word hyphenated across them
        out.append(RawTable([(h or "").strip() or None for h in header], rows, page_no,
                            "pdf_lines", bbox=tuple(table.bbox), transposed=bool(turned)))
    return out


def _sub_header(cells: list) -> bool:
    """A second header row: names at least one contract column, holds no figures and is not a
    row of units only (those are read by normalise)."""
    texts = [c for c in cells if c and c.strip()]
    return bool(texts) and not is_units_row(texts) and header_score(cells) >= 1 \
        and not any(re.search(r"\d", re.sub(r"[\(\[][^\)\]]*[\)\]]", "", c)) for c in texts)


def _context_above(page, top: float, floor: float) -> str:
    if top - floor < 2:
        return ""
    try:
        return page.crop((0, max(0, floor), page.width, top)).extract_text() or ""
    except ValueError:
        return ""


# ---------------------------------------------------------------- pages whose text runs sideways
# pdfplumber gives every position on the page as a viewer shows it (after /Rotate), x from the left
# and top from the top. A page whose text runs down, up or upside down in that frame is read in a
# frame turned anticlockwise by the text's angle, where the text runs left to right.

_Box = tuple[float, float, float, float]


def _text_angle(char: dict) -> int:
    """How far a char's baseline is turned clockwise on the page, to the nearest 90 degrees."""
    a, b = char["matrix"][:2]
    return round(math.degrees(math.atan2(-b, a)) / 90) % 4 * 90


def _reading_angle(chars: list[dict]) -> int:
    """The angle most of the page's printed chars are turned by (0 when none are, or as many)."""
    angles = Counter(_text_angle(c) for c in chars if c["text"].strip())
    return max(angles, key=lambda a: (angles[a], a == 0), default=0)


def _turned_frame(frame: _Box, angle: int) -> _Box:
    """The page's box turned anticlockwise by `angle`: the same corner, width and height swapped at
    90 and 270 degrees."""
    x0, top, x1, bottom = frame
    return (x0, top, x0 + bottom - top, top + x1 - x0) if angle % 180 else frame


def _turn_point(x: float, top: float, frame: _Box, angle: int) -> tuple[float, float]:
    """A point on the page (box `frame`) where it lands when the page is turned anticlockwise by
    `angle`; turning back is turning the turned frame by 360 - angle."""
    x0, t0, x1, t1 = frame
    u, v, width, height = x - x0, top - t0, x1 - x0, t1 - t0
    u, v = {0: (u, v), 90: (v, width - u), 180: (width - u, height - v), 270: (height - v, u)}[angle]
    return x0 + u, t0 + v


def _turn_box(box: _Box, frame: _Box, angle: int) -> _Box:
    (ax, at), (bx, bt) = _turn_point(box[0], box[1], frame, angle), _turn_point(box[2], box[3], frame, angle)
    return min(ax, bx), min(at, bt), max(ax, bx), max(at, bt)


def _turn_object(obj: dict, frame: _Box, angle: int) -> dict:
    """A pdfplumber object (char, line, rect, curve, image) on the page turned by `angle`; a char
    is upright when it runs along the turned page's lines (its matrix stays as printed)."""
    x0, top, x1, bottom = _turn_box((obj["x0"], obj["top"], obj["x1"], obj["bottom"]), frame, angle)
    turned_bottom = _turned_frame(frame, angle)[3]
    out = {**obj, "x0": x0, "top": top, "x1": x1, "bottom": bottom, "width": x1 - x0, "height": bottom - top,
           "y0": turned_bottom - bottom, "y1": turned_bottom - top, "doctop": obj["doctop"] - obj["top"] + top}
    if "pts" in obj:
        out["pts"] = [_turn_point(x, t, frame, angle) for x, t in obj["pts"]]
    if "path" in obj:
        out["path"] = [(cmd, *(_turn_point(x, t, frame, angle) for x, t in pts)) for cmd, *pts in obj["path"]]
    if obj.get("object_type") == "char":
        out["upright"] = _text_angle(obj) == angle
    return out


def _reading_view(page):
    """(the page as it is read, the angle it is turned by): the page itself when most of its text is
    upright, else a pdfplumber page holding its objects turned so that text runs left to right (ruled
    tables, words and the text above a table are then read there as on any page)."""
    from pdfplumber.page import CroppedPage

    angle = _reading_angle(page.chars)
    if angle == 0:
        return page, 0
    # a derived page over the turned frame whose 'crop' of each object list turns the objects
    return CroppedPage(page, _turned_frame(page.bbox, angle), strict=False,
                       crop_fn=lambda objs, _: [_turn_object(o, page.bbox, angle) for o in objs]), angle


def _as_shown(table: RawTable, frame: _Box, angle: int) -> RawTable:
    """A table read on a page turned by `angle`, its rows' bboxes turned back onto the page (box
    `frame`) as a viewer shows it."""
    turned, back = _turned_frame(frame, angle), (360 - angle) % 360
    return replace(table, rows=[replace(r, bbox=tuple(round(v, 2) for v in _turn_box(r.bbox, turned, back)))
                                if r.bbox else r for r in table.rows])


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
             ) -> tuple[list[dict], list[RawTable], _Box, int]:
    """(words, tables, the page's box, angle) of a scanned page, read by tesseract as a viewer shows it.

    Only when that reading finds no table does tesseract's orientation detection run (it costs about
    a second a page): a page it finds turned (a landscape sheet scanned sideways, a page scanned upside
    down) is read again turned anticlockwise by `angle`, so its text runs left to right. Words, tables
    and rows' bboxes are then in that turned frame, like a pdfplumber page turned by _reading_view;
    _as_shown turns the rows' bboxes back onto the page's box (PDF points, top-left origin as a viewer
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
                result.text += "\n" + "\n".join(" ".join(w["text"] for w in line) for line in _lines(words))
                page = None
            else:
                page = pdf.pages[number - 1]
                view, angle = _reading_view(page)
                frame = page.bbox
                found = _ruled_tables(view, number)
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
                found = [_as_shown(t, frame, angle) for t in found]
            floor = 0.0
            for k, table in enumerate(sorted(found, key=lambda t: (t.bbox or (0, 0))[1])):
                if page is not None and table.bbox:
                    table.context = _context_above(view, table.bbox[1], floor)
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
