"""Which language a press text is in, and the letter class and whole-word patterns the capex
readers of English and German text share.

- `LETTER`: the letters of English and German words, for word boundaries (`\b` stops at 'ä').
- `whole_words`: a regex alternation that matches whole words only.
- `language_of`: 'de' or 'en', by counting common words.
"""
from __future__ import annotations

import re

LETTER = r"A-Za-zÄÖÜäöüß"


def whole_words(pattern: str) -> str:
    """A regex alternation that matches whole words only."""
    return rf"(?<![{LETTER}])(?:{pattern})(?![{LETTER}])"


_STOP = {
    "de": {"der", "die", "das", "und", "ist", "mit", "von", "für", "bis", "zu", "im", "am", "den", "dem", "des",
           "ein", "eine", "einer", "auf", "nicht", "sich", "wird", "werden", "hat", "haben", "milliarden", "mrd",
           "rund", "laut", "nach", "sowie", "soll", "sollen", "über", "jahren", "als", "mehr", "auch", "bei", "zum",
           "zur", "vom", "kündigte", "teilte", "sagte", "seine", "ihre", "investiert", "unternehmen", "konzern"},
    "en": {"the", "and", "is", "with", "of", "for", "to", "on", "its", "has", "have", "said", "billion", "plans",
           "that", "by", "was", "are", "from", "over", "years", "would", "which", "this", "it", "company", "spend",
           "invest", "expects"},
}
_WORD = re.compile(rf"[{LETTER}]+")


def language_of(text: str, default: str = "en") -> str:
    """'de' or 'en' by counting common words; `default` when the text gives no clear sign."""
    counts = {"de": 0, "en": 0}
    for word in _WORD.findall(text.lower()):
        for lang, words in _STOP.items():
            counts[lang] += word in words
    if counts["de"] == counts["en"]:
        return default
    return "de" if counts["de"] > counts["en"] else "en"
