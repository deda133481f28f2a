"""Cost-sheet cells and tables: numbers in the document's locale, periods, headers mapped to contract
columns with their units, coins, and tables (given as cells or as word positions) normalised into
contract rows."""
import datetime as dt

import pytest

from pipelines.lib.costsheets.numbers import detect_locale, parse_number
from pipelines.lib.costsheets.periods import parse_period
from pipelines.lib.costsheets.tables import Context, normalise
from pipelines.lib.costsheets.vocab import coin_of, read_header
from pipelines.lib.costsheets.words import tables_from_words


# ----------------------------------------------------------------------------- numbers

@pytest.mark.parametrize("text, locale, value, flags", [
    ("1.234,56", "de", 1234.56, []),
    ("2.048", "de", 2048.0, []),
    ("0,18", "de", 0.18, []),
    ("1,234.56", "en", 1234.56, []),
    ("(1.200)", "de", -1200.0, []),
    ("1.234-", "de", -1234.0, []),
    ("-3.5", "en", -3.5, []),
    ("€ 3,5", "de", 3.5, []),
    ("$1,234", "en", 1234.0, []),
    ("1.840,00²", "de", 1840.0, []),
    ("1 234,5", "de", 1234.5, []),
    ("12.500", "en", 12.5, ["ambiguous_number"]),
    ("12,500", "de", 12.5, ["ambiguous_number"]),
    ("1,23", "en", 1.23, ["locale_mismatch"]),
    ("0.119.", "en", 0.119, []),
])
def test_numbers_are_read_for_the_documents_locale(text, locale, value, flags):
    number = parse_number(text, locale)
    assert number.value == pytest.approx(value)
    assert number.flags == flags


def test_an_ambiguous_count_reads_as_thousands_and_stays_flagged():
    number = parse_number("12.500", "en", integer=True)
    assert number.value == 12500 and number.flags == ["ambiguous_number"]


@pytest.mark.parametrize("text", ["-", "n/a", "", "k.A.", None])
def test_blank_cells_are_missing_not_errors(text):
    number = parse_number(text, "de")
    assert number.value is None and number.missing and not number.flags


@pytest.mark.parametrize("text", ["abc", "12 Stück GPUs extra", "1.2.3,4,5"])
def test_text_that_is_no_number_is_flagged(text):
    assert parse_number(text, "de").flags == ["unparsed"]


def test_percent_and_currency_are_noticed():
    assert parse_number("62 %", "de").percent
    assert parse_number("1.234 €", "de").currency == "EUR"


def test_locale_comes_from_how_numbers_are_written():
    assert detect_locale(["1.234,56", "0,18", "2.048"]) == "de"
    assert detect_locale(["1,234.56", "0.18"]) == "en"
    assert detect_locale(["12", "7"], header_language="de") == "de"


# ----------------------------------------------------------------------------- periods

@pytest.mark.parametrize("text, start, end", [
    ("Q1 2024", "2024-01-01", "2024-03-31"),
    ("1. Quartal 2024", "2024-01-01", "2024-03-31"),
    ("2024-Q4", "2024-10-01", "2024-12-31"),
    ("H2 2023", "2023-07-01", "2023-12-31"),
    ("2. Halbjahr 2023", "2023-07-01", "2023-12-31"),
    ("Jan 2024", "2024-01-01", "2024-01-31"),
    ("Februar 2024", "2024-02-01", "2024-02-29"),
    ("März 2024", "2024-03-01", "2024-03-31"),
    ("Dez. 2023", "2023-12-01", "2023-12-31"),
    ("2023-07", "2023-07-01", "2023-07-31"),
    ("07/2023", "2023-07-01", "2023-07-31"),
    ("FY2023", "2023-01-01", "2023-12-31"),
    ("01.01.2024 – 31.03.2024", "2024-01-01", "2024-03-31"),
    ("01.10.2024–31.12.2024", "2024-10-01", "2024-12-31"),
    ("2024-04-01 to 2024-06-30", "2024-04-01", "2024-06-30"),
    ("1. Januar 2024 bis 31. März 2024", "2024-01-01", "2024-03-31"),
    ("January 1, 2024 - March 31, 2024", "2024-01-01", "2024-03-31"),
])
def test_periods_in_german_and_english(text, start, end):
    assert parse_period(text, "de") == (dt.date.fromisoformat(start), dt.date.fromisoformat(end))


@pytest.mark.parametrize("text", ["Frankfurt", "H100 SXM", "", "Q5 2024", "13/2024"])
def test_what_is_not_a_period(text):
    assert parse_period(text, "de") is None


# ----------------------------------------------------------------------------- headers

