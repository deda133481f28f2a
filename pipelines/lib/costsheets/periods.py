"""Reporting periods as printed in German and English sheets -> (first day, last day).

'Q1 2024', '1. Quartal 2024', '2024-Q1', 'H2 2023', '2. Halbjahr 2023', 'Jan 2024', 'Januar 2024',
'März 2024', '2023-07', '07/2023', '2024', 'FY2023', '01.01.2024 – 31.03.2024',
'2024-04-01 to 2024-06-30', '1. Januar 2024 bis 31. März 2024', 'January 1, 2024 - March 31, 2024'.
Month names come from babel's locale data (German and English, wide and abbreviated).
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache


@lru_cache(maxsize=1)
def month_names() -> dict[str, int]:
    from babel.dates import get_month_names

    names: dict[str, int] = {}
    for locale in ("en", "de"):
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale=locale).items():
                    key = name.lower().rstrip(".")
                    names[key] = number
                    names[key.replace("ä", "ae")] = number
    names.update({"sept": 9, "mrz": 3, "mae": 3})
    return names


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _span(year: int, first_month: int, months: int) -> tuple[dt.date, dt.date]:
    last = first_month + months - 1
    return dt.date(year, first_month, 1), _last_day(year, last)


_MONTH_WORD = r"([a-zäöü]{3,10})\.?"
_DATE_PATTERNS = [
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), "ymd"),
    (re.compile(r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})"), "dmy"),
    (re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})"), "slash"),
    (re.compile(rf"(\d{{1,2}})\.?\s+{_MONTH_WORD}\s+(\d{{4}})", re.I), "d_month_y"),
    (re.compile(rf"{_MONTH_WORD}\s+(\d{{1,2}}),?\s+(\d{{4}})", re.I), "month_d_y"),
]


def _dates_in(text: str, locale: str) -> list[tuple[int, dt.date]]:
    """Every full date in `text` with its position; overlapping matches keep the first pattern."""
    found, taken = [], []
    months = month_names()
    for pattern, shape in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            g = m.groups()
            try:
                if shape == "ymd":
                    day = dt.date(int(g[0]), int(g[1]), int(g[2]))
                elif shape == "dmy":
                    day = dt.date(int(g[2]), int(g[1]), int(g[0]))
                elif shape == "slash":   # US order in English sheets, day first in German ones
                    a, b = int(g[0]), int(g[1])
                    day = dt.date(int(g[2]), a, b) if locale == "en" else dt.date(int(g[2]), b, a)
                elif shape == "d_month_y":
                    if g[1].lower() not in months:
                        continue
                    day = dt.date(int(g[2]), months[g[1].lower()], int(g[0]))
                else:
                    if g[0].lower() not in months:
                        continue
                    day = dt.date(int(g[2]), months[g[0].lower()], int(g[1]))
            except ValueError:
                continue
            found.append((m.start(), day))
            taken.append((m.start(), m.end()))
    return sorted(found)


def parse_period(text, locale: str = "en") -> tuple[dt.date, dt.date] | None:
    """(first day, last day) of the period printed in `text`, or None when it is not a period."""
    if text is None:
        return None
    if isinstance(text, dt.datetime):
        return text.date(), text.date()
    if isinstance(text, dt.date):
        return text, text
    s = re.sub(r"\s+", " ", str(text)).strip().lower()
    if not s:
        return None
    m = re.search(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s*(?:–|—|-|bis|to)\s*(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\b", s)
    if m:                            # '01.01.-31.03.2024': the start's year is the end's
        g = [int(x) for x in m.groups()]
        try:
            start, end = dt.date(g[4], g[1], g[0]), dt.date(g[4], g[3], g[2])
            return (start, end) if start <= end else None
        except ValueError:
            pass
    dates = _dates_in(s, locale)
    if len(dates) >= 2:
        start, end = dates[0][1], dates[1][1]
        return (start, end) if start <= end else (end, start)
    if len(dates) == 1:
        return dates[0][1], dates[0][1]
    m = (re.search(r"\bq\s?([1-4])\s?[/\-.' ]?\s?(\d{4})\b", s) or None)
    if m:
        return _span(int(m.group(2)), 3 * int(m.group(1)) - 2, 3)
    m = re.search(r"\bq([1-4])\s?(?:/|-|\s|')\s?'?(\d{2})\b(?![./-]\d)", s) or \
        re.search(r"\b([1-4])q\s?'?(\d{4}|\d{2})\b", s)       # 'Q1/24', "Q1 '24", '1Q24', '1Q 2024'
    if m:
        year = int(m.group(2))
        return _span(year if year > 99 else 2000 + year, 3 * int(m.group(1)) - 2, 3)
    m = re.search(r"\b(i{1,3}|iv)\.?\s?(?:quartal|quarter)\s(\d{4})\b", s)     # 'I. Quartal 2024'
    if m:
        return _span(int(m.group(2)), 3 * ["i", "ii", "iii", "iv"].index(m.group(1)) + 1, 3)
    found = _month_range(s)
    if found:
        return found
    m = re.search(r"\b(\d{4})\s?[-/ ]\s?q([1-4])\b", s)
    if m:
        return _span(int(m.group(1)), 3 * int(m.group(2)) - 2, 3)
    m = re.search(r"\b([1-4])\.?\s?(?:quartal|qu\.?|quarter)\s(\d{4})\b", s) or \
        re.search(r"\b([1-4])(?:st|nd|rd|th) quarter(?: of)? (\d{4})\b", s)
    if m:
        return _span(int(m.group(2)), 3 * int(m.group(1)) - 2, 3)
    m = re.search(r"\bh([12])\s?[/\-]?\s?(\d{4})\b", s) or \
        re.search(r"\b([12])\.?\s?(?:halbjahr|hj\.?|half)\s(\d{4})\b", s)
    if m:
        return _span(int(m.group(2)), 6 * int(m.group(1)) - 5, 6)
    m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})", s)
    if m and 1 <= int(m.group(2)) <= 12:
        return _span(int(m.group(1)), int(m.group(2)), 1)
    m = re.fullmatch(r"(\d{1,2})[/.](\d{4})", s)
    if m and 1 <= int(m.group(1)) <= 12:
        return _span(int(m.group(2)), int(m.group(1)), 1)
    m = re.fullmatch(rf"{_MONTH_WORD}\s?['’]?(\d{{4}}|\d{{2}})", s)
    if m and m.group(1) in month_names():
        year = int(m.group(2)) if len(m.group(2)) == 4 else 2000 + int(m.group(2))
        return _span(year, month_names()[m.group(1)], 1)
    m = re.fullmatch(r"(?:fy|gj|geschäftsjahr|year|jahr|calendar year)?\s?(\d{4})", s)
    if m and 1990 <= int(m.group(1)) <= 2100:
        return _span(int(m.group(1)), 1, 12)
    return None


_RANGE_SEP = r"\s*(?:–|—|-|to|bis|until|through|thru)\s*"


def _month_range(s: str) -> tuple[dt.date, dt.date] | None:
    """'January – March 2024', 'Jan-Mar 2024', 'Januar bis März 2024', 'Jan. 2024 – Mar. 2024',
    '01/2024 - 03/2024', '2024-01 to 2024-03': first day of the first month to last of the last."""
    names = month_names()
    m = re.fullmatch(rf"{_MONTH_WORD}(?:\s?(\d{{4}}))?{_RANGE_SEP}{_MONTH_WORD}\s?(\d{{4}})", s)
    if m and m.group(1) in names and m.group(3) in names:
        first_year, last_year = int(m.group(2) or m.group(4)), int(m.group(4))
        first, last = (first_year, names[m.group(1)]), (last_year, names[m.group(3)])
    else:
        m = re.fullmatch(rf"(\d{{1,2}})[/.](\d{{4}}){_RANGE_SEP}(\d{{1,2}})[/.](\d{{4}})", s)
        if m:
            first, last = (int(m.group(2)), int(m.group(1))), (int(m.group(4)), int(m.group(3)))
        else:
            m = re.fullmatch(rf"(\d{{4}})-(\d{{1,2}}){_RANGE_SEP}(\d{{4}})-(\d{{1,2}})", s)
            if not m:
                return None
            first, last = (int(m.group(1)), int(m.group(2))), (int(m.group(3)), int(m.group(4)))
    if not (1 <= first[1] <= 12 and 1 <= last[1] <= 12) or first > last:
        return None
    return dt.date(first[0], first[1], 1), _last_day(*last)
