"""The full-text index of every document's text (tantivy), kept up to date document by document.

One index entry per part of a document (a PDF page, an image page, a sheet, an e-mail body, a Word
or HTML document): its path (`x.zip!/y.xlsx` for a member), sha256, page, locator, source and the
text in three fields: `text` (folded, unstemmed: phrases), `text_en` and `text_de` (stemmed), see
analyzers.py.

Incremental: a manifest beside the index (MANIFEST) records, per indexed path, the document's sha256
and a digest of the parts it was indexed with, and the digest of this code (analyzers included).
`update_index` re-indexes only a path that is new, whose sha256 changed or whose parts changed for the
same bytes (a better OCR or reader gives other text), deletes a path no longer given, and rebuilds
everything when this code changed. The manifest is written after the commit: a crash in between
re-indexes those paths again (delete by path, then add), never leaves a duplicate.
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, NamedTuple, Sequence

import tantivy

from pipelines.lib.common.digests import source_digest
from pipelines.lib.common.files import read_json_or_empty, write_json_atomically
from pipelines.lib.search.analyzers import ENGLISH, FOLDED, GERMAN, QueryTerms, highlight, parse_query, register

MANIFEST = "leakpipe-manifest.json"
TEXT_FIELDS = {"text": FOLDED, "text_en": ENGLISH, "text_de": GERMAN}
WRITER_HEAP_BYTES = 50_000_000


class Part(NamedTuple):
    page: int | None        # PDF or image page, sheet number; None where the format has no pages
    locator: str            # 'page 3', "sheet 'Q3'", 'body', 'docx', ...
    source: str             # pdf_text | ocr | email_body | office
    text: str


@dataclass(frozen=True)
class Update:
    indexed: int            # documents (paths) written to the index this time
    unchanged: int          # documents already in the index with the same sha256 and code: not touched
    removed: int            # documents deleted from the index (no longer in the input)
    parts: int              # index entries written
    rebuilt: bool           # the code changed: everything was indexed again
    seconds: float


@dataclass(frozen=True)
class Hit:
    path: str
    document_id: str
    page: int | None
    locator: str
    source: str
    score: float
    snippet: str            # highlighted with the markers given to `search`


def code_digest() -> str:
    """The digest of the code that decides the index's content: this module and what it imports."""
    return source_digest(__name__)


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in ("path", "document_id", "locator", "source"):
        builder.add_text_field(name, stored=True, tokenizer_name="raw")
    builder.add_unsigned_field("page", stored=True)
    builder.add_text_field("text", stored=True, tokenizer_name=FOLDED, index_option="position")
    builder.add_text_field("text_en", stored=False, tokenizer_name=ENGLISH, index_option="position")
    builder.add_text_field("text_de", stored=False, tokenizer_name=GERMAN, index_option="position")
    return builder.build()


def open_index(directory: Path, create: bool = False) -> tantivy.Index:
    """The index in `directory` with the analyzers registered; `create` makes an empty one if missing."""
    directory = Path(directory)
    if create:
        directory.mkdir(parents=True, exist_ok=True)
        return register(tantivy.Index(schema(), path=str(directory), reuse=True))
    if not tantivy.Index.exists(str(directory)):
        raise FileNotFoundError(f"no search index at {directory}")
    return register(tantivy.Index.open(str(directory)))


def _parts_digest(parts: Sequence[Part]) -> str:
    return hashlib.sha256(json.dumps([list(p) for p in parts], ensure_ascii=False).encode()).hexdigest()[:16]


