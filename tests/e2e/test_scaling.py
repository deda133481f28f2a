"""Beyond one machine: the definitions load with a Dask executor configured, and extraction workers
are stateless (the same rows whichever process, pool or cluster runs them). See docs/scaling.md."""
import concurrent.futures as cf
import multiprocessing
import os
import subprocess
import sys

import dagster as dg
import pandas as pd
import pytest

from pipelines.lib.costsheets.executors import open_executor, parse_executor
from pipelines.lib.costsheets.extract import (
    Limits,
    _paths,
    cache_key,
    cache_misses,
    extract_all,
    extract_to_cache,
    read_rows,
)
from pipelines.lib.common.settings import PROJECT_ROOT, load_settings

SHEETS = PROJECT_ROOT / "raw" / "cost_sheets"
# The scan is left out: OCR would dominate the time and is not what is being compared here.
DOCS = [(p, f"id-{p.name}", p.name) for p in sorted(SHEETS.iterdir())
        if p.is_file() and p.name != "scan_standort_dublin.pdf"]
DASK = "dask://127.0.0.1:8786"


# ----------------------------------------------------------------------------- configuration

def test_the_definitions_load_with_a_dask_executor_configured(tmp_path):
    from pipelines.definitions import build_definitions

    built = build_definitions({"LEAKPIPE_EXTRACT_EXECUTOR": DASK, "LEAKPIPE_RAW_DIR": str(tmp_path / "raw"),
                               "LEAKPIPE_WAREHOUSE": str(tmp_path / "w.duckdb")})
    dg.Definitions.validate_loadable(built)
    assert built.resources["extraction"].executor == DASK
    assert built.resolve_job_def("ingest_job") is not None


def test_loading_the_code_location_needs_neither_a_scheduler_nor_distributed():
    # Every Dagster step process imports the code location: `distributed` must stay out of it.
    code = ("import sys; from pipelines.definitions import defs; "
            "assert defs.resources['extraction'].executor == 'dask://127.0.0.1:8786'; "
            "print('distributed' in sys.modules)")
    env = {**os.environ, "LEAKPIPE_EXTRACT_EXECUTOR": DASK}
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=PROJECT_ROOT, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("value, expected", [(None, "local"), ("", "local"), (" LOCAL ", "local"),
                                             ("dask://10.0.0.5:8786/", "dask://10.0.0.5:8786")])
def test_executor_setting(value, expected):
    # the settings keep the value as given; the cost-sheet code normalises it for the extraction resource
    from pipelines.resources import build_resources

    env = {} if value is None else {"LEAKPIPE_EXTRACT_EXECUTOR": value}
    assert build_resources(env)["extraction"].executor == expected
    assert parse_executor(load_settings(env).extract_executor) == expected


@pytest.mark.parametrize("value", ["celery", "dask://", "dask://host", "tcp://host:8786", "dask://h:port"])
def test_a_wrong_executor_setting_is_refused_with_the_choices(value):
    with pytest.raises(ValueError, match="'local' or 'dask://host:port'"):
        parse_executor(value)


def test_a_wrong_executor_setting_stops_the_code_location_and_the_cli_with_the_choices(tmp_path):
    """The settings only carry the value; it is refused as the definitions are built (make run, dagster dev)
    and by the analysts' command line, with the same message as before."""
    from click.testing import CliRunner

    from pipelines.cli import cli
    from pipelines.definitions import build_definitions

    env = {"LEAKPIPE_EXTRACT_EXECUTOR": "celery", "LEAKPIPE_WAREHOUSE": str(tmp_path / "w.duckdb")}
    assert load_settings(env).extract_executor == "celery"
    with pytest.raises(ValueError, match=r"^LEAKPIPE_EXTRACT_EXECUTOR='celery': expected 'local' or "
                                         r"'dask://host:port' \(a dask.distributed scheduler\)$"):
        build_definitions(env)
    out = CliRunner().invoke(cli, ["status"], env=env)
    assert out.exit_code == 1
    assert "configuration: LEAKPIPE_EXTRACT_EXECUTOR='celery': expected 'local' or 'dask://host:port'" in out.output


# ----------------------------------------------------------------------------- stateless workers

@pytest.fixture(scope="module")
def cluster():
    try:
        from distributed import LocalCluster
    except ImportError:
        pytest.skip("dask.distributed is not installed: pip install -e '.[dev]'")
    # dask is a dev dependency: a cluster that does not start is a failure to look at, not a skip.
    local = LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0",
                         silence_logs=40)
    with local:
        yield local


def _frames_and_statuses(cache, results):
    return read_rows(cache, results, Limits(), None), [(e.path, e.status, e.check, e.rows) for e in results]


