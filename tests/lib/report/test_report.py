"""The analyst report (pipelines.lib.report): on the bundled sample it says what the warehouse says,
is one self-contained HTML file, a PDF and Markdown, shows the spot of an implausible claim on its
leaked page, escapes hostile leak text in all three formats, renders in a browser and in poppler,
fails clearly on an unwritable folder without touching the warehouse, and says 'unknown' when the
marts are empty."""
import base64
import hashlib
import html
import io
import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest

from pipelines.lib.report import REPORT_STEPS, ReportError, build_report
from pipelines.lib.report import text as fmt
from pipelines.lib.report.sections.leaks import MAX_CROPS
from pipelines.lib.report.sections.shared import SECTIONS
from report_pages import parse_html, read_pdf_text

pytestmark = pytest.mark.e2e

HOSTILE = ("<script>alert(1)</script><img src=x onerror=alert(2)> | **x** [l](javascript:alert(3)) "
           "=cmd|' /C calc'!A0")
CHARTS = ["fleet", "network_share", "profitability", "attribution", "sensitivity", "chain"]


def _sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _build(warehouse, raw, out):
    steps = []
    files = build_report(warehouse, raw, out, progress=steps.append)
    page = files.html.read_text(encoding="utf-8")
    return SimpleNamespace(files=files, steps=steps, html=page, parsed=parse_html(page),
                           md=files.markdown.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sample(tmp_path_factory, extract_cache):
    from conftest import run_bundled

    return run_bundled(tmp_path_factory, extract_cache, "report")


@pytest.fixture(scope="module")
def report(sample, tmp_path_factory):
    before = _sha(sample.warehouse)
    built = _build(sample.warehouse, sample.raw, tmp_path_factory.mktemp("report_out"))
    built.warehouse_unchanged = _sha(sample.warehouse) == before
    return built


def _query(warehouse, sql, params=None):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


# ------------------------------------------------------------------ the three files

def test_three_files_every_step_reported_and_warehouse_untouched(report):
    files = report.files
    for path in (files.html, files.pdf, files.markdown):
        assert path.is_file() and path.stat().st_size > 1000, path
    assert files.html.name == "report.html" and files.pdf.name == "report.pdf" and files.markdown.name == "report.md"
    assert files.pdf.read_bytes().startswith(b"%PDF")
    assert report.steps == list(REPORT_STEPS)
    assert set(files.timings) == set(REPORT_STEPS)
    assert report.warehouse_unchanged
    assert not list(files.html.parent.glob(".*.tmp")), "a temporary file was left behind"


def test_html_is_one_self_contained_file_with_every_section(report):
    page = report.html
    assert 'src="http' not in page and "<script" not in page.lower() and "@import" not in page
    for tag, attrs in report.parsed.tags:
        assert tag not in {"script", "iframe", "object", "embed", "link", "base", "form"}, tag
        if "src" in attrs:
            assert attrs["src"].startswith("data:image/png;base64,"), (tag, attrs["src"][:40])
        if "href" in attrs:
            assert attrs["href"].startswith("#"), attrs["href"]
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
    assert "url(" not in page
    pages, pdf_text = read_pdf_text(report.files.pdf)
    for n, (section_id, title) in enumerate(SECTIONS, start=1):
        assert any(t == "section" and a.get("id") == section_id for t, a in report.parsed.tags), section_id
        assert html.escape(title) in page, title
        assert f"## {n}. {title}" in report.md.replace("\\", ""), title
        assert f"{n}. {title}" in " ".join(pdf_text.split()), title
    assert pages >= 3


def test_every_chart_is_embedded_and_written_for_the_markdown(report):
    from PIL import Image

    images = {a.get("id"): a["src"] for t, a in report.parsed.tags if t == "img"}
    for name in CHARTS:
        src = images.get(f"fig-{name}")
        assert src, f"chart {name} missing from the HTML"
        image = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1])))
        assert image.format == "PNG" and image.width > 400 and image.height > 200, name
        assert len(image.getcolors(1 << 20) or range(1000)) > 20, f"chart {name} looks blank"
        assert f"(report_files/{name}.png)" in report.md
        assert (report.files.figures / f"{name}.png").is_file()


