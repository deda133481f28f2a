"""Rows for core.capex_announcements from one document's text: its capex mentions (capex.mentions)
become rows, and those that cannot be loaded (no company, no date, negated, conditional) rejections.

`ANNOUNCEMENT_COLUMNS` is the rows' layout, shared with the structured records (capex.records);
`horizon_fields` turns a horizon into the rows' horizon_years, horizon_end and horizon_text.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from pipelines.lib.capex.documents import Document, is_synthetic_note
from pipelines.lib.capex.mentions import Mention, extract
from pipelines.lib.common.parsed import Parsed, Rejected

ANNOUNCEMENTS = "capex_announcements"
SCOPES = ("ai_datacenter", "total_capex", "other")

# currency_how: text (printed with the amount) | metadata | document_amounts | sec_filing | record: how the
# currency of a figure printed without one was decided (mentions.document_currency).
ANNOUNCEMENT_COLUMNS = [
    "target_table", "locator", "company", "ticker", "company_how", "announced_on", "announced_on_source",
    "amount_native", "amount_low_native", "amount_high_native", "currency", "currency_how", "qualifier", "scope",
    "horizon_years", "horizon_end", "horizon_text", "char_start", "char_end", "amount_text", "snippet",
    "language", "extraction_method", "is_synthetic",
]


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
    "several_companies": "its sentence gives it as one figure for several companies (a combined or industry "
                         "total): it is no one company's plan",
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


def horizon_fields(horizon, announced_on: dt.date | None):
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
    years, end, text = horizon_fields(mention.horizon, mention.announced_on)
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