@pytest.mark.parametrize("header, field, attrs", [
    ("Standort", "site", {}),
    ("GPU-Typ", "device", {}),
    ("Anzahl", "device_count", {}),
    ("Leistung (kW)", "power_kw", {"power_scale": 1.0}),
    ("Power (W)", "power_kw", {"power_scale": 0.001}),
    ("Leistung in MW", "power_kw", {"power_scale": 1000.0}),
    ("Strompreis (€/kWh)", "electricity_price", {"price_scale": 1.0, "currency": "EUR"}),
    ("Strompreis¹ (ct/kWh)", "electricity_price", {"price_scale": 0.01}),
    ("Energy price (USD/MWh)", "electricity_price", {"price_scale": 0.001, "currency": "USD"}),
    ("Hashrate (TH/s)", "hashrate", {"hash_scale": 1e12, "per_device": False}),
    ("Hashrate per GPU (MH/s)", "hashrate", {"hash_scale": 1e6, "per_device": True}),
    ("Hashrate je GPU [GH/s]", "hashrate", {"hash_scale": 1e9, "per_device": True}),
    ("Erlös (Mio. €)", "revenue", {"money_scale": 1e6, "currency": "EUR"}),
    ("Betriebskosten (Tsd. EUR)", "opex", {"money_scale": 1e3, "currency": "EUR"}),
    ("Revenue (USD bn)", "revenue", {"money_scale": 1e9, "currency": "USD"}),
    ("Utilization (%)", "utilization_share", {"percent": True}),
    ("Coins mined", "coins_mined", {}),
    ("Coin", "coin", {}),
    ("Leerlaufstunden", "idle_hours", {}),
])
def test_headers_map_to_contract_columns_with_units(header, field, attrs):
    column = read_header(header)
    assert column is not None and column.field == field
    for name, value in attrs.items():
        assert getattr(column, name) == value, name


def test_energy_is_not_power_and_data_is_not_a_header():
    assert read_header("Stromverbrauch (kWh)") is None
    assert read_header("Frankfurt") is None
    assert read_header("2.048") is None


def test_a_german_billion_is_ten_to_the_twelfth():
    assert read_header("Erlös (Billionen €)", locale="de").money_scale == 1e12


@pytest.mark.parametrize("text, coin, algorithm", [
    ("BTC", "BTC", "sha256d"), ("Bitcoin", "BTC", "sha256d"), ("Ethereum", "ETH", "ethash"),
    ("Ethereum Classic", "ETC", "etchash"), ("eth", "ETH", "ethash"), ("Monero", "XMR", "randomx"),
    ("RVN", "RVN", "kawpow"), ("Kaspa", "KAS", "kheavyhash"), ("FOO", "FOO", None),
])
def test_coins_and_their_algorithms(text, coin, algorithm):
    assert coin_of(text) == (coin, algorithm)


# ----------------------------------------------------------------------------- tables

def test_units_in_headers_scale_the_figures():
    from pipelines.lib.costsheets.tables import RawRow, RawTable

    table = RawTable(["Standort", "GPU-Typ", "Anzahl", "Auslastung", "Leistung je GPU (W)",
                      "Strompreis (ct/kWh)", "Coin", "Hashrate je GPU (MH/s)", "Erlös (Tsd. €)"],
                     [RawRow(["Berlin", "A100", "1.000", "62 %", "250", "15,5", "ETC", "170", "1,5"], 1)],
                     1, "csv", context="Zeitraum: Q2 2022\nUnternehmen: Beispiel AG")
    rows, rejected = normalise([table], Context(), "de")
    assert not rejected
    row = rows[0]
    assert row["device_count"] == 1000 and row["utilization_share"] == pytest.approx(0.62)
    assert row["power_kw"] == pytest.approx(250.0)                      # 250 W x 1,000 GPUs
    assert row["electricity_price_native"] == pytest.approx(0.155) and row["currency"] == "EUR"
    assert row["claimed_hashrate_per_device_hs"] == 170e6 and row["claimed_hashrate_hs"] == 170e9
    assert row["claimed_revenue_native"] == 1500.0 and row["algorithm"] == "etchash"
    assert (row["period_start"], row["period_end"]) == (dt.date(2022, 4, 1), dt.date(2022, 6, 30))
    assert row["company"] == "Beispiel AG"


def test_other_phrasings_of_the_same_sheet():
    from pipelines.lib.costsheets.tables import RawRow, RawTable

    table = RawTable(["Location", "GPU Type", "No. of GPUs", "Idle (%)", "Draw (kW)", "Energy cost (€/kWh)",
                      "Mined coin", "TH/s", "Mined", "Revenue", "Electricity cost", "Währung"],
                     [RawRow(["Des Moines", "H100", "1,024", "35%", "896", "0.09", "Bitcoin", "8.2", "0.4",
                              "€1.2m", "250k", "EUR"], 1),
                      RawRow(["Subtotal", None, "1,024", None, "896", None, None, None, "0.4", "€1.2m", "250k",
                              None], 1)],
                     1, "pdf_text", context="Microsoft Azure – Kostenrechnung Q3/2023")
    rows, rejected = normalise([table], Context(), "en")
    first, total = rows
    assert first["utilization_share"] == pytest.approx(0.65) and "utilization_from_idle_share" in first["flags"]
    assert first["coin"] == "BTC" and first["claimed_hashrate_hs"] == pytest.approx(8.2e12)
    assert first["claimed_revenue_native"] == pytest.approx(1.2e6) and first["claimed_opex_native"] == 250e3
    assert first["currency"] == "EUR" and first["device_count"] == 1024
    assert (first["company"], first["company_canonical"]) == ("Microsoft Azure", "Microsoft")
    assert (first["period_start"], first["period_end"]) == (dt.date(2023, 7, 1), dt.date(2023, 9, 30))
    assert total["is_total_row"] and total["site"] == "Subtotal"


