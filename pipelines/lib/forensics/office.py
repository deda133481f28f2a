"""What an office file says about itself: OOXML (DOCX, XLSX, PPTX: docProps/core.xml and app.xml) and ODF
(ODT, ODS: meta.xml), read straight from the zip with the standard library and lxml.

`producer` is the application and version that last saved the file (app.xml Application + AppVersion,
ODF meta:generator); `creator_tool` the application alone; `author` the creator (dc:creator, ODF
meta:initial-creator). Signed: an OOXML `_xmlsignatures/` part or an ODF `META-INF/documentsignatures.xml`.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from pipelines.lib.forensics.dates import parse_iso_date

MAX_PART_BYTES = 5_000_000     # a metadata part larger than this is not read (zip bomb guard)

_OOXML_TYPES = {"word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}
# AppVersion major -> the Office release that writes it
OFFICE_VERSIONS = {"12": "2007", "14": "2010", "15": "2013", "16": "2016"}


def _xml(zf: zipfile.ZipFile, name: str):
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART_BYTES:
        return None
    try:
        return etree.fromstring(zf.read(name), parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return None


def _first(root, local: str) -> str | None:
    if root is None:
        return None
    for el in root.iter():
        if isinstance(el.tag, str) and etree.QName(el).localname == local and (el.text or "").strip():
            return el.text.strip()
    return None


def _attr_values(root, element: str, attribute: str) -> list[str]:
    out = []
    if root is None:
        return out
    for el in root.iter():
        if isinstance(el.tag, str) and etree.QName(el).localname == element:
            for key, value in el.attrib.items():
                if etree.QName(key).localname == attribute and value:
                    out.append(value)
    return out


def _set_dates(row: dict, created: str | None, modified: str | None, notes: list[str]) -> None:
    row["dates_without_offset"] = []
    for field, text in (("created_at", created), ("modified_at", modified)):
        stamp = parse_iso_date(text) if text else None
        row[field] = stamp.at if stamp else None
        if text and stamp is None:
            notes.append(f"{field}: '{text[:40]}' is not a date")
        elif stamp and not stamp.has_offset:
            row["dates_without_offset"].append(field)


def office_metadata(path: Path) -> dict:
    """The metadata fields of core.document_metadata for one OOXML or ODF file (see extract.COLUMNS)."""
    notes: list[str] = []
    row: dict = {"incremental_updates": None}
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        return {"notes": f"not a readable zip ({type(exc).__name__})"}
    with zf:
        names = zf.namelist()
        if "mimetype" in names or "meta.xml" in names:
            return _odf(zf, names, row, notes)
        row["media_type"] = next((t for p, t in _OOXML_TYPES.items() if any(n.startswith(p) for n in names)), None)
        core, app = _xml(zf, "docProps/core.xml"), _xml(zf, "docProps/app.xml")
        if core is None:
            notes.append("no docProps/core.xml (no title, author or dates)")
        row["title"], row["author"] = _first(core, "title"), _first(core, "creator")
        application, version = _first(app, "Application"), _first(app, "AppVersion")
        row["creator_tool"] = application
        row["producer"] = " ".join(x for x in (application, version) if x) or None
        _set_dates(row, _first(core, "created"), _first(core, "modified"), notes)
        row["signed"] = any(n.startswith("_xmlsignatures/") for n in names)
        fonts = set(_attr_values(_xml(zf, "word/fontTable.xml"), "font", "name"))
        styles = _xml(zf, "xl/styles.xml")
        fonts |= set(_attr_values(styles, "name", "val")) if styles is not None else set()
        row["fonts"] = sorted(fonts)
    row["notes"] = "; ".join(notes) or None
    return row


def _odf(zf: zipfile.ZipFile, names: list[str], row: dict, notes: list[str]) -> dict:
    mimetype = zf.read("mimetype").decode("ascii", "replace").strip() if "mimetype" in names else None
    row["media_type"] = mimetype
    meta = _xml(zf, "meta.xml")
    if meta is None:
        notes.append("no meta.xml (no title, author or dates)")
    generator = _first(meta, "generator")
    row["producer"] = generator
    row["creator_tool"] = generator.split("/")[0].split("$")[0] if generator else None
    row["title"] = _first(meta, "title")
    row["author"] = _first(meta, "initial-creator") or _first(meta, "creator")
    _set_dates(row, _first(meta, "creation-date"), _first(meta, "date"), notes)
    row["signed"] = "META-INF/documentsignatures.xml" in names
    fonts = set(_attr_values(_xml(zf, "styles.xml"), "font-face", "name"))
    fonts |= set(_attr_values(_xml(zf, "content.xml"), "font-face", "name"))
    row["fonts"] = sorted(fonts)
    row["notes"] = "; ".join(notes) or None
    return row
