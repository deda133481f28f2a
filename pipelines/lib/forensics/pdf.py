"""What a PDF says about itself: Info dictionary and XMP (both kept), incremental updates, signatures,
fonts, and which pages are images, carry text, or carry invisible text (an OCR layer).

Read with pikepdf (qpdf); pdfplumber's Info dictionary is the fallback for a file qpdf cannot open.
Each earlier revision of an incrementally updated file is the file cut after one of its `%%EOF`
markers; it is opened the same way, so that an update that added text or changed the producer shows.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

from lxml import etree

from pipelines.lib.forensics.dates import parse_iso_date, parse_pdf_date

MAX_PAGES_SCANNED = 200      # pages whose content streams are read for text/images (fonts: all pages)
MAX_REVISIONS = 20           # earlier revisions opened to compare

_NS = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "xmp": "http://ns.adobe.com/xap/1.0/",
       "pdf": "http://ns.adobe.com/pdf/1.3/", "dc": "http://purl.org/dc/elements/1.1/"}
_TEXT_OPS = {"Tj", "TJ", "'", '"'}
_EOF = re.compile(rb"%%EOF")


def _text(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip().strip("\x00")
    return text or None


def _xmp_value(root, ns: str, name: str) -> str | None:
    """A simple XMP property, written as an element or as an attribute of rdf:Description; the first
    item of an rdf:Alt/Seq/Bag (dc:title, dc:creator)."""
    uri = _NS[ns]
    for desc in root.iter(f"{{{_NS['rdf']}}}Description"):
        if desc.get(f"{{{uri}}}{name}"):
            return _text(desc.get(f"{{{uri}}}{name}"))
    for el in root.iter(f"{{{uri}}}{name}"):
        items = el.findall(f".//{{{_NS['rdf']}}}li")
        return _text(items[0].text if items else el.text)
    return None


def read_xmp(data: bytes) -> dict:
    """Producer, creator tool, dates and title from an XMP packet; {} when it is not XML."""
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True,
                                                              recover=True))
    except etree.XMLSyntaxError:
        return {}
    if root is None:
        return {}
    return {"xmp_producer": _xmp_value(root, "pdf", "Producer"),
            "xmp_creator_tool": _xmp_value(root, "xmp", "CreatorTool"),
            "xmp_created_raw": _xmp_value(root, "xmp", "CreateDate"),
            "xmp_modified_raw": _xmp_value(root, "xmp", "ModifyDate"),
            "xmp_title": _xmp_value(root, "dc", "title"),
            "xmp_author": _xmp_value(root, "dc", "creator")}


def _fonts_of(resources, seen: set, depth: int = 0) -> set[str]:
    """BaseFont names in a resource dictionary and the forms it draws (subset prefix 'ABCDEF+' dropped)."""
    import pikepdf

    out: set[str] = set()
    if resources is None or depth > 3:
        return out
    fonts = resources.get("/Font")
    if isinstance(fonts, pikepdf.Dictionary):
        for _, font in fonts.items():
            name = font.get("/BaseFont") if isinstance(font, pikepdf.Dictionary) else None
            if name is not None:
                out.add(re.sub(r"^[A-Z]{6}\+", "", str(name).lstrip("/")))
    xobjects = resources.get("/XObject")
    if isinstance(xobjects, pikepdf.Dictionary):
        for _, xo in xobjects.items():
            if isinstance(xo, pikepdf.Stream) and xo.get("/Subtype") == "/Form" and xo.objgen not in seen:
                seen.add(xo.objgen)
                out |= _fonts_of(xo.get("/Resources"), seen, depth + 1)
    return out


def _has_image(resources, depth: int = 0) -> bool:
    import pikepdf

    if resources is None or depth > 3:
        return False
    xobjects = resources.get("/XObject")
    if not isinstance(xobjects, pikepdf.Dictionary):
        return False
    for _, xo in xobjects.items():
        if isinstance(xo, pikepdf.Stream):
            if xo.get("/Subtype") == "/Image":
                return True
            if xo.get("/Subtype") == "/Form" and _has_image(xo.get("/Resources"), depth + 1):
                return True
    return False


def _page_text(page) -> tuple[bool, bool, bool]:
    """(draws text, draws invisible text (render mode 3), draws an inline image) from the content stream."""
    import pikepdf

    text = invisible = inline = False
    try:
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op in _TEXT_OPS:
                text = True
            elif op == "Tr" and operands and int(operands[0]) == 3:
                invisible = True
            elif op == "INLINE IMAGE":
                inline = True
    except (pikepdf.PdfError, ValueError, TypeError):
        pass
    return text, invisible and text, inline


def _pages(pdf) -> dict:
    fonts: set[str] = set()
    with_text = with_images = with_invisible = scanned = 0
    for i, page in enumerate(pdf.pages):
        resources = page.obj.get("/Resources")
        fonts |= _fonts_of(resources, set())
        if i >= MAX_PAGES_SCANNED:
            continue
        scanned += 1
        text, invisible, inline = _page_text(page)
        with_text += text
        with_invisible += invisible
        with_images += inline or _has_image(resources)
    return {"pages": len(pdf.pages), "pages_scanned": scanned, "pages_with_text": with_text,
            "pages_with_images": with_images, "pages_with_invisible_text": with_invisible,
            "fonts": sorted(fonts)}


def _signed(pdf, data: bytes) -> tuple[bool, str | None]:
    """A signature: a /Sig field with a value, a usage-rights or certification signature (/Perms), or a
    signature's /ByteRange in the file; with a note when only Adobe's usage-rights signature is there."""
    import pikepdf

    acro = pdf.Root.get("/AcroForm")
    empty_field = False
    if isinstance(acro, pikepdf.Dictionary):
        stack = list(acro.get("/Fields") or [])
        while stack and len(stack) < 10_000:
            field = stack.pop()
            if not isinstance(field, pikepdf.Dictionary):
                continue
            if field.get("/FT") == "/Sig":
                if field.get("/V") is not None:
                    return True, None
                empty_field = True
            stack.extend(field.get("/Kids") or [])
    perms = pdf.Root.get("/Perms")
    if isinstance(perms, pikepdf.Dictionary) and ("/UR3" in perms or "/UR" in perms) and "/DocMDP" not in perms:
        return True, ("signed only with a usage-rights signature (/Perms /UR3: Adobe Reader extensions), "
                      "not by the document's author")
    if b"/ByteRange" in data:
        return True, None
    return False, "an empty signature field (nothing signed)" if empty_field else None


def _info(pdf) -> dict:
    info = pdf.trailer.get("/Info")
    get = (lambda k: _text(info.get(k))) if info is not None else (lambda k: None)
    return {"title": get("/Title"), "author": get("/Author"), "producer": get("/Producer"),
            "creator_tool": get("/Creator"), "created_raw": get("/CreationDate"), "modified_raw": get("/ModDate")}


def _revision(data: bytes, pages: bool) -> dict | None:
    """An earlier revision's Info (and, for the first, whether its pages draw text)."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            return {**_info(pdf), "pages_with_text": _pages(pdf)["pages_with_text"] if pages else None}
    except Exception:  # an earlier revision that qpdf cannot open tells nothing
        return None


