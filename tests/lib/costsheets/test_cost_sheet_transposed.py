"""Transposed cost sheets: one column per site (or device), one row per measure.

Each case writes a small CSV / XLSX / PDF into tmp_path and runs the real extractor on it, so the
transpose step is checked where every reader hands its grid over, not only on a hand-made grid.
"""
from __future__ import annotations

import datetime as dt
import math

import pytest
from openpyxl import Workbook
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from pipelines.lib.costsheets.extract import Limits, extract_document
from pipelines.lib.costsheets.tables import transposed

Q1_2024 = (dt.date(2024, 1, 1), dt.date(2024, 3, 31))
GERMAN = ["Unternehmen: Oracle", "Zeitraum: Q1 2024",
          "Kennzahl;Frankfurt;Berlin",
          "GPU-Typ;H100;A100",
          "Anzahl;1.024;512",
          "Leistung (kW);745,2;210,9",
          "Erlös (€);182.340,50;41.220,00"]


def extract(path):
    frame, rejected, _pages, _notes = extract_document(path, Limits(ocr=False), None)
    assert not rejected, rejected
    return frame.to_dict("records")


def figures(lines, *columns):
    """The lines' values in `columns`, a missing value (None or NaN, as pandas has it) as None."""
    return [tuple(None if isinstance(line[c], float) and math.isnan(line[c]) else line[c] for c in columns)
            for line in lines]


