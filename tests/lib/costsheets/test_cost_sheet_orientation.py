"""Cost sheets turned on the page, and a transposed PDF table of two sites.

Scanned pages shown sideways or upside down are read after tesseract's orientation detection turns
them; their rows' bboxes stay on the page as a viewer shows it. A ruled table with one column per site
and only two sites (two figures a line) gets past the page triage (triage.looks_tabular).
"""
from __future__ import annotations

import pytest
from PIL import Image
from tests.lib.costsheets.test_cost_sheet_layouts import draw_table, pdf, text_lines
from tests.lib.costsheets.test_cost_sheet_transposed import GERMAN, Q1_2024, extract, figures, ruled_pdf

from pipelines.lib.costsheets.extract import Limits, extract_document
from pipelines.lib.costsheets.ocr import ocr_available
from pipelines.lib.costsheets.triage import looks_tabular

OCR = ocr_available()

# ----------------------------------------------------------------------------- two sites, transposed

def test_ruled_pdf_table_with_one_column_per_site_and_two_sites(tmp_path):
    path = ruled_pdf(tmp_path / "two_sites.pdf", [row.split(";") for row in GERMAN[2:]])
    lines = extract(path)
    assert figures(lines, "company", "site", "device", "device_count", "power_kw", "claimed_revenue_native",
                   "currency", "row_index", "flags", "extraction_method") == [
        ("Oracle", "Frankfurt", "H100", 1024, 745.2, 182340.5, "EUR", 0, ["transposed"], "pdf_lines"),
        ("Oracle", "Berlin", "A100", 512, 210.9, 41220.0, "EUR", 1, ["transposed"], "pdf_lines"),
    ]
    assert all((line["period_start"], line["period_end"]) == Q1_2024 for line in lines)


def test_prose_ending_in_two_figures_is_no_table():
    """The triage's rows of a transposed table are a measure's label and then figures only."""
    prose = ["Unternehmen: Oracle, Zeitraum: Q1 2024", "Die Leistung stieg von 745,2 auf 812 kW,",
             "die Anzahl der GPUs von 512 auf 1.024 Stück.", "Standort Berlin: 210,9 und 230"]
    assert not looks_tabular("\n".join(prose))
    assert looks_tabular("\n".join(GERMAN).replace(";", " "))


# ----------------------------------------------------------------------------- scans turned on the page

HEADER = ["Site", "GPU model", "GPU count", "Power (kW)", "Electricity ($/kWh)"]
ROWS = [["Dublin DUB-07", "A100 80GB", "4,096", "1,310.7", "0.124"],
        ["Dublin DUB-09", "H100 SXM", "2,048", "1,792.0", "0.121"],
        ["Dublin DUB-11", "A100 40GB", "1,536", "460.8", "0.119"]]
COLUMNS = ("company", "site", "device", "device_count", "power_kw", "electricity_price_native", "period_start",
           "period_end", "extraction_method")
DPI = 300
# PIL's turns (ROTATE_90 is anticlockwise, as a page scanned turned clockwise is set upright) and
# the turn that undoes each
TURNS = {Image.Transpose.ROTATE_90: Image.Transpose.ROTATE_270, Image.Transpose.ROTATE_180: Image.Transpose.ROTATE_180,
         Image.Transpose.ROTATE_270: Image.Transpose.ROTATE_90}


def _orientation_detection() -> bool:
    import pytesseract

    return OCR is not None and "osd" in pytesseract.get_languages(config="")


needs_orientation_detection = pytest.mark.skipif(
    not _orientation_detection(), reason="tesseract or its osd.traineddata is not installed: run `make system-deps`")


@pytest.fixture(scope="module")
def upright_scan(tmp_path_factory):
    """(the 300 dpi image of a landscape page holding a ruled table, the lines read from it as an
    image-only PDF)."""
    import pypdfium2 as pdfium

    folder = tmp_path_factory.mktemp("scans")
    c = pdf(folder / "table.pdf")
    text_lines(c, 60, 520, ["Company: Microsoft Azure", "Period: 2024-01-01 - 2024-03-31"], size=12)
    draw_table(c, 60, 470, [HEADER], ROWS, 12, numeric=[False, False, True, True, True])
    c.save()
    document = pdfium.PdfDocument(str(folder / "table.pdf"))
    image = document[0].render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
    document.close()
    return image, read_scan(image, folder / "upright.pdf")


def read_scan(image, path):
    """The lines extracted from an image-only PDF whose one page is `image`."""
    image.save(path, "PDF", resolution=DPI)
    frame, _rejected, _pages, _notes = extract_document(path, Limits(), OCR)
    return frame.to_dict("records")


def turned_box(box, size, turn):
    """A box (points, top-left origin) on an upright page of `size` (width, height) where it lands on
    the page turned by `turn`."""
    (x0, top), (x1, bottom), (width, height) = box[:2], box[2:], size
    corners = {Image.Transpose.ROTATE_90: [(top, width - x0), (bottom, width - x1)],
               Image.Transpose.ROTATE_180: [(width - x0, height - top), (width - x1, height - bottom)],
               Image.Transpose.ROTATE_270: [(height - top, x0), (height - bottom, x1)]}[turn]
    (ax, at), (bx, bt) = corners
    return min(ax, bx), min(at, bt), max(ax, bx), max(at, bt)


@needs_orientation_detection
def test_the_upright_scan_is_read(upright_scan):
    _image, lines = upright_scan
    assert figures(lines, *COLUMNS) == [
        ("Microsoft Azure", site, device, count, power, price, *Q1_2024, "ocr")
        for site, device, count, power, price in [("Dublin DUB-07", "A100 80GB", 4096, 1310.7, 0.124),
                                                  ("Dublin DUB-09", "H100 SXM", 2048, 1792.0, 0.121),
                                                  ("Dublin DUB-11", "A100 40GB", 1536, 460.8, 0.119)]]


@needs_orientation_detection
@pytest.mark.parametrize("turn", list(TURNS), ids=["90", "180", "270"])
def test_a_scan_shown_turned_reads_like_the_upright_scan(upright_scan, tmp_path, turn):
    import pytesseract

    image, upright = upright_scan
    shown = image.transpose(turn)
    lines = read_scan(shown, tmp_path / "turned.pdf")
    assert figures(lines, *COLUMNS) == figures(upright, *COLUMNS)
    # a row's bbox is on the page as shown: where the upright scan's row lands when the page is turned
    size = tuple(v * 72 / DPI for v in image.size)
    for line, flat in zip(lines, upright):
        assert line["bbox"] == pytest.approx(turned_box(flat["bbox"], size, turn), abs=3)
    # and a crop of the shown page there, set upright, reads as the row
    row = lines[1]
    crop = shown.crop(tuple(round(v * DPI / 72) for v in row["bbox"])).transpose(TURNS[turn])
    text = pytesseract.image_to_string(crop, lang=OCR, config="--psm 7")
    assert row["site"] in text and "2,048" in text
