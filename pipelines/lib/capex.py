"""Capex inputs (raw/capex/): announcement documents and quarterly capex tables.

One parser for the folder, `parse_capex_file(path, today) -> Parsed`. Each row carries
`target_table`: `capex_announcements` (from TXT, Markdown, HTML, PDF, JSON, or a CSV of dated
announcements) or `capex_quarterly` (a CSV of quarterly purchases of property and equipment).
Every rejected record's check name starts with its table, so the asset can file it.

Documents are read, never run: HTML goes through BeautifulSoup's stdlib `html.parser` (no
network, no scripts; `<script>`, `<style>`, hidden elements and comments are dropped, and
remote references are never fetched); PDF text comes from pypdfium2. The text extraction
itself is in `pipelines.lib.capex_text`.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipelines.lib.capex_text import (
    CURRENCY_WORDS,
    Companies,
    DocumentContext,
    Mention,
    extract,
    find_amounts,
    find_horizon,
    language_of,
    parse_date,
    parse_number,
    scope_of_text,
)
from pipelines.lib.csvfile import normalise
from pipelines.lib.parsed import SYNTHETIC_PATTERN, Parsed, Rejected

ANNOUNCEMENTS, QUARTERLY = "capex_announcements", "capex_quarterly"
MAX_TEXT_BYTES = 20 * 1024 * 1024   # a press release is kilobytes; beyond this the file is refused
SCOPES = ("ai_datacenter", "total_capex", "other")

ANNOUNCEMENT_COLUMNS = [
    "target_table", "locator", "company", "ticker", "company_how", "announced_on", "announced_on_source",
    "amount_native", "amount_low_native", "amount_high_native", "currency", "qualifier", "scope",
    "horizon_years", "horizon_end", "horizon_text", "char_start", "char_end", "amount_text", "snippet",
    "language", "extraction_method", "is_synthetic",
]
QUARTERLY_COLUMNS = ["target_table", "locator", "company", "ticker", "period_end", "fiscal_label", "capex_usd",
                     "source", "is_synthetic"]


@dataclass
class Document:
    text: str
    method: str                                   # text | markdown | html | pdf
    context: DocumentContext = field(default_factory=DocumentContext)
    provenance: str = ""                          # source / note the document gives about itself
    pages: int | None = None


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
# Reading documents

class DocumentError(ValueError):
    """The file cannot be read as a document; the message says why."""


def decode_text(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def read_document(path: Path) -> Document:
    suffix = path.suffix.lower()
    raw = path.read_bytes()
    if suffix == ".pdf" or raw.startswith(b"%PDF"):
        return read_pdf(raw)
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError("binary content: not a text, HTML or PDF document")
    text = decode_text(raw)
    if suffix in (".html", ".htm") or re.match(r"\s*(?:<!doctype html|<html)", text[:1024], re.I):
        return read_html(text)
    if suffix == ".md":
        return read_markdown(text)
    return read_plain(text, "text")


_HEADER_LINE = re.compile(r"^\s*(?P<key>[A-Za-zÄÖÜäöü][\w ÄÖÜäöü-]{0,30}?)\s*:\s*(?P<value>.+?)\s*$")
_DATE_KEYS = {"date", "datum", "published", "publication date", "veröffentlicht", "erschienen", "dated",
              "release date", "announced", "announced_on", "published_at", "pubdate"}
_SOURCE_KEYS = {"source", "quelle", "note", "notes", "provenance", "hinweis", "sample", "herkunft"}
_LANG_KEYS = {"lang", "language", "sprache"}
_COMPANY_KEYS = {"company", "unternehmen", "firma", "issuer", "ticker"}


def _apply_fields(fields: dict[str, str], context: DocumentContext, document: Document, as_metadata: bool) -> None:
    """Front matter or header lines: date, language, company, provenance."""
    for key, value in fields.items():
        key = key.strip().lower()
        if key in _DATE_KEYS and as_metadata and context.date is None:
            context.date = parse_date(value, "de" if re.search(r"[A-Za-zä]", value) and
                                      language_of(value, "en") == "de" else "en")
        elif key in _LANG_KEYS:
            code = value.strip().lower()[:2]
            context.lang = code if code in ("de", "en") else context.lang
        elif key in _COMPANY_KEYS and context.company is None:
            context.company = Companies.bundled().lookup(value)
        elif key in _SOURCE_KEYS:
            document.provenance += " " + value


def read_plain(text: str, method: str) -> Document:
    """A TXT file: header lines ('Source: ...', 'Quelle: ...') until the first blank line say
    where it came from. A 'Date:' line is part of the text and found there as a dateline."""
    document = Document(text, method)
    header = {}
    for line in text.splitlines()[:15]:
        if not line.strip():
            break
        m = _HEADER_LINE.match(line)
        if m and not re.match(r"https?$", m.group("key"), re.I):
            header[m.group("key")] = m.group("value")
    _apply_fields(header, document.context, document, as_metadata=False)
    return document


def read_markdown(text: str) -> Document:
    """Markdown: an optional front matter block (--- key: value ---) is metadata; the rest is text."""
    m = re.match(r"\A\ufeff?---[ \t]*\n(?P<body>.*?)\n---[ \t]*\n", text, re.S)
    document = read_plain(text, "markdown")
    if m:
        fields = {}
        for line in m.group("body").splitlines():
            fm = _HEADER_LINE.match(line)
            if fm:
                fields[fm.group("key")] = fm.group("value").strip().strip("\"'")
        _apply_fields(fields, document.context, document, as_metadata=True)
        # the front matter is metadata, not text: blank it out, keeping every offset
        document.text = re.sub(r"[^\n]", " ", text[:m.end()]) + text[m.end():]
    return document


_BLOCK_TAGS = ["p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "h1", "h2", "h3",
               "h4", "h5", "h6", "li", "ul", "ol", "table", "tr", "td", "th", "blockquote", "pre", "title",
               "figcaption", "dd", "dt", "hr", "address", "time"]
_DROPPED_TAGS = ["script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
                 "form", "button", "select", "textarea", "link", "meta", "img", "video", "audio", "source",
                 "head"]
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0", re.I)
_META_DATE_NAMES = {"date", "pubdate", "publishdate", "publish-date", "article:published_time", "dc.date",
                    "dc.date.issued", "dcterms.date", "citation_publication_date", "og:published_time",
                    "datepublished", "sailthru.date", "parsely-pub-date"}


def read_html(markup: str) -> Document:
    """Visible text of an HTML page. Parsed with the stdlib-backed `html.parser`: nothing is
    fetched (images, stylesheets, frames, redirects) and nothing runs (scripts are removed with
    their text). Hidden elements and comments are removed too: a reader would not see them."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    context, provenance = DocumentContext(), ""
    html = soup.find("html")
    if html is not None and html.get("lang"):
        code = str(html.get("lang")).strip().lower()[:2]
        context.lang = code if code in ("de", "en") else None
    for meta in soup.find_all("meta"):
        name = str(meta.get("name") or meta.get("property") or meta.get("itemprop") or "").strip().lower()
        content = str(meta.get("content") or "").strip()
        if not content:
            continue
        if name in _META_DATE_NAMES and context.date is None:
            context.date = parse_date(content[:40])
        elif name in ("source", "dc.source", "provenance", "note"):
            provenance += " " + content
        elif name in ("company", "organization") and context.company is None:
            context.company = Companies.bundled().lookup(content)
    if context.date is None:
        for tag in soup.find_all("time"):
            if tag.get("datetime"):
                context.date = parse_date(str(tag.get("datetime"))[:40])
                if context.date:
                    break
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    body = _visible_text(soup)
    body = re.sub(r"[ \t\r\f\v\u00a0]+", " ", body)
    body = re.sub(r" ?\n ?", "\n", body)
    body = re.sub(r"\n{3,}", "\n\n", body).strip()
    text = (title + "\n\n" + body) if title else body
    return Document(text, "html", context, provenance)


