"""The report as a PDF (reportlab platypus, A4 landscape), with the same sections and figures.

reportlab's Paragraph parses a mini-markup (`<b>`, `<a href>`, `<img>`, entities), so every text goes
in XML-escaped (`text.pdf`, `Sentence.pdf`); long tables are cut with a note.
"""
from __future__ import annotations

import io
import threading
from contextlib import contextmanager
from pathlib import Path

from pipelines.lib.report import text as fmt
from pipelines.lib.report.model import as_sentence

MAX_PDF_ROWS = 120
_RL_LOCK = threading.Lock()


def _fonts() -> tuple[str, str]:
    """DejaVu Sans (shipped with matplotlib: accents, dashes, Greek, Cyrillic) when it can be found,
    else the built-in Helvetica."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "DejaVuSans" in pdfmetrics.getRegisteredFontNames():
        return "DejaVuSans", "DejaVuSans-Bold"
    try:
        folder = _matplotlib_data() / "fonts" / "ttf"
        faces = {"DejaVuSans": "DejaVuSans.ttf", "DejaVuSans-Bold": "DejaVuSans-Bold.ttf",
                 "DejaVuSans-Oblique": "DejaVuSans-Oblique.ttf",
                 "DejaVuSans-BoldOblique": "DejaVuSans-BoldOblique.ttf"}
        for name, file in faces.items():
            pdfmetrics.registerFont(TTFont(name, str(folder / file)))
        for bold, italic, name in ((0, 0, "DejaVuSans"), (1, 0, "DejaVuSans-Bold"), (0, 1, "DejaVuSans-Oblique"),
                                   (1, 1, "DejaVuSans-BoldOblique")):
            addMapping("DejaVuSans", bold, italic, name)
        return "DejaVuSans", "DejaVuSans-Bold"
    except Exception:  # no TTF found: the standard fonts cover Latin-1
        return "Helvetica", "Helvetica-Bold"


def _matplotlib_data() -> Path:
    """matplotlib's mpl-data folder, found without importing matplotlib (a third of a second) when the
    package has it in its usual place; else matplotlib says where it is."""
    import importlib.util

    spec = importlib.util.find_spec("matplotlib")
    for root in (spec.submodule_search_locations or []) if spec else []:
        folder = Path(root) / "mpl-data"
        if (folder / "fonts" / "ttf" / "DejaVuSans.ttf").is_file():
            return folder
    import matplotlib

    return Path(matplotlib.get_data_path())


@contextmanager
def _binary_streams():
    """reportlab writes every stream (page contents, images) ASCII85-encoded by default: a pure-Python
    encoder that took a third of the PDF's time, for a file a quarter larger. Streams are written as
    plain Flate-compressed binary while this report is built (the setting is reportlab's global, read
    while a stream is made; the lock keeps two reports built on threads of one process from mixing it)."""
    from reportlab import rl_config

    with _RL_LOCK:
        before = rl_config.useA85
        rl_config.useA85 = 0
        try:
            yield
        finally:
            rl_config.useA85 = before


def _styles():
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

    regular, bold = _fonts()
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName=regular, fontSize=9, leading=12)
    return {
        "title": ParagraphStyle("title", parent=base["Title"], fontName=bold, fontSize=16, leading=20),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontName=bold, fontSize=13, leading=16,
                             spaceBefore=10, textColor=colors.HexColor("#1d1d1f"), keepWithNext=1),
        "h3": ParagraphStyle("h3", parent=body, fontName=bold, fontSize=9.5, leading=12, spaceBefore=4,
                             keepWithNext=1),
        "body": body,
        "lead": ParagraphStyle("lead", parent=body, fontName=bold, fontSize=10, leading=13.5),
        "note": ParagraphStyle("note", parent=body, fontSize=8, leading=10, textColor=colors.HexColor("#555555")),
        "warning": ParagraphStyle("warning", parent=body, fontName=bold, backColor=colors.HexColor("#fff4d6"),
                                  borderPadding=5, spaceBefore=4, spaceAfter=8),
        "cell": ParagraphStyle("cell", parent=body, fontSize=7, leading=8.5),
        "cellnum": ParagraphStyle("cellnum", parent=body, fontSize=7, leading=8.5, alignment=2),
        "head": ParagraphStyle("head", parent=body, fontName=bold, fontSize=7, leading=8.5),
    }


def _cell_text(value) -> str:
    if hasattr(value, "pdf"):
        return value.pdf()
    return fmt.pdf(value)


def _table(block, styles, width):
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    rows = block.rows[:MAX_PDF_ROWS]
    ncols = len(block.headers)
    weights = []
    for k in range(ncols):
        longest = max([len(str(block.headers[k]))] + [len(str(r[k])) for r in rows]) if rows else len(block.headers[k])
        weights.append(min(max(longest, 6), 60))
    total = sum(weights)
    widths = [width * w / total for w in weights]
    data = [[Paragraph(fmt.pdf(h), styles["head"]) for h in block.headers]]
    for row in rows:
        data.append([Paragraph(_cell_text(c), styles["cellnum" if k in block.numeric else "cell"])
                     for k, c in enumerate(row)])
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#c0c4ca")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f5")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]))
    out = [table]
    if len(block.rows) > MAX_PDF_ROWS:
        out.append(Paragraph(fmt.pdf(f"The first {MAX_PDF_ROWS} of {len(block.rows):,} rows are shown here; "
                                     "the HTML and Markdown reports list more."), styles["note"]))
    if block.note is not None:
        out.append(Paragraph(block.note.pdf(), styles["note"]))
    return out


def _image(png: bytes, max_width: float, max_height: float):
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image

    w, h = ImageReader(io.BytesIO(png)).getSize()
    scale = min(max_width / w, max_height / h)
    return Image(io.BytesIO(png), width=w * scale, height=h * scale)


def render(doc) -> bytes:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    styles = _styles()
    out = io.BytesIO()
    page = landscape(A4)
    margin = 14 * mm
    pdf = SimpleDocTemplate(out, pagesize=page, leftMargin=margin, rightMargin=margin, topMargin=margin,
                            bottomMargin=margin, title=doc.title, author="leakpipe report",
                            invariant=True)
    width, height = page[0] - 2 * margin, page[1] - 2 * margin - 12

    def footer(canvas, _doc):
        canvas.saveState()
        canvas.setFont(styles["note"].fontName, 7)
        canvas.drawString(margin, 8 * mm, doc.title[:140])
        canvas.drawRightString(page[0] - margin, 8 * mm, f"page {canvas.getPageNumber()}")
        canvas.restoreState()

    story = [Paragraph(fmt.pdf(doc.title), styles["title"]), Paragraph(doc.subtitle.pdf(), styles["note"])]
    if doc.notice is not None:
        story.append(Paragraph(doc.notice.pdf(), styles["warning"]))
    for n, section in enumerate(doc.sections, start=1):
        story.append(Paragraph(fmt.pdf(f"{n}. {section.title}"), styles["h2"]))
        for block in section.blocks:
            if block.kind == "paragraph":
                story.append(Paragraph(block.text.pdf(), styles.get(block.style or "body", styles["body"])))
            elif block.kind == "bullets":
                story += [Paragraph("• " + item.pdf(), styles["body"]) for item in block.items]
            elif block.kind == "table":
                story += _table(block, styles, width)
            elif block.kind == "figure":
                story.append(KeepTogether([_image(block.png, width, height - 40),
                                           Paragraph(block.caption.pdf(), styles["note"])]))
            elif block.kind == "claim":
                fields = Table([[Paragraph(fmt.pdf(label), styles["head"]), Paragraph(_cell_text(value), styles["cell"])]
                                for label, value in block.fields], colWidths=[38 * mm, width - 38 * mm])
                fields.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                            ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
                parts = [Paragraph(block.title.pdf(), styles["h3"]), fields]
                if block.figure is not None:
                    parts.append(_image(block.figure.png, width, 70 * mm))
                parts.append(Paragraph(as_sentence(block.image_note).pdf(), styles["note"]))
                story.append(KeepTogether(parts))
            story.append(Spacer(1, 4))
    with _binary_streams():
        pdf.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