def test_an_implausible_pdf_claim_is_shown_cut_out_of_its_page(sample, report):
    from PIL import Image

    pdf_lines = _query(sample.warehouse, """
        SELECT DISTINCT d.path FROM marts.leak_plausibility p
        JOIN core.cost_sheet_lines l USING (document_id, page, table_index, row_index)
        JOIN core.documents d USING (document_id)
        WHERE p.verdict = 'implausible' AND l.bbox IS NOT NULL AND d.status = 'loaded'
          AND d.media_type = 'application/pdf'""")
    assert pdf_lines, "the sample should hold implausible claims printed in a PDF"
    crops = [a for t, a in report.parsed.tags if t == "img" and a.get("class") == "crop"]
    assert 1 <= len(crops) <= MAX_CROPS
    image = Image.open(io.BytesIO(base64.b64decode(crops[0]["src"].split(",", 1)[1])))
    assert image.width > 200 and image.height > 20
    # The framed line is red on the page.
    assert any(r > 150 and g < 80 and b < 80 for _, (r, g, b) in image.convert("RGB").getcolors(1 << 20))
    leaks = report.parsed.section("leaks")
    assert any(path in leaks for (path,) in pdf_lines)
    assert re.search(r"\(report_files/crop-\d+\.png\)", report.md)
    # Lines from spreadsheets have no page and say so instead of an image.
    assert "no page image: the line comes from a csv file" in leaks


def test_the_verdict_states_the_warehouses_numbers(sample, report):
    verdict = report.parsed.section("verdict")
    window = _query(sample.warehouse, """
        SELECT window_name FROM marts.rally_attribution WHERE coin = 'BTC' AND subject = 'spot_etf_flows'
        ORDER BY window_start LIMIT 1""")[0][0]
    shares = {(subject, channel): (p05, p50, p95) for subject, channel, p05, p50, p95 in _query(sample.warehouse, """
        SELECT subject, channel, share_p05, share_p50, share_p95 FROM marts.rally_attribution
        WHERE coin = 'BTC' AND window_name = ?""", [window])}
    hashrate_p95 = shares[("idle_ai_mining", "hashrate")][2]
    flow_p95 = shares[("idle_ai_mining", "flow")][2]
    etf = shares[("spot_etf_flows", "flow")]
    assert fmt.share(hashrate_p95) in verdict and fmt.share(flow_p95) in verdict
    assert f"{fmt.share(etf[1])} [{fmt.share(etf[0])}, {fmt.share(etf[2])}]" in verdict
    # the sample's BTC network grows a little faster than the fleet over the window, so the hashrate the fleet
    # adds within it (its share's change) is tiny and negative
    assert 0 < abs(hashrate_p95) < 1e-4 and "e-0" in fmt.share(hashrate_p95), "a tiny share is in scientific notation"
    assert "0.00 %" not in verdict
    implausible, total = _query(sample.warehouse, "SELECT count(*) FILTER (WHERE verdict = 'implausible'), "
                                                  "count(*) FROM marts.leak_plausibility")[0]
    assert f"{implausible:,} of {total:,} claims" in verdict
    assert verdict.index("Idle AI GPUs mining Bitcoin") < verdict.index(f"{implausible:,} of {total:,}")


