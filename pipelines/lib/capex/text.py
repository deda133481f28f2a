"""Capex plans in press text, English and German: amounts, dates, horizons, scope and companies.

The pieces, each small and tested on its own:
- `find_amounts`: money phrases ("$35-40 billion", "1,5 Mrd. €", "bis zu 100 Milliarden US-Dollar")
  with scale words, currencies, ranges and qualifiers ("up to", "rund"). Numbers are read with
  babel in the sentence's locale ("1,5" is 1.5 in German, "1,500" is 1500 in English); a German
  "Billion" is 10^12, an English "billion" 10^9.
- `find_dates`: full dates ("28. März 2024", "March 28, 2024", "2024-03-28", "28.03.2024") and,
  given a reference date, dates without a year ("24 April") and weekdays ("on Friday"), read by
  dateparser.
- `classify`: whether an amount is a capex plan, from the nearest cue word (share buybacks,
  revenue, market value, profit, dividends, prior-period figures are not), and its scope
  (`ai_datacenter`, `total_capex`, `other`).
- `find_horizon`: "over 15 years", "in den nächsten fünf Jahren", "bis 2028", "for 2024"; and rates
  ("$10bn a year", "jährlich", "pro Jahr"): the amount is then per year, never multiplied out.
- `find_negation`: amounts denied, ruled out, cancelled or negated ("will not spend", "dementierte"),
  or promised only on a condition ("if", "falls"): no announcement.
- `Companies` (capex.companies): the alias table as one regex.
- `extract`: all of the above over one document's text, one `Mention` per amount.
"""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from functools import lru_cache

from pipelines.lib.capex.companies import Companies, Company, CompanyMention

LETTER = r"A-Za-zÄÖÜäöüß"


def _words(pattern: str) -> str:
    """A regex alternation that matches whole words only."""
    return rf"(?<![{LETTER}])(?:{pattern})(?![{LETTER}])"

# ---------------------------------------------------------------------------------------------
# Languages

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


# ---------------------------------------------------------------------------------------------
# Numbers and amounts

def parse_number(text: str, lang: str) -> float | None:
    """A number as printed, read in `lang` first ("1.500" is 1500 in German, 1.5 in English).

    babel reads the locale's grouping and decimal signs strictly; when the text does not fit
    the locale (a "1.5" in German text) the other locale is tried, then None."""
    from babel.numbers import NumberFormatError, parse_decimal

    cleaned = re.sub(r"[\u00a0\u202f'’ ]", "", text.strip())
    if re.fullmatch(r"\d+", cleaned):
        return float(cleaned)
    if not re.fullmatch(r"[\d.,]*\d[\d.,]*", cleaned):
        return None     # babel also reads 'INF' and 'NaN': an amount is digits and separators only
    for locale in (lang, "en" if lang == "de" else "de"):
        try:
            return float(parse_decimal(cleaned, locale=locale, strict=True))
        except (NumberFormatError, ValueError):
            continue
    return None


# Scale words (lower case) -> factor. "billion" is decided by language in `_scale_factor`.
SCALES = {
    "thousand": 1e3, "tausend": 1e3, "tsd": 1e3, "k": 1e3,
    "million": 1e6, "millions": 1e6, "millionen": 1e6, "mio": 1e6, "mln": 1e6, "mn": 1e6, "m": 1e6,
    "mm": 1e6,
    "billion": 1e9, "billions": 1e9, "bn": 1e9, "bln": 1e9, "b": 1e9, "milliarde": 1e9,
    "milliarden": 1e9, "mrd": 1e9, "md": 1e9,
    "trillion": 1e12, "trillions": 1e12, "tn": 1e12, "trn": 1e12, "t": 1e12, "billionen": 1e12,
    "bio": 1e12,
}
_SCALE_WORDS = (r"thousand|tausend|tsd\.?|millions?|millionen|mio\.?|mln\.?|mn|billions?|billionen|"
                r"bn|bln|milliarden?|mrd\.?|md\.|trillions?|tn|trn|bio\.?")
_SCALE_SHORT = r"[kKmMbBtT]|MM|bn|mn"

# Currency symbols, codes and words -> ISO 4217.
CURRENCY_WORDS = {
    "us$": "USD", "u.s.$": "USD", "$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP",
    "gbp": "GBP", "¥": "JPY", "jpy": "JPY", "chf": "CHF", "c$": "CAD", "cad": "CAD", "a$": "AUD",
    "aud": "AUD", "hk$": "HKD", "hkd": "HKD", "s$": "SGD", "sgd": "SGD", "sek": "SEK", "nok": "NOK",
    "dkk": "DKK", "inr": "INR", "₹": "INR", "cny": "CNY", "rmb": "CNY", "krw": "KRW", "₩": "KRW",
    "dollar": "USD", "dollars": "USD", "us-dollar": "USD", "us-dollars": "USD", "us dollar": "USD",
    "us dollars": "USD", "u.s. dollars": "USD", "u.s. dollar": "USD", "dollar (usd)": "USD",
    "canadian dollars": "CAD", "kanadische dollar": "CAD", "australian dollars": "AUD",
    "euro": "EUR", "euros": "EUR", "pounds": "GBP", "pounds sterling": "GBP", "pfund": "GBP",
    "yen": "JPY", "swiss francs": "CHF", "franken": "CHF", "schweizer franken": "CHF",
    "yuan": "CNY", "renminbi": "CNY", "rupees": "INR", "kronor": "SEK", "kronen": "SEK",
}
_PREFIX = r"US\$|U\.S\.\s?\$|HK\$|C\$|A\$|S\$|\$|€|£|¥|₹|₩|(?:USD|EUR|GBP|JPY|CHF|CAD|AUD|HKD|SGD|SEK|NOK|DKK|INR|CNY|RMB|KRW)(?![A-Za-z])"
_SUFFIX = (r"US\$|US-Dollars?|US[ -]dollars?|U\.S\. dollars?|(?:Canadian|Australian) dollars|kanadische Dollar|"
           r"[Dd]ollars?|Euros?|euros?|pounds(?: sterling)?|Pfund|yen|Yen|Swiss francs|(?:Schweizer )?Franken|"
           r"yuan|renminbi|rupees|kronor|Kronen|USD|EUR|GBP|JPY|CHF|CAD|AUD|HKD|SGD|SEK|NOK|DKK|INR|CNY|"
           r"KRW|\$|€|£")
