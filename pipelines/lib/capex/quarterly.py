"""Quarterly capex tables as filed: company or ticker, period end, purchases of property and equipment.

Columns are found by name (`period_end`, `quarter_end`, `2024-Q1`, or `calendar_year` + `calendar_quarter`;
`capex_usd`, `capex_usd_m`, `purchases_of_property_and_equipment_usd_millions`, ...); numbers are read in
the file's locale; each row keeps the filing it cites.
"""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from pipelines.lib.capex.documents import is_synthetic_note
from pipelines.lib.capex.amounts import parse_number
from pipelines.lib.capex.companies import Companies
from pipelines.lib.capex.dates import parse_date
from pipelines.lib.common.parsed import Parsed, Rejected

QUARTERLY = "capex_quarterly"
QUARTERLY_COLUMNS = ["target_table", "locator", "company", "ticker", "period_end", "fiscal_label", "capex_usd",
                     "source", "is_synthetic"]

_QUARTERLY_SYNONYMS = {
    "period_end": ("period_end", "quarter_end", "period_ending", "quarter_ended", "period", "date", "periodende",
                   "quartalsende"),
    "fiscal_label": ("fiscal_label", "fiscal_period", "fiscal_quarter", "fiscal", "label"),
    "company": ("company", "name", "unternehmen", "issuer"),
    "ticker": ("ticker", "symbol"),
    "source": ("source", "filing", "quelle", "citation"),
}
_CAPEX_COLUMN = re.compile(r"(?:capex|capital_expenditures?|purchases_of_property_and_equipment|"
                           r"additions_to_property_and_equipment|payments_usd|payments_to_acquire\w*)"
                           r"(?:_usd)?(?:_(?P<unit>k|thousands?|m|mn|millions?|bn|billions?))?(?:_usd)?")
_COLUMN_SCALES = {None: 1.0, "k": 1e3, "thousand": 1e3, "thousands": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6,
                  "millions": 1e6, "bn": 1e9, "billion": 1e9, "billions": 1e9}
_CALENDAR_QUARTER = re.compile(r"\s*(?:Q([1-4])\s*[-/ ]?\s*(\d{4})|(\d{4})\s*[-/ ]?\s*Q([1-4]))\s*", re.I)


def _quarter_end(year: int, quarter: int) -> dt.date:
    month = 3 * quarter
    return dt.date(year, month, 31 if month in (3, 12) else 30)


def _period_end(record: dict) -> tuple[dt.date | None, str]:
    for key in _QUARTERLY_SYNONYMS["period_end"]:
        if record.get(key):
            m = _CALENDAR_QUARTER.fullmatch(record[key])
            if m:  # "2024-Q1", "Q1 2024": a calendar quarter
                return _quarter_end(int(m.group(2) or m.group(3)), int(m.group(1) or m.group(4))), record[key]
            return parse_date(record[key]), record[key]
    year = record.get("calendar_year") or record.get("year")
    quarter = record.get("calendar_quarter") or record.get("quarter")
    if year and quarter and re.fullmatch(r"\d{4}", year) and re.fullmatch(r"[Qq]?[1-4]", quarter):
        return _quarter_end(int(year), int(quarter[-1])), f"{year} Q{quarter[-1]}"
    return None, f"{year or ''} {quarter or ''}".strip()


def fiscal_label(period_end: dt.date, fiscal_year_end_month: int) -> str:
    """'FY2024 Q3' for a quarter ending 2024-03-31 at a June year end (Microsoft); calendar otherwise."""
    months_into_year = (period_end.month - fiscal_year_end_month - 1) % 12 + 1
    fiscal_year = period_end.year + (1 if period_end.month > fiscal_year_end_month else 0)
    if fiscal_year_end_month == 12:
        fiscal_year = period_end.year
    return f"FY{fiscal_year} Q{(months_into_year - 1) // 3 + 1}"


def cell_number(text: str, lang: str) -> float | None:
    """A table cell as a number in the file's locale ('10,952' in an English file, '10.952' in a German
    one); '(14,923)' and '-14923' are negative; '$', '€' and spaces are ignored; None if not a number."""
    core = re.sub(r"[$€\s\u00a0]|USD|EUR", "", text or "").replace("\u2212", "-")
    negative = core.startswith("(") and core.endswith(")") or core.startswith("-")
    core = core.strip("()-+")
    if not re.fullmatch(r"[\d.,']+", core) or not re.search(r"\d", core):
        return None
    number = parse_number(core, lang)
    return None if number is None else (-number if negative else number)


