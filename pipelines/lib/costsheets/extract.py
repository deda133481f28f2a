"""One leaked cost sheet in, contract rows out; a per-document cache keyed by content hash.

`extract_to_cache` is the unit of work: it reads one file and writes `<sha256>.<key>.parquet` (the
rows) and `<sha256>.<key>.json` (status, reason, pages, rejected lines) into the cache folder, and
holds no other state, so any process on any machine that sees the file and the cache folder can
run it. `extract_all` runs the missing ones in parallel; the warehouse is written by one loader.

The key is the content of everything that shapes the rows (this module, every `pipelines` module it
imports transitively, the reference tables they read: the header synonyms, coins, company aliases),
the limits and the OCR languages: a changed synonym or parser re-extracts, nobody bumps a version.
Only an outcome that says something about the bytes is cached: a timeout, a crash of the extractor
or of its worker is tried again on the next run.
"""
from __future__ import annotations

import concurrent.futures as cf
import hashlib
import json
import multiprocessing
import os
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from pipelines.lib.costsheets.errors import DocumentError
from pipelines.lib.costsheets.office import Read, sniff
from pipelines.lib.costsheets.pdf import extract_pdf
from pipelines.lib.costsheets.sheets import read_csv, read_xlsx
from pipelines.lib.costsheets.tables import CONTRACT_COLUMNS, Context, normalise, table_locale
from pipelines.lib.common.digests import source_digest
from pipelines.lib.common.files import replace_atomically
from pipelines.lib.common.parsed import Rejected

# Outcomes that say nothing lasting about the bytes (the machine was busy, the code crashed, the
# worker was lost): never written to the cache, so the next run extracts the document again.
RETRIED_CHECKS = frozenset({"cost_sheets.timeout", "cost_sheets.parser_error", "cost_sheets.worker_died"})


@dataclass(frozen=True)
class Limits:
    max_pages: int = 500
    timeout_seconds: float = 120.0
    ocr: bool = True          # False: never run tesseract (scanned pages are quarantined)


@dataclass
class Extraction:
    document_id: str
    path: str
    status: str                           # loaded | quarantined
    error: str | None = None
    check: str | None = None
    pages: int | None = None
    rows: int = 0
    rejected: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    methods: dict = field(default_factory=dict)
    seconds: float = 0.0
    cached: bool = False
    text_parts: list = field(default_factory=list)   # [(locator, text, source)]: every part's text (read_document)
    sender: str | None = None             # From address of the e-mail that carried it (a company clue)


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=CONTRACT_COLUMNS)
    for column in ("period_start", "period_end"):
        frame[column] = pd.to_datetime(frame[column]).dt.date
    return frame


def extract_document(path: Path, limits: Limits, ocr_langs: str | None, *, sender: str | None = None,
                     file_name: str | None = None) -> tuple[pd.DataFrame, list[Rejected], int | None, list[str]]:
    """(rows, rejected lines, pages, notes) for one file; raises DocumentError for a file-level reason.
    `sender`: the From address of the e-mail that carried the file, `file_name`: its name as leaked
    (default: the path's), both clues to its company when the sheet never names one."""
    frame, rejected, pages, notes, _ = read_document(path, limits, ocr_langs, sender=sender, file_name=file_name)
    return frame, rejected, pages, notes


def _office(kind: str, path: Path, limits: Limits, ocr_langs: str | None, deadline: float) -> Read:
    """A DOCX, XLS, ODS, HTML or image document read by its own reader."""
    if kind == "docx":
        from pipelines.lib.costsheets.docxfile import read_docx
        return read_docx(path)
    if kind in ("xls", "ods"):
        from pipelines.lib.costsheets.calamine import read_calamine
        return read_calamine(path, kind)
    if kind == "html":
        from pipelines.lib.costsheets.htmlfile import read_html
        return read_html(path)
    from pipelines.lib.costsheets.images import read_image
    return read_image(path, max_pages=limits.max_pages, deadline=deadline,
                      ocr_langs=ocr_langs if limits.ocr else None)


def _sourced(parts: list[tuple[str, str]], source: str) -> list[tuple[str, str, str]]:
    """A reader's (locator, text) parts with where their text came from: 'office' or 'ocr'."""
    return [(locator, text, source) for locator, text in parts]


