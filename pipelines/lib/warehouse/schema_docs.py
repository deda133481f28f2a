"""The warehouse's schema as Markdown, read from the warehouse itself so it cannot drift from it.

Every schema, table and view with its DuckDB comment, and each column's name, type, nullability, key and
comment (the comments come from pipelines/sql/core/comments.sql and the view files in
pipelines/sql/views/). Nothing that depends on the data (row counts, dates) is rendered, so the same code gives the same text on any build.

    python -m pipelines.lib.warehouse.schema_docs <warehouse.duckdb> [out.md]     (stdout without out.md)

docs/schema.md is this output for the bundled raw/ data; tests/lib/warehouse/test_analyst_sql.py regenerates it.
"""
from __future__ import annotations

import sys
from pathlib import Path

import duckdb

# DuckDB has no COMMENT ON SCHEMA: a schema's description lives here (the rest comes from the warehouse).
SCHEMA_NOTES = {
    "core": "Cleaned, typed, deduplicated inputs: one row per fact, every file in `core.documents`, "
            "every rejected record in `core.quarantine`.",
    "marts": "Models and checks built from `core`: leak plausibility, mining economics, the idle AI fleet, "
             "rally attribution, and the chain's evidence (hashrate breaks, fleet detectability). Every model row "
             "names its `assumption_set` and `model_version`.",
    "views": "Documented views for analysts over `core` and `marts` (pipelines/sql/views/): each answers one question.",
    "meta": "Bookkeeping of the pipeline, not for analysts.",
}
SCHEMA_ORDER = ["core", "marts", "views", "meta"]
HIDDEN_SCHEMAS = ("information_schema", "pg_catalog")

HEADER = """# Warehouse schema

Generated from the warehouse by `python -m pipelines.lib.warehouse.schema_docs <warehouse> docs/schema.md`
(pipelines/lib/warehouse/schema_docs.py) from the DuckDB comments the pipeline applies
(pipelines/sql/core/comments.sql, pipelines/sql/views/*.sql); edit those, not this file. In DuckDB the
same text is in `duckdb_tables().comment`, `duckdb_views().comment` and `duckdb_columns().comment`.

Units: money in USD (plus the native amount and currency where the source had another), hashrate in
hashes per second (`*_hs`), power in watts (`power_kw`: kilowatts), energy in kWh, shares 0..1, dates
as DATE (a UTC day), timestamps as TIMESTAMP WITH TIME ZONE. Column `null`: whether the column may
hold NULL (views always say yes); `key`: part of the table's primary key.
"""


def _text(text) -> str:
    """A comment as Markdown text: one line, with the characters Markdown would act on escaped
    ('*' italics, '<name>' an HTML tag)."""
    if text is None:
        return ""
    return " ".join(str(text).split()).replace("*", "\\*").replace("<", "&lt;").replace(">", "&gt;")


def _cell(text) -> str:
    """Text for one Markdown table cell: as _text, with pipes escaped."""
    return _text(text).replace("|", "\\|")


def _relations(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, str | None]]:
    """(schema, name, 'table' | 'view', comment) of every user table and view, in document order."""
    rows = con.execute(
        "SELECT schema_name, table_name, 'table', comment FROM duckdb_tables() "
        "WHERE database_name = current_database() AND NOT internal AND NOT temporary "
        "UNION ALL "
        "SELECT schema_name, view_name, 'view', comment FROM duckdb_views() "
        "WHERE database_name = current_database() AND NOT internal AND NOT temporary").fetchall()
    rows = [r for r in rows if r[0] not in HIDDEN_SCHEMAS]
    rank = {name: i for i, name in enumerate(SCHEMA_ORDER)}
    return sorted(rows, key=lambda r: (rank.get(r[0], len(rank)), r[0], r[1]))


def _columns(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], list[tuple]]:
    out: dict[tuple[str, str], list[tuple]] = {}
    for schema, table, column, dtype, nullable, comment in con.execute(
            "SELECT schema_name, table_name, column_name, data_type, is_nullable, comment "
            "FROM duckdb_columns() WHERE database_name = current_database() AND NOT internal "
            "ORDER BY schema_name, table_name, column_index").fetchall():
        out.setdefault((schema, table), []).append((column, dtype, nullable, comment))
    return out


def _primary_keys(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], set[str]]:
    out: dict[tuple[str, str], set[str]] = {}
    for schema, table, names in con.execute(
            "SELECT schema_name, table_name, constraint_column_names FROM duckdb_constraints() "
            "WHERE database_name = current_database() AND constraint_type = 'PRIMARY KEY'").fetchall():
        out.setdefault((schema, table), set()).update(names)
    return out


def schema_markdown(con: duckdb.DuckDBPyConnection) -> str:
    """Markdown for every schema, table and view of the warehouse `con` is connected to (read-only is
    enough): each with its comment, and its columns' name, type, nullability, key and comment."""
    relations = _relations(con)
    columns = _columns(con)
    keys = _primary_keys(con)
    schemas = list(dict.fromkeys(r[0] for r in relations))
    lines = [HEADER, "## Contents", ""]
    for schema in schemas:
        names = [f"[`{s}.{n}`](#{s}{n})" for s, n, _, _ in relations if s == schema]
        lines.append(f"- **{schema}**: " + ", ".join(names))
    for schema in schemas:
        lines += ["", f"## Schema `{schema}`", ""]
        if schema in SCHEMA_NOTES:
            lines += [SCHEMA_NOTES[schema], ""]
        for s, name, kind, comment in relations:
            if s != schema:
                continue
            lines += [f"### `{s}.{name}`", "", f"*{kind}*" + (f" — {_text(comment)}" if comment else ""), "",
                      "| column | type | null | key | meaning |", "|---|---|---|---|---|"]
            pk = keys.get((s, name), set())
            for column, dtype, nullable, col_comment in columns.get((s, name), []):
                lines.append(f"| `{column}` | {_cell(dtype)} | {'yes' if nullable else 'no'} | "
                             f"{'PK' if column in pk else ''} | {_cell(col_comment)} |")
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    from pipelines.lib.warehouse import analyst

    args = sys.argv[1:] if argv is None else argv
    if not 1 <= len(args) <= 2:
        print("usage: python -m pipelines.lib.warehouse.schema_docs <warehouse.duckdb> [out.md]", file=sys.stderr)
        return 2
    with analyst.connect(Path(args[0])) as con:
        text = schema_markdown(con)
    if len(args) == 2:
        Path(args[1]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
