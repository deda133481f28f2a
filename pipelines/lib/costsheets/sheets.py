"""Tables from spreadsheets (XLSX via openpyxl) and CSV exports (any delimiter, UTF-8 or cp1252)."""
from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

from pipelines.lib.costsheets.errors import DocumentError
from pipelines.lib.costsheets.headers import is_note_row, two_row_header
from pipelines.lib.costsheets.office import MAX_ROWS, check_zip, grid_text, too_many_rows
from pipelines.lib.costsheets.tables import RawRow, RawTable, filled_width, transposed
from pipelines.lib.costsheets.vocab import header_score
from pipelines.lib.common.csvfile import decode_text


def _blank(row) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in row)


def _printed(row) -> str:
    return " ".join(str(c).strip() for c in row if c is not None and str(c).strip())


def _table(header: list, rows: list[list], page: int, method: str, context: list[str], *,
           transposed: bool = False, hidden_rows: list[bool] | None = None) -> RawTable:
    hidden_rows = hidden_rows or [False] * len(rows)
    return RawTable([str(c).strip() if c is not None else None for c in header],
                    [RawRow([c.strip() if isinstance(c, str) else c for c in cells], page, None, hidden=h)
                     for cells, h in zip(rows, hidden_rows)],
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


def tables_from_grid(grid: list[list], page: int, method: str, *, merged: dict | None = None,
                     hidden_rows: set | frozenset = frozenset()) -> list[RawTable]:
    """Each header row (>= 3 contract columns) starts a table that runs to the next blank row; a run of
    rows between blank rows without a header row may be a transposed table (one column per site).

    A header printed over two rows (a group label, merged or not, over its sub-labels) is read as one
    (see headers.two_row_header; `merged`: grid row -> [(first column, last column)] of its merged
    cells). Note rows inside a table ('Hinweis: ...', '* ...') are context, not lines. Rows in
    `hidden_rows` (grid indices) are kept with RawRow.hidden set."""
    merged = merged or {}
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
        below = grid[i + 1] if i + 1 < len(grid) and not _blank(grid[i + 1]) else None
        header = two_row_header(row, below, merged.get(i, ()))
        first = i + 2
        if header is None:
            header, first = row, i + 1
            if header_score([c if isinstance(c, str) else None for c in row]) < 3:
                run.append(row)
                i += 1
                continue
        context += [_printed(r) for r in run]
        rows, hidden, notes, j = [], [], [], first
        while j < len(grid) and not _blank(grid[j]):
            cells = list(grid[j])[: len(header)]
            if header_score([c if isinstance(c, str) else None for c in cells]) >= 3:
                break
            if is_note_row(grid[j]):
                notes.append(_printed(grid[j]))
            else:
                rows.append(cells)
                hidden.append(j in hidden_rows)
            j += 1
        table = _table(header, rows, page, method, context, hidden_rows=hidden)
        table.notes = notes
        tables.append(table)
        context, run, i = [], [], j
    return tables


FULL_READ_BYTES = 32 * 1024 * 1024   # sheets larger than this (unpacked XML) are streamed: no merges/hidden rows


def read_xlsx(path: Path) -> tuple[list[RawTable], str, int, list[tuple[str, str]]]:
    """(tables, text outside tables, number of sheets, text parts); page = 1-based sheet number.
    Text parts: (f"sheet {title!r}", the sheet's cells as text) for every sheet, hidden ones too (a
    leak's hidden sheet is worth finding), for the full-text index.

    Hidden sheets are read but their tables are marked hidden (their rows are kept apart, never the
    document's lines, and their text is not the document's context); hidden rows are marked on their
    RawRow; hidden columns are not read at all (a note on the table says which). Merged cells in a
    header spread their label over the columns they cover (see sheets.tables_from_grid)."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    check_zip(path, "XLSX workbook", "xlsx")   # a zip: bombs and escaping members refused first
    with zipfile.ZipFile(path) as archive:
        sheet_bytes = sum(m.file_size for m in archive.infolist() if m.filename.startswith("xl/worksheets/"))
    streamed = sheet_bytes > FULL_READ_BYTES
    try:
        book = load_workbook(str(path), read_only=streamed, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise DocumentError(f"damaged or not an XLSX workbook ({type(exc).__name__}: {exc})",
                            "cost_sheets.damaged_xlsx") from exc
    tables, text, parts = [], [], []
    try:
        for number, sheet in enumerate(book.worksheets, start=1):
            grid = []
            for k, row in enumerate(sheet.iter_rows(values_only=True)):
                if k >= MAX_ROWS:
                    raise too_many_rows(f"sheet {sheet.title!r}")
                grid.append(list(row))
            parts.append((f"sheet {sheet.title!r}", grid_text(grid)))
            layout = {} if streamed else sheet_layout(sheet, grid)
            found = tables_from_grid(grid, number, "xlsx", merged=layout.get("merged"),
                                     hidden_rows=layout.get("hidden_rows", frozenset()))
            hidden_sheet = sheet.sheet_state != "visible"
            for t in found:
                t.hidden = "sheet" if hidden_sheet else None
                t.notes += layout.get("notes", [])
            if not hidden_sheet:
                text += [f"{sheet.title}\n{t.context}" for t in found]
            tables += found
        return tables, "\n".join(text), len(book.worksheets), parts
    finally:
        book.close()


def sheet_layout(sheet, grid: list[list]) -> dict:
    """What a fully loaded sheet hides and merges, in `grid` coordinates (iter_rows starts at A1): hidden columns are blanked in `grid` (their values never
    read) with a note; {'merged': {row: [(c0, c1)]}, 'hidden_rows': {row}, 'notes': [...]}."""
    from openpyxl.utils import get_column_letter

    r0, c0 = 1, 1
    hidden_rows = {r - r0 for r, dim in sheet.row_dimensions.items() if dim.hidden and r >= r0}
    hidden_cols = set()
    for dim in sheet.column_dimensions.values():
        if dim.hidden:
            hidden_cols.update(range((dim.min or 1) - c0, (dim.max or dim.min or 1) - c0 + 1))
    notes = []
    if hidden_cols:
        letters = sorted(k for k in hidden_cols if k >= 0)
        filled = [k for k in letters if any(k < len(r) and r[k] is not None for r in grid)]
        for row in grid:
            for k in letters:
                if k < len(row):
                    row[k] = None
        if filled:
            notes.append(f"sheet {sheet.title!r}: hidden column(s) {', '.join(get_column_letter(k + c0) for k in filled)}"
                         " not read")
    merged: dict = {}
    for rng in sheet.merged_cells.ranges:
        if rng.max_col > rng.min_col:
            merged.setdefault(rng.min_row - r0, []).append((rng.min_col - c0, rng.max_col - c0))
    return {"merged": merged, "hidden_rows": hidden_rows, "notes": notes}


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


def read_csv(path: Path) -> tuple[list[RawTable], str, list[str], list[tuple[str, str]]]:
    """(tables, text outside tables, notes, text parts: [("csv", the rows as text)])."""
    data = path.read_bytes()
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError("not a text file: the CSV holds binary data", "cost_sheets.binary_csv")
    text, encoding = decode_text(data)
    notes = ["decoded_as_cp1252"] if encoding == "cp1252" else []
    grid = list(csv.reader(io.StringIO(text), delimiter=_delimiter(text)))[:MAX_ROWS]
    tables = tables_from_grid(grid, 1, "csv")
    return tables, "\n".join(t.context for t in tables), notes, [("csv", grid_text(grid))]