_NUM = r"\d{1,3}(?:[.,\u00a0\u202f'’ ]\d{3})+(?![\d])(?:[.,]\d+)?|\d+(?:[.,]\d+)?"


def _atom(tag: str) -> str:
    return (rf"(?P<{tag}pre>{_PREFIX})?[ \u00a0]?(?P<{tag}num>{_NUM})"
            rf"(?:\s?(?P<{tag}scale>(?i:{_SCALE_WORDS}))(?![{LETTER}])|(?P<{tag}short>{_SCALE_SHORT})(?![{LETTER}\d]))?"
            rf"(?:\s?(?P<{tag}post>{_SUFFIX})(?![{LETTER}])(?!\s?\d))?")  # not the next amount's "$"


_MONEY = re.compile(
    rf"(?<![\w.,$€£/-])(?:(?P<lead>between|zwischen|from|von)\s+)?{_atom('a')}"
    rf"(?:\s*(?P<sep>-|–|—|to|bis|and|und|auf)\s*{_atom('b')})?")

_QUALIFIERS = [
    ("up_to", re.compile(r"(?:up to|as much as|as high as|bis zu|maximal|höchstens|no more than)\s*$", re.I)),
    ("at_least", re.compile(r"(?:more than|over|at least|in excess of|upwards of|at or above|mehr als|über|"
                            r"mindestens|wenigstens)\s*$", re.I)),
    ("about", re.compile(r"(?:about|around|approximately|approx\.|roughly|nearly|almost|some|close to|an estimated|"
                         r"rund|etwa|ca\.|circa|fast|knapp|gut|annähernd|schätzungsweise)\s*$", re.I)),
]


# "from X to Y" after one of these is a change of figure, else a range ("ranging from X to Y").
_CHANGE_VERB = re.compile(r"(?:rais|increas|lift|boost|cut|lower|reduc|trim|revis|ris|grow|grew|jump|climb|fall|fell|"
                          r"drop|swell|expand|narrow|erhöh|senk|steig|stieg|heb|hob|reduzier|korrigier|kürz|wachs|"
                          r"wuchs|sink|sank)\w*\b(?!.*\b(?:rang\w*|zwischen|between)\b)", re.I)


@dataclass
class Amount:
    start: int
    end: int
    text: str
    value: float                 # native units: the figure, or the midpoint of a range
    low: float | None
    high: float | None
    currency: str | None
    qualifier: str               # exact | range | up_to | at_least | about
    previous: bool = False       # the 'from' side of "from X to Y": a figure being replaced
    equivalent: bool = False     # restates the amount before it in another currency: "£2.5bn ($3.2bn)"


def _scale_factor(word: str | None, short: str | None, lang: str) -> float | None:
    if short:
        return SCALES[short.lower()]
    if not word:
        return None
    key = word.rstrip(".").lower()
    if key in ("billion", "billions") and word[0] == "B" and lang == "de":
        return 1e12  # German "Billion" = 10^12 (English billion = German Milliarde)
    return SCALES[key]


def _currency(pre: str | None, post: str | None) -> str | None:
    for token in (pre, post):
        if token:
            key = re.sub(r"\s+", " ", token).lower()
            if key in CURRENCY_WORDS:
                return CURRENCY_WORDS[key]
            if key.replace("u.s. ", "us ") in CURRENCY_WORDS:
                return CURRENCY_WORDS[key.replace("u.s. ", "us ")]
    return None


def _side(m: re.Match, tag: str, lang: str):
    num = parse_number(m.group(f"{tag}num"), lang)
    scale = _scale_factor(m.group(f"{tag}scale"), m.group(f"{tag}short"), lang)
    cur = _currency(m.group(f"{tag}pre"), m.group(f"{tag}post"))
    return num, scale, cur


def _is_year(text: str) -> bool:
    return bool(re.fullmatch(r"(?:19|20)\d{2}", text))


def find_amounts(text: str, lang: str = "en", bare: bool = False) -> list[Amount]:
    """Money phrases in `text` (one sentence or more). A number counts as money only with a
    currency, or as the low end of a range whose high end has one ("35-40 Mrd. Euro"). With `bare`,
    a figure with a scale word and no currency counts too ("capex of 35-40 billion", currency None)
    when nothing but a preposition or the clause's end follows it ("2 million square feet" does not)."""
    out: list[Amount] = []
    pos = 0
    while (m := _MONEY.search(text, pos)) is not None:
        found = _read_money(text, m, lang, bare)
        out.extend(found)
        # what was not used may start the next amount: "für 2024 auf 35 bis 40 Mrd. Dollar"
        pos = max([a.end for a in found] + [m.end("anum")])
    return _mark_equivalents(text, out + _word_amounts(text, lang, out))


