"""Negated and conditional amounts: "will not spend $10bn", "dementierte", "if the permits are granted".

- `find_negation`: amounts denied, ruled out, cancelled or negated ("will not spend", "dementierte"),
  or promised only on a condition ("if", "falls"): no announcement.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.lib.capex.language import LETTER, whole_words

@dataclass
class Negation:
    kind: str     # negated | conditional
    cue: str      # the words that decided, as printed: 'denied reports', 'keine', 'if'


# A clause ends here: a negation or condition in one clause says nothing about an amount in another.
_CLAUSE_CUT = re.compile(
    r"[;:]|\s[-–—]\s|,?\s*" + whole_words(r"but|aber|sondern|however|jedoch|whereas|wohingegen|although|obwohl|though")
    + r"|,\s*" + whole_words(r"and|und|while|während")
    + r"|" + whole_words(r"and|und") + r"\s+" + whole_words(r"said|says|added|confirmed|announced|erklärte|sagte|kündigte|"
                                                  r"bestätigte|teilte"), re.I)
# Within a clause, a particle ('not', 'keine') or an object-taking verb ('scrapped') reaches only to a comma.
_PIECE_CUT = re.compile(r"[,()\[\]]")
# ... and what follows the amount only up to the next coordinated or relative clause.
_AFTER_CUT = re.compile(r"[,()\[\]]|" + whole_words(r"and|und|or|oder|that|which|who|where"), re.I)
_NOT_AFTER = (r"(?!\s+(?:only|just|merely|least|less|fewer|more|later|earlier|nur|zuletzt|weniger|mehr|später|"
              r"früher|einmal|als)(?![{L}]))(?!\s+(?:[{L}]+\s+)?(?:chang|alter|revis|rais|lower|cut|updat|adjust|ändern|"
              r"geändert|änderte|verändert|korrigier|anheb|angehoben|gesenkt|senk))").format(L=LETTER)
_CANCEL_EN = (r"scrap(?:s|ped|ping)|cancel\w*|shelv(?:e|es|ed|ing)|abandon\w*|halt(?:s|ed|ing)|paus(?:es|ed|ing)|"
              r"stop(?:s|ped|ping)|put on hold|call\w* off|back\w* away from|pull\w* (?:out of|back from|the plug on)|"
              r"walk\w* away from|drop(?:s|ped|ping) (?:plans?|its|the)|ax(?:es|ed|ing)|ditch\w*|no longer")
_NEGATION = {
    "en": {
        # may reach across commas: "denied reports, first published by ..., that it would spend"
        "deny": re.compile(whole_words(r"deny|denies|denied|denying|denial|refut\w*|ruled out|rules out|ruling out|"
                                  r"(?:rejected|dismissed|rebuffed)\s+(?:\w+\s+){0,2}?(?:reports?|claims?|"
                                  r"speculation|suggestions?|rumou?rs?)"), re.I),
        "before": re.compile(whole_words(_CANCEL_EN + r"|not|never|no(?!\.\s?\d)|nor|neither|cannot|\w+n['’]t")
                             + _NOT_AFTER, re.I),
        "after": re.compile(whole_words(r"(?:will|wo|would|does|did|is|was|are|were|may|might|could|should|can)\s*"
                                   r"(?:not|n['’]t)\s+(?:go ahead|proceed|happen|go forward|materiali[sz]e|"
                                   r"be (?:built|spent|invested|made))|(?:is|was|were|has been|have been|had been|"
                                   r"will be|would be|is being|was being)\s+(?:\w+\s+)?(?:scrapped|cancell?ed|"
                                   r"shelved|abandoned|halted|paused|stopped|put on hold|called off|dropped|axed|"
                                   r"ditched|denied)"), re.I),
        "condition": re.compile(r"(?<!even )(?<!as )" + whole_words(r"if|unless|provided(?: that)?|providing|"
                                                              r"on condition that|as long as|in the event that|"
                                                              r"(?:contingent|conditional|dependent) (?:up)?on")
                                + r"(?!\s+(?:not|any|at all)(?![A-Za-z]))", re.I),
    },
    "de": {
        "deny": re.compile(whole_words(r"dementi\w*|Dementi|bestreit\w*|bestritt\w*|zurückgewiesen|zurückweis\w*|"
                                  r"(?:wies|weist|wiesen|weisen)\s[^;]{0,80}?zurück|ausgeschlossen|"
                                  r"(?:schloss|schließt|schliesst|schlossen)(?:\s+aus|\s[^;]{0,160}?\saus(?=\W*$))|"
                                  r"(?:legt|legte|legen|legten)\s[^;]{0,160}?auf Eis"), re.I),
        "before": re.compile(whole_words(r"nicht|nie|niemals|kein(?:e[mnrs]?)?|keinerlei|stopp\w*|gestoppt|streicht|"
                                    r"strich|gestrichen|verzicht\w*|abgesagt|beerdigt|auf Eis|nicht mehr")
                             + _NOT_AFTER, re.I),
        "after": re.compile(whole_words(r"nicht|nie|niemals|kein(?:e[mnrs]?)?|gestoppt|abgesagt|gestrichen|auf Eis|"
                                   r"zurückgezogen|aufgegeben|beerdigt|dementiert|ausgeschlossen") + _NOT_AFTER, re.I),
        "condition": re.compile(r"(?<!auch )(?<!selbst )" + whole_words(r"falls|sofern|vorausgesetzt|wenn(?! auch| nicht)|"
                                                                  r"unter der (?:Bedingung|Voraussetzung)"), re.I),
    },
}


def find_negation(sentence: str, start: int, end: int, lang: str) -> Negation | None:
    """Whether the amount at sentence[start:end] is denied, ruled out, cancelled or negated ("will not
    spend $10bn", "has no plans to invest", "wird keine 5 Mrd. Euro investieren", "dementierte
    Berichte, wonach ...", "the $10bn plan was scrapped"), or depends on a condition ("would invest
    $10bn if the permits are granted", "falls die Regierung zustimmt"): then it is no announcement.

    Within the amount's clause a denial may start anywhere before it, a particle or a cancelling verb
    only in its own stretch up to a comma, and what follows it counts up to the next clause ('and',
    'that'). "not only", "no less than", "did not change its forecast of $40bn" are not negations."""
    cues = _NEGATION["de" if lang == "de" else "en"]
    c_start = max([m.end() for m in _CLAUSE_CUT.finditer(sentence, 0, start)], default=0)
    c_end = next((m.start() for m in _CLAUSE_CUT.finditer(sentence, end)), len(sentence))
    p_start = max([m.end() for m in _PIECE_CUT.finditer(sentence, c_start, start)], default=c_start)
    cut = _AFTER_CUT.search(sentence, end, c_end)
    after = sentence[end:cut.start() if cut else c_end]
    deny = cues["deny"].search(sentence, c_start, c_end)   # "legt die Pläne, ... zu investieren, auf Eis"
    found = ((deny if deny and deny.start() < start else None)
             or cues["before"].search(sentence, p_start, start) or cues["after"].search(after))
    if found:
        words = found.group(0).split()   # "legt seine Pläne, ... zu investieren, auf Eis": 'legt ... auf Eis'
        return Negation("negated", " ".join(words if len(words) <= 4 else [words[0], "...", *words[-2:]]))
    condition = cues["condition"].search(sentence[c_start:c_end])
    return Negation("conditional", condition.group(0)) if condition else None
