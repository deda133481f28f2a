"""The AI accelerator fleet per company and day, and the idle part of it, as a seeded Monte Carlo.

Installed accelerators on day d, draw k = accelerators per USD_k x the accelerator spend of the last
service-life_k years: filed quarterly capex x the company's gpu_share_of_capex_k, plus, after a company's
last filed quarter (or for a company with no filings), announced plans x their accelerator share x
plan_realisation_k, spread evenly over their horizon from their announcement on, and no later than the end
of their period when the text states one (a year's guidance given in October spends until December). A leaked sheet's device
count for a company and day is a floor (if the leak is true, at least that many exist): installed =
max(capex estimate, leak count). Idle = installed x idle_share_k. Spend before the first filed quarter is
not in the data, so the fleet counts accelerators bought from then on (the model's days start there).

Evidence. A company's fleet on a day is known (in a draw) only where evidence covers that day: a filed
quarter covers its days and, while its capex is in service (within the draw's service life), every day
after; a counted plan covers the days its spend is in service, from its announcement on (never before:
a plan announced after the last modelled day covers none of them); a leak covers its period. Elsewhere the
company's fleet is NaN (unknown), never zero, and the total idle fleet is NaN on days no company's
evidence covers (`IdleTotal`), so what it would mine there is unknown too.

Plans counted. Each plan once (`counted_plans`): rows marked `duplicate_of` are dropped, and per company
and period (core.capex_announcements.horizon_end: the fiscal or calendar year, or the end year, the text
states) one plan counts: the latest total-capex guidance when the period has one (an AI data-centre plan
of the same period is inside it, not on top of it), else the latest AI data-centre plan. Revised guidance
(April, July, October for one year) is thus one plan, the October figure. A plan without a stated end has
no period to compare and counts on its own.
"""
from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from pipelines.lib.capex.companies import Companies

DAYS_PER_YEAR = 365.25
QUANTILES = (0.05, 0.5, 0.95)
PLAN_SCOPES = ("ai_datacenter", "total_capex")
CAPEX_SHARE = "gpu_share_of_capex"          # the default range; a company's own range wins (assumptions)
NO_EVIDENCE = "no capex, plan or leak evidence for these days"
NO_EVIDENCE_DAY = "unknown: no capex, plan or leak evidence for this day"
RETIRED_IN_SOME_DRAWS = "unknown: the evidence's spend is retired within some draws' service life"


def canonical_company(name) -> str | None:
    """The capex alias table's company for a leak's or filing's name ('Microsoft Azure' -> 'Microsoft');
    an unknown name is kept as written."""
    if not isinstance(name, str) or not name.strip():
        return None
    found = Companies.bundled().lookup(name)
    return found.name if found else name.strip()


def quarter_start(period_end) -> pd.Timestamp:
    """First day of the three-month quarter ending on `period_end` (June 30 -> April 1, Feb 29 -> Dec 1)."""
    return (pd.Timestamp(period_end) + pd.Timedelta(days=1)) - pd.DateOffset(months=3)


def filed_spend(quarterly: pd.DataFrame, axis: pd.DatetimeIndex) -> dict[str, np.ndarray]:
    """Cumulative filed capex (USD) per company at the end of each day of `axis`: each quarter's capex spread
    evenly over its three months."""
    out: dict[str, np.ndarray] = {}
    for _, row in quarterly.dropna(subset=["company", "period_end", "capex_usd"]).iterrows():
        end = pd.Timestamp(row["period_end"])
        start = quarter_start(end)
        rate = np.zeros(len(axis))
        rate[(axis >= start) & (axis <= end)] = 1.0
        days = rate.sum()
        if days:
            spend = out.setdefault(canonical_company(row["company"]), np.zeros(len(axis)))
            spend += np.cumsum(rate) * float(row["capex_usd"]) / ((end - start).days + 1)
    return out


