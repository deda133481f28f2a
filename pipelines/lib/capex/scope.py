"""Is an amount in a sentence a capex plan, and of which scope?

- `classify`: whether an amount is a capex plan, from the nearest cue word (share buybacks,
  revenue, market value, profit, dividends, prior-period figures are not), and its scope
  (`ai_datacenter`, `total_capex`, `other`).
- `scope_of_text`: the scope a whole text gives a capex figure (a record's text).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.lib.capex.language import LETTER

def _cues(spec: dict[str, str], flags=re.I) -> list[tuple[str, re.Pattern]]:
    return [(name, re.compile(rf"(?<![{LETTER}])(?:{pattern})(?![{LETTER}])", flags)) for name, pattern in spec.items()]


NOT_CAPEX = _cues({
    "share_buyback": r"share buy-?backs?|stock buy-?backs?|buy-?backs?|buy back|buying back|repurchas\w*|"
                     r"Aktienrückk[aä]uf\w*|Rückkauf\w*|Rückkäufe\w*|zurückkaufen|zurückzukaufen",
    "revenue": r"revenues?|sales|turnover|top line|bookings|Umsatz\w*|Umsätze\w*|Erlös\w*|Einnahmen|erlöst\w*|umgesetzt",
    "market_value": r"market (?:value|valuation|capitalization|capitalisation|cap)|market-cap\w*|valued at|"
                    r"valuation|(?:is|was|are|were|be|been|now|company|firm) worth|Börsenwert\w*|Marktwert\w*|Marktkapitalisierung|Bewertung|bewertet|wert",
    "profit": r"net income|net profit|profits?|earnings|operating income|Gewinn\w*|Nettogewinn\w*|"
              r"Überschuss\w*|Reingewinn\w*|Betriebsergebnis\w*|EBITDA|EBIT|verdient\w*",
    "dividend": r"dividends?|Dividende\w*|Ausschüttung\w*|per share|a share|je Aktie|pro Aktie",
    "acquisition": r"acquisitions?|acquires?|acquired|acquiring|takeover|merger|Übernahme\w*|übernimmt|"
                   r"übernehmen|Zukauf\w*|kauft",
    "stake_or_funding": r"stake|equity|funding round|funding|raised|raises|Finanzierungsrunde\w*|Beteiligung\w*|"
                        r"Anteil\w*|sammelt\w*|eingesammelt",
    "fine": r"fined?|fines|penalt\w+|Strafe\w*|Bußgeld\w*|Geldbuße\w*|Geldstrafe\w*|settlement",
    "debt": r"bonds?|debt|loans?|notes offering|Anleihe\w*|Schulden|Kredit\w*",
    "opex": r"operating (?:costs?|expenses)|opex|OpEx|Betriebskosten|Betriebsausgaben|savings|Einsparung\w*|"
            r"cost cuts?|layoffs?|Stellenabbau",
    "cash": r"cash and (?:cash equivalents|marketable securities)|cash pile|Barmittel\w*|Liquidität",
})
# Cues that a figure is a previous or comparison value; they count only right next to it:
# before it ("up from $30bn") or after it ("$28bn a year earlier"). "$40bn, up from $30bn": 40 is new.
PRIOR_BEFORE = _cues({
    "prior_period": r"(?:up|down|raised|increased|lifted|lowered|cut|trimmed|revised|erhöht|gesenkt|angehoben) from|"
                    r"compared (?:with|to)|versus|vs\.|last year's|gegenüber|nach zuvor|"
                    r"von zuvor|zuvor|previously|bisher|statt|instead of|from an earlier|from a previous|prior|"
                    r"earlier|previous|former|vorherige\w*|ursprünglich\w*|originally",
})
PRIOR_AFTER = _cues({
    "prior_period": r"a year (?:earlier|ago|before)|the year before|year-ago|in the prior year|previously|"
                    r"im Vorjahr\w*|Vorjahr\w*|zuvor|ein Jahr zuvor",
})
# Someone else's figure for the company: not an announcement.
ESTIMATE = _cues({
    "analyst_estimate": r"analysts?(?:'s?)? (?:expect|estimate|forecast|project|see|predict)\w*|according to "
                        r"(?:analyst |market )?estimates|consensus|Analysten (?:erwarten|schätzen|rechnen)\w*|"
                        r"nach Schätzungen|Schätzungen von",
})
_FROM_BETWEEN = re.compile(r"\W*(?:(?:up|down|raised|increased|lifted|lowered|cut|trimmed|revised)\s+)?"
                           r"(?:from|von|gegenüber|nach|statt)\s*(?:the\s+|den\s+|zuvor\s+)?",
                           re.I)
TOTAL_CAPEX = _cues({
    "total_capex": r"cap-?ex|capital expenditures?|capital spending|capital investments?|capital outlays?|"
                   r"Investitionsausgaben|Investitionsbudget\w*|Sachinvestitionen|Investitionsvolumen\w*|"
                   r"purchases of property and equipment|additions to property and equipment",
}, re.I)
DATACENTER = _cues({
    "ai_datacenter": r"data ?cent(?:er|re)s?|data-cent(?:er|re)s?|datacent\w*|Rechenzent\w*|Datenzent\w*|"
                     r"server farms?|servers?|supercomputer\w*|Supercomputer\w*|cloud (?:regions?|infrastructure|"
                     r"capacity)|Cloud-?(?:Region\w*|Infrastruktur\w*|Kapazität\w*)|GPUs?|AI-?\w*|KI-?\w*|"
                     r"artificial intelligence|künstlich\w* Intelligenz|compute|Rechenkapazität\w*",
}, 0)
SPEND = _cues({
    "spend": r"invest\w*|spend\w*|spent|outlays?|build\w*|built|construct\w*|expand\w*|expansion|"
             r"Investition\w*|investier\w*|ausgeben|auszugeben|ausgegeben|Ausgaben|bauen|baut|gebaut|"
             r"errichte\w*|Ausbau|ausbauen|stecken|steckt|pump\w*|commit\w*|allocat\w*|earmark\w*|"
             r"budget\w*|costing|cost|kosten|kostet|plan\w*|Plan\w*|guidance|Prognose\w*|forecast\w*|"
             r"pour\w*|plough\w*|plow\w*|funnel\w*|inject\w*|set aside|fließen|fliessen",
})


@dataclass
class Verdict:
    is_capex: bool
    scope: str | None     # ai_datacenter | total_capex | other (when is_capex)
    reason: str           # the cue that decided, e.g. 'share_buyback' or 'spend'


def _hits(cues, text: str, offset: int = 0):
    return [(name, m.start() + offset, m.end() + offset) for name, pattern in cues for m in pattern.finditer(text)]


def classify(sentence: str, start: int, end: int, others: list[tuple[int, int]] = ()) -> Verdict:
    """Whether the amount at sentence[start:end] is a capex plan, and its scope.

    The nearest cue in the amount's own stretch of the sentence (up to the neighbouring amounts)
    decides: "revenue of $80bn" is revenue, "a $70bn buyback" a buyback, "invest $10bn" capex.
    With no cue nearby, the sentence decides when it has capex words and none of the others."""
    lo = max([e for s, e in others if e <= start] + [0, start - 90])
    hi = min([s for s, e in others if s >= end] + [len(sentence), end + 60])
    cut = re.search(r"[,;:()\[\]]|\s[-–—]\s", sentence[end:hi])
    hi = end + cut.start() if cut else hi  # what follows a comma belongs to the next clause
    window_before, window_after = sentence[lo:start], sentence[end:hi]

    def distance(hit) -> int:
        _, s, e = hit
        return start - e if e <= start else s - end

    previous_end = max([e for s, e in others if e <= start], default=None)
    if previous_end is not None and _FROM_BETWEEN.fullmatch(sentence[previous_end:start]):
        return Verdict(False, None, "prior_period")   # "to $35-40bn from $30-37bn"
    if _hits(ESTIMATE, window_before):
        return Verdict(False, None, "analyst_estimate")   # "analysts expect it to spend $100bn"
    prior = [h for h in _hits(PRIOR_BEFORE, window_before, lo) if start - h[2] <= 12]
    prior += [h for h in _hits(PRIOR_AFTER, window_after, end) if h[1] - end <= 4]
    if prior:
        return Verdict(False, None, "prior_period")
    negative = _hits(NOT_CAPEX, window_before, lo) + _hits(NOT_CAPEX, window_after, end)
    positive = (_hits(TOTAL_CAPEX, window_before, lo) + _hits(TOTAL_CAPEX, window_after, end)
                + _hits(DATACENTER, window_before, lo) + _hits(DATACENTER, window_after, end)
                + _hits(SPEND, window_before, lo) + _hits(SPEND, window_after, end))
    if negative or positive:
        nearest = min(negative + positive, key=lambda h: (distance(h), h in positive))
        if nearest in negative:
            return Verdict(False, None, nearest[0])
        return Verdict(True, _scope(sentence, positive), nearest[0])
    if _hits(NOT_CAPEX, sentence):
        return Verdict(False, None, _hits(NOT_CAPEX, sentence)[0][0])
    positive = _hits(TOTAL_CAPEX, sentence) + _hits(DATACENTER, sentence) + _hits(SPEND, sentence)
    if positive:
        return Verdict(True, _scope(sentence, positive), "sentence:" + positive[0][0])
    return Verdict(False, None, "no_capex_word")


def _scope(sentence: str, near: list) -> str:
    names = {h[0] for h in near}
    if "total_capex" in names:
        return "total_capex"
    if "ai_datacenter" in names or _hits(DATACENTER, sentence):
        return "ai_datacenter"
    if _hits(TOTAL_CAPEX, sentence):
        return "total_capex"
    return "other"


def scope_of_text(text: str) -> str:
    """The scope a text gives a capex figure when no amount in it is singled out (a record's text)."""
    return _scope(text, _hits(TOTAL_CAPEX, text) + _hits(DATACENTER, text) + _hits(SPEND, text))