def test_the_chain_section_states_the_verdicts_and_numbers_of_the_marts(sample, report):
    """Section "Would the chain show it?": per coin and window the verdict of marts.fleet_detectability with its
    implied steps, detection limit and observed step; the leaked sheets counted per verdict; the Granger p-values
    of marts.hashrate_price_causality; the median mining / rental ratio; a NULL reads 'unknown' with its reason.
    The verdict at the top names the strongest finding with its numbers."""
    from pipelines.lib.report.sections.chain import p_value, step

    chain = report.parsed.section("chain")
    windows = _query(sample.warehouse, """
        SELECT coin, subject_id, verdict, implied_step_log_p05, implied_step_log_p50, implied_step_log_p95,
               min_detectable_step_log, observed_step_log
        FROM marts.fleet_detectability WHERE subject = 'rally_window' ORDER BY ALL""")
    assert {(c, w, v) for c, w, v, *_ in windows} >= {("ETC", "rally", "visible_and_absent"),
                                                      ("XMR", "late_2024", "visible_and_absent"),
                                                      ("BTC", "rally", "too_small_to_see")}
    names = {"BTC": "Bitcoin", "ETC": "Ethereum Classic", "XMR": "Monero"}
    for coin, window, verdict, p05, p50, p95, mdet, obs in windows:
        sentence = re.search(rf"{names[coin]}, window {window} \(.*?\): (.*?)(?= Bitcoin, window| Ethereum Classic, "
                             rf"window| Monero, window| Withdrawal:)", chain)
        assert sentence, (coin, window)
        text = sentence.group(1)
        assert text.startswith(verdict), text
        assert f"p50 {step(p50)} [p05 {step(p05)}, p95 {step(p95)}]" in text, text
        assert f"finds a step of {step(mdet)} in 95 % of trials" in text, text
        assert f"the largest step up observed is {'none' if obs == 0 else step(obs)}" in text, text
    # ETC late_2024 holds the largest margin of the p05 step over the detection limit on the sample
    etc = next(w for w in windows if w[:2] == ("ETC", "late_2024"))
    assert etc[3] - etc[6] == max(w[3] - w[6] for w in windows if w[2] == "visible_and_absent")
    verdict = report.parsed.section("verdict")
    assert (f"The chain shows no step of the size the idle fleet implies on Ethereum Classic (late_2024) "
            f"(visible_and_absent, implied p05 step {step(etc[3])} vs detectable {step(etc[6])}") in verdict
    lines, too_small, unknown = _query(sample.warehouse, """
        SELECT count(*), count(*) FILTER (WHERE verdict = 'too_small_to_see'), count(*) FILTER (WHERE verdict = 'unknown')
        FROM marts.fleet_detectability WHERE subject = 'sheet_line'""")[0]
    assert f"0 of {lines:,} leaked sheet lines naming a coin and a period claim a step the chain would show" in verdict
    assert (f"{lines:,} lines naming a coin and a period, in " in chain
            and f"0 visible_and_absent, 0 visible_and_present, {too_small:,} too_small_to_see, {unknown:,} unknown" in chain)
    # one sentence per document and coin, not one per line
    pairs = _query(sample.warehouse, "SELECT count(DISTINCT (split_part(subject_id, ':', 1), coin)) "
                                     "FROM marts.fleet_detectability WHERE subject = 'sheet_line'")[0][0]
    assert chain.count(" line(s): ") == pairs < lines
    # Granger: both directions' p-values of the full-history daily test per coin, and which way they point
    tests = dict(((c, d), p) for c, d, p in _query(sample.warehouse, """
        SELECT coin, direction, p_value FROM marts.hashrate_price_causality
        WHERE sample = 'full_history' AND frequency = 'daily'"""))
    for coin, name in names.items():
        assert (f"{name} (full_history, daily): hashrate to price p {p_value(tests[(coin, 'hashrate_to_price')])}"
                in chain), coin
        assert f"price to hashrate p {p_value(tests[(coin, 'price_to_hashrate')])}" in chain
    assert "At 5 %, hashrate leads price in Bitcoin and price leads hashrate in Monero" in chain
    assert "Kristoufek 2020; Fantazzini and Kolodin 2020" in chain
    # a test that could not run reads unknown with the mart's reason, never 0
    reason = _query(sample.warehouse, """
        SELECT reason FROM marts.hashrate_price_causality
        WHERE coin = 'ETC' AND sample = 'rally' AND frequency = 'weekly' AND p_value IS NULL LIMIT 1""")[0][0]
    assert re.search(r"ETC rally weekly 2023-10-01\.\.2024-03-31 unknown unknown unknown unknown 27 "
                     + re.escape(reason), chain), reason
    # mining against rental: the median per coin, year and device; a year without a rental price is unknown, with why
    ratio = _query(sample.warehouse, """
        SELECT median(ratio) FROM marts.mining_vs_rental_daily
        WHERE coin = 'ETC' AND device = 'NVIDIA H100 SXM' AND year(date) = 2024""")[0][0]
    assert f"ETC 2024 NVIDIA H100 SXM {fmt.share(ratio)} " in chain
    assert (f"Even at best (Ethereum Classic on the NVIDIA H100 SXM in 2024) mining earns a median {fmt.share(ratio)}"
            in chain)
    first = _query(sample.warehouse, """
        SELECT reason FROM marts.mining_vs_rental_daily WHERE coin = 'XMR' AND year(date) = 2022 ORDER BY date LIMIT 1""")[0][0]
    assert re.search(r"XMR 2022 NVIDIA H100 SXM unknown unknown unknown unknown 0 \d+ e\.g\. " + re.escape(first[:60]),
                     chain), first
    assert not re.search(r"\b(None|NULL|nan|NaN|NaT)\b", chain)