# What may follow a figure without a currency for it to be money: "35-40 billion in capex", "10 billion."
_BARE_FOLLOWER = re.compile(r"\s*(?:$|[.,;:)!?]|" + _words(
    r"in|on|for|into|to|this|next|over|through|by|and|or|of|towards|annually|a|per|each|every|from|"
    r"für|bis|im|pro|jährlich|und|oder|an|auf|über|von|investieren|ausgeben|stecken|zu") + ")", re.I)


def _read_money(text: str, m: re.Match, lang: str, bare: bool = False) -> list[Amount]:
    out: list[Amount] = []
    a_num, a_scale, a_cur = _side(m, "a", lang)
    bare = bare and bool(_BARE_FOLLOWER.match(text, m.end()))
    if m.group("sep") is None or m.group("bnum") is None:
        if a_num is None or (a_cur is None and not (bare and (a_scale or m.group("ashort")))):
            return out
        out.append(_single(text, m.start("apre") if m.group("apre") else m.start("anum"), m.end(),
                           a_num * (a_scale or 1), a_cur, False))
        return out
    b_num, b_scale, b_cur = _side(m, "b", lang)
    sep, lead = m.group("sep").lower(), (m.group("lead") or "").lower()
    currency = b_cur or a_cur
    a_start = m.start("apre") if m.group("apre") else m.start("anum")
    b_start = m.start("bpre") if m.group("bpre") else m.start("bnum")
    b_bare = b_cur is None and b_scale is None
    if b_bare and (a_scale is not None or _is_year(m.group("bnum"))):
        b_num = None  # "100 Mrd. US-Dollar bis 2028": the second number is not money
    if b_num is None or (currency is None and not (bare and b_scale)):
        if a_num is not None and a_cur is not None:  # "$5bn and ..." : the first half alone
            out.append(_single(text, a_start, m.end("a" + _last_group(m, "a")), a_num * (a_scale or 1),
                               a_cur, False))
        return out
    high = b_num * (b_scale or 1)
    low = None if a_num is None else a_num * (a_scale or b_scale or 1)
    bare_low = a_cur is None and a_scale is None and m.group("ashort") is None
    a_end = m.end("a" + _last_group(m, "a"))
    if bare_low and _is_year(m.group("anum")):
        low = None  # "in 2024 to $40bn": a year, not the low end
    if sep == "auf" or (sep in ("to", "bis") and lead in ("from", "von")
                        and _CHANGE_VERB.search(text[max(0, m.start() - 50):m.start()])):
        # "raised from $30bn to $37bn", "von 30 auf 37 Mrd.": a change; the first figure is replaced
        if low is not None:
            out.append(_single(text, a_start, a_end, low, currency, True))
        out.append(_single(text, b_start, m.end(), high, currency, False))
    elif (low is not None and 0 < low < high
          and (high / low <= 20 or (a_scale is None and b_scale is not None))  # "$1-21 billion" shares its scale
          and (sep not in ("and", "und") or lead in ("between", "zwischen"))):
        out.append(Amount(a_start, m.end(), text[a_start:m.end()], (low + high) / 2, low, high,
                          currency, "range"))
    else:
        if a_num is not None and a_cur is not None:
            out.append(_single(text, a_start, a_end, a_num * (a_scale or 1), a_cur, False))
        out.append(_single(text, b_start, m.end(), high, currency, False))
    return out


# Articles and halves before a scale word; every other spelled-out number is read by text2num.
_ARTICLES = {"a": 1, "an": 1, "eine": 1, "einer": 1, "einem": 1, "half a": 0.5, "a half": 0.5, "eine halbe": 0.5,
             "einer halben": 0.5}
_WORD_MONEY = re.compile(
    rf"(?<![\w$€£-])(?P<words>[{LETTER}]+(?:(?:\s+|-)[{LETTER}]+){{0,6}}?)\s+"
    rf"(?P<scale>(?i:billions?|millions?|trillions?|milliarden?|millionen|million|billionen|billion))\s+"
    rf"(?P<post>{_SUFFIX})(?![{LETTER}])")


def spelled_number(words: str, lang: str) -> tuple[int, float] | None:
    """The number a run of words ends with, and where in `words` it starts: 'to spend twenty-five'
    -> (9, 25.0), 'fünfzehn' -> (0, 15.0), 'half a' -> (0, 0.5). The longest tail that text2num reads
    (English and German, 'one hundred and fifty', 'fünfundzwanzig') wins; None when none does."""
    from text_to_num import text2num

    for m in re.finditer(rf"[{LETTER}]+", words):
        tail = " ".join(words[m.start():].lower().split())
        if tail in _ARTICLES:
            return m.start(), _ARTICLES[tail]
        for language in (lang, "en" if lang == "de" else "de"):
            try:
                value = text2num(re.sub(r"^an? (?=hundred|thousand)", "one ", tail), language)  # "a hundred"
            except ValueError:
                continue
            if value > 0:
                return m.start(), float(value)
    return None


