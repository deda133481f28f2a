"""From a table of printed cells to contract rows of core.cost_sheet_lines.

Every reader (PDF ruled, PDF by word positions, OCR, XLSX, CSV) produces RawTables; this module
alone decides what the cells mean, so every format follows the same rules.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from pipelines.lib.costsheets.inference import infer_columns
from pipelines.lib.costsheets.numbers import Number, detect_locale, parse_number
from pipelines.lib.costsheets.context import Context  # noqa: F401  (re-exported: tests and readers use tables.Context)
from pipelines.lib.costsheets.periods import parse_period
from pipelines.lib.costsheets.vocab import (
    Column,
    cell_unit,
    clean_label,
    coin_of,
    company_in,
    currency_in,
    header_language,
    header_score,
    is_total_label,
    is_units_row,
    map_header,
    read_header,
)
from pipelines.lib.common.parsed import Rejected

NUMERIC_FIELDS = {"device_count", "utilization_share", "idle_share", "idle_hours", "power_kw", "pue", "electricity_price",
                  "hashrate", "coins_mined", "revenue", "opex"}
FIGURES = NUMERIC_FIELDS - {"device_count"}
CONTRACT_COLUMNS = [
    "page", "table_index", "row_index", "bbox", "company", "company_canonical", "site", "period_start", "period_end", "device",
    "device_count", "utilization_share", "idle_hours", "power_kw", "pue", "electricity_price_native",
    "currency", "coin", "algorithm", "claimed_hashrate_hs", "claimed_hashrate_per_device_hs",
    "claimed_coins_mined", "claimed_revenue_native", "claimed_opex_native", "is_total_row", "source_text",
    "locale", "flags", "extraction_method", "company_how",
]
@dataclass
class RawRow:
    cells: list            # printed text per column (None for an empty cell); XLSX: typed values
    page: int
    bbox: tuple | None = None
    hidden: bool = False   # a hidden spreadsheet row: kept apart, never a line of the document


@dataclass
class RawTable:
    header: list           # header cells as printed
    rows: list[RawRow]
    page: int
    method: str            # pdf_lines | pdf_text | ocr | xlsx | csv
    context: str = ""      # text printed near the table (title, captions, 'Company: ...' lines)
    bbox: tuple | None = None
    columns: list = field(default_factory=list)   # set by normalise
    header_x: list = field(default_factory=list)  # (x0, x1) per header cell, for tables from word positions
    transposed: bool = False  # its rows are the printed columns (see `transposed`); lines flagged 'transposed'
    hidden: str | None = None  # 'sheet': on a hidden sheet (a stale draft?): its rows are never the document's lines
    notes: list = field(default_factory=list)      # note rows and what was not read (hidden columns)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return re.sub(r"\s+", " ", str(value)).strip()


def source_text(cells) -> str:
    return " | ".join(_text(c) for c in cells if _text(c))


def filled_width(row) -> int:
    """The row's width up to its last filled cell."""
    return max((k + 1 for k, c in enumerate(row) if _text(c)), default=0)


# the header given to a transposed table's column labels ('Frankfurt', 'Berlin' over the figures)
_LABELS_HEADER = {"site": {"de": "Standort", "en": "Site"}, "device": {"de": "Gerät", "en": "Device"}}


def transposed(grid: list[list]) -> list[list] | None:
    """`grid` turned so that each printed column is a row, when its first column names at least three
    contract columns and its first row names fewer: a sheet with one column per site (or device) and one
    row per measure ('Kennzahl;Frankfurt;Berlin' over 'Anzahl;1.024;512', ...). Else None.

    The turned grid's first row is the printed first column (the measures, read as a header row); then
    one row per printed column after it, left to right, its cells top to bottom. A first printed row
    whose first cell names no contract column ('Kennzahl', 'Metric', 'Measure', or empty) labels the
    columns: that corner cell gives way to a header for the labels (the site, or the device when a
    measure names the site), so the corner never becomes a line. Lines read from the turned grid keep
    their provenance: row_index counts the printed columns after the first (0 = the second column) and
    source_text is the column's cells, label first, joined top to bottom."""
    width = max(map(filled_width, grid), default=0)
    rows = [(list(r) + [None] * width)[:width] for r in grid]
    labels = [r[0] if isinstance(r[0], str) else None for r in rows]
    if width < 2 or header_score([c if isinstance(c, str) else None for c in rows[0]]) >= 3 \
            or header_score(labels) < 3:
        return None
    header = [(c or "").strip() or None for c in labels]   # line breaks stay, as in a printed header row
    if read_header(header[0]) is None:
        named = {c.field for c in map_header(labels) if c}
        field_name = next((f for f in ("site", "device") if f not in named), None)
        if field_name:
            header[0] = _LABELS_HEADER[field_name][header_language(labels) or "en"]
    return [header, *([r[k] for r in rows] for k in range(1, width))]


