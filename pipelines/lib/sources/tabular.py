"""Small CSV files (network, FX, flows, hardware, events) read as text, row by row checked.

Every value is read as text first, so that a bad cell rejects its row (with its line number)
instead of turning the whole column into NaN or failing the file.
"""
from __future__ import annotations

import csv
import datetime as dt
import itertools
import re

import numpy as np
import pandas as pd

from pipelines.lib.common.csvfile import CsvHead, InputError, detect_timestamp_kind, normalise
from pipelines.lib.common.parsed import Rejected

_PANDAS_FORMATS = {"us_date": "%m/%d/%Y", "de_date": "%d.%m.%Y", "day_mon_year": "%d %b %Y"}
_EPOCH_UNITS = {"epoch_s": "s", "epoch_ms": "ms", "epoch_us": "us"}


def read_frame(path, head: CsvHead) -> pd.DataFrame:
    """All cells as text, normalised column names, a `_line` column (the file line the row starts
    on) and `_malformed` (why the row's shape is wrong; '' when it is fine).

    A row with more cells than the header (an unquoted delimiter inside a value) is kept, cut to the
    header, so that RowChecks rejects it with its line number instead of it vanishing; missing
    trailing cells are blank."""
    if head.header is None:
        raise InputError("the file has no header row")
    encoding = "utf-8-sig" if head.encoding == "utf-8" else head.encoding
    rows, lines, malformed = [], [], []
    with open(path, encoding=encoding, errors="replace", newline="") as fh:
        reader = csv.reader(fh, delimiter=head.delimiter)
        try:
            header = next((r for r in reader if any(c.strip() for c in r)), [])
            width, line = len(header), reader.line_num
            for cells in reader:
                first, line = line + 1, reader.line_num
                if not any(c.strip() for c in cells):
                    continue
                extra = cells[width:]
                rows.append(cells[:width] + [""] * (width - len(cells)))
                lines.append(first)
                malformed.append(f"the row has {len(cells)} cells but the header {width} (a '{head.delimiter}' "
                                 "inside a value that is not quoted?)" if any(c.strip() for c in extra) else "")
        except csv.Error as exc:
            raise InputError(f"cannot read the file as CSV (line {reader.line_num + 1}): {exc}") from None
    if lines and lines[-1] < line and _quote_left_open(path, encoding, head.delimiter, lines[-1]):
        malformed[-1] = (f"a quote opened in the row on line {lines[-1]} is never closed, so lines {lines[-1]}-"
                         f"{line} (the rest of the file) read as one row")
    frame = pd.DataFrame(rows, columns=range(width), dtype=object) if rows else \
        pd.DataFrame({i: pd.Series(dtype=object) for i in range(width)})
    frame.columns = [normalise(c) or f"column_{i}" for i, c in enumerate(header)]
    frame = frame.loc[:, ~frame.columns.duplicated()]
    frame["_line"] = np.array(lines, dtype=np.int64)
    frame["_malformed"] = pd.Series(malformed, dtype=object)
    return frame


def _quote_left_open(path, encoding: str, delimiter: str, first_line: int) -> bool:
    """Whether the record starting on `first_line` (the last one) ends inside quotes: a lenient
    reader then puts every later line into that one cell, and those rows would vanish."""
    with open(path, encoding=encoding, errors="replace", newline="") as fh:
        try:
            for _ in csv.reader(itertools.islice(fh, first_line - 1, None), delimiter=delimiter, strict=True):
                pass
        except csv.Error:
            return True
    return False


def parse_dates(values: pd.Series) -> pd.Series:
    """Dates (datetime64, UTC day) from text in whichever single format the column uses; NaT where unreadable."""
    kind = detect_timestamp_kind(values.head(500).tolist())
    text = values.str.strip().str.strip('"')
    if kind in _EPOCH_UNITS:
        parsed = pd.to_datetime(pd.to_numeric(text, errors="coerce"), unit=_EPOCH_UNITS[kind], utc=True)
    elif kind in _PANDAS_FORMATS:
        parsed = pd.to_datetime(text, format=_PANDAS_FORMATS[kind], errors="coerce", utc=True)
    else:
        parsed = pd.to_datetime(text.str.replace(r"\s*UTC$", "", regex=True), format="ISO8601",
                                errors="coerce", utc=True)
    return parsed.dt.tz_convert("UTC").dt.normalize().dt.tz_localize(None)


