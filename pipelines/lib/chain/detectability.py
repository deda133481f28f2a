"""Would the chain show it? The fleet's implied step in log network hashrate against the smallest step the
change-point method finds with 95 % probability at that series' own noise (marts.fleet_detectability).

Subjects, one row each:
- `rally_window`: each proof-of-work coin in each rally window ([windows] of the model assumptions); the
  models' idle fleet (marts.mining_contribution_daily, p05/p50/p95) on the window's first day with data.
- `sheet_line`: each leaked cost-sheet line that names a coin and a period: its claimed hashrate
  (claimed_hashrate_hs, else claimed_hashrate_per_device_hs x device_count) on the period's first day.
- `sheet_document`: one document's lines for a coin: each period's lines summed (one fleet in several sites),
  the largest sum, placed at the first period's start (a fleet that mines month after month joins once).

The implied step is log(1 + F / N): F the fleet's hashrate, N the network's observed hashrate that day,
i.e. the fleet arriving on top of the network as observed (the models' own basis: their network share is
F / (N + F), and log(1 + F/N) = -log(1 - share)). If instead the fleet were already inside the observed
hashrate, the step would be -log(1 - F/N), always larger (and infinite for F >= N); the smaller one is used
so that a `visible_*` verdict never rests on the reading least favourable to the claim.

The smallest detectable step (power analysis): the real log series within +-`half_window_days` of the date,
a step of size d added at a day drawn at random in that window (away from the breaks the window already
has), the same detector (PELT, l2, the series' own penalty from breaks.py) run on it; a trial succeeds when a
break is found within +-`match_days` of the injected day. The smallest d (on a log grid, by bisection) found
in at least `probability` of `trials` seeded trials is min_detectable_step_log; NaN with a reason when the
window holds too few days.

The observed step: the largest upward break (marts.hashrate_breaks) from `observed_days_before` days before
the period to its end (the fleet joined by the start or during the period; the widest span is the one most
favourable to "present"). The withdrawal the claim predicts when AI load rises is a downward step at the
period's end: the most negative break within +-`withdrawal_days` of it, and whether it is as large as the
implied p50 step (`withdrawal_matches`; NULL when the implied step is unknown).

Verdicts: `visible_and_absent` (implied p05 >= detectable and no observed step that large: evidence
against the claim), `visible_and_present` (as large a step is observed: consistent, though price moves
hashrate too), `too_small_to_see` (implied p95 < detectable), `unknown` (an input is missing, named in the
reason; or the p05..p95 range straddles the detection limit, "inconclusive").
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from pipelines.lib.chain import breaks as bk

VERDICTS = ("visible_and_absent", "visible_and_present", "too_small_to_see", "unknown")
COLUMNS = ["coin", "subject", "subject_id", "period_start", "period_end", "network_hashrate_hs",
           "implied_hashrate_hs_p05", "implied_hashrate_hs_p50", "implied_hashrate_hs_p95",
           "implied_step_log_p05", "implied_step_log_p50", "implied_step_log_p95", "claimed_step_log",
           "min_detectable_step_log", "observed_step_log", "observed_break_date", "withdrawal_step_log",
           "withdrawal_break_date", "withdrawal_matches", "verdict", "reason", "host_cpus_counted"]
GRID = np.geomspace(0.005, 4.0, 48)


@dataclass(frozen=True)
class Settings:
    half_window_days: int = 90
    trials: int = 40
    probability: float = 0.95
    match_days: int = 3
    observed_days_before: int = 30
    withdrawal_days: int = 30
    seed: int = 20231001
    count_host_cpus: bool = False
    host_cpu_randomx_hs_per_gpu: float = 0.0
    gpu_randomx_hs: float = 3.5e3
    host_cpu_source: str = ""


def settings(path: Path | str | None = None) -> Settings:
    """[detectability] of the model assumptions (the bundled file or `path`); defaults where a key is absent."""
    text = (Path(path).read_text("utf-8") if path else
            resources.files("pipelines.reference").joinpath("model_assumptions.toml").read_text("utf-8"))
    doc = tomllib.loads(text)
    section = dict(doc.get("detectability", {}))
    section.setdefault("seed", doc.get("monte_carlo", {}).get("seed", 20231001))
    section["gpu_randomx_hs"] = doc.get("ranges", {}).get("hashrate_fleet_randomx", {}).get("central", 3.5e3)
    known = Settings.__dataclass_fields__
    return Settings(**{k: v for k, v in section.items() if k in known})


class Series:
    """One coin's daily log hashrate, its penalty and a cache of power analyses by day."""

    def __init__(self, hashrate: pd.Series):
        self.days, self.logs, self.missing = bk.daily_log(hashrate)
        sigma = bk.noise_sigma(self.logs[~self.missing])
        self.pen = bk.penalty(sigma, len(self.logs)) if np.isfinite(sigma) and sigma > 0 else float("nan")
        self._cache: dict = {}

    def observed_between(self, start, end) -> bool:
        """Whether the series holds an observed (not filled-in) day from `start` to `end`: only then can a
        break there be looked for, and 'no break' mean none (else the observed step is unknown, not 0)."""
        inside = (self.days >= pd.Timestamp(start)) & (self.days <= pd.Timestamp(end))
        return bool((inside & ~self.missing).any())

    def level_on(self, day) -> float:
        """Network hashrate (H/s) on `day`, else the latest observed day within the 7 before it; NaN otherwise."""
        ts = pd.Timestamp(day)
        pos = self.days.searchsorted(ts, side="right") - 1
        for p in range(pos, max(pos - 7, -1), -1):
            if 0 <= p < len(self.days) and not self.missing[p]:
                return float(np.exp(self.logs[p]))
        return float("nan")

    def min_detectable(self, day, s: Settings) -> tuple[float, str]:
        key = (pd.Timestamp(day), s)
        if key not in self._cache:
            self._cache[key] = _power(self, pd.Timestamp(day), s)
        return self._cache[key]


