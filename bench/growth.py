"""Growth: the whole pipeline (`python -m pipelines.run`) on 1x, 4x and 16x inputs; time per unit of
input and peak memory against 1x; one document added to the 16x corpus; the 16x extraction on a
local Dask cluster.

Inputs, built from the bundled raw/ folder into a temporary folder per size k:
  - every cost sheet replicated k times with distinct bytes (a site name or a number changed in text
    files, a PDF comment after %%EOF, a zip comment in XLSX: another sha256, so another document
    the extraction cache has not seen; the work of extracting it is the original's);
  - the daily price, network and FX series lengthened backwards by (k-1) copies of their span, each
    shifted back a span and scaled, never before the coin existed or the daily partitions start
    (2009-01-03): at 16x that cap binds, so the units actually loaded are counted, not assumed.
Each size runs on a cold extraction cache (the extraction is part of what grows), in its own
process tree; peak memory is the largest resident set of any process of the run (the run itself
or an extraction worker; getrusage RUSAGE_CHILDREN of a wrapper process).

Units per workload: documents for extraction; daily rows (rows of the lengthened files) for the
daily tables, the models and orchestration; input megabytes for the whole run.

Writes docs/scaling_growth.png and the table between the growth markers of docs/scaling.md.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PROJECT_ROOT, ensure_importable, print_table, quick_requested  # noqa: E402

RAW = PROJECT_ROOT / "raw"
DOCS = PROJECT_ROOT / "docs"
HISTORY_START = dt.date(2009, 1, 3)
# No price or chain row before a coin existed (a validation would rightly reject one).
FIRST_DAY = {"BTC": dt.date(2010, 7, 17), "ETH": dt.date(2015, 8, 7), "ETC": dt.date(2016, 7, 24),
             "XMR": dt.date(2014, 5, 21), "FX": dt.date(2009, 1, 3), "BTCNET": HISTORY_START}
SERIES = {"prices/BTC-USD.csv": "BTC", "prices/ETH-USD.csv": "ETH", "prices/etc-usd-max.csv": "ETC",
          "prices/xmr_coinmetrics.csv": "XMR", "network/btc_network_daily.csv": "BTCNET",
          "network/etc_coinmetrics.csv": "ETC", "network/xmr_coinmetrics.csv": "XMR", "fx/ecb_eurusd.csv": "FX"}
WRAPPER = ("import resource, subprocess, sys\n"
           "p = subprocess.run(sys.argv[1:])\n"
           "print('PEAK_RSS_KB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
           "sys.exit(p.returncode)\n")


# ----------------------------------------------------------------------------------------- inputs

def replica(path: Path, i: int, out: Path) -> None:
    """A copy of a cost sheet with other bytes and the same extraction work."""
    data = path.read_bytes()
    if i == 0:
        out.write_bytes(data)
    elif path.suffix.lower() in {".xlsx", ".docx", ".ods", ".zip"}:   # zip containers: a zip comment
        shutil.copyfile(path, out)
        with zipfile.ZipFile(out, "a") as z:
            z.comment = f"growth replica {i}".encode()
    elif path.suffix.lower() == ".pdf":
        out.write_bytes(data + f"\n% growth replica {i}\n".encode())
    elif not _is_text(data):   # an image (PNG, JPEG, TIFF) or other binary: readers ignore trailing bytes
        out.write_bytes(data + f"growth replica {i}".encode())
    else:
        text = data.decode("utf-8-sig")
        changed = text.replace("Dublin (IE)", f"Dublin {i} (IE)").replace("Frankfurt (DE)", f"Frankfurt {i} (DE)")
        out.write_text(changed if changed != text else text + "\n" * i, encoding="utf-8-sig"
                       if data.startswith(b"\xef\xbb\xbf") else "utf-8")


def _is_text(data: bytes) -> bool:
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


def lengthen(path: Path, k: int, first_allowed: dt.date, out: Path) -> int:
    """The daily file with (k-1) earlier copies of its span prepended; returns its data rows."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], lines[1:]
    dates = [dt.date.fromisoformat(r[:10]) for r in rows]
    span = (max(dates) - min(dates)).days + 1
    earlier = []
    for c in range(k - 1, 0, -1):
        factor = 0.8 ** c   # older prices and hashrates are lower; the exact level does not matter
        for row, day in zip(rows, dates):
            shifted = day - dt.timedelta(days=c * span)
            if shifted < max(first_allowed, HISTORY_START):
                continue
            cells = row.split(",")
            cells[0] = shifted.isoformat() + cells[0][10:]
            for j in range(1, len(cells)):
                if re.fullmatch(r"\d+\.\d+", cells[j]):
                    decimals = len(cells[j].split(".")[1])
                    cells[j] = f"{float(cells[j]) * factor:.{decimals}f}"
            earlier.append(",".join(cells))
    out.write_text("\n".join([header, *earlier, *rows]) + "\n", encoding="utf-8")
    return len(earlier) + len(rows)


