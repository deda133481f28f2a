"""How long a capex plan runs, or whether its amount is a yearly rate.

- `find_horizon`: "over 15 years", "in den nächsten fünf Jahren", "bis 2028", "for 2024"; and rates
  ("$10bn a year", "jährlich", "pro Jahr"): the amount is then per year, never multiplied out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from pipelines.lib.capex.language import LETTER

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "ein": 1, "einem": 1,
    "eins": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9,
    "zehn": 10, "elf": 11, "zwölf": 12, "fünfzehn": 15, "zwanzig": 20, "dreißig": 30, "a": 1,
}
_N = r"(?P<n>\d{1,2}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"
_HORIZON_YEARS = [
    re.compile(rf"\b(?:over|across|during|within|in|for)\s+(?:the\s+)?(?:next|coming|following)?\s*{_N}\s+years\b", re.I),
    re.compile(rf"(?<![{LETTER}])(?:über|in|innerhalb|während|binnen|auf|für)\s+(?:von\s+)?(?:den\s+|der\s+|die\s+)?"
               rf"(?:nächsten|kommenden|folgenden)?\s*{_N}\s+Jahre[n]?\b", re.I),
    re.compile(rf"\b{_N}[- ](?:year|jährig\w*)\b", re.I),
    re.compile(r"\b(?:over|in|within)\s+(?:the\s+next\s+)?(?P<decade>a decade)\b|\b(?P<decade_de>(?:im|in einem|"
               r"innerhalb eines)\s+Jahrzehnts?)\b", re.I),
]
_HORIZON_END = re.compile(r"(?<![{L}])(?:through|thru|until|till|by|by the end of|to|bis(?:\s+(?:Ende|zum Jahr|"
                          r"ins Jahr))?|as soon as|as early as|frühestens)\s+(?P<y>20\d{{2}})(?!\d)".format(L=LETTER),
                          re.I)
_HORIZON_YEAR = re.compile(r"(?<![{L}])(?:(?:in|for|für|im Jahr|im Geschäftsjahr|(?:full|fiscal)[- ]year|"
                           r"Gesamtjahr|fiscal)\s+(?P<y>20\d{{2}})(?!\d)|FY\s?(?P<fy>(?:20)?\d{{2}})(?!\d)|"
                           r"(?P<y2>20\d{{2}})\s+(?:capex|capital expenditures?|capital spending|Investitionen|"
                           r"Investitionsausgaben)|(?:capex|capital expenditures?|capital spending|Investitionen|"
                           r"Investitionsausgaben|Investitionsbudget)\s+(?P<y3>20\d{{2}})(?!\d))".format(L=LETTER), re.I)


_RELATIVE_YEAR = re.compile(r"\b(?:this|next|the coming) (?:fiscal )?year\b|(?<![{L}])(?:(?:in )?diese[mns]? Jahr|"
                            r"im laufenden Jahr|nächste[sn]? Jahr|im nächsten Jahr|im kommenden Jahr|"
                            r"kommende[sn]? Jahr)(?![{L}])".format(L=LETTER), re.I)


@dataclass
class Horizon:
    text: str
    years: float | None = None      # length of the plan in years, when the text gives one
    end_year: int | None = None     # the plan runs to the end of this year
    years_ahead: int | None = None  # 'this year' = 0, 'next year' = 1: the end year counts from the announcement
    per_year: bool = False          # a rate ("$10bn a year"): the amount is spent each year; `years` and
                                    # `end_year` then say how long the rate runs ("for five years", "bis 2028")


# "a year", "per year", "annually", "jährlich", "pro Jahr", "$10bn/yr"; not "a year earlier", "im Jahr 2025",
# "in a year", "annual report".
_RATE = (r"(?P<rate>(?<![{L}])(?<!in )(?<!within )(?<!for )(?:a|an|per|each|every|pro|im|jedes|je)\s+(?:year|Jahr)|"
         r"(?<![{L}])(?:annual(?:ly)?|yearly|per annum|p\.\s?a\.|jährlich\w*|Jahr für Jahr)|/\s?(?:year|yr|Jahr))"
         r"(?![{L}])(?!\s+(?:earlier|ago|before|later|after|zuvor|früher|report|results|meeting|general|filing|"
         r"letter|Bericht)\b)(?!\s*\d{{4}})").format(L=LETTER)
# The rate is in the amount's stretch of the sentence (up to a comma), at most three words before it
# ("annual capex of $10bn", "jährlich rund 10 Mrd. Euro") or four after it ("$10bn on data centers annually").
_RATE_BEFORE = re.compile(rf"{_RATE}(?:\s+[^\s\d,;:()]+){{0,3}}\s*$", re.I)
_RATE_AFTER = re.compile(rf"\s*(?:[^\s\d,;:()]+\s+){{0,4}}?{_RATE}", re.I)
_RATE_PIECE = re.compile(r"[,;:()\[\]]|\s[-–—]\s")


@lru_cache(maxsize=64)
def _horizon_phrases(sentence: str) -> tuple[tuple[tuple[int, Horizon], ...], ...]:
    """Every horizon phrase of a sentence, by kind (years, end year, single year), read once per sentence."""
    years = []
    for pattern in _HORIZON_YEARS:
        for m in pattern.finditer(sentence):
            if m.groupdict().get("decade") or m.groupdict().get("decade_de"):
                years.append((m.start(), Horizon(m.group(0), 10.0)))
            else:
                n = m.group("n").lower()
                years.append((m.start(), Horizon(m.group(0), float(n) if n.isdigit() else float(_NUMBER_WORDS[n]))))
        if years:
            break  # the patterns are in order of preference
    ends = [(m.start(), Horizon(m.group(0), None, int(m.group("y")))) for m in _HORIZON_END.finditer(sentence)]
    singles = []
    for m in _HORIZON_YEAR.finditer(sentence):
        year = m.group("y") or m.group("y2") or m.group("y3") or m.group("fy")
        singles.append((m.start(), Horizon(m.group(0), 1.0, int(year) + (2000 if len(year) == 2 else 0))))
    for m in _RELATIVE_YEAR.finditer(sentence):
        ahead = 0 if re.search(r"this|dies|laufend", m.group(0), re.I) else 1
        singles.append((m.start(), Horizon(m.group(0), 1.0, None, ahead)))
    return tuple(years), tuple(ends), tuple(singles)


def _rate(sentence: str, start: int, end: int) -> re.Match | None:
    """The words that make the amount at sentence[start:end] a yearly figure, if any."""
    p_start = max([m.end() for m in _RATE_PIECE.finditer(sentence, 0, start)], default=0)
    cut = _RATE_PIECE.search(sentence, end)
    return (_RATE_BEFORE.search(sentence, p_start, start)
            or _RATE_AFTER.match(sentence, end, cut.start() if cut else len(sentence)))


def find_horizon(sentence: str, amount_start: int, amount_end: int | None = None) -> Horizon | None:
    """The plan's horizon in a sentence; the phrase nearest the amount wins within each kind,
    and a length in years beats an end year, which beats a single year ('for 2024').

    Given the amount's end, a rate next to it ("$10bn a year", "jährlich 5 Mrd. Euro") makes the
    horizon `per_year`: the amount is spent every year, and the horizon phrase, if there is one
    ("each year for five years", "annually through 2028"), says for how long. Its text is then
    both phrases: 'a year; for five years'."""
    rate = _rate(sentence, amount_start, amount_end) if amount_end is not None else None
    for phrases in _horizon_phrases(sentence):
        if rate:   # "a year" is also read as a one-year length: here it is the rate
            phrases = [p for p in phrases if p[0] + len(p[1].text) <= rate.start("rate") or p[0] >= rate.end("rate")]
        if phrases:
            horizon = min(phrases, key=lambda p: abs(p[0] - amount_start))[1]
            if rate:
                return replace(horizon, text=f"{rate.group('rate')}; {horizon.text}", per_year=True)
            return horizon
    return Horizon(rate.group("rate"), per_year=True) if rate else None
