"""The report's parts on their own, without a warehouse: numbers and escaping, a sentence's escaping,
page crops refused outside the raw folder, the sample detection, and no Dagster in the library."""
import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.lib.report import text as fmt
from pipelines.lib.report.crops import PageCache, crop_line
from pipelines.lib.report.data import check_sample

pytestmark = pytest.mark.e2e


def _sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_a_sentence_escapes_each_part_only_as_much_as_it_needs():
    from pipelines.lib.report.model import U, joined, say

    s = say("largest share: {shares}.", shares=joined([
        say("{c} {s}{d}", c="Bitcoin", s="1.9e-03 %", d=say(" (on {x})", x="2024-11-21")),
        say("{c} {s}{d}", c=U("**X** [l](javascript:x)"), s="2 %", d="")]))
    assert s.markdown() == r"largest share: Bitcoin 1.9e-03 % (on 2024-11-21); \*\*X\*\* \[l\]\(javascript\:x\) 2 %."
    assert s.pdf() == "largest share: Bitcoin 1.9e-03 % (on 2024-11-21); **X** [l](javascript:x) 2 %."
    assert s.__html__() == s.plain() == "largest share: Bitcoin 1.9e-03 % (on 2024-11-21); **X** [l](javascript:x) 2 %."
    assert say("{x}", x=U("<b>")).__html__() == "&lt;b&gt;" and say("{x}", x=U("<b>")).pdf() == "&lt;b&gt;"


def test_shares_unknowns_and_escapes():
    assert fmt.share(None) == "unknown" and fmt.share(float("nan")) == "unknown"
    assert fmt.share(0) == "0 %"
    assert fmt.share(1.2e-7) == "1.2e-05 %"
    assert fmt.share(0.1138) == "11.4 %" and fmt.share(0.0277) == "2.77 %"
    assert fmt.interval(None, 0.1, 0.2) == "unknown"
    assert fmt.md("a|b*c_[d](e)<f>&#g`\n#h") == r"a\|b\*c\_\[d\]\(e\)\<f\>\&\#g\` \#h"
    assert fmt.pdf("<b>x</b> & y") == "&lt;b&gt;x&lt;/b&gt; &amp; y"


def test_a_crop_is_refused_outside_the_raw_folder_and_for_unreadable_pdfs(tmp_path):
    raw = tmp_path / "raw"
    (raw / "cost_sheets").mkdir(parents=True)
    outside = tmp_path / "secret.pdf"
    outside.write_bytes(b"%PDF-1.4 not really")
    (raw / "cost_sheets" / "link.pdf").symlink_to(outside)
    cache = PageCache(raw)
    for rel in ("../secret.pdf", str(outside), "cost_sheets/link.pdf"):
        crop = crop_line(cache, rel_path=rel, document_id=_sha(outside), media_type="application/pdf",
                         page_no=1, bbox=[10, 10, 100, 20])
        assert crop.png is None and "outside the raw folder" in crop.note, rel
    encrypted = Path(__file__).resolve().parents[3] / "raw" / "cost_sheets" / "encrypted_leak.pdf"
    shutil.copy2(encrypted, raw / "cost_sheets" / "enc.pdf")
    crop = crop_line(cache, rel_path="cost_sheets/enc.pdf", document_id=_sha(encrypted),
                     media_type="application/pdf", page_no=1, bbox=[10, 10, 100, 20])
    assert crop.png is None and "cannot be rendered" in crop.note
    crop = crop_line(cache, rel_path="cost_sheets/enc.pdf", document_id="0" * 64,
                     media_type="application/pdf", page_no=1, bbox=[10, 10, 100, 20])
    assert crop.png is None and "changed since it was loaded" in crop.note
    crop = crop_line(cache, rel_path="cost_sheets/x.csv", document_id="x", media_type="text/csv",
                     page_no=1, bbox=None)
    assert crop.png is None and "csv file" in crop.note


def test_sample_detection_by_content_not_by_name(tmp_path):
    bundled = tmp_path / "bundled"
    (bundled / "prices").mkdir(parents=True)
    (bundled / "prices" / "a.csv").write_text("date,close\n")
    (bundled / "empty.pdf").write_bytes(b"")
    ours = [{"document_id": _sha(bundled / "prices" / "a.csv"), "bytes": 11},
            {"document_id": hashlib.sha256(b"").hexdigest(), "bytes": 0}]
    none = [{"source_table": "prices_daily", "synthetic": 0, "total": 5}]
    check = check_sample(tmp_path / "elsewhere", ours, none, bundled=bundled)
    assert check.matching == 1 and check.is_sample and not check.raw_is_bundled   # the empty file proves nothing
    other = check_sample(tmp_path / "elsewhere", [{"document_id": "f" * 64, "bytes": 3}], none, bundled=bundled)
    assert not other.is_sample
    assert check_sample(bundled, [], none, bundled=bundled).raw_is_bundled
    # the project's reference tables of cited facts (hardware specs, events) used with real data: not the sample
    (bundled / "hardware").mkdir()
    (bundled / "hardware" / "specs.csv").write_text("device,hashrate_hs\n")
    facts = [{"document_id": _sha(bundled / "hardware" / "specs.csv"), "bytes": 20, "kind": "hardware"}]
    reference = check_sample(tmp_path / "elsewhere", facts, none, bundled=bundled)
    assert reference.matching == reference.matching_reference == 1 and not reference.is_sample
    assert check_sample(tmp_path, [], [{"source_table": "fx_daily", "synthetic": 2, "total": 5}],
                        bundled=bundled).is_sample