def table_locale(tables: list[RawTable]) -> str:
    texts = [c for t in tables for r in t.rows for c in r.cells if isinstance(c, str)]
    language = header_language([h for t in tables for h in t.header])
    return detect_locale(texts, language)


def _number(cell, col: Column, locale: str) -> Number:
    return parse_number(cell, locale, integer=col.field == "device_count")


def normalise(tables: list[RawTable], doc: Context, locale: str, *, first_table_index: int = 0
              ) -> tuple[list[dict], list[Rejected]]:
    """Contract rows for every line of `tables` (a stitched table is one RawTable)."""
    rows, rejected = [], []
    for offset, table in enumerate(tables):
        table_index = first_table_index + offset
        if table.rows and table.header and is_units_row(table.rows[0].cells):
            # the units in a row of their own under the header: 'Leistung' over 'MW'
            units = list(table.rows.pop(0).cells) + [None] * len(table.header)
            table.header = [f"{h or ''} ({u.strip().strip('()[]')})".strip() if h and u and str(u).strip() else h
                            for h, u in zip(table.header, units)]
        columns = infer_columns(table.header, [r.cells for r in table.rows], map_header(table.header, locale))
        table.columns = columns
        context = Context.from_text(table.context, locale, doc)
        doc_currency = context.currency or next(
            (c.currency for c in columns if c and c.currency), None)
        fill_down = [f for f in ("site", "company") if any(c and c.field == f for c in columns)]
        above: dict = {}
        for row_index, raw in enumerate(table.rows):
            if table.hidden or raw.hidden:
                rejected.append(_hidden(raw, table, table_index, row_index))
                continue
            line, flags = _line(raw, columns, context, locale, doc_currency)
            # a label printed once for a block of lines (a merged cell, or left blank below itself)
            for name in fill_down:
                if line["is_total_row"]:
                    above.pop(name, None)
                elif _text(_cell_of(raw, columns, name)):
                    above[name] = line[name]
                elif above.get(name):
                    line[name] = above[name]
                    flags.append(f"{name}_from_line_above")
            if "company" in fill_down and "company_from_line_above" in flags:
                named = company_in(line["company"])
                line["company_canonical"] = named[1] if named else None
                line["company_how"] = "named"
            line.update(page=raw.page, table_index=table_index, row_index=row_index,
                        bbox=list(raw.bbox) if raw.bbox else None, source_text=source_text(raw.cells),
                        locale=locale, extraction_method=table.method,
                        flags=sorted(set(flags) | ({"transposed"} if table.transposed else set())))
            has_figure = any(line.get(k) is not None for k in (
                "utilization_share", "idle_hours", "power_kw", "pue", "electricity_price_native",
                "claimed_hashrate_hs", "claimed_coins_mined", "claimed_revenue_native", "claimed_opex_native",
                "device_count"))
            if not has_figure:
                rejected.append(Rejected(
                    f"page {raw.page} table {table_index} row {row_index}",
                    {"source_text": line["source_text"], "header": [_text(h) for h in table.header]},
                    "the line has no readable figure (no count, power, price, hashrate, coins or money)",
                    "cost_sheets.no_figures"))
                continue
            rows.append(line)
        _totals_span_lines([r for r in rows if r["table_index"] == table_index])
    return rows, rejected


def _hidden(raw: RawRow, table: RawTable, table_index: int, row_index: int) -> Rejected:
    """A row a spreadsheet hides (on a hidden sheet, or a hidden row): kept apart with its cells, not a line."""
    where = "sheet" if table.hidden else "row"
    return Rejected(f"page {raw.page} table {table_index} row {row_index}",
                    {"source_text": source_text(raw.cells), "header": [_text(h) for h in table.header]},
                    f"the {'sheet' if table.hidden else 'row'} is hidden in the workbook: a hidden {where} (a stale "
                    "draft, a working copy) is not the document's figures, so it is kept apart and not loaded",
                    f"cost_sheets.hidden_{where}")


