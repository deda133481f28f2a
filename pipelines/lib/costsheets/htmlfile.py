"""Tables from HTML pages (a cost table published or saved as a web page), via lxml.

Read, never run, never fetched: lxml's HTML parser builds the tree with network access off and
comments and processing instructions removed; `<script>`, `<style>`, `<template>`, embedded objects
and hidden elements (`hidden`, `aria-hidden`, `display:none` ...) are dropped with their text before
anything is read, as the capex HTML reader does (a reader of the page would not see them). Nothing
the page links to (images, frames, stylesheets) is loaded.

Each `<table>` is a grid (colspan and rowspan placed in the columns they cover) read like a
spreadsheet's; the text above it is its context. A row's `page` is the table's 1-based number in
the page, as for Word tables.
"""
from __future__ import annotations

import re
from pathlib import Path

from pipelines.lib.costsheets.errors import DocumentError
from pipelines.lib.costsheets.office import MAX_ROWS, Read, grid_text, too_many_rows
from pipelines.lib.costsheets.sheets import tables_from_grid
from pipelines.lib.common.csvfile import decode_text

MAX_HTML_BYTES = 50 * 1024 * 1024
_DROPPED = {"script", "style", "template", "noscript", "object", "embed", "iframe", "frame", "frameset",
            "applet", "head", "svg", "math"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0", re.I)
_BLOCKS = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "caption", "section", "article",
           "header", "footer", "pre", "blockquote", "dt", "dd", "title", "address", "hr"}
_MAX_SPAN = 50
_CONTEXT_LINES = 12


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _hidden(el) -> bool:
    attrs = el.attrib
    return ("hidden" in attrs or str(attrs.get("aria-hidden", "")).lower() == "true"
            or bool(_HIDDEN_STYLE.search(str(attrs.get("style", "")))))


def _span(el, name: str) -> int:
    try:
        return max(1, min(_MAX_SPAN, int(str(el.get(name, "1")).strip() or 1)))
    except ValueError:
        return 1


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _grid(table) -> list[list]:
    """The table's rows (not those of a table nested in it), each cell in the columns it covers: a
    colspan's text once, then empty columns; a rowspan's text on every row it spans."""
    rows = [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]
    grid, below = [], {}          # below: column -> (rows left, text) from a rowspan above
    for tr in rows[:MAX_ROWS + 1]:
        cells, col = [], 0
        for td in (c for c in tr if _tag(c) in ("td", "th")):
            while col in below:
                cells.append(below[col][1])
                col += 1
            text = _clean(td.text_content()) or None
            span, down = _span(td, "colspan"), _span(td, "rowspan")
            for k in range(span):
                cells.append(text if k == 0 else None)
                if down > 1:
                    below[col + k] = (down, text if k == 0 else None)
            col += span
        while col in below:
            cells.append(below[col][1])
            col += 1
        below = {c: (n - 1, t) for c, (n, t) in below.items() if n - 1 > 0 and c < len(cells)}
        grid.append(cells)
    if len(grid) > MAX_ROWS:
        raise too_many_rows("a table")
    return grid


def read_html(path: Path) -> Read:
    import lxml.html
    from lxml import etree

    data = path.read_bytes()
    if len(data) > MAX_HTML_BYTES:
        raise DocumentError(f"over the size limit: the HTML page has {len(data):,} bytes (limit {MAX_HTML_BYTES:,})",
                            "cost_sheets.too_large")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError("not an HTML page: the file holds binary data", "cost_sheets.damaged_html")
    markup, _ = decode_text(data)
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, huge_tree=False)
    try:
        root = lxml.html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise DocumentError(f"damaged or not an HTML page ({type(exc).__name__}: {exc})",
                            "cost_sheets.damaged_html") from exc
    title = _clean(root.findtext(".//title") or "")
    for el in list(root.iter()):
        if el.getparent() is not None and (not _tag(el) or _tag(el) in _DROPPED or _hidden(el)):
            el.drop_tree()
    lines, tables, pieces, number = ([title] if title else []), [], [], 0
    everything = list(lines)          # the prose and every table's cells, for the full-text index

    def flush():
        line = _clean("".join(pieces))
        if line:
            lines.append(line)
            everything.append(line)
        pieces.clear()

    def walk(el):
        nonlocal number
        tag = _tag(el)
        if tag == "table":
            flush()
            number += 1
            grid = _grid(el)
            found = tables_from_grid(grid, number, "html")
            above = "\n".join(lines[-_CONTEXT_LINES:])
            for table in found:
                table.context = "\n".join(x for x in (above, table.context) if x)
            tables.extend(found)
            everything.append(grid_text(grid))
        else:
            if tag in _BLOCKS:
                flush()
            pieces.append(el.text or "")
            for child in el:
                walk(child)
            if tag in _BLOCKS:
                flush()
        pieces.append(el.tail or "")

    body = root.find("body")
    walk(body if body is not None else root)
    flush()
    return Read(tables, "\n".join(lines), number, f"{number} HTML table(s) read",
                text_parts=[("html", "\n".join(everything))])
