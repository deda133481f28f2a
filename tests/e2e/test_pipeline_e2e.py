"""The whole graph on the bundled sample and on a folder with bad files."""
import datetime as dt

import pytest

pytestmark = pytest.mark.e2e


def test_bundled_sample_loads_and_a_rerun_changes_nothing(bundled_raw, pipeline):
    run = pipeline(bundled_raw)
    span, compute, _ = run.run()
    assert span == (dt.date(2022, 7, 1), dt.date(2024, 12, 31))
    files = sum(1 for p in bundled_raw.rglob("*") if p.is_file())
    # files in = top-level rows; the sample archive's and e-mail's members are rows of their own
    assert run.query("SELECT count(*) FROM core.documents WHERE parent_document_id IS NULL")[0][0] == files
    assert run.query("SELECT count(*) FROM core.documents WHERE parent_document_id IS NOT NULL")[0][0] == 4
    # the sample leaks include bad files on purpose (tests/lib/costsheets/truth/cost_sheet_documents.csv); all else loads
    assert run.query("SELECT count(*) FROM core.documents WHERE status <> 'loaded' AND kind <> 'cost_sheet'")[0][0] == 0
    assert run.query("SELECT count(*) FROM core.cost_sheet_lines")[0][0] > 100
    for table in ["prices_daily", "network_daily", "fx_daily", "fund_flows_daily", "hardware_specs", "events"]:
        assert run.query(f"SELECT count(*) FROM core.{table}")[0][0] > 0, table
    assert run.query("SELECT list_sort(list(DISTINCT asset)) FROM core.prices_daily")[0][0] == ["BTC", "ETC", "ETH", "XMR"]
    # USD-quoted Yahoo beats the Binance USDT pair on the days both give.
    assert run.query("SELECT source FROM core.prices_daily WHERE asset='BTC' AND date='2024-03-13'")[0][0] \
        == "yahoo:BTC-USD.csv"
    assert run.query("SELECT consensus FROM core.network_daily WHERE coin='ETH' AND date='2022-09-14'")[0][0] == "pow"
    assert run.query("SELECT consensus FROM core.network_daily WHERE coin='ETH' AND date='2022-09-16'")[0][0] == "pos"
    # Synthesised sample rows say so; the real facts they are built around do not.
    flags = dict(run.query(
        "SELECT 'price ' || asset || ' ' || date, is_synthetic FROM core.prices_daily "
        "WHERE asset IN ('BTC', 'ETC', 'XMR') AND date IN ('2024-01-31', '2024-02-14') "
        "UNION ALL SELECT 'network ' || coin || ' ' || date, is_synthetic FROM core.network_daily "
        "WHERE (coin = 'ETH' AND date IN ('2022-07-10', '2022-09-14')) OR (coin = 'ETC' AND date = '2023-05-05') "
        "UNION ALL SELECT 'fx ' || date, is_synthetic FROM core.fx_daily "
        "WHERE currency = 'EUR' AND date IN ('2024-01-02', '2024-02-14')"))
    assert flags == {
        "price BTC 2024-01-31": False, "price BTC 2024-02-14": True, "price ETC 2024-01-31": False,
        "price ETC 2024-02-14": True, "price XMR 2024-01-31": False, "price XMR 2024-02-14": True,
        "network ETH 2022-07-10": True, "network ETH 2022-09-14": False, "network ETC 2023-05-05": True,
        "fx 2024-01-02": False, "fx 2024-02-14": True}
    before = run.snapshot()
    run.run()
    assert run.snapshot() == before


def test_bad_files_and_rows_are_quarantined_and_the_rest_loads(bundled_raw, pipeline):
    (bundled_raw / "prices" / "empty.csv").write_bytes(b"")
    (bundled_raw / "prices" / "garbage.csv").write_text("foo,bar\n1,2\n")
    (bundled_raw / "prices" / "copy.csv").write_bytes((bundled_raw / "prices" / "BTC-USD.csv").read_bytes())
    (bundled_raw / "network" / "binary.csv").write_bytes(b"\x00\x01\x02" * 100)
    (bundled_raw / "fx" / "ecb_bad.csv").write_text("date,usd_per_eur\n2030-01-01,1.1\n2024-02-30,1.1\n2024-03-01,x\n")
    (bundled_raw / "notes.txt").write_text("stray file")
    run = pipeline(bundled_raw)
    run.run()
    files = sum(1 for p in bundled_raw.rglob("*") if p.is_file())
    status = dict(run.query("SELECT path, status FROM core.documents WHERE parent_document_id IS NULL"))
    assert len(status) == files
    assert status["prices/empty.csv"] == "quarantined"
    assert status["prices/garbage.csv"] == "quarantined"
    assert status["network/binary.csv"] == "quarantined"
    assert status["notes.txt"] == "quarantined"
    assert status["prices/copy.csv"] == "duplicate" or status["prices/BTC-USD.csv"] == "duplicate"
    assert status["fx/ecb_bad.csv"] == "loaded"
    reasons = dict(run.query("SELECT locator, check_name FROM core.quarantine q JOIN core.documents d "
                             "USING (document_id) WHERE d.path = 'fx/ecb_bad.csv'"))
    assert reasons == {"line 2": "fx.future_date", "line 3": "fx.unparseable_date", "line 4": "fx.unparseable_rate"}
    errors = dict(run.query("SELECT path, error FROM core.documents WHERE status = 'quarantined'"))
    assert all(errors[p] for p in errors)
    assert run.query("SELECT count(*) FROM core.prices_daily WHERE asset='BTC'")[0][0] == 915
