"""Capex plans in one document's text: every amount, and what it can be tied to.

- `extract`: amounts (capex.amounts), whether each is capex and its scope (capex.scope), negation
  (capex.negation), company (capex.companies), announcement date (capex.dates) and horizon
  (capex.horizons), over the document's sentences (capex.sentences): one `Mention` per amount.
- `DocumentContext`: what a document says about itself outside its sentences (metadata).
- `document_currency`: the currency of figures printed without one.
"""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from dataclasses import dataclass, field

from pipelines.lib.capex.amounts import Amount, find_amounts
from pipelines.lib.capex.companies import Companies, Company, CompanyMention
from pipelines.lib.capex.dates import DateMention, announcement_date, find_dateline, find_dates
from pipelines.lib.capex.horizons import Horizon, find_horizon
from pipelines.lib.capex.language import language_of
from pipelines.lib.capex.negation import Negation, find_negation
from pipelines.lib.capex.scope import Verdict, classify
from pipelines.lib.capex.sentences import sentences

@dataclass
class DocumentContext:
    """What a document says about itself outside its sentences."""
    date: dt.date | None = None           # publication date from metadata (front matter, <meta>, JSON)
    company: Company | None = None        # from a structured field
    lang: str | None = None               # from metadata (<html lang>, front matter)
    currency: str | None = None           # from a structured field (a record's currency)
    company_how: str | None = None        # how `company` was found: metadata (default) | letterhead | dateline |
                                          # sender_domain | file_name (capex.company_clues)


@dataclass
class Mention:
    amount: Amount
    sentence: tuple[int, int]
    snippet: str
    lang: str
    verdict: Verdict
    company: Company | None = None
    company_how: str | None = None        # sentence | previous_sentence | metadata | letterhead | dateline | ...
    currency_how: str = "text"            # text (printed with the amount) | metadata | document_amounts | sec_filing
    announced_on: dt.date | None = None
    announced_on_source: str | None = None  # text | metadata
    horizon: Horizon | None = None
    negation: Negation | None = None      # denied, ruled out, cancelled or conditional: not an announcement
    problems: list[str] = field(default_factory=list)


def extract(text: str, today: dt.date, context: DocumentContext | None = None,
            companies: Companies | None = None) -> tuple[list[Mention], list[Mention]]:
    """Every money amount in `text`: (capex mentions, other amounts). Capex mentions carry the
    company, date and horizon they could be tied to, and `problems` when they could not."""
    context = context or DocumentContext()
    companies = companies or Companies.bundled()
    doc_lang = context.lang or language_of(text)
    dateline = find_dateline(text, doc_lang, today)
    reference = dateline.date if dateline else context.date
    all_companies = companies.find(text)          # in text order
    company_starts = [c.start for c in all_companies]
    doc_company = context.company   # a company named only after the amount is not its subject
    doc_how = context.company_how or "metadata"
    letterhead_end = _letterhead_end(text) if doc_how == "letterhead" else -1
    read = []
    for s, e in sentences(text):
        lang = language_of(text[s:e], doc_lang)
        read.append((s, e, lang, find_amounts(text[s:e], lang, bare=True)))
    doc_currency = document_currency(text, context, [a for *_, amounts in read for a in amounts])
    capex, other = [], []
    last_company: tuple[Company, int] | None = None   # the subject carried from earlier sentences
    for s, e, lang, amounts in read:
        sentence = text[s:e]
        if doc_currency is None:   # a figure without a currency is money only when the document says which
            amounts = [a for a in amounts if a.currency is not None]
        in_sentence = all_companies[bisect_left(company_starts, s):bisect_left(company_starts, e)]
        spans = [(a.start, a.end) for a in amounts]
        sentence_dates = find_dates(sentence, lang, reference) if amounts else []
        for amount in amounts:
            others = [x for x in spans if x != (amount.start, amount.end)]
            if amount.previous:
                verdict = Verdict(False, None, "prior_period")
            elif amount.equivalent:
                verdict = Verdict(False, None, "currency_equivalent")
            else:
                verdict = classify(sentence, amount.start, amount.end, others)
            if verdict.is_capex and _into_company(sentence, amount.end, [c.start - s for c in in_sentence]):
                verdict = Verdict(False, None, "stake_or_funding")   # "invested $10bn in OpenAI"
            mention = Mention(Amount(amount.start + s, amount.end + s, amount.text, amount.value, amount.low,
                                     amount.high, amount.currency or doc_currency[0], amount.qualifier,
                                     amount.previous),
                              (s, e), sentence.strip(), lang, verdict,
                              currency_how="text" if amount.currency else doc_currency[1])
            if not verdict.is_capex:
                other.append(mention)
                continue
            mention.negation = find_negation(sentence, amount.start, amount.end, lang)
            if mention.negation:
                mention.problems.append(mention.negation.kind)
            _tie_company(mention, sentence, s, in_sentence, last_company, doc_company, doc_how, len(amounts))
            if mention.company_how == "previous_sentence" and last_company[1] < letterhead_end \
                    and mention.company == doc_company:
                mention.company_how = "letterhead"     # the subject carried from the title block
            _tie_date(mention, sentence, s, sentence_dates, dateline, context, today)
            mention.horizon = find_horizon(sentence, amount.start, amount.end)
            capex.append(mention)
        if in_sentence:
            last_company = (in_sentence[0].company, s)
    return _dedupe(capex), other


