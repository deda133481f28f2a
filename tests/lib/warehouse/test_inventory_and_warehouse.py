import os
import threading

import duckdb
import pytest

from pipelines.lib.intake.inventory import scan
from pipelines.lib.warehouse.store import Warehouse


def test_every_file_is_recorded_with_a_reason_when_bad(tmp_path):
    (tmp_path / "prices").mkdir()
    (tmp_path / "cost_sheets").mkdir()
    (tmp_path / "prices" / "BTC-USD.csv").write_text("Date,Close\n2024-01-01,1\n")
    (tmp_path / "prices" / "empty.csv").write_bytes(b"")
    (tmp_path / "cost_sheets" / "fake.pdf").write_text("not a pdf at all")
    (tmp_path / "stray.txt").write_text("hello")
    (tmp_path / ".hidden").write_text("x")
    os.symlink("/etc/passwd", tmp_path / "prices" / "link.csv")
    records = {r.path: r for r in scan(tmp_path)}
    assert len(records) == 6
    assert records["prices/BTC-USD.csv"].error is None and records["prices/BTC-USD.csv"].kind == "prices"
    assert records["prices/empty.csv"].error == "empty file (0 bytes)"
    assert "not a PDF file: the name says .pdf" in records["cost_sheets/fake.pdf"].error
    assert "not in a known input folder" in records["stray.txt"].error
    assert "symbolic link" in records["prices/link.csv"].error


def test_publish_does_not_disturb_an_open_reader(tmp_path):
    wh = Warehouse(tmp_path / "leaks.duckdb")
    with wh.connect() as con:
        con.execute("CREATE TABLE core.t AS SELECT 1 AS v")
    wh.publish()
    reader = duckdb.connect(str(wh.published), read_only=True)
    with wh.connect() as con:  # a writer is not blocked by the analyst's open connection
        con.execute("INSERT INTO core.t VALUES (2)")
    wh.publish()
    assert reader.execute("SELECT count(*) FROM core.t").fetchone()[0] == 1  # last published state
    reader.close()
    with duckdb.connect(str(wh.published), read_only=True) as fresh:
        assert fresh.execute("SELECT count(*) FROM core.t").fetchone()[0] == 2


def test_writers_are_serialised(tmp_path):
    wh = Warehouse(tmp_path / "leaks.duckdb", lock_timeout_s=30)
    order = []

    def write(tag):
        with wh.connect():
            order.append(f"{tag}-in")
            order.append(f"{tag}-out")

    threads = [threading.Thread(target=write, args=(i,)) for i in range(3)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert all(order[i].split("-")[0] == order[i + 1].split("-")[0] for i in range(0, 6, 2))


def test_busy_warehouse_times_out_cleanly(tmp_path):
    import fcntl

    from pipelines.lib.warehouse.store import WarehouseBusy

    wh = Warehouse(tmp_path / "leaks.duckdb", lock_timeout_s=0.5)
    wh.published.parent.mkdir(parents=True, exist_ok=True)
    with open(wh.lock_path, "a+") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)
        with pytest.raises(WarehouseBusy, match="another run"):
            with wh.connect():
                pass


def test_transaction_rolls_back_and_unregisters_on_error(tmp_path):
    import pandas as pd

    from pipelines.lib.warehouse.store import transaction

    con = duckdb.connect()
    con.execute("CREATE TABLE t (v INTEGER)")
    with pytest.raises(duckdb.Error):
        with transaction(con, staged=pd.DataFrame({"v": [1, 2]})):
            con.execute("INSERT INTO t SELECT v FROM staged")
            con.execute("INSERT INTO t VALUES ('not a number')")
    assert con.execute("SELECT count(*) FROM t").fetchone()[0] == 0
    with pytest.raises(duckdb.Error):
        con.execute("SELECT * FROM staged")


def _documents(wh: Warehouse) -> int:
    with wh.connect() as con:
        return con.execute("SELECT count(*) FROM core.document_inventory").fetchone()[0]


@pytest.mark.parametrize("stale", ["another digest", None])
def test_a_warehouse_built_under_another_schema_is_set_aside_and_rebuilt(tmp_path, stale):
    """CREATE TABLE IF NOT EXISTS keeps a table's old columns: after a code update that changed the
    schema, the working file is moved aside (kept) and the warehouse is built afresh."""
    wh = Warehouse(tmp_path / "leaks.duckdb")
    with wh.connect() as con:
        con.execute("INSERT INTO core.document_inventory (path, kind, first_seen_at) VALUES ('a.csv', 'prices', now())")
        if stale is None:
            con.execute("DROP TABLE meta.schema_digest")        # a file from before the digest was kept
        else:
            con.execute("UPDATE meta.schema_digest SET digest = ?", [stale])
    again = Warehouse(tmp_path / "leaks.duckdb")
    assert _documents(again) == 0
    assert "another version of pipelines/sql/core/schema.sql" in again.recovered
    kept = list(tmp_path.glob(".leaks.duckdb.work.old-schema-*"))
    assert len(kept) == 1
    with duckdb.connect(str(kept[0]), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM core.document_inventory").fetchone()[0] == 1


def test_a_warehouse_under_todays_schema_is_kept(tmp_path):
    wh = Warehouse(tmp_path / "leaks.duckdb")
    with wh.connect() as con:
        con.execute("INSERT INTO core.document_inventory (path, kind, first_seen_at) VALUES ('a.csv', 'prices', now())")
    again = Warehouse(tmp_path / "leaks.duckdb")
    assert _documents(again) == 1 and again.recovered is None
    assert not list(tmp_path.glob(".leaks.duckdb.work.old-schema-*"))


def test_sql_statements_end_at_a_semicolon_in_code_not_in_a_comment(tmp_path, monkeypatch):
    from pipelines.lib.warehouse import sql

    (tmp_path / "x.sql").write_text(
        "-- a note; it ends with a semicolon;\n"
        "CREATE TABLE t (a INTEGER,   -- 'over 15 years' = 15;\n"
        "                b VARCHAR);  -- done\n"
        "INSERT INTO t VALUES (1, 'a -- b;');\n"
        "SELECT * FROM t\n", encoding="utf-8")
    monkeypatch.setattr(sql, "SQL_DIR", tmp_path)
    sql.load_sql.cache_clear()
    sql.statements.cache_clear()
    try:
        got = sql.statements("x.sql")
        assert len(got) == 3
        with duckdb.connect() as con:
            sql.run_file(con, "x.sql")
            assert con.execute("SELECT * FROM t").fetchall() == [(1, "a -- b;")]
    finally:
        sql.load_sql.cache_clear()
        sql.statements.cache_clear()