def _plan_cumulative(amount: float, start: int, after: int, horizon_days: float, n_axis: int,
                     stop: float | None = None) -> np.ndarray:
    """Cumulative spend of one plan at the end of each axis day: `amount` spread evenly over
    [start, start + horizon), counted only on days after index `after` (the last filed day) and before
    index `stop` (the day after the plan's period ends, when the text gives its end)."""
    day = np.arange(n_axis) + 1.0
    first = max(start, after + 1)
    end = start + horizon_days if stop is None else min(start + horizon_days, stop)
    return amount / horizon_days * np.clip(np.minimum(day, end) - first, 0, None)


def _plan_in_service(amount: float, start: int, after: int, horizon_days: np.ndarray, life_days: np.ndarray,
                     on_days: np.ndarray) -> np.ndarray:
    """(draws, days) spend of one plan within each draw's service life, for a horizon drawn per draw."""
    lo = np.maximum(on_days[None, :] + 1.0 - life_days[:, None], max(start, after + 1))
    hi = np.minimum(on_days[None, :] + 1.0, start + horizon_days[:, None])
    return (amount / horizon_days[:, None] * np.clip(hi - lo, 0, None)).astype(np.float32)


def counted_plans(announcements: pd.DataFrame) -> pd.DataFrame:
    """The plans the fleet counts, each once (see the module docstring): AI data-centre and total-capex plans
    with a company, a date and a USD amount, not duplicates, and per company and period (`horizon_end`) only
    the latest total-capex guidance, or without one the latest AI data-centre plan. `company` is canonical,
    `announced_on` a Timestamp."""
    plans = announcements[announcements["scope"].isin(PLAN_SCOPES)]
    if "duplicate_of" in plans:
        plans = plans[plans["duplicate_of"].isna()]
    plans = plans.dropna(subset=["company", "announced_on", "amount_usd"])
    plans = plans.assign(company=plans["company"].map(canonical_company),
                         announced_on=pd.to_datetime(plans["announced_on"]))
    if "horizon_end" not in plans or plans.empty:
        return plans
    period = pd.to_datetime(plans["horizon_end"])
    order = plans.assign(_period=period, _total=plans["scope"] == "total_capex",
                         _id=plans["announcement_id"] if "announcement_id" in plans else "")
    latest = order[period.notna()].sort_values(["_total", "announced_on", "_id"]).groupby(
        ["company", "_period"]).tail(1)
    return pd.concat([plans[period.isna()], plans.loc[latest.index]]).sort_values("announced_on", kind="stable")


def fleet_draws(quarterly: pd.DataFrame, announcements: pd.DataFrame, leak_lines: pd.DataFrame,
                days: pd.DatetimeIndex, draws: dict[str, np.ndarray],
                capex_share: dict[str, str] | None = None) -> dict[str, dict]:
    """iter_fleet_draws as a dict, company -> its draws."""
    return dict(iter_fleet_draws(quarterly, announcements, leak_lines, days, draws, capex_share))


