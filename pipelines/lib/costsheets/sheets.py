"""Tables from spreadsheets (XLSX via openpyxl) and CSV exports (any delimiter, UTF-8 or cp1252)."""
from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

from pipelines.lib.costsheets.errors import DocumentError
from pipelines.lib.costsheets.tables import RawRow, RawTable, filled_width, transposed
from pipelines.lib.costsheets.vocab import header_score
from pipelines.lib.common.csvfile import decode_text

MAX_ROWS = 200_000


def _blank(row) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in row)


def _printed(row) -> str:
    return " ".join(str(c).strip() for c in row if c is not None and str(c).strip())


def _table(header: list, rows: list[list], page: int, method: str, context: list[str], *,
           transposed: bool = False) -> RawTable:
    return RawTable([str(c).strip() if c is not None else None for c in header],
                    [RawRow([c.strip() if isinstance(c, str) else c for c in cells], page, None) for cells in rows],
                    page, method, context="\n".join(context[-12:]), transposed=transposed)


def _transposed_table(run: list[list], page: int, method: str, context: list[str]) -> RawTable | None:
    """`run` (rows between blank rows, none a header row) read as a transposed table (see
    tables.transposed) from its first row as wide as the run: narrower rows above that one
    ('Unternehmen: Oracle') are context."""
    widths = [filled_width(r) for r in run]
    start = widths.index(max(widths)) if run else 0
    turned = transposed(run[start:])
    if turned is None:
        return None
    return _table(turned[0], turned[1:], page, method, context + [_printed(r) for r in run[:start]],
                  transposed=True)


def tables_from_grid(grid: list[list], page: int, method: str) -> list[RawTable]:
    """Each header row (>= 3 contract columns) starts a table that runs to the next blank row; a run of
    rows between blank rows without a header row may be a transposed table (one column per site)."""
    tables, context, run, i = [], [], [], 0
    while i <= len(grid):
        row = grid[i] if i < len(grid) else []      # the grid's end closes a run like a blank row
        if _blank(row):
            table = _transposed_table(run, page, method, context)
            if table:
                tables.append(table)
            context = [] if table else context + [_printed(r) for r in run]
            run, i = [], i + 1
            continue
        if header_score([c if isinstance(c, str) else None for c in row]) < 3:
            run.append(row)
            i += 1
            continue
        context += [_printed(r) for r in run]
        rows, j = [], i + 1
        while j < len(grid) and not _blank(grid[j]):
            cells = list(grid[j])[: len(row)]
            if header_score([c if isinstance(c, str) else None for c in cells]) >= 3:
                break
            rows.append(cells)
            j += 1
        tables.append(_table(row, rows, page, method, context))
        context, run, i = [], [], j
    return tables


MAX_UNZIPPED_BYTES = 256 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100


def check_archive(path: Path) -> None:
    """An XLSX is a zip: refuse zip bombs and members that point outside the archive before
    openpyxl inflates anything."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise DocumentError(f"damaged or not an XLSX workbook (not a readable zip archive: {exc})",
                            "cost_sheets.damaged_xlsx") from exc
    for m in members:
        name = m.filename.replace("\\", "/")
        if name.startswith("/") or ".." in name.split("/"):
            raise DocumentError(f"unsafe archive: member {m.filename!r} points outside the workbook",
                                "cost_sheets.unsafe_archive")
    unzipped = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    if unzipped > MAX_UNZIPPED_BYTES:
        raise DocumentError(f"unsafe archive: {unzipped:,} bytes once unpacked (limit {MAX_UNZIPPED_BYTES:,})",
                            "cost_sheets.zip_bomb")
    if unzipped > 1024 * 1024 and unzipped / packed > MAX_COMPRESSION_RATIO:
        raise DocumentError(f"unsafe archive: compression ratio {unzipped / packed:,.0f}:1 is over "
                            f"{MAX_COMPRESSION_RATIO}:1 (a zip bomb?)", "cost_sheets.zip_bomb")


def read_xlsx(path: Path) -> tuple[list[RawTable], str, int]:
    """(tables, text outside tables, number of sheets); page = 1-based sheet number."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    check_archive(path)
    try:
        book = load_workbook(str(path), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise DocumentError(f"damaged or not an XLSX workbook ({type(exc).__name__}: {exc})",
                            "cost_sheets.damaged_xlsx") from exc
    tables, text = [], []
    try:
        for number, sheet in enumerate(book.worksheets, start=1):
            grid = []
            for k, row in enumerate(sheet.iter_rows(values_only=True)):
                if k >= MAX_ROWS:
                    raise DocumentError(f"over the row limit: sheet {sheet.title!r} has more than {MAX_ROWS} rows",
                                        "cost_sheets.too_many_rows")
                grid.append(list(row))
            found = tables_from_grid(grid, number, "xlsx")
            text += [f"{sheet.title}\n{t.context}" for t in found]
            tables += found
        return tables, "\n".join(text), len(book.worksheets)
    finally:
        book.close()


def _delimiter(text: str) -> str:
    """The delimiter under which a header row names the most contract columns; on a tie, the one
    splitting most lines into the same number (>= 3) of fields. Free-text preambles and notes with
    commas ('vertraulich, ungeprüft') must not outvote a semicolon table with decimal commas."""
    sample = text.splitlines()[:60]
    best, best_score = ",", (-1, -1.0, 0)
    for delimiter in (";", "\t", "|", ","):
        rows = [r for r in csv.reader(sample, delimiter=delimiter) if r]
        counts = [len(r) for r in rows]
        if not counts:
            continue
        mode, seen = Counter(counts).most_common(1)[0]
        named = max((header_score(r) for r in rows if len(r) >= 3), default=0)
        score = (min(named, 3), seen / len(counts) if mode >= 3 else 0.0, mode)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv(path: Path) -> tuple[list[RawTable], str, list[str]]:
    data = path.read_bytes()
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError("not a text file: the CSV holds binary data", "cost_sheets.binary_csv")
    text, encoding = decode_text(data)
    notes = ["decoded_as_cp1252"] if encoding == "cp1252" else []
    grid = list(csv.reader(io.StringIO(text), delimiter=_delimiter(text)))[:MAX_ROWS]
    tables = tables_from_grid(grid, 1, "csv")
    return tables, "\n".join(t.context for t in tables), notes
