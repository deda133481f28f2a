"""Cost-sheet layouts the bundled samples do not have, drawn here with reportlab / openpyxl / csv.

Each case writes one small document into tmp_path with a known truth per extracted row and runs the
real extractor on it (`extract_document`), so a change that only fits the bundled samples shows up.
"""
from __future__ import annotations

import datetime as dt
import math

import pytest
from openpyxl import Workbook
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from pipelines.lib.costsheets.extract import Limits, extract_document
from pipelines.lib.costsheets.vocab import read_header

FONT, BOLD, PAD = "Helvetica", "Helvetica-Bold", 3.0
Q1_2024 = (dt.date(2024, 1, 1), dt.date(2024, 3, 31))
Q2_2024 = (dt.date(2024, 4, 1), dt.date(2024, 6, 30))


# ----------------------------------------------------------------------------- drawing helpers

def _widths(rows, size):
    cols = max(len(r) for r in rows)
    out = []
    for i in range(cols):
        texts = [line for r in rows if i < len(r) and r[i] for line in str(r[i]).split("\n")]
        out.append(max(stringWidth(t, BOLD, size) for t in texts) + 2 * PAD + 4)
    return out


def draw_table(c, x0, y_top, header_rows, rows, size, *, numeric, ruled=True, widths=None,
               header_right=False, bold_rows=(), groups=None):
    """Header rows + data rows from y_top down; cells may hold '\n' (several printed lines).
    groups: [(text, first_col, n_cols)] drawn as one spanning row above the header.
    Returns (bottom y, widths)."""
    widths = widths or _widths(header_rows + rows, size)
    xs = [x0]
    for w in widths:
        xs.append(xs[-1] + w)
    lead = size * 1.25
    y = y_top
    hlines = [y]
    if groups:
        h = size * 2.1
        c.setFont(BOLD, size)
        for text, first, n in groups:
            c.drawCentredString((xs[first] + xs[first + n]) / 2, y - h + (h - size) / 2 + 1.5, text)
            if ruled:
                c.line(xs[first], y, xs[first], y - h)
                c.line(xs[first + n], y, xs[first + n], y - h)
        if ruled:
            c.line(xs[0], y, xs[0], y - h)
            c.line(xs[-1], y, xs[-1], y - h)
        y -= h
        hlines.append(y)
    grid_top = y
    all_rows = [(r, True) for r in header_rows] + [(r, False) for r in rows]
    for k, (cells, is_header) in enumerate(all_rows):
        n_lines = max(len(str(t or "").split("\n")) for t in cells)
        h = size * 0.9 + n_lines * lead
        bold = is_header or (k - len(header_rows)) in bold_rows
        c.setFont(BOLD if bold else FONT, size)
        for i, text in enumerate(cells):
            for m, part in enumerate(str(text or "").split("\n")):
                base = y - size * 0.45 - (m + 1) * lead + (lead - size) + 1
                if numeric[i] and (not is_header or header_right):
                    c.drawRightString(xs[i + 1] - PAD, base, part)
                else:
                    c.drawString(xs[i] + PAD, base, part)
        y -= h
        hlines.append(y)
    if ruled:
        c.setLineWidth(0.5)
        for yy in hlines:
            c.line(xs[0], yy, xs[-1], yy)
        for xx in xs:
            c.line(xx, grid_top, xx, y)
    return y, widths


def text_lines(c, x, y, lines, size=9, font=FONT, lead=None):
    lead = lead or size * 1.35
    c.setFont(font, size)
    for line in lines:
        c.drawString(x, y, line)
        y -= lead
    return y


def pdf(path, pagesize=landscape(A4)):
    return canvas.Canvas(str(path), pagesize=pagesize, invariant=1)


# ----------------------------------------------------------------------------- comparison

TEXT = {"site", "device", "currency", "coin", "company", "company_canonical"}


def check(frame, expected: list[dict]):
    rows = frame.to_dict("records")
    problems = []
    if len(rows) != len(expected):
        problems.append(f"{len(rows)} rows extracted, {len(expected)} expected: "
                        + " // ".join(r["source_text"] for r in rows))
    for k, (got, want) in enumerate(zip(rows, expected)):
        for column, value in want.items():
            if column == "period":
                column_values = [(got["period_start"], got["period_end"])]
                if column_values[0] != value:
                    problems.append(f"row {k} period: expected {value}, got {column_values[0]}")
                continue
            have = got.get(column)
            missing = have is None or (isinstance(have, float) and math.isnan(have))
            if value is None:
                ok = missing or (column == "is_total_row" and have is False)
            elif missing:
                ok = False
            elif column == "is_total_row":
                ok = bool(have) == value
            elif column in TEXT:
                ok = str(have).strip() == value
            else:
                ok = math.isclose(float(have), float(value), rel_tol=1e-6)
            if not ok:
                problems.append(f"row {k} {column}: expected {value!r}, got {have!r}")
    assert not problems, "\n".join(problems)


def extract(path):
    frame, _rejected, _pages, _notes = extract_document(path, Limits(ocr=False), None)
    return frame


# ----------------------------------------------------------------------------- the layouts

@pytest.mark.parametrize("header, field, attrs", [
    ("Rechen-\nzentrum", "site", {}),
    ("GPU-\nModell", "device", {}),
    ("KI-Aus-\nlastung (%)", "utilization_share", {"percent": True}),
    ("Betriebs-\nkosten (Tsd. €)", "opex", {"money_scale": 1e3, "currency": "EUR"}),
    ("Electricity price per kWh", "electricity_price", {"price_scale": 1.0, "currency": None}),
    ("Strompreis je MWh", "electricity_price", {"price_scale": 0.001}),
])
def test_header_cells_hyphenated_over_lines_and_prices_per_kwh_in_words(header, field, attrs):
    column = read_header(header)
    assert column is not None and column.field == field
    for name, value in attrs.items():
        assert getattr(column, name) == value, name