def test_the_library_does_not_import_dagster():
    source = Path(__file__).resolve().parents[3] / "pipelines" / "lib" / "report"
    for path in source.rglob("*.py"):
        assert not re.search(r"^\s*(import|from)\s+dagster", path.read_text(), re.M), path
    code = ("import sys, pipelines.lib.report as r; "
            "assert 'dagster' not in sys.modules and 'matplotlib' not in sys.modules, sorted(sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_a_chain_window_whose_numbers_are_null_reads_unknown_with_its_reason():
    """A coin-window of marts.fleet_detectability without fleet or detection limit: every missing number reads
    'unknown' (never 0), the mart's reason follows, escaped as untrusted text; a known row states its numbers."""
    from datetime import date

    from pipelines.lib.report.sections.chain import chain_headline, window_sentence

    base = dict(coin="XMR", window_name="rally", period_start=date(2023, 10, 1), period_end=date(2024, 3, 31),
                network_hashrate_hs=2.5e9, implied_step_log_p05=None, implied_step_log_p50=None,
                implied_step_log_p95=None, min_detectable_step_log=None, observed_step_log=0.0,
                observed_break_date=None, withdrawal_step_log=None, withdrawal_break_date=None,
                withdrawal_matches=None, host_cpus_counted=False, verdict="unknown",
                reason="missing: fleet hashrate of XMR in rally (no <b>RandomX</b> hashrate)")
    s = window_sentence(base)
    text = s.plain()
    assert text.startswith("Monero, window rally (2023-10-01..2024-03-31): unknown, unknown.")
    assert "p50 unknown [p05 unknown, p95 unknown]" in text and "finds a step of unknown" in text
    assert "would be unknown of the network" in text and "largest step up observed is none" in text
    assert text.endswith("Unknown because: missing: fleet hashrate of XMR in rally (no <b>RandomX</b> hashrate).")
    assert "&lt;b&gt;RandomX&lt;/b&gt;" in s.__html__() and r"\<b\>RandomX\<\/b\>" in s.markdown()
    assert not re.search(r"\b(None|nan|0 %)\b", text)
    known = dict(base, implied_step_log_p05=0.11, implied_step_log_p50=0.3, implied_step_log_p95=0.6,
                 min_detectable_step_log=0.075, observed_step_log=0.02, observed_break_date=date(2023, 11, 6),
                 withdrawal_step_log=-0.4, withdrawal_break_date=date(2024, 4, 2), withdrawal_matches=True,
                 verdict="visible_and_absent", reason="the p05 step 0.11 would be seen")
    text = window_sentence(known).plain()
    assert "visible_and_absent, the chain would show the fleet's step and shows none that large" in text
    assert "p50 0.3 [p05 0.11, p95 0.6]" in text and "finds a step of 0.075" in text
    assert "35.0 % of the network at its median (the idle servers' host CPUs not counted)" in text
    assert "largest step up observed is 0.02 on 2023-11-06" in text
    assert "A step down of -0.4 on 2024-04-02 lines up with the withdrawal the claim predicts" in text
    assert "Unknown because" not in text
    data = {"chain_detectability_windows": [base, known], "chain_detectability_sheets": [], "chain_causality": []}
    headline = chain_headline(type("D", (), {"__getitem__": lambda self, k: data[k]})()).text.plain()
    assert headline == ("The chain shows no step of the size the idle fleet implies on Monero (rally) "
                        "(visible_and_absent, implied p05 step 0.11 vs detectable 0.075; largest step up observed 0.02).")


@pytest.mark.parametrize("start", ["2021-01-01", "2009-01-03", "2022-07-01", "2024-12-01"])
def test_a_dated_chart_picks_its_ticks_without_a_warning(start):
    """A real history of 4 to 5 years made matplotlib warn that no tick interval fits (and fall back
    to an arbitrary one): every span from weeks to 16 years draws quietly."""
    import datetime as dt
    import warnings

    from pipelines.lib.report import charts

    rows = [{"company": "Meta", "date": dt.date.fromisoformat(start) + dt.timedelta(days=i),
             **{f"{p}_{q}": float(i + 1) for p in ("gpus", "idle_gpus") for q in ("p05", "p50", "p95")}}
            for i in range(0, (dt.date(2025, 3, 8) - dt.date.fromisoformat(start)).days, 3)]
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)   # matplotlib's; not a ResourceWarning of an earlier test
        assert charts.fleet(rows)[:8] == b"\x89PNG\r\n\x1a\n"
