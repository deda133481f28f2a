"""Tables and text from Word documents (DOCX, via python-docx).

A memo with a cost table in it: each Word table is a grid read like a spreadsheet's (a header row
naming >= 3 contract columns starts a table, a run of rows without one may be a transposed table);
the paragraphs above a table are its context ('Unternehmen: ...', 'Zeitraum: Q1/2024'). A row's
`page` is the Word table's 1-based number in the document (a DOCX has no fixed pages), so
(page, row) names the table and line a reader finds in Word: `docx table 2 row 5`.

python-docx parses the package's XML with lxml without resolving entities; the zip is checked for
bombs and escaping member names before it is opened.
"""
from __future__ import annotations

from pathlib import Path

from pipelines.lib.costsheets.errors import DocumentError
from pipelines.lib.costsheets.office import MAX_ROWS, Read, check_zip, grid_text, too_many_rows
from pipelines.lib.costsheets.sheets import tables_from_grid

_CONTEXT_LINES = 12


def _grid(table) -> list[list]:
    """The table's cells row by row; a cell merged across columns gives its text once (the columns it
    covers to the right are empty), a cell merged down keeps its text on every row it spans."""
    grid = []
    for row in table.rows:
        cells, previous = [], None
        for cell in row.cells:
            text = cell.text.strip()
            cells.append(None if cell._tc is previous or not text else text)
            previous = cell._tc
        grid.append(cells)
        if len(grid) > MAX_ROWS:
            raise too_many_rows("a table")
    return grid


def read_docx(path: Path) -> Read:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from lxml.etree import LxmlError

    check_zip(path, "DOCX document", "docx")
    try:
        document = docx.Document(str(path))
        blocks = list(document.iter_inner_content())
    except (PackageNotFoundError, KeyError, ValueError, LxmlError, OSError, AttributeError, TypeError) as exc:
        # python-docx meets a part that is not the XML it expects as an AttributeError or TypeError
        raise DocumentError(f"damaged or not a DOCX document ({type(exc).__name__}: {exc})",
                            "cost_sheets.damaged_docx") from exc
    tables, paragraphs, parts, number = [], [], [], 0
    for block in blocks:
        if isinstance(block, Table):
            number += 1
            grid = _grid(block)
            found = tables_from_grid(grid, number, "docx")
            above = "\n".join(p for p in paragraphs[-_CONTEXT_LINES:])
            for table in found:
                table.context = "\n".join(x for x in (above, table.context) if x)
            tables += found
            parts.append(grid_text(grid))
        else:
            text = block.text.strip()
            if text:
                paragraphs.append(text)
                parts.append(text)
    return Read(tables, "\n".join(paragraphs), number,
                f"{number} Word table(s) read", text_parts=[("docx", "\n".join(parts))])
