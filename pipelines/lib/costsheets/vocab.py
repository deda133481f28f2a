"""What a cost sheet's headers and labels mean: the synonym table, units read from headers, coins.

The synonym table is pipelines/reference/cost_sheet_headers.csv (German and English); the coin
table is pipelines/reference/coins.csv. Units come from the header text: W/kW/MW, H/s..EH/s,
€/kWh, ct/kWh, €/MWh, Tsd./Mio./Mrd., %, and a per-device marker ("je GPU", "per GPU").
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REFERENCE = Path(__file__).resolve().parents[2] / "reference"

FOOTNOTE_MARKS = "¹²³⁴⁵⁶⁷⁸⁹⁰*†‡§"
_FOOTNOTES = re.compile(f"[{re.escape(FOOTNOTE_MARKS)}]")

HASH_SCALE = {"": 1.0, "k": 1e3, "m": 1e6, "g": 1e9, "t": 1e12, "p": 1e15, "e": 1e18}
POWER_TO_KW = {"w": 1e-3, "kw": 1.0, "mw": 1e3}
CURRENCY_WORDS = [
    ("$", r"us-?dollar|usd|tusd|kusd|musd|dollar", "USD"),
    ("€", r"eur|teur|keur|meur|euro", "EUR"),
    ("£", r"gbp|pfund|pound", "GBP"),
    (None, r"chf|franken", "CHF"),
    ("¥", r"jpy|yen", "JPY"),
]
_CURRENCY = [(re.compile((re.escape(sym) + "|" if sym else "") + rf"(?<![a-z])(?:{words})(?![a-z])", re.I), code)
             for sym, words, code in CURRENCY_WORDS]
MONEY_SCALE = [
    (r"000[,.]000|mio\.?|millionen|millions?|mn|mm|m(?=\s*(?:[€$]|eur|usd))|m(?=\s*$)|meur|musd", 1e6),
    (r"tsd\.?|tausend|thousands?|k|[tk](?=[€$])|teur|tusd|keur|kusd|'?000(?![,.]?\d)", 1e3),
    (r"mrd\.?|milliarden|bn|billions?", 1e9),
]
_MONEY_SCALE = [(re.compile(rf"(?<![a-z])(?:{p})(?![a-z])", re.I), f) for p, f in MONEY_SCALE]
# the per-device marker, before or after the figure's word: 'Hashrate per GPU', 'Per-card output',
# 'MH/s per accelerator', 'Leistung je Karte', 'W/GPU'
_PER_DEVICE = re.compile(r"(?:\b(?:je|pro|per)[\s-]*|/\s*)(gpus?|gerät|device|karte|card|unit|einheit|stück|stk\.?|"
                         r"accelerator|beschleuniger|board)(?![a-zäöüß])", re.I)
# words for a performance figure whose unit says what it is: 'Output (MH/s)', 'Rechenleistung (TH/s)'
_PERFORMANCE = re.compile(r"^(?:output|performance|leistung|rechenleistung|mining-leistung|speed|rate|"
                          r"ergebnis|effective|effektiv|nominal|nominell|ist|soll|actual)?$")
_POWER_WORD = re.compile(r"^(w|kw|mw|watt|kilowatt|megawatt)$")
_HASH_UNIT = re.compile(r"(?<![a-z])([kmgtpe]?)h/s(?![a-z])", re.I)
_PRICE_UNIT = re.compile(r"(ct|cent|cents|¢|€|eur|euro|\$|usd|us\$|£|gbp|chf)?\s*(?:/|\b(?:per|je|pro)\b)\s*(kwh|mwh)\b",
                         re.I)
_POWER_UNIT = re.compile(r"(?<![a-z])(mw|kw|w)(?![a-z])", re.I)
_PERCENT = re.compile(r"%|prozent|percent", re.I)
_UNIT_PARTS = re.compile(r"\(([^)]*)\)|\[([^\]]*)\]")

TOTAL_LABEL = re.compile(r"^\s*(summe|gesamt(summe)?|insgesamt|total|totals|grand total|sum|gesamt\w*|"
                         r"zwischensumme|sub-?total|σ|Σ)(\b|$)", re.I)


@dataclass(frozen=True)
class Column:
    """What one header cell means and how to scale its values to the contract's units."""

    field: str                    # company, site, ..., hashrate, revenue, opex (None-free)
    header: str                   # as printed
    language: str                 # de | en | de en
    per_device: bool = False      # hashrate/power given per device
    hash_scale: float | None = None
    power_scale: float | None = None      # to kW
    price_scale: float | None = None      # to currency units per kWh
    money_scale: float = 1.0
    currency: str | None = None
    percent: bool = False
    inferred: str | None = None   # 'unit' | 'values': the header word is unknown, its unit or cells tell


