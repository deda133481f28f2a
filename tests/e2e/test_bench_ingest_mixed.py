"""bench/ingest_mixed.py (issue 19, point 5) at a tiny scale: it generates its corpora, runs the intake
on each, finds every page of every format and member, and reports its three targets."""
import json
import os
import re
import subprocess
import sys

from pipelines.lib.common.settings import PROJECT_ROOT


def test_the_mixed_intake_bench_runs_at_a_tiny_scale(tmp_path):
    rows = tmp_path / "rows.jsonl"
    env = {**os.environ, "LEAKPIPE_BENCH_ROWS": str(rows)}
    out = subprocess.run([sys.executable, "bench/ingest_mixed.py", "--files", "6", "--small-files", "2",
                          "--pdf-pages", "20", "--workers", "1", "--out", str(tmp_path / "out")],
                         cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]   # no PROBLEM line
    # 6 files: an XLSX (2 sheets), a 14-page PDF, an e-mail (XLSX + 5-page PDF), a DOCX, a zip (CSV, DOCX
    # and a nested zip holding a 5-page PDF and a CSV) and a PNG: 10 documents, 33 pages, all read
    first = re.search(r"mixed, first\s+(\d+) files\s+(\d+) documents\s+(\d+) pages", out.stdout)
    assert first and first.groups() == ("6", "10", "33"), out.stdout
    again = re.search(r"mixed, unchanged\s+(\d+) files\s+(\d+) documents\s+(\d+) pages", out.stdout)
    assert again and again.groups() == ("6", "10", "33"), out.stdout
    assert len(re.findall(r"pdf-only, (?:before|after)\s+1 files\s+1 documents\s+20 pages", out.stdout)) == 2
    assert "mixed corpus: 13 registered files (7 members of 3 archives and e-mails)" in out.stdout
    recorded = [json.loads(line) for line in rows.read_text().splitlines()]
    assert [r["target"] for r in recorded] == ["<= 1.5x", "<= 1.5x", "<= 0.05x"]
    assert all(r["project"] > 0 and r["baseline"] > 0 for r in recorded)
    assert recorded[2]["project"] < recorded[2]["baseline"]   # the unchanged re-run is faster than the first