def iter_fleet_draws(quarterly: pd.DataFrame, announcements: pd.DataFrame, leak_lines: pd.DataFrame,
                     days: pd.DatetimeIndex, draws: dict[str, np.ndarray],
                     capex_share: dict[str, str] | None = None) -> Iterator[tuple[str, dict]]:
    """(company, its draws) one company at a time, so a caller that summarises each can let its matrices go
    before the next one's are made (a fresh page of memory costs far more than a reused one). Per company: 'installed' and 'idle' (draws x days, float32; NaN where no evidence covers the day in
    that draw), 'leak' (the leaks' device count per day, NaN where no leak covers the day) and
    'idle_share_leak'. Service lives are whole months. `capex_share` names the draw of a company's own GPU
    share of capex (canonical company -> range name); other companies take gpu_share_of_capex."""
    n = len(draws["idle_share"])
    quarterly = quarterly.assign(company=quarterly["company"].map(canonical_company))
    plans = counted_plans(announcements)
    capex_share = {canonical_company(c): name for c, name in (capex_share or {}).items()}
    starts = [quarter_start(d) for d in pd.to_datetime(quarterly["period_end"]).dropna()] \
        + list(plans["announced_on"])
    axis = pd.date_range(min([days[0]] + starts), days[-1], freq="D")
    on_days = axis.get_indexer(days)
    if (on_days < 0).any():
        raise ValueError("fleet_draws: the model's days must be consecutive days")
    filed = filed_spend(quarterly, axis)
    last_filed = {c: int(np.flatnonzero(np.diff(np.r_[0, s]) > 0).max()) for c, s in filed.items() if s.any()}

    life_days = np.rint(np.rint(draws["gpu_service_life_years"] * 12) * DAYS_PER_YEAR / 12)
    lives, which = np.unique(life_days.astype(int), return_inverse=True)

    def in_service(cumulative: np.ndarray) -> np.ndarray:
        """(distinct lives, days) spend within each service life, C(d) - C(d - life), for a cumulative fixed
        across draws; draw k's row is `which[k]`."""
        lagged = on_days[None, :] - lives[:, None]
        before = np.where(lagged >= 0, cumulative[np.clip(lagged, 0, None)], 0.0)
        return (cumulative[on_days][None, :] - before).astype(np.float32)

    per_usd = (draws["gpus_per_billion_usd"] / 1e9).astype(np.float32)[:, None]
    idle_share = draws["idle_share"].astype(np.float32)[:, None]
    leaks = leak_counts(leak_lines, days)
    companies = sorted(set(filed) | set(plans["company"]) | set(leaks))
    # one draws x days buffer for every evidence's spend; np.take into it with mode="clip" (`which` always indexes
    # `lives`) writes straight into it, where the default mode="raise" would buffer a copy first
    spent = np.empty((n, len(days)), dtype=np.float32)
    for company in companies:
        share_of_capex = draws[capex_share.get(company, CAPEX_SHARE)]
        usd = np.zeros((n, len(days)), dtype=np.float32)
        # some evidence's spend is in service: per distinct life where the spend is the same for every draw,
        # per draw where a plan's horizon is drawn
        known_by_life = np.zeros((len(lives), len(days)), dtype=bool)
        known_by_draw = None
        if company in filed:
            by_life = in_service(filed[company])
            known_by_life |= by_life > 0
            np.take(by_life, which, axis=0, out=spent, mode="clip")
            usd += np.multiply(spent, share_of_capex.astype(np.float32)[:, None], out=spent)
        after = last_filed.get(company, -1)
        for _, plan in plans[plans["company"] == company].iterrows() if after < len(axis) - 1 else ():
            start = int(axis.get_indexer([plan["announced_on"]])[0])
            if start < 0:           # announced after the last modelled day: no GPUs from it on any of them
                continue
            share = draws["gpu_share_of_ai_capex"] if plan["scope"] == "ai_datacenter" else share_of_capex
            weight = (share * draws["plan_realisation_share"]).astype(np.float32)[:, None]
            horizon, period_end = plan.get("horizon_years"), plan.get("horizon_end")
            if pd.notna(horizon) and horizon > 0:
                # a year's guidance ('FY2024', horizon one year) given in October spends at its yearly rate
                # until the year ends, not for a year from October
                stop = None if pd.isna(period_end) else (pd.Timestamp(period_end) - axis[0]).days + 1.0
                by_life = in_service(_plan_cumulative(float(plan["amount_usd"]), start, after,
                                                      float(horizon) * DAYS_PER_YEAR, len(axis), stop))
                known_by_life |= by_life > 0
                np.take(by_life, which, axis=0, out=spent, mode="clip")
            else:
                spent[...] = _plan_in_service(float(plan["amount_usd"]), start, after,
                                              draws["plan_horizon_years"] * DAYS_PER_YEAR, life_days, on_days)
                known_by_draw = spent > 0 if known_by_draw is None else np.logical_or(known_by_draw, spent > 0,
                                                                                      out=known_by_draw)
            usd += np.multiply(spent, weight, out=spent)
        unknown = np.logical_not(np.take(known_by_life, which, axis=0, mode="clip"))
        if known_by_draw is not None:
            unknown &= ~known_by_draw
        installed = np.multiply(usd, per_usd, out=usd)
        np.copyto(installed, np.float32(np.nan), where=unknown)
        leak = leaks.get(company, {"gpus": np.full(len(days), np.nan), "idle_share": np.full(len(days), np.nan)})
        if not np.isnan(leak["gpus"]).all():
            np.fmax(installed, leak["gpus"].astype(np.float32)[None, :], out=installed)   # a leak covers its days
        yield company, {"installed": installed, "idle": installed * idle_share,
                        "leak": leak["gpus"], "idle_share_leak": leak["idle_share"]}