def update_index(directory: Path, documents: Mapping[str, tuple[str, Sequence[Part]]]) -> Update:
    """Make the index in `directory` hold exactly `documents` ({path: (sha256, parts)}), writing only
    what changed (see the module's docstring)."""
    started = time.perf_counter()
    directory = Path(directory)
    code = code_digest()
    manifest = read_json_or_empty(directory / MANIFEST)
    rebuilt = manifest.get("code") != code or not tantivy.Index.exists(str(directory))
    known: dict[str, list] = {} if rebuilt else dict(manifest.get("documents") or {})
    index = open_index(directory, create=True)
    wanted = {p: [sha, _parts_digest(parts)] for p, (sha, parts) in documents.items()}
    changed = [p for p, version in wanted.items() if known.get(p) != version]
    gone = [p for p in known if p not in documents or p in changed]
    if not (changed or gone or rebuilt):
        return Update(0, len(documents), 0, 0, False, time.perf_counter() - started)
    writer = index.writer(heap_size=WRITER_HEAP_BYTES, num_threads=1)
    parts = 0
    try:
        if rebuilt:
            writer.delete_all_documents()
        for path in sorted(set(gone) | set(changed)):
            writer.delete_documents_by_term("path", path)
        for path in sorted(changed):
            sha, doc_parts = documents[path]
            for part in doc_parts:
                doc = tantivy.Document(path=path, document_id=sha, locator=part.locator, source=part.source)
                if part.page is not None:
                    doc.add_unsigned("page", int(part.page))
                for field in TEXT_FIELDS:
                    doc.add_text(field, part.text)
                writer.add_document(doc)
                parts += 1
        writer.commit()
        writer.wait_merging_threads()
    except BaseException:
        writer.rollback()
        raise
    write_json_atomically(directory / MANIFEST, {"code": code, "documents": dict(sorted(wanted.items()))})
    removed = sum(p not in documents for p in known)
    return Update(len(changed), len(documents) - len(changed), removed, parts, rebuilt,
                  time.perf_counter() - started)


def indexed_documents(directory: Path) -> dict[str, str]:
    """{path: sha256} the manifest says the index holds."""
    documents = read_json_or_empty(Path(directory) / MANIFEST).get("documents") or {}
    return {path: version[0] for path, version in documents.items()}


def _field_query(index_schema: tantivy.Schema, field: str, words: list[str]) -> tantivy.Query:
    if len(words) == 1:
        return tantivy.Query.term_query(index_schema, field, words[0])
    return tantivy.Query.phrase_query(index_schema, field, words)


def build_query(index_schema: tantivy.Schema, query: QueryTerms) -> tantivy.Query:
    """Every bare word in any of its forms (folded, English stem, German stem: one must match), every
    phrase word for word in the folded field, no excluded word or phrase."""
    Occur = tantivy.Occur
    clauses = []
    for word in query.words:
        forms = [(Occur.Should, _field_query(index_schema, field, word[analyzer]))
                 for field, analyzer in TEXT_FIELDS.items() if word.get(analyzer)]
        clauses.append((Occur.Must, tantivy.Query.boolean_query(forms)))
    for phrase in query.phrases:
        clauses.append((Occur.Must, _field_query(index_schema, "text", phrase)))
    for word in query.excluded:
        clauses.append((Occur.MustNot, _field_query(index_schema, "text", word[FOLDED])))
    return tantivy.Query.boolean_query(clauses)


def search(directory: Path, text: str, limit: int = 10, marks: tuple[str, str] = ("**", "**")) -> list[Hit]:
    """The best `limit` parts for the query `text` (analyzers.parse_query), best first, each with a
    snippet whose matched words are wrapped in `marks`. Raises ValueError for a query with no word."""
    query = parse_query(text)
    if query.empty:
        raise ValueError(f"the query {text!r} holds no word to search for")
    index = open_index(Path(directory).resolve())   # the published link resolved once: this version throughout
    searcher = index.searcher()
    found = searcher.search(build_query(index.schema, query), limit=limit)
    hits = []
    for score, address in found.hits:
        doc = searcher.doc(address).to_dict()
        first = {k: (v[0] if v else None) for k, v in doc.items()}
        hits.append(Hit(path=first["path"], document_id=first["document_id"], page=first.get("page"),
                        locator=first["locator"], source=first["source"], score=float(score),
                        snippet=highlight(first.get("text") or "", query).render(*marks)))
    return hits