def test_a_dask_cluster_extracts_exactly_what_one_process_and_the_local_pool_extract(cluster, tmp_path):
    inline = extract_all(DOCS, tmp_path / "inline", Limits(), None, workers=1)
    pooled = extract_all(DOCS, tmp_path / "pool", Limits(), None, workers=2)
    address = cluster.scheduler_address.replace("tcp://", "dask://")
    with open_executor(address, tmp_path / "dask", SHEETS) as (executor, parallelism):
        assert parallelism == 2
        on_dask = extract_all(DOCS, tmp_path / "dask", Limits(), None, workers=parallelism, executor=executor)
        # The cluster stays up and usable: extract_all never shuts down an executor it was given.
        assert executor.submit(os.getpid).result(timeout=30) != os.getpid()

    rows, statuses = _frames_and_statuses(tmp_path / "inline", inline)
    assert {s for _, s, _, _ in statuses} == {"loaded", "quarantined"} and len(rows) > 0
    for cache, results in [(tmp_path / "pool", pooled), (tmp_path / "dask", on_dask)]:
        other_rows, other_statuses = _frames_and_statuses(cache, results)
        assert other_statuses == statuses
        pd.testing.assert_frame_equal(other_rows, rows)
    assert not any(e.cached for e in on_dask)
    assert cache_misses(DOCS, tmp_path / "dask", Limits(), None) == []  # a re-run needs no cluster
    assert cache_misses(DOCS, tmp_path / "empty", Limits(), None) == DOCS
    again = extract_all(DOCS, tmp_path / "dask", Limits(), None, executor=cf.ThreadPoolExecutor(1))
    assert all(e.cached for e in again)  # the cluster's cache entries are read like local ones


def test_a_worker_that_does_not_see_the_shared_folders_is_refused(cluster, tmp_path):
    address = cluster.scheduler_address.replace("tcp://", "dask://")
    with pytest.raises(RuntimeError, match="same paths"):
        with open_executor(address, tmp_path / "cache", tmp_path / "not-there"):
            pass


def _extract_in(process_pool, document, cache_dir):
    path, document_id, relative = document
    return process_pool.submit(extract_to_cache, str(path), document_id, relative, str(cache_dir), Limits(),
                               None).result(timeout=120)


def test_the_same_document_gives_byte_identical_parquet_in_two_processes(cluster, tmp_path):
    from distributed import Client

    loaded = [d for d in DOCS if d[2] in {"de_kostenrechnung_q1_2024.pdf", "en_idle_mining_h2_2023.pdf",
                                           "multi_page_fleet_2023.pdf", "cost_sheet_2024.xlsx",
                                           "kostenblatt_export.csv"}]
    key = cache_key(Limits(), None)
    with Client(cluster, set_as_default=False) as client:
        first, second = sorted(client.scheduler_info()["workers"])
        pids = client.run(os.getpid)
        assert pids[first] != pids[second]
        for name, worker in [("a", first), ("b", second)]:
            futures = [client.submit(extract_to_cache, str(p), i, r, str(tmp_path / name), Limits(), None,
                                     workers=[worker], pure=False) for p, i, r in loaded]
            assert all(f["status"] == "loaded" for f in client.gather(futures))
    with cf.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        for document in loaded:
            _extract_in(pool, document, tmp_path / "c")
    for _, document_id, relative in loaded:
        a, b, c = (_paths(tmp_path / name, document_id, key, relative)[0].read_bytes() for name in "abc")
        assert a == b == c, relative


def test_a_scheduler_without_workers_is_an_error_that_says_so(tmp_path):
    try:
        from distributed import LocalCluster
    except ImportError:
        pytest.skip("dask.distributed is not installed: pip install -e '.[dev]'")
    empty = LocalCluster(n_workers=0, processes=False, protocol="tcp://", dashboard_address=":0", silence_logs=40)
    with empty, pytest.raises(RuntimeError, match="has no workers"):
        with open_executor(empty.scheduler_address.replace("tcp://", "dask://"), tmp_path, tmp_path,
                           connect_timeout_s=1):
            pass


def test_an_unreachable_scheduler_is_an_error_that_names_the_setting(tmp_path):
    import socket

    pytest.importorskip("distributed", reason="dask.distributed is not installed: pip install -e '.[dev]'")
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(RuntimeError, match=f"LEAKPIPE_EXTRACT_EXECUTOR=dask://127.0.0.1:{port}: no Dask scheduler"):
        with open_executor(f"dask://127.0.0.1:{port}", tmp_path, tmp_path, connect_timeout_s=1):
            pass