def _hidden(tag) -> bool:
    attrs = tag.attrs or {}
    return ("hidden" in attrs or str(attrs.get("aria-hidden", "")).lower() == "true"
            or bool(_HIDDEN_STYLE.search(str(attrs.get("style", "")))))


def _visible_text(soup) -> str:
    """The text a reader sees, walked without recursion (a hostile page may nest 100,000 deep):
    dropped and hidden elements are skipped with everything inside them; block elements and <br>
    break lines; comments, doctypes and processing instructions are not text."""
    from bs4 import NavigableString, Tag
    from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

    dropped, blocks = set(_DROPPED_TAGS), set(_BLOCK_TAGS)
    parts: list[str] = []
    stack: list = [iter(soup.contents)]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
            continue
        if isinstance(node, str):
            if isinstance(node, NavigableString) and not isinstance(
                    node, (Comment, Declaration, Doctype, ProcessingInstruction)):
                parts.append(str(node))
            elif isinstance(node, str) and node == "\n\n":
                parts.append(node)
            continue
        if not isinstance(node, Tag):
            continue
        name = (node.name or "").lower()
        if name in dropped or _hidden(node):
            continue
        if name == "br":
            parts.append("\n")
        elif name in blocks:
            parts.append("\n\n")
            stack.append(iter(["\n\n"]))  # closes the block once its children are done
            stack.append(iter(node.contents))
        else:
            stack.append(iter(node.contents))
    return "".join(parts)