def read_document(path: Path, limits: Limits, ocr_langs: str | None, *, sender: str | None = None,
                  file_name: str | None = None
                  ) -> tuple[pd.DataFrame, list[Rejected], int | None, list[str], list[tuple[str, str, str]]]:
    """(rows, rejected lines, pages, notes, text parts) for one file, dispatched by its content (magic
    bytes) and then its name; raises DocumentError for a file-level reason. Text parts are
    (locator, text, source) for the full-text index: a PDF's pages ('page 3'; source 'pdf_text', or
    'ocr' for a scanned page), an image's pages ('image page 2', 'ocr'), a spreadsheet's sheets
    ("sheet 'Q3'"), a CSV ('csv'), a Word document ('docx'), an HTML page ('html'), all 'office'.
    A document refused for holding no cost table keeps its text parts on the DocumentError
    (`text_parts`): its words are still worth finding.
    `sender`, `file_name`: clues to the company when the sheet never names one (see extract_document)."""
    deadline = time.monotonic() + limits.timeout_seconds
    suffix = path.suffix.lower()
    with open(path, "rb") as fh:
        head = fh.read(64)
    notes: list[str] = []
    kind = sniff(path, head)
    if kind == "pdf" or suffix == ".pdf":
        result = extract_pdf(path, max_pages=limits.max_pages, deadline=deadline,
                             ocr_langs=ocr_langs if limits.ocr else None)
        tables, text, pages = result.tables, result.text, result.pages
        parts = [(f"page {n}", t, "ocr" if n in result.ocr_pages else "pdf_text")
                 for n, t in sorted(result.page_texts.items()) if t.strip()]
        if result.ocr_pages:
            notes.append(f"OCR on page(s) {', '.join(map(str, result.ocr_pages))}")
        where = (f"{pages} page(s) read, {len(result.candidate_pages)} looked like tables"
                 + (f", {len(result.ocr_pages)} OCRed" if result.ocr_pages else ""))
    elif kind == "xlsx":
        tables, text, pages, parts = read_xlsx(path)
        parts = _sourced(parts, "office")
        where = f"{pages} sheet(s) read"
    elif kind == "csv":
        tables, text, notes, parts = read_csv(path)
        parts = _sourced(parts, "office")
        pages, where = 1, "the file was read"
    elif kind in ("docx", "xls", "ods", "html", "image"):
        read = _office(kind, path, limits, ocr_langs, deadline)
        tables, text, pages, where, notes, parts = (read.tables, read.text, read.pages, read.where, read.notes,
                                                    read.text_parts)
        parts = _sourced(parts, "ocr" if kind == "image" else "office")
    else:
        raise DocumentError(f"unsupported cost sheet format '{suffix or 'no extension'}' (expected PDF, "
                            "XLSX, XLS, ODS, CSV, DOCX, HTML or a PNG, JPEG or TIFF image)",
                            "cost_sheets.unsupported_format")
    if not any(t.rows for t in tables):
        error = DocumentError(f"no cost table found: {where}, but no table had a header naming at least "
                              "three cost-sheet columns (site, GPU, count, power, price, hashrate, ...)",
                              "cost_sheets.no_table")
        error.text_parts = parts
        raise error
    notes += list(dict.fromkeys(n for t in tables for n in getattr(t, "notes", [])))
    locale = table_locale(tables)
    doc = Context.from_text(text, locale).with_company_clues(text, file_name=file_name or path.name, sender=sender)
    rows, rejected = normalise(tables, doc, locale)
    return _frame(rows), rejected, pages, notes, parts


def cache_key(limits: Limits, ocr_langs: str | None) -> str:
    """The cache entries' key: the extraction code and reference tables (by content), the limits, the
    OCR languages."""
    blob = json.dumps([source_digest(__name__), asdict(limits), ocr_langs if limits.ocr else None])
    return hashlib.sha256(blob.encode()).hexdigest()[:12]


def _paths(cache_dir: Path, document_id: str, key: str, relative: str, sender: str | None = None
           ) -> tuple[Path, Path]:
    """A document's cache entry. The leaked name and the sender of the e-mail that carried it are part of
    it, since a sheet that never names its company takes it from them (costsheets.context): the same
    bytes under another name, or from another sender, are read again."""
    clues = relative if sender is None else f"{relative}\0{sender}"
    name = hashlib.sha256(clues.encode("utf-8")).hexdigest()[:8]
    stem = f"{document_id}.{key}.{name}"
    return cache_dir / f"{stem}.parquet", cache_dir / f"{stem}.json"


def _quarantine(summary: Extraction, reason: str, check: str) -> None:
    """The whole document is refused: no rows, one file-level quarantine record with the reason."""
    summary.status, summary.error, summary.check, summary.rows = "quarantined", reason, check, 0
    summary.rejected = [Rejected("file", {"path": summary.path}, reason, check)
                        .as_row("cost_sheet_lines", summary.document_id)]


def _store(cache_dir: Path, key: str, frame: pd.DataFrame, summary: Extraction) -> None:
    """Write one document's cache entry: its rows (Parquet) and its summary (JSON), each atomically."""
    rows_path, meta_path = _paths(cache_dir, summary.document_id, key, summary.path, summary.sender)
    cache_dir.mkdir(parents=True, exist_ok=True)
    replace_atomically(rows_path, lambda p: frame.to_parquet(p, index=False))
    replace_atomically(meta_path, lambda p: p.write_text(json.dumps(asdict(summary), default=str)))


