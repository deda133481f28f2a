"""PDF ingestion speed: the project's cost-sheet extraction against pdfplumber on every page.

Corpus: scripts/make_cost_sheets.build_bench_corpus, >= 200 pages in 10 PDFs, about one page in
five holding a ruled cost table (the rest prose). In the same run:
  baseline  pdfplumber `extract_tables()` on every page, one process
  first     the project's extract_all on a cold cache (triage, pdfplumber only where needed, parallel)
  unchanged extract_all again on the same files (cache hits keyed by content hash)
Targets (issue 3): first at least 3x the baseline's pages/s; unchanged at most 5 % of first.

    python bench/ingest_pdfs.py [--quick] [--pages N]
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import OUT_DIR, PROJECT_ROOT, add_quick, ensure_importable, print_table  # noqa: E402

ensure_importable()
sys.path.insert(0, str(PROJECT_ROOT / "scripts"))


def baseline(paths: list[Path]) -> int:
    import pdfplumber

    tables = 0
    for path in paths:
        with pdfplumber.open(str(path)) as pdf:
            for page in pdf.pages:
                tables += len(page.extract_tables())
                page.close()
    return tables


def main() -> int:
    parser = add_quick(argparse.ArgumentParser(description=__doc__.splitlines()[0]))
    parser.add_argument("--pages", type=int, default=200)
    args = parser.parse_args()
    pages = 40 if args.quick else max(200, args.pages)

    from make_cost_sheets import build_bench_corpus

    from pipelines.lib.costsheets.extract import Limits, extract_all, read_rows

    corpus = OUT_DIR / f"pdf_corpus_{pages}"
    shutil.rmtree(corpus, ignore_errors=True)
    paths = build_bench_corpus(corpus, pages=pages, table_every=5, seed=0)
    docs = [(p, hashlib.sha256(p.read_bytes()).hexdigest(), p.name) for p in paths]
    import pypdfium2 as pdfium

    total_pages = sum(len(pdfium.PdfDocument(str(p))) for p in paths)
    print(f"corpus: {len(paths)} PDFs, {total_pages} pages, ~1 in 5 with a table; {os.cpu_count()} CPUs")

    started = time.perf_counter()
    base_tables = baseline(paths)
    base = time.perf_counter() - started

    cache = OUT_DIR / "pdf_cache"
    shutil.rmtree(cache, ignore_errors=True)
    started = time.perf_counter()
    first = extract_all(docs, cache, Limits(), None)
    first_s = time.perf_counter() - started
    started = time.perf_counter()       # as the pipeline does it: hash every file, then ask the cache
    rehashed = [(p, hashlib.sha256(p.read_bytes()).hexdigest(), p.name) for p in paths]
    again = extract_all(rehashed, cache, Limits(), None)
    again_s = time.perf_counter() - started

    rows = read_rows(cache, first, Limits(), None)
    problems = [f"{e.path}: {e.status} {e.error}" for e in first if e.status != "loaded"]
    if not all(e.cached for e in again):
        problems.append("the unchanged run extracted documents again")
    print()
    print_table([
        {"workload": f"first ingestion, {total_pages} pages (time; target = 3x the pages/s)",
         "project": first_s, "baseline": base, "target": "<= 0.333x"},
        {"workload": "unchanged files, second run incl. hashing (vs first run)", "project": again_s, "baseline": first_s,
         "target": "<= 0.05x"},
    ])
    print()
    print(f"pages/s: baseline {total_pages / base:,.1f}, project first {total_pages / first_s:,.1f} "
          f"({base / first_s:.1f}x), unchanged {total_pages / again_s:,.0f}")
    print(f"baseline found {base_tables} tables; project loaded {len(rows)} lines from "
          f"{rows.groupby(['document_id', 'table_index']).ngroups if len(rows) else 0} tables")
    for p in problems:
        print("PROBLEM:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
