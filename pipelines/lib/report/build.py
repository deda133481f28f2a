"""build_report: the warehouse (read-only) and the raw folder (read-only) in, report.html, report.pdf
and report.md (+ report_files/ with its images) out, each written atomically."""
from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from pipelines.lib.common.files import replace_atomically

# The steps, in order; `progress(name)` is called once with each when it is done.
REPORT_STEPS = (
    "read warehouse",
    "crop leaked pages",
    "draw charts",
    "compose",
    "write html",
    "write markdown",
    "write pdf",
)


class ReportError(Exception):
    """The report cannot be built: `path` names what failed, `reason` says why."""

    def __init__(self, path: Path | str, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"cannot build the report at {path}: {reason}")


@dataclass
class ReportFiles:
    html: Path
    pdf: Path
    markdown: Path
    figures: Path                     # report_files/: the PNGs report.md shows
    timings: dict[str, float] = field(default_factory=dict)   # seconds per step
    rendered: list[str] = field(default_factory=list)   # images drawn by this build (charts by name, "crop")
    reused: list[str] = field(default_factory=list)     # images taken unchanged from the report folder's cache


def _write(path: Path, payload: bytes) -> None:
    """Write `payload` through a temporary file, flushed to disk, renamed over `path`."""
    def synced(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())

    replace_atomically(path, synced)


def _read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _prepare(out_dir: Path, raw_dir: Path) -> Path:
    """Create out_dir (and report_files/) and prove it writable before any work is done."""
    out_dir = Path(out_dir)
    try:
        resolved = out_dir.resolve()
    except (OSError, RuntimeError) as exc:
        raise ReportError(out_dir, f"the folder cannot be resolved ({exc})") from exc
    try:
        raw = Path(raw_dir).resolve()
        if resolved == raw or resolved.is_relative_to(raw):
            raise ReportError(out_dir, f"it is inside the raw folder {raw_dir}, which is never written "
                                       "(a report there would be ingested as an input)")
    except OSError:
        pass
    try:
        (out_dir / "report_files").mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out_dir):
            pass
    except OSError as exc:
        raise ReportError(out_dir, f"the folder cannot be written ({exc.strerror or exc})") from exc
    return out_dir


def build_report(warehouse: Path, raw_dir: Path, out_dir: Path, *,
                 progress: Callable[[str], None] | None = None) -> ReportFiles:
    """Build the report from `warehouse` (opened read-only) and the leaked PDFs under `raw_dir` (read
    only, for the cut-outs of implausible lines) into `out_dir`: report.html (one self-contained file),
    report.pdf, report.md and report_files/*.png (the Markdown's images). `progress(step)` is called
    after each of REPORT_STEPS. Raises ReportError when out_dir cannot be written or the warehouse
    cannot be opened."""
    from pipelines.lib.warehouse import analyst
    from pipelines.lib.report import cache as images
    from pipelines.lib.report import (
        charts,
        content,
        crops,
        data,
        render_html,
        render_md,
        render_pdf,
    )
    from pipelines.lib.report.render_md import FILES_DIR
    from pipelines.lib.report.sections.attribution import attribution_chart_groups
    from pipelines.lib.report.sections.leaks import MAX_CROPS, leak_lines
    from pipelines.lib.report.sections.sensitivity import sensitivity_panels

    warehouse, raw_dir = Path(warehouse), Path(raw_dir)
    out_dir = _prepare(out_dir, raw_dir)
    timings: dict[str, float] = {}
    clock = [time.perf_counter()]

    def done(step: str) -> None:
        now = time.perf_counter()
        timings[step] = now - clock[0]
        clock[0] = now
        if progress is not None:
            progress(step)

    try:
        con = analyst.connect(warehouse)
    except analyst.WarehouseUnavailable as exc:
        raise ReportError(warehouse, str(exc)) from exc
    try:
        rows = data.read(con, warehouse, raw_dir)
    finally:
        con.close()
    done(REPORT_STEPS[0])

    store = images.ImageCache(out_dir / images.CACHE_DIR)
    pages = crops.PageCache(raw_dir)
    lines = leak_lines(rows["leak_implausible"])
    cut = {}
    for k, claims in enumerate(lines[: MAX_CROPS]):
        first = claims[0]
        cut[k] = crops.crop_line(pages, rel_path=first["path"], document_id=first["document_id"],
                                 media_type=first["media_type"], page_no=first["page"], bbox=first["bbox"],
                                 store=store)
    done(REPORT_STEPS[1])

    panels, _ = sensitivity_panels(rows)
    drawn_by = (images.code_digest(charts.__name__), images.versions("matplotlib", "pillow"))
    inputs = {
        "fleet": (charts.fleet, rows["fleet_daily"]),
        "network_share": (charts.network_share, rows["network_share_daily"]),
        "profitability": (charts.profitability, rows["profitability_daily"], rows.profit_price),
        "attribution": (charts.attribution, attribution_chart_groups(rows)),
        "sensitivity": (charts.tornado, panels),
        "chain": (charts.chain, rows["chain_hashrate_daily"], rows["chain_breaks"],
                  rows["chain_detectability_windows"]),
    }
    # Each chart is drawn only when what shapes it (its rows, the chart code, the library versions)
    # differs from the last build's: otherwise its PNG is taken from the report folder's cache.
    pictures = {name: store.image(name, (drawn_by, draw.__name__, args),
                                  lambda draw=draw, args=args: draw(*args))
                for name, (draw, *args) in inputs.items()}
    done(REPORT_STEPS[2])

    doc = content.document(rows, cut, pictures)
    done(REPORT_STEPS[3])

    files = ReportFiles(out_dir / "report.html", out_dir / "report.pdf", out_dir / "report.md",
                        out_dir / FILES_DIR, timings)
    try:
        _write(files.html, render_html.render(doc).encode("utf-8"))
        done(REPORT_STEPS[4])
        wanted = set()
        for figure in doc.figures():
            wanted.add(f"{figure.name}.png")
            if _read_or_none(files.figures / f"{figure.name}.png") != figure.png:   # unchanged: not rewritten
                _write(files.figures / f"{figure.name}.png", figure.png)
        for old in files.figures.glob("*.png"):     # images of an earlier report no longer shown
            if old.name not in wanted and (old.name.startswith("crop-") or old.stem in pictures):
                old.unlink()
        _write(files.markdown, render_md.render(doc).encode("utf-8"))
        done(REPORT_STEPS[5])
        _write(files.pdf, render_pdf.render(doc))
        done(REPORT_STEPS[6])
    except OSError as exc:
        raise ReportError(getattr(exc, "filename", None) or out_dir, f"writing failed ({exc.strerror or exc})") from exc
    store.prune()
    files.rendered, files.reused = store.rendered, store.reused
    return files
