"""The model stage inside the pipeline, on the bundled sample: the marts, their physics, the run-time
configuration (windows, assumptions file), the skip on unchanged inputs and the blocking checks."""
import dagster as dg
import duckdb
import pytest

from pipelines.defs.models import assets as model_assets
from pipelines.defs.models import checks as model_checks
from pipelines.lib.warehouse.sql import load_sql
from pipelines.resources import ModelAssumptionsResource, WarehouseResource

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def sample(tmp_path_factory, extract_cache):
    from conftest import run_bundled

    return run_bundled(tmp_path_factory, extract_cache, "models")


def _materialize_models(run, run_config=None, assumptions_file=""):
    """Only the models step, on the run's working warehouse; returns the result and a reader of that file.
    `assumptions_file`: the LEAKPIPE_ASSUMPTIONS setting (empty: the bundled file)."""
    resource = WarehouseResource(path=str(run.warehouse))
    result = dg.materialize([model_assets.models, *model_checks.model_checks],
                            resources={"warehouse": resource,
                                       "model_assumptions": ModelAssumptionsResource(path=str(assumptions_file))},
                            run_config=run_config or {}, instance=dg.DagsterInstance.ephemeral(),
                            raise_on_error=False)
    return result, resource.handle().work_path


def test_every_model_mart_is_built_with_its_assumption_set(sample):
    counts = dict(sample.query(
        "SELECT table_name, estimated_size FROM duckdb_tables() WHERE schema_name = 'marts'"))
    for mart in model_assets.MARTS:
        assert sample.query(f"SELECT count(*) FROM marts.{mart}")[0][0] > 0, mart
        sets = sample.query(f"SELECT DISTINCT assumption_set FROM marts.{mart}")
        assert len(sets) == 1, (mart, sets)
    assert "rally_attribution" in counts


def test_the_physics_shows_in_the_sample(sample):
    share = dict(sample.query(
        "SELECT coin, max(network_share_p95) FROM marts.mining_contribution_daily "
        "WHERE date BETWEEN '2023-10-01' AND '2024-03-31' GROUP BY coin"))
    assert share["BTC"] < 1e-4                      # vanishingly small on Bitcoin
    assert share["ETC"] > 0.05                      # a small GPU network the fleet could dominate
    assert sample.query("SELECT max(network_share_p95), max(usd_per_day_p95) FROM marts.mining_contribution_daily "
                        "WHERE coin = 'ETH' AND date > '2022-09-15'")[0] == (0.0, 0.0)
    assert sample.query("SELECT count(*) FROM marts.mining_profitability_daily "
                        "WHERE coin = 'ETH' AND date > '2022-09-15'")[0][0] == 0
    assert sample.query("SELECT count(*) FROM marts.mining_profitability_daily "
                        "WHERE coin = 'ETH' AND date <= '2022-09-14'")[0][0] > 0
    # The leaks' own prices are priced too, only on the days their lines cover.
    assert sample.query("SELECT count(*) FROM marts.mining_profitability_daily WHERE price_basis = 'leak'")[0][0] > 0


def test_attribution_covers_both_default_windows_with_intervals(sample):
    # ordered shares, or (a falling window, an unknown channel) NULL shares with the reason
    rows = sample.query("SELECT coin, window_start, window_end, subject, count(*), "
                        "bool_and(CASE WHEN share_p50 IS NULL THEN share_reason IS NOT NULL AND share_p05 IS NULL "
                        "AND share_p95 IS NULL ELSE share_p05 <= share_p50 AND share_p50 <= share_p95 END) "
                        "FROM marts.rally_attribution GROUP BY ALL ORDER BY ALL")
    windows = {(str(s), str(e)) for _, s, e, *_ in rows}
    assert windows == {("2023-10-01", "2024-03-31"), ("2024-10-01", "2024-12-31")}
    assert all(n == 4 and ordered for *_, n, ordered in rows)
    assert ("BTC", "spot_etf_flows") in {(c, s) for c, _, _, s, *_ in rows}
    # the sample's XMR fell over the rally window (log return -0.139): no shares, its log-return points instead
    falling = sample.query("SELECT coin, window_name, count(*), count(share_p50), count(log_return_p50), "
                           "min(share_reason) LIKE 'not a rally: the price fell over the window%' "
                           "FROM marts.rally_attribution WHERE rally_log_return <= 0 GROUP BY ALL")
    assert falling == [("XMR", "rally", 4, 0, 4, True)]
    tornado = sample.query("SELECT assumption FROM marts.sensitivity WHERE metric = 'rally_share' AND coin = 'BTC' "
                           "AND subject = 'spot_etf_flows' AND channel = 'flow' AND rank = 1")
    assert tornado == [("price_impact_multiplier",)]


