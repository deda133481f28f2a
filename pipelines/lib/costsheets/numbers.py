"""Numbers as printed in a German or English sheet: '1.234,56', '1,234.56', '62 %', '(1.200)', '€ 3,5'.

Parsing uses babel's locale data (strict mode) for the document's locale. A value whose reading
depends on the locale ('12.500' in an English sheet, '12,500' in a German one) is flagged
`ambiguous_number`, never silently guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipelines.lib.costsheets.vocab import FOOTNOTE_MARKS, coins

MISSING = {"", "-", "–", "—", "n/a", "na", "n.a.", "k.a.", "k. a.", "./.", "--", "nan", "none", "null", "x"}
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007']+")
_NOISE = re.compile(rf"[{re.escape(FOOTNOTE_MARKS)}]|[€$£¥]|\b(?:eur|usd|chf|gbp|us-dollar|euro)\b", re.I)
# a unit after the number: hashrate, power, energy price, count, or a coin of the coin table ('12,5 BTC')
_COIN_WORDS = "|".join(re.escape(name) for name in sorted(coins(), key=len, reverse=True))
_UNIT_TAIL = re.compile(r"\s*(?:[kmgtpe]?h/s|(?:ct|cents?|¢)?\s*/\s*[km]wh|kwh|mwh|kw|mw|w|h|ct|stk\.?|pcs|gpus?|"
                        rf"{_COIN_WORDS})\s*$", re.I)
SCALE_WORDS = {
    "any": {"k": 1e3, "tsd": 1e3, "tausend": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "mio": 1e6, "million": 1e6,
            "millionen": 1e6, "bn": 1e9, "mrd": 1e9, "milliarden": 1e9, "billion": 1e9},
    "de": {"billion": 1e12, "billionen": 1e12, "bio": 1e12},
}
_SCALE_TAIL = re.compile(r"(?<=[\d\s])\s*(k|tsd\.?|tausend|m|mm|mn|mio\.?|millionen|million|bn|mrd\.?|milliarden|"
                         r"billionen|billion|bio\.?)\s*$", re.I)
_GROUPED_DOTS = re.compile(r"[1-9]\d{0,2}(\.\d{3})+")
_GROUPED_COMMAS = re.compile(r"[1-9]\d{0,2}(,\d{3})+")

_DE_SIGNS = [re.compile(p) for p in (r"\d,\d{1,2}(?![\d])", r"\d\.\d{3},\d", r"(?<![\d.,])\d{1,3}(\.\d{3}){2,}(?![\d,.])")]
_EN_SIGNS = [re.compile(p) for p in (r"\d\.\d{1,2}(?![\d])", r"\d,\d{3}\.\d", r"(?<![\d.,])\d{1,3}(,\d{3}){2,}(?![\d,.])")]


@dataclass
class Number:
    value: float | None
    flags: list[str] = field(default_factory=list)
    percent: bool = False
    currency: str | None = None
    missing: bool = False       # printed as blank, '-' or 'n/a'
    typed: bool = False         # a number cell of a spreadsheet, not printed text


def detect_locale(texts, header_language: str | None = None) -> str:
    """'de' or 'en' from how the numbers are written; the headers' language breaks a tie."""
    de = en = 0
    for text in texts:
        if not text:
            continue
        text = str(text)
        de += sum(bool(p.search(text)) for p in _DE_SIGNS)
        en += sum(bool(p.search(text)) for p in _EN_SIGNS)
    if de != en:
        return "de" if de > en else "en"
    return header_language or "en"


def _babel(text: str, locale: str):
    from babel.numbers import NumberFormatError, parse_decimal

    try:
        return float(parse_decimal(text, locale=locale, strict=True))
    except (NumberFormatError, ValueError, ArithmeticError):
        return None


def parse_number(text, locale: str, *, integer: bool = False) -> Number:
    """The number printed in `text` for `locale` ('de' | 'en'); integer=True for counts, where
    '12.500' in an English sheet reads as 12500 (flagged) rather than 12.5 GPUs."""
    if text is None:
        return Number(None, missing=True)
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return Number(None if text != text else float(text), typed=True, missing=text != text)
    raw = str(text).strip()
    if raw.lower() in MISSING:
        return Number(None, missing=True)
    from pipelines.lib.costsheets.vocab import currency_in

    currency = currency_in(raw)
    percent = "%" in raw
    s = _NOISE.sub("", raw).replace("%", "").replace("\u2212", "-")
    scale = 1.0
    m = _SCALE_TAIL.search(s)
    if m and re.search(r"\d", s[:m.start()]):
        word = m.group(1).lower().rstrip(".")
        scale = SCALE_WORDS["de" if locale == "de" and word.startswith("bil") else "any"].get(word, 1.0)
        s = s[:m.start()]
    s = _UNIT_TAIL.sub("", s)
    s = _SPACES.sub("", s)
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    if s.endswith("-") and len(s) > 1:              # German accounting: '1.234-'
        negative, s = True, s[:-1]
    if s.startswith(("-", "+")):
        negative, s = s[0] == "-", s[1:]
    s = re.sub(r"^(?:ca\.?|approx\.?|~|≈)", "", s, flags=re.I)
    if re.fullmatch(r"[\d.,]*\d[.,]", s):          # a stray full stop after the number (OCR, prose)
        s = s[:-1]
    if not s or not re.fullmatch(r"[\d.,]+", s) or not re.search(r"\d", s):
        return Number(None, flags=["unparsed"], percent=percent, currency=currency)
    flags = []
    value = _babel(s, locale)
    other = "en" if locale == "de" else "de"
    grouped = _GROUPED_DOTS if locale == "en" else _GROUPED_COMMAS
    if grouped.fullmatch(s):
        flags.append("ambiguous_number")
        if integer:
            value = _babel(s, other)
    if value is None:
        value = _babel(s, other)
        if value is None:
            return Number(None, flags=["unparsed"], percent=percent, currency=currency)
        flags.append("locale_mismatch")
    value *= scale
    return Number(-value if negative else value, flags=flags, percent=percent, currency=currency)
