"""Spreadsheets as they are printed (issue 19, point 4): headers over two rows or in merged cells,
hidden sheets, rows and columns, title blocks and notes; columns known by their unit or cells;
one-day periods."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests.lib.costsheets.sheet_builders import extract, write_csv, write_xlsx

TITLE = [["Kostenaufstellung Rechenzentren"], ["vertraulich - nur intern"], []]


def test_a_merged_group_label_over_two_header_rows_is_one_header(tmp_path):
    rows = TITLE + [
        ["Standort", "Zeitraum", None, "Hashrate", None, "Leistung (kW)"],
        [None, "von", "bis", "pro GPU (MH/s)", "gesamt (TH/s)", None],
        ["Frankfurt", "01.01.2024", "31.03.2024", 30, 3, 25],
    ]
    path = write_xlsx(tmp_path / "merged.xlsx", rows, merged=["B4:C4", "D4:E4", "A4:A5", "F4:F5"])
    frame, rejected, _ = extract(path)
    assert len(frame) == 1 and not rejected
    row = frame.iloc[0]
    assert (row["period_start"], row["period_end"]) == (dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    assert row["claimed_hashrate_per_device_hs"] == pytest.approx(30e6)
    assert row["site"] == "Frankfurt" and row["power_kw"] == pytest.approx(25.0)


def test_a_csv_group_label_spread_over_empty_cells_is_one_header(tmp_path):
    rows = [["Site", "Period", None, "Hashrate", "Power (kW)"],
            [None, "from", "to", "per GPU (MH/s)", None],
            ["Dallas", "2024-01-01", "2024-03-31", 30.0, 25.0]]
    frame, _, _ = extract(write_csv(tmp_path / "group.csv", rows))
    row = frame.iloc[0]
    assert (row["period_start"], row["period_end"]) == (dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    assert row["claimed_hashrate_per_device_hs"] == pytest.approx(30e6)


def test_a_title_block_is_not_a_header_row_and_notes_are_not_lines(tmp_path):
    rows = TITLE + [["Standort", "GPU", "Anzahl", "Leistung (kW)"],
                    ["Frankfurt", "A100", 8, 5],
                    ["Hinweis: Werte vorläufig, Stand 01.04.2024"],
                    ["Berlin", "A100", 4, 2.5],
                    ["* ohne Kühlung"]]
    frame, rejected, notes = extract(write_xlsx(tmp_path / "notes.xlsx", rows))
    assert list(frame["site"]) == ["Frankfurt", "Berlin"]
    assert rejected == []                     # the notes are neither lines nor rejected lines
    assert any("Werte vorläufig" in n for n in notes)


def test_a_hidden_sheet_is_kept_apart_and_never_the_documents_lines(tmp_path):
    visible = [["Standort", "GPU", "Anzahl", "Leistung (kW)"], ["Frankfurt", "A100", 8, 5]]
    draft = [["Standort", "GPU", "Anzahl", "Leistung (kW)"], ["Frankfurt", "A100", 800, 500]]
    path = write_xlsx(tmp_path / "hidden.xlsx", visible, extra_sheets=[("Entwurf alt", draft, "hidden")])
    frame, rejected, _ = extract(path)
    assert list(frame["device_count"]) == [8]
    assert [r.check_name for r in rejected] == ["cost_sheets.hidden_sheet"]
    assert "800" in rejected[0].raw_record["source_text"]


def test_a_hidden_row_is_kept_apart(tmp_path):
    rows = [["Standort", "GPU", "Anzahl", "Leistung (kW)"], ["Frankfurt", "A100", 8, 5],
            ["Frankfurt", "A100", 80, 50], ["Berlin", "A100", 4, 2.5]]
    frame, rejected, _ = extract(write_xlsx(tmp_path / "row.xlsx", rows, hidden_rows=[3]))
    assert list(frame["device_count"]) == [8, 4]
    assert [r.check_name for r in rejected] == ["cost_sheets.hidden_row"]


def test_a_hidden_column_is_not_read(tmp_path):
    rows = [["Standort", "GPU", "Anzahl", "Leistung (kW)", "Hashrate (TH/s)"],
            ["Frankfurt", "A100", 8, 5, 99]]
    frame, _, notes = extract(write_xlsx(tmp_path / "col.xlsx", rows, hidden_cols=["E"]))
    assert pd.isna(frame.iloc[0]["claimed_hashrate_hs"]) and frame.iloc[0]["power_kw"] == pytest.approx(5.0)
    assert any("hidden column(s) E" in n for n in notes)


@pytest.mark.parametrize(("header", "cells", "column", "expected"), [
    ("Messwert", ["850 MH/s", "900 MH/s"], "claimed_hashrate_hs", 850e6),
    ("Wert A", ["1.2 kW", "0.8 kW"], "power_kw", 1.2),
    (None, ["0.071 $/kWh", "0.08 $/kWh"], "electricity_price_native", 0.071),
    ("Quote", ["62 %", "70 %"], "utilization_share", 0.62),
])
def test_an_unknown_header_is_known_by_its_cells_and_flagged_inferred(tmp_path, header, cells, column, expected):
    rows = [["Site", "GPU", "Count", header], ["Dallas", "A100", 8, cells[0]], ["Austin", "A100", 4, cells[1]]]
    frame, _, _ = extract(write_csv(tmp_path / "values.csv", rows))
    row = frame.iloc[0]
    assert row[column] == pytest.approx(expected)
    field = {"claimed_hashrate_hs": "hashrate", "electricity_price_native": "electricity_price"}.get(column, column)
    assert f"inferred_from_values:{field}" in row["flags"]


def test_an_unknown_header_word_with_a_unit_is_flagged_inferred(tmp_path):
    rows = [["Site", "GPU", "Count", "Blip (kW)", "Zorp (MH/s)"], ["Dallas", "A100", 8, 5, 30]]
    row = extract(write_csv(tmp_path / "unit.csv", rows))[0].iloc[0]
    assert row["power_kw"] == pytest.approx(5.0) and row["claimed_hashrate_hs"] == pytest.approx(30e6)
    assert {"inferred_from_unit:power_kw", "inferred_from_unit:hashrate"} <= set(row["flags"])


def test_a_bare_money_column_under_an_unknown_word_stays_unread(tmp_path):
    rows = [["Site", "GPU", "Count", "Power (kW)", "Blip"], ["Dallas", "A100", 8, 5, "$ 1,200"],
            ["Austin", "A100", 4, 2, "$ 900"]]
    row = extract(write_csv(tmp_path / "money.csv", rows))[0].iloc[0]
    assert row["claimed_revenue_native"] is None and row["claimed_opex_native"] is None


def test_a_month_written_as_its_first_day_is_the_month(tmp_path):
    rows = [["Standort", "GPU", "Anzahl", "Monat", "Leistung (kW)"],
            ["Frankfurt", "A100", 8, dt.datetime(2024, 2, 1), 5]]
    row = extract(write_xlsx(tmp_path / "month.xlsx", rows))[0].iloc[0]
    assert (row["period_start"], row["period_end"]) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert "period_from_header" in row["flags"]


def test_a_quarterly_sheet_with_one_day_lines_is_flagged(tmp_path):
    rows = [["Kostenaufstellung Q1 2024"], [],
            ["Standort", "GPU", "Anzahl", "Datum von", "Leistung (kW)"],
            ["Frankfurt", "A100", 8, "01.01.2024", 5]]
    row = extract(write_csv(tmp_path / "q1.csv", rows, "de"))[0].iloc[0]
    assert row["period_start"] == row["period_end"] == dt.date(2024, 1, 1)
    assert {"one_day_period", "period_conflicts_title"} <= set(row["flags"])


def test_a_merged_title_right_above_the_header_is_context_not_a_group_label(tmp_path):
    rows = [["Meta Platforms - Kostenaufstellung", None, None, None],
            ["Standort", "GPU", "Anzahl", "Leistung (kW)"],
            ["Odense", "A100", 8, 5]]
    frame, _, _ = extract(write_xlsx(tmp_path / "title.xlsx", rows, merged=["A1:D1"]))
    row = frame.iloc[0]
    assert (row["site"], row["device_count"], row["power_kw"]) == ("Odense", 8, 5.0)
    assert (row["company_canonical"], row["company_how"]) == ("Meta", "letterhead")