def _word_amounts(text: str, lang: str, taken: list[Amount]) -> list[Amount]:
    """Spelled-out figures with a currency: 'half a billion dollars', 'fifteen billion dollars',
    'eine Milliarde Euro', 'fünfundzwanzig Milliarden Euro'."""
    out = []
    for m in _WORD_MONEY.finditer(text):
        number = spelled_number(m.group("words"), lang)
        if number is None:
            continue
        start = m.start("words") + number[0]
        if any(start < a.end and a.start < m.end() for a in taken):
            continue
        factor = _scale_factor(m.group("scale"), None, lang)
        currency = _currency(None, m.group("post"))
        if factor and currency:
            out.append(_single(text, start, m.end(), number[1] * factor, currency, False))
    return out


def _mark_equivalents(text: str, amounts: list[Amount]) -> list[Amount]:
    """'£2.5bn ($3.2bn)': an amount in brackets right after another restates it in a second currency."""
    ordered = sorted(amounts, key=lambda a: a.start)
    for prev, cur in zip(ordered, ordered[1:]):
        if re.fullmatch(r"\s*[(\[]\s*(?:about|around|approx\.|approximately|roughly|some|rund|etwa|ca\.|"
                        r"umgerechnet|or|oder|i\.e\.|equal to|entspricht)?\s*", text[prev.end:cur.start], re.I):
            cur.equivalent = True
    return ordered


def _last_group(m: re.Match, tag: str) -> str:
    for name in ("post", "short", "scale", "num"):
        if m.group(tag + name) is not None:
            return name
    return "num"


def _single(text: str, start: int, end: int, value: float, currency: str | None, previous: bool) -> Amount:
    qualifier, low, high = "exact", value, value
    before = text[max(0, start - 30):start]
    for name, pattern in _QUALIFIERS:
        if pattern.search(before):
            qualifier = name
            break
    if qualifier == "up_to":
        low = None
    elif qualifier == "at_least":
        high = None
    return Amount(start, end, text[start:end], value, low, high, currency, qualifier, previous)


# ---------------------------------------------------------------------------------------------
# Dates

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


# ---------------------------------------------------------------------------------------------
# Horizons

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


# ---------------------------------------------------------------------------------------------
# Is it capex, and which scope?

def _cues(spec: dict[str, str], flags=re.I) -> list[tuple[str, re.Pattern]]:
    return [(name, re.compile(rf"(?<![{LETTER}])(?:{pattern})(?![{LETTER}])", flags)) for name, pattern in spec.items()]


NOT_CAPEX = _cues({
    "share_buyback": r"share buy-?backs?|stock buy-?backs?|buy-?backs?|buy back|buying back|repurchas\w*|"
                     r"Aktienrückk[aä]uf\w*|Rückkauf\w*|Rückkäufe\w*|zurückkaufen|zurückzukaufen",
    "revenue": r"revenues?|sales|turnover|top line|bookings|Umsatz\w*|Umsätze\w*|Erlös\w*|Einnahmen|erlöst\w*|umgesetzt",
    "market_value": r"market (?:value|valuation|capitalization|capitalisation|cap)|market-cap\w*|valued at|"
                    r"valuation|(?:is|was|are|were|be|been|now|company|firm) worth|Börsenwert\w*|Marktwert\w*|Marktkapitalisierung|Bewertung|bewertet|wert",
    "profit": r"net income|net profit|profits?|earnings|operating income|Gewinn\w*|Nettogewinn\w*|"
              r"Überschuss\w*|Reingewinn\w*|Betriebsergebnis\w*|EBITDA|EBIT|verdient\w*",
    "dividend": r"dividends?|Dividende\w*|Ausschüttung\w*|per share|a share|je Aktie|pro Aktie",
    "acquisition": r"acquisitions?|acquires?|acquired|acquiring|takeover|merger|Übernahme\w*|übernimmt|"
                   r"übernehmen|Zukauf\w*|kauft",
    "stake_or_funding": r"stake|equity|funding round|funding|raised|raises|Finanzierungsrunde\w*|Beteiligung\w*|"
                        r"Anteil\w*|sammelt\w*|eingesammelt",
    "fine": r"fined?|fines|penalt\w+|Strafe\w*|Bußgeld\w*|Geldbuße\w*|Geldstrafe\w*|settlement",
    "debt": r"bonds?|debt|loans?|notes offering|Anleihe\w*|Schulden|Kredit\w*",
    "opex": r"operating (?:costs?|expenses)|opex|OpEx|Betriebskosten|Betriebsausgaben|savings|Einsparung\w*|"
            r"cost cuts?|layoffs?|Stellenabbau",
    "cash": r"cash and (?:cash equivalents|marketable securities)|cash pile|Barmittel\w*|Liquidität",
})
# Cues that a figure is a previous or comparison value; they count only right next to it:
# before it ("up from $30bn") or after it ("$28bn a year earlier"). "$40bn, up from $30bn": 40 is new.
PRIOR_BEFORE = _cues({
    "prior_period": r"(?:up|down|raised|increased|lifted|lowered|cut|trimmed|revised|erhöht|gesenkt|angehoben) from|"
                    r"compared (?:with|to)|versus|vs\.|last year's|gegenüber|nach zuvor|"
                    r"von zuvor|zuvor|previously|bisher|statt|instead of|from an earlier|from a previous|prior|"
                    r"earlier|previous|former|vorherige\w*|ursprünglich\w*|originally",
})
PRIOR_AFTER = _cues({
    "prior_period": r"a year (?:earlier|ago|before)|the year before|year-ago|in the prior year|previously|"
                    r"im Vorjahr\w*|Vorjahr\w*|zuvor|ein Jahr zuvor",
})
# Someone else's figure for the company: not an announcement.
ESTIMATE = _cues({
    "analyst_estimate": r"analysts?(?:'s?)? (?:expect|estimate|forecast|project|see|predict)\w*|according to "
                        r"(?:analyst |market )?estimates|consensus|Analysten (?:erwarten|schätzen|rechnen)\w*|"
                        r"nach Schätzungen|Schätzungen von",
})
_FROM_BETWEEN = re.compile(r"\W*(?:(?:up|down|raised|increased|lifted|lowered|cut|trimmed|revised)\s+)?"
                           r"(?:from|von|gegenüber|nach|statt)\s*(?:the\s+|den\s+|zuvor\s+)?",
                           re.I)