def extract_to_cache(path: str, document_id: str, relative: str, cache_dir: str, limits: Limits,
                     ocr_langs: str | None, key: str | None = None, sender: str | None = None) -> dict:
    """Extract one document into the cache folder; returns its summary (an Extraction as dict).
    `key`: the cache key the caller reads back (default: this process's cache_key), so a worker
    elsewhere writes where the caller looks. `sender`: the From address of the e-mail that carried the
    file (None: not carried by one). A timeout or a crash is returned but not cached."""
    started = time.perf_counter()
    summary = Extraction(document_id=document_id, path=relative, status="loaded", sender=sender)
    frame = _frame([])
    try:
        frame, rejected, summary.pages, summary.notes, summary.text_parts = read_document(
            Path(path), limits, ocr_langs, file_name=relative, sender=sender)
        summary.rejected = [r.as_row("cost_sheet_lines", document_id) for r in rejected]
        summary.rows = len(frame)
        summary.methods = {str(k): int(v) for k, v in frame["extraction_method"].value_counts().items()}
    except DocumentError as exc:
        frame = _frame([])
        _quarantine(summary, exc.reason, exc.check)
        summary.text_parts = getattr(exc, "text_parts", [])
    except Exception as exc:  # a parser bug on one file never stops the others
        frame = _frame([])
        _quarantine(summary, f"the extractor failed on this file ({type(exc).__name__}: {exc})",
                    "cost_sheets.parser_error")
        summary.notes.append(traceback.format_exc(limit=4))
    summary.seconds = round(time.perf_counter() - started, 4)
    if summary.check not in RETRIED_CHECKS:
        _store(Path(cache_dir), key or cache_key(limits, ocr_langs), frame, summary)
    return asdict(summary)


def _cached(cache_dir: Path, document_id: str, key: str, relative: str, sender: str | None = None) -> dict | None:
    """The cached summary, or None when absent or damaged (then the document is extracted again)."""
    import pyarrow.parquet as pq

    rows_path, meta_path = _paths(cache_dir, document_id, key, relative, sender)
    if not (rows_path.exists() and meta_path.exists()):
        return None
    try:
        summary = json.loads(meta_path.read_text())
        if pq.read_metadata(rows_path).num_rows != summary["rows"] or summary.get("check") in RETRIED_CHECKS:
            return None
        return summary
    except Exception:  # unreadable JSON or Parquet footer: a cache entry is never trusted blindly
        return None


def _sender(doc: tuple) -> str | None:
    """A document tuple is (path, document_id, relative path) or (..., sender): the From address of
    the e-mail that carried it."""
    return doc[3] if len(doc) > 3 else None


def cache_misses(docs: list[tuple], cache_dir: Path, limits: Limits, ocr_langs: str | None) -> list[tuple]:
    """The documents `extract_all` would have to extract (absent or damaged in the cache)."""
    key = cache_key(limits, ocr_langs)
    return [d for d in docs if _cached(cache_dir, d[1], key, d[2], _sender(d)) is None]


def cached_summaries(docs: list[tuple], cache_dir: Path, limits: Limits, ocr_langs: str | None
                     ) -> dict[str, dict | None]:
    """{relative path: its cached summary (an Extraction as dict), or None when the cache lacks it}:
    what `extract_all` left, read back without extracting anything (the full-text index's source)."""
    ocr_langs = ocr_langs if limits.ocr else None
    key = cache_key(limits, ocr_langs)
    return {d[2]: _cached(cache_dir, d[1], key, d[2], _sender(d)) for d in docs}


