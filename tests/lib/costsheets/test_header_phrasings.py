"""Header phrasings beyond the bundled samples (issue 19, point 4): each a small generated CSV and
XLSX read through extract_document, asserting the contract column and its value."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.lib.costsheets.sheet_builders import extract, write_csv, write_xlsx

BASE = {"de": ["Standort", "GPU-Modell", "Anzahl"], "en": ["Site", "GPU model", "Count"]}
FIRST = {"de": ["Frankfurt", "RTX 3090", 100], "en": ["Dallas", "RTX 3090", 100]}

# (header, cell, language, contract column, expected value); 100 devices on every line
CASES = [
    # a per-device figure, the unit word before or after
    ("Per-card output (MH/s)", 30, "en", "claimed_hashrate_per_device_hs", 30e6),
    ("Per-card output (MH/s)", 30, "en", "claimed_hashrate_hs", 3e9),
    ("Hashrate per GPU (MH/s)", 30, "en", "claimed_hashrate_hs", 3e9),
    ("MH/s per accelerator", 30, "en", "claimed_hashrate_hs", 3e9),
    ("Output per GPU (MH/s)", 30, "en", "claimed_hashrate_hs", 3e9),
    ("MH/s/GPU", 30, "en", "claimed_hashrate_hs", 3e9),
    ("Hashrate/GPU (MH/s)", 30, "en", "claimed_hashrate_hs", 3e9),
    ("je GPU (MH/s)", 30, "de", "claimed_hashrate_hs", 3e9),
    ("MH/s je Beschleuniger", 30, "de", "claimed_hashrate_hs", 3e9),
    ("Leistung pro GPU in W", 250, "de", "power_kw", 25.0),
    ("Hashrate je GPU (MH/s)", 30, "de", "claimed_hashrate_hs", 3e9),
    ("Hashrate pro Karte (MH/s)", 30, "de", "claimed_hashrate_hs", 3e9),
    ("Rechenleistung je Karte (MH/s)", 30, "de", "claimed_hashrate_hs", 3e9),
    ("Leistung je Karte (W)", 250, "de", "power_kw", 25.0),
    ("Stromverbrauch je Karte (W)", 250, "de", "power_kw", 25.0),
    ("Watt je GPU", 250, "de", "power_kw", 25.0),
    ("kW pro Karte", 0.25, "de", "power_kw", 25.0),
    ("Power per card (W)", 250, "en", "power_kw", 25.0),
    ("Per-GPU power (W)", 250, "en", "power_kw", 25.0),
    ("W/GPU", 250, "en", "power_kw", 25.0),
    ("Kosten pro Karte (EUR)", 10, "de", "claimed_opex_native", 1000.0),
    # the unit says what a performance or power word means
    ("Rechenleistung (TH/s)", 3, "de", "claimed_hashrate_hs", 3e12),
    ("Leistung (TH/s)", 3, "de", "claimed_hashrate_hs", 3e12),
    ("Hash power (GH/s)", 3000, "en", "claimed_hashrate_hs", 3e12),
    ("Verbrauch (kW)", 25, "de", "power_kw", 25.0),
    ("Leistungsbedarf (MW)", 0.025, "de", "power_kw", 25.0),
    ("Power consumption (kW)", 25, "en", "power_kw", 25.0),
    ("Wattage (kW)", 25, "en", "power_kw", 25.0),
    # prices, money, shares, coins
    ("Preis je kWh (ct)", 25, "de", "electricity_price_native", 0.25),
    ("Arbeitspreis (ct/kWh)", 25, "de", "electricity_price_native", 0.25),
    ("Price per kWh (EUR)", 0.25, "en", "electricity_price_native", 0.25),
    ("Ausgaben (Tsd. €)", 5, "de", "claimed_opex_native", 5000.0),
    ("Betriebsaufwand (EUR)", 1200, "de", "claimed_opex_native", 1200.0),
    ("Expenses (USD)", 1200, "en", "claimed_opex_native", 1200.0),
    ("Running costs (USD)", 1200, "en", "claimed_opex_native", 1200.0),
    ("Sales (USD)", 1500, "en", "claimed_revenue_native", 1500.0),
    ("Pass-through costs (USD)", 1200, "en", "claimed_opex_native", 1200.0),
    ("Turnover (kEUR)", 3, "en", "claimed_revenue_native", 3000.0),
    ("Umsatzerlöse (Mio. €)", 1.5, "de", "claimed_revenue_native", 1.5e6),
    ("Auslastungsquote (%)", 62, "de", "utilization_share", 0.62),
    ("Occupancy (%)", 62, "en", "utilization_share", 0.62),
    ("Coins produced", 12.5, "en", "claimed_coins_mined", 12.5),
    ("Geschürft", 12.5, "de", "claimed_coins_mined", 12.5),
    # periods and devices
    ("Abrechnungszeitraum", "Q1 2024", "de", "period_end", dt.date(2024, 3, 31)),
    ("Berichtsmonat", "März 2024", "de", "period_start", dt.date(2024, 3, 1)),
    ("Reporting month", "2024-03", "en", "period_end", dt.date(2024, 3, 31)),
    ("Billing period", "Q2 2024", "en", "period_start", dt.date(2024, 4, 1)),
    ("Kartentyp", "RTX 4090", "de", "device", "RTX 4090"),
    ("Card model", "RTX 4090", "en", "device", "RTX 4090"),
]
# the count itself, in other words (replacing the base 'Anzahl'/'Count' column)
COUNT_CASES = [("Kartenanzahl", "de"), ("Anzahl Karten", "de"), ("GPUs installiert", "de"), ("Stk.", "de"),
               ("No. of cards", "en"), ("Number of cards", "en"), ("Installed GPUs", "en"), ("No. of GPUs", "en")]


def _sheet(header, cell, lang):
    head, first = list(BASE[lang]), list(FIRST[lang])
    if header in [h for h, _ in COUNT_CASES]:
        head[2] = header
        return [head + ["Leistung (kW)" if lang == "de" else "Power (kW)"], first + [25]]
    if header in ("Kartentyp", "Card model"):
        head[1] = header
        first[1] = cell
        return [head + ["Leistung (kW)" if lang == "de" else "Power (kW)"], first + [25]]
    return [head + [header], first + [cell]]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(("header", "cell", "lang", "column", "expected"), CASES,
                         ids=[f"{c[0]}->{c[3]}" for c in CASES])
def test_a_header_phrasing_reaches_its_contract_column(tmp_path, fmt, header, cell, lang, column, expected):
    rows = _sheet(header, cell, lang)
    path = (write_csv(tmp_path / "sheet.csv", rows, lang) if fmt == "csv"
            else write_xlsx(tmp_path / "sheet.xlsx", rows))
    frame, rejected, _ = extract(path)
    assert len(frame) == 1, rejected
    value = frame.iloc[0][column]
    if isinstance(expected, float):
        assert value == pytest.approx(expected)
    else:
        assert value == expected
    assert not any(f.startswith(("unit_missing", "inferred_from")) for f in frame.iloc[0]["flags"])


@pytest.mark.parametrize(("header", "lang"), COUNT_CASES)
def test_a_device_count_phrasing_is_the_count(tmp_path, header, lang):
    frame, _, _ = extract(write_xlsx(tmp_path / "count.xlsx", _sheet(header, None, lang)))
    assert frame.iloc[0]["device_count"] == 100 and frame.iloc[0]["power_kw"] == pytest.approx(25.0)


SPLIT_PERIODS = [
    (("from", "to"), ("2024-01-01", "2024-03-31"), "en"),
    (("Start", "End"), ("Jan 2024", "Mar 2024"), "en"),
    (("Start date", "End date"), ("2024-04-01", "2024-06-30"), "en"),
    (("Period from", "Period to"), ("01/01/2024", "03/31/2024"), "en"),
    (("von", "bis"), ("01.01.2024", "31.03.2024"), "de"),
    (("Beginn", "Ende"), ("Januar 2024", "März 2024"), "de"),
    (("Zeitraum von", "Zeitraum bis"), ("01.01.2024", "31.03.2024"), "de"),
    (("Startdatum", "Enddatum"), ("01.01.2024", "31.03.2024"), "de"),
    (("Gültig ab", "Gültig bis"), ("01.01.2024", "31.03.2024"), "de"),
]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(("headers", "cells", "lang"), SPLIT_PERIODS, ids=[" / ".join(h) for h, _, _ in SPLIT_PERIODS])
def test_a_period_over_two_columns_is_one_period(tmp_path, fmt, headers, cells, lang):
    rows = [BASE[lang] + list(headers) + ["Leistung (kW)" if lang == "de" else "Power (kW)"],
            FIRST[lang] + list(cells) + [25]]
    path = (write_csv(tmp_path / "split.csv", rows, lang) if fmt == "csv"
            else write_xlsx(tmp_path / "split.xlsx", rows))
    frame, _, _ = extract(path)
    row = frame.iloc[0]
    first = dt.date(2024, 4, 1) if cells[0] == "2024-04-01" else dt.date(2024, 1, 1)
    assert (row["period_start"], row["period_end"]) == (first, dt.date(first.year, first.month + 2,
                                                                       30 if first.month == 4 else 31))
    assert "one_day_period" not in row["flags"]


def test_typed_dates_over_two_columns_are_one_period(tmp_path):
    rows = [["Site", "GPU", "Count", "Start", "End", "Power (kW)"],
            ["Dallas", "A100", 8, dt.datetime(2024, 1, 1), dt.datetime(2024, 3, 31), 5]]
    row = extract(write_xlsx(tmp_path / "typed.xlsx", rows))[0].iloc[0]
    assert (row["period_start"], row["period_end"]) == (dt.date(2024, 1, 1), dt.date(2024, 3, 31))