TOTAL_CAPEX = _cues({
    "total_capex": r"cap-?ex|capital expenditures?|capital spending|capital investments?|capital outlays?|"
                   r"Investitionsausgaben|Investitionsbudget\w*|Sachinvestitionen|Investitionsvolumen\w*|"
                   r"purchases of property and equipment|additions to property and equipment",
}, re.I)
DATACENTER = _cues({
    "ai_datacenter": r"data ?cent(?:er|re)s?|data-cent(?:er|re)s?|datacent\w*|Rechenzent\w*|Datenzent\w*|"
                     r"server farms?|servers?|supercomputer\w*|Supercomputer\w*|cloud (?:regions?|infrastructure|"
                     r"capacity)|Cloud-?(?:Region\w*|Infrastruktur\w*|Kapazität\w*)|GPUs?|AI-?\w*|KI-?\w*|"
                     r"artificial intelligence|künstlich\w* Intelligenz|compute|Rechenkapazität\w*",
}, 0)
SPEND = _cues({
    "spend": r"invest\w*|spend\w*|spent|outlays?|build\w*|built|construct\w*|expand\w*|expansion|"
             r"Investition\w*|investier\w*|ausgeben|auszugeben|ausgegeben|Ausgaben|bauen|baut|gebaut|"
             r"errichte\w*|Ausbau|ausbauen|stecken|steckt|pump\w*|commit\w*|allocat\w*|earmark\w*|"
             r"budget\w*|costing|cost|kosten|kostet|plan\w*|Plan\w*|guidance|Prognose\w*|forecast\w*|"
             r"pour\w*|plough\w*|plow\w*|funnel\w*|inject\w*|set aside|fließen|fliessen",
})


@dataclass
class Verdict:
    is_capex: bool
    scope: str | None     # ai_datacenter | total_capex | other (when is_capex)
    reason: str           # the cue that decided, e.g. 'share_buyback' or 'spend'


def _hits(cues, text: str, offset: int = 0):
    return [(name, m.start() + offset, m.end() + offset) for name, pattern in cues for m in pattern.finditer(text)]


def classify(sentence: str, start: int, end: int, others: list[tuple[int, int]] = ()) -> Verdict:
    """Whether the amount at sentence[start:end] is a capex plan, and its scope.

    The nearest cue in the amount's own stretch of the sentence (up to the neighbouring amounts)
    decides: "revenue of $80bn" is revenue, "a $70bn buyback" a buyback, "invest $10bn" capex.
    With no cue nearby, the sentence decides when it has capex words and none of the others."""
    lo = max([e for s, e in others if e <= start] + [0, start - 90])
    hi = min([s for s, e in others if s >= end] + [len(sentence), end + 60])
    cut = re.search(r"[,;:()\[\]]|\s[-–—]\s", sentence[end:hi])
    hi = end + cut.start() if cut else hi  # what follows a comma belongs to the next clause
    window_before, window_after = sentence[lo:start], sentence[end:hi]

    def distance(hit) -> int:
        _, s, e = hit
        return start - e if e <= start else s - end

    previous_end = max([e for s, e in others if e <= start], default=None)
    if previous_end is not None and _FROM_BETWEEN.fullmatch(sentence[previous_end:start]):
        return Verdict(False, None, "prior_period")   # "to $35-40bn from $30-37bn"
    if _hits(ESTIMATE, window_before):
        return Verdict(False, None, "analyst_estimate")   # "analysts expect it to spend $100bn"
    prior = [h for h in _hits(PRIOR_BEFORE, window_before, lo) if start - h[2] <= 12]
    prior += [h for h in _hits(PRIOR_AFTER, window_after, end) if h[1] - end <= 4]
    if prior:
        return Verdict(False, None, "prior_period")
    negative = _hits(NOT_CAPEX, window_before, lo) + _hits(NOT_CAPEX, window_after, end)
    positive = (_hits(TOTAL_CAPEX, window_before, lo) + _hits(TOTAL_CAPEX, window_after, end)
                + _hits(DATACENTER, window_before, lo) + _hits(DATACENTER, window_after, end)
                + _hits(SPEND, window_before, lo) + _hits(SPEND, window_after, end))
    if negative or positive:
        nearest = min(negative + positive, key=lambda h: (distance(h), h in positive))
        if nearest in negative:
            return Verdict(False, None, nearest[0])
        return Verdict(True, _scope(sentence, positive), nearest[0])
    if _hits(NOT_CAPEX, sentence):
        return Verdict(False, None, _hits(NOT_CAPEX, sentence)[0][0])
    positive = _hits(TOTAL_CAPEX, sentence) + _hits(DATACENTER, sentence) + _hits(SPEND, sentence)
    if positive:
        return Verdict(True, _scope(sentence, positive), "sentence:" + positive[0][0])
    return Verdict(False, None, "no_capex_word")


