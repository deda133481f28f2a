"""Dates in press text, English and German.

- `find_dates`: full dates ("28. März 2024", "March 28, 2024", "2024-03-28", "28.03.2024") and,
  given a reference date, dates without a year ("24 April") and weekdays ("on Friday"), read by
  dateparser. `parse_date`: one date phrase on its own.
- `announcement_date`: the date in a sentence that says when something was announced;
  `find_dateline`: the date in a document's head.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from pipelines.lib.capex.language import LETTER

_MONTHS = (r"January|February|March|April|May|June|July|August|September|October|November|December|"
           r"Januar|Jänner|Februar|März|Maerz|Mai|Juni|Juli|Oktober|Dezember|"
           r"Jan|Feb|Mar|Mär|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Okt|Nov|Dec|Dez")
_DATE_PATTERNS = [
    ("iso", re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d])")),
    ("ymd_slash", re.compile(r"(?<![\d/])(\d{4})/(\d{1,2})/(\d{1,2})(?![\d/])")),
    ("dmy_dots", re.compile(r"(?<![\d.])(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?!\d)")),
    ("d_month_y", re.compile(rf"(?<![\d.])(\d{{1,2}})\.?\s+(?:{_MONTHS})\.?,?\s+(\d{{4}})(?!\d)")),
    ("month_d_y", re.compile(rf"(?<![{LETTER}])(?:{_MONTHS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)")),
    ("us_slash", re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")),
]
_YEARLESS = [
    re.compile(rf"(?<![\d.])(\d{{1,2}})\.?\s+(?:{_MONTHS})(?![{LETTER}])\.?(?!,?\s*\d)"),
    re.compile(rf"(?<![{LETTER}])(?:{_MONTHS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?![\d{LETTER}])(?!,?\s*\d{{4}})"),
]
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
             "sunday": 6, "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4,
             "samstag": 5, "sonntag": 6}
_RELATIVE = re.compile(r"\b(?:(?:on|last|am|letzten|vergangenen)\s+(?P<wd>Monday|Tuesday|Wednesday|Thursday|"
                       r"Friday|Saturday|Sunday|Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag)"
                       r"|(?P<rel>yesterday|today|gestern|heute))\b")


@dataclass
class DateMention:
    start: int
    end: int
    text: str
    date: dt.date
    exact: bool      # the text gives day, month and year itself


_NUMERIC_ORDER = {"iso": (0, 1, 2), "ymd_slash": (0, 1, 2), "dmy_dots": (2, 1, 0), "us_slash": (2, 0, 1)}


def _numeric_date(kind: str, m: re.Match) -> dt.date | None:
    """All-digit dates need no dateparser: the pattern says which group is year, month and day."""
    year, month, day = (int(m.group(i + 1)) for i in _NUMERIC_ORDER[kind])
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _dateparse(text: str, lang: str) -> dt.date | None:
    """A date with a month name, English or German, through dateparser (a few ms a call, so cached)."""
    import dateparser

    order = {"de": "DMY", "en": "MDY"}[lang] if "/" in text or re.fullmatch(r"[\d.\s]+", text) else None
    settings = {"STRICT_PARSING": True, "RETURN_AS_TIMEZONE_AWARE": False, "PREFER_DAY_OF_MONTH": "first"}
    if order:
        settings["DATE_ORDER"] = order
    text = text.replace("Maerz", "März")
    try:
        parsed = dateparser.parse(text, languages=["de", "en"] if lang == "de" else ["en", "de"],
                                  settings=settings)
    except (ValueError, OverflowError):
        return None
    return parsed.date() if parsed else None


def find_dates(text: str, lang: str = "en", reference: dt.date | None = None) -> list[DateMention]:
    """Dates in the text, in order. Without a year ("24 April") or relative ("on Friday",
    "gestern") a date is read only against `reference` (the document's date): the latest
    such day not after it."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= ts or s >= te for ts, te in taken)

    for kind, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            parsed = (_numeric_date(kind, m) if kind in _NUMERIC_ORDER
                      else _dateparse(m.group(0), "en" if kind == "us_slash" else lang))
            if parsed and 1900 < parsed.year < 2200:
                found.append(DateMention(m.start(), m.end(), m.group(0), parsed, True))
                taken.append((m.start(), m.end()))
    if reference is not None:
        for pattern in _YEARLESS:
            for m in pattern.finditer(text):
                if not free(m.start(), m.end()):
                    continue
                for year in (reference.year, reference.year - 1):
                    parsed = _dateparse(f"{m.group(0).rstrip('.')} {year}", lang)
                    if parsed and parsed <= reference:
                        found.append(DateMention(m.start(), m.end(), m.group(0), parsed, False))
                        taken.append((m.start(), m.end()))
                        break
        for m in _RELATIVE.finditer(text):
            if not free(m.start(), m.end()):
                continue
            if m.group("wd"):
                back = (reference.weekday() - _WEEKDAYS[m.group("wd").lower()]) % 7
            else:
                back = 1 if m.group("rel").lower() in ("yesterday", "gestern") else 0
            found.append(DateMention(m.start(), m.end(), m.group(0), reference - dt.timedelta(days=back), False))
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def parse_date(text: str, lang: str = "en") -> dt.date | None:
    """One date phrase on its own ('28. März 2024', '2024-03-28', 'March 28, 2024'), or None."""
    dates = find_dates(text.strip(), lang)
    return dates[0].date if dates else None


# A date right after these words is a period end or a deadline, not the day something was said.
_NOT_ANNOUNCEMENT = re.compile(rf"(?<![{LETTER}])(?:ended|ending|end(?:s|ed)? on|as of|as at|through|until|by|per|zum|bis|"
                               r"endete|endend|Stichtag|due|fällig|from|ab|starting|beginning|launch\w*|"
                               r"open\w*|eröffne\w*|Quartal|quarter)\s+(?:the\s+|dem\s+|am\s+)?$", re.I)
_ANNOUNCEMENT_CUE = re.compile(rf"(?<![{LETTER}])(?:on|am|vom|dated|published|said|announced|reported|released|erklärte|"
                               r"teilte|kündigte|berichtete)\s+(?:on\s+|am\s+)?$", re.I)


def announcement_date(sentence: str, offset: int, dates: list[DateMention], today: dt.date) -> DateMention | None:
    """The date in a sentence that says when something was announced: not a period end, not in
    the future; one after 'on'/'am'/'said' first, else the earliest."""
    usable = []
    for d in dates:
        before = sentence[max(0, d.start - offset - 25):d.start - offset]
        if d.date > today or d.date.year < 1990 or _NOT_ANNOUNCEMENT.search(before):
            continue
        usable.append((not _ANNOUNCEMENT_CUE.search(before), d.date, d))
    return min(usable, key=lambda t: (t[0], t[1]))[2] if usable else None


def find_dateline(text: str, lang: str, today: dt.date) -> DateMention | None:
    """A full date in the document's head (first lines or 400 characters): its dateline."""
    head_end = min(len(text), 400)
    lines = [m.end() for m in re.finditer(r"\n", text[:head_end])]
    if len(lines) >= 4:
        head_end = max(head_end, lines[3])
    for d in find_dates(text[:head_end], lang):
        if d.date <= today and d.date.year >= 1990 and not _NOT_ANNOUNCEMENT.search(text[max(0, d.start - 25):d.start]):
            return d
    return None
