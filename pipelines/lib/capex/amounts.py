"""Money amounts in press text, English and German.

- `find_amounts`: money phrases ("$35-40 billion", "1,5 Mrd. €", "bis zu 100 Milliarden US-Dollar")
  with scale words, currencies, ranges and qualifiers ("up to", "rund"). Numbers are read with
  babel in the sentence's locale ("1,5" is 1.5 in German, "1,500" is 1500 in English); a German
  "Billion" is 10^12, an English "billion" 10^9.
- `parse_number`: one printed number in a locale; `spelled_number`: a number written in words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.lib.capex.language import LETTER, whole_words


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
_BARE_FOLLOWER = re.compile(r"\s*(?:$|[.,;:)!?]|" + whole_words(
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