def clean_label(text: str) -> str:
    """Lower case, footnote marks and line breaks gone, whitespace collapsed."""
    text = _FOOTNOTES.sub("", str(text or ""))
    # a word hyphenated across lines of a header cell: 'Rechen-/zentrum', 'GPU-/Modell'
    text = re.sub(r"(?<=[a-zäöüß])-[ \t]*\n\s*(?!(?:und|oder|and|or)\b)(?=[a-zäöüß])", "", text)
    text = re.sub(r"(?<=\w)-[ \t]*\n\s*(?=\w)", "-", text).replace("\n", " ")
    text = re.sub(r"(?<=[a-zäöüß])\d\b", "", text, flags=re.I)  # 'Strompreis1' (a footnote digit)
    return re.sub(r"\s+", " ", text).strip().lower()


@lru_cache(maxsize=1)
def synonyms() -> list[tuple[str, str, str]]:
    """(synonym, field, language), longest synonym first."""
    with open(REFERENCE / "cost_sheet_headers.csv", encoding="utf-8") as fh:
        rows = [(r["synonym"].lower(), r["column"], r["language"]) for r in csv.DictReader(fh)]
    return sorted(rows, key=lambda r: -len(r[0]))


@lru_cache(maxsize=1)
def coins() -> dict[str, tuple[str, str]]:
    """Lower-case name or ticker -> (TICKER, algorithm)."""
    out = {}
    with open(REFERENCE / "coins.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            for name in [r["ticker"], *r["names"].split("|")]:
                out[name.strip().lower()] = (r["ticker"], r["algorithm"])
    return out


def coin_in(text: str | None) -> tuple[str, str] | None:
    """(TICKER, algorithm) of the coin the coin table names in `text` (its longest name or ticker
    there, as a word), or None. A ticker written in lower case and followed by a full stop is an
    abbreviation, not a coin: 'GPUs, NICs, etc.' names no Ethereum Classic ('ETC.' would)."""
    text = _FOOTNOTES.sub("", str(text or ""))
    table = coins()
    tickers = {ticker.lower() for ticker, _ in table.values()}
    for name in sorted(table, key=len, reverse=True):
        for m in re.finditer(rf"(?<![a-z]){re.escape(name)}(?![a-z])", text, re.I):
            abbreviation = name in tickers and not m.group(0).isupper() and text[m.end():m.end() + 1] == "."
            if not abbreviation:
                return table[name]
    return None


def coin_of(text: str | None) -> tuple[str | None, str | None]:
    """('ETH', 'ethash') from 'ETH', 'Ethereum', 'eth (pre-merge)'; (TEXT, None) when the coin table
    names no coin there (an OCR misreading such as 'ETE' stays visible); (None, None) for an
    abbreviation that only looks like a ticker ('etc.')."""
    if not text or not str(text).strip():
        return None, None
    key = clean_label(text)
    table = coins()
    if key in table:
        return table[key]
    found = coin_in(text)
    if found:
        return found
    word = re.sub(r"[^A-Za-z0-9]", "", str(text)).upper()
    if word.lower() in table:
        return None, None
    return (word or None), None


@lru_cache(maxsize=1)
def company_aliases() -> list[tuple[str, str]]:
    """(alias, company) from pipelines/reference/capex_company_aliases.csv, longest alias first."""
    with open(REFERENCE / "capex_company_aliases.csv", encoding="utf-8") as fh:
        rows = [(r["alias"].strip(), r["company"].strip()) for r in csv.DictReader(fh) if r["alias"].strip()]
    return sorted(rows, key=lambda r: -len(r[0]))


def company_in(text: str | None) -> tuple[str, str] | None:
    """(the alias as printed, canonical company) for the longest known alias in `text`."""
    for alias, company in company_aliases():
        m = re.search(rf"(?<![\w]){re.escape(alias)}(?![\w])", text or "", re.I if len(alias) > 4 else 0)
        if m:
            return m.group(0), company
    return None


def currency_in(text: str) -> str | None:
    for pattern, code in _CURRENCY:
        if pattern.search(text or ""):
            return code
    return None


def _unit_text(header: str) -> tuple[str, str]:
    """(label without units, unit text) for 'Leistung (kW)', 'Hashrate TH/s', 'Erlös in Mio. €'."""
    units = " ".join(a or b for a, b in _UNIT_PARTS.findall(header))
    label = _UNIT_PARTS.sub(" ", header)
    match = re.search(r"\s+in\s+(.+)$", label)
    if match:
        units, label = f"{units} {match.group(1)}", label[: match.start()]
    for pattern in (_HASH_UNIT, _PRICE_UNIT, _PERCENT):
        found = pattern.search(label)
        if found:
            units, label = f"{units} {found.group(0)}", label[: found.start()] + label[found.end():]
    return re.sub(r"[^a-zäöüß0-9 -]", " ", label).strip(), units.strip()


def _field_of(label: str) -> tuple[str, str] | None:
    label = re.sub(r"\s+", " ", label).strip(" -")
    if not label:
        return None
    for synonym, field, language in synonyms():
        if label == synonym:
            return field, language
    for synonym, field, language in synonyms():   # longest contained phrase wins
        if re.search(rf"(?<![a-zäöüß]){re.escape(synonym)}(?![a-zäöüß])", label):
            return field, language
    return None


def read_header(header: str | None, locale: str = "en") -> Column | None:
    """The meaning of one header cell, or None when it is not a column the contract knows.

    A per-device marker counts wherever it stands ('Hashrate per GPU', 'Per-card output', 'MH/s per
    accelerator') and is taken out before the words are looked up, so 'accelerator' does not make
    the column a device. A hash unit makes the column a hashrate whatever the word ('Output (MH/s)');
    a word the synonym table does not know, with a power unit, makes it a power column flagged
    `inferred='unit'`."""
    text = clean_label(header or "")
    if not text or re.fullmatch(r"[\d\s.,%-]+", text):
        return None
    per_device = bool(_PER_DEVICE.search(text))
    label, units = _unit_text(_PER_DEVICE.sub(" ", text).strip() if per_device else text)
    label = re.sub(r"\s+", " ", label).strip(" -")
    found = _field_of(label)
    inferred = None
    price = _PRICE_UNIT.search(units) or _PRICE_UNIT.search(text)
    if price and (found is None or found[0] in {"power_kw", "opex", "revenue", "electricity_price"}):
        found = ("electricity_price", found[1] if found else "")
    hash_unit = _HASH_UNIT.search(units)
    if found is None and _HASH_UNIT.fullmatch(units.strip("() ")) and not label:
        found = ("hashrate", "")       # a header that is only a unit: 'TH/s'
    elif hash_unit and (found is None or found[0] in {"power_kw", "device"}) and not price:
        found = ("hashrate", found[1] if found else "")      # 'Output (MH/s)', 'Leistung (TH/s)'
        inferred = None if _PERFORMANCE.match(label) or found[1] else "unit"
    elif found is None and per_device and _POWER_WORD.match(label):
        found, units = ("power_kw", ""), label                 # 'Watt je GPU', 'kW/Karte'
    elif found is None and label and _POWER_UNIT.fullmatch(units.strip()):
        found, inferred = ("power_kw", ""), "unit"            # 'Verbrauch (kW)'
    if found is None:
        return None
    field, language = found
    if field == "idle_hours" and _PERCENT.search(units or text):
        field = "idle_share"           # 'Idle (%)' is a share of hours, not hours
    col = dict(field=field, header=str(header), language=language, per_device=per_device, inferred=inferred)
    if field == "hashrate":
        unit = _HASH_UNIT.search(units) or _HASH_UNIT.search(text)
        col["hash_scale"] = HASH_SCALE[unit.group(1).lower()] if unit else None
    elif field == "power_kw":
        if re.search(r"kwh|mwh", units, re.I):
            return None  # energy, not power: not a contract column
        unit = _POWER_UNIT.search(units) or re.match(r"(w|kw|mw)", {"watt": "w", "kilowatt": "kw",
                                                                        "megawatt": "mw"}.get(units, units))
        col["power_scale"] = POWER_TO_KW[unit.group(1).lower()] if unit else None
    elif field == "electricity_price":
        if price:
            sym, per = (price.group(1) or "").lower(), price.group(2).lower()
            cents = sym in {"ct", "cent", "cents", "¢"}
            col["price_scale"] = (0.01 if cents else 1.0) / (1000.0 if per == "mwh" else 1.0)
            col["currency"] = currency_in(sym) if not cents else None
        else:
            col["price_scale"] = None
    elif field in {"revenue", "opex"} and (re.search(r"(?<![a-z])coins?(?![a-z])", units, re.I) or coin_in(units)):
        col["field"] = "coins_mined"     # 'Ertrag (Coins)': an amount of coins, not money
    elif field in {"revenue", "opex"}:
        col["currency"] = currency_in(units) or currency_in(text.replace(label, " ")) or currency_in(text)
        for pattern, factor in _MONEY_SCALE:
            if pattern.search(units):
                col["money_scale"] = factor
                break
        if locale == "de" and re.search(r"(?<![a-z])billion(en)?(?![a-z])", units, re.I):
            col["money_scale"] = 1e12   # a German 'Billion' is 10^12
    elif field in {"utilization_share", "idle_share"}:
        col["percent"] = bool(_PERCENT.search(units) or _PERCENT.search(text))
    return Column(**col)


def map_header(cells: list[str | None], locale: str = "en") -> list[Column | None]:
    """One Column (or None) per header cell; a field seen twice keeps its first column."""
    seen, out = set(), []
    for cell in cells:
        col = read_header(cell, locale)
        if col is not None and col.field in seen:
            col = None
        if col is not None:
            seen.add(col.field)
        out.append(col)
    return out


def header_score(cells: list[str | None]) -> int:
    """How many distinct contract columns a row of cells names (a header row names >= 3)."""
    fields = set()
    for cell in cells:
        if cell and not re.search(r"\d[\d.,]*\d|\d{2,}", _UNIT_PARTS.sub("", str(cell))):
            col = read_header(cell)
            if col and not col.inferred:
                fields.add(col.field)
    return len(fields)


def header_language(cells: list[str | None]) -> str | None:
    votes = {"de": 0, "en": 0}
    for cell in cells:
        col = read_header(cell)
        if col and col.language in votes:
            votes[col.language] += 1
    if votes["de"] == votes["en"]:
        return None
    return max(votes, key=votes.get)


_MONEY_UNIT = re.compile(r"(?:(?:tsd\.?|tausend|mio\.?|mrd\.?|k|m|mn|bn|thousands?|millions?)\s*)?"
                         r"(?:€|\$|£|eur|usd|chf|gbp|teur|tusd|t€|t\$)"
                         r"(?:\s*(?:tsd\.?|mio\.?|mrd\.?|k|m|mn|bn|thousands?|millions?))?", re.I)
_OTHER_UNIT = re.compile(r"stk\.?|stück|pcs|units?|anzahl|#|h|std\.?|hours?|coins?|[kmgtpe]?wh|0\s?-\s?1", re.I)


def is_units_row(cells: list) -> bool:
    """A row printed under the header that holds only units ('', 'Stk.', 'MW', 'ct/kWh', 'Tsd. €')."""
    texts = [str(c).strip() for c in cells if c is not None and str(c).strip()]
    if not texts or any(not isinstance(c, str) for c in cells if c is not None and str(c).strip()):
        return False
    for text in texts:
        unit = text.strip("()[] ")
        if not unit or re.search(r"\d", unit.replace("0-1", "")) and not re.fullmatch(r"0\s?-\s?1", unit):
            return False
        if not any(p.fullmatch(unit) for p in (_HASH_UNIT, _PRICE_UNIT, _POWER_UNIT, _PERCENT, _MONEY_UNIT,
                                                _OTHER_UNIT)):
            return False
    return True


def cell_unit(text, field: str) -> dict:
    """The unit printed in a figure's cell when its header has none ('1.2 MW', '0.071 $/kWh', '850 GH/s'):
    the Column attributes it implies (power_scale, price_scale + currency, hash_scale), else {}."""
    if not isinstance(text, str):
        return {}
    if field == "power_kw":
        m = re.search(r"(?<![a-z])(mw|kw|w)\s*$", text.strip(), re.I)
        return {"power_scale": POWER_TO_KW[m.group(1).lower()]} if m else {}
    if field == "hashrate":
        m = _HASH_UNIT.search(text)
        return {"hash_scale": HASH_SCALE[m.group(1).lower()]} if m else {}
    if field == "electricity_price":
        m = _PRICE_UNIT.search(text)
        if not m:
            return {}
        sym, per = (m.group(1) or "").lower(), m.group(2).lower()
        cents = sym in {"ct", "cent", "cents", "¢"}
        return {"price_scale": (0.01 if cents else 1.0) / (1000.0 if per == "mwh" else 1.0),
                "currency": currency_in(text) if not cents else None}
    return {}


def is_total_label(text: str | None) -> bool:
    return bool(text) and bool(TOTAL_LABEL.match(clean_label(text)))
