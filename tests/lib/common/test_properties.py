"""Property-based tests (hypothesis) of every parser of numbers, money, dates and headers.

Two kinds of property for each: it never raises on arbitrary text (a hostile cell is data, not a
crash), and what a printer writes it reads back (babel's German and English number formats,
generated periods, dates and unit headers).
"""
import calendar
import datetime as dt
import math
import re
import tempfile
from decimal import Decimal
from pathlib import Path

import pandas as pd
from babel.dates import get_month_names
from babel.numbers import format_decimal
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from pipelines.lib.capex import amounts as capex_amounts
from pipelines.lib.capex import dates as capex_dates
from pipelines.lib.capex.quarterly import cell_number, fiscal_label
from pipelines.lib.costsheets.numbers import detect_locale, parse_number
from pipelines.lib.costsheets.periods import parse_period
from pipelines.lib.costsheets.vocab import HASH_SCALE, read_header, synonyms
from pipelines.lib.common.csvfile import InputError, detect_timestamp_kind, normalise, read_head
from pipelines.lib.sources.flows import asset_from_name as flows_asset_from_name
from pipelines.lib.sources.hardware import unit_scale
from pipelines.lib.common.names import asset_from_name
from pipelines.lib.sources.network import (
    UNIT_SCALE,
    _plain_hashrate_column,
    hashes_per_difficulty,
    hashrate_scale,
)
from pipelines.lib.sources.network import _layout as network_layout
from pipelines.lib.sources.prices import detect_layout
from pipelines.lib.sources.tabular import parse_dates, parse_numbers, read_frame

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LOCALES = st.sampled_from(["de", "en"])
# Text as hostile cells hold it: any unicode, plus the characters parsers look at.
CELL_ALPHABET = st.characters(codec="utf-8") | st.sampled_from(list("0123456789.,-+()%€$ \u00a0\u2212'eE/:"))
TOKENS = ["1", "234", ",", ".", "-", "(", ")", "e999", "e-999", "inf", "nan", "%", " ", "€", "Mio.", "Q1", "2024", "/"]
CELLS = st.text(CELL_ALPHABET, max_size=40) | st.lists(st.sampled_from(TOKENS), max_size=10).map("".join)
DAYS = st.dates(dt.date(1990, 1, 1), dt.date(2099, 12, 31))
CENTS = st.integers(-10**13, 10**13)    # amounts as whole cents: exact in Decimal and in float


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


# ---------------------------------------------------------------- cost sheets: numbers and money

@SETTINGS
@given(CELLS, LOCALES, st.booleans())
def test_cost_sheet_numbers_never_raise(text, locale, integer):
    number = parse_number(text, locale, integer=integer)
    assert number.value is None or math.isfinite(number.value)


@SETTINGS
@given(CENTS, LOCALES)
@example(1250000, "de")      # '12.500,00'
@example(-123456789, "en")   # '-1,234,567.89'
def test_cost_sheet_numbers_read_back_what_babel_prints(cents, locale):
    value = Decimal(cents) / 100
    printed = format_decimal(value, format="#,##0.00", locale=locale)
    number = parse_number(printed, locale)
    assert number.value is not None and _close(number.value, float(value)), printed
    # accounting style: the amount in parentheses is negative
    if cents > 0:
        assert _close(parse_number(f"({printed})", locale).value, -float(value))


@SETTINGS
@given(st.integers(0, 10**9), LOCALES)
def test_cost_sheet_counts_read_back_whatever_the_grouping(count, locale):
    printed = format_decimal(count, format="#,##0", locale=locale)
    assert parse_number(printed, locale, integer=True).value == count


@SETTINGS
@given(st.integers(1, 10**6), LOCALES, st.sampled_from([("Tsd.", 1e3), ("Mio.", 1e6), ("Mrd.", 1e9), ("k", 1e3),
                                                        ("Millionen", 1e6), ("bn", 1e9)]),
       st.sampled_from([("€", "EUR"), ("EUR", "EUR"), ("$", "USD"), ("USD", "USD"), ("", None)]))