def _cell_of(raw: RawRow, columns: list, name: str):
    k = next(i for i, c in enumerate(columns) if c and c.field == name)
    return raw.cells[k] if k < len(raw.cells) else None


def _totals_span_lines(rows: list[dict]) -> None:
    """A totals row printed without a period covers the lines above it: first start to last end."""
    starts = [r["period_start"] for r in rows if not r["is_total_row"] and r["period_start"]]
    ends = [r["period_end"] for r in rows if not r["is_total_row"] and r["period_end"]]
    for r in rows:
        if r["is_total_row"] and r["period_start"] is None and starts and ends:
            r["period_start"], r["period_end"] = min(starts), max(ends)
            r["flags"] = sorted(set(r["flags"]) | {"period_from_lines"})


def _line(raw: RawRow, columns: list[Column | None], context: Context, locale: str,
          doc_currency: str | None) -> tuple[dict, list[str]]:
    flags: list[str] = []
    values: dict = {}
    cells = list(raw.cells) + [None] * max(0, len(columns) - len(raw.cells))
    label_cells = [c for c in cells[:3] if isinstance(c, str) and c.strip()]
    is_total = any(is_total_label(c) for c in label_cells)
    money_currency = set()
    for col, cell in zip(columns, cells):
        if col is None:
            continue
        if col.field not in NUMERIC_FIELDS:
            text = _text(cell)
            values[col.field] = text or None
            if col.field == "period":
                values["period_header"] = col.header
            continue
        number = _number(cell, col, locale)
        if number.value is None:
            if not number.missing:
                flags.append(f"unparsed:{col.field}")
            continue
        flags += [f"{f}:{col.field}" for f in number.flags]
        if (col.field == "power_kw" and col.power_scale is None or col.field == "hashrate" and col.hash_scale is None
                or col.field == "electricity_price" and col.price_scale is None):
            unit = cell_unit(cell, col.field)       # the unit in the cell: '1.2 MW', '0.071 $/kWh'
            if not unit:                            # or in a column of its own ('Hashrate' | 'Unit': 'TH/s')
                found = [u for u in (cell_unit(c, col.field) for k, c in enumerate(cells) if k < len(columns)
                                     and columns[k] is None and isinstance(c, str) and not re.search(r"\d", c)
                                     and len(c.strip()) <= 12) if u]
                unit = found[0] if len(found) == 1 else {}
            if unit:
                col = replace(col, **{k: v for k, v in unit.items() if v is not None})
        values[col.field] = (number, col)
        if col.inferred:
            flags.append(f"inferred_from_{col.inferred}:{col.field}")
        if col.field in {"revenue", "opex", "electricity_price"}:
            currency = col.currency or number.currency
            if currency:
                money_currency.add(currency)
    out = {k: None for k in CONTRACT_COLUMNS}
    out["is_total_row"] = is_total
    out["company"] = values.get("company") or context.company
    out["company_how"] = "named" if values.get("company") else (context.company_how if out["company"] else None)
    named = company_in(out["company"]) if out["company"] else None
    out["company_canonical"] = named[1] if named else None
    out["site"] = values.get("site")
    if is_total and not out["site"]:
        out["site"] = label_cells[0] if label_cells else None
    out["device"] = values.get("device")
    coin_text = values.get("coin")
    out["coin"], algorithm = coin_of(coin_text)
    out["algorithm"] = clean_label(values["algorithm"]) if values.get("algorithm") else algorithm
    period = _period(values, locale, flags) or context.period
    if period:
        period = one_day_period(period, values.get("period_header"), context.period, flags)
        out["period_start"], out["period_end"] = period
    count = values.get("device_count")
    count_value = count[0].value if count else None
    out["device_count"] = count_value
    if values.get("utilization_share"):
        out["utilization_share"], assumed = _share(*values["utilization_share"])
        if assumed:
            flags.append("percent_assumed:utilization_share")
    if values.get("idle_share") and out["utilization_share"] is None:
        out["utilization_share"] = 1.0 - _share(*values["idle_share"])[0]
        flags.append("utilization_from_idle_share")
    if values.get("idle_hours"):
        out["idle_hours"] = values["idle_hours"][0].value
    if values.get("pue"):
        out["pue"] = values["pue"][0].value
    power = values.get("power_kw")
    if power:
        number, col = power
        if col.power_scale is None:
            flags.append("unit_assumed_kw:power_kw")
        kw = number.value * (col.power_scale or 1.0)
        if col.per_device:
            kw = kw * count_value if count_value is not None else None
        out["power_kw"] = kw
    price = values.get("electricity_price")
    if price:
        number, col = price
        if col.price_scale is None:
            flags.append("unit_missing:electricity_price")
        else:
            out["electricity_price_native"] = number.value * col.price_scale
    rate = values.get("hashrate")
    if rate:
        number, col = rate
        if col.hash_scale is None:
            flags.append("unit_missing:hashrate")
        else:
            hs = number.value * col.hash_scale
            if col.per_device:
                out["claimed_hashrate_per_device_hs"] = hs
                out["claimed_hashrate_hs"] = hs * count_value if count_value is not None else None
            else:
                out["claimed_hashrate_hs"] = hs
                out["claimed_hashrate_per_device_hs"] = hs / count_value if count_value else None
    for field_name, target in (("coins_mined", "claimed_coins_mined"), ("revenue", "claimed_revenue_native"),
                               ("opex", "claimed_opex_native")):
        if values.get(field_name):
            number, col = values[field_name]
            amount = number.value * (col.money_scale if field_name != "coins_mined" else 1.0)
            if col.per_device:          # 'Kosten pro Karte': the line's amount is per card times cards
                amount = amount * count_value if count_value is not None else None
                flags.append(f"per_device:{field_name}" if count_value is not None
                             else f"per_device_without_count:{field_name}")
            out[target] = amount
    if len(money_currency) > 1:
        flags.append("mixed_currencies")
    row_currency = values.get("currency")
    if row_currency:
        code = currency_in(row_currency) or (row_currency.upper() if re.fullmatch(r"[A-Za-z]{3}", row_currency)
                                             else None)
        if code:
            money_currency = {c for c in money_currency if c == code} | {code}
    out["currency"] = (sorted(money_currency)[0] if money_currency else doc_currency)
    if out["currency"] is None and any(out[k] is not None for k in (
            "electricity_price_native", "claimed_revenue_native", "claimed_opex_native")):
        flags.append("currency_unknown")
    return out, flags