class IdleTotal:
    """The idle accelerators of every company whose evidence covers the day, summed company by company:
    `add` each company's (draws, days) idle matrix, then `result()`; NaN where none covers the day (no fleet
    evidence is an unknown fleet, not an empty one)."""

    def __init__(self, n: int, n_days: int):
        self.total = np.zeros((n, n_days), dtype=np.float32)
        self.unknown = np.ones((n, n_days), dtype=bool)
        self._covered = np.empty((n, n_days), dtype=bool)

    def add(self, idle: np.ndarray) -> None:
        covered = self._covered
        np.logical_not(np.isnan(idle, out=covered), out=covered)
        np.add(self.total, idle, out=self.total, where=covered)
        self.unknown &= ~covered

    def result(self) -> np.ndarray:
        np.copyto(self.total, np.float32(np.nan), where=self.unknown)
        return self.total


def leak_counts(lines: pd.DataFrame, days: pd.DatetimeIndex) -> dict[str, dict[str, np.ndarray]]:
    """Per company: the accelerators the leaks claim on each day (the largest document's count: two documents
    may be versions of one sheet) and the leaks' own idle share (1 - device-weighted utilisation)."""
    usable = lines.dropna(subset=["company", "period_start", "period_end", "device_count"])
    if "is_total_row" in usable:
        usable = usable[~usable["is_total_row"].fillna(False).astype(bool)]
    usable = usable[usable["device_count"] > 0]
    out: dict[str, dict[str, np.ndarray]] = {}
    for company, group in usable.groupby(usable["company"].map(canonical_company)):
        best = np.zeros(len(days))
        busy = np.zeros(len(days))
        weight = np.zeros(len(days))
        for _, doc in group.groupby("document_id"):
            count = np.zeros(len(days))
            for _, line in doc.iterrows():
                cover = (days >= pd.Timestamp(line["period_start"])) & (days <= pd.Timestamp(line["period_end"]))
                count[cover] += line["device_count"]
                if pd.notna(line.get("utilization_share")):
                    busy[cover] += line["device_count"] * line["utilization_share"]
                    weight[cover] += line["device_count"]
            best = np.maximum(best, count)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[company] = {"gpus": np.where(best > 0, best, np.nan),
                            "idle_share": np.where(weight > 0, 1 - busy / weight, np.nan)}
    return out


def company_daily(company: str, f: dict, days: pd.DatetimeIndex, idle_share_p50: float) -> pd.DataFrame:
    """One company's rows of marts.ai_fleet_daily (the stage concatenates every company's): quantiles of
    installed and idle accelerators per day (the idle share is drawn once per draw for every company, so its
    median is one number). A day no evidence of the company covers in every draw has NULL quantiles and says
    so in `basis`."""
    gq, iq = quantiles(f["installed"]), quantiles(f["idle"])
    unknown = np.isnan(f["installed"])
    basis = np.select([unknown.all(axis=0), unknown.any(axis=0), ~np.isnan(f["leak"])],
                      [NO_EVIDENCE_DAY, RETIRED_IN_SOME_DRAWS, "capex; leak count as floor"], "capex")
    return pd.DataFrame({
        "company": company, "date": days, "gpus_p05": gq[0], "gpus_p50": gq[1], "gpus_p95": gq[2],
        "idle_share_p50": idle_share_p50, "idle_gpus_p05": iq[0], "idle_gpus_p50": iq[1], "idle_gpus_p95": iq[2],
        "leak_gpus": f["leak"],
        "idle_share_leak": f["idle_share_leak"],
        "basis": basis})