def test_cost_sheet_money_keeps_scale_and_currency(cents, locale, scale, currency):
    value = Decimal(cents) / 100
    printed = f"{format_decimal(value, format='#,##0.00', locale=locale)} {scale[0]} {currency[0]}".strip()
    number = parse_number(printed, locale)
    assert number.value is not None and _close(number.value, float(value) * scale[1]), printed
    assert number.currency == currency[1]


@SETTINGS
@given(CENTS.filter(lambda c: c > 0), LOCALES, st.sampled_from(["kW", "MW", "W", "TH/s", "GPUs", "Stk.", "BTC"]),
       st.booleans())
def test_cost_sheet_units_after_a_figure_and_german_trailing_minus(cents, locale, unit, trailing_minus):
    value = Decimal(cents) / 100
    printed = format_decimal(value, format="#,##0.00", locale=locale)
    printed = f"{printed}-" if trailing_minus and locale == "de" else f"{printed} {unit}"
    expected = -float(value) if printed.endswith("-") else float(value)
    assert _close(parse_number(printed, locale).value, expected), printed


@SETTINGS
@given(st.integers(0, 10000), LOCALES)
def test_cost_sheet_percentages_say_so(tenths, locale):
    printed = format_decimal(Decimal(tenths) / 10, format="0.0", locale=locale) + " %"
    number = parse_number(printed, locale)
    assert number.percent and _close(number.value, tenths / 10)


@SETTINGS
@given(st.lists(st.integers(1000, 10**9), min_size=3, max_size=20), LOCALES)
def test_cost_sheet_locale_is_detected_from_printed_figures(values, locale):
    printed = [format_decimal(Decimal(v) / 100, format="#,##0.00", locale=locale) for v in values]
    assert detect_locale(printed) == locale


@SETTINGS
@given(CENTS, LOCALES, st.sampled_from(["#,##0.00", "#,##0", "0.##", "#,##0.###"]))
def test_cost_sheet_numbers_in_the_other_locale_are_right_or_flagged(cents, printed_in, pattern):
    value = Decimal(cents) / 100 if "." in pattern else Decimal(cents)
    printed = format_decimal(value, format=pattern, locale=printed_in)
    read_in = "en" if printed_in == "de" else "de"
    number = parse_number(printed, read_in)
    assert number.flags or (number.value is not None and _close(number.value, float(value))), printed


# ---------------------------------------------------------------- cost sheets: periods

@SETTINGS
@given(CELLS, LOCALES)
def test_periods_never_raise(text, locale):
    period = parse_period(text, locale)
    assert period is None or period[0] <= period[1]


def _quarter_texts(q: int, y: int) -> list[str]:
    return [f"Q{q} {y}", f"q{q}/{y}", f"{y}-Q{q}", f"{y} Q{q}", f"{q}. Quartal {y}", f"{q}. Qu. {y}",
            f"{q}{['st', 'nd', 'rd', 'th'][q - 1]} quarter {y}", f"Zeitraum: Q{q} {y}"]


@SETTINGS
@given(st.integers(1, 4), st.integers(1990, 2099), LOCALES, st.data())
def test_quarters_read_back(q, year, locale, data):
    text = data.draw(st.sampled_from(_quarter_texts(q, year)))
    last = 3 * q
    expected = (dt.date(year, last - 2, 1), dt.date(year, last, calendar.monthrange(year, last)[1]))
    assert parse_period(text, locale) == expected, text


@SETTINGS
@given(st.integers(1, 12), st.integers(1990, 2099), st.sampled_from(["de", "en"]),
       st.sampled_from(["wide", "abbreviated"]), st.sampled_from(["format", "stand-alone"]))
def test_months_read_back_in_both_languages(month, year, language, width, context):
    name = get_month_names(width, context, locale=language)[month]
    expected = (dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]))
    for text in (f"{name} {year}", f"{year}-{month:02d}", f"{month:02d}/{year}"):
        assert parse_period(text, language) == expected, text