def test_portrait_a4_small_font_unruled(tmp_path):
    path = tmp_path / "portrait.pdf"
    c = pdf(path, A4)
    y = text_lines(c, 40, 800, ["Company: CoreWeave", "Period: Q2 2024"], size=8)
    header = ["Site", "GPU model", "Qty", "Utilization (%)", "Power (kW)", "Electricity ($/kWh)", "Coin",
              "Hashrate (GH/s)", "Revenue (USD)", "Opex (USD)"]
    rows = [["Plano TX", "H100 SXM", "1,024", "71.5", "745.2", "0.071", "ETC", "512.0", "182,340.50",
             "121,004.10"],
            ["Chicago", "A100 80GB", "512", "64.0", "210.9", "0.083", "RVN", "96.4", "41,220.00", "35,610.75"],
            ["Weehawken", "L40S", "256", "58.2", "98.0", "0.112", "KAS", "140.8", "18,004.00", "16,980.20"]]
    draw_table(c, 40, y - 6, [header], rows, 7, ruled=False,
               numeric=[False, False] + [True] * 4 + [False] + [True] * 3)
    c.save()
    common = dict(currency="USD", period=Q2_2024, company="CoreWeave", is_total_row=False)
    check(extract(path), [
        dict(site="Plano TX", device="H100 SXM", device_count=1024, utilization_share=0.715, power_kw=745.2,
             electricity_price_native=0.071, coin="ETC", claimed_hashrate_hs=512e9,
             claimed_revenue_native=182340.5, claimed_opex_native=121004.1, **common),
        dict(site="Chicago", device="A100 80GB", device_count=512, utilization_share=0.64, power_kw=210.9,
             electricity_price_native=0.083, coin="RVN", claimed_hashrate_hs=96.4e9,
             claimed_revenue_native=41220.0, claimed_opex_native=35610.75, **common),
        dict(site="Weehawken", device="L40S", device_count=256, utilization_share=0.582, power_kw=98.0,
             electricity_price_native=0.112, coin="KAS", claimed_hashrate_hs=140.8e9,
             claimed_revenue_native=18004.0, claimed_opex_native=16980.2, **common),
    ])


def test_ruled_table_with_a_group_row_above_the_header(tmp_path):
    path = tmp_path / "group_row.pdf"
    c = pdf(path)
    y = text_lines(c, 40, 540, ["Kostenrechnung Rechenzentren", "Unternehmen: Oracle",
                                "Zeitraum: 01.01.2024 – 31.03.2024"])
    header = ["Standort", "GPU-Typ", "Anzahl", "Leistung (kW)", "Strompreis (ct/kWh)", "Coin",
              "Hashrate (TH/s)", "Erlös (€)"]
    rows = [["Frankfurt", "H100", "2.048", "1.480,5", "18,4", "ETC", "1,024", "312.450,00"],
            ["München", "A100", "1.024", "402,0", "21,9", "RVN", "0,180", "58.900,10"]]
    draw_table(c, 40, y - 10, [header], rows, 9, numeric=[False, False] + [True] * 3 + [False, True, True],
               groups=[("Anlage", 0, 3), ("Energie", 3, 2), ("Mining", 5, 3)])
    c.save()
    common = dict(currency="EUR", period=Q1_2024, company="Oracle", is_total_row=False)
    check(extract(path), [
        dict(site="Frankfurt", device="H100", device_count=2048, power_kw=1480.5, electricity_price_native=0.184,
             coin="ETC", claimed_hashrate_hs=1.024e12, claimed_revenue_native=312450.0, **common),
        dict(site="München", device="A100", device_count=1024, power_kw=402.0, electricity_price_native=0.219,
             coin="RVN", claimed_hashrate_hs=0.18e12, claimed_revenue_native=58900.1, **common),
    ])


def test_unruled_table_with_right_aligned_numeric_headers(tmp_path):
    path = tmp_path / "right_headers.pdf"
    c = pdf(path)
    y = text_lines(c, 40, 540, ["Company: Microsoft", "Period: 2024-04-01 to 2024-06-30"])
    header = ["Location", "Accelerator", "GPUs", "Utilisation %", "Power (kW)", "Price (USD/MWh)",
              "Hash rate (MH/s)", "Revenue (USD)", "Operating cost (USD)"]
    rows = [["Quincy WA", "H100", "4,096", "66.0", "2,950.0", "62.50", "980,000", "701,220.00", "512,000.00"],
            ["San Antonio", "MI300X", "1,536", "48.5", "1,120.4", "71.00", "402,000", "240,100.00", "201,990.00"]]
    draw_table(c, 40, y - 10, [header], rows, 9, ruled=False, header_right=True,
               numeric=[False, False] + [True] * 7)
    c.save()
    common = dict(currency="USD", period=Q2_2024, is_total_row=False)
    check(extract(path), [
        dict(site="Quincy WA", device="H100", device_count=4096, utilization_share=0.66, power_kw=2950.0,
             electricity_price_native=0.0625, claimed_hashrate_hs=980000e6, claimed_revenue_native=701220.0,
             claimed_opex_native=512000.0, **common),
        dict(site="San Antonio", device="MI300X", device_count=1536, utilization_share=0.485, power_kw=1120.4,
             electricity_price_native=0.071, claimed_hashrate_hs=402000e6, claimed_revenue_native=240100.0,
             claimed_opex_native=201990.0, **common),
    ])


def test_ruled_table_with_header_words_wrapped_inside_the_cells(tmp_path):
    path = tmp_path / "wrapped_ruled.pdf"
    c = pdf(path)
    y = text_lines(c, 40, 540, ["Unternehmen: Meta", "Berichtszeitraum: Q1 2024"])
    header = ["Rechen-\nzentrum", "GPU-\nModell", "Anzahl\nGPUs", "KI-Aus-\nlastung (%)", "Leistungs-\naufnahme (MW)",
              "Strompreis\n(€/MWh)", "Hashrate je\nGPU (MH/s)", "Betriebs-\nkosten (Tsd. €)"]
    rows = [["Odense", "H100", "3.000", "74,0", "2,35", "96,00", "118,5", "1.204,7"],
            ["Clonee", "A100", "1.200", "61,5", "0,62", "104,50", "92,0", "402,3"]]
    draw_table(c, 40, y - 10, [header], rows, 9, numeric=[False, False] + [True] * 6)
    c.save()
    common = dict(currency="EUR", period=Q1_2024, company="Meta", is_total_row=False)
    check(extract(path), [
        dict(site="Odense", device="H100", device_count=3000, utilization_share=0.74, power_kw=2350.0,
             electricity_price_native=0.096, claimed_hashrate_hs=118.5e6 * 3000, claimed_opex_native=1204700.0,
             **common),
        dict(site="Clonee", device="A100", device_count=1200, utilization_share=0.615, power_kw=620.0,
             electricity_price_native=0.1045, claimed_hashrate_hs=92.0e6 * 1200, claimed_opex_native=402300.0,
             **common),
    ])


def test_currency_symbols_in_every_money_cell_and_none_in_the_headers(tmp_path):
    path = tmp_path / "symbols.pdf"
    c = pdf(path)
    y = text_lines(c, 40, 540, ["Company: Alphabet", "Reporting period: Q2 2024"])
    header = ["Site", "GPU type", "Count", "Utilization", "Power (kW)", "Electricity price per kWh",
              "Coin", "Hashrate (TH/s)", "Revenue", "Opex"]
    rows = [["Council Bluffs", "TPU v5e", "2,000", "55%", "1,400.0", "$0.064", "ETC", "0.95", "$212,300.00",
             "$140,020.50"],
            ["The Dalles", "H100", "800", "72%", "612.5", "$0.059", "ETC", "0.41", "$98,100.00", "$61,700.00"]]
    draw_table(c, 40, y - 10, [header], rows, 9, numeric=[False, False] + [True] * 4 + [False] + [True] * 3)
    c.save()
    common = dict(currency="USD", period=Q2_2024, company="Alphabet", is_total_row=False)
    check(extract(path), [
        dict(site="Council Bluffs", device="TPU v5e", device_count=2000, utilization_share=0.55, power_kw=1400.0,
             electricity_price_native=0.064, coin="ETC", claimed_hashrate_hs=0.95e12,
             claimed_revenue_native=212300.0, claimed_opex_native=140020.5, **common),
        dict(site="The Dalles", device="H100", device_count=800, utilization_share=0.72, power_kw=612.5,
             electricity_price_native=0.059, coin="ETC", claimed_hashrate_hs=0.41e12,
             claimed_revenue_native=98100.0, claimed_opex_native=61700.0, **common),
    ])


