"""Mixed-format intake: archives, e-mails, DOCX, XLSX, CSV, images and PDFs against the PDF-only path.

Corpora (scripts/make_mixed_corpus.py, scripts/make_cost_sheets.build_bench_corpus; kept in
bench/out/ingest_mixed/ and reused while the generators are unchanged):
  mixed     2,000 top-level files (zip archives with nested 7z/zip members, e-mails with
            attachments, DOCX, XLSX, CSV, 1 % PNG scans, PDFs), about 10,000 pages
  small     the same mix, 200 files (for the memory target)
  pdf-only  2,000 pages in 100 PDFs (~1 page in 5 a ruled cost table): the single-format baseline
Each is run through the intake the pipeline uses, on a cold scratch folder and extraction cache:
inventory.scan (hash every file, unpack every archive and e-mail into members; core/documents),
the documents core/cost_sheet_lines parses (its documents_to_parse.sql: cost sheets, readable, no
duplicate, no container) with the sender of the e-mail that carried each, extract_all into the
cache (the local process pool, one worker per CPU) and read_rows (the rows the asset loads). The
warehouse writes and core.document_metadata are not part of it.
A page is what the extractor counts: a PDF or image page, an XLSX sheet, a DOCX's Word table, a CSV.

Targets (issue 19, point 5):
  - the mixed corpus at most 1.5x the time per page of the PDF-only path (same invocation: the
    PDF-only corpus runs before and after the mixed one, the mean of its two times per page is
    the baseline, since the load of a shared machine drifts);
  - peak memory of the process tree (the intake process and its extraction workers: resident
    set sizes summed, psutil, sampled every 50 ms) at 2,000 files within 1.5x of 200 files;
  - a re-run on the unchanged mixed corpus (rehashing every file, reading the cached listings and
    extractions, a new process as a new pipeline run) at most 5 % of the first.
Each run is a child process of its own, so its memory is its own.

    python bench/ingest_mixed.py [--quick] [--files N] [--small-files N] [--pdf-pages N] [--workers N]
    LEAKPIPE_BENCH_SCALE=0.1 python bench/ingest_mixed.py      # 200 / 20 files, 200 PDF pages
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import OUT_DIR, PROJECT_ROOT, add_quick, ensure_importable, print_table  # noqa: E402

SCRIPTS = PROJECT_ROOT / "scripts"
GENERATORS = [SCRIPTS / "make_mixed_corpus.py", SCRIPTS / "make_cost_sheets.py",
              SCRIPTS / "make_leak_containers.py", SCRIPTS / "make_leak_office_samples.py"]
FORMATS = {".pdf": "pdf", ".xlsx": "xlsx", ".docx": "docx", ".csv": "csv", ".png": "image"}


# ----------------------------------------------------------------------------------------- corpora

def _generator_digest() -> str:
    h = hashlib.sha256()
    for path in GENERATORS:
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def corpus(out: Path, name: str, size: int, build) -> tuple[Path, dict]:
    """(raw folder, description) of a corpus built by build(folder) -> description; reused while the
    generators are unchanged (the description sits beside raw/, never inside it)."""
    root = out / "corpora" / f"{name}_{size}"
    marker = root / "corpus.json"
    digest = _generator_digest()
    if marker.is_file():
        meta = json.loads(marker.read_text())
        if meta.get("generators") == digest:
            return root / "raw", meta
    shutil.rmtree(root, ignore_errors=True)
    started = time.perf_counter()
    meta = build(root / "raw" / "cost_sheets")
    meta.update(generators=digest, generated_s=round(time.perf_counter() - started, 1))
    marker.write_text(json.dumps(meta))
    return root / "raw", meta


def build_mixed(files: int):
    def build(folder: Path) -> dict:
        from make_mixed_corpus import build_mixed_corpus

        return build_mixed_corpus(folder, files=files, seed=0)
    return build


def build_pdf_only(pages: int):
    def build(folder: Path) -> dict:
        from make_cost_sheets import build_bench_corpus

        paths = build_bench_corpus(folder, pages=pages, table_every=5, seed=1)
        return {"files": len(paths), "by_kind": {"pdf": len(paths)}, "bytes": sum(p.stat().st_size for p in paths)}
    return build


# ------------------------------------------------------------------------------ the measured intake

def intake(raw: Path, scratch: Path, cache: Path, workers: int) -> dict:
    """The pipeline's intake of one raw folder (see the module's docstring); figures as a dict."""
    ensure_importable()
    from pipelines.lib.costsheets.extract import Limits, extract_all, read_rows
    from pipelines.lib.costsheets.ocr import ocr_available
    from pipelines.lib.intake.containers import Limits as ContainerLimits, local_file
    from pipelines.lib.intake.email import senders
    from pipelines.lib.intake.inventory import scan

    limits = Limits()
    langs = ocr_available()
    started = time.perf_counter()
    records = scan(raw, scratch, ContainerLimits())
    registered = time.perf_counter()
    seen, docs, duplicates = set(), [], 0
    for r in records:   # core/documents_to_parse.sql
        if r.kind != "cost_sheet" or r.error is not None or r.container is not None:
            continue
        if r.document_id in seen:
            duplicates += 1
            continue
        seen.add(r.document_id)
        docs.append((local_file(raw, scratch, r.path, r.document_id, strict=False), r.document_id, r.path))
    # as the asset: each e-mail's sender goes with what it carried (core/email_carriers.sql)
    sender = senders([d[2] for d in docs], {r.path: local_file(raw, scratch, r.path, r.document_id, strict=False)
                                            for r in records if r.container in ("eml", "msg") and r.document_id})
    docs = [(*d, sender.get(d[2])) for d in docs]
    results = extract_all(docs, cache, limits, langs, workers=workers)
    extracted = time.perf_counter()
    rows = read_rows(cache, results, limits, langs)
    done = time.perf_counter()
    by_format: dict[str, list] = defaultdict(lambda: [0, 0, 0.0])   # documents, pages, extraction seconds
    for r in results:
        entry = by_format[FORMATS.get(Path(r.path).suffix.lower(), "other")]
        entry[0] += 1
        entry[1] += r.pages or 0
        entry[2] += r.seconds
    return {
        "seconds": done - started, "register_s": registered - started, "extract_s": extracted - registered,
        "read_s": done - extracted, "top_level_files": sum("!/" not in r.path for r in records),
        "records": len(records), "members": sum("!/" in r.path for r in records),
        "containers": sum(r.container is not None for r in records), "documents": len(docs),
        "duplicates": duplicates, "pages": sum(r.pages or 0 for r in results), "rows": len(rows),
        "cached": sum(r.cached for r in results),
        "not_loaded": [f"{r.path}: {r.status} {r.check} {r.error}" for r in results if r.status != "loaded"],
        "inventory_errors": [f"{r.path}: {r.error}" for r in records if r.error],
        "by_format": {k: v for k, v in sorted(by_format.items())}, "ocr": langs,
        "maxrss_self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "maxrss_children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def measure(raw: Path, run_dir: Path, workers: int, cold: bool) -> dict:
    """intake() in a child process; adds the peak of the summed RSS of its process tree (psutil)."""
    import psutil

    scratch, cache = run_dir / "scratch", run_dir / "cache"
    if cold:
        shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True, exist_ok=True)
    result_file = run_dir / "result.json"
    result_file.unlink(missing_ok=True)
    child = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--intake", str(raw), str(scratch),
                              str(cache), str(result_file), "--workers", str(workers)], cwd=PROJECT_ROOT)
    proc, peak, load = psutil.Process(child.pid), 0, os.getloadavg()[0]
    while child.poll() is None:
        total = 0
        try:
            for p in [proc, *proc.children(recursive=True)]:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
        except psutil.Error:
            pass
        peak = max(peak, total)
        time.sleep(0.05)
    if child.returncode:
        sys.exit(f"the intake of {raw} failed (exit {child.returncode})")
    out = json.loads(result_file.read_text())
    out.update(peak_tree_mb=peak / 1024 ** 2, load_before=load, load_after=os.getloadavg()[0])
    return out


# ---------------------------------------------------------------------------------------- report

def _line(name: str, r: dict) -> str:
    return (f"  {name:<22} {r['top_level_files']:>5} files {r['documents']:>5} documents {r['pages']:>6} pages  "
            f"{r['seconds']:>7.1f} s (register {r['register_s']:.1f}, extract {r['extract_s']:.1f}, read rows "
            f"{r['read_s']:.1f})  {r['top_level_files'] / r['seconds']:>6.1f} files/s "
            f"{r['pages'] / r['seconds']:>7.1f} pages/s  peak {r['peak_tree_mb']:>5.0f} MB tree, "
            f"{max(r['maxrss_self_mb'], r['maxrss_children_mb']):>4.0f} MB largest process  "
            f"load {r['load_before']:.1f}->{r['load_after']:.1f}")


def main() -> int:
    parser = add_quick(argparse.ArgumentParser(description=__doc__.splitlines()[0]))
    parser.add_argument("--files", type=int, help="top-level files of the mixed corpus (default 2000 x scale)")
    parser.add_argument("--small-files", type=int, help="files of the small corpus (default 200 x scale)")
    parser.add_argument("--pdf-pages", type=int, help="pages of the PDF-only corpus (default 2000 x scale)")
    parser.add_argument("--workers", type=int, default=0, help="extraction processes (0: one per CPU)")
    parser.add_argument("--out", type=Path, default=OUT_DIR / "ingest_mixed")
    parser.add_argument("--intake", nargs=4, type=Path, metavar=("RAW", "SCRATCH", "CACHE", "RESULT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.intake:
        raw, scratch, cache, result = args.intake
        result.write_text(json.dumps(intake(raw, scratch, cache, args.workers)))
        return 0
    scale = 0.05 if args.quick else float(os.environ.get("LEAKPIPE_BENCH_SCALE", "1"))
    files = args.files or max(2, round(2000 * scale))
    small = args.small_files or max(1, round(200 * scale))
    pdf_pages = args.pdf_pages or max(20, round(2000 * scale))
    sys.path.insert(0, str(SCRIPTS))
    ensure_importable()

    corpora = {}
    for name, size, build in [("pdf-only", pdf_pages, build_pdf_only(pdf_pages)), ("mixed", files, build_mixed(files)),
                              ("small", small, build_mixed(small))]:
        raw, meta = corpus(args.out, "pdf" if name == "pdf-only" else "mixed", size, build)
        corpora[name] = raw
        print(f"corpus {name}: {meta['files']} files {meta['by_kind']}, {meta['bytes'] / 1e6:.1f} MB "
              f"(generated in {meta['generated_s']} s)", flush=True)
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} (2 cores shared with other work)", flush=True)

    runs = args.out / "runs"
    results = {}
    # the baseline runs before and after the mixed corpus's first run (the machine's load drifts)
    for name, raw, cold in [("pdf-only, before", corpora["pdf-only"], True), ("mixed, first", corpora["mixed"], True),
                            ("pdf-only, after", corpora["pdf-only"], True), ("mixed, unchanged", corpora["mixed"], False),
                            ("small, first", corpora["small"], True)]:
        run_dir = runs / ("pdf" if name.startswith("pdf") else name.split(",")[0])
        results[name] = measure(raw, run_dir, args.workers, cold)
        print(_line(name, results[name]), flush=True)

    base, first, again, little = (results[k] for k in ("pdf-only, before", "mixed, first", "mixed, unchanged",
                                                      "small, first"))
    base_per_page = sum(results[k]["seconds"] / max(1, results[k]["pages"])
                        for k in ("pdf-only, before", "pdf-only, after")) / 2
    print()
    print_table([
        {"workload": f"mixed intake, s per 1,000 pages ({first['top_level_files']} files, {first['pages']} pages; "
                     f"vs PDF-only, {base['pages']} pages, mean of the runs before and after)",
         "project": 1000 * first["seconds"] / max(1, first["pages"]), "baseline": 1000 * base_per_page,
         "target": "<= 1.5x"},
        {"workload": f"mixed intake, peak MB of the process tree as s ({first['top_level_files']} vs "
                     f"{little['top_level_files']} files)",
         "project": first["peak_tree_mb"], "baseline": little["peak_tree_mb"], "target": "<= 1.5x"},
        {"workload": "mixed intake, unchanged corpus re-run (vs first run)", "project": again["seconds"],
         "baseline": first["seconds"], "target": "<= 0.05x"},
    ])
    print()
    print("extraction seconds per page by format (mixed, first run; summed over worker processes):")
    for fmt, (docs, pages, seconds) in first["by_format"].items():
        print(f"  {fmt:<6} {docs:>5} documents {pages:>6} pages {seconds:>8.1f} s  "
              f"{1000 * seconds / max(1, pages):>7.1f} ms/page")
    for name in ("pdf-only, before", "pdf-only, after"):
        docs, pages, seconds = results[name]["by_format"].get("pdf", [0, 0, 0.0])
        print(f"  {name}: {docs} documents {pages} pages {seconds:.1f} s {1000 * seconds / max(1, pages):.1f} ms/page")
    print(f"mixed corpus: {first['records']} registered files ({first['members']} members of "
          f"{first['containers']} archives and e-mails), {first['rows']} cost-sheet lines read; OCR: "
          f"{first['ocr'] or 'unavailable (images quarantined)'}")

    problems = []
    for name, r in results.items():
        problems += [f"{name}: {e}" for e in r["inventory_errors"]]
        problems += [f"{name}: {e}" for e in r["not_loaded"] if r["ocr"] or "ocr" not in e.lower()]
        if r["duplicates"]:
            problems.append(f"{name}: {r['duplicates']} documents share a sha256 (the corpus should have none)")
    if again["cached"] != again["documents"]:
        problems.append(f"the unchanged re-run extracted {again['documents'] - again['cached']} documents again")
    for p in problems[:20]:
        print("PROBLEM:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
