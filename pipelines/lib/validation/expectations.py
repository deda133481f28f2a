"""Expectation suites as data: what to check in a warehouse table, declared next to the table it
checks (pipelines/defs/<domain>/checks.py); no great-expectations and no Dagster import here.

A suite is a list of `Expect`s. Each names a great-expectations expectation class and its arguments,
plus a sentence saying why a failing record is rejected; `runner.run_suite` evaluates them.

Two levels: a *row* expectation names the records that break it (they are quarantined and the
clean rows flow on); a *table* expectation (row count, freshness) judges the table as a whole
and has a severity: `error` blocks what reads the table, `warn` only reports.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable

TODAY = "__today__"          # placeholder in Expect kwargs, resolved to the validation date
ROWID = "__rowid"            # the frame column holding the warehouse row id (not validated)
SUITE_FORMAT = 1             # bump when the stored result layout changes

# The modules that evaluate a suite and store its result: a suite's version covers them (and what they
# import) as much as this one, so a stored result is never reused across a change of how it was judged.
EVALUATED_BY = ("pipelines.lib.validation.runner", "pipelines.lib.validation.quarantine",
                "pipelines.lib.validation.results")


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
        """Changes whenever an expectation or the code that evaluates it changes (this module, the modules
        of EVALUATED_BY and what they import, by content), so a stored result is never reused across suites."""
        from pipelines.lib.common.digests import source_digest

        text = json.dumps([SUITE_FORMAT, self.table, self.locator, [repr(e) for e in self.expectations],
                           source_digest(__name__, *EVALUATED_BY)])
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
