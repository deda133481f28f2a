"""Header rows as spreadsheets print them: over two rows, with merged cells, above notes.

- A group label over two or more columns (a merged cell 'Zeitraum' over 'von' | 'bis', or in a CSV
  export 'Hashrate' followed by empty cells over 'pro GPU (MH/s)' | 'gesamt (TH/s)') is joined with
  the label under it: 'Zeitraum von', 'Zeitraum bis', 'Hashrate pro GPU (MH/s)'.
- A row of notes ('Hinweis: Werte vorläufig', '* inkl. MwSt.', 'Quelle: Controlling') is not a line.
"""
from __future__ import annotations

import re

from pipelines.lib.costsheets.vocab import header_score, is_units_row

_UNIT_PARTS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NOTE = re.compile(r"^\s*(?:hinweis|hinweise|anmerkung|anmerkungen|bemerkung|fußnote|note|notes|remark|source|"
                   r"quelle|stand|erstellt|created|prepared|vertraulich|confidential|entwurf|draft|"
                   r"[*¹²³⁴⁵†‡]|\(\d\))", re.I)


def _str(cell) -> str:
    return cell.strip() if isinstance(cell, str) else ""


def _texts(row) -> list[str | None]:
    return [c if isinstance(c, str) else None for c in row]


def is_note_row(row) -> bool:
    """A row of one or two filled cells that is a note, a source or a remark, not a line: it starts
    with a note word or mark, or is one long sentence."""
    filled = [c for c in row if c is not None and str(c).strip()]
    if not filled or len(filled) > 2 or not all(isinstance(c, str) for c in filled):
        return False
    first = filled[0].strip()
    return bool(_NOTE.match(first)) or len(filled) == 1 and len(first) > 40 and " " in first


def _sub_labels(row) -> bool:
    """Labels that can stand under a group label: text only, no figure outside a unit in brackets."""
    filled = [c for c in row if c is not None and str(c).strip()]
    return (len(filled) >= 2 and all(isinstance(c, str) for c in filled)
            and not any(re.search(r"\d", _UNIT_PARTS.sub("", c)) for c in filled) and not is_units_row(list(row)))


def _spread(row: list, below: list, spans: list[tuple[int, int]]) -> tuple[list, bool]:
    """The row with each group label written over every column it covers: a merged cell's columns
    (`spans`, 0-based inclusive), or, without merges, the empty cells to its right over labels."""
    out = list(row) + [None] * max(0, len(below) - len(row))
    grouped = False
    for c0, c1 in spans:
        if _str(out[c0]):
            for k in range(c0 + 1, min(c1 + 1, len(out))):
                out[k] = out[c0]
            grouped = grouped or c1 > c0
    if not spans:
        for k in range(1, len(out)):
            if not _str(out[k]) and _str(out[k - 1]) and k < len(below) and _str(below[k]) \
                    and k - 1 < len(below) and _str(below[k - 1]):
                out[k] = out[k - 1]
                grouped = True
    return out, grouped


def _joined(top, bottom) -> str | None:
    a, b = _str(top), _str(bottom)
    if a and b and a.lower() != b.lower():
        return f"{a} {b}"
    return a or b or None


def two_row_header(row: list, below: list | None, spans: list[tuple[int, int]] = ()) -> list | None:
    """The header printed over `row` and `below` as one row of labels, or None when `below` is not
    the header's second row (it holds figures, is a units row, or adds nothing the vocabulary reads)."""
    if below is None or not _sub_labels(below) or len({_str(c) for c in row if _str(c)}) < 2:
        return None            # a title over the header (one label over everything) is no group label
    top, grouped = _spread(row, below, list(spans))
    width = max(len(top), len(below))
    top, low = list(top) + [None] * (width - len(top)), list(below) + [None] * (width - len(below))
    combined = [_joined(a, b) for a, b in zip(top, low)]
    score, alone, under = header_score(combined), header_score(_texts(row)), header_score(_texts(below))
    if score < 3 or score < under or not (grouped or score > alone):
        return None
    return combined
