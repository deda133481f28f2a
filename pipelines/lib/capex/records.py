"""Structured capex announcements: JSON records, or the records of a CSV of dated announcements.

A record with amount fields is taken as given (`announcements_from_records`); one with only a text is
read like a document (capex.announcements) with the record's company and date as its metadata.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd

from pipelines.lib.capex.amounts import CURRENCY_WORDS, find_amounts, parse_number
from pipelines.lib.capex.announcements import (
    ANNOUNCEMENT_COLUMNS,
    ANNOUNCEMENTS,
    SCOPES,
    announcements_from_document,
    horizon_fields,
)
from pipelines.lib.capex.companies import Companies
from pipelines.lib.capex.dates import parse_date
from pipelines.lib.capex.documents import Document, is_synthetic_note
from pipelines.lib.capex.horizons import find_horizon
from pipelines.lib.capex.language import language_of
from pipelines.lib.capex.mentions import DocumentContext
from pipelines.lib.capex.scope import scope_of_text
from pipelines.lib.common.csvfile import decode_text, normalise
from pipelines.lib.common.parsed import Parsed, Rejected

RECORD_FIELDS = {
    "company": ("company", "issuer", "unternehmen", "firm", "ticker"),
    "date": ("announced_on", "date", "announcement_date", "published", "published_at", "datum", "reported_on"),
    "amount": ("amount", "betrag", "amount_text", "value"),
    "low": ("amount_low", "low", "amount_min", "min"),
    "high": ("amount_high", "high", "amount_max", "max"),
    "currency": ("currency", "waehrung", "währung", "ccy"),
    "unit": ("unit", "scale", "einheit"),
    "scope": ("scope", "category", "kind"),
    "horizon": ("horizon", "horizont", "period", "zeitraum"),
    "text": ("text", "snippet", "headline", "title", "event", "summary", "description", "body"),
    "source": ("source", "source_url", "url", "source_note", "note", "notes", "provenance", "status"),
    "lang": ("lang", "language", "sprache"),
}
_UNIT_SCALES = {"": 1.0, "usd": 1.0, "units": 1.0, "thousand": 1e3, "k": 1e3, "m": 1e6, "mn": 1e6,
                "million": 1e6, "millions": 1e6, "mio": 1e6, "bn": 1e9, "b": 1e9, "billion": 1e9,
                "billions": 1e9, "mrd": 1e9, "milliarden": 1e9, "tn": 1e12, "trillion": 1e12}


def _field(record: dict, name: str):
    for key in RECORD_FIELDS[name]:
        for actual in record:
            if normalise(str(actual)) == key:
                value = record[actual]
                if value not in (None, ""):
                    return value
    return None


def _amount_column_scale(record: dict) -> tuple[float | None, str | None, str | None]:
    """Scale and currency from a column name such as amount_usd_bn or capex_eur_m."""
    for key in record:
        m = re.fullmatch(r"(?:amount|value|betrag)_(?P<cur>[a-z]{3})(?:_(?P<unit>[a-z]+))?", normalise(str(key)))
        if m and record[key] not in (None, "") and m.group("cur").upper() in set(CURRENCY_WORDS.values()):
            unit = m.group("unit") or ""
            if unit in _UNIT_SCALES:
                return _UNIT_SCALES[unit], m.group("cur").upper(), key
    return None, None, None


def _record_amount(record: dict, lang: str):
    """(low, high, value, currency, qualifier, raw) from a record's amount fields; None when absent."""
    scale, currency, column = _amount_column_scale(record)
    unit = _field(record, "unit")
    if unit is not None:
        scale = _UNIT_SCALES.get(normalise(str(unit)), None)
        if scale is None:
            raise ValueError(f"unknown unit {unit!r}")
    currency = _record_currency(_field(record, "currency")) or currency
    amount = _field(record, "amount")
    if amount is None and column is not None:
        amount = record[column]
    low, high = _field(record, "low"), _field(record, "high")
    if isinstance(amount, str) and not re.fullmatch(r"\s*[\d.,]+\s*(?:[-–]\s*[\d.,]+\s*)?", amount):
        found = find_amounts(amount, lang)
        if not found and currency:
            found = find_amounts(f"{amount} {currency}", lang)
        if not found:
            raise ValueError(f"cannot read the amount {amount!r}")
        a = found[0]
        return a.low, a.high, a.value, a.currency or currency, a.qualifier, amount
    unit_given = scale is not None
    scale = scale or 1.0
    if isinstance(amount, str):
        parts = [p for p in re.split(r"\s*[-–]\s*", amount.strip()) if p]
        nums = [_number(p, lang) for p in parts]
        if len(nums) == 2:
            low, high = nums
        else:
            low = high = nums[0]
    elif amount is not None:
        low = high = _number(amount, lang)
    else:
        low = _number(low, lang) if low is not None else None
        high = _number(high, lang) if high is not None else None
        if low is None and high is None:
            return None
    low = low * scale if low is not None else None
    high = high * scale if high is not None else None
    if low is not None and high is not None and low > high:
        raise ValueError(f"the low end {low:g} is above the high end {high:g}")
    value = (low + high) / 2 if low is not None and high is not None else (low if low is not None else high)
    if not unit_given and value < 1e6:
        raise ValueError(f"{value:g} with no unit (bn, m, ...) is too small for a capex plan in currency units")
    qualifier = ("exact" if low == high else "range" if low is not None and high is not None
                 else "up_to" if low is None else "at_least")
    return low, high, value, currency, qualifier, amount if amount is not None else f"{low}-{high}"