def test_euro_symbols_in_german_money_cells(tmp_path):
    path = tmp_path / "euro_cells.pdf"
    c = pdf(path)
    y = text_lines(c, 40, 540, ["Unternehmen: Microsoft", "Zeitraum: März 2024"])
    header = ["Standort", "GPU-Typ", "Anzahl", "Leistung (kW)", "Strompreis je kWh", "Erlös", "Kosten"]
    rows = [["Berlin", "H100", "640", "512,0", "€ 0,214", "€ 1.234,56", "€ 98.765,43"],
            ["Hamburg", "A100", "320", "188,4", "€ 0,198", "€ 23.400,00", "€ 20.010,90"]]
    draw_table(c, 40, y - 10, [header], rows, 9, numeric=[False, False] + [True] * 5)
    c.save()
    march = (dt.date(2024, 3, 1), dt.date(2024, 3, 31))
    check(extract(path), [
        dict(site="Berlin", device_count=640, power_kw=512.0, electricity_price_native=0.214,
             claimed_revenue_native=1234.56, claimed_opex_native=98765.43, currency="EUR", period=march),
        dict(site="Hamburg", device_count=320, power_kw=188.4, electricity_price_native=0.198,
             claimed_revenue_native=23400.0, claimed_opex_native=20010.9, currency="EUR", period=march),
    ])


def test_first_column_blank_on_continuation_rows(tmp_path):
    path = tmp_path / "merged_site.pdf"
    c = pdf(path)
    y = text_lines(c, 40, 540, ["Company: Oracle", "Period: Q1 2024"])
    header = ["Site", "GPU model", "GPUs", "Power (kW)", "Electricity ($/kWh)", "Revenue (USD)"]
    rows = [["Abilene", "H100", "1,000", "720.0", "0.055", "150,000.00"],
            ["", "A100", "500", "210.0", "0.055", "40,000.00"],
            ["", "L40S", "250", "95.5", "0.055", "12,500.50"],
            ["Phoenix", "H200", "400", "330.0", "0.068", "88,000.00"],
            ["", "H100", "200", "150.0", "0.068", "30,100.00"]]
    draw_table(c, 40, y - 10, [header], rows, 9, ruled=False, numeric=[False, False] + [True] * 4)
    c.save()
    sites = ["Abilene", "Abilene", "Abilene", "Phoenix", "Phoenix"]
    devices = ["H100", "A100", "L40S", "H200", "H100"]
    counts = [1000, 500, 250, 400, 200]
    check(extract(path), [dict(site=s, device=d, device_count=n, currency="USD", period=Q1_2024)
                          for s, d, n in zip(sites, devices, counts)])


def test_bold_grand_total_and_gesamt_rows(tmp_path):
    path = tmp_path / "totals.pdf"
    c = pdf(path)
    y = text_lines(c, 40, 540, ["Company: Microsoft", "Period: Q1 2024"])
    header = ["Site", "GPU type", "Count", "Power (kW)", "Revenue (USD)", "Opex (USD)"]
    rows = [["Dublin", "H100", "1,000", "700.0", "100,000.00", "80,000.00"],
            ["Amsterdam", "A100", "500", "200.0", "40,000.00", "30,000.00"],
            ["Grand total", "", "1,500", "900.0", "140,000.00", "110,000.00"]]
    y, _ = draw_table(c, 40, y - 10, [header], rows, 9, numeric=[False, False] + [True] * 4, bold_rows=(2,))
    y = text_lines(c, 40, y - 40, ["Unternehmen: Microsoft", "Zeitraum: Q2 2024"])
    header = ["Standort", "GPU-Typ", "Anzahl", "Leistung (kW)", "Erlös (€)", "Kosten (€)"]
    rows = [["Berlin", "H100", "300", "210,0", "30.000,00", "20.000,00"],
            ["Gesamt", "", "300", "210,0", "30.000,00", "20.000,00"]]
    draw_table(c, 40, y - 10, [header], rows, 9, numeric=[False, False] + [True] * 4, bold_rows=(1,))
    c.save()
    check(extract(path), [
        dict(site="Dublin", device_count=1000, is_total_row=False, currency="USD", period=Q1_2024),
        dict(site="Amsterdam", device_count=500, is_total_row=False, currency="USD", period=Q1_2024),
        dict(site="Grand total", device_count=1500, power_kw=900.0, claimed_revenue_native=140000.0,
             is_total_row=True, currency="USD", period=Q1_2024),
        dict(site="Berlin", device_count=300, is_total_row=False, currency="EUR", period=Q2_2024),
        dict(site="Gesamt", device_count=300, claimed_opex_native=20000.0, is_total_row=True, currency="EUR",
             period=Q2_2024),
    ])


def test_company_in_a_letterhead_and_period_as_quarter_words(tmp_path):
    path = tmp_path / "letterhead.pdf"
    c = pdf(path)
    c.setFont(BOLD, 14)
    c.drawString(40, 560, "AWS – Confidential")
    y = text_lines(c, 40, 530, ["Interne Kostenaufstellung GPU-Cluster", "Berichtszeitraum: 1. Quartal 2024"])
    header = ["Standort", "Gerät", "Stückzahl", "Auslastung (%)", "Leistung (kW)", "Strompreis (€/kWh)",
              "Erlös (Tsd. €)", "Betriebskosten (Tsd. €)"]
    rows = [["Frankfurt", "H100", "1.500", "68,0", "1.050,0", "0,192", "412,5", "301,2"],
            ["Dublin", "Trainium", "3.000", "52,5", "900,0", "0,171", "380,0", "290,0"]]
    draw_table(c, 40, y - 10, [header], rows, 9, numeric=[False, False] + [True] * 6)
    c.save()
    common = dict(currency="EUR", period=Q1_2024, company_canonical="Amazon", is_total_row=False)
    check(extract(path), [
        dict(site="Frankfurt", device="H100", device_count=1500, utilization_share=0.68, power_kw=1050.0,
             electricity_price_native=0.192, claimed_revenue_native=412500.0, claimed_opex_native=301200.0,
             **common),
        dict(site="Dublin", device="Trainium", device_count=3000, utilization_share=0.525, power_kw=900.0,
             electricity_price_native=0.171, claimed_revenue_native=380000.0, claimed_opex_native=290000.0,
             **common),
    ])