def test_the_markdown_report_reads_as_text_where_the_sentences_are_the_projects_own(report):
    """report.md escapes leak-derived text, but the project's own sentences (the verdict's fleet shares, the
    counts of implausible claims, the sample notice) carry no backslash before ordinary punctuation (only
    before the characters that would start markup, such as `_`)."""
    ordinary = re.compile(r"\\[.\-();,%:+/']")
    md = report.md
    fleet = next(line for line in md.splitlines() if "largest daily share of each network" in line)
    assert not ordinary.search(fleet) and re.search(r"Bitcoin \S+ % \(on \d{4}-\d{2}-\d{2}\)", fleet), fleet
    leaks = next(line for line in md.splitlines() if "claims checked in the leaked cost sheets" in line)
    assert not ordinary.search(leaks) and re.search(r"documents\): \d+ coins mined, ", leaks), leaks
    notice = next(line for line in md.splitlines() if "Sample data:" in line)
    assert not ordinary.search(notice), notice


def test_a_channel_that_does_not_apply_reads_not_applicable_in_the_report(sample, report):
    """The yardstick's hashrate channel (and an event channel without events) is NULL with 'not applicable' in the
    mart, and the report says so instead of 0 % or 'unknown'."""
    na = _query(sample.warehouse, "SELECT coin, window_name, subject, channel FROM marts.rally_attribution "
                                  "WHERE share_reason LIKE 'not applicable%' ORDER BY ALL")
    assert ("BTC", "rally", "spot_etf_flows", "hashrate") in na
    assert _query(sample.warehouse, "SELECT count(*) FROM marts.rally_attribution WHERE share_reason LIKE "
                                    "'not applicable%' AND (share_p50 IS NOT NULL OR log_return_p50 IS NOT NULL)")[0][0] == 0
    table = report.parsed.section("attribution")
    row = re.search(r"spot_etf_flows [+-][\d.]+ \(price [^)]*\) hashrate (.{0,80})", table)
    assert row and row.group(1).startswith("not applicable"), row and row.group(0)


def test_sample_data_notice_names_its_evidence(report):
    notice = report.parsed.section("quality")
    assert "Sample data:" in report.html.split('<section id="verdict">')[0]
    assert re.search(r"\d+ of \d+ documents are byte-identical \(sha256\) to files of the bundled sample", notice)
    assert "synthesised" in notice


# ------------------------------------------------------------------ hostile text

