"""Capex inputs (raw/capex/): announcement documents and quarterly capex tables.

One parser for the folder, `parse_capex_file(path, today) -> Parsed`. Each row carries
`target_table`: `capex_announcements` (from TXT, Markdown, HTML, PDF, JSON, or a CSV of dated
announcements) or `capex_quarterly` (a CSV of quarterly purchases of property and equipment).
Every rejected record's check name starts with its table, so the asset can file it.

Reading documents (HTML parsed and never fetched or run, PDF text) is in `documents`, quarterly
tables in `quarterly`, and the reading of amounts, dates and companies in `text`.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pandas as pd

from pipelines.lib.capex.amounts import CURRENCY_WORDS, find_amounts, parse_number
from pipelines.lib.capex.companies import Companies
from pipelines.lib.capex.dates import parse_date
from pipelines.lib.capex.documents import (
    Document,
    DocumentError,
    is_synthetic_note,
    read_document,
)
from pipelines.lib.capex.quarterly import (
    QUARTERLY,
    parse_quarterly,
    quarterly_capex_column,
)
from pipelines.lib.capex.horizons import find_horizon
from pipelines.lib.capex.language import language_of
from pipelines.lib.capex.mentions import DocumentContext, Mention, extract
from pipelines.lib.capex.scope import scope_of_text
from pipelines.lib.common.csvfile import decode_text, normalise
from pipelines.lib.common.parsed import Parsed, Rejected

ANNOUNCEMENTS = "capex_announcements"
MAX_TEXT_BYTES = 20 * 1024 * 1024   # a press release is kilobytes; beyond this the file is refused
SCOPES = ("ai_datacenter", "total_capex", "other")

# currency_how: text (printed with the amount) | metadata | document_amounts | sec_filing | record: how the
# currency of a figure printed without one was decided (text.document_currency).
ANNOUNCEMENT_COLUMNS = [
    "target_table", "locator", "company", "ticker", "company_how", "announced_on", "announced_on_source",
    "amount_native", "amount_low_native", "amount_high_native", "currency", "currency_how", "qualifier", "scope",
    "horizon_years", "horizon_end", "horizon_text", "char_start", "char_end", "amount_text", "snippet",
    "language", "extraction_method", "is_synthetic",
]



def parse_capex_file(path: Path, today: dt.date) -> Parsed:
    """Rows for core.capex_announcements or core.capex_quarterly from one file of raw/capex/."""
    suffix = path.suffix.lower()
    if path.stat().st_size > MAX_TEXT_BYTES:
        return Parsed.failed(f"the file is larger than {MAX_TEXT_BYTES // 2**20} MB: not a press release or table",
                             f"{ANNOUNCEMENTS}.too_large")
    if suffix in (".csv", ".tsv"):
        return parse_capex_csv(path, today)
    if suffix == ".json":
        return parse_announcement_json(path, today)
    try:
        document = read_document(path)
    except DocumentError as exc:
        return Parsed.failed(str(exc), f"{ANNOUNCEMENTS}.unreadable_file")
    return announcements_from_document(document, today)


# ---------------------------------------------------------------------------------------------
# Announcements from a document

def announcements_from_document(document: Document, today: dt.date) -> Parsed:
    if not document.text.strip():
        reason = ("the PDF has no text layer (a scan?): no amount can be read" if document.method == "pdf"
                  else "the document has no text")
        return Parsed.failed(reason, f"{ANNOUNCEMENTS}.no_text")
    capex, other = extract(document.text, today, document.context)
    if not capex and not other:
        return Parsed.failed("no amount of money found in the text (a figure needs a currency: $, USD, EUR, €, "
                             "US-Dollar, Euro ...)", f"{ANNOUNCEMENTS}.no_amount")
    if not capex:
        kinds = sorted({m.verdict.reason for m in other})
        return Parsed.failed(f"{len(other)} amount(s) found but none is a capex plan ({', '.join(kinds)}): "
                             + "; ".join(m.amount.text for m in other[:5]), f"{ANNOUNCEMENTS}.no_capex_amount")
    synthetic = is_synthetic_note(document.provenance)
    rows, rejected = [], []
    for mention in capex:
        row = _mention_row(mention, document.method, synthetic)
        if mention.problems:
            rejected.append(_reject(mention, row))
        else:
            rows.append(row)
    notes = [f"{len(other)} other amount(s): " + ", ".join(sorted({m.verdict.reason for m in other}))] if other else []
    return Parsed(rows=pd.DataFrame(rows, columns=ANNOUNCEMENT_COLUMNS), rejected=rejected, notes=notes)


_PROBLEM_TEXT = {
    "no_company": "no company from the alias table is named in its sentence, the sentences before it or the "
                  "document",
    "no_date": "no announcement date in its sentence, the document's dateline or metadata",
    "future_date": "its announcement date lies in the future",
    "negated": "its sentence denies, rules out or cancels it: it is not announced",
    "conditional": "its sentence makes it depend on a condition: it is not an announced plan",
}


def _reject(mention: Mention, row: dict) -> Rejected:
    """A capex amount that is not loaded: 'negated: ...' / 'conditional: ...' (with the words that say
    so) when its sentence takes it back, else why it cannot be tied to a company, date or currency."""
    first = mention.problems[0]
    reason = (f"capex amount {mention.amount.text!r} cannot be loaded: "
              + "; ".join(_PROBLEM_TEXT[p] for p in mention.problems))
    if mention.negation:
        reason = f"{mention.negation.kind}: {mention.negation.cue!r} - {reason}"
    record = {k: row[k] for k in ("amount_text", "snippet", "company", "announced_on", "currency", "currency_how",
                                  "scope", "char_start", "char_end")}
    return Rejected(row["locator"], record, reason, f"{ANNOUNCEMENTS}.{first}")


def _horizon_fields(horizon, announced_on: dt.date | None):
    """(horizon_years, horizon_end, horizon_text): horizon_years is the time amount_native is spent over.
    For a rate ("$10bn a year for five years", "jährlich 5 Mrd. Euro bis 2028") amount_native is the
    per-year figure as printed and never multiplied out: horizon_years is 1, horizon_end the end of the
    rate's period when the text gives an end year, and horizon_text holds both phrases."""
    if horizon is None:
        return None, None, None
    end_year = horizon.end_year
    if end_year is None and horizon.years_ahead is not None and announced_on is not None:
        end_year = announced_on.year + horizon.years_ahead   # "this year", "im nächsten Jahr"
    end = dt.date(end_year, 12, 31) if end_year else None
    if horizon.per_year:
        return 1.0, end, horizon.text
    years = horizon.years
    if years is None and end is not None and announced_on is not None:
        years = round((end - announced_on).days / 365.25, 2)
    return years, end, horizon.text


