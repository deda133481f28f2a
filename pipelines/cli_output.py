"""How `leakpipe` shows a result: a rich table (one block per row when the columns do not fit), CSV,
JSON or Parquet, to the terminal or a file. Imports rich and pandas helpers on use only (a fast start)."""
from __future__ import annotations

from pathlib import Path

import click

OUTPUT_FORMATS = ("table", "csv", "json", "parquet")


def make_console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


CELL_CHARS = 60   # a longer cell is cut with an ellipsis in --format table (CSV and JSON keep it whole)


def cell_text(value) -> str:
    from pipelines.lib.common.missing import is_missing   # pandas: loaded by then, not at the CLI's start

    text = "" if is_missing(value) else str(value)
    return text if len(text) <= CELL_CHARS else text[:CELL_CHARS - 1] + "…"


def rich_table(frame, title: str | None = None, max_rows: int | None = None, width: int | None = None):
    """A rich table; when the columns cannot fit the width, one block per row (column: value), as
    psql's expanded display does, instead of columns folded one character wide."""
    from rich.table import Table

    shown = frame if max_rows is None else frame.head(max_rows)
    cells = [[cell_text(v) for v in row] for row in shown.itertuples(index=False)]
    need = sum(max([len(str(c))] + [len(r[i]) for r in cells]) + 3 for i, c in enumerate(frame.columns)) + 1
    if width is not None and need > width and len(frame.columns) > 1:
        table = Table(title=title, show_header=False, title_justify="left")
        table.add_column("column", style="bold", no_wrap=True)
        table.add_column("value", overflow="fold")
        for n, row in enumerate(cells, 1):
            if n > 1:
                table.add_section()
            table.add_row(f"row {n}", "", style="dim")
            for column, value in zip(frame.columns, row):
                table.add_row(f"  {column}", value)
        return table
    table = Table(title=title, show_lines=False, title_justify="left")
    for column in frame.columns:
        numeric = frame[column].dtype.kind in "iuf"
        table.add_column(str(column), justify="right" if numeric else "left", overflow="fold")
    for row in cells:
        table.add_row(*row)
    return table


def fetch_frame(con, sql: str, params=None, typed: bool = False):
    """The result as a DataFrame whose DATE columns are dates, not midnight timestamps: datetime.date
    objects for Parquet (typed), ISO strings for tables, CSV and JSON."""
    result = con.execute(sql, params) if params is not None else con.execute(sql)
    dates = [d[0] for d in result.description if str(d[1]) == "DATE"]
    frame = result.df()
    for column in dates:
        values = frame[column].dt.date
        frame[column] = values if typed else values.map(lambda d: d.isoformat(), na_action="ignore")
    return frame


def write_frame(frame, fmt: str, output: Path | None, max_rows: int) -> None:
    try:
        if fmt == "parquet":
            frame.to_parquet(output, index=False)
        elif fmt == "csv":
            from pipelines.lib.warehouse.export import csv_text

            text = csv_text(frame)
            if output:
                output.write_text(text, encoding="utf-8", newline="")
            else:
                click.echo(text, nl=False)
        elif fmt == "json":
            text = frame.to_json(orient="records", date_format="iso", indent=1, force_ascii=False)
            if output:
                output.write_text(text + "\n", encoding="utf-8")
            else:
                click.echo(text)
        else:
            console = make_console()
            if output:
                from rich.console import Console

                with open(output, "w", encoding="utf-8") as fh:
                    Console(file=fh, width=200).print(rich_table(frame, width=200))
            else:
                console.print(rich_table(frame, max_rows=max_rows, width=console.width))
                more = f", first {max_rows} shown (use --format csv for all)" if len(frame) > max_rows else ""
                console.print(f"{len(frame)} row(s){more}", style="dim")
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror or exc}") from None
    if output:
        click.echo(f"{len(frame)} row(s) written to {output}", err=True)