@SETTINGS
@given(DAYS, DAYS, LOCALES, st.data())
def test_date_ranges_read_back(a, b, locale, data):
    start, end = min(a, b), max(a, b)
    de_months = get_month_names("wide", locale="de")
    en_months = get_month_names("wide", locale="en")
    text = data.draw(st.sampled_from([
        f"{start:%d.%m.%Y} – {end:%d.%m.%Y}",
        f"{start.isoformat()} to {end.isoformat()}",
        f"{start.day}. {de_months[start.month]} {start.year} bis {end.day}. {de_months[end.month]} {end.year}",
        f"{en_months[start.month]} {start.day}, {start.year} - {en_months[end.month]} {end.day}, {end.year}",
        f"Period: {start.isoformat()} to {end.isoformat()}",
    ]))
    assert parse_period(text, locale) == (start, end), text


@SETTINGS
@given(st.integers(1990, 2099), st.integers(1, 2))
def test_years_and_halves_read_back(year, half):
    assert parse_period(f"FY{year}") == (dt.date(year, 1, 1), dt.date(year, 12, 31))
    first = 6 * half - 5
    expected = (dt.date(year, first, 1), dt.date(year, first + 5, calendar.monthrange(year, first + 5)[1]))
    assert parse_period(f"H{half} {year}") == expected
    assert parse_period(f"{half}. Halbjahr {year}", "de") == expected


# ---------------------------------------------------------------- cost sheets: headers and units

def _synonyms_of(field: str) -> list[str]:
    """Synonyms that on their own read as `field` (a few carry their own unit or a second meaning)."""
    out = []
    for synonym, f, _ in synonyms():
        col = read_header(synonym)
        if f == field and col is not None and col.field == field and not any(ch.isdigit() for ch in synonym):
            out.append(synonym)
    return sorted(out)


@SETTINGS
@given(st.text(max_size=60), LOCALES)
@example("(((((((((((((((((((((", "de")
@example("Leistung (kW) je GPU in Mio. € / MWh %", "en")
def test_headers_never_raise(text, locale):
    read_header(text, locale)


@SETTINGS
@given(st.data(), st.sampled_from(sorted(HASH_SCALE)), st.sampled_from(["({}H/s)", "[{}H/s]", "in {}H/s", "{}H/s"]))
def test_hashrate_headers_scale_by_their_unit(data, prefix, shape):
    label = data.draw(st.sampled_from(_synonyms_of("hashrate")))
    header = f"{label} {shape.format(prefix.upper())}"
    col = read_header(header)
    assert col is not None and col.field == "hashrate" and col.hash_scale == HASH_SCALE[prefix], header


@SETTINGS
@given(st.data(), st.sampled_from(["je GPU", "per GPU", "pro Gerät", "per device"]))
def test_per_device_headers_say_so(data, marker):
    label = data.draw(st.sampled_from(_synonyms_of("hashrate")))
    header = f"{label} {marker} (MH/s)"
    col = read_header(header)
    assert col is not None and col.per_device and col.hash_scale == 1e6, header


def test_per_device_marker_with_a_spaced_slash():
    assert read_header("hash rate / GPU (MH/s)").per_device and read_header("hash rate /GPU (MH/s)").per_device


@SETTINGS
@given(st.data(), st.sampled_from([("W", 1e-3), ("kW", 1.0), ("MW", 1e3)]))
def test_power_headers_scale_to_kw(data, unit):
    label = data.draw(st.sampled_from(_synonyms_of("power_kw")))
    col = read_header(f"{label} ({unit[0]})")
    assert col is not None and col.field == "power_kw" and col.power_scale == unit[1], f"{label} ({unit[0]})"


