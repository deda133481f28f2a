"""Columns whose header word the synonym table does not know, identified by what their cells hold.

A column of '850 MH/s', '1.2 kW', '0.071 €/kWh' or '62 %' cells is a hashrate, a power draw, an
electricity price or a utilisation share whatever its header says ('Leistungswert', 'Messwert',
an empty cell). Such a column is marked `inferred='values'` and every figure read from it carries
the flag 'inferred_from_values:<field>'. A column of bare money amounts stays unread: a currency
alone cannot tell revenue from cost.
"""
from __future__ import annotations

import re

from pipelines.lib.costsheets.vocab import Column, cell_unit

_PERCENT_CELL = re.compile(r"\s*-?\d+(?:[.,]\d+)?\s*%\s*")
MIN_CELLS = 2


def _kind(cell) -> str | None:
    if not isinstance(cell, str) or not re.search(r"\d", cell):
        return None
    if _PERCENT_CELL.fullmatch(cell):
        return "utilization_share"
    for field in ("electricity_price", "hashrate", "power_kw"):
        if cell_unit(cell, field):
            return field
    return None


def infer_columns(header: list, rows: list[list], columns: list[Column | None]) -> list[Column | None]:
    """`columns` with every unread column whose filled cells (at least two) all carry the same unit
    given the field that unit implies, unless another column already has that field."""
    taken = {c.field for c in columns if c}
    if "idle_share" in taken:
        taken.add("utilization_share")
    out = list(columns)
    for k, col in enumerate(columns):
        if col is not None:
            continue
        cells = [r[k] for r in rows if k < len(r) and r[k] is not None and str(r[k]).strip()]
        kinds = {_kind(c) for c in cells}
        if len(cells) < MIN_CELLS or len(kinds) != 1 or None in kinds:
            continue
        field = kinds.pop()
        if field in taken:
            continue
        taken.add(field)
        label = header[k] if k < len(header) and header[k] is not None else ""
        out[k] = Column(field=field, header=str(label), language="", inferred="values",
                        percent=field == "utilization_share")
    return out
