"""How text becomes index terms, the same way for a document and for a query, and how a hit is shown.

Three analyzers, all tantivy's own filters (rust-stemmers' Snowball stemmers, no second copy here):
words split at anything not a letter or digit, words over MAX_TOKEN_BYTES dropped (base64 blobs,
hashes), lower-cased, accents folded to ASCII ('Müller' -> 'muller', 'Straße' -> 'strasse'), then

- FOLDED: nothing more: the field phrase queries ("exact words") run on;
- ENGLISH: the English Snowball stemmer ('mining', 'mined' -> 'mine');
- GERMAN: the German Snowball stemmer ('Grafikkarten', 'Grafikkarte' -> 'grafikkart').

Folding comes before stemming, so 'muller' typed without its umlaut meets 'Müller' in every field.
A German compound is one word: 'Kosten' does not find 'Kostenstelle' (no decompounding).

`highlight(text, terms)` finds the words of a stored text that a query matched (a word matches when
its folded form is a query word's or a phrase word's folded form, or its English or German stem is a
bare query word's stem in the same language) and cuts a snippet around the densest run of them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import tantivy

FOLDED, ENGLISH, GERMAN = "leakpipe_folded", "leakpipe_en", "leakpipe_de"
STEMMERS = {FOLDED: None, ENGLISH: "english", GERMAN: "german"}
MAX_TOKEN_BYTES = 60
_WORD = re.compile(r"[^\W_]+")          # tantivy's simple tokenizer: runs of letters and digits
_QUERY = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")      # C0 (tab and newline aside), DEL, C1


@lru_cache(maxsize=None)
def analyzer(name: str) -> tantivy.TextAnalyzer:
    """The analyzer registered under `name` (FOLDED, ENGLISH, GERMAN)."""
    builder = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
               .filter(tantivy.Filter.remove_long(MAX_TOKEN_BYTES))
               .filter(tantivy.Filter.lowercase())
               .filter(tantivy.Filter.ascii_fold()))
    if STEMMERS[name]:
        builder = builder.filter(tantivy.Filter.stemmer(STEMMERS[name]))
    return builder.build()


def register(index: tantivy.Index) -> tantivy.Index:
    """Tantivy keeps an analyzer's name in the schema, not the analyzer: register them on every open."""
    for name in STEMMERS:
        index.register_tokenizer(name, analyzer(name))
    return index


def terms(text: str, name: str) -> list[str]:
    """The index terms `text` gives under analyzer `name`, in order."""
    return analyzer(name).analyze(text)


@dataclass(frozen=True)
class QueryTerms:
    """A query taken apart: each bare word's terms per analyzer, each phrase's folded words, exclusions."""
    words: list[dict[str, list[str]]] = field(default_factory=list)   # analyzer -> terms, one per bare word
    phrases: list[list[str]] = field(default_factory=list)            # folded words of each "phrase"
    excluded: list[dict[str, list[str]]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.words or self.phrases)


def parse_query(query: str) -> QueryTerms:
    """Bare words must all occur (in any form the stemmers join), "quoted words" must occur as written
    (accents and case aside) and next to each other, a word or phrase after '-' must not occur."""
    out = QueryTerms()
    for minus, phrase, word in _QUERY.findall(query):
        if phrase or minus and not word:
            folded = terms(phrase, FOLDED)
            if folded:
                (out.excluded.append({FOLDED: folded}) if minus else out.phrases.append(folded))
            continue
        negative = word.startswith("-") and len(word) > 1
        per = {name: terms(word[1:] if negative else word, name) for name in STEMMERS}
        if per[FOLDED]:
            (out.excluded if negative else out.words).append(per)
    return out


@dataclass(frozen=True)
class Snippet:
    text: str                                  # whitespace collapsed, cut at word boundaries
    spans: list[tuple[int, int]]               # [start, end) of each matched word in `text`

    def render(self, start: str = "**", end: str = "**") -> str:
        out, last = [], 0
        for a, b in self.spans:
            out += [self.text[last:a], start, self.text[a:b], end]
            last = b
        return "".join(out + [self.text[last:]])


@lru_cache(maxsize=65536)
def _forms(word: str) -> tuple[str, str, str]:
    return tuple((terms(word, name) or [""])[0] for name in (FOLDED, ENGLISH, GERMAN))


def matched_words(text: str, query: QueryTerms) -> list[tuple[int, int]]:
    """[start, end) of every word of `text` the query matched: a bare word in any form, a phrase
    only where its words stand in order."""
    folded = {t for w in query.words for t in w[FOLDED]}
    english = {t for w in query.words for t in w[ENGLISH]}
    german = {t for w in query.words for t in w[GERMAN]}
    words = [(m.span(), _forms(m.group())) for m in _WORD.finditer(text)]
    words = [(span, forms) for span, forms in words if forms[0]]        # what the index dropped
    hit = [f in folded or en in english or de in german for _, (f, en, de) in words]
    sequence = [forms[0] for _, forms in words]
    for phrase in query.phrases:
        n = len(phrase)
        for i in range(len(sequence) - n + 1):
            if sequence[i:i + n] == phrase:
                hit[i:i + n] = [True] * n
    return [span for (span, _), h in zip(words, hit) if h]


def printable(text: str) -> str:
    """`text` with control characters (an escape sequence in a leaked file could drive the terminal)
    shown as spaces."""
    return _CONTROL.sub(" ", text)


def highlight(text: str, query: QueryTerms, width: int = 180) -> Snippet:
    """A snippet of about `width` characters around the densest run of matched words, with their spans;
    the text's beginning when no word matched (a hit on a form the snippet rules do not see). White
    space runs become one space, control characters a space (printable)."""
    text = re.sub(r"\s+", " ", printable(text)).strip()
    spans = matched_words(text, query)
    if len(text) <= width:
        return Snippet(text, spans)
    if spans:
        best = max(range(len(spans)), key=lambda i: (sum(1 for s in spans[i:] if s[1] <= spans[i][0] + width), -i))
        start = max(0, spans[best][0] - width // 4)
    else:
        start = 0
    end = min(len(text), start + width)
    if start > 0:                                          # cut at word boundaries
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < spans[best][0] else start
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    prefix, suffix = ("… " if start > 0 else ""), (" …" if end < len(text) else "")
    shift = len(prefix) - start
    kept = [(a + shift, b + shift) for a, b in spans if a >= start and b <= end]
    return Snippet(prefix + text[start:end] + suffix, kept)