@SETTINGS
@given(st.data(), st.sampled_from([("ct/kWh", 0.01, None), ("€/kWh", 1.0, "EUR"), ("$/MWh", 0.001, "USD"),
                                   ("EUR/MWh", 0.001, "EUR"), ("USD/kWh", 1.0, "USD")]))
def test_electricity_price_headers_scale_to_currency_per_kwh(data, unit):
    label = data.draw(st.sampled_from(_synonyms_of("electricity_price")))
    col = read_header(f"{label} ({unit[0]})")
    assert col is not None and col.field == "electricity_price", f"{label} ({unit[0]})"
    assert math.isclose(col.price_scale, unit[1]) and col.currency == unit[2], f"{label} ({unit[0]})"


@SETTINGS
@given(st.data(), st.sampled_from(["revenue", "opex"]),
       st.sampled_from([("Tsd. €", 1e3, "EUR"), ("Mio. EUR", 1e6, "EUR"), ("Mrd. USD", 1e9, "USD"),
                        ("USD", 1.0, "USD"), ("€", 1.0, "EUR")]))
def test_money_headers_keep_scale_and_currency(data, field, unit):
    label = data.draw(st.sampled_from(_synonyms_of(field)))
    header = f"{label} ({unit[0]})"
    col = read_header(header)
    assert col is not None and col.field == field, header
    assert (col.money_scale, col.currency) == (unit[1], unit[2]), header


# ---------------------------------------------------------------- CSV headers and timestamps

@SETTINGS
@given(st.text(max_size=80))
def test_normalised_headers_are_plain_and_stable(text):
    key = normalise(text)
    assert key == normalise(key)
    assert all(c in "abcdefghijklmnopqrstuvwxyz0123456789_" for c in key)
    assert not key.startswith("_") and not key.endswith("_")


TIMESTAMP_FORMATS = {"iso": "%Y-%m-%d", "us_date": "%m/%d/%Y", "de_date": "%d.%m.%Y", "day_mon_year": "%d %b %Y"}


@SETTINGS
@given(st.lists(DAYS, min_size=1, max_size=30), st.sampled_from(sorted(TIMESTAMP_FORMATS) + ["epoch_s", "epoch_ms"]))
def test_timestamp_kind_and_dates_read_back(days, kind):
    if kind.startswith("epoch"):
        seconds = [int(dt.datetime(d.year, d.month, d.day, tzinfo=dt.timezone.utc).timestamp()) for d in days]
        assume(all(s >= 10**8 for s in seconds))        # epoch_s needs 9-10 digits
        texts = [str(s * (1000 if kind == "epoch_ms" else 1)) for s in seconds]
    else:
        texts = [d.strftime(TIMESTAMP_FORMATS[kind]) for d in days]
    assert detect_timestamp_kind(texts) == kind
    parsed = parse_dates(pd.Series(texts))
    assert [t.date() for t in parsed] == days


@SETTINGS
@given(st.lists(st.tuples(DAYS, st.sampled_from(sorted(TIMESTAMP_FORMATS))), min_size=1, max_size=30))
def test_mixed_date_columns_are_read_right_or_not_at_all(cells):
    texts = [day.strftime(TIMESTAMP_FORMATS[kind]) for day, kind in cells]
    parsed = parse_dates(pd.Series(texts))
    for (day, _), text, got in zip(cells, texts, parsed):
        assert pd.isna(got) or got.date() == day, text


@SETTINGS
@given(st.lists(CELLS, max_size=30))
def test_timestamps_and_dates_never_raise(texts):
    detect_timestamp_kind(texts)
    parsed = parse_dates(pd.Series(texts, dtype=object))
    assert len(parsed) == len(texts)


# ---------------------------------------------------------------- tabular numbers (network, fx, flows, hardware)

@SETTINGS
@given(st.lists(CELLS, max_size=30))
def test_tabular_numbers_never_raise(texts):
    parsed = parse_numbers(pd.Series(texts, dtype=object))
    assert len(parsed) == len(texts)
    assert all(math.isnan(v) or math.isfinite(v) for v in parsed)


