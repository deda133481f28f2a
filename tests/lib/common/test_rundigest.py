"""The whole-run digest that makes an unchanged `make run` a no-op (issue 20, point 2)."""
import datetime as dt
import os

from pipelines.lib.common.rundigest import RunDigest, fingerprint_folder
from pipelines.lib.common.settings import load_settings


def _setup(tmp_path, **extra):
    raw = tmp_path / "raw"
    (raw / "prices").mkdir(parents=True)
    (raw / "prices" / "BTC.csv").write_text("Date,Close\n2024-01-01,1\n")
    reports = tmp_path / "reports"
    for rel in ("report/report.html", "data_docs/index.html", "exports/x.csv"):
        (reports / rel).parent.mkdir(parents=True)
        (reports / rel).write_text("x")
    (tmp_path / "w").mkdir()
    (tmp_path / "w" / "leaks.duckdb").write_bytes(b"db")
    (tmp_path / "w" / ".leaks.duckdb.work").write_bytes(b"db")
    for index in (".search_index.work", ".search_index.v1"):       # the search index, working and published
        (tmp_path / "w" / index).mkdir()
        (tmp_path / "w" / index / "meta.json").write_text("{}")
    (tmp_path / "w" / "search_index").symlink_to(".search_index.v1")
    env = {"LEAKPIPE_RAW_DIR": str(raw), "LEAKPIPE_WAREHOUSE": str(tmp_path / "w" / "leaks.duckdb"),
           "LEAKPIPE_REPORTS_DIR": str(reports), **extra}
    return raw, load_settings(env)


def test_an_unchanged_folder_is_a_noop_and_each_change_says_why(tmp_path):
    raw, settings = _setup(tmp_path)
    assert RunDigest.of(settings).unchanged_since_last_run() == (
        None, ["no record of a previous successful run on this warehouse"])
    RunDigest.of(settings).record((dt.date(2024, 1, 1), dt.date(2024, 1, 1)), "2024-01-02T00:00:00+00:00")
    previous, reasons = RunDigest.of(settings).unchanged_since_last_run()
    assert reasons == [] and previous["span"] == ["2024-01-01", "2024-01-01"]

    path = raw / "prices" / "BTC.csv"                    # touched, same bytes: still a no-op
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert RunDigest.of(settings).unchanged_since_last_run()[1] == []

    path.write_text("Date,Close\n2024-01-01,2\n")        # same size, other content
    assert RunDigest.of(settings).unchanged_since_last_run()[1] == ["raw changed"]


def test_other_assumptions_or_a_missing_output_rebuild(tmp_path):
    _, settings = _setup(tmp_path)
    RunDigest.of(settings).record(None, "t")
    other = tmp_path / "assumptions.yaml"
    other.write_text("set_id: x\n")
    changed = load_settings({"LEAKPIPE_RAW_DIR": str(settings.raw_dir), "LEAKPIPE_WAREHOUSE": str(settings.warehouse),
                             "LEAKPIPE_REPORTS_DIR": str(settings.reports_dir), "LEAKPIPE_ASSUMPTIONS": str(other)})
    assert RunDigest.of(changed).unchanged_since_last_run()[1] == ["settings changed"]
    (tmp_path / "reports" / "report" / "report.html").unlink()
    reasons = RunDigest.of(settings).unchanged_since_last_run()[1]
    assert len(reasons) == 1 and "report.html is not as the last run left it" in reasons[0]
    (tmp_path / "w" / ".leaks.duckdb.work").write_bytes(b"garbage")   # a damaged working file is repaired
    assert len(RunDigest.of(settings).unchanged_since_last_run()[1]) == 2
    (tmp_path / "w" / "search_index").unlink()            # the published search index is gone: built again
    assert any("search_index/meta.json is not as the last run left it" in r
               for r in RunDigest.of(settings).unchanged_since_last_run()[1])
    RunDigest.of(settings).forget()                       # a run started: no record says 'done' until it ends
    assert RunDigest.of(settings).unchanged_since_last_run()[0] is None


def test_the_fingerprint_rehashes_only_files_whose_size_or_mtime_moved(tmp_path):
    (tmp_path / "a.csv").write_text("1")
    first = fingerprint_folder(tmp_path, {})
    fake = {"a.csv": [first["a.csv"][0], first["a.csv"][1], "recorded"]}
    assert fingerprint_folder(tmp_path, fake)["a.csv"][2] == "recorded"      # not re-read
    (tmp_path / "a.csv").write_text("22")
    assert fingerprint_folder(tmp_path, fake)["a.csv"][2] != "recorded"


def test_raw_changes_name_the_files_only_when_nothing_else_changed(tmp_path):
    raw, settings = _setup(tmp_path)
    assert RunDigest.of(settings).raw_changes() is None                  # no record: read everything
    RunDigest.of(settings).record((dt.date(2024, 1, 1), dt.date(2024, 1, 1)), "t")
    assert RunDigest.of(settings).raw_changes()[0] == []
    (raw / "prices" / "BTC.csv").write_text("Date,Close\n2024-01-01,2\n")   # changed
    (raw / "capex").mkdir()
    (raw / "capex" / "q.csv").write_text("x\n")                              # added
    paths, previous = RunDigest.of(settings).raw_changes()
    assert paths == ["capex/q.csv", "prices/BTC.csv"] and previous["span"] == ["2024-01-01", "2024-01-01"]
    RunDigest.of(settings).record(None, "t")
    (raw / "capex" / "q.csv").unlink()                                       # removed
    assert RunDigest.of(settings).raw_changes()[0] == ["capex/q.csv"]
    other = tmp_path / "assumptions.yaml"                                    # other settings: everything
    other.write_text("set_id: x\n")
    changed = load_settings({"LEAKPIPE_RAW_DIR": str(settings.raw_dir), "LEAKPIPE_WAREHOUSE": str(settings.warehouse),
                             "LEAKPIPE_REPORTS_DIR": str(settings.reports_dir), "LEAKPIPE_ASSUMPTIONS": str(other)})
    assert RunDigest.of(changed).raw_changes() is None
    (tmp_path / "reports" / "report" / "report.html").unlink()               # an output gone: everything
    assert RunDigest.of(settings).raw_changes() is None