def _record_currency(value) -> str | None:
    """ISO code from a record's currency field: 'USD', 'usd', '$', 'Euro', 'US-Dollar'."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if re.fullmatch(r"[A-Za-z]{3}", text):
        return text.upper()
    code = CURRENCY_WORDS.get(re.sub(r"\s+", " ", text).lower())
    if code is None:
        raise ValueError(f"unknown currency {text!r}")
    return code


def _number(value, lang: str) -> float:
    if isinstance(value, bool):
        raise ValueError("a yes/no value is not an amount")
    if isinstance(value, (int, float)):
        if value != value or value < 0:
            raise ValueError(f"not a usable amount: {value!r}")
        return float(value)
    number = parse_number(str(value), lang)
    if number is None or number < 0:
        raise ValueError(f"not a number: {value!r}")
    return number


def announcements_from_records(records: list[tuple[str, dict, int | None, int | None]], method: str,
                               today: dt.date) -> Parsed:
    """Rows from structured announcements: (locator, record, char_start, char_end) each. A record
    with amount fields is taken as given; one with only a text is read like a document, with the
    record's company and date as its metadata."""
    companies = Companies.bundled()
    rows, rejected = [], []
    for locator, record, start, end in records:
        if not isinstance(record, dict):
            rejected.append(Rejected(locator, {"value": record}, "an announcement must be an object with "
                                     "company, date and amount", f"{ANNOUNCEMENTS}.not_a_record"))
            continue
        text = str(_field(record, "text") or "")
        lang = str(_field(record, "lang") or language_of(text, "en"))[:2].lower()
        lang = lang if lang in ("de", "en") else "en"
        company_field = _field(record, "company")
        company = companies.lookup(str(company_field)) if company_field is not None else None
        raw_date = _field(record, "date")
        announced = parse_date(str(raw_date)[:40], lang) if raw_date is not None else None
        synthetic = is_synthetic_note(str(_field(record, "source") or ""))
        try:
            amount = _record_amount(record, lang)
        except (ValueError, StopIteration) as exc:
            rejected.append(Rejected(locator, record, f"cannot read the amount: {exc}", f"{ANNOUNCEMENTS}.bad_amount"))
            continue
        if amount is None:
            if not text.strip():
                rejected.append(Rejected(locator, record, "the record has no amount and no text to read one from",
                                         f"{ANNOUNCEMENTS}.no_amount"))
                continue
            context = DocumentContext(announced, company, lang, _record_currency(_field(record, "currency")))
            sub = announcements_from_document(Document(text, method, context, str(_field(record, "source") or "")),
                                              today)
            for r in sub.rejected:
                rejected.append(Rejected(f"{locator} {r.locator}", r.raw_record, r.reason, r.check_name))
            for row in sub.rows.to_dict("records"):
                # the span is the record's in the file; the locator keeps the amount's place in its text
                row.update(locator=f"{locator} {row['locator']}", char_start=start, char_end=end,
                           extraction_method=method)
                rows.append(row)
            continue
        low, high, value, currency, qualifier, raw = amount
        scope = str(_field(record, "scope") or "").strip().lower() or None
        problems = []
        if company is None:
            problems.append(("no_company", f"the company {company_field!r} is not in the alias table"
                             if company_field else "the record names no company"))
        if announced is None:
            problems.append(("no_date", f"cannot read the date {raw_date!r}" if raw_date else "the record has no date"))
        elif announced > today:
            problems.append(("future_date", f"dated {raw_date!r}, which is in the future"))
        if currency is None:
            problems.append(("no_currency", "the amount has no currency"))
        if scope is None:
            scope = scope_of_text(text)
        elif scope not in SCOPES:
            problems.append(("unknown_scope", f"scope {scope!r} is not one of {', '.join(SCOPES)}"))
        horizon_raw = _field(record, "horizon")
        horizon = record_horizon(str(horizon_raw)) if horizon_raw else None
        years, horizon_end, horizon_text = horizon_fields(horizon, announced)
        row = {
            "target_table": ANNOUNCEMENTS, "locator": locator,
            "company": company.name if company else None, "ticker": company.ticker if company else None,
            "company_how": "record", "announced_on": announced.isoformat() if announced else None,
            "announced_on_source": "metadata", "amount_native": value, "amount_low_native": low,
            "amount_high_native": high, "currency": currency, "currency_how": "record", "qualifier": qualifier,
            "scope": scope,
            "horizon_years": years, "horizon_end": horizon_end.isoformat() if horizon_end else None,
            "horizon_text": str(horizon_raw) if horizon_raw else horizon_text, "char_start": start, "char_end": end,
            "amount_text": str(raw), "snippet": (text or json.dumps(record, ensure_ascii=False, default=str))[:500],
            "language": lang, "extraction_method": method, "is_synthetic": synthetic,
        }
        if problems:
            rejected.append(Rejected(locator, record, "; ".join(p[1] for p in problems),
                                     f"{ANNOUNCEMENTS}.{problems[0][0]}"))
        else:
            rows.append(row)
    if not rows and not rejected:
        return Parsed.failed("the file holds no announcements", f"{ANNOUNCEMENTS}.no_amount")
    return Parsed(rows=pd.DataFrame(rows, columns=ANNOUNCEMENT_COLUMNS), rejected=rejected)