@SETTINGS
@given(CENTS, st.sampled_from(["{:,.2f}", "{:.2f}", "{:,.0f}", "{:.6e}"]), st.booleans())
@example(-123450, "{:,.2f}", True)   # Farside outflow '(1,234.50)'
def test_tabular_numbers_read_back_english_printing(cents, form, parentheses):
    value = cents / 100 if form != "{:,.0f}" else float(cents)
    text = form.format(abs(value) if parentheses else value)
    if parentheses:
        text = f"({text})"
        value = -abs(value)
    parsed = parse_numbers(pd.Series([text]))[0]
    assert math.isclose(parsed, value, rel_tol=1e-6, abs_tol=1e-9), text


@SETTINGS
@given(st.integers(0, 999), st.integers(0, 99).map(lambda n: f"{n:02d}"[: 1 + n % 2]))
def test_tabular_numbers_refuse_a_decimal_comma(whole, decimals):
    # '1,08' (German) is not 108: anything but groups of three after a comma is not a number
    assert math.isnan(parse_numbers(pd.Series([f"{whole},{decimals}"]))[0])


# ---------------------------------------------------------------- hashrate units and file names

@SETTINGS
@given(st.sampled_from(["", "k", "M", "G", "T", "P", "E"]), st.sampled_from(["{}H/s", "{}h/s", "{}Hps", "{}H", "{}hs",
                                                                           " {}H/s "]))
def test_hashrate_units_scale(prefix, spelling):
    assert unit_scale(spelling.format(prefix)) == UNIT_SCALE[(prefix.lower() + "hs")]


@SETTINGS
@given(st.text(max_size=30))
def test_units_and_file_names_never_raise(text):
    assert unit_scale(text) in {None, *UNIT_SCALE.values()}
    asset, quote = asset_from_name(text + ".csv")
    assert asset is None or re.fullmatch(r"[A-Z0-9]+", asset)
    flows_asset_from_name(text)


# ---------------------------------------------------------------- capex numbers, money and dates

@SETTINGS
@given(CELLS, LOCALES)
def test_capex_numbers_never_raise(text, lang):
    value = capex_amounts.parse_number(text, lang)
    assert value is None or isinstance(value, float)


@SETTINGS
@given(CELLS, LOCALES)
@example("INF", "de")
def test_capex_numbers_are_finite(text, lang):
    value = capex_amounts.parse_number(text, lang)
    assert value is None or math.isfinite(value)


@SETTINGS
@given(CENTS.filter(lambda c: c >= 0), LOCALES)
def test_capex_numbers_read_back_what_babel_prints(cents, lang):
    value = Decimal(cents) / 100
    printed = format_decimal(value, format="#,##0.00", locale=lang)
    parsed = capex_amounts.parse_number(printed, lang)
    assert parsed is not None and _close(parsed, float(value)), printed


@SETTINGS
@given(st.integers(1, 99_999), st.sampled_from([("en", "${} billion", 1e9, "USD"), ("en", "US$ {}bn", 1e9, "USD"),
                                                 ("en", "€{} million", 1e6, "EUR"), ("de", "{} Mrd. Euro", 1e9, "EUR"),
                                                 ("de", "{} Millionen US-Dollar", 1e6, "USD"),
                                                 ("en", "£{}m", 1e6, "GBP")]))
def test_capex_amounts_read_back(tenths, form):
    lang, shape, scale, currency = form
    figure = format_decimal(Decimal(tenths) / 10, format="#,##0.#", locale=lang)
    text = "The company plans to invest " + shape.format(figure) + " in data centers."
    amounts = capex_amounts.find_amounts(text, lang)
    assert len(amounts) == 1, text
    assert _close(amounts[0].value, tenths / 10 * scale) and amounts[0].currency == currency, text


@SETTINGS
@given(st.integers(1, 999), st.integers(1, 999),
       st.sampled_from([("en", "${}-{} billion"), ("en", "between ${} and ${} billion"), ("en", "${} to ${} billion"),
                        ("de", "{} bis {} Milliarden Euro")]))
