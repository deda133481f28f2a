"""Whose document is it, when its text never names the company: the clues outside the sentences.

In order of trust: the letterhead (a company named in the first lines, the title block), the
dateline city of a known headquarters ('REDMOND, Wash., Jan. 3 -', 'Menlo Park (dpa) -'), the
e-mail sender's domain ('cfo@microsoft.com'), the file name ('msft_kosten_q1.xlsx'). Each clue
says how it was found (`company_how`: letterhead | dateline | sender_domain | file_name), so a
reader can tell a company the document names from one inferred for it.

Headquarters and e-mail domains: pipelines/reference/company_headquarters.csv (each row cites its
source). A city two companies share (Austin: Oracle and Tesla) names neither.
"""
from __future__ import annotations

import csv
import io
import re
from functools import lru_cache
from importlib import resources
from pathlib import PurePath

from pipelines.lib.capex.companies import Companies, Company

LETTERHEAD_LINES = 4
DATELINE_LINES = 6


@lru_cache(maxsize=1)
def headquarters() -> tuple[dict[str, list[str]], dict[str, str]]:
    """({city lower-case: [companies]}, {e-mail domain: company}) from the reference table."""
    text = resources.files("pipelines.reference").joinpath("company_headquarters.csv").read_text("utf-8")
    cities: dict[str, list[str]] = {}
    domains: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(text)):
        if row["hq_city"].strip():
            cities.setdefault(row["hq_city"].strip().lower(), []).append(row["company"].strip())
        for domain in filter(None, (d.strip().lower() for d in row["email_domains"].split("|"))):
            domains[domain] = row["company"].strip()
    return cities, domains


def _company(name: str, companies: Companies | None = None) -> Company | None:
    return (companies or Companies.bundled()).lookup(name)


def _lines(text: str, n: int) -> list[str]:
    return [ln.strip() for ln in (text or "").splitlines() if ln.strip()][:n]


def letterhead_lines(text: str) -> list[str]:
    """The document's title block: its first non-empty lines (at most LETTERHEAD_LINES) before the
    first one that reads as a sentence of the body (ends with . ! ? or runs over 100 characters)."""
    out = []
    for line in _lines(text, LETTERHEAD_LINES):
        if len(line) > 100 or re.search(r"[.!?]\s*$", line) and not re.search(r"\b(?:Inc|Corp|Co|Ltd)\.$", line):
            break
        out.append(line)
    return out


def from_letterhead(text: str, companies: Companies | None = None) -> Company | None:
    """The one company named in the document's title block (its letterhead: 'Microsoft Corporation',
    'Meta Platforms - Investor Relations'); None when none or several are."""
    companies = companies or Companies.bundled()
    found = {m.company.name: m.company for ln in letterhead_lines(text) for m in companies.find(ln)}
    return next(iter(found.values())) if len(found) == 1 else None


def from_dateline(text: str, companies: Companies | None = None) -> Company | None:
    """The company whose headquarters city opens one of the first lines as a dateline
    ('REDMOND, Wash., Jan. 3, 2025 -', 'Redmond, 3. Januar 2025 -', 'MENLO PARK (Reuters) -')."""
    cities, _ = headquarters()
    for line in _lines(text, DATELINE_LINES):
        for city, owners in cities.items():
            if re.match(rf"{re.escape(city)}\s*(?:,|\(|–|—|-\s|/)", line, re.I) and len(owners) == 1:
                return _company(owners[0], companies)
    return None


def from_sender(address: str | None, companies: Companies | None = None) -> Company | None:
    """The company an e-mail sender's domain belongs to ('Jane Roe <jane.roe@eu.microsoft.com>');
    a hook for the e-mail reader: it passes the From address of the message that carried the file."""
    m = re.search(r"@([A-Za-z0-9.-]+)", address or "")
    if not m:
        return None
    domain = m.group(1).lower().rstrip(".")
    _, domains = headquarters()
    for known, company in domains.items():
        if domain == known or domain.endswith("." + known):
            return _company(company, companies)
    return None


def from_file_name(name: str | None, companies: Companies | None = None) -> Company | None:
    """The one company the file name names ('Microsoft_Kosten_Q1.xlsx', 'msft-q1-2024.csv'); the
    name's words are compared without case, tickers and short aliases only as whole words."""
    if not name:
        return None
    companies = companies or Companies.bundled()
    stem = re.sub(r"[_.\-+]+", " ", PurePath(str(name).split("!/")[-1]).stem)
    found = {}
    for alias, company in companies.by_alias.items():
        if re.search(rf"(?<![A-Za-z0-9]){re.escape(alias)}(?![A-Za-z0-9])", stem, re.I):
            found[company.name] = company
    return next(iter(found.values())) if len(found) == 1 else None


def infer_company(text: str, *, file_name: str | None = None, sender: str | None = None,
                  companies: Companies | None = None, letterhead: bool = True
                  ) -> tuple[Company, str] | tuple[None, None]:
    """(company, how) from the first clue that names one: letterhead, dateline, sender_domain,
    file_name; (None, None) when none does."""
    clues = [("letterhead", lambda: from_letterhead(text, companies))] if letterhead else []
    clues += [("dateline", lambda: from_dateline(text, companies)),
              ("sender_domain", lambda: from_sender(sender, companies)),
              ("file_name", lambda: from_file_name(file_name, companies))]
    for how, clue in clues:
        company = clue()
        if company is not None:
            return company, how
    return None, None