def build_inputs(k: int, root: Path, extra_document: bool = False) -> dict:
    raw = root / "raw"
    shutil.copytree(RAW, raw, dirs_exist_ok=True)
    sheets = sorted(p for p in (RAW / "cost_sheets").iterdir() if p.is_file())
    documents = 0
    for p in sheets:
        for i in range(k):
            replica(p, i, raw / "cost_sheets" / (p.name if i == 0 else f"{p.stem}_r{i:02d}{p.suffix}"))
            documents += 1
    if extra_document:
        p = RAW / "cost_sheets" / "en_idle_mining_h2_2023.pdf"
        replica(p, 999, raw / "cost_sheets" / f"{p.stem}_added{p.suffix}")
        documents += 1
    day_rows = sum(lengthen(RAW / rel, k, FIRST_DAY[coin], raw / rel) for rel, coin in SERIES.items())
    size_mb = sum(p.stat().st_size for p in raw.rglob("*") if p.is_file()) / 1e6
    return {"raw": raw, "documents": documents, "day_rows": day_rows, "input_mb": size_mb}


# ------------------------------------------------------------------------------------------ runs

LOGS = PROJECT_ROOT / "bench" / "out" / "growth"


def run_pipeline(root: Path, raw: Path, cache: Path, executor: str = "local", name: str = "",
                 profile: Path | None = None) -> dict:
    home = root / "dagster"
    home.mkdir(exist_ok=True)
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    env = dict(os.environ, LEAKPIPE_RAW_DIR=str(raw), LEAKPIPE_WAREHOUSE=str(root / "warehouse" / "leaks.duckdb"),
               LEAKPIPE_REPORTS_DIR=str(root / "reports"), LEAKPIPE_EXTRACT_CACHE=str(cache),
               DAGSTER_HOME=str(home), LEAKPIPE_EXTRACT_EXECUTOR=executor)
    started = time.perf_counter()
    command = [sys.executable, *(["-m", "cProfile", "-o", str(profile)] if profile else []), "-m", "pipelines.run"]
    proc = subprocess.run([sys.executable, "-c", WRAPPER, *command], env=env,
                          cwd=PROJECT_ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if name:   # the run's own summary (per-asset seconds), for finding where the time went
        LOGS.mkdir(parents=True, exist_ok=True)
        (LOGS / f"{name}.log").write_text(proc.stdout + "\n--- stderr\n" + proc.stderr[-20000:])
    if proc.returncode:
        sys.exit(f"the run on {raw} failed (exit {proc.returncode}):\n"
                 + "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-30:]))
    peak = int(re.search(r"PEAK_RSS_KB (\d+)", proc.stderr).group(1)) / 1024
    steps = {m.group(1): float(m.group(2)) for m in re.finditer(r"^  (\S.*?)\s+([\d.]+) s$", proc.stdout, re.M)}
    split = re.search(r"asset compute ([\d.]+) s \+ orchestration ([\d.]+) s", proc.stdout)
    compute, orchestration = (float(split.group(1)), float(split.group(2))) if split else (float("nan"),) * 2

    def step(*names):
        return sum(v for k, v in steps.items() if any(k.startswith(n) for n in names))

    published = root / "warehouse" / "leaks.duckdb"
    return {"wall": wall, "peak_mb": peak, "orchestration": orchestration, "compute": compute,
            "warehouse_mb": published.stat().st_size / 1e6 if published.exists() else 0.0,
            "extraction": step("core/cost_sheet_lines"), "daily": step("core/prices_daily", "core/network_daily"),
            "models": step("marts/models"), "publish": step("warehouse/published"), "steps": steps}


def dask_cluster(workers: int):
    try:
        from distributed import LocalCluster
    except ImportError:
        return None
    return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                        scheduler_port=0, memory_limit="2GiB", silence_logs=40)


# --------------------------------------------------------------------------------------- results

WORKLOADS = [("whole run (wall)", "wall", "input_mb", "MB"), ("extraction", "extraction", "documents", "doc"),
             ("daily tables", "daily", "day_rows", "day row"), ("models", "models", "day_rows", "day row"),
             ("orchestration", "orchestration", "day_rows", "day row")]


def chart(results: dict, path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted(results)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for label, key, unit, _ in WORKLOADS:
        base = results[1][key] / results[1][unit]
        left.plot(sizes, [results[s][key] / results[s][unit] / base for s in sizes], marker="o", label=label)
    left.axhline(1.1, color="grey", linestyle="--", linewidth=1, label="target 1.1x")
    left.set(xscale="log", xticks=sizes, xticklabels=[f"{s}x" for s in sizes], xlabel="input size",
             ylabel="time per unit / time per unit at 1x", title="Time per unit of input")
    left.legend(fontsize=7)
    right.plot(sizes, [results[s]["peak_mb"] for s in sizes], marker="o", color="tab:red")
    right.axhline(1.5 * results[1]["peak_mb"], color="grey", linestyle="--", linewidth=1, label="target 1.5x of 1x")
    right.set(xscale="log", xticks=sizes, xticklabels=[f"{s}x" for s in sizes], xlabel="input size",
              ylabel="peak RSS of one process (MB)", title="Peak memory", ylim=(0, None))
    right.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def write_docs(text: str) -> None:
    doc = DOCS / "scaling.md"
    body = doc.read_text(encoding="utf-8")
    begin, end = "<!-- growth:begin (written by bench/growth.py) -->", "<!-- growth:end -->"
    block = f"{begin}\n{text.rstrip()}\n{end}"
    if begin in body:
        body = body[:body.index(begin)] + block + body[body.index(end) + len(end):]
    else:
        body = body.rstrip() + "\n\n## Measured growth\n\n" + block + "\n"
    doc.write_text(body, encoding="utf-8")


def add_one_document(root: Path) -> Path:
    """The document added to a built corpus: another replica of a cost-sheet PDF (new bytes, same work)."""
    added = RAW / "cost_sheets" / "en_idle_mining_h2_2023.pdf"
    target = root / "raw" / "cost_sheets" / f"{added.stem}_added{added.suffix}"
    replica(added, 999, target)
    return target


def one_document_only(k: int, keep: Path | None, profile: bool) -> None:
    """Only the one-document workload, at size k: a first run, one document added, the run after it; the
    per-asset seconds of both (largest first) and, with --profile, a cProfile of the second run.
    With --keep DIR the extraction cache is kept there between invocations (the first run is then warm:
    only the ratio of the two runs' compute and their per-asset split are comparable, not the bench's)."""
    with tempfile.TemporaryDirectory(dir=os.environ.get("LEAKPIPE_BENCH_TMP")) as tmp:
        root = Path(tmp) / f"x{k}"
        inputs = build_inputs(k, root)
        cache = (keep / f"cache-x{k}") if keep else root / "cache"
        first = run_pipeline(root, inputs["raw"], cache, name=f"x{k}-first")
        add_one_document(root)
        LOGS.mkdir(parents=True, exist_ok=True)
        prof = LOGS / f"x{k}-plus-one.prof" if profile else None
        second = run_pipeline(root, inputs["raw"], cache, name=f"x{k}-plus-one", profile=prof)
    print(f"{k}x: {inputs['documents']} documents, {inputs['day_rows']} daily rows")
    for label, r in (("first run", first), ("+ one document", second)):
        print(f"{label:<16} wall {r['wall']:6.1f} s  compute {r['compute']:6.1f} s  orchestration "
              f"{r['orchestration']:6.1f} s  extraction {r['extraction']:5.2f} s  peak {r['peak_mb']:.0f} MB")
    print(f"one document added: {second['wall'] / first['wall']:.3f}x of the first run's wall "
          f"(compute {second['compute'] / first['compute']:.3f}x)")
    print("\nper asset, seconds (first run, + one document), largest in the second run first:")
    for key in sorted(set(first["steps"]) | set(second["steps"]), key=lambda s: -second["steps"].get(s, 0))[:40]:
        print(f"  {key:<40} {first['steps'].get(key, 0):7.2f} {second['steps'].get(key, 0):7.2f}")
    if prof:
        print(f"\ncProfile of the second run: {prof} (python -m pstats {prof})")


def main() -> None:
    ensure_importable()
    if "--one-document" in sys.argv[1:]:
        import argparse

        parser = argparse.ArgumentParser(description="only the one-document-added workload")
        parser.add_argument("--one-document", action="store_true")
        parser.add_argument("--size", type=int, default=16, help="corpus multiplier (default 16)")
        parser.add_argument("--keep", type=Path, help="keep the extraction cache in this folder between calls")
        parser.add_argument("--profile", action="store_true", help="cProfile the run after the added document")
        args = parser.parse_args()
        one_document_only(args.size, args.keep, args.profile)
        return
    quick = quick_requested()
    sizes = [1, 2] if quick else [1, 4, 16]
    big = sizes[-1]
    results, rows, lines = {}, [], []
    with tempfile.TemporaryDirectory(dir=os.environ.get("LEAKPIPE_BENCH_TMP")) as tmp:
        for k in sizes:
            root = Path(tmp) / f"x{k}"
            inputs = build_inputs(k, root)
            results[k] = {**inputs, **run_pipeline(root, inputs["raw"], root / "cache", name=f"x{k}")}
            r = results[k]
            print(f"{k:>2}x: {r['documents']} documents, {r['day_rows']} daily rows, {r['input_mb']:.1f} MB: "
                  f"wall {r['wall']:.1f} s (extraction {r['extraction']:.1f} s, daily tables {r['daily']:.1f} s, "
                  f"models {r['models']:.1f} s, orchestration {r['orchestration']:.1f} s, publish {r['publish']:.2f} s), "
                  f"peak {r['peak_mb']:.0f} MB", flush=True)
        # One more document in the biggest corpus: the run after it, warm cache, same warehouse.
        root = Path(tmp) / f"x{big}"
        add_one_document(root)
        one_more = run_pipeline(root, root / "raw", root / "cache", name=f"x{big}-plus-one")
        print(f"{big}x + 1 document: wall {one_more['wall']:.1f} s (extraction {one_more['extraction']:.2f} s)", flush=True)
        # The biggest corpus' extraction on a local Dask cluster, cold cache.
        workers = max(2, os.cpu_count() or 2)
        cluster = dask_cluster(workers)
        dask_run = None
        if cluster is None:
            print("dask/distributed are not installed (pip install '.[scale]'): the Dask row is skipped")
        else:
            try:
                droot = Path(tmp) / f"x{big}-dask"
                shutil.copytree(root / "raw", droot / "raw")
                address = cluster.scheduler_address.replace("tcp://", "dask://")
                dask_run = run_pipeline(droot, droot / "raw", droot / "cache", executor=address, name=f"x{big}-dask")
                print(f"{big}x on a local Dask cluster ({workers} worker processes x 1 thread): wall "
                      f"{dask_run['wall']:.1f} s, extraction {dask_run['extraction']:.1f} s", flush=True)
            finally:
                cluster.close()
    for label, key, unit, unit_name in WORKLOADS:
        base = results[1][key] / results[1][unit]
        per = "  ".join(f"{k}x {results[k][key] / results[k][unit] * 1000:.2f} ms/{unit_name} "
                        f"({results[k][key] / results[k][unit] / base:.2f}x)" for k in sizes)
        lines.append(f"{label:<18} {per}")
        rows.append({"workload": f"growth: {label}, time per {unit_name} at {big}x (vs 1x)",
                     "project": results[big][key] / results[big][unit], "baseline": base, "target": "<= 1.1x"})
    rows.append({"workload": f"growth: peak memory at {big}x (vs 1x; MB as s)", "project": results[big]["peak_mb"],
                 "baseline": results[1]["peak_mb"], "target": "<= 1.5x"})
    rows.append({"workload": f"growth: one document added to the {big}x corpus (vs its first run)",
                 "project": one_more["wall"], "baseline": results[big]["wall"], "target": "<= 0.05x"})
    if dask_run:
        rows.append({"workload": f"growth: {big}x extraction on a local Dask cluster (vs local pool)",
                     "project": dask_run["extraction"], "baseline": results[big]["extraction"], "target": "<= 1.5x"})
    print("\ntime per unit of input (ratio to 1x):")
    print("\n".join(lines))
    print(f"peak memory: " + ", ".join(f"{k}x {results[k]['peak_mb']:.0f} MB" for k in sizes))
    print()
    print_table(rows)
    if not quick:
        DOCS.mkdir(exist_ok=True)
        chart(results, DOCS / "scaling_growth.png")
        table = ["| size | documents | daily rows | input MB | wall s | extraction s | daily tables s | models s | "
                 "orchestration s | publish s | peak MB | warehouse MB |", "|---|---|---|---|---|---|---|---|---|---|---|---|"]
        table += [f"| {k}x | {r['documents']} | {r['day_rows']} | {r['input_mb']:.1f} | {r['wall']:.1f} | "
                  f"{r['extraction']:.1f} | {r['daily']:.1f} | {r['models']:.1f} | {r['orchestration']:.1f} | "
                  f"{r['publish']:.2f} | {r['peak_mb']:.0f} | {r['warehouse_mb']:.0f} |" for k, r in sorted(results.items())]
        extra = [f"\n{big}x + one document (warm cache, same warehouse): {one_more['wall']:.1f} s "
                 f"= {one_more['wall'] / results[big]['wall']:.2f}x of the {big}x first run."]
        if dask_run:
            extra.append(f"{big}x on a local Dask cluster ({workers} worker processes x 1 thread, cold cache): "
                         f"wall {dask_run['wall']:.1f} s, extraction {dask_run['extraction']:.1f} s "
                         f"(local pool: {results[big]['extraction']:.1f} s).")
        else:
            extra.append("Dask row skipped: dask/distributed not installed.")
        write_docs(f"Measured {time.strftime('%Y-%m-%d')} by `python bench/growth.py` on {os.cpu_count()} cores "
                   "(cold extraction cache per size).\n\n![time per unit and peak memory](scaling_growth.png)\n\n"
                   + "\n".join(table) + "\n\nTime per unit of input (ratio to 1x):\n\n```\n" + "\n".join(lines)
                   + "\n```\n" + "\n".join(extra))
        (PROJECT_ROOT / "bench" / "out").mkdir(parents=True, exist_ok=True)
        (PROJECT_ROOT / "bench" / "out" / "growth.json").write_text(json.dumps(
            {str(k): {a: (str(b) if isinstance(b, Path) else b) for a, b in r.items()} for k, r in results.items()},
            indent=1))


if __name__ == "__main__":
    main()
