"""The `metadata` claims: what a leaked file says about itself (core.document_metadata) against its own sheet.

Document-level rows (page, table_index and row_index NULL), one per document and claim:
  metadata_period      the file's last recorded write vs the end of the period its sheet reports
  metadata_dates       its creation date vs its modification date (Info and XMP, each pair on its own)
  metadata_producer    the tool that wrote it vs that tool's first release (pipelines/reference/pdf_producers.csv)
  metadata_text_layer  (PDF) a text layer laid over scanned pages by a later tool (OCR, an incremental update)

Only the impossible is `implausible`: a file modified before it was created (beyond clock skew), or written
by a tool not yet released (beyond the weeks a preview build can run ahead). Everything else that does not
fit is `unverifiable` with the fact it rests on: dates can be wrong, templates predate their figures, and a
text layer over a scan is a later reading of the images, not a forgery.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from pipelines.lib.common.missing import is_missing
from pipelines.lib.forensics.producers import Release, ocr_tool, release_of
from pipelines.lib.verification.verdicts import RESULT_COLUMNS, RULE_VERSION

CLOCK_SKEW = dt.timedelta(minutes=10)        # created after modified by less: one clock read twice
NO_OFFSET_SKEW = dt.timedelta(hours=14)      # one of the two dates has no UTC offset: any zone is possible
PREVIEW_DAYS = 90                            # a preview build may carry a version this long before its release
CLAIMS = ("metadata_period", "metadata_dates", "metadata_producer", "metadata_text_layer")
_DATES = {"created_at": "created (Info)", "modified_at": "modified (Info)",
          "xmp_created_at": "created (XMP)", "xmp_modified_at": "modified (XMP)"}


def _ts(value) -> pd.Timestamp | None:
    if is_missing(value):
        return None
    stamp = pd.Timestamp(value)
    return stamp.tz_convert("UTC") if stamp.tzinfo else stamp.tz_localize("UTC")


def _list(value) -> list:
    return list(value) if isinstance(value, (list, tuple, np.ndarray)) else []


def _day(value) -> str:
    return str(_ts(value).date())


def _when(value) -> str:
    return _ts(value).strftime("%Y-%m-%d %H:%M UTC")


def _dates(doc) -> dict:
    return {k: _ts(doc.get(k)) for k in _DATES if _ts(doc.get(k)) is not None}


def _latest_write(doc) -> tuple[str, pd.Timestamp] | None:
    dates = _dates(doc)
    return max(dates.items(), key=lambda kv: kv[1]) if dates else None


def _earliest_creation(doc) -> tuple[str, pd.Timestamp] | None:
    dates = {k: v for k, v in _dates(doc).items() if "created" in k}
    return min(dates.items(), key=lambda kv: kv[1]) if dates else None


def _no_dates_reason(doc) -> str:
    note = f" ({doc['notes']})" if not is_missing(doc.get("notes")) else ""
    return f"The file records no creation or modification date (Info dictionary, XMP or core properties){note}."


def check_period(doc) -> tuple:
    end = doc.get("period_end")
    if is_missing(end):
        return np.nan, "unverifiable", "The sheet gives no period end, so the file's dates cannot be set against it."
    end = pd.Timestamp(end).date()
    latest = _latest_write(doc)
    if latest is None:
        return np.nan, "unverifiable", _no_dates_reason(doc)
    field, when = latest
    days = (when.date() - end).days
    if when.date() < end:
        return days, "unverifiable", (
            f"The file was last written on {when.date()} ({_DATES[field]}), {-days} days before the period it "
            f"reports ended on {end}: either its figures were set down before they could be known or the "
            "file's dates are wrong (a wrong clock, a rewritten date).")
    first = _earliest_creation(doc)
    if first is not None and first[1].date() < end:
        return days, "plausible", (
            f"The file was created on {first[1].date()}, before the period it reports ended on {end} (a "
            f"template can be), and last written on {when.date()} ({_DATES[field]}), after it ended.")
    return days, "plausible", (f"The file was last written on {when.date()} ({_DATES[field]}), {days} days after "
                               f"the period it reports ended on {end}.")


def check_dates(doc) -> tuple:
    no_offset = set(_list(doc.get("dates_without_offset")))
    worst, facts = None, []
    for created, modified, source in (("created_at", "modified_at", "Info dictionary"),
                                      ("xmp_created_at", "xmp_modified_at", "XMP")):
        c, m = _ts(doc.get(created)), _ts(doc.get(modified))
        if c is None or m is None:
            continue
        skew = NO_OFFSET_SKEW if (created in no_offset) != (modified in no_offset) else CLOCK_SKEW
        hours = (c - m).total_seconds() / 3600
        facts.append((hours, source, c, m, skew))
        if worst is None or hours > worst[0]:
            worst = facts[-1]
    if worst is None:
        return np.nan, "unverifiable", ("The file does not give both a creation and a modification date "
                                        "(Info dictionary or XMP), so their order cannot be checked.")
    hours, source, c, m, skew = worst
    if c - m > skew:
        return hours, "implausible", (
            f"The {source} says the file was created on {_when(c)} but last modified on {_when(m)}, "
            f"{hours:,.1f} hours earlier: a file cannot be modified before it exists (clock-skew tolerance "
            f"{skew.total_seconds() / 3600:g} hours).")
    text = "; ".join(f"{s}: created {_when(cc)}, modified {_when(mm)}" for _, s, cc, mm, _ in facts)
    return hours, "plausible", f"Creation and modification dates are in order ({text})."


def check_producer(doc) -> tuple:
    latest, first = _latest_write(doc), _earliest_creation(doc)
    tools = [("producer", doc.get("producer"), latest), ("creator tool", doc.get("creator_tool"), first or latest),
             ("XMP producer", doc.get("xmp_producer"), latest), ("XMP creator tool", doc.get("xmp_creator_tool"), first or latest)]
    tools = [(label, str(name), when) for label, name, when in tools if not is_missing(name) and str(name).strip()]
    if not tools:
        return np.nan, "unverifiable", "The file names no producer or creator tool, so neither can be dated."
    if latest is None:
        return np.nan, "unverifiable", (f"The file names its {tools[0][0]} '{tools[0][1]}' but gives no date to "
                                        "set it against.")
    dated, undated, seen = [], [], set()
    for label, name, (field, when) in tools:
        if (name, field) in seen:          # the same tool against the same date once
            continue
        seen.add((name, field))
        release = release_of(name)
        if isinstance(release, Release):
            dated.append((label, name, field, when, release, (when.date() - release.released).days))
        else:
            undated.append(f"'{name}'" + (f" ({release})" if isinstance(release, str) else ""))
    if not dated:
        return np.nan, "unverifiable", (f"No release date is known for {', '.join(dict.fromkeys(undated))}: the producer table "
                                        "(pipelines/reference/pdf_producers.csv) does not list it.")
    label, name, field, when, release, days = min(dated, key=lambda d: d[5])
    version = f"{release.product} {release.found or release.version}".strip()
    fact = (f"The {label} '{name}' ({version}, first released {release.released}, {release.source}) wrote a file "
            f"dated {when.date()} ({_DATES[field]})")
    if days < -PREVIEW_DAYS:
        return days, "implausible", f"{fact}, {-days} days before that release: the tool did not exist yet."
    if days < 0:
        return days, "unverifiable", (f"{fact}, {-days} days before that release: possible only with a preview "
                                      "build, or the file's date is wrong.")
    rest = f" ({', '.join(dict.fromkeys(undated))} not dated)" if undated else ""
    return days, "plausible", f"{fact}, {days} days after that release{rest}."


def check_text_layer(doc) -> tuple:
    pages = doc.get("pages")
    if is_missing(pages) or is_missing(doc.get("pages_with_text")):
        return np.nan, "unverifiable", ("The PDF's pages could not be read"
                                        + (f" ({doc['notes']})" if not is_missing(doc.get("notes")) else "") + ".")
    pages, text, images = int(pages), int(doc["pages_with_text"]), int(doc["pages_with_images"])
    invisible = int(doc.get("pages_with_invisible_text") or 0)
    revisions = [p for p in _list(doc.get("revision_producers")) if p]
    ocr = ocr_tool(*(doc.get(k) if not is_missing(doc.get(k)) else None
                     for k in ("producer", "creator_tool", "xmp_producer", "xmp_creator_tool")))
    added = doc.get("text_added_by_update")
    if not is_missing(added) and bool(added):
        return text, "unverifiable", (
            f"An incremental update added the text: the file's first revision draws no text, its last draws "
            f"text on {text} of {pages} pages (producers by revision: {' -> '.join(revisions) or 'not named'}). "
            "The text layer is a later addition, not the original document's.")
    every_page_image = pages > 0 and images >= pages
    if every_page_image and text:
        by = (f"by {ocr}" if ocr else "drawn invisible (OCR)" if invisible else
              f"with producers {' -> '.join(dict.fromkeys(revisions))}" if len(set(revisions)) > 1 else "")
        if by:
            return text, "unverifiable", (
                f"Every one of the {pages} pages is an image with a text layer over it ({text} pages), {by}: the "
                "text is a later reading of the scan, not necessarily what the images show.")
        return text, "plausible", (f"Every one of the {pages} pages carries an image and text, with no sign of a "
                                   "text layer added by a later tool (no OCR tool named, no invisible text, one "
                                   "producer).")
    if every_page_image:
        return text, "plausible", f"All {pages} pages are images with no text layer: nothing was added over the scan."
    if not text and not images:
        return text, "unverifiable", f"None of the {pages} pages draws text or images."
    return text, "plausible", (f"{text} of {pages} pages carry text drawn by the producing tool, {images} an image: "
                               "not a scan under a text layer.")


_CHECKS = {"metadata_period": (check_period, "days"), "metadata_dates": (check_dates, "hours"),
           "metadata_producer": (check_producer, "days"), "metadata_text_layer": (check_text_layer, "pages")}
_INPUTS = {"metadata_period": "core.document_metadata dates; period end from core.cost_sheet_lines",
           "metadata_dates": "core.document_metadata created/modified (Info, XMP)",
           "metadata_producer": "core.document_metadata producer/creator tool; pipelines/reference/pdf_producers.csv",
           "metadata_text_layer": "core.document_metadata pages with text, images, invisible text; revisions"}


def check_metadata(docs: pd.DataFrame) -> pd.DataFrame:
    """One row per document and metadata claim (text layer: PDFs only) in the mart's shape. `docs`: rows of
    core.document_metadata with the sheet's `period_start`, `period_end` and `company` (NULL when none)."""
    rows = []
    for doc in docs.to_dict("records"):
        for claim, (check, unit) in _CHECKS.items():
            if claim == "metadata_text_layer" and doc.get("media_type") != "application/pdf":
                continue
            value, verdict, reason = check(doc)
            rows.append({"document_id": doc["document_id"], "page": pd.NA, "table_index": pd.NA, "row_index": pd.NA,
                         "claim": claim, "claimed_value": float(value) if not is_missing(value) else np.nan,
                         "expected_low": np.nan, "expected_high": np.nan, "verdict": verdict, "reason": reason,
                         "unit": unit, "company": doc.get("company"), "site": None, "device": None, "coin": None,
                         "period_start": doc.get("period_start"), "period_end": doc.get("period_end"),
                         "inputs": _INPUTS[claim], "rule_version": RULE_VERSION})
    out = pd.DataFrame(rows, columns=RESULT_COLUMNS)
    for c in ("page", "table_index", "row_index"):
        out[c] = out[c].astype("Int64")
    return out