def _scope(sentence: str, near: list) -> str:
    names = {h[0] for h in near}
    if "total_capex" in names:
        return "total_capex"
    if "ai_datacenter" in names or _hits(DATACENTER, sentence):
        return "ai_datacenter"
    if _hits(TOTAL_CAPEX, sentence):
        return "total_capex"
    return "other"


def scope_of_text(text: str) -> str:
    """The scope a text gives a capex figure when no amount in it is singled out (a record's text)."""
    return _scope(text, _hits(TOTAL_CAPEX, text) + _hits(DATACENTER, text) + _hits(SPEND, text))


# ---------------------------------------------------------------------------------------------
# Negated and conditional amounts: "will not spend $10bn", "dementierte", "if the permits are granted"

@dataclass
class Negation:
    kind: str     # negated | conditional
    cue: str      # the words that decided, as printed: 'denied reports', 'keine', 'if'


# A clause ends here: a negation or condition in one clause says nothing about an amount in another.
_CLAUSE_CUT = re.compile(
    r"[;:]|\s[-–—]\s|,?\s*" + _words(r"but|aber|sondern|however|jedoch|whereas|wohingegen|although|obwohl|though")
    + r"|,\s*" + _words(r"and|und|while|während")
    + r"|" + _words(r"and|und") + r"\s+" + _words(r"said|says|added|confirmed|announced|erklärte|sagte|kündigte|"
                                                  r"bestätigte|teilte"), re.I)
# Within a clause, a particle ('not', 'keine') or an object-taking verb ('scrapped') reaches only to a comma.
_PIECE_CUT = re.compile(r"[,()\[\]]")
# ... and what follows the amount only up to the next coordinated or relative clause.
_AFTER_CUT = re.compile(r"[,()\[\]]|" + _words(r"and|und|or|oder|that|which|who|where"), re.I)
_NOT_AFTER = (r"(?!\s+(?:only|just|merely|least|less|fewer|more|later|earlier|nur|zuletzt|weniger|mehr|später|"
              r"früher|einmal|als)(?![{L}]))(?!\s+(?:[{L}]+\s+)?(?:chang|alter|revis|rais|lower|cut|updat|adjust|ändern|"
              r"geändert|änderte|verändert|korrigier|anheb|angehoben|gesenkt|senk))").format(L=LETTER)
_CANCEL_EN = (r"scrap(?:s|ped|ping)|cancel\w*|shelv(?:e|es|ed|ing)|abandon\w*|halt(?:s|ed|ing)|paus(?:es|ed|ing)|"
              r"stop(?:s|ped|ping)|put on hold|call\w* off|back\w* away from|pull\w* (?:out of|back from|the plug on)|"
              r"walk\w* away from|drop(?:s|ped|ping) (?:plans?|its|the)|ax(?:es|ed|ing)|ditch\w*|no longer")
_NEGATION = {
    "en": {
        # may reach across commas: "denied reports, first published by ..., that it would spend"
        "deny": re.compile(_words(r"deny|denies|denied|denying|denial|refut\w*|ruled out|rules out|ruling out|"
                                  r"(?:rejected|dismissed|rebuffed)\s+(?:\w+\s+){0,2}?(?:reports?|claims?|"
                                  r"speculation|suggestions?|rumou?rs?)"), re.I),
        "before": re.compile(_words(_CANCEL_EN + r"|not|never|no(?!\.\s?\d)|nor|neither|cannot|\w+n['’]t")
                             + _NOT_AFTER, re.I),
        "after": re.compile(_words(r"(?:will|wo|would|does|did|is|was|are|were|may|might|could|should|can)\s*"
                                   r"(?:not|n['’]t)\s+(?:go ahead|proceed|happen|go forward|materiali[sz]e|"
                                   r"be (?:built|spent|invested|made))|(?:is|was|were|has been|have been|had been|"
                                   r"will be|would be|is being|was being)\s+(?:\w+\s+)?(?:scrapped|cancell?ed|"
                                   r"shelved|abandoned|halted|paused|stopped|put on hold|called off|dropped|axed|"
                                   r"ditched|denied)"), re.I),
        "condition": re.compile(r"(?<!even )(?<!as )" + _words(r"if|unless|provided(?: that)?|providing|"
                                                              r"on condition that|as long as|in the event that|"
                                                              r"(?:contingent|conditional|dependent) (?:up)?on")
                                + r"(?!\s+(?:not|any|at all)(?![A-Za-z]))", re.I),
    },
    "de": {
        "deny": re.compile(_words(r"dementi\w*|Dementi|bestreit\w*|bestritt\w*|zurückgewiesen|zurückweis\w*|"
                                  r"(?:wies|weist|wiesen|weisen)\s[^;]{0,80}?zurück|ausgeschlossen|"
                                  r"(?:schloss|schließt|schliesst|schlossen)(?:\s+aus|\s[^;]{0,160}?\saus(?=\W*$))|"
                                  r"(?:legt|legte|legen|legten)\s[^;]{0,160}?auf Eis"), re.I),
        "before": re.compile(_words(r"nicht|nie|niemals|kein(?:e[mnrs]?)?|keinerlei|stopp\w*|gestoppt|streicht|"
                                    r"strich|gestrichen|verzicht\w*|abgesagt|beerdigt|auf Eis|nicht mehr")
                             + _NOT_AFTER, re.I),
        "after": re.compile(_words(r"nicht|nie|niemals|kein(?:e[mnrs]?)?|gestoppt|abgesagt|gestrichen|auf Eis|"
                                   r"zurückgezogen|aufgegeben|beerdigt|dementiert|ausgeschlossen") + _NOT_AFTER, re.I),
        "condition": re.compile(r"(?<!auch )(?<!selbst )" + _words(r"falls|sofern|vorausgesetzt|wenn(?! auch| nicht)|"
                                                                  r"unter der (?:Bedingung|Voraussetzung)"), re.I),
    },
}


