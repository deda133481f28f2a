"""Write the bundled capex PDF sample (raw/capex/2024-04-24_meta_capex_guidance_en.pdf).

The other capex samples in raw/capex/ are hand-written text files; a PDF cannot be, so it is drawn
here with reportlab. `invariant=1` fixes the PDF's dates and ids, so every run writes the same bytes
(and the same document_id). Run: python scripts/make_capex_samples.py
"""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "raw" / "capex" / "2024-04-24_meta_capex_guidance_en.pdf"

LINES = [
    ("Helvetica-Bold", 14, "Meta raises its 2024 capital expenditure outlook"),
    ("Helvetica", 9, "Source: Meta Q1 2024 results (2024-04-24), retold in the project's own words"),
    ("Helvetica", 11, ""),
    ("Helvetica", 11, "MENLO PARK, Calif., April 24, 2024 - Meta Platforms said it now expects full-year 2024"),
    ("Helvetica", 11, "capital expenditures to be in the range of $35-40 billion, up from its prior range of"),
    ("Helvetica", 11, "$30-37 billion, as it keeps investing in AI infrastructure and data centers."),
    ("Helvetica", 11, ""),
    ("Helvetica", 11, "The company said it expects capital expenditures to keep growing next year."),
]


def make_pdf(target: Path = TARGET) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    target.parent.mkdir(parents=True, exist_ok=True)
    pdf = canvas.Canvas(str(target), pagesize=A4, invariant=1)
    pdf.setTitle("Meta raises its 2024 capital expenditure outlook")
    pdf.setSubject("Press report retold for the leak-analysis project")
    y = A4[1] - 72
    for font, size, text in LINES:
        pdf.setFont(font, size)
        pdf.drawString(56, y, text)
        y -= size + 8
    pdf.showPage()
    pdf.save()
    return target


if __name__ == "__main__":
    print(make_pdf())
