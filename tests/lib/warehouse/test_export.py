"""The CSV export's sliced writer: the same bytes as one pass, one header, rows in order."""
import io

import pyarrow as pa
import pyarrow.csv as pacsv

from pipelines.lib.warehouse import export


def _one_pass(table: pa.Table) -> bytes:
    out = io.BytesIO()
    pacsv.write_csv(export.neutralise_table(table), out, pacsv.WriteOptions(quoting_style="needed"))
    return out.getvalue()


def test_a_table_longer_than_a_slice_is_written_as_one_pass_would(tmp_path, monkeypatch):
    monkeypatch.setattr(export, "CSV_CHUNK_ROWS", 7)
    table = pa.table({"n": list(range(53)), "text": [f"row {i}, \"quoted\"\nline" if i % 5 else "=1+1"
                                                      for i in range(53)]})
    export.write_csv(table, tmp_path / "t.csv")
    written = (tmp_path / "t.csv").read_bytes()
    assert written == _one_pass(table)
    assert written.count(b'"n","text"') == 1 and written.index(b"'=1+1") > 0
    assert export.csv_bytes(table) == written           # to a file object as to a path


def test_a_short_table_and_an_empty_one(tmp_path):
    for table in (pa.table({"n": [1, 2]}), pa.table({"n": pa.array([], pa.int64())})):
        export.write_csv(table, tmp_path / "t.csv")
        assert (tmp_path / "t.csv").read_bytes() == _one_pass(table)


def test_progress_hears_each_table_once_its_files_are_written(tmp_path):
    import duckdb

    db = tmp_path / "w.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE SCHEMA core; CREATE TABLE core.a AS SELECT 1 AS x; CREATE TABLE core.b AS SELECT 2 AS x; "
                    "CREATE TABLE core.c AS SELECT 3 AS x")
    heard = []

    def progress(table):
        heard.append((table, all((tmp_path / "out" / fmt / f"{table}.{fmt}").stat().st_size > 0
                                 for fmt in export.FORMATS)))

    with duckdb.connect(str(db), read_only=True) as con:
        export.export_tables(con, tmp_path / "out", ["core.a", "core.b", "core.c"], progress=progress)
        assert heard == [("core.a", True), ("core.b", True), ("core.c", True)]
        heard.clear()
        export.export_tables(con, tmp_path / "out", ["core.a", "core.b", "core.c"], progress=progress)   # unchanged
        assert heard == [("core.a", True), ("core.b", True), ("core.c", True)]