def test_capex_ranges_read_back(a, b, form):
    low, high = sorted((a, b))
    assume(low < high and high / low <= 20)    # a wider 'range' is read as two amounts, on purpose
    lang, shape = form
    text = "Meta expects capital expenditures of " + shape.format(low, high) + " this year."
    first = capex_amounts.find_amounts(text, lang)[0]
    assert (first.low, first.high, first.qualifier) == (low * 1e9, high * 1e9, "range"), text


def test_capex_wide_range_is_not_a_one_dollar_amount():
    """A low end printed without its own scale shares the high end's, however wide the range."""
    amounts = capex_amounts.find_amounts("Meta expects capital expenditures of $1-21 billion this year.", "en")
    assert [(a.low, a.high, a.qualifier) for a in amounts] == [(1e9, 21e9, "range")]
    amounts = capex_amounts.find_amounts("Investitionen von 2 bis 60 Mrd. Euro", "de")
    assert [(a.low, a.high, a.currency) for a in amounts] == [(2e9, 60e9, "EUR")]


@SETTINGS
@given(st.text(max_size=120), LOCALES)
def test_capex_amounts_and_dates_never_raise(text, lang):
    capex_amounts.find_amounts(text, lang)
    capex_dates.find_dates(text, lang, reference=dt.date(2024, 6, 1))


@settings(max_examples=100, deadline=None)   # dateparser is a few ms a call
@given(st.dates(dt.date(1901, 1, 1), dt.date(2199, 12, 31)), st.data())
def test_capex_dates_read_back(day, data):
    de = get_month_names("wide", locale="de")[day.month]
    en = get_month_names("wide", locale="en")[day.month]
    lang, text = data.draw(st.sampled_from([
        ("en", day.isoformat()), ("de", f"{day.day}. {de} {day.year}"), ("en", f"{en} {day.day}, {day.year}"),
        ("de", f"{day:%d.%m.%Y}"), ("en", f"{day.day} {en} {day.year}"), ("en", f"{day.month}/{day.day}/{day.year}"),
    ]))
    assert capex_dates.parse_date(text, lang) == day, text


@SETTINGS
@given(st.integers(2000, 2099), st.integers(1, 4), st.integers(1, 12))
def test_fiscal_labels_name_a_quarter_of_the_right_year(year, quarter, fiscal_year_end_month):
    month = 3 * quarter
    label = fiscal_label(dt.date(year, month, calendar.monthrange(year, month)[1]), fiscal_year_end_month)
    fy, q = label.removeprefix("FY").split(" Q")
    assert int(q) in (1, 2, 3, 4) and int(fy) in (year, year + 1)
    if fiscal_year_end_month == 12:
        assert label == f"FY{year} Q{quarter}"


@SETTINGS
@given(CENTS, LOCALES, st.sampled_from(["{}", "({})", "$ {}", "{} €"]))
def test_capex_table_cells_read_back(cents, lang, shape):
    value = Decimal(abs(cents)) / 100
    printed = shape.format(format_decimal(value, format="#,##0.00", locale=lang))
    expected = -float(value) if shape == "({})" else float(value)
    parsed = cell_number(printed, lang)
    assert parsed is not None and _close(parsed, expected), printed


@SETTINGS
@given(CELLS, LOCALES)
def test_capex_table_cells_never_raise(text, lang):
    parsed = cell_number(text, lang)
    assert parsed is None or (isinstance(parsed, float) and math.isfinite(parsed))


# ---------------------------------------------------------------- CSV files: sniffing, headers and layouts

CSV_BYTES = st.one_of(
    st.binary(max_size=400),
    st.lists(st.lists(CELLS, min_size=1, max_size=6), min_size=1, max_size=8).map(
        lambda rows: "\n".join(",".join(r) for r in rows).encode("utf-8")),
    st.tuples(st.sampled_from([b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b""]), st.binary(max_size=200)).map(
        lambda t: t[0] + t[1]),
)


