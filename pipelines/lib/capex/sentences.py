"""Press text cut into sentences (`sentences`): paragraphs, headings and list items, and sentence ends
that are not abbreviations ('Mrd.', 'Inc.') or day numbers ('28. März').
"""
from __future__ import annotations

import re

_ABBREVIATIONS = re.compile(r"(?:\b(?:Mrd|Mio|Tsd|Bio|bn|Inc|Corp|Co|Ltd|Nr|St|Dr|Mr|Mrs|Ms|vs|ca|bzw|"
                            r"usw|approx|Jan|Feb|Mar|Mär|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Okt|Nov|Dec|Dez|U\.S|"
                            r"z\.B|d\.h|u\.a|Md)|\b[A-Z]|\b\d{1,2})\.$")
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)]*\s+(?=[\"'“„(]?[A-ZÄÖÜ0-9$€£])")
# Lines that stand alone: headings, list items, 'Key: value' header lines.
_STANDALONE = re.compile(r"\s*(?:#|[-*•]\s|\d+\.\s+[A-Z]|[A-ZÄÖÜ][\w ÄÖÜäöü-]{0,30}:\s)")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence. Paragraphs are split at blank lines; headings, list items and
    'Source: ...' lines stand alone; inside a paragraph a sentence ends at . ! ? before a capital,
    but not after an abbreviation ('Mrd.', 'Inc.') or a day number ('28. März')."""
    spans = []
    for p_start, p_end in _paragraphs(text):
        start = p_start
        for m in _SENTENCE_END.finditer(text, p_start, p_end):
            if _ABBREVIATIONS.search(text[start:m.start() + 1].rstrip()):
                continue
            if text[start:m.start()].strip():
                spans.append(_trim(text, start, m.end()))
            start = m.end()
        if text[start:p_end].strip():
            spans.append(_trim(text, start, p_end))
    return [piece for span in spans for piece in _cap(text, *span)]


MAX_SENTENCE = 1500


def _cap(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A 'sentence' longer than MAX_SENTENCE (a page without punctuation) is cut at spaces, so that
    the work per amount stays bounded whatever the input."""
    pieces = []
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        pieces.append((start, cut))
        start = cut + 1 if text[cut:cut + 1] == " " else cut
    return pieces + [(start, end)]


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, start, pos = [], None, 0
    for line in text.splitlines(keepends=True):
        line_start, pos = pos, pos + len(line)
        if not line.strip() or _STANDALONE.match(line):
            if start is not None:
                out.append((start, line_start))
                start = None
            if line.strip():
                out.append((line_start, pos))
            continue
        if start is None:
            start = line_start
    if start is not None:
        out.append((start, len(text)))
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