def find_negation(sentence: str, start: int, end: int, lang: str) -> Negation | None:
    """Whether the amount at sentence[start:end] is denied, ruled out, cancelled or negated ("will not
    spend $10bn", "has no plans to invest", "wird keine 5 Mrd. Euro investieren", "dementierte
    Berichte, wonach ...", "the $10bn plan was scrapped"), or depends on a condition ("would invest
    $10bn if the permits are granted", "falls die Regierung zustimmt"): then it is no announcement.

    Within the amount's clause a denial may start anywhere before it, a particle or a cancelling verb
    only in its own stretch up to a comma, and what follows it counts up to the next clause ('and',
    'that'). "not only", "no less than", "did not change its forecast of $40bn" are not negations."""
    cues = _NEGATION["de" if lang == "de" else "en"]
    c_start = max([m.end() for m in _CLAUSE_CUT.finditer(sentence, 0, start)], default=0)
    c_end = next((m.start() for m in _CLAUSE_CUT.finditer(sentence, end)), len(sentence))
    p_start = max([m.end() for m in _PIECE_CUT.finditer(sentence, c_start, start)], default=c_start)
    cut = _AFTER_CUT.search(sentence, end, c_end)
    after = sentence[end:cut.start() if cut else c_end]
    deny = cues["deny"].search(sentence, c_start, c_end)   # "legt die Pläne, ... zu investieren, auf Eis"
    found = ((deny if deny and deny.start() < start else None)
             or cues["before"].search(sentence, p_start, start) or cues["after"].search(after))
    if found:
        words = found.group(0).split()   # "legt seine Pläne, ... zu investieren, auf Eis": 'legt ... auf Eis'
        return Negation("negated", " ".join(words if len(words) <= 4 else [words[0], "...", *words[-2:]]))
    condition = cues["condition"].search(sentence[c_start:c_end])
    return Negation("conditional", condition.group(0)) if condition else None


# ---------------------------------------------------------------------------------------------
# Sentences

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


# ---------------------------------------------------------------------------------------------
# One document

@dataclass
class DocumentContext:
    """What a document says about itself outside its sentences."""
    date: dt.date | None = None           # publication date from metadata (front matter, <meta>, JSON)
    company: Company | None = None        # from a structured field
    lang: str | None = None               # from metadata (<html lang>, front matter)
    currency: str | None = None           # from a structured field (a record's currency)


@dataclass
class Mention:
    amount: Amount
    sentence: tuple[int, int]
    snippet: str
    lang: str
    verdict: Verdict
    company: Company | None = None
    company_how: str | None = None        # sentence | paragraph | document | metadata
    currency_how: str = "text"            # text (printed with the amount) | metadata | document_amounts | sec_filing
    announced_on: dt.date | None = None
    announced_on_source: str | None = None  # text | metadata
    horizon: Horizon | None = None
    negation: Negation | None = None      # denied, ruled out, cancelled or conditional: not an announcement
    problems: list[str] = field(default_factory=list)


def _dateline(text: str, lang: str, today: dt.date) -> DateMention | None:
    """A full date in the document's head (first lines or 400 characters): its dateline."""
    head_end = min(len(text), 400)
    lines = [m.end() for m in re.finditer(r"\n", text[:head_end])]
    if len(lines) >= 4:
        head_end = max(head_end, lines[3])
    for d in find_dates(text[:head_end], lang):
        if d.date <= today and d.date.year >= 1990 and not _NOT_ANNOUNCEMENT.search(text[max(0, d.start - 25):d.start]):
            return d
    return None


def extract(text: str, today: dt.date, context: DocumentContext | None = None,
            companies: Companies | None = None) -> tuple[list[Mention], list[Mention]]:
    """Every money amount in `text`: (capex mentions, other amounts). Capex mentions carry the
    company, date and horizon they could be tied to, and `problems` when they could not."""
    context = context or DocumentContext()
    companies = companies or Companies.bundled()
    doc_lang = context.lang or language_of(text)
    dateline = _dateline(text, doc_lang, today)
    reference = dateline.date if dateline else context.date
    all_companies = companies.find(text)          # in text order
    company_starts = [c.start for c in all_companies]
    doc_company = context.company   # a company named only after the amount is not its subject
    read = []
    for s, e in sentences(text):
        lang = language_of(text[s:e], doc_lang)
        read.append((s, e, lang, find_amounts(text[s:e], lang, bare=True)))
    doc_currency = document_currency(text, context, [a for *_, amounts in read for a in amounts])
    capex, other = [], []
    last_company: tuple[Company, int] | None = None   # the subject carried from earlier sentences
    for s, e, lang, amounts in read:
        sentence = text[s:e]
        if doc_currency is None:   # a figure without a currency is money only when the document says which
            amounts = [a for a in amounts if a.currency is not None]
        in_sentence = all_companies[bisect_left(company_starts, s):bisect_left(company_starts, e)]
        spans = [(a.start, a.end) for a in amounts]
        sentence_dates = find_dates(sentence, lang, reference) if amounts else []
        for amount in amounts:
            others = [x for x in spans if x != (amount.start, amount.end)]
            if amount.previous:
                verdict = Verdict(False, None, "prior_period")
            elif amount.equivalent:
                verdict = Verdict(False, None, "currency_equivalent")
            else:
                verdict = classify(sentence, amount.start, amount.end, others)
            if verdict.is_capex and _into_company(sentence, amount.end, [c.start - s for c in in_sentence]):
                verdict = Verdict(False, None, "stake_or_funding")   # "invested $10bn in OpenAI"
            mention = Mention(Amount(amount.start + s, amount.end + s, amount.text, amount.value, amount.low,
                                     amount.high, amount.currency or doc_currency[0], amount.qualifier,
                                     amount.previous),
                              (s, e), sentence.strip(), lang, verdict,
                              currency_how="text" if amount.currency else doc_currency[1])
            if not verdict.is_capex:
                other.append(mention)
                continue
            mention.negation = find_negation(sentence, amount.start, amount.end, lang)
            if mention.negation:
                mention.problems.append(mention.negation.kind)
            _tie_company(mention, sentence, s, in_sentence, last_company, doc_company)
            _tie_date(mention, sentence, s, sentence_dates, dateline, context, today)
            mention.horizon = find_horizon(sentence, amount.start, amount.end)
            capex.append(mention)
        if in_sentence:
            last_company = (in_sentence[0].company, s)
    return _dedupe(capex), other