def _share(number: Number, col: Column) -> tuple[float, bool]:
    """(share 0..1, whether percent was assumed): '62 %', a '(%)' header (unless a spreadsheet
    already holds 0.62), or a bare value above 1 (assumed percent)."""
    if number.percent or col.percent and not (number.typed and number.value <= 1.0):
        return number.value / 100.0, False
    if number.value > 1.0:
        return number.value / 100.0, True
    return number.value, False


_SPAN_WORDS = [(re.compile(r"monat|month", re.I), 1), (re.compile(r"quartal|quarter", re.I), 3),
               (re.compile(r"halbjahr|half", re.I), 6), (re.compile(r"(?<![a-z])(?:jahr|year|fy|gj)(?![a-z])", re.I), 12)]


def one_day_period(period: tuple, header: str | None, title: tuple | None, flags: list[str]) -> tuple:
    """A period that came out as one day: under a 'Monat'/'Quartal'/'Year' header (a spreadsheet
    writes the month as its first day) it becomes that month, quarter or year (flag
    'period_from_header'); else it stays and is flagged 'one_day_period', and
    'period_conflicts_title' when the document's title gives a longer period."""
    import calendar
    import datetime as dt

    start, end = period
    if start != end:
        return period
    for pattern, months in _SPAN_WORDS:
        if header and pattern.search(header):
            first = ((start.month - 1) // months) * months + 1
            last = first + months - 1
            flags.append("period_from_header")
            return dt.date(start.year, first, 1), dt.date(start.year, last, calendar.monthrange(start.year, last)[1])
    flags.append("one_day_period")
    if title and title[0] != title[1]:
        flags.append("period_conflicts_title")
    return period


def _period(values: dict, locale: str, flags: list[str]):
    if values.get("period"):
        found = parse_period(values["period"], locale)
        if found is None:
            flags.append("unparsed:period")
        return found
    start = parse_period(values.get("period_start"), locale) if values.get("period_start") else None
    end = parse_period(values.get("period_end"), locale) if values.get("period_end") else None
    if start and end:
        return start[0], end[1]
    return start or end