def read_pdf(raw: bytes) -> Document:
    """Text of every page (pypdfium2, about 250 pages a second); pages are separated by a blank line.
    The PDF's own dates (CreationDate) describe the file, not the announcement, and are not used."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(raw)
    except Exception as exc:  # pdfium raises its own error type for broken or encrypted files
        raise DocumentError(f"cannot open the PDF ({exc})") from None
    try:
        pages = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
            textpage.close()
            page.close()
        try:
            meta = pdf.get_metadata_dict()
        except Exception:
            meta = {}
    finally:
        pdf.close()
    text = "\n\n".join(pages)
    document = Document(text, "pdf", pages=len(pages))
    document.provenance = " ".join(str(meta.get(k, "")) for k in ("Subject", "Keywords"))
    header = read_plain(text, "pdf")
    document.provenance += header.provenance
    document.context.company = header.context.company
    return document


# ---------------------------------------------------------------------------------------------
# Announcements from a document

def _synthetic(note: str) -> bool:
    return bool(re.search(SYNTHETIC_PATTERN, note or "", re.I)) or bool(re.search(r"synthetisch|fiktiv|erfunden",
                                                                                   note or "", re.I))


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
    synthetic = _synthetic(document.provenance)
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
    "no_currency": "the amount has no currency",
}


def _reject(mention: Mention, row: dict) -> Rejected:
    first = mention.problems[0]
    reason = (f"capex amount {mention.amount.text!r} cannot be loaded: "
              + "; ".join(_PROBLEM_TEXT[p] for p in mention.problems))
    record = {k: row[k] for k in ("amount_text", "snippet", "company", "announced_on", "currency", "scope",
                                  "char_start", "char_end")}
    return Rejected(row["locator"], record, reason, f"{ANNOUNCEMENTS}.{first}")


def _horizon_fields(horizon, announced_on: dt.date | None):
    if horizon is None:
        return None, None, None
    end = dt.date(horizon.end_year, 12, 31) if horizon.end_year else None
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
        "currency": a.currency, "qualifier": a.qualifier, "scope": mention.verdict.scope,
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
    currency = str(_field(record, "currency") or currency or "").strip().upper() or None
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
    qualifier = ("exact" if low == high else "range" if low is not None and high is not None
                 else "up_to" if low is None else "at_least")
    return low, high, value, currency, qualifier, amount if amount is not None else f"{low}-{high}"


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
        synthetic = _synthetic(str(_field(record, "source") or ""))
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
            sub = announcements_from_document(
                Document(text, method, DocumentContext(announced, company, lang), str(_field(record, "source") or "")),
                today)
            for r in sub.rejected:
                rejected.append(Rejected(f"{locator} {r.locator}", r.raw_record, r.reason, r.check_name))
            for row in sub.rows.to_dict("records"):
                row.update(locator=f"{locator} {row['locator']}", char_start=None, char_end=None,
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
            "amount_high_native": high, "currency": currency, "qualifier": qualifier, "scope": scope,
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
    'bis 2028'; otherwise whatever `find_horizon` reads in it."""
    m = re.fullmatch(r"\s*(\d{1,2})\s*(?:years?|yrs?|Jahre[n]?)\s*", text, re.I)
    if m:
        return find_horizon(f"over {m.group(1)} years", 0)
    m = re.fullmatch(r"\s*(?:FY|fiscal\s+|CY|calendar\s+)?\s*(20\d\d)\s*", text, re.I)
    if m:
        return find_horizon(f"for {m.group(1)}", 0)
    m = re.fullmatch(r"\s*(?:to|until|through|by|bis)\s*~?\s*(20\d\d)\s*", text, re.I)
    if m:
        return find_horizon(f"bis {m.group(1)}", 0)
    return find_horizon(text, 0)


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
        records = _json_records(decode_text(path.read_bytes()))
    except (ValueError, RecursionError) as exc:
        return Parsed.failed(f"not valid JSON ({str(exc)[:200]})", f"{ANNOUNCEMENTS}.unreadable_file")
    return announcements_from_records(records, "json", today)


# ---------------------------------------------------------------------------------------------
# Quarterly capex tables

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


def _read_csv_text(path: Path) -> list[dict]:
    text = decode_text(path.read_bytes())
    if not text.strip():
        raise DocumentError("the file holds no data")
    try:
        dialect = csv.Sniffer().sniff(text[:65536], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    rows = list(reader)
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
    capex_col = next((h for h in header if _CAPEX_COLUMN.fullmatch(h)), None)
    has_period = any(h in _QUARTERLY_SYNONYMS["period_end"] for h in header) or \
        {"calendar_year", "calendar_quarter"} <= set(header) or {"year", "quarter"} <= set(header)
    if capex_col and has_period:
        return _quarterly(records, header, capex_col, today, lang)
    if any(h in _RECORD_FIELDS["date"] for h in header) and (
            any(h.startswith(("amount", "value", "betrag")) for h in header) or
            any(h in _RECORD_FIELDS["text"] for h in header)):
        items = [(f"line {r.pop('_line')}", r, None, None) for r in records]
        return announcements_from_records(items, "csv", today)
    return Parsed.failed("unknown capex CSV header: a quarterly table needs company or ticker, period_end and "
                         "capex_usd (or capex_usd_m); an announcement table needs date, company and amount",
                         f"{QUARTERLY}.unreadable_file")


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


def _quarterly(records: list[dict], header: list[str], capex_col: str, today: dt.date, lang: str) -> Parsed:
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
            "is_synthetic": _synthetic(" ".join(str(v) for k, v in record.items() if k in ("source", "derivation",
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

