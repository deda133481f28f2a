"""Glue between the expectation suites (pipelines/lib/validation/: expectations.py declares
them, runner.py runs them, quarantine.py and results.py keep what they found) and Dagster asset checks.

There is no maintained Dagster integration for great-expectations 1.x, so this is it: one blocking
asset check per core table reads the table from DuckDB into pandas, validates it with an ephemeral
GX context, moves the failing rows to core.quarantine (stage 'validation', check_name = the
expectation) and lets the clean rows flow on. great_expectations is imported inside the check only.

Severity: failing *rows* are quarantined, so the check reports WARN and downstream assets run on
the clean rows; a failing *table* expectation (inputs loaded but the table empty) is ERROR and,
the check being blocking, stops what reads the table. Freshness is a WARN.

An unchanged table (same content fingerprint, same suite version, same day) reuses the stored
result instead of paying for GX again.
"""

import re
import time
from pathlib import Path

import dagster as dg
import pandas as pd

from pipelines.defs.loading import utc_now
from pipelines.lib.validation.expectations import ROWID, Suite
from pipelines.lib.validation.quarantine import locators, quarantine_frame
from pipelines.lib.validation.results import load_result, outcome_from_stored, save_result
from pipelines.lib.validation.runner import SuiteOutcome, run_suite
from pipelines.lib.warehouse.sql import run_file
from pipelines.lib.warehouse.store import transaction
from pipelines.resources import WarehouseResource

_TABLE = re.compile(r"^core\.[a-z_]+$")
FAILING_LOCATORS_SHOWN = 100


def results_folder(warehouse: WarehouseResource) -> Path:
    """Where each suite's latest result is kept (beside the warehouse; the Data Docs are built from it)."""
    return warehouse.published.parent / "validation_results"


def _read(con, spec: Suite) -> tuple[pd.DataFrame, str]:
    """The whole table in a deterministic order (key, then content) and its content fingerprint."""
    if not _TABLE.match(spec.table):
        raise ValueError(f"not a core table name: {spec.table!r}")
    order = ", ".join(f'"{c}"' for c in spec.locator)
    rowid = "rowid" if spec.can_quarantine else "NULL::BIGINT"   # a view has no row ids
    frame = con.execute(f"SELECT {rowid} AS {ROWID}, * FROM {spec.table} AS t "
                        f"ORDER BY {order + ', ' if order else ''}hash(t)").df()
    count, digest = con.execute(f"SELECT count(*), coalesce(sum(hash(t)), 0)::VARCHAR FROM {spec.table} AS t"
                                ).fetchone()
    return frame, f"{count}:{digest}"


def _inputs_loaded(con, kind: str | None) -> bool:
    if kind is None:
        return False
    if kind == "*":
        return True
    return con.execute("SELECT count(*) > 0 FROM core.documents WHERE kind = ? AND status = 'loaded'",
                       [kind]).fetchone()[0]


def validate_table(context, warehouse: WarehouseResource, spec: Suite) -> dg.AssetCheckResult:
    """The body of every expectation check."""
    started = time.perf_counter()
    today = utc_now().date()
    folder = results_folder(warehouse)
    with warehouse.handle().connect() as con:
        frame, fingerprint = _read(con, spec)
        stored = load_result(folder, spec, fingerprint, today)
        if stored is not None:
            outcome = outcome_from_stored(stored)
        else:
            outcome = run_suite(frame, spec, today, with_rows_expected=_inputs_loaded(con, spec.inputs_kind))
        failing = quarantine_frame(frame, spec, outcome)
        staged_outcomes = pd.DataFrame([{
            "name": o.name, "level": o.level, "severity": o.severity, "success": o.success,
            "element_count": o.element_count, "unexpected_count": o.unexpected_count,
            "observed": None if o.observed is None else str(o.observed), "why": o.why,
        } for o in outcome.outcomes], columns=["name", "level", "severity", "success", "element_count",
                                               "unexpected_count", "observed", "why"])
        validated = pd.DataFrame({"locator": locators(frame, spec.locator)})
        # a view's rows cannot be moved: its failures are reported, not quarantined
        staged = failing if spec.can_quarantine else failing.iloc[0:0]
        with transaction(con, staged_quarantine=staged, validated=validated, staged_outcomes=staged_outcomes):
            run_file(con, "core/validation_sync.sql", {
                "source_table": spec.table.split(".")[1], "now": utc_now(), "validated_on": today,
                "rows_checked": len(frame)})
            if not staged.empty:
                con.execute(f"DELETE FROM {spec.table} WHERE rowid IN (SELECT row_id FROM staged_quarantine)")
    if stored is None:
        try:
            save_result(folder, spec, fingerprint, today, outcome, failing)
        except OSError as exc:   # only the reuse and the Data Docs need it
            context.log.warning(f"could not keep the validation result in {folder}: {exc}")
    return _result(spec, outcome, failing, reused=stored is not None, seconds=time.perf_counter() - started)