QUANTILE_DAYS = 32             # days per block of `quantiles`: a (draws, 32) float32 block stays in cache
QUANTILE_THREADS = min(4, os.cpu_count() or 1)
PARALLEL_CELLS = 1_000_000     # smaller matrices are not worth a thread pool


def _sorted_quantiles(block: np.ndarray, q) -> np.ndarray:
    """np.quantile(block, q, axis=0) (method 'linear', q 1-d) of a block already sorted along axis 0 (NaN last):
    numpy's own index, weight and interpolation steps (numpy.lib._function_base_impl._quantile and _lerp), read
    off the sorted block instead of a partitioned one. Sorting (numpy's SIMD sort) beats a partition at several
    indexes, and does not slow down on the ties and runs of the fleet's sums."""
    n = block.shape[0]
    virtual = (n - 1) * np.asanyarray(q)
    prev = np.floor(virtual)
    nxt = prev + 1
    above = virtual >= n - 1
    prev[above], nxt[above] = -1, -1
    prev, nxt = prev.astype(np.intp), nxt.astype(np.intp)
    gamma = np.asanyarray(virtual - prev, dtype=virtual.dtype).reshape(-1, *(1,) * (block.ndim - 1))
    a, b = block[prev], block[nxt]
    diff = b - a
    out = np.add(a, diff * gamma)
    np.subtract(b, diff * (1 - gamma), out=out, where=gamma >= 0.5, casting="unsafe", dtype=out.dtype)
    nans = np.isnan(block[-1])
    if nans.any():
        np.copyto(out, block[-1], where=nans)
    return out


@functools.cache
def _sorting_matches_numpy() -> bool:
    """Whether `_sorted_quantiles` gives this numpy's np.quantile bit for bit (checked once, on a small sample
    with ties and NaN); if not, `quantiles` uses np.quantile itself."""
    rng = np.random.default_rng(20)
    m = np.round(rng.lognormal(size=(1001, 9)) * 50).astype(np.float32)
    m[3, 2] = np.nan
    for sample in (m, m.astype(float)):
        got = _sorted_quantiles(np.sort(sample, axis=0), QUANTILES)
        want = np.quantile(sample, QUANTILES, axis=0)
        if got.dtype != want.dtype or not np.array_equal(got, want, equal_nan=True):
            return False
    return True


def _block_quantiles(matrix: np.ndarray, q, lo: int, hi: int) -> np.ndarray:
    """np.quantile of the days lo..hi (axis 0) from a sorted copy of their columns."""
    if np.ndim(q) == 1 and matrix.shape[0] > 1 and _sorting_matches_numpy():
        return _sorted_quantiles(np.sort(matrix[:, lo:hi], axis=0), q)
    return np.quantile(np.ascontiguousarray(matrix[:, lo:hi]), q, axis=0, overwrite_input=True)


def quantiles(matrix: np.ndarray, q=QUANTILES) -> np.ndarray:
    """Per column (day) quantiles of a draws x days matrix: (len(q), days). Each day's quantiles are
    np.quantile of its draws, bit for bit; days go in blocks, on every core for a large matrix (numpy's sort
    releases the GIL), and no transposed copy of the matrix is made."""
    n_days = matrix.shape[1]
    blocks = [(lo, min(lo + QUANTILE_DAYS, n_days)) for lo in range(0, n_days, QUANTILE_DAYS)]
    if len(blocks) < 2 or QUANTILE_THREADS < 2 or matrix.size < PARALLEL_CELLS:
        parts = [_block_quantiles(matrix, q, lo, hi) for lo, hi in blocks]
    else:
        with ThreadPoolExecutor(QUANTILE_THREADS) as pool:
            parts = list(pool.map(lambda b: _block_quantiles(matrix, q, *b), blocks))
    if not parts:
        return np.quantile(np.ascontiguousarray(matrix.T), q, axis=1)
    return np.concatenate(parts, axis=-1)
