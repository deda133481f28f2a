"""Reading the shape of a CSV file cheaply: encoding, delimiter, header, sample rows."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

SAMPLE_BYTES = 256 * 1024
MAX_SAMPLE_BYTES = 32 * 1024 * 1024   # lines longer than this leave no data row to read the shape from


class InputError(ValueError):
    """A whole file cannot be read; the message is the reason a person sees."""


@dataclass(frozen=True)
class CsvHead:
    encoding: str             # name DuckDB and Python both understand
    delimiter: str
    header: list[str] | None  # None when the first row is data
    rows: list[list[str]]     # sample data rows (not the header)


def normalise(name: str) -> str:
    """Header cell -> comparable key: lower case, units and punctuation folded to '_'."""
    return re.sub(r"[^0-9a-z]+", "_", name.strip().strip('"').lower()).strip("_")


def _decode(raw: bytes) -> tuple[str, str]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace"), "utf-16"
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start > len(raw) - 4:   # a multi-byte character cut by the sample's end
            return raw[: exc.start].decode("utf-8-sig"), "utf-8"
        return raw.decode("latin-1"), "latin-1"


def decode_text(raw: bytes) -> tuple[str, str]:
    """(text, encoding) of a whole small text file: UTF-16 by its byte-order mark, else UTF-8
    (with or without BOM), else cp1252 (what most non-UTF-8 office exports are), never failing."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    else:
        try:
            return raw.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError:
            pass
    return raw.decode("cp1252", errors="replace"), "cp1252"


def _looks_numeric(cell: str) -> bool:
    return bool(re.fullmatch(r"\s*[-+(]?[\d.,eE+\-]+\)?\s*", cell or "")) and any(c.isdigit() for c in cell)


def read_head(path: Path, max_rows: int = 200) -> CsvHead:
    with open(path, "rb") as fh:
        raw = fh.read(SAMPLE_BYTES)
        # very long lines: read on (doubling) until the sample holds the header and a whole data row
        while raw.count(b"\n") < 2 and len(raw) < MAX_SAMPLE_BYTES and (more := fh.read(len(raw))):
            raw += more
        at_end = not fh.read(1)
    if not raw.strip():
        raise InputError("the file holds no data")
    text, encoding = _decode(raw)
    lines = text.splitlines()
    if not at_end and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut by the sample
    sample = "\n".join(lines[: max_rows + 1])
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    # the csv module refuses fields over 128 kB by default; a sampled field may be up to the sample
    csv.field_size_limit(max(csv.field_size_limit(), MAX_SAMPLE_BYTES))
    try:
        rows = [r for r in csv.reader(io.StringIO(sample), delimiter=delimiter) if any(c.strip() for c in r)]
    except csv.Error as exc:
        raise InputError(f"cannot read the file as CSV: {exc}") from None
    if not rows:
        raise InputError("the file holds no rows")
    first = rows[0]
    has_header = not all(_looks_numeric(c) for c in first if c.strip())
    header = [c.strip() for c in first] if has_header else None
    return CsvHead(encoding, delimiter, header, rows[1:] if has_header else rows)


def quote_ident(name: str) -> str:
    """A SQL identifier for a CSV column name (identifiers cannot be query parameters)."""
    return '"' + name.replace('"', '""') + '"'


def detect_timestamp_kind(values: list[str]) -> str | None:
    """How a column of dates/timestamps is written, from a sample; None if no single way fits.

    Returns one of: epoch_s, epoch_ms, epoch_us, iso, us_date (M/D/YYYY), de_date (D.M.YYYY),
    day_mon_year (11 Jan 2024).
    """
    vals = [v.strip().strip('"') for v in values if v and v.strip()]
    if not vals:
        return None
    patterns = [
        ("epoch_s", r"\d{9,10}(\.\d+)?"),
        ("epoch_ms", r"\d{12,13}"),
        ("epoch_us", r"\d{15,16}"),
        ("iso", r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?\s*(Z|UTC|[+-]\d{2}(:?\d{2})?)?"),
        ("us_date", r"\d{1,2}/\d{1,2}/\d{4}( \d{1,2}:\d{2}(:\d{2})?)?"),
        ("de_date", r"\d{1,2}\.\d{1,2}\.\d{4}"),
        ("day_mon_year", r"\d{1,2} [A-Za-z]{3} \d{4}"),
    ]
    for kind, pattern in patterns:
        hits = sum(1 for v in vals if re.fullmatch(pattern, v))
        if hits >= max(1, int(0.9 * len(vals))):
            return kind
    return None