def _letterhead_end(text: str) -> int:
    from pipelines.lib.capex.company_clues import letterhead_lines

    lines = letterhead_lines(text)
    return text.find(lines[-1]) + len(lines[-1]) if lines else -1


_SEC_FILING = re.compile(r"\b(?:Form\s+)?10-[KQ]\b|Securities and Exchange Commission")


def document_currency(text: str, context: DocumentContext, amounts: list[Amount]) -> tuple[str, str] | None:
    """(currency, how) for the document's figures printed without one ("capex of 35-40 billion"): the
    currency in its metadata ('metadata'), else the one currency all its other amounts are in
    ('document_amounts'), else USD in a 10-Q/10-K filing ('sec_filing'); None when nothing says."""
    printed = {a.currency for a in amounts if a.currency}
    if context.currency:
        return context.currency, "metadata"
    if len(printed) == 1:
        return printed.pop(), "document_amounts"
    if not printed and _SEC_FILING.search(text):
        return "USD", "sec_filing"
    return None


def _into_company(sentence: str, end: int, company_starts: list[int]) -> bool:
    m = re.match(r"\s*(?:in|into|in das|in den|in die)\s+(?:the\s+|der\s+|die\s+|das\s+)?(?:start-?up\s+)?",
                 sentence[end:end + 40])
    return bool(m) and end + m.end() in company_starts


def _clause_bounds(sentence: str, pos: int) -> tuple[int, int]:
    cuts = [0] + [m.end() for m in re.finditer(r";|,\s*(?:while|whereas|während|wohingegen|but|aber|and|und)\b"
                                                  r"|\s+(?:while|whereas|während)\s+", sentence)] + [len(sentence)]
    start = max(c for c in cuts if c <= pos)
    end = min([c for c in cuts if c > pos] + [len(sentence)])
    return start, end


# words that make one amount a sum over several companies: an industry total, a combined figure
_COLLECTIVE = re.compile(
    r"\b(?:combined|together|collectively|jointly|in total|altogether|between them|all told|aggregate|"
    r"industry|sector|hyperscalers?|big tech|tech giants?|the (?:four|five|three|big)\b|"
    r"zusammen|gemeinsam|insgesamt|zusammengerechnet|kumuliert|branche\w*|tech-?konzerne|"
    r"die (?:vier|fünf|drei|großen)\b)", re.I)
_LIST_JOIN = re.compile(r"(?:['’]s?)?\s*(?:,|&|\band\b|\bund\b|\bsowie\b|\bas well as\b|\bor\b|\boder\b)"
                        r"[\s,]*(?:\band\b|\bund\b)?\s*", re.I)


