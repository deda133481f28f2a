"""Ruled tables from pdfplumber's line finder (a table with one column per site is turned to one
row per site, a two-level header read as one), and the text printed above a table on its page.
"""
from __future__ import annotations

import re

from pipelines.lib.costsheets.tables import RawRow, RawTable, transposed
from pipelines.lib.costsheets.vocab import header_score, is_units_row, read_header


def ruled_tables(page, page_no: int) -> list[RawTable]:
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


def context_above(page, top: float, floor: float) -> str:
    if top - floor < 2:
        return ""
    try:
        return page.crop((0, max(0, floor), page.width, top)).extract_text() or ""
    except ValueError:
        return ""
