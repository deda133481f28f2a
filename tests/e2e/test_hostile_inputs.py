"""The hostile-input corpus (tests/e2e/hostile/make_corpus.py) through the whole pipeline, in one run.

Every file is quarantined with a reason or loaded; the run succeeds; memory and time stay bounded;
nothing is fetched from the network; the raw folder is not modified.
"""
import hashlib
import resource
import socket
import time
from pathlib import Path

import pytest

from tests.e2e.hostile.archives import MEMBERS
from tests.e2e.hostile.make_corpus import EITHER, FORMULAS, LOADED, QUARANTINED, build_corpus

pytestmark = pytest.mark.e2e

MAX_EXTRA_RSS_BYTES = 2.5 * 2**30
MAX_WALL_SECONDS = 240


def _entries(raw: Path) -> dict[str, str]:
    """Every file and link under the raw folder -> a fingerprint of its bytes (links: their target)."""
    out = {}
    for p in sorted(raw.rglob("*")):
        rel = p.relative_to(raw).as_posix()
        if p.is_symlink():
            out[rel] = "link:" + str(p.readlink())
        elif p.is_file():
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def _understandable(reason: str | None) -> bool:
    """A sentence, not an empty cell, a bare exception name or a traceback."""
    return bool(reason) and len(reason) >= 15 and " " in reason.strip() and "Traceback" not in reason


def test_hostile_corpus_is_built_fast_and_covers_every_input_kind(tmp_path):
    started = time.perf_counter()
    corpus = build_corpus(tmp_path / "a")
    assert time.perf_counter() - started < 10
    assert len(corpus) >= 30
    assert {rel.split("/")[0] for rel in corpus} >= {"prices", "network", "hardware", "fx", "flows", "events",
                                                      "cost_sheets", "capex"}
    assert set(_entries(tmp_path / "a")) == set(corpus)
    build_corpus(tmp_path / "b")
    assert _entries(tmp_path / "b") == _entries(tmp_path / "a")   # deterministic


