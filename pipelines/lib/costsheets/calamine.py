"""Tables from XLS (Excel 97-2003) and ODS (OpenDocument) spreadsheets, via python-calamine.

calamine is a Rust reader of every spreadsheet format (XLS, XLSB, XLSX, ODS): it only reads (no
macros run, no formulas evaluated: the value last saved in a cell is what we get) and is far faster
than the pure-Python readers. Each sheet's grid goes through the same table finder as an XLSX sheet
(sheets.tables_from_grid); a row's `page` is the 1-based sheet number, as for XLSX. A hidden sheet
is not read as the document's figures (a stale draft): it is named in the notes.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipelines.lib.costsheets.errors import DocumentError
from pipelines.lib.costsheets.office import LABELS, MAX_ROWS, Read, check_zip, grid_text, too_many_rows
from pipelines.lib.costsheets.sheets import tables_from_grid

MAX_CELLS = 20_000_000


def _value(value):
    """calamine's cell value as openpyxl would give it: '' is an empty cell (None); a whole float
    stays a float (tables._text prints it without '.0')."""
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, dt.timedelta):
        return str(value)
    return value


def read_calamine(path: Path, kind: str) -> Read:
    """`kind`: 'xls' | 'ods'."""
    import python_calamine as pc

    label = LABELS[kind]
    if kind == "ods":
        check_zip(path, label, kind)
    try:
        book = pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError as exc:
        raise DocumentError(f"encrypted {label}: it needs a password to open, so its tables cannot be read",
                            f"cost_sheets.encrypted_{kind}") from exc
    except Exception as exc:  # calamine raises its own errors and ValueError/OSError for damaged files
        raise DocumentError(f"damaged or not an {label} ({type(exc).__name__}: {exc})",
                            f"cost_sheets.damaged_{kind}") from exc
    tables, text, parts, notes = [], [], [], []
    try:
        metadata = list(book.sheets_metadata)
        for number, meta in enumerate(metadata, start=1):
            try:
                sheet = book.get_sheet_by_name(meta.name)
                if sheet.total_height > MAX_ROWS:
                    raise too_many_rows(f"sheet {meta.name!r}")
                if sheet.total_height * sheet.total_width > MAX_CELLS:   # one cell far out: a grid bomb
                    raise DocumentError(f"over the cell limit: sheet {meta.name!r} spans {sheet.total_height:,} "
                                        f"rows x {sheet.total_width:,} columns (limit {MAX_CELLS:,} cells)",
                                        "cost_sheets.too_many_rows")
                grid = [[_value(c) for c in row] for row in sheet.to_python(skip_empty_area=False)]
            except DocumentError:
                raise
            except Exception as exc:
                raise DocumentError(f"damaged {label}: sheet {meta.name!r} cannot be read "
                                    f"({type(exc).__name__}: {exc})", f"cost_sheets.damaged_{kind}") from exc
            parts.append((f"sheet {meta.name!r}", grid_text(grid)))
            if meta.visible != pc.SheetVisibleEnum.Visible:
                notes.append(f"hidden sheet {meta.name!r} not read as the document's figures")
                continue
            found = tables_from_grid(grid, number, kind)
            text += [f"{meta.name}\n{t.context}" for t in found]
            tables += found
    finally:
        book.close()
    return Read(tables, "\n".join(text), len(metadata), f"{len(metadata)} sheet(s) read", notes, parts)
