"""Capex inputs (raw/capex/): announcement documents and quarterly capex tables.

One parser for the folder, `parse_capex_file(path, today) -> Parsed`. Each row carries
`target_table`: `capex_announcements` (from TXT, Markdown, HTML, PDF, JSON, or a CSV of dated
announcements) or `capex_quarterly` (a CSV of quarterly purchases of property and equipment).
Every rejected record's check name starts with its table, so the asset can file it.

Rows from a document's text are built in `announcements`, from JSON records and a CSV of dated
announcements in `records`, from quarterly tables in `quarterly`; reading documents (HTML parsed and
never fetched or run, PDF text) is in `documents`, and amounts, dates and companies each in their own
module of this package (`mentions` ties them together).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from pipelines.lib.capex.announcements import ANNOUNCEMENTS, announcements_from_document
from pipelines.lib.capex.company_clues import infer_company
from pipelines.lib.capex.documents import DocumentError, read_document
from pipelines.lib.capex.quarterly import (
    QUARTERLY,
    parse_quarterly,
    quarterly_capex_column,
)
from pipelines.lib.capex.records import RECORD_FIELDS, announcements_from_records, parse_announcement_json
from pipelines.lib.common.csvfile import decode_text, normalise
from pipelines.lib.common.parsed import Parsed

MAX_TEXT_BYTES = 20 * 1024 * 1024   # a press release is kilobytes; beyond this the file is refused


def parse_capex_file(path: Path, today: dt.date, *, sender: str | None = None, file_name: str | None = None
                     ) -> Parsed:
    """Rows for core.capex_announcements or core.capex_quarterly from one file of raw/capex/.
    `sender` (the From address of the e-mail that carried the file) and `file_name` (its name as
    leaked; default the path's) are clues to the company of a text that never names it."""
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
    if document.context.company is None:
        company, how = infer_company(document.text, file_name=file_name or path.name, sender=sender)
        document.context.company, document.context.company_how = company, how
    return announcements_from_document(document, today)


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
    if any(h in RECORD_FIELDS["date"] for h in header) and (
            any(h.startswith(("amount", "value", "betrag")) for h in header) or
            any(h in RECORD_FIELDS["text"] for h in header)):
        items = [(f"line {r.pop('_line')}", r, None, None) for r in records]
        return announcements_from_records(items, "csv", today)
    return Parsed.failed("unknown capex CSV header: a quarterly table needs company or ticker, period_end and "
                         "capex_usd (or capex_usd_m); an announcement table needs date, company and amount",
                         f"{QUARTERLY}.unreadable_file")