def _result(spec: Suite, outcome: SuiteOutcome, failing: pd.DataFrame, *, reused: bool,
            seconds: float) -> dg.AssetCheckResult:
    rows_failing = failing["locator"].nunique() if not failing.empty else 0
    table_errors = [o for o in outcome.table_failures if o.severity == "error"]
    passed = rows_failing == 0 and not outcome.table_failures
    severity = dg.AssetCheckSeverity.ERROR if table_errors else dg.AssetCheckSeverity.WARN
    lines = ["| expectation | level | result | failing rows |", "|---|---|---|---|"]
    for o in outcome.outcomes:
        shown = o.unexpected_count if o.level == "row" else (o.observed if o.observed is not None else "")
        lines.append(f"| {o.name} | {o.level} | {'pass' if o.success else 'FAIL'} | {shown} |")
    by_check = failing.groupby("check_name")["locator"].apply(list).to_dict() if not failing.empty else {}
    metadata = {
        "rows_checked": dg.MetadataValue.int(outcome.rows),
        "rows_failing": dg.MetadataValue.int(int(rows_failing)),
        "rows_quarantined": dg.MetadataValue.int(int(rows_failing) if spec.can_quarantine else 0),
        "expectations": dg.MetadataValue.md("\n".join(lines)),
        "failing_locators": dg.MetadataValue.json(
            {k: sorted(set(locs))[:FAILING_LOCATORS_SHOWN] for k, locs in by_check.items()}),
        "table_failures": dg.MetadataValue.json(
            [{"expectation": o.name, "why": o.why, "observed": o.observed, "severity": o.severity}
             for o in outcome.table_failures]),
        "reused_stored_result": dg.MetadataValue.bool(reused),
        "compute_seconds": dg.MetadataValue.float(round(seconds, 3)),
    }
    if rows_failing and spec.can_quarantine:
        description = f"{rows_failing} row(s) moved to core.quarantine; the clean rows flow on"
    elif rows_failing:
        description = f"{rows_failing} row(s) break an expectation (reported only: {spec.table} is a view)"
    elif outcome.table_failures:
        description = "; ".join(f"{o.name}: {o.why} (observed {o.observed})" for o in outcome.table_failures)
    else:
        description = f"all {len(outcome.outcomes)} expectations pass on {outcome.rows} rows"
    return dg.AssetCheckResult(passed=passed, severity=severity, metadata=metadata, description=description)


def expectation_check(spec: Suite, *, blocking: bool = True,
                      asset: dg.AssetKey | None = None) -> dg.AssetChecksDefinition:
    """A Dagster asset check running `spec` on its table, attached to `asset` (default: the asset whose key
    is the table's schema and name; a daily table's monthly history asset gets its own)."""
    schema, name = spec.table.split(".")
    doc = (f"great-expectations suite on {spec.table} ({len(spec.expectations)} expectations). "
           "Failing rows move to core.quarantine (stage validation); the clean rows flow on."
           + (f" {spec.notes}" if spec.notes else ""))

    @dg.asset_check(asset=asset or dg.AssetKey([schema, name]), name="expectations", blocking=blocking,
                    description=doc)
    def _check(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource) -> dg.AssetCheckResult:
        return validate_table(context, warehouse, spec)

    return _check