# Commas only as thousands separators ('1,045.0'), never as a decimal comma ('1,08' is not 108);
# parentheses only as a pair ('(95.1)'), so a lost ')' does not flip an outflow into an inflow.
_UNSIGNED = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d*\.?\d+)(?:[eE][-+]?\d+)?"
_NUMBER = re.compile(rf"^(?:\({_UNSIGNED}\)|[-+]?{_UNSIGNED})$")


def parse_numbers(values: pd.Series) -> pd.Series:
    """English-formatted numbers: '1,045.0' -> 1045.0, '(95.1)' -> -95.1; '', '-', 'n/a' -> NaN."""
    text = values.astype(str).str.strip().str.replace("\u2212", "-", regex=False)
    negative = text.str.startswith("(") & text.str.endswith(")")
    ok = text.str.match(_NUMBER)
    numbers = pd.to_numeric(text.where(ok).str.replace(r"[(),]", "", regex=True), errors="coerce")
    numbers = numbers.where(np.isfinite(numbers.astype(float)))   # '1e400' overflows to inf: not a number
    return numbers.where(~negative, -numbers)


class RowChecks:
    """Collects rejected rows of one frame; `keep()` returns the rows never rejected."""

    def __init__(self, frame: pd.DataFrame, table: str):
        self.frame = frame
        self.table = table
        self.rejected: list[Rejected] = []
        self._bad = pd.Series(False, index=frame.index)
        if "_malformed" in frame.columns:
            self.reject(frame["_malformed"] != "", "malformed_row", lambda r: r["_malformed"])

    def reject(self, mask: pd.Series, check: str, reason) -> None:
        """Reject rows where mask holds; reason is a string or a function of the row."""
        mask = pd.Series(mask, index=self.frame.index).fillna(False).astype(bool) & ~self._bad
        for idx in self.frame.index[mask]:
            row = self.frame.loc[idx]
            record = {k: v for k, v in row.items() if not k.startswith("_")}
            text = reason(row) if callable(reason) else reason
            self.rejected.append(Rejected(f"line {int(row['_line'])}", record, text, f"{self.table}.{check}"))
        self._bad |= mask

    def reject_conflicts(self, keys: list[str], values: list[str]) -> None:
        """Rows sharing keys: identical ones collapse silently, disagreeing ones are all rejected."""
        live = self.frame[~self._bad]
        distinct = live.drop_duplicates(subset=keys + values)
        counts = distinct.groupby(keys, dropna=False)[keys[0]].transform("size")
        conflicted = distinct.index[counts > 1]
        conflict_keys = set(map(tuple, distinct.loc[conflicted, keys].astype(str).values))
        key_strings = live[keys].astype(str).apply(tuple, axis=1)
        mask = pd.Series(False, index=self.frame.index)
        mask.loc[live.index] = key_strings.isin(conflict_keys)
        self.reject(mask, "conflicting_duplicate",
                    lambda r: "the same " + ", ".join(keys) + " appears more than once with different values")
        exact = self.frame.index.difference(distinct.index).intersection(live.index)
        self._bad.loc[exact] = True  # identical repeats: one copy is kept

    def keep(self) -> pd.DataFrame:
        return self.frame[~self._bad]


def check_dates(checks: RowChecks, dates: pd.Series, raw: pd.Series, today: dt.date) -> None:
    checks.reject(dates.isna(), "unparseable_date", lambda r: f"cannot read the date {r[raw.name]!r}")
    checks.reject(dates.dt.date > today, "future_date", lambda r: f"dated {r[raw.name]!r}, which is in the future")
