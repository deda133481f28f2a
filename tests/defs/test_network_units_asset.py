"""The network asset applies the hashrate-unit cross-check (issue 18, point 1) with the closes and devices
the warehouse holds: a chain-statistics file whose hashrate is 10^12 off is quarantined with the expected
unit, the correct file beside it loads, and a re-run changes nothing."""
import shutil

import dagster as dg

from pipelines.defs.chain.assets import network_observations
from pipelines.defs.ingest.assets import documents
from pipelines.defs.market.assets import price_observations
from pipelines.defs.reference.assets import hardware_specs
from pipelines.resources import RawFolderResource, WarehouseResource
from tests.conftest import BUNDLED_RAW


def test_a_network_file_in_the_wrong_unit_is_quarantined_by_the_asset(tmp_path):
    raw = tmp_path / "raw"
    for folder in ("prices", "hardware"):
        shutil.copytree(BUNDLED_RAW / folder, raw / folder)
    (raw / "network").mkdir()
    shutil.copy2(BUNDLED_RAW / "network" / "xmr_coinmetrics.csv", raw / "network")
    # Coin Metrics' ETC HashRate is in TH/s; a copy written in H/s reads 10^12 too small
    lines = (BUNDLED_RAW / "network" / "etc_coinmetrics.csv").read_text().splitlines()
    head = lines[0].split(",")
    col = head.index("HashRate")
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.split(",")
        cells[col] = repr(float(cells[col]) * 1e-12)
        out.append(",".join(cells))
    (raw / "network" / "etc_coinmetrics.csv").write_text("\n".join(out) + "\n")

    warehouse = WarehouseResource(path=str(tmp_path / "leaks.duckdb"))
    resources = {"warehouse": warehouse, "raw": RawFolderResource(path=str(raw))}
    assets = [documents, price_observations, hardware_specs, network_observations]
    for _ in range(2):   # a re-run changes nothing
        assert dg.materialize(assets, resources=resources).success
        with warehouse.handle().connect() as con:
            quarantined = con.execute(
                "SELECT locator, reason FROM core.quarantine WHERE check_name = 'network.hashrate_unit_implausible'"
            ).fetchall()
            loaded = dict(con.execute("SELECT coin, count(*) FROM core.network_observations GROUP BY coin").fetchall())
        assert len(quarantined) == 1
        locator, reason = quarantined[0]
        assert "ETC" in locator and "TH/s" in reason and "too small" in reason
        assert "ETC" not in loaded and loaded.get("XMR", 0) > 300
