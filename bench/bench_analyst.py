"""The analyst query set: every view in pipelines/sql/views/ and every example query in sql/analyst/, run on
the published warehouse through the analysts' read-only connection (what `leakpipe query` opens).

Baseline, in the same invocation: the same SQL on an in-memory copy of the same warehouse (every
table and view copied into a plain in-process DuckDB): what the read-only published file, its
locked configuration and a fresh connection per set cost over the fastest place DuckDB can read.
For scale it also prints the time to read the CSV exports into pandas (what an analyst without the
warehouse does before the first question). The warehouse is the one bench_models uses, built from
the bundled raw/ data by `python -m pipelines.run` and reused while its inputs are unchanged
(_common.bundled_warehouse).
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (  # noqa: E402
    OUT_DIR,
    PROJECT_ROOT,
    bundled_warehouse,
    ensure_importable,
    print_table,
    timed_interleaved,
)

ensure_importable()


def main() -> None:
    import duckdb
    import pandas as pd

    from pipelines.lib.warehouse import analyst
    from pipelines.lib.warehouse.export import export_tables, exportable_tables

    warehouse, how = bundled_warehouse()
    print(f"warehouse {warehouse}: {how}")
    folder = OUT_DIR / "analyst"
    folder.mkdir(parents=True, exist_ok=True)

    folders = {"views": PROJECT_ROOT / "pipelines" / "sql" / "views", "analyst": PROJECT_ROOT / "sql" / "analyst"}
    queries = {f"{name}/{p.name}": p.read_text(encoding="utf-8")
               for name, folder_path in folders.items() for p in sorted(folder_path.glob("*.sql"))}
    views = [name for name in queries if name.startswith("views/")]
    exports = folder / "exports"
    with analyst.connect(warehouse) as con:
        export_tables(con, exports, exportable_tables(con), formats=["csv"])
        view_names = [r[0] for r in con.execute("SELECT schema_name || '.' || view_name FROM duckdb_views() "
                                                "WHERE NOT internal AND schema_name NOT IN ('core', 'marts')"
                                                ).fetchall()]

    def run_set(con) -> int:
        rows = 0
        for name, sql in queries.items():
            if not name.startswith("views/"):   # a view file creates the view; it is read below
                rows += len(con.execute(sql).fetchall())
        for view in view_names:
            rows += len(con.execute(f"SELECT * FROM {view}").fetchall())
        return rows

    def on_published():
        with analyst.connect(warehouse) as con:
            return run_set(con)

    memory = duckdb.connect()
    memory.execute("ATTACH ? AS src (READ_ONLY)", [str(warehouse)])
    memory.execute("COPY FROM DATABASE src TO memory")
    memory.execute("DETACH src")

    def load_exports():
        return sum(len(pd.read_csv(p, low_memory=False)) for p in sorted((exports / "csv").glob("*.csv")))

    results = {}
    best = timed_interleaved({"published": on_published, "memory": lambda: run_set(memory), "csv": load_exports},
                             repeat=5, keep=results.__setitem__)
    assert results["published"] == results["memory"], "both must return the same rows"
    n_queries = len(queries) - len(views) + len(view_names)
    print(f"{len(queries) - len(views)} example queries + {len(view_names)} views ({results['published']} rows): "
          f"published file, read-only {best['published']:.3f} s; in-memory copy {best['memory']:.3f} s; "
          f"for scale, reading the {len(list((exports / 'csv').glob('*.csv')))} CSV exports into pandas "
          f"{best['csv']:.3f} s")
    print()
    print_table([{"workload": f"analyst query set ({n_queries} queries) on the read-only published file "
                              "vs in memory", "project": best["published"], "baseline": best["memory"],
                  "target": "<= 1.5x"}])


if __name__ == "__main__":
    main()