def _mention_row(mention: Mention, method: str, synthetic: bool) -> dict:
    a = mention.amount
    years, end, text = _horizon_fields(mention.horizon, mention.announced_on)
    return {
        "target_table": ANNOUNCEMENTS, "locator": f"chars {a.start}-{a.end}",
        "company": mention.company.name if mention.company else None,
        "ticker": mention.company.ticker if mention.company else None,
        "company_how": mention.company_how,
        "announced_on": mention.announced_on.isoformat() if mention.announced_on else None,
        "announced_on_source": mention.announced_on_source,
        "amount_native": a.value, "amount_low_native": a.low, "amount_high_native": a.high,
        "currency": a.currency, "currency_how": mention.currency_how, "qualifier": a.qualifier,
        "scope": mention.verdict.scope,
        "horizon_years": years, "horizon_end": end.isoformat() if end else None, "horizon_text": text,
        "char_start": a.start, "char_end": a.end, "amount_text": a.text, "snippet": " ".join(mention.snippet.split())[:500],
        "language": mention.lang, "extraction_method": method, "is_synthetic": synthetic,
    }


# ---------------------------------------------------------------------------------------------
# Structured announcements: JSON records, or a CSV of dated announcements

_RECORD_FIELDS = {
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
    for key in _RECORD_FIELDS[name]:
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
        years, horizon_end, horizon_text = _horizon_fields(horizon, announced)
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


def _read_csv_text(path: Path) -> list[dict]:
    text, _ = decode_text(path.read_bytes())
    if not text.strip():
        raise DocumentError("the file holds no data")
    try:
        dialect = csv.Sniffer().sniff(text[:65536], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:  # a NUL byte, an endless quoted field
        raise DocumentError(f"not a readable CSV table ({exc})") from None
    if not rows:
        raise DocumentError("the file holds no data")
    header = [normalise(c) or f"column_{i}" for i, c in enumerate(rows[0])]
    out = []
    for line, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        record = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
        record["_line"] = line
        out.append(record)
    return [{"_header": header, "_lang": "de" if dialect.delimiter == ";" else "en"}] + out


def parse_capex_csv(path: Path, today: dt.date) -> Parsed:
    try:
        rows = _read_csv_text(path)
    except DocumentError as exc:
        return Parsed.failed(str(exc), f"{QUARTERLY}.unreadable_file")
    header, lang, records = rows[0]["_header"], rows[0]["_lang"], rows[1:]
    capex_col = quarterly_capex_column(header)
    if capex_col:
        return parse_quarterly(records, header, capex_col, today, lang)
    if any(h in _RECORD_FIELDS["date"] for h in header) and (
            any(h.startswith(("amount", "value", "betrag")) for h in header) or
            any(h in _RECORD_FIELDS["text"] for h in header)):
        items = [(f"line {r.pop('_line')}", r, None, None) for r in records]
        return announcements_from_records(items, "csv", today)
    return Parsed.failed("unknown capex CSV header: a quarterly table needs company or ticker, period_end and "
                         "capex_usd (or capex_usd_m); an announcement table needs date, company and amount",
                         f"{QUARTERLY}.unreadable_file")