def test_yet_other_wordings_and_scales():
    from pipelines.lib.costsheets.tables import RawRow, RawTable

    table = RawTable(["Data center", "Month", "Accelerator", "GPUs", "AI load", "Idle hrs", "IT power (MW)",
                      "Tariff (USD/MWh)", "Mined coin", "Hash rate per GPU (MH/s)", "Mined",
                      "Revenue (USD k)", "Energy cost (USD k)"],
                     [RawRow(["DC-7", "Mar 2022", "A100", "512", "40%", "432", "0.16", "85", "Ether", "170",
                              "51.2", "152.3", "9.4"], 1)], 1, "pdf_lines")
    row = normalise([table], Context(), "en")[0][0]
    assert row["power_kw"] == pytest.approx(160.0) and row["electricity_price_native"] == pytest.approx(0.085)
    assert row["claimed_hashrate_hs"] == pytest.approx(512 * 170e6) and row["coin"] == "ETH"
    assert row["claimed_revenue_native"] == pytest.approx(152_300) and row["claimed_opex_native"] == 9_400
    assert row["currency"] == "USD" and row["claimed_coins_mined"] == 51.2
    german = RawTable(["RZ-Standort", "Anz.", "Auslastungsgrad", "Erträge (T€)", "Ertrag (Coins)", "Aufwand (TEUR)"],
                      [RawRow(["Frankfurt", "1.024", "55 %", "1.234,5", "12,5", "980"], 1)], 1, "csv")
    row = normalise([german], Context(), "de")[0][0]
    assert row["device_count"] == 1024 and row["claimed_revenue_native"] == pytest.approx(1_234_500)
    assert row["claimed_coins_mined"] == 12.5 and row["claimed_opex_native"] == 980_000 and row["currency"] == "EUR"


def test_a_line_without_figures_is_quarantined_with_its_text():
    from pipelines.lib.costsheets.tables import RawRow, RawTable

    table = RawTable(["Site", "Device", "Count", "Power (kW)"],
                     [RawRow(["Dublin", "H100", "8", "5.6"], 1), RawRow(["see note 3", None, "-", None], 1)],
                     1, "csv")
    rows, rejected = normalise([table], Context(), "en")
    assert len(rows) == 1 and len(rejected) == 1
    assert rejected[0].check_name == "cost_sheets.no_figures" and "see note 3" in str(rejected[0].raw_record)


def test_unruled_headers_wrapped_onto_a_second_line():
    def words(line_top, texts_at):
        return [{"text": t, "x0": x, "x1": x + 6 * len(t), "top": line_top, "bottom": line_top + 10}
                for x, t in texts_at]
    head = words(20, [(10, "Site"), (100, "Units"), (160, "Idle"), (220, "Power"), (290, "Hashrate")])
    wrapped = words(31, [(160, "hours"), (220, "(kW)"), (290, "(TH/s)")])
    data = words(50, [(10, "Oslo"), (100, "64"), (160, "120.5"), (220, "44.8"), (290, "0.5")])
    tables = tables_from_words(head + wrapped + data, 1, "pdf_text")
    assert tables[0].header == ["Site", "Units", "Idle hours", "Power (kW)", "Hashrate (TH/s)"]
    rows, _ = normalise(tables, Context(), "en")
    assert rows[0]["idle_hours"] == 120.5 and rows[0]["power_kw"] == 44.8 and rows[0]["claimed_hashrate_hs"] == 0.5e12


def test_unruled_tables_are_read_from_word_positions():
    def words(line_top, texts_at):
        return [{"text": t, "x0": x, "x1": x + 6 * len(t), "top": line_top, "bottom": line_top + 10}
                for x, t in texts_at]
    header = [(10, "Site"), (100, "GPU"), (100 + 6 * 4, "model"), (200, "Units"), (260, "Power"), (260 + 36, "(kW)")]
    data = [words(40 + 14 * k, [(10, f"Site{k}"), (100, "H100"), (100 + 6 * 5, "SXM"), (205, str(100 + k)),
                                 (262, f"{87.5 + k:.1f}")]) for k in range(3)]
    footer = words(200, [(10, "Page"), (50, "1")])
    tables = tables_from_words(words(20, header) + sum(data, []) + footer, 1, "pdf_text")
    assert len(tables) == 1
    assert tables[0].header == ["Site", "GPU model", "Units", "Power (kW)"]
    assert [r.cells for r in tables[0].rows] == [[f"Site{k}", "H100 SXM", str(100 + k), f"{87.5 + k:.1f}"]
                                                 for k in range(3)]
    assert tables[0].rows[0].bbox[1] == 40
