"""Small cost sheets written on the fly (CSV and XLSX) for the phrasing and layout tests."""
from __future__ import annotations

from pathlib import Path

from pipelines.lib.costsheets.extract import Limits, extract_document


def write_csv(path: Path, rows: list[list], locale: str = "en") -> Path:
    sep = ";" if locale == "de" else ","

    def cell(v):
        if v is None:
            return ""
        if isinstance(v, float) and locale == "de":
            return repr(v).replace(".", ",")
        return str(v)

    path.write_text("\n".join(sep.join(cell(v) for v in r) for r in rows) + "\n", encoding="utf-8")
    return path


def write_xlsx(path: Path, rows: list[list], *, merged: list[str] = (), hidden_rows: list[int] = (),
               hidden_cols: list[str] = (), extra_sheets: list[tuple[str, list[list], str]] = ()) -> Path:
    """rows: the first sheet's cells from A1; merged: ranges ('B1:C1'); hidden_rows: 1-based rows;
    hidden_cols: letters; extra_sheets: (title, rows, state) with state 'visible' | 'hidden'."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Kosten"
    for r in rows:
        sheet.append(list(r))
    for rng in merged:
        sheet.merge_cells(rng)
    for r in hidden_rows:
        sheet.row_dimensions[r].hidden = True
    for c in hidden_cols:
        sheet.column_dimensions[c].hidden = True
    for title, cells, state in extra_sheets:
        other = book.create_sheet(title)
        for r in cells:
            other.append(list(r))
        other.sheet_state = state
    book.save(path)
    return path


def extract(path: Path, **kw):
    """(rows as a DataFrame, rejected lines, notes) through the real entry point."""
    frame, rejected, _, notes = extract_document(path, Limits(ocr=False), None, **kw)
    return frame, rejected, notes