@SETTINGS
@given(CSV_BYTES)
def test_any_bytes_are_a_csv_head_or_a_reason(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.csv"
        path.write_bytes(data)
        try:
            head = read_head(path)
        except InputError as exc:
            assert str(exc)
            return
        try:
            frame = read_frame(path, head)
        except InputError as exc:
            assert str(exc)
            return
        assert list(frame.columns[-2:]) == ["_line", "_malformed"]
        assert frame["_line"].is_monotonic_increasing


YAHOO_NAMES = ["Date", "Open", "High", "Low", "Close", "Volume"]


@SETTINGS
@given(st.permutations(YAHOO_NAMES), st.sampled_from([str.lower, str.upper, str.title, lambda s: f" {s} "]),
       st.lists(st.text(st.characters(min_codepoint=97, max_codepoint=122), min_size=3, max_size=8), max_size=5))
def test_price_layouts_come_from_headers_in_any_order_and_case(names, case, extra):
    assume(not set(extra) & {"open", "high", "low", "close", "volume", "date", "time", "datetime", "timestamp",
                             "symbol", "asset", "ticker", "coin", "source", "note", "notes", "price", "priceusd"})
    header = [case(n) for n in names] + extra
    layout = detect_layout(header, len(header))
    assert layout.shape == "yahoo"
    assert normalise(layout.close) == "close" and normalise(layout.ts) == "date"


@SETTINGS
@given(st.lists(st.text(max_size=20), max_size=12), st.integers(0, 20))
def test_price_and_network_headers_are_a_layout_or_a_reason(header, n_columns):
    for attempt in (lambda: detect_layout(header or None, n_columns),
                    lambda: network_layout([normalise(h) for h in header])):
        try:
            attempt()
        except InputError as exc:
            assert "expected" in str(exc) or "column" in str(exc)


@SETTINGS
@given(st.sampled_from(sorted(UNIT_SCALE)), st.integers(1, 10**6), st.sampled_from(["BTC", "ETC", "XMR", "LTC"]))
def test_coin_metrics_hashrate_unit_is_recovered_from_difficulty(unit, base, coin):
    """Whatever unit a file reports its hashrate in, difficulty x blocks recovers it."""
    true_hs = pd.Series([base * 1e9 * (1 + i / 10) for i in range(5)])
    blocks = pd.Series([144.0] * 5)
    difficulty = true_hs * 86400.0 / blocks / hashes_per_difficulty(coin)
    reported = true_hs / UNIT_SCALE[unit]
    assume(UNIT_SCALE[unit] <= 1000.0 ** 7)
    assert hashrate_scale(coin, reported, difficulty, blocks) == UNIT_SCALE[unit]


@SETTINGS
@given(st.sampled_from(sorted(UNIT_SCALE)))
def test_plain_network_hashrate_headers_carry_their_unit(unit):
    column = "hashrate" if unit == "hs" else f"hashrate_{unit}"
    assert _plain_hashrate_column(["date", column, "difficulty"]) == (column, UNIT_SCALE[unit])


@SETTINGS
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r\n,\""),
                        max_size=20), min_size=1, max_size=12),
       st.lists(st.text(alphabet="0123456789.-/", max_size=12), min_size=1, max_size=12))
def test_ingest_decides_a_csv_folder_or_refuses_with_a_reason(header, row):
    """`leakpipe ingest` on any CSV header: a raw subfolder it names, or IntakeError; nothing else."""
    from pipelines.lib.intake import ingest as intake

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upload.csv"
        path.write_text(",".join(header) + "\n" + ",".join(row) + "\n", encoding="utf-8")
        try:
            folder, why = intake.guess_folder(path)
        except intake.IntakeError as exc:
            assert "upload.csv" in str(exc)
        else:
            assert folder in intake.FOLDERS and why
