"""Expectation suites as data, run with great-expectations on a pandas frame; no Dagster import.

A suite is a list of `Expect`s declared next to the table it checks (pipelines/defs/<domain>/
checks.py). Each names a great-expectations expectation class and its arguments, plus a sentence
saying why a failing record is rejected. `run_suite` builds an ephemeral GX context (GX is
imported here, on first use only: it costs seconds), validates the frame with
`result_format=COMPLETE` and returns, per expectation, the indices of the failing rows.

Two levels: a *row* expectation names the records that break it (they are quarantined and the
clean rows flow on); a *table* expectation (row count, freshness) judges the table as a whole
and has a severity: `error` blocks what reads the table, `warn` only reports.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from pipelines.lib.common.files import replace_atomically

TODAY = "__today__"          # placeholder in Expect kwargs, resolved to the validation date
ROWID = "__rowid"            # the frame column holding the warehouse row id (not validated)
SUITE_FORMAT = 1             # bump when the stored result layout changes


@dataclass(frozen=True)
class Expect:
    """One expectation: `gx` is the great_expectations.expectations class name."""

    gx: str
    kwargs: tuple[tuple[str, Any], ...]
    why: str                                  # a sentence: why a failing record is rejected
    level: str = "row"                        # row | table
    severity: str = "error"                   # for table-level failures: error | warn
    label: str = ""                           # distinguishes two expectations of one kind on one column

    @property
    def name(self) -> str:
        """Stable name, used as core.quarantine.check_name: `<gx snake name>:<columns>[:label]`."""
        args = dict(self.kwargs)
        cols = args.get("column") or args.get("column_list") or [args.get("column_A"), args.get("column_B")]
        cols = [cols] if isinstance(cols, str) else [c for c in cols if c]
        parts = [_snake(self.gx), ",".join(cols)] if cols else [_snake(self.gx)]
        return ":".join(parts + ([self.label] if self.label else []))


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


def _as_timestamp(day: dt.date) -> str:
    return pd.Timestamp(day).isoformat()


def _expect(gx: str, why: str, level: str = "row", severity: str = "error", label: str = "", **kwargs) -> Expect:
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in kwargs.items()))
    return Expect(gx, frozen, why, level, severity, label)


# Constructors for the expectations the suites use -----------------------------------------------

def not_null(*columns: str) -> list[Expect]:
    return [_expect("ExpectColumnValuesToNotBeNull", f"{c} is missing", column=c) for c in columns]


def required_when(column: str, condition: str, why: str, label: str) -> Expect:
    """`column` must be present on the rows matching `condition` (a pandas query on the table)."""
    return _expect("ExpectColumnValuesToNotBeNull", why, label=label, column=column, row_condition=condition,
                   condition_parser="pandas")


def unique(*columns: str) -> Expect:
    what = ", ".join(columns)
    if len(columns) == 1:
        return _expect("ExpectColumnValuesToBeUnique", f"another row has the same {what}", column=columns[0])
    return _expect("ExpectCompoundColumnsToBeUnique", f"another row has the same ({what})",
                   column_list=list(columns))


def between(column: str, low=None, high=None, why: str = "", *, strict_low: bool = False,
            when: str | None = None, label: str = "") -> Expect:
    kwargs: dict[str, Any] = {"column": column, "min_value": low, "max_value": high}
    if strict_low:
        kwargs["strict_min"] = True
    if when:
        kwargs.update(row_condition=when, condition_parser="pandas")
    return _expect("ExpectColumnValuesToBeBetween", why or f"{column} outside [{low}, {high}]", label=label,
                   **kwargs)


def positive(*columns: str) -> list[Expect]:
    return [between(c, 0, None, f"{c} must be greater than 0", strict_low=True) for c in columns]


def non_negative(*columns: str) -> list[Expect]:
    return [between(c, 0, None, f"{c} cannot be negative") for c in columns]


def share(*columns: str) -> list[Expect]:
    return [between(c, 0, 1, f"{c} is a share and must lie between 0 and 1 (a percent not converted?)")
            for c in columns]


def not_future(column: str) -> Expect:
    return between(column, None, TODAY + "end", f"{column} lies in the future", label="not_future")


def not_before(column: str, day: str, why: str) -> Expect:
    return between(column, day, None, why, label="not_before")


def at_least(column_a: str, column_b: str, why: str) -> Expect:
    return _expect("ExpectColumnPairValuesAToBeGreaterThanB", why, column_A=column_a, column_B=column_b,
                   or_equal=True, ignore_row_if="either_value_is_missing")


def in_set(column: str, values: Iterable[str], why: str = "") -> Expect:
    values = sorted(set(values))
    shown = ", ".join(values) if len(values) <= 12 else f"{len(values)} allowed codes"
    return _expect("ExpectColumnValuesToBeInSet", why or f"{column} is not one of: {shown}",
                   column=column, value_set=values)


def matches(column: str, regex: str, why: str) -> Expect:
    return _expect("ExpectColumnValuesToMatchRegex", why, column=column, regex=regex)


def has_rows() -> Expect:
    """Table level: at least one row (added only when the table's inputs exist)."""
    return _expect("ExpectTableRowCountToBeBetween", "the inputs were loaded but the table is empty",
                   level="table", min_value=1)


def fresh(column: str, max_age_days: int) -> Expect:
    """Table level, warning only: the newest date is at most `max_age_days` old."""
    return _expect("ExpectColumnMaxToBeBetween",
                   f"the newest {column} is more than {max_age_days} days old (stale data)",
                   level="table", severity="warn", label="freshness", column=column,
                   min_value=f"{TODAY}-{max_age_days}")


@lru_cache(maxsize=1)
def iso_currencies() -> frozenset[str]:
    """ISO 4217 codes, from babel (CLDR), plus USDT which price files quote in."""
    from babel.numbers import list_currencies

    return frozenset(list_currencies()) | {"USDT"}


@dataclass(frozen=True)
class Suite:
    """What to validate in one warehouse table and how to name its rows."""

    table: str                                # schema.name
    locator: tuple[str, ...]                  # columns naming a row for a person (the key)
    expectations: tuple[Expect, ...]
    inputs_kind: str | None = None            # document kind whose loaded files mean rows must exist
    can_quarantine: bool = True               # False for views: failures are reported only
    notes: str = ""

    @property
    def name(self) -> str:
        return self.table.replace(".", "_")

    @property
    def version(self) -> str:
        """Changes whenever an expectation or the code that evaluates it changes (this module and what it
        imports, by content), so a stored result is never reused across suites."""
        from pipelines.lib.common.digests import source_digest

        text = json.dumps([SUITE_FORMAT, self.table, self.locator, [repr(e) for e in self.expectations],
                           source_digest(__name__)])
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def suite(table: str, locator: Iterable[str], *expectations: Expect | list[Expect], **kw) -> Suite:
    flat: list[Expect] = []
    for e in expectations:
        flat.extend(e if isinstance(e, list) else [e])
    names = [e.name for e in flat]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise ValueError(f"{table}: two expectations share a name: {sorted(dupes)} (give one a label)")
    return Suite(table, tuple(locator), tuple(flat), **kw)


# Running a suite -------------------------------------------------------------------------------

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
def _gx():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    import great_expectations.expectations as gxe
    from great_expectations.data_context.types.base import ProgressBarsConfig

    return gx, gxe, ProgressBarsConfig


def _context():
    gx, _, progress = _gx()
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = progress(globally=False)
    for site in list(context.get_site_names()):
        context.delete_data_docs_site(site)
    return context


def _validate(gx, gxe, name: str, data: pd.DataFrame, expectations: list[Expect], today: dt.date,
              result_format: str):
    """One GX validation of `data` against `expectations` in a fresh ephemeral context."""
    context = _context()
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
    gx, gxe, _ = _gx()
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


# Locators and quarantine records ---------------------------------------------------------------

def locators(frame: pd.DataFrame, columns: Iterable[str]) -> pd.Series:
    """'asset=BTC date=2024-01-03': the row's key, readable, stable across runs."""
    columns = list(columns)
    if not columns:
        return pd.Series([f"row {i}" for i in range(len(frame))], index=frame.index, dtype=object)
    texts = [frame[c].map(_text).astype(str).tolist() for c in columns]
    return pd.Series([" ".join(f"{c}={t}" for c, t in zip(columns, values)) for values in zip(*texts)],
                     index=frame.index, dtype=object)


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return "NULL"
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def record_json(row: pd.Series) -> str:
    """The row as JSON for core.quarantine.raw_record (dates ISO, lists as lists, NaN as null)."""
    def plain(v):
        if isinstance(v, (list, tuple)) or hasattr(v, "tolist"):
            v = v.tolist() if hasattr(v, "tolist") else list(v)
            return [plain(x) for x in v] if isinstance(v, list) else v
        if v is None or v is pd.NaT or v is pd.NA or (isinstance(v, float) and v != v):
            return None
        if isinstance(v, (pd.Timestamp, dt.date, dt.datetime)):
            return v.isoformat()
        return v.item() if hasattr(v, "item") else v
    return json.dumps({k: plain(v) for k, v in row.items() if k != ROWID}, ensure_ascii=False, default=str)


def quarantine_frame(frame: pd.DataFrame, spec: Suite, outcome: SuiteOutcome) -> pd.DataFrame:
    """One row per (failing record, broken expectation): locator, check_name, reason, raw_record, rowid."""
    failures = outcome.row_failures
    columns = ["document_id", "locator", "raw_record", "reason", "check_name", "row_id"]
    if not failures:
        return pd.DataFrame(columns=columns)
    positions = sorted(failures)
    rows = frame.reset_index(drop=True).iloc[positions]
    locs = locators(rows, spec.locator)
    out = []
    for pos, loc, (_, row) in zip(positions, locs, rows.iterrows()):
        raw = record_json(row)
        doc = row.get("document_id") if "document_id" in row.index else None
        for o in failures[pos]:
            out.append({"document_id": None if doc is None or doc != doc else str(doc), "locator": loc,
                        "raw_record": raw, "reason": f"{o.why} (expectation {o.name})",
                        "check_name": o.name, "row_id": None if pd.isna(row.get(ROWID)) else int(row[ROWID])})
    return pd.DataFrame(out, columns=columns)


# Stored results (for reuse on unchanged tables and for Data Docs) --------------------------------

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

    _gx()
    context = _context()
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