def _power(series: Series, day: pd.Timestamp, s: Settings) -> tuple[float, str]:
    i = int(series.days.searchsorted(day))
    if not np.isfinite(series.pen) or i >= len(series.days) or (i == 0 and series.days[0] > day + pd.Timedelta(days=7)):
        return float("nan"), f"no network hashrate around {day.date()}"
    lo, hi = max(0, i - s.half_window_days), min(len(series.logs), i + s.half_window_days + 1)
    window = series.logs[lo:hi]
    edge = 2 * bk.MIN_SEGMENT_DAYS
    if hi - lo < 2 * edge + 10:
        return float("nan"), f"only {hi - lo} days of network hashrate within {s.half_window_days} days of {day.date()}"
    base = np.array(bk.change_points_fast(window, series.pen))
    positions = np.arange(edge, len(window) - edge)
    quiet = [p for p in positions if not series.missing[lo + p]
             and (len(base) == 0 or np.abs(base - p).min() > 10)]
    if not quiet:
        return float("nan"), f"no day within {s.half_window_days} days of {day.date()} is 10 days from a break"
    rng = np.random.default_rng([s.seed, int(day.value // 86_400_000_000_000) % 2 ** 31])
    at = rng.choice(quiet, size=s.trials, replace=True)
    ramp = np.arange(len(window))

    steps_at = (ramp[None, :] >= at[:, None]).astype(float)   # one row per trial

    def rate(step: float) -> float:
        found = bk.change_points_batch(window[None, :] + step * steps_at, series.pen)
        return sum(any(abs(f - p) <= s.match_days for f in hit) for p, hit in zip(at, found)) / s.trials

    if rate(GRID[-1]) < s.probability:
        return float("nan"), f"not found in {s.probability:.0%} of trials even at a step of {GRID[-1]:g}"
    a, b = -1, len(GRID) - 1          # rate(GRID[b]) >= probability; GRID[a] (a >= 0) below it
    while b - a > 1:
        mid = (a + b) // 2
        if rate(GRID[mid]) >= s.probability:
            b = mid
        else:
            a = mid
    return float(GRID[b]), (f"smallest step found in {s.probability:.0%} of {s.trials} trials injected within "
                            f"{s.half_window_days} days of {day.date()}")


def _step(fleet: float, network: float) -> float:
    if not (np.isfinite(fleet) and np.isfinite(network)) or network <= 0 or fleet < 0:
        return float("nan")
    return float(np.log1p(fleet / network))


def _host_cpu_factor(coin_algorithm: str | None, s: Settings) -> tuple[float, str]:
    if (coin_algorithm or "").lower() != "randomx":
        return 1.0, ""
    if not s.count_host_cpus:
        return 1.0, ("host CPUs of the idle servers not counted (detectability.count_host_cpus = false): "
                     "the GPUs' RandomX hashrate alone, a lower bound")
    factor = 1.0 + s.host_cpu_randomx_hs_per_gpu / s.gpu_randomx_hs
    return factor, (f"host CPUs counted: {s.host_cpu_randomx_hs_per_gpu:g} H/s RandomX per GPU beside the GPU's "
                    f"{s.gpu_randomx_hs:g} (x{factor:.2f}; {s.host_cpu_source})")


def _observed(coin_breaks: pd.DataFrame, start, end, s: Settings):
    if coin_breaks.empty:
        return 0.0, None, None, None
    d = pd.to_datetime(coin_breaks["break_date"])
    up = coin_breaks[(d >= pd.Timestamp(start) - pd.Timedelta(days=s.observed_days_before))
                     & (d <= pd.Timestamp(end)) & (coin_breaks["step_log"] > 0)]
    down = coin_breaks[((d - pd.Timestamp(end)).dt.days.abs() <= s.withdrawal_days) & (coin_breaks["step_log"] < 0)]
    obs, obs_date, wd, wd_date = 0.0, None, None, None
    if not up.empty:
        top = up.loc[up["step_log"].idxmax()]
        obs, obs_date = float(top["step_log"]), pd.Timestamp(top["break_date"]).date()
    if not down.empty:
        low = down.loc[down["step_log"].idxmin()]
        wd, wd_date = float(low["step_log"]), pd.Timestamp(low["break_date"]).date()
    return obs, obs_date, wd, wd_date


def _verdict(row: dict) -> tuple[str, str]:
    p05, p95, mdet, obs = (row["implied_step_log_p05"], row["implied_step_log_p95"],
                           row["min_detectable_step_log"], row["observed_step_log"])
    if not np.isfinite(p05) or not np.isfinite(p95):
        return "unknown", ""
    if not np.isfinite(mdet):
        return "unknown", ""
    if p95 < mdet:
        return "too_small_to_see", f"even the p95 step {p95:.3g} is below the detectable {mdet:.3g}"
    if p05 >= mdet:
        if not np.isfinite(obs):     # visible, but no chain data over the period to look for it
            return "unknown", ""
        if obs >= p05:
            return "visible_and_present", f"a step of {obs:.3g} up is observed (>= the p05 step {p05:.3g})"
        return "visible_and_absent", (f"the p05 step {p05:.3g} would be seen (detectable from {mdet:.3g}); "
                                      f"the largest step up observed is {obs:.3g}")
    return "unknown", f"inconclusive: the detectable step {mdet:.3g} lies between the p05 {p05:.3g} and p95 {p95:.3g}"


def _row(coin, subject, subject_id, start, end, network, fleet, claimed_step, series, coin_breaks, s,
         missing: list[str], basis: str) -> dict:
    steps = [_step(f, network) for f in fleet]
    row = dict(coin=coin, subject=subject, subject_id=subject_id, period_start=start, period_end=end,
               network_hashrate_hs=network, implied_hashrate_hs_p05=fleet[0], implied_hashrate_hs_p50=fleet[1],
               implied_hashrate_hs_p95=fleet[2], implied_step_log_p05=steps[0], implied_step_log_p50=steps[1],
               implied_step_log_p95=steps[2], claimed_step_log=claimed_step, host_cpus_counted=None)
    mdet, note = ((float("nan"), f"no network hashrate for {coin}") if series is None
                  else series.min_detectable(start, s))
    if not np.isfinite(network) and series is not None:
        missing.append(f"network hashrate of {coin} on {start}")
    if series is not None and not np.isfinite(mdet):
        missing.append(note)
    obs, obs_date, wd, wd_date = _observed(coin_breaks, start, end, s)
    looked_up = series is not None and series.observed_between(
        pd.Timestamp(start) - pd.Timedelta(days=s.observed_days_before), end)
    looked_down = series is not None and series.observed_between(
        pd.Timestamp(end) - pd.Timedelta(days=s.withdrawal_days), pd.Timestamp(end) + pd.Timedelta(days=s.withdrawal_days))
    if not looked_up:    # no chain data over the period: no step is unknown, not a step of 0
        obs, obs_date = float("nan"), None
        missing.append(f"network hashrate of {coin} from {s.observed_days_before} days before {start} to {end}")
    row.update(min_detectable_step_log=mdet, observed_step_log=obs, observed_break_date=obs_date,
               withdrawal_step_log=wd, withdrawal_break_date=wd_date)
    row["withdrawal_matches"] = (None if not np.isfinite(steps[1]) or (wd is None and not looked_down) else
                                 bool(wd is not None and -wd >= steps[1]))
    verdict, why = _verdict(row)
    if verdict == "unknown" and not why:
        why = "missing: " + "; ".join(dict.fromkeys(missing or ["an input"]))
    parts = [why]
    if np.isfinite(mdet):
        parts.append(f"{note}: {mdet:.3g}")
    parts.append(f"implied step log(1 + F/N) on {start}")
    if wd is not None:
        parts.append(f"largest step down within {s.withdrawal_days} days of the period end: {wd:.3g} on {wd_date}")
    else:
        parts.append(f"no step down within {s.withdrawal_days} days of the period end")
    if basis:
        parts.append(basis)
    row.update(verdict=verdict, reason="; ".join(p for p in parts if p))
    return row


def fleet_detectability(network: pd.DataFrame, hashrate_breaks: pd.DataFrame, contribution: pd.DataFrame,
                        lines: pd.DataFrame, windows: dict, s: Settings | None = None) -> pd.DataFrame:
    """marts.fleet_detectability from core.network_daily, marts.hashrate_breaks,
    marts.mining_contribution_daily, core.cost_sheet_lines (data lines) and the rally windows."""
    s = s or Settings()
    net = network.dropna(subset=["hashrate_hs"])
    if "consensus" in net:
        net = net[net["consensus"].isna() | (net["consensus"] == "pow")]
    series = {c: Series(r.set_index(pd.to_datetime(r["date"]))["hashrate_hs"]) for c, r in net.groupby("coin")}
    by_coin = {c: r for c, r in hashrate_breaks.groupby("coin")} if not hashrate_breaks.empty else {}
    empty = pd.DataFrame(columns=bk.COLUMNS)
    rows = []
    contrib = contribution.copy()
    contrib["date"] = pd.to_datetime(contrib["date"])
    for coin in sorted(series):
        c = contrib[contrib["coin"] == coin]
        for name, (start, end) in windows.items():
            inside = c[(c["date"] >= pd.Timestamp(start)) & (c["date"] <= pd.Timestamp(end))].sort_values("date")
            if not inside.empty and (inside["consensus"].dropna() == "pos").all() and inside["consensus"].notna().any():
                continue
            missing = []
            first = inside.dropna(subset=["fleet_hashrate_hs_p50"]).head(1)
            algorithm = first["algorithm"].iloc[0] if not first.empty else (
                inside["algorithm"].dropna().iloc[0] if inside["algorithm"].notna().any() else None)
            factor, basis = _host_cpu_factor(algorithm, s)
            if first.empty:
                fleet = [float("nan")] * 3
                reason = (inside["unknown_reason"].dropna().iloc[0] if not inside.empty
                          and inside["unknown_reason"].notna().any() else "no fleet hashrate in the models")
                missing.append(f"fleet hashrate of {coin} in {name} ({reason})")
                day = start
            else:
                fleet = [float(first[f"fleet_hashrate_hs_{q}"].iloc[0]) * factor for q in ("p05", "p50", "p95")]
                day = first["date"].iloc[0].date()
            network_hs = series[coin].level_on(day)
            row = _row(coin, "rally_window", name, day if not first.empty else start, end, network_hs, fleet, None,
                       series[coin], by_coin.get(coin, empty), s, missing, basis)
            row["host_cpus_counted"] = s.count_host_cpus if (algorithm or "").lower() == "randomx" else None
            rows.append(row)
    rows += _sheet_rows(lines, series, by_coin, empty, s)
    out = pd.DataFrame(rows, columns=COLUMNS)
    for col in ("period_start", "period_end", "observed_break_date", "withdrawal_break_date"):
        out[col] = pd.to_datetime(out[col]).dt.date
    return out


def _claimed(frame: pd.DataFrame) -> pd.Series:
    direct = pd.to_numeric(frame.get("claimed_hashrate_hs"), errors="coerce")
    per = (pd.to_numeric(frame.get("claimed_hashrate_per_device_hs"), errors="coerce")
           * pd.to_numeric(frame.get("device_count"), errors="coerce"))
    return direct.fillna(per)


def _sheet_subjects(data: pd.DataFrame) -> list[tuple]:
    """(subject, subject_id, coin, start, end, claimed H/s, basis) per line, and per document and coin with
    several lines: each period's lines summed, the largest such sum, placed at the first period's start (a
    fleet mining month after month joins once: its step is at the start of the first month, not of each)."""
    items = [("sheet_line", r.subject_id, r.coin, r.period_start, r.period_end, r.claimed,
              "the sheet's own claimed hashrate") for r in data.itertuples()]
    for (doc, coin), g in data.groupby(["document_id", "coin"], sort=True):
        if len(g) < 2:
            continue   # one line: its sheet_line row says it
        dated = g.dropna(subset=["period_start", "period_end"])
        sums = dated.groupby(["period_start", "period_end"])["claimed"].sum(min_count=1)
        complete = dated.groupby(["period_start", "period_end"])["claimed"].apply(lambda c: c.notna().all())
        claimed = float(sums.max()) if len(sums) and complete.all() else float("nan")
        start = dated["period_start"].min() if not dated.empty else None
        end = dated["period_end"].max() if not dated.empty else None
        items.append(("sheet_document", f"{doc}:{coin}", coin, start, end, claimed,
                      f"the sheet's {len(g)} lines for {coin} summed per period, the largest period's sum "
                      f"({len(sums)} periods), placed at the first period's start"))
    return items


def _sheet_rows(lines: pd.DataFrame, series: dict, by_coin: dict, empty, s: Settings) -> list[dict]:
    if lines is None or lines.empty:
        return []
    data = lines[~lines["is_total_row"].fillna(False).astype(bool) & lines["coin"].notna()].copy()
    if data.empty:
        return []
    data["claimed"] = _claimed(data)
    data["subject_id"] = (data["document_id"].astype(str) + ":" + data["table_index"].astype(str) + ":"
                          + data["row_index"].astype(str))
    rows = []
    for subject, key, coin, start, end, claimed, basis in _sheet_subjects(data):
        missing = []
        if not np.isfinite(claimed):
            missing.append("claimed hashrate (claimed_hashrate_hs, or per device x device_count)")
        if pd.isna(start) or pd.isna(end):
            missing.append("the line's period (period_start, period_end)")
            rows.append(dict(coin=coin, subject=subject, subject_id=key, period_start=start, period_end=end,
                             claimed_step_log=None, verdict="unknown", reason="missing: " + "; ".join(missing)))
            continue
        start, end = pd.Timestamp(start).date(), pd.Timestamp(end).date()
        ser = series.get(coin)
        network_hs = ser.level_on(start) if ser is not None else float("nan")
        if ser is None:
            missing.append(f"network hashrate of {coin} (not a proof-of-work coin with chain data)")
        step = _step(claimed, network_hs)
        rows.append(_row(coin, subject, key, start, end, network_hs, [claimed] * 3,
                         step if np.isfinite(step) else None, ser, by_coin.get(coin, empty), s, missing, basis))
    return rows