def test_semicolon_csv_with_a_free_text_preamble_and_trailing_notes(tmp_path):
    path = tmp_path / "export.csv"
    lines = [
        "Kostenstellenbericht GPU-Mining, vertraulich",
        "Erstellt von: Controlling, Abteilung 4, Frankfurt",
        "Unternehmen: Oracle",
        "Zeitraum: Q1 2024",
        "Alle Beträge in EUR, Werte vorläufig, ungeprüft",
        "Standort;GPU-Typ;Anzahl;Auslastung (%);Leistung (kW);Strompreis (ct/kWh);Coin;Erlös (€);Kosten (€)",
        "Frankfurt;H100;1.024;71,5;745,2;19,8;ETC;182.340,50;121.004,10",
        "Berlin;A100;512;64,0;210,9;21,2;RVN;41.220,00;35.610,75",
        "Summe;;1.536;;956,1;;;223.560,50;156.614,85",
        "",
        "Hinweise:",
        "1) Leistung gemessen am Zähler, inkl. Kühlung, ohne Büroflächen",
        "2) Strompreis netto, ohne Umlagen, Stand 31.03.2024",
        "3) Erlöse zum Tageskurs, nicht testiert",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    common = dict(currency="EUR", period=Q1_2024, company="Oracle")
    check(extract(path), [
        dict(site="Frankfurt", device="H100", device_count=1024, utilization_share=0.715, power_kw=745.2,
             electricity_price_native=0.198, coin="ETC", claimed_revenue_native=182340.5,
             claimed_opex_native=121004.1, is_total_row=False, **common),
        dict(site="Berlin", device="A100", device_count=512, utilization_share=0.64, power_kw=210.9,
             electricity_price_native=0.212, coin="RVN", claimed_revenue_native=41220.0,
             claimed_opex_native=35610.75, is_total_row=False, **common),
        dict(site="Summe", device_count=1536, power_kw=956.1, claimed_revenue_native=223560.5,
             claimed_opex_native=156614.85, is_total_row=True, **common),
    ])


def test_xlsx_table_starting_at_column_c_after_an_empty_first_sheet(tmp_path):
    path = tmp_path / "book.xlsx"
    book = Workbook()
    book.active.title = "Deckblatt"
    sheet = book.create_sheet("Kosten")
    sheet["C2"], sheet["D2"] = "Unternehmen:", "Microsoft"
    sheet["C3"], sheet["D3"] = "Zeitraum:", "Q2 2024"
    header = ["Standort", "GPU-Typ", "Anzahl", "Auslastung", "Leistung (MW)", "Strompreis (€/MWh)",
              "Hashrate (GH/s)", "Erlös (Mio. €)"]
    rows = [["Amsterdam", "H100", 2048, 0.71, 1.45, 88.5, 1200.0, 0.412],
            ["Dublin", "A100", 1024, 0.6, 0.41, 95.0, 310.0, 0.098]]
    for k, value in enumerate(header):
        sheet.cell(row=5, column=3 + k, value=value)
    for r, row in enumerate(rows):
        for k, value in enumerate(row):
            sheet.cell(row=6 + r, column=3 + k, value=value)
    book.save(path)
    common = dict(currency="EUR", period=Q2_2024, company="Microsoft", is_total_row=False)
    check(extract(path), [
        dict(site="Amsterdam", device="H100", device_count=2048, utilization_share=0.71, power_kw=1450.0,
             electricity_price_native=0.0885, claimed_hashrate_hs=1200e9, claimed_revenue_native=412000.0,
             **common),
        dict(site="Dublin", device="A100", device_count=1024, utilization_share=0.6, power_kw=410.0,
             electricity_price_native=0.095, claimed_hashrate_hs=310e9, claimed_revenue_native=98000.0,
             **common),
    ])


def test_table_between_prose_paragraphs_with_figures(tmp_path):
    path = tmp_path / "memo.pdf"
    c = pdf(path, A4)
    y = text_lines(c, 40, 800, ["Company: Meta", "Period: Q1 2024", "",
                                "In Q1 2024 we ran 4,200 GPUs across 3 sites, drawing 3.1 MW on average at",
                                "a blended price of 0.071 USD per kWh; revenue was up 12.5 % on Q4 2023."])
    header = ["Site", "GPU", "GPUs", "Power (kW)", "Price ($/kWh)", "Revenue (USD)", "Opex (USD)"]
    rows = [["Prineville", "H100", "2,000", "1,480.0", "0.068", "300,000.00", "210,000.00"],
            ["Altoona", "A100", "1,200", "950.0", "0.074", "120,000.00", "98,000.00"],
            ["Forest City", "L40S", "1,000", "670.0", "0.072", "60,000.00", "55,000.00"]]
    y, _ = draw_table(c, 40, y - 8, [header], rows, 8, ruled=False, numeric=[False, False] + [True] * 5)
    text_lines(c, 40, y - 14, ["Compared with 2023, Altoona added 400 GPUs and 310 kW; the 3 sites used",
                               "2,940 kW in total and cost 363,000 USD, i.e. 0.83 of revenue of 480,000 USD."])
    c.save()
    common = dict(currency="USD", period=Q1_2024, company="Meta", is_total_row=False)
    check(extract(path), [
        dict(site="Prineville", device_count=2000, power_kw=1480.0, electricity_price_native=0.068,
             claimed_revenue_native=300000.0, claimed_opex_native=210000.0, **common),
        dict(site="Altoona", device_count=1200, power_kw=950.0, electricity_price_native=0.074,
             claimed_revenue_native=120000.0, claimed_opex_native=98000.0, **common),
        dict(site="Forest City", device_count=1000, power_kw=670.0, electricity_price_native=0.072,
             claimed_revenue_native=60000.0, claimed_opex_native=55000.0, **common),
    ])


def test_multi_page_unruled_table_without_the_header_on_page_two(tmp_path):
    path = tmp_path / "two_pages.pdf"
    c = pdf(path)
    y = text_lines(c, 40, 540, ["Company: Microsoft", "Period: Q1 2024"])
    header = ["Site", "GPU type", "Count", "Power (kW)", "Electricity ($/kWh)", "Revenue (USD)"]
    numeric = [False, False] + [True] * 4
    first = [[f"Site {k:02d}", "H100", f"{100 + k}", f"{70 + k}.5", "0.065", f"{10 + k},000.00"] for k in range(20)]
    second = [[f"Site {k:02d}", "A100", f"{100 + k}", f"{70 + k}.5", "0.065", f"{10 + k},000.00"]
              for k in range(20, 26)]
    _, widths = draw_table(c, 40, y - 10, [header], first, 9, ruled=False, numeric=numeric,
                           widths=_widths([header] + first + second, 9))
    c.setFont(FONT, 7)
    c.drawString(40, 20, "Page 1 of 2")
    c.showPage()
    draw_table(c, 40, 560, [], second, 9, ruled=False, numeric=numeric, widths=widths)
    c.setFont(FONT, 7)
    c.drawString(40, 20, "Page 2 of 2")
    c.save()
    frame = extract(path)
    expected = [dict(site=f"Site {k:02d}", device="H100" if k < 20 else "A100", device_count=100 + k,
                     power_kw=70 + k + 0.5, claimed_revenue_native=(10 + k) * 1000.0, currency="USD",
                     period=Q1_2024, page=1 if k < 20 else 2) for k in range(26)]
    check(frame, expected)


def test_prose_and_a_small_side_table_on_the_next_page_are_no_continuation(tmp_path):
    path = tmp_path / "two_pages_prose.pdf"
    c = pdf(path)
    y = text_lines(c, 40, 540, ["Company: Microsoft", "Period: Q1 2024"])
    header = ["Site", "GPU type", "Count", "Power (kW)", "Electricity ($/kWh)", "Revenue (USD)"]
    rows = [[f"Site {k:02d}", "H100", f"{100 + k}", f"{70 + k}.5", "0.065", f"{10 + k},000.00"] for k in range(20)]
    draw_table(c, 40, y - 10, [header], rows, 9, ruled=False, numeric=[False, False] + [True] * 4)
    c.showPage()
    text_lines(c, 40, 560, ["In Q1 2024 the 20 sites drew 1,800 kW for 390,000 USD of revenue, 12.5 % more than",
                            "in Q4 2023; 2 sites were added in March and 1 site was sold on 15 March 2024."])
    text_lines(c, 500, 500, ["FX  1.08  1.09  1.10", "CPI  3.1  2.9  2.8"])
    c.save()
    frame = extract(path)
    assert len(frame) == 20 and set(frame["page"]) == {1}


def test_month_range_period_cent_prices_and_bare_currency_codes_in_headers(tmp_path):
    path = tmp_path / "us_memo.pdf"
    c = pdf(path)
    y = text_lines(c, 40, 540, ["Oracle Cloud Infrastructure - internal", "Reporting period: January - March 2024"])
    header = ["Data center", "GPU model", "GPU Qty", "Electricity rate (¢/kWh)", "Revenue USD", "Opex USD"]
    rows = [["Abilene", "H100", "1,200", "5.8", "240,000.00", "150,000.00"],
            ["Total", "", "1,200", "", "240,000.00", "150,000.00"]]
    draw_table(c, 40, y - 10, [header], rows, 9, numeric=[False, False] + [True] * 4)
    c.save()
    check(extract(path), [
        dict(site="Abilene", device_count=1200, electricity_price_native=0.058, claimed_revenue_native=240000.0,
             claimed_opex_native=150000.0, currency="USD", period=Q1_2024, company_canonical="Oracle",
             is_total_row=False),
        dict(site="Total", device_count=1200, claimed_revenue_native=240000.0, currency="USD", period=Q1_2024,
             is_total_row=True),
    ])


@pytest.mark.parametrize("text, start, end", [
    ("January – March 2024", "2024-01-01", "2024-03-31"),
    ("Jan-Mar 2024", "2024-01-01", "2024-03-31"),
    ("Januar bis März 2024", "2024-01-01", "2024-03-31"),
    ("Dec 2023 - Feb 2024", "2023-12-01", "2024-02-29"),
    ("01/2024 - 03/2024", "2024-01-01", "2024-03-31"),
    ("2024-01 to 2024-03", "2024-01-01", "2024-03-31"),
    ("01.01.-31.03.2024", "2024-01-01", "2024-03-31"),
    ("Q1/24", "2024-01-01", "2024-03-31"),
    ("1Q24", "2024-01-01", "2024-03-31"),
    ("I. Quartal 2024", "2024-01-01", "2024-03-31"),
    ("IV. Quartal 2023", "2023-10-01", "2023-12-31"),
])
def test_periods_written_as_month_ranges_short_years_and_roman_quarters(text, start, end):
    from pipelines.lib.costsheets.periods import parse_period

    assert parse_period(text, "de") == (dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    assert parse_period(text, "en") == (dt.date.fromisoformat(start), dt.date.fromisoformat(end))


def test_xlsx_with_the_units_in_a_row_under_the_header(tmp_path):
    path = tmp_path / "units_row.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["Unternehmen: Microsoft"])
    sheet.append(["Zeitraum: Q1 2024"])
    sheet.append(["Standort", "GPU-Typ", "Anzahl", "Leistung", "Strompreis", "Erlös", "Kosten"])
    sheet.append([None, None, "Stk.", "MW", "ct/kWh", "Tsd. €", "Tsd. €"])
    sheet.append(["Berlin", "H100", 640, 0.512, 21.4, 123.4, 98.7])
    sheet.append(["Hamburg", "A100", 320, 0.188, 19.8, 23.4, 20.0])
    book.save(path)
    common = dict(currency="EUR", period=Q1_2024, company="Microsoft")
    check(extract(path), [
        dict(site="Berlin", device_count=640, power_kw=512.0, electricity_price_native=0.214,
             claimed_revenue_native=123400.0, claimed_opex_native=98700.0, **common),
        dict(site="Hamburg", device_count=320, power_kw=188.0, electricity_price_native=0.198,
             claimed_revenue_native=23400.0, claimed_opex_native=20000.0, **common),
    ])


def test_units_printed_in_the_cells_not_in_the_headers(tmp_path):
    path = tmp_path / "units_in_cells.pdf"
    c = pdf(path)
    y = text_lines(c, 40, 540, ["Company: Microsoft", "Period: Q1 2024"])
    header = ["Site", "GPU type", "Count", "Power", "Electricity price", "Hashrate", "Revenue"]
    rows = [["Dublin", "H100", "1,000", "1.2 MW", "0.071 $/kWh", "850 GH/s", "$120,000"],
            ["Amsterdam", "A100", "500", "310 kW", "0.083 $/kWh", "1.1 TH/s", "$40,000"]]
    draw_table(c, 40, y - 10, [header], rows, 9, numeric=[False, False] + [True] * 5)
    c.save()
    common = dict(currency="USD", period=Q1_2024)
    check(extract(path), [
        dict(site="Dublin", device_count=1000, power_kw=1200.0, electricity_price_native=0.071,
             claimed_hashrate_hs=850e9, claimed_revenue_native=120000.0, **common),
        dict(site="Amsterdam", device_count=500, power_kw=310.0, electricity_price_native=0.083,
             claimed_hashrate_hs=1.1e12, claimed_revenue_native=40000.0, **common),
    ])


def test_ruled_table_over_two_pages_with_a_units_row_and_no_repeated_header(tmp_path):
    path = tmp_path / "ruled_two_pages.pdf"
    c = pdf(path)
    y = text_lines(c, 40, 540, ["Unternehmen: Meta", "Zeitraum: Q1 2024"])
    header = ["Standort", "GPU-Typ", "Anzahl", "Leistung", "Strompreis", "Erlös"]
    units = ["", "", "Stk.", "kW", "€/kWh", "€"]
    numeric = [False, False] + [True] * 4
    first = [[f"RZ {k:02d}", "H100", f"{100 + k}", f"{70 + k},5", "0,190", f"{10 + k}.000,00"] for k in range(18)]
    second = [[f"RZ {k:02d}", "A100", f"{100 + k}", f"{70 + k},5", "0,190", f"{10 + k}.000,00"]
              for k in range(18, 22)]
    widths = _widths([header, units] + first + second, 9)
    draw_table(c, 40, y - 10, [header, units], first, 9, numeric=numeric, widths=widths)
    c.showPage()
    draw_table(c, 40, 560, [], second, 9, numeric=numeric, widths=widths)
    c.save()
    check(extract(path), [dict(site=f"RZ {k:02d}", device_count=100 + k, power_kw=70 + k + 0.5,
                               electricity_price_native=0.19, claimed_revenue_native=(10 + k) * 1000.0,
                               currency="EUR", period=Q1_2024, page=1 if k < 18 else 2) for k in range(22)])


def test_swiss_francs_with_apostrophes_negative_brackets_and_a_month_per_line(tmp_path):
    path = tmp_path / "chf.csv"
    path.write_text("\n".join([
        "Company: Microsoft",
        "Site,Month,GPU type,Count,Power (kW),Revenue (CHF),Operating result (CHF),Opex (CHF)",
        "Zurich,Jan 2024,H100,400,280.0,1'234'567.50,(12'000.00),45'000.00",
        "Zurich,Feb 2024,H100,400,281.5,1'100'000.00,(8'500.00),44'100.00",
    ]) + "\n", encoding="utf-8")
    check(extract(path), [
        dict(site="Zurich", device_count=400, power_kw=280.0, claimed_revenue_native=1234567.5,
             claimed_opex_native=45000.0, currency="CHF", period=(dt.date(2024, 1, 1), dt.date(2024, 1, 31))),
        dict(site="Zurich", device_count=400, power_kw=281.5, claimed_revenue_native=1100000.0,
             claimed_opex_native=44100.0, currency="CHF", period=(dt.date(2024, 2, 1), dt.date(2024, 2, 29))),
    ])


def test_unruled_site_names_wrapped_onto_a_second_line(tmp_path):
    path = tmp_path / "wrapped_site.pdf"
    c = pdf(path)
    y = text_lines(c, 40, 540, ["Unternehmen: Microsoft", "Zeitraum: Q1 2024"])
    header = ["Nr.", "Standort", "GPU-Typ", "Anzahl", "Leistung (kW)", "Erlös (€)"]
    rows = [["1", "Frankfurt am\nMain", "H100", "1.024", "745,2", "182.340,50"],
            ["2", "Berlin", "A100", "512", "210,9", "41.220,00"],
            ["3", "Halle (Saale)\nWest", "L40S", "256", "98,0", "18.004,00"],
            ["", "Summe", "", "1.792", "1.054,1", "241.564,50"]]
    y, _ = draw_table(c, 40, y - 10, [header], rows, 9, ruled=False, numeric=[True, False, False, True, True, True])
    text_lines(c, 40 + PAD + 4, y + 3, ["Quelle: Controlling"], size=8)    # a note set tight under the table
    c.save()
    common = dict(currency="EUR", period=Q1_2024)
    check(extract(path), [
        dict(site="Frankfurt am Main", device_count=1024, power_kw=745.2, is_total_row=False, **common),
        dict(site="Berlin", device_count=512, power_kw=210.9, is_total_row=False, **common),
        dict(site="Halle (Saale) West", device_count=256, power_kw=98.0, is_total_row=False, **common),
        dict(site="Summe", device_count=1792, power_kw=1054.1, claimed_revenue_native=241564.5, is_total_row=True,
             **common),
    ])


def test_xlsx_with_typed_dates_in_from_and_to_columns_and_percent_text(tmp_path):
    path = tmp_path / "dates.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["GPU-Kostenübersicht (vertraulich)"])
    sheet.append([])
    sheet.append(["Unternehmen", "Standort", "Von", "Bis", "GPU-Typ", "Anzahl", "Auslastung", "Leistung (kW)",
                  "Betriebskosten (EUR)"])
    sheet.append(["Meta", "Odense", dt.datetime(2024, 1, 1), dt.datetime(2024, 3, 31), "H100", 3000, "74,0 %",
                  2350.0, 1204700.0])
    sheet.append(["Meta", "Clonee", dt.datetime(2024, 4, 1), dt.datetime(2024, 6, 30), "A100", 1200, "61,5 %",
                  620.0, 402300.0])
    book.save(path)
    check(extract(path), [
        dict(company="Meta", site="Odense", period=Q1_2024, device_count=3000, utilization_share=0.74,
             power_kw=2350.0, claimed_opex_native=1204700.0, currency="EUR"),
        dict(company="Meta", site="Clonee", period=Q2_2024, device_count=1200, utilization_share=0.615,
             power_kw=620.0, claimed_opex_native=402300.0, currency="EUR"),
    ])


def test_transposed_sheet_with_one_column_per_site(tmp_path):
    path = tmp_path / "transposed.csv"
    path.write_text("\n".join([
        "Unternehmen: Oracle", "Zeitraum: Q1 2024",
        "Kennzahl;Frankfurt;Berlin",
        "GPU-Typ;H100;A100",
        "Anzahl;1.024;512",
        "Leistung (kW);745,2;210,9",
        "Erlös (€);182.340,50;41.220,00",
    ]) + "\n", encoding="utf-8")
    check(extract(path), [
        dict(site="Frankfurt", device="H100", device_count=1024, power_kw=745.2, claimed_revenue_native=182340.5),
        dict(site="Berlin", device="A100", device_count=512, power_kw=210.9, claimed_revenue_native=41220.0),
    ])


def test_excel_csv_with_a_sep_line_and_utf16_tab_export(tmp_path):
    rows = ["Unternehmen: Oracle", "Zeitraum: Q2 2024",
            "Standort\tGPU-Typ\tAnzahl\tLeistung (kW)\tErlös (€)",
            "Frankfurt\tH100\t1.024\t745,2\t182.340,50",
            "Berlin\tA100\t512\t210,9\t41.220,00"]
    tsv = tmp_path / "unicode.txt"
    tsv.write_bytes("\r\n".join(rows).encode("utf-16"))
    semi = tmp_path / "sep.csv"
    semi.write_text("sep=;\n" + "\n".join(r.replace("\t", ";") for r in rows) + "\n", encoding="cp1252")
    for path in (tsv, semi):
        check(extract(path), [
            dict(site="Frankfurt", device_count=1024, power_kw=745.2, claimed_revenue_native=182340.5,
                 currency="EUR", period=Q2_2024, company="Oracle"),
            dict(site="Berlin", device_count=512, power_kw=210.9, claimed_revenue_native=41220.0,
                 currency="EUR", period=Q2_2024, company="Oracle"),
        ])


def test_period_as_a_month_range_in_the_title(tmp_path):
    path = tmp_path / "title_range.pdf"
    c = pdf(path)
    y = text_lines(c, 40, 540, ["Meta Platforms", "GPU-Kostenaufstellung Januar bis März 2024"], size=11)
    header = ["Standort", "GPU-Typ", "Anzahl", "Leistung (kW)", "Erlös (€)"]
    rows = [["Odense", "H100", "3.000", "2.350,0", "1.204.700,00"]]
    draw_table(c, 40, y - 10, [header], rows, 9, numeric=[False, False, True, True, True])
    c.save()
    check(extract(path), [dict(site="Odense", device_count=3000, power_kw=2350.0, currency="EUR", period=Q1_2024,
                               company_canonical="Meta")])


def test_hashrate_with_its_unit_in_a_column_of_its_own(tmp_path):
    path = tmp_path / "unit_column.csv"
    path.write_text("\n".join([
        "Company: Microsoft", "Period: Q1 2024",
        "Site,GPU type,Count,Coin,Hashrate,Unit,Power (kW)",
        "Dublin,H100,1000,ETC,850,GH/s,700.0",
        "Amsterdam,A100,500,KAS,1.1,TH/s,200.0",
    ]) + "\n", encoding="utf-8")
    check(extract(path), [
        dict(site="Dublin", device_count=1000, claimed_hashrate_hs=850e9, power_kw=700.0),
        dict(site="Amsterdam", device_count=500, claimed_hashrate_hs=1.1e12, power_kw=200.0),
    ])


def test_first_line_with_a_two_line_site_starting_above_its_figures(tmp_path):
    """Row text vertically centred: 'Frankfurt am' sits above the figures' line, 'Main' below it."""
    path = tmp_path / "centred.pdf"
    c = pdf(path)
    y = text_lines(c, 40, 540, ["Company: Microsoft", "Period: Q1 2024"])
    c.setFont(BOLD, 9)
    xs = [40, 150, 220, 290, 380]
    for x, text in zip(xs, ["Site", "GPU type", "Count", "Power (kW)", "Revenue (EUR)"]):
        c.drawString(x, y - 20, text)
    c.setFont(FONT, 9)
    base = y - 46
    c.drawString(40, base + 6, "Frankfurt am")
    c.drawString(40, base - 6, "Main")
    for x, text in zip(xs[1:], ["H100", "1,024", "745.2", "182,340.50"]):
        c.drawString(x, base, text)
    base -= 24
    for x, text in zip(xs, ["Berlin", "A100", "512", "210.9", "41,220.00"]):
        c.drawString(x, base, text)
    c.save()
    check(extract(path), [
        dict(site="Frankfurt am Main", device_count=1024, power_kw=745.2, currency="EUR", period=Q1_2024),
        dict(site="Berlin", device_count=512, power_kw=210.9, currency="EUR", period=Q1_2024),
    ])


def test_currency_in_a_column_per_line(tmp_path):
    path = tmp_path / "currency_column.csv"
    path.write_text("\n".join([
        "Company: Microsoft", "Period: Q1 2024",
        "Site,GPU type,Count,Currency,Electricity price (per kWh),Revenue,Opex",
        "Dublin,H100,1000,EUR,0.19,\"120,000.00\",\"80,000.00\"",
        "Quincy,H100,2000,USD,0.06,\"240,000.00\",\"90,000.00\"",
    ]) + "\n", encoding="utf-8")
    check(extract(path), [
        dict(site="Dublin", currency="EUR", electricity_price_native=0.19, claimed_revenue_native=120000.0),
        dict(site="Quincy", currency="USD", electricity_price_native=0.06, claimed_revenue_native=240000.0),
    ])


def test_ruled_two_level_header_with_vertically_merged_cells(tmp_path):
    """'Standort', 'GPU-Typ', 'Anzahl' span both header rows; 'Energie' and 'Mining' head the
    'Leistung (kW)' / 'Strompreis (ct/kWh)' and 'Coin' / 'Hashrate (TH/s)' columns under them."""
    path = tmp_path / "two_level.pdf"
    c = pdf(path)
    y = text_lines(c, 40, 540, ["Unternehmen: Oracle", "Zeitraum: Q1 2024"])
    size, h = 9, 20
    widths = [80, 60, 55, 80, 100, 50, 90]
    xs = [40]
    for w in widths:
        xs.append(xs[-1] + w)
    top = y - 10
    c.setFont(BOLD, size)
    for k, text in enumerate(["Standort", "GPU-Typ", "Anzahl"]):
        c.drawString(xs[k] + PAD, top - h - 3, text)
    c.drawCentredString((xs[3] + xs[5]) / 2, top - 13, "Energie")
    c.drawCentredString((xs[5] + xs[7]) / 2, top - 13, "Mining")
    for k, text in zip(range(3, 7), ["Leistung (kW)", "Strompreis (ct/kWh)", "Coin", "Hashrate (TH/s)"]):
        c.drawString(xs[k] + PAD, top - h - 13, text)
    rows = [["Frankfurt", "H100", "2.048", "1.480,5", "18,4", "ETC", "1,024"],
            ["München", "A100", "1.024", "402,0", "21,9", "RVN", "0,180"]]
    c.setFont(FONT, size)
    for r, row in enumerate(rows):
        base = top - 2 * h - (r + 1) * h + 6
        for k, text in enumerate(row):
            c.drawString(xs[k] + PAD, base, text)
    bottom = top - 2 * h - len(rows) * h
    c.setLineWidth(0.5)
    for yy in [top, top - 2 * h] + [top - 2 * h - (r + 1) * h for r in range(len(rows))]:
        c.line(xs[0], yy, xs[-1], yy)
    c.line(xs[3], top - h, xs[-1], top - h)            # between the group row and its sub-headers
    for k, xx in enumerate(xs):
        c.line(xx, top if k in (0, 1, 2, 3, 5, 7) else top - h, xx, bottom)
    c.save()
    common = dict(currency=None, period=Q1_2024, company="Oracle")
    check(extract(path), [
        dict(site="Frankfurt", device="H100", device_count=2048, power_kw=1480.5, electricity_price_native=0.184,
             coin="ETC", claimed_hashrate_hs=1.024e12, **common),
        dict(site="München", device="A100", device_count=1024, power_kw=402.0, electricity_price_native=0.219,
             coin="RVN", claimed_hashrate_hs=0.18e12, **common),
    ])


@pytest.mark.parametrize("header, field, scale, currency", [
    ("Revenue (kUSD)", "revenue", 1e3, "USD"),
    ("Revenue ($ m)", "revenue", 1e6, "USD"),
    ("Revenue (m USD)", "revenue", 1e6, "USD"),
    ("Revenue (€m)", "revenue", 1e6, "EUR"),
    ("Cost ($000)", "opex", 1e3, "USD"),
    ("Opex (€ '000)", "opex", 1e3, "EUR"),
    ("Revenue ($000,000)", "revenue", 1e6, "USD"),
    ("Cost (k$)", "opex", 1e3, "USD"),
    ("Umsatzerlöse (T€)", "revenue", 1e3, "EUR"),
    ("Kosten (EUR)", "opex", 1.0, "EUR"),
])
def test_money_headers_with_short_scales(header, field, scale, currency):
    column = read_header(header, "en")
    assert (column.field, column.money_scale, column.currency) == (field, scale, currency)


def test_util_is_utilisation():
    assert read_header("Util. (%)").field == "utilization_share"


def test_unruled_header_words_hyphenated_onto_a_second_line(tmp_path):
    path = tmp_path / "hyphen_unruled.pdf"
    c = pdf(path)
    y = text_lines(c, 40, 540, ["Unternehmen: Meta", "Zeitraum: Q1 2024"])
    c.setFont(BOLD, 9)
    xs = [40, 130, 200, 270, 350, 440]
    for x, (a, b) in zip(xs, [("Rechen-", "zentrum"), ("GPU-", "Modell"), ("Anzahl", "GPUs"), ("KI-Aus-", "lastung (%)"),
                              ("Leistungs-", "aufnahme (kW)"), ("Betriebs-", "kosten (€)")]):
        c.drawString(x, y - 20, a)
        c.drawString(x, y - 31, b)
    c.setFont(FONT, 9)
    for r, row in enumerate([["Odense", "H100", "3.000", "74,0", "2.350,0", "1.204.700,00"],
                             ["Clonee", "A100", "1.200", "61,5", "620,0", "402.300,00"]]):
        for x, text in zip(xs, row):
            c.drawString(x, y - 52 - 14 * r, text)
    c.save()
    common = dict(currency="EUR", period=Q1_2024, company="Meta")
    check(extract(path), [
        dict(site="Odense", device="H100", device_count=3000, utilization_share=0.74, power_kw=2350.0,
             claimed_opex_native=1204700.0, **common),
        dict(site="Clonee", device="A100", device_count=1200, utilization_share=0.615, power_kw=620.0,
             claimed_opex_native=402300.0, **common),
    ])


def _two_periods(path, rotate_second: int, ruled: bool = True):
    """Two A4 pages, one table for one period on each; the second page carries /Rotate over content
    drawn upright on its portrait MediaBox, so its table shows sideways in a viewer (reportlab swaps
    the size of a page turned by 90 or 270 into its MediaBox, hence the landscape size for those)."""
    c = pdf(path, A4)
    header = ["Site", "GPU type", "Count", "Power (kW)", "Revenue (USD)"]
    for period, count in (("Period: Q1 2024", 100), ("Period: Q2 2024", 120)):
        y = text_lines(c, 40, 800, ["Company: Microsoft", period])
        draw_table(c, 40, y - 10, [header], [["Dublin", "H100", str(count), "70.0", "10,000.00"]], 9,
                   numeric=[False, False, True, True, True], ruled=ruled)
        rotate = rotate_second if count == 120 else 0
        c.setPageRotation(rotate)
        c.setPageSize(landscape(A4) if rotate % 180 else A4)
        c.showPage()
    c.save()


def test_two_tables_on_two_pages_for_two_periods(tmp_path):
    path = tmp_path / "two_periods.pdf"
    _two_periods(path, 0)
    check(extract(path), [
        dict(site="Dublin", device_count=100, period=Q1_2024, page=1, currency="USD"),
        dict(site="Dublin", device_count=120, period=Q2_2024, page=2, currency="USD"),
    ])


def test_a_table_on_a_page_turned_by_rotate_90(tmp_path):
    path = tmp_path / "rotated.pdf"
    _two_periods(path, 90)
    check(extract(path), [
        dict(site="Dublin", device_count=100, period=Q1_2024, page=1, currency="USD"),
        dict(site="Dublin", device_count=120, period=Q2_2024, page=2, currency="USD"),
    ])


@pytest.mark.parametrize("rotate, ruled", [(90, False), (180, True), (180, False), (270, True), (270, False)])
def test_tables_on_pages_turned_by_rotate_ruled_or_not(tmp_path, rotate, ruled):
    path = tmp_path / "rotated.pdf"
    _two_periods(path, rotate, ruled)
    check(extract(path), [
        dict(site="Dublin", device_count=100, period=Q1_2024, page=1, currency="USD"),
        dict(site="Dublin", device_count=120, period=Q2_2024, page=2, currency="USD"),
    ])


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_the_bbox_on_a_turned_page_points_at_the_row_as_the_page_is_shown(tmp_path, rotate):
    import pdfplumber

    path = tmp_path / "rotated.pdf"
    _two_periods(path, rotate)
    row = extract(path).iloc[1]
    with pdfplumber.open(path) as doc:
        page = doc.pages[1]
        x0, top, x1, bottom = row["bbox"]
        # the row runs down (90), up (270) or upside down (180) the page a viewer shows
        assert (bottom - top > x1 - x0) == (rotate != 180)
        text = "".join(c["text"] for c in page.crop(tuple(row["bbox"])).chars)
    assert "Dublin" in text and "10,000.00" in text and "Site" not in text


@pytest.mark.parametrize("turn, ruled", [(90, True), (270, False)])
def test_a_landscape_table_drawn_turned_on_a_portrait_page_without_rotate(tmp_path, turn, ruled):
    path = tmp_path / "sideways.pdf"
    c = pdf(path, A4)
    width, height = A4
    c.translate(*((width, 0) if turn == 90 else (0, height)))
    c.rotate(turn)
    y = text_lines(c, 40, 540, ["Company: Microsoft", "Period: Q2 2024"])
    draw_table(c, 40, y - 10, [["Site", "GPU type", "Count", "Power (kW)", "Revenue (USD)"]],
               [["Dublin", "H100", "120", "70.0", "10,000.00"], ["Cork", "A100", "64", "31.5", "4,200.00"]], 9,
               numeric=[False, False, True, True, True], ruled=ruled)
    c.save()
    common = dict(period=Q2_2024, company="Microsoft", currency="USD", page=1)
    check(extract(path), [
        dict(site="Dublin", device="H100", device_count=120, power_kw=70.0, claimed_revenue_native=10000.0, **common),
        dict(site="Cork", device="A100", device_count=64, power_kw=31.5, claimed_revenue_native=4200.0, **common),
    ])
