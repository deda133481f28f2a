"""The companies capex plans are about: the alias table (pipelines/reference/capex_company_aliases.csv)
as one regex (`Companies`), to find them in text and to look up a name given in a structured field.

Small on purpose: the models read company names through it without importing the press-text readers.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

@dataclass(frozen=True)
class Company:
    name: str
    ticker: str | None
    fiscal_year_end_month: int


@dataclass
class CompanyMention:
    start: int
    end: int
    alias: str
    company: Company


class Companies:
    """The alias table as one regex. Aliases match as written (a proper noun: 'Meta', not 'meta'),
    or in capitals; a trailing possessive or German genitive ('Amazon's', 'Googles') is allowed."""

    def __init__(self, rows: list[dict]):
        self.by_alias: dict[str, Company] = {}
        self.by_name: dict[str, Company] = {}
        for row in rows:
            month = int(row.get("fiscal_year_end_month") or 12)
            company = Company(row["company"].strip(), (row.get("ticker") or "").strip() or None, month)
            self.by_name.setdefault(company.name.lower(), company)
            for form in {row["alias"].strip(), row["alias"].strip().upper()}:
                self.by_alias.setdefault(form, company)
        names = sorted(self.by_alias, key=len, reverse=True)
        self._pattern = re.compile(rf"(?<![\w.-])({'|'.join(map(re.escape, names))})(?:['’]s|s)?(?![\w])")

    @classmethod
    @lru_cache(maxsize=1)
    def bundled(cls) -> "Companies":
        text = resources.files("pipelines.reference").joinpath("capex_company_aliases.csv").read_text("utf-8")
        return cls(list(csv.DictReader(io.StringIO(text))))

    def find(self, text: str) -> list[CompanyMention]:
        return [CompanyMention(m.start(), m.end(), m.group(1), self.by_alias[m.group(1)])
                for m in self._pattern.finditer(text)]

    def lookup(self, name: str | None) -> Company | None:
        """A company from a name, alias or ticker given in a structured field; None if unknown."""
        if not name or not str(name).strip():
            return None
        text = str(name).strip()
        if text in self.by_alias:
            return self.by_alias[text]
        if text.upper() in self.by_alias and text.isupper():
            return self.by_alias[text.upper()]
        if text.lower() in self.by_name:
            return self.by_name[text.lower()]
        found = self.find(text)
        return found[0].company if found else None
