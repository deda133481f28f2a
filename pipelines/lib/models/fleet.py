"""The AI accelerator fleet per company and day, and the idle part of it, as a seeded Monte Carlo.

Installed accelerators on day d, draw k = accelerators per USD_k x the accelerator spend of the last
service-life_k years: filed quarterly capex x gpu_share_of_capex_k, plus, after a company's last filed
quarter (or for a company with no filings), announced plans x their accelerator share x plan_realisation_k,
spread evenly over their horizon. A leaked sheet's device count for a company and day is a floor (if the
leak is true, at least that many exist): installed = max(capex estimate, leak count). Idle = installed x
idle_share_k. Spend before the first filed quarter is not in the data, so the fleet counts accelerators
bought from then on (the model's days start there).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.lib.capex_text import Companies

DAYS_PER_YEAR = 365.25
QUANTILES = (0.05, 0.5, 0.95)


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


def _plan_cumulative(amount: float, start: int, after: int, horizon_days: float, n_axis: int) -> np.ndarray:
    """Cumulative spend of one plan at the end of each axis day: `amount` spread evenly over
    [start, start + horizon), counted only on days after index `after` (the last filed day)."""
    day = np.arange(n_axis) + 1.0
    first = max(start, after + 1)
    return amount / horizon_days * np.clip(np.minimum(day, start + horizon_days) - first, 0, None)


def _plan_in_service(amount: float, start: int, after: int, horizon_days: np.ndarray, life_days: np.ndarray,
                     on_days: np.ndarray) -> np.ndarray:
    """(draws, days) spend of one plan within each draw's service life, for a horizon drawn per draw."""
    lo = np.maximum(on_days[None, :] + 1.0 - life_days[:, None], max(start, after + 1))
    hi = np.minimum(on_days[None, :] + 1.0, start + horizon_days[:, None])
    return (amount / horizon_days[:, None] * np.clip(hi - lo, 0, None)).astype(np.float32)


def fleet_draws(quarterly: pd.DataFrame, announcements: pd.DataFrame, leak_lines: pd.DataFrame,
                days: pd.DatetimeIndex, draws: dict[str, np.ndarray]) -> dict[str, dict]:
    """Per company: 'installed' and 'idle' (draws x days, float32), 'leak' (the leaks' device count per day,
    NaN where no leak covers the day) and 'idle_share_leak'. Service lives are whole months."""
    n = len(draws["idle_share"])
    quarterly = quarterly.assign(company=quarterly["company"].map(canonical_company))
    plans = announcements[announcements["scope"].isin(["ai_datacenter", "total_capex"])]
    if "duplicate_of" in plans:
        plans = plans[plans["duplicate_of"].isna()]
    plans = plans.dropna(subset=["company", "announced_on", "amount_usd"])
    plans = plans.assign(company=plans["company"].map(canonical_company))
    starts = [quarter_start(d) for d in pd.to_datetime(quarterly["period_end"]).dropna()] \
        + [pd.Timestamp(d) for d in pd.to_datetime(plans["announced_on"])]
    axis = pd.date_range(min([days[0]] + starts), days[-1], freq="D")
    on_days = axis.get_indexer(days)
    filed = filed_spend(quarterly, axis)
    last_filed = {c: int(np.flatnonzero(np.diff(np.r_[0, s]) > 0).max()) for c, s in filed.items() if s.any()}

    life_days = np.rint(np.rint(draws["gpu_service_life_years"] * 12) * DAYS_PER_YEAR / 12)
    lives, which = np.unique(life_days.astype(int), return_inverse=True)

    def in_service(cumulative: np.ndarray) -> np.ndarray:
        """(draws, days) spend within each draw's service life, C(d) - C(d - life), for a cumulative fixed
        across draws: computed once per distinct life and gathered."""
        lagged = on_days[None, :] - lives[:, None]
        before = np.where(lagged >= 0, cumulative[np.clip(lagged, 0, None)], 0.0)
        return (cumulative[on_days][None, :] - before).astype(np.float32)[which]

    per_usd = (draws["gpus_per_billion_usd"] / 1e9).astype(np.float32)[:, None]
    leaks = leak_counts(leak_lines, days)
    companies = sorted(set(filed) | set(plans["company"]) | set(leaks))
    out = {}
    for company in companies:
        usd = np.zeros((n, len(days)), dtype=np.float32)
        if company in filed:
            usd += in_service(filed[company]) * draws["gpu_share_of_capex"].astype(np.float32)[:, None]
        after = last_filed.get(company, -1)
        for _, plan in plans[plans["company"] == company].iterrows() if after < len(axis) - 1 else ():
            start = int(axis.get_indexer([pd.Timestamp(plan["announced_on"])])[0])
            share = draws["gpu_share_of_ai_capex"] if plan["scope"] == "ai_datacenter" else draws["gpu_share_of_capex"]
            weight = (share * draws["plan_realisation_share"]).astype(np.float32)[:, None]
            horizon = plan.get("horizon_years")
            if pd.notna(horizon) and horizon > 0:
                spent = in_service(_plan_cumulative(float(plan["amount_usd"]), start, after,
                                                    float(horizon) * DAYS_PER_YEAR, len(axis)))
            else:
                spent = _plan_in_service(float(plan["amount_usd"]), start, after,
                                         draws["plan_horizon_years"] * DAYS_PER_YEAR, life_days, on_days)
            usd += spent * weight
        leak = leaks.get(company, {"gpus": np.full(len(days), np.nan), "idle_share": np.full(len(days), np.nan)})
        installed = usd * per_usd
        if not np.isnan(leak["gpus"]).all():
            installed = np.fmax(installed, leak["gpus"].astype(np.float32)[None, :])
        out[company] = {"installed": installed, "idle": installed * draws["idle_share"].astype(np.float32)[:, None],
                        "leak": leak["gpus"], "idle_share_leak": leak["idle_share"]}
    return out


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


def fleet_daily(fleet: dict[str, dict], days: pd.DatetimeIndex, idle_share_p50: float) -> pd.DataFrame:
    """marts.ai_fleet_daily: quantiles of installed and idle accelerators per company and day (the idle share
    is drawn once per draw for every company, so its median is one number)."""
    frames = []
    for company, f in fleet.items():
        gq, iq = quantiles(f["installed"]), quantiles(f["idle"])
        frames.append(pd.DataFrame({
            "company": company, "date": days, "gpus_p05": gq[0], "gpus_p50": gq[1], "gpus_p95": gq[2],
            "idle_share_p50": idle_share_p50, "idle_gpus_p05": iq[0], "idle_gpus_p50": iq[1], "idle_gpus_p95": iq[2],
            "leak_gpus": f["leak"],
            "idle_share_leak": f["idle_share_leak"],
            "basis": np.where(np.isnan(f["leak"]), "capex", "capex; leak count as floor")}))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def quantiles(matrix: np.ndarray, q=QUANTILES) -> np.ndarray:
    """Per column (day) quantiles of a draws x days matrix: (len(q), days)."""
    return np.quantile(np.ascontiguousarray(matrix.T), q, axis=1)
