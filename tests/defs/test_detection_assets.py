"""The chain-evidence assets on a small synthetic warehouse (no raw files): the breaks and detectability
marts are written, their blocking checks pass, and the checks' SQL catches rows that break them."""
import datetime as dt

import dagster as dg
import numpy as np
import pandas as pd

from pipelines.defs.detection import assets as detection_assets
from pipelines.defs.detection import checks as detection_checks
from pipelines.lib.warehouse.sql import load_sql
from pipelines.resources import ModelAssumptionsResource, WarehouseResource


def _warehouse(tmp_path):
    resource = WarehouseResource(path=str(tmp_path / "leaks.duckdb"))
    rng = np.random.default_rng(2)
    days = pd.date_range("2023-01-01", "2024-12-31", freq="D")
    logs = np.log(1.5e14) + rng.normal(0, 0.02, len(days))
    logs[days >= "2023-06-01"] += 0.5
    logs[days >= "2024-06-01"] -= 0.3
    net = pd.DataFrame({"coin": "ETC", "date": days.date, "hashrate_hs": np.exp(logs), "consensus": "pow",
                        "sources": "synthetic", "is_synthetic": True})
    with resource.handle().connect() as con:
        con.register("net", net)
        con.execute("INSERT INTO core.network_daily (coin, date, hashrate_hs, consensus, sources, is_synthetic) "
                    "SELECT coin, date, hashrate_hs, consensus, sources, is_synthetic FROM net")
    return resource


def test_assets_write_both_marts_and_pass_their_checks(tmp_path):
    resource = _warehouse(tmp_path)
    result = dg.materialize([detection_assets.hashrate_breaks, detection_assets.fleet_detectability,
                             *detection_checks.detection_checks],
                            resources={"warehouse": resource, "model_assumptions": ModelAssumptionsResource()},
                            instance=dg.DagsterInstance.ephemeral())
    assert result.success
    assert all(e.passed for e in result.get_asset_check_evaluations())
    assert len(result.get_asset_check_evaluations()) == 2
    with resource.handle().connect() as con:
        found = con.execute("SELECT break_date, direction, round(step_log, 1) FROM marts.hashrate_breaks "
                            "ORDER BY break_date").fetchall()
        assert found == [(dt.date(2023, 6, 1), "up", 0.5), (dt.date(2024, 6, 1), "down", -0.3)]
        rows = con.execute("SELECT subject, subject_id, verdict, reason FROM marts.fleet_detectability "
                           "ORDER BY subject_id").fetchall()
    # no model marts in this warehouse: the bundled windows, each unknown with the missing input named
    assert [r[1] for r in rows] == ["late_2024", "rally"]
    assert all(r[0] == "rally_window" and r[2] == "unknown" and "fleet hashrate of ETC" in r[3] for r in rows)


def test_the_checks_catch_rows_that_break_them(tmp_path):
    resource = _warehouse(tmp_path)
    with resource.handle().connect() as con:
        con.execute("INSERT INTO marts.hashrate_breaks VALUES ('ETC', DATE '2023-06-01', 'down', 0.5, 1, 2, 'm', 9, "
                    "0.02, 0.001, 730), ('ETC', DATE '2030-01-01', 'up', 0.5, 1, 2, 'm', 9, 0.02, 0.001, 730)")
        bad = con.execute(load_sql("marts/detection_check_breaks.sql")).fetchall()
        assert [loc for _, loc in bad] == ["ETC 2023-06-01", "ETC 2030-01-01"]
        con.execute("""INSERT INTO marts.fleet_detectability (coin, subject, subject_id, period_start, period_end,
                           implied_step_log_p05, implied_step_log_p50, implied_step_log_p95, min_detectable_step_log,
                           observed_step_log, verdict, reason)
                       VALUES ('ETC', 'rally_window', 'ok', DATE '2023-10-01', DATE '2024-03-31', 0.1, 0.2, 0.4, 0.05,
                               0.0, 'visible_and_absent', 'fine'),
                              ('ETC', 'rally_window', 'unordered', DATE '2023-10-01', DATE '2024-03-31', 0.3, 0.2, 0.4,
                               0.05, 0.0, 'visible_and_absent', 'x'),
                              ('ETC', 'rally_window', 'unsupported', DATE '2023-10-01', DATE '2024-03-31', 0.01, 0.02,
                               0.04, 0.05, 0.0, 'visible_and_absent', 'x'),
                              ('ETC', 'rally_window', 'badverdict', DATE '2023-10-01', DATE '2024-03-31', NULL, NULL,
                               NULL, 0.05, 0.0, 'maybe', 'x'),
                              ('ETC', 'rally_window', 'backwards', DATE '2024-10-01', DATE '2024-03-31', NULL, NULL,
                               NULL, 0.05, 0.0, 'unknown', 'x')""")
        bad = con.execute(load_sql("marts/detection_check_detectability.sql")).fetchall()
    assert sorted(loc.split()[-1] for _, loc in bad) == ["backwards", "badverdict", "unordered", "unsupported"]
