"""Capex documents as text: TXT, Markdown, HTML and PDF, each with what it says about itself.

Documents are read, never run: HTML goes through BeautifulSoup's stdlib `html.parser` backend
(nothing is fetched and nothing executes; `<script>`, `<style>`, hidden elements and comments are
dropped with their text); PDF text comes from pypdfium2. Offsets in the extracted text are what
`core.capex_announcements.char_start/char_end` point into.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.lib.capex.companies import Companies
from pipelines.lib.capex.dates import parse_date
from pipelines.lib.capex.language import language_of
from pipelines.lib.capex.mentions import DocumentContext
from pipelines.lib.common.csvfile import decode_text
from pipelines.lib.common.parsed import SYNTHETIC_PATTERN


@dataclass
class Document:
    text: str
    method: str                                   # text | markdown | html | pdf
    context: DocumentContext = field(default_factory=DocumentContext)
    provenance: str = ""                          # source / note the document gives about itself
    pages: int | None = None


class DocumentError(ValueError):
    """The file cannot be read as a document; the message says why."""


def read_document(path: Path) -> Document:
    suffix = path.suffix.lower()
    raw = path.read_bytes()
    if suffix == ".pdf" or raw.startswith(b"%PDF"):
        return read_pdf(raw)
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError("binary content: not a text, HTML or PDF document")
    text, _ = decode_text(raw)
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

    from pipelines.lib.common.pdftext import page_texts

    try:
        pdf = pdfium.PdfDocument(raw)
    except Exception as exc:  # pdfium raises its own error type for broken or encrypted files
        raise DocumentError(f"cannot open the PDF ({exc})") from None
    try:
        pages = page_texts(pdf)
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


def is_synthetic_note(note: str) -> bool:
    """True when a provenance note (a document's source line, a row's source) says the figures are
    synthesised or approximate, in English or German."""
    return bool(re.search(SYNTHETIC_PATTERN, note or "", re.I)) or bool(re.search(r"synthetisch|fiktiv|erfunden",
                                                                                   note or "", re.I))
