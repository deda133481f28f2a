"""Exports of the published warehouse's tables to Parquet and CSV for people and other tools.

Each table goes to `<out>/<format>/<schema>.<table>.<ext>`, written to a temporary file and
renamed, so a reader never sees half a file. CSV cells are neutralised against formula injection
(OWASP): a text cell from a leak that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
would run as a formula when the CSV is opened in a spreadsheet, so it gets a leading `'`.
Parquet keeps every value as it is (typed columns are not interpreted by spreadsheets).
"""
from __future__ import annotations

import io
import json
import os
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import duckdb
import pandas as pd

from pipelines.lib.common.files import read_json_or_empty, replace_atomically

FORMATS = ("parquet", "csv")
EXPORT_SCHEMAS = ("core", "marts", "views")


class ExportError(RuntimeError):
    pass


CSV_CHUNK_ROWS = 100_000   # a larger table's CSV is rendered in slices this long, side by side
WRITERS = max(2, os.cpu_count() or 1)   # threads writing CSV slices and export files
FORMULA_START = r"^[=+\-@\t\r]"   # what a spreadsheet would run as a formula
MANIFEST = "manifest.json"   # per table: the content digest its files were written from


@dataclass(frozen=True)
class Exported:
    table: str
    rows: int
    files: tuple[Path, ...]
    rewritten: bool