@pytest.fixture(scope="module")
def hostile(sample, tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    warehouse = root / "leaks.duckdb"
    shutil.copy2(sample.warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as con:
        doc, page, table, row = con.execute("""
            SELECT p.document_id, p.page, p.table_index, p.row_index FROM marts.leak_plausibility p
            JOIN core.cost_sheet_lines l USING (document_id, page, table_index, row_index)
            WHERE p.verdict = 'implausible' AND l.bbox IS NOT NULL ORDER BY ALL LIMIT 1""").fetchone()
        key = [doc, page, table, row]
        where = "document_id = ? AND page = ? AND table_index = ? AND row_index = ?"
        con.execute(f"UPDATE marts.leak_plausibility SET reason = ?, site = ? WHERE {where}",
                    [HOSTILE, HOSTILE, *key])
        con.execute(f"UPDATE marts.leak_plausibility SET claim = ? WHERE rowid = "
                    f"(SELECT min(rowid) FROM marts.leak_plausibility WHERE verdict = 'implausible' AND {where})",
                    [HOSTILE, *key])
        con.execute(f"UPDATE core.cost_sheet_lines SET source_text = ?, site = ?, company = ? WHERE {where}",
                    [HOSTILE + "\n# heading\n", HOSTILE, HOSTILE, *key])
        con.execute("UPDATE core.quarantine SET reason = ?, locator = ? WHERE rowid = (SELECT min(rowid) FROM core.quarantine)",
                    [HOSTILE, HOSTILE])
        con.execute("UPDATE marts.model_assumptions SET source = ? WHERE name = 'idle_share'", [HOSTILE])
        con.execute("UPDATE marts.ai_fleet_daily SET company = ? WHERE company = (SELECT min(company) FROM marts.ai_fleet_daily)",
                    [HOSTILE + r" $\frac{1}{$"])
    before = _sha(warehouse)
    built = _build(warehouse, sample.raw, root / "out")
    built.warehouse_unchanged = _sha(warehouse) == before
    return built


def test_hostile_leak_text_is_inert_in_html(hostile):
    page = hostile.html
    assert hostile.warehouse_unchanged
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in page
    for tag, attrs in hostile.parsed.tags:
        assert tag != "script"
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert not any("javascript:" in (value or "") for value in attrs.values()), (tag, attrs)
        if tag == "a":
            assert attrs.get("href", "").startswith("#")
    text = " ".join(hostile.parsed.text)
    assert HOSTILE in text, "the hostile text is shown to the reader as text"


def test_hostile_leak_text_is_escaped_in_markdown(hostile):
    from markdown_it import MarkdownIt

    md = hostile.md
    assert not re.search(r"(?<!\\)<(script|img)", md) and "](javascript:" not in md
    assert r"\<script\>alert\(1\)\<\/script\>" in md
    assert r"\| \*\*x\*\* \[l\]\(javascript\:alert\(3\)\)" in md
    assert "\n# heading" not in md
    rendered = MarkdownIt("commonmark").enable("table").render(md)   # raw HTML allowed, as on many sites
    assert "<script" not in rendered and "<img src=\"x\"" not in rendered and "javascript:" not in re.sub(
        r">[^<]*<", "><", rendered), "a link or tag got through"
    assert 'href="javascript' not in rendered


def test_hostile_leak_text_is_text_in_the_pdf(hostile):
    pages, text = read_pdf_text(hostile.files.pdf)
    assert pages >= 3
    flat = "".join(text.split())
    assert "<script>alert(1)</script>" in flat, "reportlab printed the markup as text"


# ------------------------------------------------------------------ as a person would see it

def _browser() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def _not_blank(png: Path) -> None:
    from PIL import Image

    image = Image.open(png).convert("RGB")
    small = image.resize((max(1, image.width // 4), max(1, image.height // 4)))
    colours = small.getcolors(1 << 22) or []
    assert len(colours) > 8, f"{png} has {len(colours)} colours"
    white = sum(n for n, c in colours if min(c) > 245)
    assert white / (small.width * small.height) < 0.985, f"{png} is almost all white"


@pytest.mark.parametrize("which", ["report", "hostile"])
def test_chromium_renders_the_html_without_console_errors(which, request, tmp_path):
    browser = _browser()
    if browser is None:
        pytest.skip("no chromium/google-chrome on the PATH: install it with `make system-deps`")
    built = request.getfixturevalue(which)
    shot = tmp_path / "report.png"
    proc = subprocess.run(
        [browser, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--enable-logging=stderr", "--v=0", f"--user-data-dir={tmp_path / 'profile'}",
         f"--screenshot={shot}", "--window-size=1280,2000", built.files.html.as_uri()],
        capture_output=True, text=True, timeout=180)
    assert shot.is_file(), proc.stderr[-2000:]
    _not_blank(shot)
    console = [line for line in proc.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert not console, console


def test_every_pdf_page_renders_in_poppler(report, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("no pdftoppm (poppler-utils) on the PATH: install it with `make system-deps`")
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(report.files.pdf), str(tmp_path / "page")],
                   check=True, timeout=180, capture_output=True)
    pngs = sorted(tmp_path.glob("page*.png"))
    pages, _ = read_pdf_text(report.files.pdf)
    assert len(pngs) == pages
    for png in pngs:
        _not_blank(png)


# ------------------------------------------------------------------ failures and empty marts

def test_an_unwritable_out_dir_raises_and_leaves_the_warehouse_alone(sample, tmp_path):
    before = _sha(sample.warehouse)
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    with pytest.raises(ReportError) as err:
        build_report(sample.warehouse, sample.raw, blocker / "reports")
    assert err.value.path == blocker / "reports" and "cannot be written" in err.value.reason
    assert str(blocker / "reports") in str(err.value)
    raw_listing = sorted(p.relative_to(sample.raw) for p in sample.raw.rglob("*"))
    with pytest.raises(ReportError, match="raw folder"):
        build_report(sample.warehouse, sample.raw, sample.raw / "reports")
    assert sorted(p.relative_to(sample.raw) for p in sample.raw.rglob("*")) == raw_listing
    with pytest.raises(ReportError, match="warehouse"):
        build_report(tmp_path / "missing.duckdb", sample.raw, tmp_path / "out")
    assert _sha(sample.warehouse) == before


def test_a_warehouse_with_empty_model_marts_says_what_is_unknown(pipeline, tmp_path):
    raw = tmp_path / "one_sheet"
    (raw / "cost_sheets").mkdir(parents=True)
    shutil.copy2(Path(__file__).resolve().parents[3] / "raw" / "cost_sheets" / "en_idle_mining_h2_2023.pdf",
                 raw / "cost_sheets")
    run = pipeline(raw)
    run.run()
    assert run.query("SELECT count(*) FROM marts.rally_attribution")[0][0] == 0
    built = _build(run.warehouse, raw, tmp_path / "out")
    verdict = built.parsed.section("verdict")
    assert "unknown" in verdict and "rally attribution" in verdict
    assert "The idle AI fleet is unknown" in verdict
    for section in ("fleet", "profitability", "attribution", "sensitivity"):
        assert "unknown" in built.parsed.section(section), section
    said = " ".join(built.parsed.section(s) for s in ("verdict", "leaks", "fleet", "profitability",
                                                       "attribution", "sensitivity"))
    assert not re.search(r"\b(None|NULL|nan|NaN|NaT)\b", said)
    implausible, total = run.query("SELECT count(*) FILTER (WHERE verdict = 'implausible'), count(*) "
                                   "FROM marts.leak_plausibility")[0]
    assert f"{implausible} of {total} claims" in verdict
    if implausible:
        assert any(t == "img" and a.get("class") == "crop" for t, a in built.parsed.tags)
    assert "Sample data:" in built.html          # its one document is a bundled file (same sha256)
    assert built.files.pdf.stat().st_size > 1000 and "unknown" in built.md