_SEC_FILING = re.compile(r"\b(?:Form\s+)?10-[KQ]\b|Securities and Exchange Commission")


def document_currency(text: str, context: DocumentContext, amounts: list[Amount]) -> tuple[str, str] | None:
    """(currency, how) for the document's figures printed without one ("capex of 35-40 billion"): the
    currency in its metadata ('metadata'), else the one currency all its other amounts are in
    ('document_amounts'), else USD in a 10-Q/10-K filing ('sec_filing'); None when nothing says."""
    printed = {a.currency for a in amounts if a.currency}
    if context.currency:
        return context.currency, "metadata"
    if len(printed) == 1:
        return printed.pop(), "document_amounts"
    if not printed and _SEC_FILING.search(text):
        return "USD", "sec_filing"
    return None


def _into_company(sentence: str, end: int, company_starts: list[int]) -> bool:
    m = re.match(r"\s*(?:in|into|in das|in den|in die)\s+(?:the\s+|der\s+|die\s+|das\s+)?(?:start-?up\s+)?",
                 sentence[end:end + 40])
    return bool(m) and end + m.end() in company_starts


def _clause_bounds(sentence: str, pos: int) -> tuple[int, int]:
    cuts = [0] + [m.end() for m in re.finditer(r";|,\s*(?:while|whereas|während|wohingegen|but|aber|and|und)\b"
                                                  r"|\s+(?:while|whereas|während)\s+", sentence)] + [len(sentence)]
    start = max(c for c in cuts if c <= pos)
    end = min([c for c in cuts if c > pos] + [len(sentence)])
    return start, end


def _tie_company(mention: Mention, sentence: str, s: int, in_sentence: list[CompanyMention],
                 last_company, doc_company: Company | None) -> None:
    pos = mention.amount.start - s
    c_start, c_end = _clause_bounds(sentence, pos)
    local = [(c.start - s, c) for c in in_sentence]
    for pool in ([c for p, c in local if c_start <= p < pos],           # subject of the clause
                 [c for p, c in local if p < pos],                      # earlier in the sentence
                 [c for p, c in local if pos <= p < c_end],             # later in the clause
                 [c for p, c in local]):
        if pool:
            mention.company, mention.company_how = pool[0].company, "sentence"
            return
    if last_company is not None:
        mention.company, mention.company_how = last_company[0], "previous_sentence"
    elif doc_company is not None:
        mention.company, mention.company_how = doc_company, "metadata"
    else:
        mention.problems.append("no_company")


def _tie_date(mention: Mention, sentence: str, s: int, sentence_dates: list[DateMention],
              dateline: DateMention | None, context: DocumentContext, today: dt.date) -> None:
    said = announcement_date(sentence, 0, sentence_dates, today)
    if said is not None:
        mention.announced_on, mention.announced_on_source = said.date, "text"
    elif dateline is not None:
        mention.announced_on, mention.announced_on_source = dateline.date, "text"
    elif context.date is not None:
        mention.announced_on, mention.announced_on_source = context.date, "metadata"
    else:
        mention.problems.append("no_date")
    if mention.announced_on and mention.announced_on > today:
        mention.problems.append("future_date")


def _dedupe(mentions: list[Mention]) -> list[Mention]:
    """One mention per plan and document: a headline and its body name the same figure twice.
    The mention that says most (a horizon, a company from its own sentence) wins, then the first."""
    groups: dict[tuple, list[Mention]] = {}
    for m in mentions:
        key = (m.company.name if m.company else None, m.amount.currency, m.amount.value, m.verdict.scope,
               m.announced_on, m.negation is not None)
        groups.setdefault(key, []).append(m)
    if any(k[0] is None for k in groups):
        keep = [m for k, ms in groups.items() if k[0] is None for m in ms]
    else:
        keep = []
    for key, ms in groups.items():
        if key[0] is None:
            continue
        best = max(ms, key=lambda m: (m.horizon is not None, m.company_how == "sentence", len(m.snippet),
                                      -m.amount.start))
        keep.append(best)
    return sorted(keep, key=lambda m: m.amount.start)