def neutralise_table(table):
    """A text cell that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR),
    made inert with a leading quote, column by column in Arrow compute. Numbers (a negative amount
    is a number, not text) and every other value pass unchanged."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = []
    for column in table.columns:
        if pa.types.is_nested(column.type):   # CSV has no lists or structs (a bbox): JSON text
            column = pa.array([None if v is None else json.dumps(v, default=str) for v in column.to_pylist()],
                              pa.string())
        # Most columns repeat a few values (coin, device, reason): the test runs on the distinct values,
        # and only a column holding a risky one is rewritten (a 900,000-row mart: 0.05 s, not 1.5 s).
        if (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)) and pc.any(
                pc.match_substring_regex(pc.unique(column), FORMULA_START)).as_py():
            risky = pc.fill_null(pc.match_substring_regex(column, FORMULA_START), False)
            quote, empty = pa.scalar("'", column.type), pa.scalar("", column.type)
            column = pc.if_else(risky, pc.binary_join_element_wise(quote, column, empty), column)
        columns.append(column)
    return pa.Table.from_arrays(columns, names=table.column_names)


def write_csv(table, target) -> None:
    """CSV of an Arrow table to a path or binary file (pyarrow's writer, about ten times pandas'),
    formula-like text neutralised. Text with a separator, quote or line break is quoted, so a carriage
    return or newline inside leaked text cannot split a row. Written straight to the file: a 500 MB
    table is not held as bytes first. A large table is written in slices of CSV_CHUNK_ROWS rows,
    rendered by one thread per core (the writer releases the GIL) and appended in order: the same bytes
    as one pass, in half the time on two cores."""
    import pyarrow.csv as pacsv

    table = neutralise_table(table)
    options = pacsv.WriteOptions(quoting_style="needed")
    if table.num_rows <= CSV_CHUNK_ROWS:
        pacsv.write_csv(table, target, options)
        return
    from concurrent.futures import ThreadPoolExecutor

    def render(start: int) -> bytes:
        out = io.BytesIO()
        pacsv.write_csv(table.slice(start, CSV_CHUNK_ROWS), out, pacsv.WriteOptions(
            quoting_style="needed", include_header=start == 0))
        return out.getvalue()

    starts = list(range(0, table.num_rows, CSV_CHUNK_ROWS))
    with ThreadPoolExecutor(max_workers=WRITERS) as pool, \
            (open(target, "wb") if isinstance(target, (str, Path)) else nullcontext(target)) as fh:
        for window in range(0, len(starts), WRITERS):   # at most WRITERS slices held at once
            for data in pool.map(render, starts[window:window + WRITERS]):
                fh.write(data)


def csv_bytes(table) -> bytes:
    """The same CSV as bytes."""
    out = io.BytesIO()
    write_csv(table, out)
    return out.getvalue()


def csv_text(frame: pd.DataFrame) -> str:
    """The same for a DataFrame (a query's result)."""
    import pyarrow as pa

    return csv_bytes(pa.Table.from_pandas(frame, preserve_index=False)).decode("utf-8")


def exportable_tables(con: duckdb.DuckDBPyConnection, schemas: Iterable[str] = EXPORT_SCHEMAS) -> list[str]:
    """Every table and view of the given schemas, as 'schema.name', sorted."""
    schemas = list(schemas)
    rows = con.execute(
        "SELECT schema_name || '.' || table_name FROM duckdb_tables() WHERE schema_name = ANY(?) "
        "UNION SELECT schema_name || '.' || view_name FROM duckdb_views() "
        "WHERE schema_name = ANY(?) AND NOT internal ORDER BY 1", [schemas, schemas]).fetchall()
    return [r[0] for r in rows]


def _quoted(name: str) -> str:
    schema, _, table = name.partition(".")
    return f'"{schema}"."{table}"' if table else f'"{schema}"'


def _write(arrow, target: Path, fmt: str) -> None:
    import pyarrow.parquet as pq

    target.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        replace_atomically(target, lambda p: pq.write_table(arrow, p, compression="zstd"))
    else:
        replace_atomically(target, lambda p: write_csv(arrow, str(p)))


def export_tables(con: duckdb.DuckDBPyConnection, out_dir: Path, tables: Iterable[str],
                  formats: Iterable[str] = FORMATS,
                  progress: Callable[[str], None] | None = None) -> list[Exported]:
    """Write each table in each format under out_dir. A table that does not exist, or a folder that
    cannot be written, raises ExportError naming it; the warehouse is only read.

    The files are written by a pool of one thread per core while this thread reads the next table:
    pyarrow's Parquet and CSV writers release the GIL, so a large mart's two files are written side by
    side (the real-data history's 500 MB CSV no longer waits for its Parquet file). `progress` hears each
    table once its files are written (or found unchanged)."""
    from concurrent.futures import ThreadPoolExecutor

    formats = list(formats)
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ExportError(f"unknown export format(s) {', '.join(unknown)}: choose from {', '.join(FORMATS)}")
    known = set(exportable_tables(con, {t.split('.', 1)[0] for t in tables} or EXPORT_SCHEMAS))
    out_dir = Path(out_dir)
    manifest = _read_manifest(out_dir)
    done, writing = [], None   # writing: the table whose files the pool is writing (table, digest, rows, futures)

    def finish(table: str, digest: str, rows: int, writes: list) -> None:
        try:
            for write in writes:
                write.result()
        except OSError as exc:
            raise ExportError(f"cannot write the export of {table} to {out_dir}: {exc.strerror or exc} "
                              "(check LEAKPIPE_REPORTS_DIR; the warehouse is not affected)") from exc
        manifest[table] = {"digest": digest, "rows": rows}
        if progress:
            progress(table)

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        for table in tables:
            if table not in known:
                raise ExportError(f"no table or view {table} in the warehouse (see `leakpipe query "
                                  f"\"SELECT * FROM duckdb_tables()\"`)")
            digest = content_digest(con, table)
            targets = tuple(out_dir / fmt / f"{table}.{fmt}" for fmt in formats)
            if manifest.get(table, {}).get("digest") == digest and all(t.exists() for t in targets):
                done.append(Exported(table, manifest[table]["rows"], targets, rewritten=False))
                if progress:
                    progress(table)
                continue
            arrow = con.sql(f"SELECT * FROM {_quoted(table)}").to_arrow_table()
            writes = [pool.submit(_write, arrow, target, fmt) for target, fmt in zip(targets, formats)]
            done.append(Exported(table, arrow.num_rows, targets, rewritten=True))
            if writing:             # the previous table's files, written while this one was read
                finish(*writing)
            writing = (table, digest, arrow.num_rows, writes)
        if writing:
            finish(*writing)
    replace_atomically(out_dir / MANIFEST, lambda p: p.write_text(json.dumps(manifest, indent=1, sort_keys=True)))
    return done


def content_digest(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """Changes when any row or column of the table changes: its columns and an order-independent
    hash of its rows (an unchanged table is not written again)."""
    columns = con.sql(f"SELECT * FROM {_quoted(table)} LIMIT 0").columns
    rows, hashed = con.execute(f"SELECT count(*), bit_xor(hash(t)) FROM {_quoted(table)} AS t").fetchall()[0]
    return f"{','.join(columns)}|{rows}|{hashed}"


def _read_manifest(out_dir: Path) -> dict:
    return read_json_or_empty(out_dir / MANIFEST)


def warehouse_digest(con: duckdb.DuckDBPyConnection) -> str:
    """One digest of every exportable table's content: what a report or an export was built from."""
    import hashlib

    h = hashlib.sha256()
    for table in exportable_tables(con):
        h.update(f"{table}={content_digest(con, table)}\n".encode())
    return h.hexdigest()
