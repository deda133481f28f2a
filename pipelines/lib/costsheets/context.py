"""What a cost sheet says about itself outside its tables: company, period, currency.

The company comes, in order, from a label line ('Unternehmen: ...', company_how 'named'), a company
named in the first lines (the letterhead or title block, 'letterhead'), the dateline city of a known
headquarters ('dateline'), the sender of the e-mail that carried the file ('sender_domain') or the
file name ('file_name') - see pipelines.lib.capex.company_clues.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipelines.lib.costsheets.periods import parse_period
from pipelines.lib.costsheets.vocab import company_in, currency_in

_LABEL_LINE = {
    "company": re.compile(r"(?im)^\s*(?:unternehmen|company|konzern|firma|gesellschaft|entity)\s*[:：]\s*(.+?)\s*$"),
    "period": re.compile(r"(?im)^\s*(?:zeitraum|berichtszeitraum|periode|period|reporting period|"
                         r"abrechnungszeitraum)\s*[:：]\s*(.+?)\s*$"),
    "currency": re.compile(r"(?im)^\s*(?:währung|currency|alle beträge in|all amounts in)\s*[:：]?\s*(.+?)\s*$"),
}



@dataclass
class Context:
    """What the document says outside its tables."""
    company: str | None = None
    period: tuple | None = None
    currency: str | None = None
    company_how: str | None = None    # named | letterhead | dateline | sender_domain | file_name

    @classmethod
    def from_text(cls, text: str, locale: str, parent: "Context | None" = None) -> "Context":
        found = {}
        for key, pattern in _LABEL_LINE.items():
            m = pattern.search(text or "")
            found[key] = m.group(1).strip() if m else None
        period = parse_period(found["period"], locale) if found["period"] else None
        currency = currency_in(found["currency"]) if found["currency"] else None
        parent = parent or cls()
        how = "named" if found["company"] else None
        if parent.company is None and found["company"] is None:
            named = company_in("\n".join((text or "").splitlines()[:6]))   # 'Microsoft Azure - internal'
            found["company"], how = (named[0], "letterhead") if named else (None, None)
        if period is None and parent.period is None:
            period = _period_in_title(text or "", locale)
        return cls(company=found["company"] or parent.company, period=period or parent.period,
                   currency=currency or parent.currency,
                   company_how=how if found["company"] else parent.company_how)

    def with_company_clues(self, text: str, *, file_name: str | None = None, sender: str | None = None
                           ) -> "Context":
        """This context, its company taken from the dateline, the e-mail sender or the file name when
        neither a label line nor the letterhead named one (the letterhead was read by from_text)."""
        if self.company is not None:
            return self
        from pipelines.lib.capex.company_clues import infer_company

        company, how = infer_company(text, file_name=file_name, sender=sender, letterhead=False)
        return replace(self, company=company.name, company_how=how) if company else self


_TITLE_PERIOD = re.compile(
    r"\bQ[1-4]\s?[/\-]?\s?\d{4}\b|\b[1-4]\.\s?Quartal\s\d{4}\b|\bH[12]\s?[/\-]?\s?\d{4}\b|"
    r"\b\d{1,2}\.\d{1,2}\.\d{4}\s*(?:–|—|-|bis)\s*\d{1,2}\.\d{1,2}\.\d{4}\b|"
    r"\b\d{4}-\d{2}-\d{2}\s*(?:–|—|-|to|bis)\s*\d{4}-\d{2}-\d{2}\b|"
    r"\b(?:FY|GJ|Geschäftsjahr|fiscal year)\s?\d{4}\b|"
    r"\b[a-zäöü]{3,9}\.?(?:\s\d{4})?\s*(?:–|—|-|bis|to|through)\s*[a-zäöü]{3,9}\.?\s\d{4}\b", re.I)


def _period_in_title(text: str, locale: str):
    """A period printed in the document's first lines without a label ('Kostenrechnung Q1/2024')."""
    for line in [ln for ln in text.splitlines() if ln.strip()][:6]:
        for m in _TITLE_PERIOD.finditer(line):     # ('für Januar bis März 2024': a month range when
            found = parse_period(m.group(0), locale)  # the words are month names)
            if found:
                return found
    return None
