"""An analyst holding the published warehouse open neither blocks nor breaks a full run, and sees the
last published state until the run publishes."""
import json
import subprocess
import sys
import textwrap

import duckdb
import pytest

READER = textwrap.dedent("""
    import json, select, sys
    from pathlib import Path
    from pipelines.lib.warehouse.analyst import connect

    con = connect(Path(sys.argv[1]))      # what `leakpipe query` opens: read-only, files and network off
    def state():
        return list(con.execute("SELECT (SELECT count(*) FROM core.events), (SELECT count(*) FROM core.documents), "
                                "(SELECT count(*) FROM marts.rally_attribution)").fetchall()[0])
    print(json.dumps(state()), flush=True)
    seen, errors, reads = set(), [], 0
    while not select.select([sys.stdin], [], [], 0.05)[0]:   # query until told to stop
        try:
            seen.add(tuple(state()))
            reads += 1
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
    print(json.dumps({"seen": sorted(seen), "errors": errors, "reads": reads, "last": state()}), flush=True)
""")


@pytest.mark.e2e
def test_a_reader_held_open_across_a_full_run(tmp_path_factory, extract_cache):
    from conftest import run_bundled

    sample = run_bundled(tmp_path_factory, extract_cache, "reader")
    reader = subprocess.Popen([sys.executable, "-c", READER, str(sample.warehouse)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        before = json.loads(reader.stdout.readline())
        # A new input: one more event and one more document once the run publishes.
        (sample.raw / "events" / "added.csv").write_text("date,asset,kind,title,source\n"
                                                         "2024-02-28,BTC,etf,Record ETF inflow day,test\n")
        sample.run()                      # the whole pipeline, while the reader keeps querying
        out, err = reader.communicate("stop\n", timeout=120)
    finally:
        reader.kill()
    assert reader.returncode == 0, err
    during = json.loads(out.strip().splitlines()[-1])
    assert during["errors"] == [] and during["reads"] > 10
    assert during["seen"] == [before]    # every read during the run saw the last published state
    assert during["last"] == before      # and the held connection still does after the publish
    with duckdb.connect(str(sample.warehouse), read_only=True) as fresh:   # a new connection sees the run
        events, documents = fresh.execute("SELECT (SELECT count(*) FROM core.events), "
                                          "(SELECT count(*) FROM core.documents)").fetchall()[0]
    assert (events, documents) == (before[0] + 1, before[1] + 1)