def record_horizon(text: str):
    """A horizon field as structured data gives it: '15 years', '15 Jahre', 'FY2024', '2024', 'to ~2028',
    'bis 2028', 'per year', 'jährlich'; otherwise whatever `find_horizon` reads in it."""
    m = re.fullmatch(r"\s*(\d{1,2})\s*(?:years?|yrs?|Jahre[n]?)\s*", text, re.I)
    if m:
        return find_horizon(f"over {m.group(1)} years", 0)
    m = re.fullmatch(r"\s*(?:FY|fiscal\s+|CY|calendar\s+)?\s*(20\d\d)\s*", text, re.I)
    if m:
        return find_horizon(f"for {m.group(1)}", 0)
    m = re.fullmatch(r"\s*(?:to|until|through|by|bis)\s*~?\s*(20\d\d)\s*", text, re.I)
    if m:
        return find_horizon(f"bis {m.group(1)}", 0)
    return find_horizon(text, 0, 0)   # 'annually', 'per year through 2028' as well


def _json_records(text: str) -> list[tuple[str, object, int | None, int | None]]:
    """The announcement records of a JSON file with their character spans: a list at the top, a
    list under a key (e.g. {"announcements": [...]}), or one object."""
    data = json.loads(text)
    decoder = json.JSONDecoder()
    if isinstance(data, dict):
        lists = [(k, v) for k, v in data.items() if isinstance(v, list)]
        if not lists:
            return [("record 1", data, None, None)]
        key, items = lists[0]
        m = re.search(r'"' + re.escape(json.dumps(key)[1:-1]) + r'"\s*:\s*\[', text)
        start = m.end() if m else None
    else:
        if not isinstance(data, list):
            raise ValueError("a JSON capex file holds a list of announcements or an object with one")
        items = data
        start = text.index("[") + 1
    out = []
    pos = start
    for i, item in enumerate(items, start=1):
        span = (None, None)
        if pos is not None:
            while pos < len(text) and text[pos] in " \t\r\n,":
                pos += 1
            try:
                _, end = decoder.raw_decode(text, pos)
                span, pos = (pos, end), end
            except json.JSONDecodeError:
                pos = None
        out.append((f"record {i}", item, *span))
    return out


def parse_announcement_json(path: Path, today: dt.date) -> Parsed:
    try:
        records = _json_records(decode_text(path.read_bytes())[0])
    except (ValueError, RecursionError) as exc:
        return Parsed.failed(f"not valid JSON ({str(exc)[:200]})", f"{ANNOUNCEMENTS}.unreadable_file")
    return announcements_from_records(records, "json", today)
