"""Test documents built in the test: PDFs (reportlab + pikepdf) and a DOCX with hand-set dates."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pikepdf


def text_pdf(path: Path, text: str = "Kostenrechnung Q1 2024", info: dict | None = None, xmp: dict | None = None,
             pages: int = 1) -> Path:
    """A PDF drawing `text` with reportlab, its Info dictionary replaced by `info` and XMP set from `xmp`."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    for _ in range(pages):
        c.drawString(72, 720, text)
        c.showPage()
    c.save()
    with pikepdf.open(io.BytesIO(buf.getvalue())) as pdf:
        _set_info(pdf, info)
        if xmp:
            with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
                for key, value in xmp.items():
                    meta[key] = value
        pdf.save(path)
    return path


def _set_info(pdf, info: dict | None) -> None:
    if info is None:
        return
    pdf.trailer.Info = pikepdf.Dictionary({f"/{k}": pikepdf.String(v) for k, v in info.items()})


def scan_pdf(path: Path, info: dict | None = None, ocr_text: str | None = None, pages: int = 1) -> Path:
    """Pages that are images (a scan); with `ocr_text`, an invisible text layer over each (as OCR leaves)."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas
    from PIL import Image

    image = Image.new("L", (200, 100), 255)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    for _ in range(pages):
        c.drawImage(ImageReader(image), 0, 0, 595, 842)
        if ocr_text:
            t = c.beginText(72, 720)
            t.setTextRenderMode(3)
            t.textLine(ocr_text)
            c.drawText(t)
        c.showPage()
    c.save()
    with pikepdf.open(io.BytesIO(buf.getvalue())) as pdf:
        _set_info(pdf, info)
        pdf.save(path)
    return path


def append_update(path: Path, producer: str, text: str | None = None) -> Path:
    """An incremental update (qpdf's own writer cannot append): the file's bytes, then new objects, an xref
    section and a trailer with /Prev. With `text`, every page gets a second content stream drawing it."""
    import re

    data = path.read_bytes()
    with pikepdf.open(path) as pdf:
        size = int(pdf.trailer.Size)
        root = pdf.trailer.Root.objgen[0]
        info_num = size
        page_objs = [(p.objgen[0], p.obj) for p in pdf.pages]
        font = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
        objects = {info_num: f"<< /Producer ({producer}) /CreationDate (D:20240401000000Z) /ModDate (D:20240402000000Z) >>"}
        if text:
            font_num = size + 1
            objects[font_num] = font
            nxt = size + 2
            for num, page in page_objs:
                stream = f"BT /FX 12 Tf 72 700 Td ({text}) Tj ET".encode()
                objects[nxt] = (f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
                contents = page.get("/Contents")
                old = " ".join(f"{c.objgen[0]} 0 R" for c in (contents if isinstance(contents, pikepdf.Array) else [contents]))
                mediabox = " ".join(str(float(x)) for x in page.MediaBox)
                parent = page.Parent.objgen[0]
                res = page.get("/Resources")
                xobj = ""
                if res is not None and "/XObject" in res:
                    xobj = "/XObject << " + " ".join(f"{k} {v.objgen[0]} 0 R" for k, v in res.XObject.items()) + " >>"
                objects[num] = (f"<< /Type /Page /Parent {parent} 0 R /MediaBox [{mediabox}] /Contents [{old} {nxt} 0 R] "
                                f"/Resources << /Font << /FX {font_num} 0 R >> {xobj} >> >>")
                nxt += 1
        prev = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    offsets = {}
    for num, body in sorted(objects.items()):
        offsets[num] = len(out)
        out += f"{num} 0 obj\n".encode() + (body if isinstance(body, bytes) else body.encode()) + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n"
    for num in sorted(offsets):
        out += f"{num} 1\n{offsets[num]:010d} 00000 n \n".encode()
    new_size = max(max(offsets) + 1, size)
    out += f"trailer\n<< /Size {new_size} /Root {root} 0 R /Info {info_num} 0 R /Prev {prev} >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path


def docx(path: Path, created: str | None, modified: str | None, application: str = "Microsoft Office Word",
         version: str = "16.0000", author: str = "Controlling", signed: bool = False) -> Path:
    """A minimal DOCX with hand-set core.xml dates and app.xml application."""
    dates = ""
    if created:
        dates += f'<dcterms:created xsi:type="dcterms:W3CDTF">{created}</dcterms:created>'
    if modified:
        dates += f'<dcterms:modified xsi:type="dcterms:W3CDTF">{modified}</dcterms:modified>'
    core = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dc:title>Kostenblatt</dc:title><dc:creator>{author}</dc:creator>{dates}</cp:coreProperties>')
    app = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
           f'<Application>{application}</Application><AppVersion>{version}</AppVersion></Properties>')
    fonts = ('<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
             '<w:font w:name="Calibri"/><w:font w:name="Times New Roman"/></w:fonts>')
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
        zf.writestr("word/fontTable.xml", fonts)
        zf.writestr("docProps/core.xml", core)
        zf.writestr("docProps/app.xml", app)
        if signed:
            zf.writestr("_xmlsignatures/sig1.xml", "<Signature/>")
    return path
