import dagster as dg

from pipelines.definitions import build_definitions, defs


def test_definitions_load_with_groups_jobs_schedule_and_sensors():
    dg.Definitions.validate_loadable(defs)
    groups = {spec.group_name for spec in defs.resolve_all_asset_specs()}
    assert {"ingest", "market", "chain", "reference", "flows", "publish"} <= groups
    assert {"models", "reports", "chain_evidence"} <= groups
    keys = {spec.key for spec in defs.resolve_all_asset_specs()}
    assert {dg.AssetKey(["marts", "hashrate_breaks"]), dg.AssetKey(["marts", "fleet_detectability"])} <= keys
    graph = defs.resolve_asset_graph()
    blocking = {key.name for key in graph.asset_check_keys if graph.get_check_spec(key).blocking}
    assert {"breaks_consistent", "detectability_consistent"} <= blocking
    assert defs.resolve_job_def("daily_tables_job").partitions_def is not None


def test_environment_variables_reach_the_resources(tmp_path):
    built = build_definitions({"LEAKPIPE_RAW_DIR": str(tmp_path / "in"),
                               "LEAKPIPE_WAREHOUSE": str(tmp_path / "w.duckdb"),
                               "LEAKPIPE_REPORTS_DIR": str(tmp_path / "out")})
    raw, reports = built.resources["raw"], built.resources["reports"]
    assert raw.path == str(tmp_path / "in") and reports.path == str(tmp_path / "out")
    assert built.resources["warehouse"].path == str(tmp_path / "w.duckdb")
    # assets read the folders and files as Path, through each resource's property
    assert (raw.root, reports.root, built.resources["warehouse"].published) == (
        tmp_path / "in", tmp_path / "out", tmp_path / "w.duckdb")
    assert built.resources["extraction"].cache == tmp_path / "extract_cache"
    assert built.resources["model_assumptions"].file is None          # the bundled assumptions


def test_the_assumptions_file_setting_reaches_its_resource(tmp_path):
    from pipelines.lib.common.settings import load_settings

    other = tmp_path / "assumptions.toml"
    assert load_settings({"LEAKPIPE_ASSUMPTIONS": str(other)}).assumptions_file == other
    assert load_settings({}).assumptions_file is None
    built = build_definitions({"LEAKPIPE_ASSUMPTIONS": str(other), "LEAKPIPE_WAREHOUSE": str(tmp_path / "w.duckdb")})
    assert built.resources["model_assumptions"].file == other


def test_price_pull_asset_goes_on_when_the_api_is_unreachable(tmp_path):
    import socket

    from pipelines.defs.market.assets import price_pull
    from pipelines.resources import PricePullResource, RawFolderResource

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    puller = PricePullResource(enabled=True, base_url=f"http://127.0.0.1:{port}/api/v3", assets=["BTC"])
    result = dg.materialize([price_pull], resources={"raw": RawFolderResource(path=str(tmp_path)), "puller": puller})
    assert result.success
    metadata = result.asset_materializations_for_node("raw__price_pull")[0].metadata
    assert metadata["ok"].value is False and metadata["files_written"].value == 0
    assert "BTC not updated" in metadata["messages"].value


def test_price_pull_asset_makes_no_request_when_disabled(tmp_path, monkeypatch):
    import urllib.request

    from pipelines.defs.market.assets import price_pull
    from pipelines.resources import PricePullResource, RawFolderResource

    def refuse(*args, **kwargs):
        raise AssertionError("no network request may be made when the puller is off")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    result = dg.materialize([price_pull], resources={"raw": RawFolderResource(path=str(tmp_path)),
                                                     "puller": PricePullResource()})
    assert result.success
    assert result.asset_materializations_for_node("raw__price_pull")[0].metadata["enabled"].value is False


def test_the_loader_finds_every_asset_check_job_schedule_and_sensor_module_under_defs():
    """Nothing under pipelines/defs is listed by hand: each module's definitions reach the code location."""
    import importlib
    import pkgutil

    import pipelines.defs

    assets, checks, sensors, schedules, jobs = set(), set(), set(), set(), set()
    for info in pkgutil.walk_packages(pipelines.defs.__path__, "pipelines.defs."):
        for value in vars(importlib.import_module(info.name)).values():
            items = value if isinstance(value, list) else [value]
            for item in items:
                if isinstance(item, dg.AssetsDefinition):
                    assets.update(item.keys)
                    checks.update(item.check_keys)
                elif isinstance(item, dg.SensorDefinition):
                    sensors.add(item.name)
                elif isinstance(item, dg.ScheduleDefinition):
                    schedules.add(item.name)
                elif isinstance(item, dg.JobDefinition) or type(item).__name__ == "UnresolvedAssetJobDefinition":
                    jobs.add(item.name)
    graph = defs.resolve_asset_graph()
    assert assets and assets <= set(graph.get_all_asset_keys())
    assert checks and checks <= set(graph.asset_check_keys)
    assert sensors == {s.name for s in defs.sensors} == {"raw_folder_sensor", "daily_tables_after_ingest"}
    assert schedules == {s.name for s in defs.schedules} and len(schedules) >= 2
    assert jobs and jobs <= {j.name for j in defs.resolve_all_job_defs()}


def test_dg_check_defs_passes_on_the_project():
    """The dg project layout ([tool.dg] in pyproject.toml) holds: `dg check defs` loads every definition."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    import pytest

    dg_cli = Path(sys.executable).parent / "dg"
    if not dg_cli.exists() and shutil.which("dg") is None:
        pytest.fail("the dg command is missing: it is a dev dependency (dagster-dg-cli), run `make setup`")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([str(dg_cli if dg_cli.exists() else "dg"), "check", "defs"], cwd=root,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "All definitions loaded successfully" in done.stdout + done.stderr