def several_companies(sentence: str, s: int, pos: int, clause: tuple[int, int], in_sentence: list[CompanyMention],
                      amounts_in_sentence: int) -> bool:
    """Whether the amount at `pos` is one figure for several companies: its clause's subject is a list
    of three or more companies ('Microsoft, Alphabet and Meta plan to spend $200bn'), or the sentence
    names several companies and calls its only amount a total ('a combined $320bn', 'the industry',
    'zusammen'). Two partners of one project ('Microsoft and OpenAI plan a project costing $100bn')
    stay the first one's plan, as before."""
    subject = [c for c in in_sentence if clause[0] <= c.start - s < pos]
    names = {c.company.name for c in subject}
    if len(names) >= 3:
        joined = all(_LIST_JOIN.fullmatch(sentence[a.end - s:b.start - s]) for a, b in zip(subject, subject[1:]))
        if joined:
            return True
    distinct = {c.company.name for c in in_sentence}
    return len(distinct) >= 2 and amounts_in_sentence == 1 and bool(_COLLECTIVE.search(sentence))


def _tie_company(mention: Mention, sentence: str, s: int, in_sentence: list[CompanyMention],
                 last_company, doc_company: Company | None, doc_how: str = "metadata",
                 amounts_in_sentence: int = 1) -> None:
    pos = mention.amount.start - s
    c_start, c_end = _clause_bounds(sentence, pos)
    if several_companies(sentence, s, pos, (c_start, c_end), in_sentence, amounts_in_sentence):
        mention.problems.append("several_companies")   # an industry total is no one company's plan
        return
    local = [(c.start - s, c) for c in in_sentence]
    for pool in ([c for p, c in local if c_start <= p < pos],           # subject of the clause
                 [c for p, c in local if p < pos],                      # earlier in the sentence
                 [c for p, c in local if pos <= p < c_end],             # later in the clause
                 [c for p, c in local]):
        if pool:
            mention.company, mention.company_how = pool[0].company, "sentence"
            return
    if last_company is not None:
        mention.company, mention.company_how = last_company[0], "previous_sentence"
    elif doc_company is not None:
        mention.company, mention.company_how = doc_company, doc_how
    else:
        mention.problems.append("no_company")


def _tie_date(mention: Mention, sentence: str, s: int, sentence_dates: list[DateMention],
              dateline: DateMention | None, context: DocumentContext, today: dt.date) -> None:
    said = announcement_date(sentence, 0, sentence_dates, today)
    if said is not None:
        mention.announced_on, mention.announced_on_source = said.date, "text"
    elif dateline is not None:
        mention.announced_on, mention.announced_on_source = dateline.date, "text"
    elif context.date is not None:
        mention.announced_on, mention.announced_on_source = context.date, "metadata"
    else:
        mention.problems.append("no_date")
    if mention.announced_on and mention.announced_on > today:
        mention.problems.append("future_date")


def _dedupe(mentions: list[Mention]) -> list[Mention]:
    """One mention per plan and document: a headline and its body name the same figure twice.
    The mention that says most (a horizon, a company from its own sentence) wins, then the first."""
    groups: dict[tuple, list[Mention]] = {}
    for m in mentions:
        key = (m.company.name if m.company else None, m.amount.currency, m.amount.value, m.verdict.scope,
               m.announced_on, m.negation is not None)
        groups.setdefault(key, []).append(m)
    if any(k[0] is None for k in groups):
        keep = [m for k, ms in groups.items() if k[0] is None for m in ms]
    else:
        keep = []
    for key, ms in groups.items():
        if key[0] is None:
            continue
        best = max(ms, key=lambda m: (m.horizon is not None, m.company_how == "sentence", len(m.snippet),
                                      -m.amount.start))
        keep.append(best)
    return sorted(keep, key=lambda m: m.amount.start)
