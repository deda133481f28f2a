"""Running a suite with great-expectations on a pandas frame; no Dagster import.

`run_suite` builds an ephemeral GX context (GX is imported here, on first use only: it costs
seconds), validates the frame and returns, per expectation, its outcome and the positions of the
failing rows.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pandas as pd

from pipelines.lib.validation.expectations import ROWID, TODAY, Expect, Suite


@dataclass
class ExpectationOutcome:
    name: str
    gx: str
    level: str
    severity: str
    why: str
    success: bool
    element_count: int | None
    unexpected_count: int | None
    observed: Any = None
    failing_index: list[int] = field(default_factory=list)   # frame positions of failing rows


@dataclass
class SuiteOutcome:
    suite: str
    rows: int
    outcomes: list[ExpectationOutcome]
    gx_result: dict                                          # the GX validation result as JSON

    @property
    def row_failures(self) -> dict[int, list[ExpectationOutcome]]:
        """Frame position -> the row expectations it breaks."""
        out: dict[int, list[ExpectationOutcome]] = {}
        for o in self.outcomes:
            if o.level == "row":
                for i in o.failing_index:
                    out.setdefault(i, []).append(o)
        return out

    @property
    def table_failures(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if o.level == "table" and not o.success]


_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _as_timestamp(day: dt.date) -> str:
    return pd.Timestamp(day).isoformat()


def _resolve(value: Any, today: dt.date) -> Any:
    if isinstance(value, str) and value == TODAY + "end":
        return today.isoformat() + "T23:59:59.999999"   # the last instant of the day
    if isinstance(value, str) and value.startswith(TODAY):
        days = int(value[len(TODAY):] or 0)
        return _as_timestamp(today + dt.timedelta(days=days))
    if isinstance(value, str) and _DAY.match(value):
        return value + "T00:00:00"   # GX reads a bare day as a date, which pandas will not compare with timestamps
    if isinstance(value, tuple):
        return list(value)
    return value


def _prepare(frame: pd.DataFrame) -> pd.DataFrame:
    """The table as GX sees it: without the row id, positions 0..n-1, timestamps naive UTC (DuckDB gives
    DATE as datetime64, TIMESTAMPTZ as tz-aware, and the bounds are naive)."""
    frame = frame.drop(columns=[ROWID], errors="ignore").reset_index(drop=True)
    for col in frame.columns:
        if isinstance(frame[col].dtype, pd.DatetimeTZDtype):
            frame[col] = frame[col].dt.tz_convert("UTC").dt.tz_localize(None)
    return frame


@lru_cache(maxsize=1)
def load_gx():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    import great_expectations.expectations as gxe
    from great_expectations.data_context.types.base import ProgressBarsConfig

    return gx, gxe, ProgressBarsConfig


def gx_context():
    gx, _, progress = load_gx()
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = progress(globally=False)
    for site in list(context.get_site_names()):
        context.delete_data_docs_site(site)
    return context


def _validate(gx, gxe, name: str, data: pd.DataFrame, expectations: list[Expect], today: dt.date,
              result_format: str):
    """One GX validation of `data` against `expectations` in a fresh ephemeral context."""
    context = gx_context()
    batch = (context.data_sources.add_pandas(name).add_dataframe_asset(name)
             .add_batch_definition_whole_dataframe("whole table"))
    # Built whole, then registered once: add_expectation on a registered suite re-saves it each time.
    gx_suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=[
        getattr(gxe, e.gx)(meta={"name": e.name, "why": e.why}, **{k: _resolve(v, today) for k, v in e.kwargs})
        for e in expectations]))
    definition = context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch,
                                                                            suite=gx_suite))
    return definition.run(batch_parameters={"dataframe": data}, result_format={"result_format": result_format})


def run_suite(frame: pd.DataFrame, spec: Suite, today: dt.date, *, with_rows_expected: bool) -> SuiteOutcome:
    """Validate `frame` (one warehouse table) against `spec` with great-expectations.

    Two passes: every expectation with GX's BASIC result (counts, observed values; half the cost
    of COMPLETE), then only the row expectations that failed again with COMPLETE, for the index of
    every failing row. Their results replace the BASIC ones, so the stored result and the Data
    Docs hold the full detail wherever something failed."""
    gx, gxe, _ = load_gx()
    data = _prepare(frame)
    expectations = [e for e in spec.expectations if e.gx != "ExpectTableRowCountToBeBetween" or with_rows_expected]
    by_name = {e.name: e for e in expectations}
    result = _validate(gx, gxe, spec.name, data, expectations, today, "BASIC")
    failed = [by_name[r.expectation_config.meta["name"]] for r in result.results
              if not r.success and not _exception(r.exception_info)
              and by_name[r.expectation_config.meta["name"]].level == "row"]
    if failed:
        detail = {r.expectation_config.meta["name"]: r
                  for r in _validate(gx, gxe, spec.name, data, failed, today, "COMPLETE").results}
        result.results = [detail.get(r.expectation_config.meta["name"], r) for r in result.results]
    outcomes = []
    for r in result.results:
        e = by_name[r.expectation_config.meta["name"]]
        info = r.result or {}
        error = _exception(r.exception_info)
        if error:
            raise RuntimeError(f"{spec.table}: expectation {e.name} could not run: {error}")
        outcomes.append(ExpectationOutcome(
            name=e.name, gx=e.gx, level=e.level, severity=e.severity, why=e.why, success=bool(r.success),
            element_count=info.get("element_count"), unexpected_count=info.get("unexpected_count"),
            observed=_plain(info.get("observed_value")),
            failing_index=sorted(int(i) for i in info.get("unexpected_index_list") or []),
        ))
    return SuiteOutcome(spec.table, len(data), outcomes, result.to_json_dict())


def _exception(info) -> str | None:
    """GX reports a failed metric either flat or keyed by metric id; the message, or None."""
    if not info:
        return None
    entries = [info] if "raised_exception" in info else [i for i in info.values() if isinstance(i, dict)]
    for entry in entries:
        if entry.get("raised_exception") or entry.get("exception_message"):
            text = entry.get("exception_message") or entry.get("exception_traceback") or ""
            return text.strip().splitlines()[-1] if text.strip() else "unknown error"
    return None


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, (pd.Timestamp, dt.date)):
        return value.isoformat()
    return value
