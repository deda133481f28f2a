"""Tables without rules, from word positions (pdfplumber's words on a text page, tesseract's on a
scan): a header line naming >= 3 contract columns, then the lines of figures under it, each phrase
under the header column it sits below; and the lines of figures at the top of the next page that
continue such a table without repeating its header.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from pipelines.lib.costsheets.tables import RawRow, RawTable
from pipelines.lib.costsheets.vocab import header_score, is_total_label


@dataclass
class _Phrase:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


def word_lines(words: list[dict]) -> list[list[dict]]:
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
    lines = word_lines(words)
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


# a cell that is one figure: digits with separators, a sign, brackets, a percent or currency sign around it
_FIGURE = re.compile(r"^[-+(]?[$€£]?\s?\d[\d.,'\u202f ]*\)?\s?%?$")


def _assemble(header: list[_Phrase], data: list[list[_Phrase]], page: int, method: str) -> RawTable:
    x0 = min(min(p.x0 for p in header), min(p.x0 for line in data for p in line))
    x1 = max(max(p.x1 for p in header), max(p.x1 for line in data for p in line))
    rows = []
    for line in data:
        cells: list[str | None] = [None] * len(header)
        for p in line:
            scores = [_overlap(h.x0, h.x1, p.x0, p.x1) for h in header]
            k = max(range(len(header)), key=lambda n: scores[n])
            if scores[k] <= 0 and _FIGURE.match(p.text):
                # a figure under no header is right-aligned in its column: the header whose right edge is
                # nearest ('3,86' between 'Coins' and 'Erlös (€)' belongs to Coins, whose edge it lines up under)
                k = min(range(len(header)), key=lambda n: abs(p.x1 - header[n].x1))
            elif scores[k] <= 0:
                center = (p.x0 + p.x1) / 2
                k = min(range(len(header)), key=lambda n: min(abs(center - header[n].x0),
                                                                 abs(center - header[n].x1)))
            cells[k] = p.text if cells[k] is None else f"{cells[k]} {p.text}"
        top, bottom = min(p.top for p in line), max(p.bottom for p in line)
        rows.append(RawRow(cells, page, (round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2))))
    top = min(p.top for p in header) if any(p.bottom for p in header) else rows[0].bbox[1]
    return RawTable([h.text for h in header], rows, page, method,
                    bbox=(x0, top, x1, rows[-1].bbox[3]), header_x=[(h.x0, h.x1) for h in header])
