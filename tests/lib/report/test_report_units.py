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