def quarterly_capex_column(header: list[str]) -> str | None:
    """The capex column of a quarterly table's (normalised) header, or None when it is not one."""
    capex_col = next((h for h in header if _CAPEX_COLUMN.fullmatch(h)), None)
    has_period = any(h in _QUARTERLY_SYNONYMS["period_end"] for h in header) or \
        {"calendar_year", "calendar_quarter"} <= set(header) or {"year", "quarter"} <= set(header)
    return capex_col if has_period else None


def parse_quarterly(records: list[dict], header: list[str], capex_col: str, today: dt.date, lang: str) -> Parsed:
    """Rows for core.capex_quarterly from a table's records ({column: text, '_line': n})."""
    scale = _COLUMN_SCALES[_CAPEX_COLUMN.fullmatch(capex_col).group("unit")]
    companies = Companies.bundled()
    col = {k: next((h for h in v if h in header), None) for k, v in _QUARTERLY_SYNONYMS.items()}
    rows, rejected, seen = [], [], {}

    def reject(record, check, reason):
        clean = {k: v for k, v in record.items() if not k.startswith("_")}
        rejected.append(Rejected(f"line {record['_line']}", clean, reason, f"{QUARTERLY}.{check}"))

    for record in records:
        name = record.get(col["company"]) if col["company"] else None
        ticker = record.get(col["ticker"]) if col["ticker"] else None
        company = companies.lookup(ticker) or companies.lookup(name)
        period_end, raw_period = _period_end(record)
        value = cell_number(record.get(capex_col, ""), lang)
        if not (name or ticker):
            reject(record, "no_company", "the row names no company or ticker")
            continue
        if company is None and not (ticker or "").strip():
            reject(record, "unknown_company", f"the company {name!r} is not in the alias table and the row "
                   "gives no ticker")
            continue
        if period_end is None and re.fullmatch(r"\d{4} 0", raw_period):
            reject(record, "annual_total", f"{raw_period!r}: quarter 0 is a full-year total, not a quarter")
            continue
        if period_end is None:
            reject(record, "unparseable_date", f"cannot read the period end {raw_period!r}")
            continue
        if period_end > today:
            reject(record, "future_date", f"the period ends {period_end}, which is in the future")
            continue
        if value is None:
            reject(record, "unparseable_number", f"capex is not a number: {record.get(capex_col)!r}")
            continue
        label = (record.get(col["fiscal_label"]) if col["fiscal_label"] else None) or \
            fiscal_label(period_end, company.fiscal_year_end_month if company else 12)
        row = {
            "target_table": QUARTERLY, "locator": f"line {record['_line']}",
            "company": company.name if company else (name or ticker).strip(),
            "ticker": company.ticker if company and company.ticker else (ticker or "").strip().upper() or None,
            "period_end": period_end.isoformat(), "fiscal_label": label,
            # cash-flow statements print purchases as outflows, (14,923) or -14923: capex is the amount spent
            "capex_usd": abs(float(value)) * scale,
            "source": record.get(col["source"]) if col["source"] else None,
            "is_synthetic": is_synthetic_note(" ".join(str(v) for k, v in record.items() if k in ("source", "derivation",
                                                                                          "note", "notes"))),
        }
        seen.setdefault((row["ticker"] or row["company"], row["period_end"]), []).append((record, row))
    for (who, period), group in seen.items():
        values = {row["capex_usd"] for _, row in group}
        if len(values) > 1:
            for record, _ in group:  # which one is right is not ours to guess
                reject(record, "conflicting_duplicate", f"{who} {period} appears more than once with different "
                       f"capex ({', '.join(f'{v:,.0f}' for v in sorted(values))} USD)")
        else:
            rows.append(group[0][1])  # identical repeats: one copy is kept
    if not rows and not rejected:
        return Parsed.failed("the table has no data rows", f"{QUARTERLY}.unreadable_file")
    return Parsed(rows=pd.DataFrame(rows, columns=QUARTERLY_COLUMNS), rejected=rejected)