def write_csv(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_german_csv_with_one_column_per_site(tmp_path):
    lines = extract(write_csv(tmp_path / "transposed.csv", GERMAN))
    assert figures(lines, "company", "site", "device", "device_count", "power_kw", "claimed_revenue_native",
                   "currency", "is_total_row") == [
        ("Oracle", "Frankfurt", "H100", 1024, 745.2, 182340.5, "EUR", False),
        ("Oracle", "Berlin", "A100", 512, 210.9, 41220.0, "EUR", False),
    ]
    assert all((line["period_start"], line["period_end"]) == Q1_2024 for line in lines)
    # provenance: row_index is the printed column after the first, source_text that column top to bottom
    assert figures(lines, "row_index", "source_text", "flags", "extraction_method") == [
        (0, "Frankfurt | H100 | 1.024 | 745,2 | 182.340,50", ["transposed"], "csv"),
        (1, "Berlin | A100 | 512 | 210,9 | 41.220,00", ["transposed"], "csv"),
    ]


def summe_rows():
    """GERMAN with a 'Summe' column."""
    return [line + cell for line, cell in zip(GERMAN, ["", "", ";Summe", ";", ";1.536", ";956,1", ";223.560,50"])]


def test_a_totals_column_is_a_totals_row(tmp_path):
    lines = extract(write_csv(tmp_path / "summe.csv", summe_rows()))
    assert figures(lines, "site", "device_count", "power_kw", "claimed_revenue_native", "is_total_row") == [
        ("Frankfurt", 1024, 745.2, 182340.5, False),
        ("Berlin", 512, 210.9, 41220.0, False),
        ("Summe", 1536, 956.1, 223560.5, True),
    ]
    assert lines[2]["row_index"] == 2 and lines[2]["source_text"] == "Summe | 1.536 | 956,1 | 223.560,50"


def test_first_row_naming_the_site_itself_and_a_trailing_delimiter(tmp_path):
    """No 'Kennzahl' row: 'Standort' is a measure like the others. A delimiter closing every line
    (a common export) adds an empty last column, which is no line."""
    rows = ["Unternehmen: Oracle", "Zeitraum: Q1 2024", "Standort;Frankfurt;Berlin;", "GPU-Typ;H100;A100;",
            "Anzahl;1.024;512;", "Leistung (kW);745,2;210,9;"]
    lines = extract(write_csv(tmp_path / "standort.csv", rows))
    assert figures(lines, "site", "device", "device_count", "power_kw") == [
        ("Frankfurt", "H100", 1024, 745.2), ("Berlin", "A100", 512, 210.9)]


def test_xlsx_with_one_column_per_device_and_typed_numbers(tmp_path):
    """The measures name the site, so the column labels are the devices; the corner cell is empty."""
    path = tmp_path / "per_device.xlsx"
    book = Workbook()
    sheet = book.active
    for row in (["Company: CoreWeave"], ["Period: Q1 2024"], [],
                [None, "H100", "A100", "Total"],
                ["Site", "Plano", "Plano", None],
                ["GPU count", 2048, 512, 2560],
                ["Power (kW)", 1433.6, 204.8, 1638.4],
                ["Revenue ($)", 3_100_000.0, 410_000.0, 3_510_000.0]):
        sheet.append(row)
    book.save(path)
    lines = extract(path)
    assert figures(lines, "company", "site", "device", "device_count", "power_kw", "claimed_revenue_native",
                   "currency", "is_total_row", "row_index") == [
        ("CoreWeave", "Plano", "H100", 2048, 1433.6, 3_100_000.0, "USD", False, 0),
        ("CoreWeave", "Plano", "A100", 512, 204.8, 410_000.0, "USD", False, 1),
        ("CoreWeave", "Total", "Total", 2560, 1638.4, 3_510_000.0, "USD", True, 2),  # as a totals row: its
    ]                                                                               # label is its site
    assert all((line["period_start"], line["period_end"]) == Q1_2024 for line in lines)
    assert {line["extraction_method"] for line in lines} == {"xlsx"}


def test_a_sheet_with_a_header_row_stays_untouched(tmp_path):
    """A normal sheet whose first column also names measures-like words is read row by row."""
    rows = ["Unternehmen: Oracle", "Zeitraum: Q1 2024",
            "Standort;GPU-Typ;Anzahl;Leistung (kW);Erlös (€)",
            "Frankfurt;H100;1.024;745,2;182.340,50",
            "Berlin;A100;512;210,9;41.220,00"]
    lines = extract(write_csv(tmp_path / "normal.csv", rows))
    assert figures(lines, "site", "device", "device_count", "power_kw", "claimed_revenue_native", "row_index",
                   "source_text", "flags") == [
        ("Frankfurt", "H100", 1024, 745.2, 182340.5, 0, "Frankfurt | H100 | 1.024 | 745,2 | 182.340,50", []),
        ("Berlin", "A100", 512, 210.9, 41220.0, 1, "Berlin | A100 | 512 | 210,9 | 41.220,00", []),
    ]


@pytest.mark.parametrize("grid", [
    [["Standort", "GPU-Typ", "Anzahl", "Leistung (kW)"], ["Frankfurt", "H100", "1.024", "745,2"]],
    [["Kennzahl", "Frankfurt"], ["GPU-Typ", "H100"], ["Bemerkung", "neu"]],   # two measures only
    [["Anzahl"], ["Leistung (kW)"], ["GPU-Typ"]],                             # labels without figures
    [],
])
def test_grids_that_are_not_transposed(grid):
    assert transposed(grid) is None


def test_the_corner_cell_labels_the_columns_in_the_sheets_language():
    grid = [["Metric", "Dublin", "Oslo"], ["GPU type", "H100", "A100"], ["Count", 8, 4], ["Power (kW)", 5.6, 2.8]]
    assert transposed(grid) == [["Site", "GPU type", "Count", "Power (kW)"],
                                ["Dublin", "H100", 8, 5.6], ["Oslo", "A100", 4, 2.8]]
    assert transposed([["Kennzahl", "Frankfurt"], ["GPU-Typ", "H100"], ["Anzahl", "8"],
                       ["Leistung (kW)", "5,6"]])[0][0] == "Standort"


# ----------------------------------------------------------------------------- PDF

def ruled_pdf(path, rows, size=9, x0=60.0, y_top=700.0, row_height=18.0, col_width=110.0):
    """A ruled grid of text cells under two context lines, cell text left-aligned."""
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("Helvetica", size)
    c.drawString(x0, y_top + 40, "Unternehmen: Oracle")
    c.drawString(x0, y_top + 26, "Zeitraum: Q1 2024")
    width = len(rows[0])
    for k, row in enumerate(rows):
        for m, text in enumerate(row):
            c.drawString(x0 + m * col_width + 4, y_top - (k + 1) * row_height + 5, text)
    c.setLineWidth(0.5)
    for k in range(len(rows) + 1):
        c.line(x0, y_top - k * row_height, x0 + width * col_width, y_top - k * row_height)
    for m in range(width + 1):
        c.line(x0 + m * col_width, y_top, x0 + m * col_width, y_top - len(rows) * row_height)
    c.save()
    return path


def test_ruled_pdf_table_with_one_column_per_site_and_a_totals_column(tmp_path):
    """Three sites and a Summe column (two sites: tests/lib/costsheets/test_cost_sheet_orientation.py)."""
    path = ruled_pdf(tmp_path / "transposed.pdf", [row.split(";") for row in summe_rows()[2:]])
    lines = extract(path)
    assert figures(lines, "company", "site", "device", "device_count", "power_kw", "claimed_revenue_native",
                   "is_total_row", "row_index", "source_text", "flags", "extraction_method") == [
        ("Oracle", "Frankfurt", "H100", 1024, 745.2, 182340.5, False, 0,
         "Frankfurt | H100 | 1.024 | 745,2 | 182.340,50", ["transposed"], "pdf_lines"),
        ("Oracle", "Berlin", "A100", 512, 210.9, 41220.0, False, 1,
         "Berlin | A100 | 512 | 210,9 | 41.220,00", ["transposed"], "pdf_lines"),
        ("Oracle", "Summe", None, 1536, 956.1, 223560.5, True, 2,
         "Summe | 1.536 | 956,1 | 223.560,50", ["transposed"], "pdf_lines"),
    ]
    assert all((line["period_start"], line["period_end"]) == Q1_2024 for line in lines)
    # a line's bbox is its printed column: the three columns side by side, left to right
    boxes = [line["bbox"] for line in lines]
    assert all(a[2] <= b[0] + 0.5 for a, b in zip(boxes, boxes[1:]))
