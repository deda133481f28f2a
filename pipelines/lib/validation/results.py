"""Stored validation results: kept for reuse on an unchanged table, and rendered as
great-expectations Data Docs (with every value from a document escaped for HTML)."""
from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path
from typing import Any

import pandas as pd

from pipelines.lib.common.files import replace_atomically
from pipelines.lib.validation.expectations import Suite
from pipelines.lib.validation.runner import ExpectationOutcome, SuiteOutcome, gx_context, load_gx


def save_result(folder: Path, spec: Suite, fingerprint: str, today: dt.date, outcome: SuiteOutcome,
                quarantined: pd.DataFrame) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{spec.name}.json"
    payload = {
        "suite": spec.table, "suite_version": spec.version, "fingerprint": fingerprint,
        "validated_on": today.isoformat(), "rows": outcome.rows,
        "outcomes": [o.__dict__ for o in outcome.outcomes],
        "quarantined": quarantined.drop(columns=["row_id"]).to_dict("records"),
        "gx_result": outcome.gx_result,
    }
    replace_atomically(path, lambda tmp: tmp.write_text(json.dumps(payload, default=str), encoding="utf-8"))
    return path


def load_result(folder: Path, spec: Suite, fingerprint: str, today: dt.date) -> dict | None:
    """The stored result of this suite version on this exact table content and day, else None."""
    try:
        payload = json.loads((folder / f"{spec.name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (payload.get("suite_version"), payload.get("fingerprint"), payload.get("validated_on")) != (
            spec.version, fingerprint, today.isoformat()):
        return None
    return payload


def outcome_from_stored(payload: dict) -> SuiteOutcome:
    return SuiteOutcome(payload["suite"], payload["rows"],
                        [ExpectationOutcome(**o) for o in payload["outcomes"]], payload["gx_result"])


def _html_escaped(value: Any) -> Any:
    """Every string inside `value` HTML-escaped (dict keys are column names from our own suites)."""
    if isinstance(value, str):
        return html.escape(value)
    if isinstance(value, dict):
        return {k: _html_escaped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_html_escaped(v) for v in value]
    return value


def data_docs_safe(gx_result: dict) -> dict:
    """The result with every observed value escaped for HTML. Data Docs put unexpected values into
    the page as they are, and those values come from leaked documents: a cell reading
    `<script>...` would run in the analyst's browser. The expectations themselves come from our code."""
    safe = dict(gx_result)
    safe["results"] = [dict(r, result=_html_escaped(r.get("result") or {}),
                            exception_info=_html_escaped(r.get("exception_info") or {}))
                       for r in gx_result.get("results", [])]
    return safe


def build_data_docs(results_folder: Path, site_folder: Path) -> Path:
    """Render every stored validation result as great-expectations Data Docs; returns index.html."""
    from great_expectations.core.expectation_validation_result import (
        ExpectationSuiteValidationResultSchema,
    )
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    load_gx()
    context = gx_context()
    context.add_data_docs_site(site_name="leakpipe", site_config={
        "class_name": "SiteBuilder",
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(site_folder)},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    })
    schema = ExpectationSuiteValidationResultSchema()
    for path in sorted(results_folder.glob("*.json")):
        payload = json.loads(path.read_text(encoding="utf-8"))
        result = schema.load(data_docs_safe(payload["gx_result"]))
        run_id = result.meta.get("run_id")
        run = RunIdentifier(run_name=payload["suite"], run_time=getattr(run_id, "run_time", None)
                            if not isinstance(run_id, dict) else run_id.get("run_time"))
        key = ValidationResultIdentifier(ExpectationSuiteIdentifier(result.suite_name), run,
                                         batch_identifier=payload["suite"])
        context.validation_results_store.set(key, result)
    context.build_data_docs(site_names=["leakpipe"])
    return site_folder / "index.html"