def test_hostile_inputs_are_quarantined_with_a_reason_or_loaded(bundled_raw, pipeline, monkeypatch):
    corpus = build_corpus(bundled_raw)
    before_files = _entries(bundled_raw)
    absolute_targets = {p: p.exists() for p in (Path("/tmp/abs.csv"), Path("/tmp/evil.csv"), Path("C:/win.csv"))}

    attempts = []
    real_connect = socket.socket.connect

    def no_network(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            attempts.append(address)
            raise OSError("network access is not allowed while ingesting hostile inputs")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", no_network)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    started = time.perf_counter()
    run = pipeline(bundled_raw)
    run.run()                                            # raises when the run fails
    wall = time.perf_counter() - started
    rss_extra = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss_before
    child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    print(f"\nhostile run: {wall:.1f} s, peak RSS +{rss_extra / 2**20:.0f} MB (largest child "
          f"{child_rss / 2**20:.0f} MB), {len(corpus)} hostile files")

    assert wall < MAX_WALL_SECONDS
    assert rss_extra < MAX_EXTRA_RSS_BYTES
    assert child_rss < MAX_EXTRA_RSS_BYTES
    assert attempts == []
    assert _entries(bundled_raw) == before_files       # raw/ is never modified, nothing extracted into it

    # nothing unpacked lands outside the scratch folder (archives' ../, absolute and link members)
    root = run.warehouse.parent.parent
    scratch = run.warehouse.parent / "scratch"
    assert {p: p.exists() for p in absolute_targets} == absolute_targets
    escaped = [p for p in root.rglob("*") if p.name in {"outside.csv", "evil.csv", "abs.csv", "win.csv", "evil",
                                                         "passwd", "passwd.csv", "zeros.csv"}]
    assert escaped == []
    assert all(p.is_file() and not p.is_symlink() for p in scratch.rglob("*") if not p.is_dir())

    # files in = rows: one row per file or link, each with a status; members of archives and
    # e-mails are rows of their own, under their container's path
    documents = run.query("SELECT path, status, error, document_id, parent_document_id FROM core.documents")
    paths = [p for p, _, _, _, parent in documents if parent is None]
    assert sorted(paths) == sorted(before_files) and len(paths) == len(set(paths))
    by_path = {p: (status, error, doc) for p, status, error, doc, _ in documents}
    assert all(status in ("loaded", "quarantined", "duplicate") for status, _, _ in by_path.values())
    assert all("!/" in p for p, *_, parent in documents if parent is not None)

    quarantine = run.query("SELECT document_id, locator, reason FROM core.quarantine")
    wrong = []
    for rel, (expect, note) in sorted({**corpus, **MEMBERS}.items()):
        if rel not in by_path:
            wrong.append(f"{rel} ({note}): no row in core.documents")
            continue
        status, error, doc = by_path[rel]
        reasons = [r for d, loc, r in quarantine if (doc is not None and d == doc) or loc == f"file {rel}"]
        if status == "quarantined":
            ok = expect in (QUARANTINED, EITHER) and _understandable(error) and any(map(_understandable, reasons))
        else:
            ok = expect in (LOADED, EITHER) and status == "loaded" and error is None
        if not ok:
            wrong.append(f"{rel} ({note}): expected {expect}, got {status}: {error!r}; quarantine {reasons[:2]}")
    assert wrong == []
    # every rejected record says why
    assert all(_understandable(reason) for _, _, reason in quarantine)

    # rows: each data row of a hostile file is loaded or quarantined, never lost or misread
    def doc(rel):
        return by_path[rel][2]

    def count(sql, rel):
        return run.query(sql, [doc(rel)])[0][0]

    rejected_rows = "SELECT count(*) FROM core.quarantine WHERE document_id = ?"
    for rel, (expect, _) in corpus.items():
        if rel.startswith("prices/") and expect == LOADED and not rel.endswith(".zip"):   # 20 daily rows in each
            bars = count("SELECT count(*) FROM core.price_observations WHERE document_id = ?", rel)
            assert bars + count(rejected_rows, rel) == 20, rel
    assert count(rejected_rows, "prices/BTC-USD_mixed_dates.csv") == 2
    assert count(rejected_rows, "prices/BTC-USD_formula.csv") == 4
    mixed = "network/eth_network_mixed_dates.csv"
    assert count("SELECT count(*) FROM core.network_observations WHERE document_id = ?", mixed) \
        + count(rejected_rows, mixed) == 10
    flows = "flows/btc_flows_formulas.csv"   # 11 Jan loads; two formula rows, a split row, a summary row
    assert count("SELECT count(DISTINCT date) FROM core.fund_flows_daily WHERE document_id = ?", flows) == 1
    assert count(rejected_rows, flows) == 4
    quote = "events/unclosed_quote.csv"      # one row loads, the one that swallowed the rest is quarantined
    assert count("SELECT count(*) FROM core.events WHERE document_id = ?", quote) == 1
    assert count(rejected_rows, quote) == 1
    # a German '1,08' is not read as 108 USD per EUR; formula cells stay text, never evaluated
    assert count(rejected_rows, "fx/ecb_cp1252_semicolon.csv") == 5
    assert run.query("SELECT max(usd_per_unit) FROM core.fx_daily WHERE currency = 'EUR'")[0][0] < 2
    titles = run.query("SELECT title FROM core.events WHERE document_id = ?", [doc("events/formula_titles.csv")])
    assert sorted(t for (t,) in titles) == sorted(f.strip() for f in FORMULAS)
    # hostile HTML: the visible announcement is read, the hidden one and the scripts are not
    amounts = run.query("SELECT amount_native FROM core.capex_announcements WHERE document_id = ?",
                        [doc("capex/hostile_page.html")])
    assert amounts and all(a < 100e9 for (a,) in amounts)


def test_leakpipe_ingest_on_the_hostile_corpus_copies_or_refuses_each_file_with_a_reason(tmp_path):
    """Every hostile file given to `leakpipe ingest` is copied into the raw folder or refused with a
    reason; none is lost, nothing crashes, nothing lands outside the raw folder."""
    from click.testing import CliRunner

    from pipelines.cli import cli

    corpus = build_corpus(tmp_path / "drop")
    raw = tmp_path / "raw"
    result = CliRunner().invoke(cli, ["--raw", str(raw), "ingest", str(tmp_path / "drop")], catch_exceptions=False)
    assert result.exit_code in (0, 1) and "Traceback" not in result.output
    lines = result.output.splitlines()
    copied = [line for line in lines if line.startswith(("copied", "already there"))]
    refused = [line for line in lines if line.startswith("refused")]
    given = [p for p in (tmp_path / "drop").rglob("*") if p.is_file() or p.is_symlink()]
    assert len(copied) + len(refused) == len(given) >= len(corpus) - 1
    assert all(len(line) > len("refused       ") + 20 for line in refused)   # each with its reason
    assert all(p.resolve().is_relative_to(raw.resolve()) for p in raw.rglob("*"))
    assert {p.parent.parent for p in raw.rglob("*") if p.is_file()} <= {raw}   # one subfolder deep
    assert not [p for p in tmp_path.iterdir() if p.name not in {"drop", "raw"}]   # nothing written beside
