"""Cost sheets turned on the page, and a transposed PDF table of two sites.

Scanned pages shown sideways or upside down are read after tesseract's orientation detection turns
them; their rows' bboxes stay on the page as a viewer shows it. A ruled table with one column per site
and only two sites (two figures a line) gets past the page triage (pdf.looks_tabular).
"""
from __future__ import annotations

from test_cost_sheet_transposed import GERMAN, Q1_2024, extract, figures, ruled_pdf

from pipelines.lib.costsheets.pdf import looks_tabular

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