def _dates(row: dict, notes: list[str]) -> None:
    for raw, field, parse in [("created_raw", "created_at", parse_pdf_date), ("modified_raw", "modified_at", parse_pdf_date),
                              ("xmp_created_raw", "xmp_created_at", parse_iso_date),
                              ("xmp_modified_raw", "xmp_modified_at", parse_iso_date)]:
        text = row.pop(raw, None)
        stamp = parse(text) if text else None
        row[field] = stamp.at if stamp else None
        if text and stamp is None:
            notes.append(f"{field}: '{text[:40]}' is not a date")
        elif stamp and not stamp.has_offset:
            row.setdefault("dates_without_offset", []).append(field)


def pdf_metadata(path: Path) -> dict:
    """The metadata fields of core.document_metadata for one PDF (see extract.COLUMNS); `notes` says what
    could not be read and why."""
    import pikepdf

    data = Path(path).read_bytes()
    notes: list[str] = []
    row: dict = {"media_type": "application/pdf", "dates_without_offset": []}
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        row["notes"] = "encrypted (no password): its metadata cannot be read"
        return row
    except Exception as exc:
        return _fallback(path, row, f"qpdf cannot open it ({type(exc).__name__}: {str(exc)[:120]})")
    with pdf:
        row.update(_info(pdf))
        meta = pdf.Root.get("/Metadata")
        if isinstance(meta, pikepdf.Stream):
            try:
                xmp = read_xmp(meta.read_bytes())
            except pikepdf.PdfError:
                xmp = {}
                notes.append("the XMP stream cannot be decoded")
            row.update({k: v for k, v in xmp.items() if k not in ("xmp_title", "xmp_author")})
            row["title"] = row["title"] or xmp.get("xmp_title")
            row["author"] = row["author"] or xmp.get("xmp_author")
        row.update(_pages(pdf))
        row["signed"], sig_note = _signed(pdf, data)
        if sig_note:
            notes.append(sig_note)
        eofs = [m.end() for m in _EOF.finditer(data)]
        linearized = bool(pdf.is_linearized)
    if row["pages_scanned"] < row["pages"]:
        notes.append(f"text and images looked for on the first {row['pages_scanned']} of {row['pages']} pages")
    if linearized and len(eofs) > 1:
        eofs = eofs[1:]            # a linearized file's first-page trailer ends in %%EOF too: not a revision
    row["incremental_updates"] = max(len(eofs) - 1, 0)
    if not eofs:
        notes.append("no %%EOF marker: the file is truncated or was rebuilt by the reader")
    ends = eofs[-1 - MAX_REVISIONS:-1] if row["incremental_updates"] else []
    revisions = [_revision(data[:end], pages=i == 0) for i, end in enumerate(ends)]
    row["revision_producers"] = [(r or {}).get("producer") or "" for r in revisions] + [row.get("producer") or ""]
    first = revisions[0] if revisions and len(eofs) - 1 <= MAX_REVISIONS else None
    row["text_added_by_update"] = (None if first is None or first["pages_with_text"] is None
                                   else bool(first["pages_with_text"] == 0 and row["pages_with_text"] > 0))
    _dates(row, notes)
    row["notes"] = "; ".join(notes) or None
    return row


def _fallback(path: Path, row: dict, why: str) -> dict:
    """pdfplumber (pdfminer) reads the Info dictionary of some files qpdf refuses."""
    notes = [why]
    try:
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            info = {k: (v.decode("latin-1") if isinstance(v, bytes) else v) for k, v in (pdf.metadata or {}).items()}
            row.update({"title": _text(info.get("Title")), "author": _text(info.get("Author")),
                        "producer": _text(info.get("Producer")), "creator_tool": _text(info.get("Creator")),
                        "created_raw": _text(info.get("CreationDate")), "modified_raw": _text(info.get("ModDate")),
                        "pages": len(pdf.pages)})
            notes.append("Info dictionary read by pdfplumber; no XMP, fonts, updates or signature checked")
    except Exception as exc:
        notes.append(f"pdfplumber cannot open it either ({type(exc).__name__})")
    _dates(row, notes)
    row["notes"] = "; ".join(notes)
    return row