def extract_all(docs: list[tuple], cache_dir: Path, limits: Limits, ocr_langs: str | None, *,
                workers: int = 0, log=None, executor: cf.Executor | None = None) -> list[Extraction]:
    """Summaries for every (path, document_id, relative path[, sender]), extracting only what the cache
    lacks (sender: the From address of the e-mail that carried the document, a clue to its company).

    Missing documents run in a local process pool of `workers` (0: one per CPU), or on `executor`
    when given (any concurrent.futures executor, e.g. a Dask cluster's; `workers` is then its
    parallelism, used only for the time budget). A document still unfinished after the budget is
    quarantined as timed out for this run (not cached: the next run tries it again); a local pool's
    stuck processes are killed, another executor's queued tasks are cancelled and its processes left
    alone (they are not ours)."""
    ocr_langs = ocr_langs if limits.ocr else None
    key = cache_key(limits, ocr_langs)
    summaries: dict[str, dict] = {}
    todo = []
    for doc in docs:
        path, document_id, relative = doc[:3]
        hit = _cached(cache_dir, document_id, key, relative, _sender(doc))
        if hit is not None:
            hit.update(path=relative, cached=True, sender=_sender(doc))
            summaries[relative] = hit
        else:
            todo.append((str(path), document_id, relative, str(cache_dir), limits, ocr_langs, key, _sender(doc)))
    workers = workers or os.cpu_count() or 1
    if executor is None and (len(todo) <= 1 or workers == 1):
        for args in todo:
            summaries[args[2]] = extract_to_cache(*args)
    elif todo:
        own = executor is None
        pool = executor or cf.ProcessPoolExecutor(max_workers=min(workers, len(todo)),
                                                  mp_context=multiprocessing.get_context("spawn"))
        futures = {pool.submit(extract_to_cache, *args): args for args in todo}
        try:
            wait = limits.timeout_seconds * 2 + 30 + len(todo) * limits.timeout_seconds / max(1, workers)
            done, pending = cf.wait(futures, timeout=wait)
            for future in done:
                args = futures[future]
                try:
                    summaries[args[2]] = future.result()
                except Exception as exc:  # the worker process died (killed, out of memory), or was lost
                    summaries[args[2]] = _failed(args, f"the extraction worker died ({type(exc).__name__}: {exc})",
                                                 "cost_sheets.worker_died")
            for future in pending:
                args = futures[future]
                summaries[args[2]] = _failed(args, f"timed out: extraction did not finish within "
                                             f"{int(wait)} s", "cost_sheets.timeout")
        finally:
            if own:
                if any(not f.done() for f in futures):
                    for process in list(getattr(pool, "_processes", {}).values()):
                        process.kill()
                pool.shutdown(wait=True, cancel_futures=True)
            else:
                # A task already running elsewhere finishes there; its late result only rewrites
                # this document's cache entry (atomically), which the next run then reads.
                for future in futures:
                    future.cancel()
    out = []
    for doc in docs:
        s = summaries[doc[2]]
        out.append(Extraction(**{k: v for k, v in s.items() if k in Extraction.__dataclass_fields__}))
        if log and not s.get("cached"):
            log(f"{doc[2]}: {s['status']} ({s['rows']} rows, {s['seconds']} s)"
                + (f" - {s['error']}" if s.get("error") else ""))
    return out


def _failed(args, reason: str, check: str) -> dict:
    """A document the pool could not finish (timed out, worker lost): quarantined for this run, not
    cached, so the next run tries it again."""
    summary = Extraction(document_id=args[1], path=args[2], status="quarantined", sender=args[7])
    _quarantine(summary, reason, check)
    return asdict(summary)


def read_rows(cache_dir: Path, extractions: list[Extraction], limits: Limits, ocr_langs: str | None
              ) -> pd.DataFrame:
    """The cached rows of every loaded document, with document_id and path. The cached files are read as
    Arrow tables by a pool of threads (pyarrow releases the GIL) and turned into one frame at once:
    3,040 cached documents in about a third of the time of one pandas read each. A cache whose files do
    not share one schema after the usual promotions (a period column with a time of day) is read file by
    file as before."""
    key = cache_key(limits, ocr_langs)
    loaded = [(e, _paths(cache_dir, e.document_id, key, e.path, e.sender)[0]) for e in extractions
              if e.status == "loaded"]
    if not loaded:
        return pd.DataFrame(columns=CONTRACT_COLUMNS + ["document_id", "path"])
    import pyarrow as pa

    try:
        return _read_rows_arrow(loaded)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):   # no one schema: file by file
        frames = []
        for e, rows_path in loaded:
            frame = pd.read_parquet(rows_path)
            frame["document_id"], frame["path"] = e.document_id, e.path
            frames.append(frame)
        return pd.concat(frames, ignore_index=True)


DATE_COLUMNS = ("period_start", "period_end")   # written as dates by some parsers, as timestamps by others


def _read_rows_arrow(loaded: list) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    def one(item) -> pa.Table:
        e, rows_path = item
        table = pq.read_table(rows_path)
        for name in DATE_COLUMNS:   # a day stored as a midnight timestamp is that day (a time of day raises)
            i = table.schema.get_field_index(name)
            if i >= 0 and pa.types.is_timestamp(table.schema.field(i).type):
                column = table.column(i)
                days = column.cast(pa.date32())
                if pc.all(pc.equal(days.cast(column.type), column)).as_py() is False:
                    raise pa.ArrowInvalid(f"{rows_path}: {name} has a time of day")
                table = table.set_column(i, name, days)
        ids = pa.array([e.document_id] * table.num_rows, pa.string())
        paths = pa.array([e.path] * table.num_rows, pa.string())
        return table.append_column("document_id", ids).append_column("path", paths)

    with cf.ThreadPoolExecutor(max_workers=min(8, 2 * (os.cpu_count() or 1))) as pool:
        tables = list(pool.map(one, loaded))
    return pa.concat_tables(tables, promote_options="permissive").to_pandas()