def test_windows_and_assumptions_are_run_time_config_and_unchanged_inputs_skip(sample, tmp_path):
    result, work = _materialize_models(sample)
    assert result.success
    rebuilt = [m.metadata["rebuilt"].value for m in result.get_asset_materialization_events()
               for m in [m.event_specific_data.materialization]]
    assert rebuilt == [False] * len(model_assets.MARTS)          # nothing changed since the pipeline run

    config = {"ops": {"models": {"config": {"windows": {"q1_2024": ["2024-01-01", "2024-03-31"]}}}}}
    result, work = _materialize_models(sample, config)
    assert result.success
    with duckdb.connect(str(work), read_only=True) as con:
        assert con.execute("SELECT DISTINCT window_name, window_start, window_end FROM marts.rally_attribution"
                           ).fetchall() == [("q1_2024", *map(__import__("datetime").date.fromisoformat,
                                                             ["2024-01-01", "2024-03-31"]))]

    from importlib import resources
    text = resources.files("pipelines.reference").joinpath("model_assumptions.toml").read_text("utf-8")
    other = tmp_path / "assumptions.toml"
    other.write_text(text.replace('version = "', 'version = "test-').replace("low = 0.05\ncentral = 0.20\nhigh = 0.50",
                                                                         "low = 0.0\ncentral = 0.0\nhigh = 0.0"))
    result, work = _materialize_models(sample, {"ops": {"models": {"config": {"assumptions_file": str(other)}}}})
    assert result.success
    with duckdb.connect(str(work), read_only=True) as con:
        assert con.execute("SELECT DISTINCT assumption_set FROM marts.ai_fleet_daily").fetchone()[0].startswith("test-")
        assert con.execute("SELECT max(idle_gpus_p95) FROM marts.ai_fleet_daily").fetchone()[0] == 0   # idle share 0

    broken = tmp_path / "broken.toml"
    broken.write_text(text.replace("low = 0.05\ncentral = 0.20", "low = 0.5\ncentral = 0.20"))
    result, _ = _materialize_models(sample, {"ops": {"models": {"config": {"assumptions_file": str(broken)}}}})
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure)
    assert "idle_share" in failure.event_specific_data.error.message


def test_the_assumptions_setting_is_read_and_the_run_config_overrides_it(sample, tmp_path):
    """LEAKPIPE_ASSUMPTIONS reaches the models through the model_assumptions resource (not os.environ);
    the run config's assumptions_file wins over it for one run."""
    from importlib import resources
    text = resources.files("pipelines.reference").joinpath("model_assumptions.toml").read_text("utf-8")
    setting = tmp_path / "setting.toml"
    setting.write_text(text.replace('version = "', 'version = "setting-'))
    override = tmp_path / "override.toml"
    override.write_text(text.replace('version = "', 'version = "override-'))
    for config, expected in [({}, "setting-"),
                             ({"ops": {"models": {"config": {"assumptions_file": str(override)}}}}, "override-")]:
        result, work = _materialize_models(sample, config, assumptions_file=setting)
        assert result.success
        with duckdb.connect(str(work), read_only=True) as con:
            sets = con.execute("SELECT DISTINCT assumption_set FROM marts.ai_fleet_daily").fetchall()
        assert len(sets) == 1 and sets[0][0].startswith(expected), sets

    broken = tmp_path / "broken.toml"
    broken.write_text(text.replace("low = 0.05\ncentral = 0.20", "low = 0.5\ncentral = 0.20"))
    result, _ = _materialize_models(sample, assumptions_file=broken)
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure)
    assert f"cannot use the model assumptions {broken}" in failure.event_specific_data.error.message


@pytest.mark.parametrize("corruption, check", [
    ("UPDATE marts.ai_fleet_daily SET gpus_p05 = gpus_p95 + 1 WHERE company = 'Meta'", "quantiles"),
    ("UPDATE marts.mining_contribution_daily SET network_share_p95 = 0.5, network_share_p50 = 0.4, "
     "network_share_p05 = 0.3 WHERE coin = 'ETH' AND date = '2022-10-01'", "physics"),
    ("DELETE FROM marts.rally_attribution WHERE channel = 'event' AND coin = 'BTC'", "complete"),
    ("INSERT INTO marts.mining_profitability_daily SELECT * FROM marts.mining_profitability_daily LIMIT 1", "complete"),
])
def test_the_model_checks_catch_a_broken_mart(sample, tmp_path, corruption, check):
    import shutil
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(sample.warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        assert con.execute(load_sql(f"marts/models_check_{check}.sql")).fetchall() == []
        con.execute(corruption)
        assert con.execute(load_sql(f"marts/models_check_{check}.sql")).fetchall() != []


def test_a_mart_is_staged_as_arrow_unless_a_column_has_no_one_arrow_type():
    import pandas as pd
    import pyarrow as pa

    from pipelines.defs.models.assets import _arrow

    plain = pd.DataFrame({"day": pd.to_datetime(["2024-01-01", None]), "reason": ["x", None], "v": [1.0, float("nan")]})
    staged = _arrow(plain)
    assert isinstance(staged, pa.Table) and staged.column("reason").to_pylist() == ["x", None]
    mixed = pd.DataFrame({"what": [1, "one"]})          # ints and text in one object column
    assert _arrow(mixed) is mixed
