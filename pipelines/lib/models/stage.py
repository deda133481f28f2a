"""The model stage: every model mart from the warehouse's tables and the assumptions, in one pass.

One seeded sample of the assumptions drives the fleet, its contribution to each network and the rally
attribution, so draw k is one coherent world. The same code then runs on the sensitivity scenarios (the
base case and each range at its low and high end) to say how each headline result moves.
"""
from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pipelines.lib.models import attribution as attr
from pipelines.lib.models import event_study, fleet, mining
from pipelines.lib.models.assumptions import Assumptions
from pipelines.lib.models.contribution import CoinDraws, coin_draws, contribution_daily
from pipelines.lib.verification.consensus import consensus_by_day

MODEL_VERSION = "models-3"


@dataclass
class ModelInputs:
    """The warehouse tables the models read (see pipelines/sql/marts/models_*.sql)."""
    network: pd.DataFrame
    prices: pd.DataFrame
    specs: pd.DataFrame
    coins: pd.DataFrame
    quarterly: pd.DataFrame
    announcements: pd.DataFrame
    lines: pd.DataFrame
    events: pd.DataFrame
    flows: pd.DataFrame
    documents: pd.DataFrame
    consensus: pd.DataFrame | None = None   # core.consensus_periods; without it, days lacking network rows are unknown


@dataclass
class Case:
    """One coin, window and subject of the attribution: everything that does not depend on the draws."""
    rally: attr.Rally
    subject: str
    cars: pd.DataFrame                  # the event study of the subject's events in the window
    pow_days: pd.DatetimeIndex | None   # the window's proof-of-work days (None: by the chain data)
    etf_flow: float | None = None       # the yardstick's net flows
    etf_how: str = ""


@dataclass
class Simulation:
    days: pd.DatetimeIndex
    fleet: pd.DataFrame                # marts.ai_fleet_daily (empty when simulate did not summarise the fleet)
    coins: list[CoinDraws]
    skipped: list[str]
    power_cost: np.ndarray | None
    attribution: list[tuple]           # (Rally, subject, channels, methods, inputs)
    headline: dict[tuple, np.ndarray] = field(default_factory=dict)


def model_days(inputs: ModelInputs, chain: pd.DataFrame) -> pd.DatetimeIndex:
    """The chain's days from the first day with fleet evidence (a filed quarter, a plan or a leak) on; every
    chain day when no evidence begins by the chain's last day (the fleet is then unknown on all of them)."""
    if chain.empty:
        return pd.DatetimeIndex([])
    first, last = chain["date"].min(), chain["date"].max()
    evidence = [fleet.quarter_start(d) for d in pd.to_datetime(inputs.quarterly["period_end"]).dropna()]
    evidence += list(pd.to_datetime(inputs.announcements["announced_on"]))
    evidence += list(pd.to_datetime(inputs.lines["period_start"]))
    evidence = [d for d in evidence if pd.notna(d) and d <= last]
    start = max(first, min(evidence)) if evidence else first
    return pd.date_range(start.normalize(), last.normalize(), freq="D")


def _fleet_hashrates(a: Assumptions) -> dict[str, float]:
    return {k.removeprefix("hashrate_fleet_"): r.central for k, r in a.ranges.items()
            if k.startswith("hashrate_fleet_")}


def _windows(a: Assumptions, override: dict | None) -> list[attr.Window]:
    spans = override or a.windows
    return [attr.Window(name, pd.Timestamp(s), pd.Timestamp(e)) for name, (s, e) in spans.items()]


def _pow_days(consensus: pd.DataFrame | None, coin: str, r: attr.Rally) -> pd.DatetimeIndex | None:
    """The window's proof-of-work days by core.consensus_periods (valid_to exclusive); None if it lacks the coin."""
    if consensus is None:
        return None
    days = pd.date_range(r.first_day, r.last_day, freq="D")
    by_day = consensus_by_day(pd.DataFrame({"coin": coin, "date": days}), consensus)
    return None if by_day.isna().all() else days[(by_day == "pow").to_numpy()]


def _etf_flows(flows: pd.DataFrame, coin: str, fund: str, w: attr.Rally) -> tuple[float | None, str]:
    """Net flows into the coin's funds over the window and how they were counted (a partial cover says so)."""
    rows = flows[(flows["asset"] == coin)]
    last_flow = pd.to_datetime(rows["date"]).max() if len(rows) else None
    rows = rows[pd.to_datetime(rows["date"]).between(w.first_day, w.last_day)]
    if rows.empty:
        return None, ""
    total = rows[rows["fund"] == fund]
    used = total if len(total) else rows
    how = f"core.fund_flows_daily fund={fund}" if len(total) else "core.fund_flows_daily, sum of every fund"
    text = f"{how}: {used['net_flow_usd'].sum() / 1e9:+.2f} bn USD over {used['date'].nunique()} trading days"
    if last_flow is not None and last_flow < w.last_day:
        text += f"; the flow data end {last_flow.date()}, before the window does: a lower bound"
    return float(used["net_flow_usd"].sum()), text


def attribution_cases(inputs: ModelInputs, a: Assumptions, returns: pd.DataFrame,
                      windows: list[attr.Window]) -> list[Case]:
    """Every coin, window and subject with two priced days, its rally, event study and flows: computed once,
    shared by the Monte Carlo and the sensitivity scenarios."""
    study = a.event_study
    window = tuple(study["event_window_days"])
    mining_events = {coin: attr.mining_events(inputs.events, inputs.announcements, a.mining_event_kinds, coin)
                     for coin in a.coins}
    cases = []
    for w in windows:
        for coin in a.coins:
            r = attr.rally(inputs.prices, coin, w, a.supply)
            if r is None:
                continue
            pow_days = _pow_days(inputs.consensus, coin, r)
            subjects = [(attr.MINING, mining_events[coin], None, "")]
            etf, etf_how = _etf_flows(inputs.flows, coin, a.yardstick_fund, r)
            if etf is not None:
                ev = inputs.events[inputs.events["kind"].isin(a.yardstick_event_kinds)
                                   & (inputs.events["asset"].isna() | (inputs.events["asset"] == coin))]
                subjects.append((attr.YARDSTICK, ev[["date", "kind", "title"]], etf, etf_how))
            # The rally's log return is the sum of the daily returns after its first priced day up to its last:
            # an event counts when its window reaches into those days, and only those days of it count.
            returns_from = r.first_day + pd.Timedelta(days=1)
            reach = (returns_from - pd.Timedelta(days=window[1]), r.last_day - pd.Timedelta(days=window[0]))
            for subject, events, flow, how in subjects:
                cars = event_study.event_car(
                    returns, coin, event_study.events_in_window(events, *reach),
                    estimation=tuple(study["estimation_window_days"]), window=window,
                    min_estimation_days=int(study["min_estimation_days"]), confidence=float(study["confidence"]),
                    clip=(returns_from, r.last_day))
                cases.append(Case(r, subject, cars.assign(subject=subject, window_name=w.name), pow_days, flow, how))
    return cases


def simulate(inputs: ModelInputs, a: Assumptions, draws: dict[str, np.ndarray], chain: pd.DataFrame,
             devs: pd.DataFrame, windows: list[attr.Window], cases: list[Case], summarise_fleet: bool = True
             ) -> Simulation:
    n = len(draws["idle_share"])
    days = model_days(inputs, chain)
    # company by company: each company's matrices are summed into the idle total and, for the Monte Carlo,
    # summarised into its rows of ai_fleet_daily, then let go (the real history: 8 fewer 60 MB matrices alive)
    companies = fleet.iter_fleet_draws(inputs.quarterly, inputs.announcements, inputs.lines, days, draws,
                                       a.company_ranges(fleet.CAPEX_SHARE)) if len(days) else ()
    total = fleet.IdleTotal(n, len(days))
    idle_share_p50 = float(np.median(draws["idle_share"]))   # drawn once per draw for every company
    fleet_rows = []
    for company, f in companies:
        total.add(f["idle"])
        if summarise_fleet:
            fleet_rows.append(fleet.company_daily(company, f, days, idle_share_p50))
        del f                                                   # before the next company's matrices are made
    idle_total = total.result()                                 # NaN where no company's evidence covers a day
    fleet_rows = pd.concat(fleet_rows, ignore_index=True) if fleet_rows else pd.DataFrame()
    fleet_known = pd.Series(~np.isnan(idle_total).any(axis=0), index=days)
    coins, skipped = coin_draws(chain, idle_total, days, devs, a.fleet_device, draws, inputs.consensus)
    fleet_power = devs.loc[mining.is_device(devs, a.fleet_device), "power_w"].max()
    board_w = float(fleet_power) if pd.notna(fleet_power) else a.fleet_device_power_w
    # the fleet's accelerators sit in servers: wall power = board power x the drawn server overhead (the
    # basis of mining_profitability_daily and of the leak checks' power band)
    power_w = board_w * draws["server_overhead"]
    power_cost = idle_total * (mining.power_cost_usd_per_day(power_w, draws["pue"], draws["fleet_usd_per_kwh"])
                               .astype(np.float32)[:, None]) if len(days) else None
    sim = Simulation(days, fleet_rows, coins, skipped, power_cost, [])
    by_coin = {c.coin: c for c in coins}
    for w in windows if len(days) else ():
        last = days.get_indexer([min(w.end, days[-1])])[0]
        sim.headline[("idle_gpus_total_at_window_end", None, w.name, None, None)] = \
            idle_total[:, last].astype(float) if last >= 0 else np.full(n, np.nan)   # before the fleet data
    mined_in = {}   # (coin, window) -> the fleet's mean share, USD mined and network coverage
    added_in = {}   # (coin, window) -> the log hashrate the fleet adds at the window's start and end, and a note
    for case in cases:
        r, coin = case.rally, case.rally.coin
        if (coin, r.window.name) not in mined_in:
            mined_in[coin, r.window.name] = _fleet_unknown(
                attr.window_mining(by_coin.get(coin), r, n, case.pow_days), r, case.pow_days, fleet_known)
            added_in[coin, r.window.name] = _edges_unknown(
                attr.window_hashrate_added(by_coin.get(coin), r, n, case.pow_days), r, case.pow_days, fleet_known)
            sim.headline[("fleet_network_share_mean", coin, r.window.name, None, None)] = \
                mined_in[coin, r.window.name][0]
        _, mined, coverage = mined_in[coin, r.window.name]
        *added, edges = added_in[coin, r.window.name]
        is_mining = case.subject == attr.MINING
        channels = attr.channel_draws(r, case.subject, draws, hashrate_added=added if is_mining else None,
                                      flow_usd=mined if is_mining else case.etf_flow, cars=case.cars)
        methods, inputs_text, extras = _describe(case.subject, r, case.cars, a.event_study, by_coin.get(coin),
                                                 case.etf_how, coverage, edges, draws["event_sampling_z"])
        sim.attribution.append((r, case.subject, channels, methods, inputs_text, extras))
        for channel, values in channels.items():
            # a share of a falling (or flat) price is no share of a rally: unknown, as in the mart
            with np.errstate(invalid="ignore", divide="ignore"):
                sim.headline[("rally_share", coin, r.window.name, case.subject, channel)] = \
                    values / r.log_return if r.log_return > 0 else np.full(n, np.nan)
    return sim


def _fleet_unknown(mined: tuple[np.ndarray, np.ndarray, str], r: attr.Rally, pow_days: pd.DatetimeIndex | None,
                   fleet_known: pd.Series) -> tuple[np.ndarray, np.ndarray, str]:
    """The window's mining with the reason an unknown fleet gives. Days without fleet evidence count as not
    covered (window_mining's coverage rule): where that leaves the fleet's share unknown, the note names those
    of the window's proof-of-work days (every window day when the consensus table lacks the coin) instead of
    the network's coverage; where the rest is enough to scale up, the note says how many were left out."""
    share, usd, note = mined
    days = _window_days(r, pow_days)
    unknown = int((~fleet_known.reindex(days, fill_value=False)).sum())
    if not unknown:
        return mined
    if np.isfinite(share).all():
        return share, usd, f"{note}; {unknown} of the window's {len(days)} proof-of-work days have no capex, " \
                           "plan or leak evidence and count as not covered"
    return share, usd, fleet.NO_EVIDENCE if unknown == len(days) else \
        f"{fleet.NO_EVIDENCE} ({unknown} of the window's {len(days)} proof-of-work days)"


def _edges_unknown(added: tuple[np.ndarray, np.ndarray, str], r: attr.Rally, pow_days: pd.DatetimeIndex | None,
                   fleet_known: pd.Series) -> tuple[np.ndarray, np.ndarray, str]:
    """The hashrate the fleet adds at the window's start and end, with the reason an unknown fleet gives: an
    end whose proof-of-work days lack capex, plan or leak evidence (under the coverage rule) is unknown, and its
    note says so instead of the network's coverage."""
    start, end, note = added
    known = fleet_known.reindex(_window_days(r, pow_days), fill_value=False)
    if not len(known):
        return added
    ends, reasons = [start, end], []
    for i, (label, edge) in enumerate((("first", known.iloc[:attr.EDGE_DAYS]), ("last", known.iloc[-attr.EDGE_DAYS:]))):
        missing = int((~edge).sum())
        if missing and edge.sum() < attr.MIN_COVERAGE * len(edge):
            ends[i] = np.full(len(start), np.nan)
            reasons.append(f"{missing} of the window's {label} {len(edge)} proof-of-work days")
    if not reasons:
        return added
    return (*ends, f"{fleet.NO_EVIDENCE} ({' and '.join(reasons)}): the hashrate the fleet adds in the window is unknown")


def _window_days(r: attr.Rally, pow_days: pd.DatetimeIndex | None) -> pd.DatetimeIndex:
    """The window's days, only its proof-of-work days when the consensus table gives them."""
    days = pd.date_range(r.first_day, r.last_day, freq="D")
    return days if pow_days is None else days.intersection(pow_days)


def _describe(subject, r, cars, study, coin_draw, etf_how, coverage, edges, z) -> tuple[dict, dict, dict]:
    """Each channel's method and inputs text, and the event channel's cluster counts and crypto-benchmark
    estimate (summarise's extras)."""
    est, win = study["estimation_window_days"], study["event_window_days"]
    ok, total = event_study.cluster_counts(cars)
    ok_market, _ = event_study.cluster_counts(cars, event_study.CRYPTO_BENCHMARK)
    primary = cars[cars["model"] == event_study.PRIMARY] if len(cars) else cars
    bench = next((b for b in cars.loc[cars["model"] == event_study.CRYPTO_BENCHMARK, "benchmark"]), None) \
        if len(cars) else None
    methods = {
        "hashrate": "elasticity x (-ln(1 - s_end) + ln(1 - s_start)); s_start, s_end = the idle fleet's share of "
                    f"the network, log terms averaged over the window's first and last {attr.EDGE_DAYS} proof-of-work "
                    "days per draw" if subject == attr.MINING else attr.NO_HASHRATE,
        "flow": "ln(1 + multiplier x held share x USD the idle fleet mined in the window / market value at the start)"
        if subject == attr.MINING else "ln(1 + multiplier x net spot-ETF flows in the window / market value at the start)",
        "event": f"constant-mean event study (MacKinlay 1997): estimation days [{est[0]}, {est[1]}], event window "
                 f"[{win[0]}, {win[1]}] clipped to the rally's return days; summed CAR of every event cluster with "
                 "sampling error, unknown unless all are estimable (crypto-benchmark market model beside it in "
                 "crypto_benchmark_log_return_*)",
        "residual": "rally log return minus the hashrate, flow and event channels",
    }
    failed = sorted(set(primary.loc[primary["status"] != "ok", "status"])) if len(primary) else []
    inputs = {"event": f"{ok} of {total} clusters estimable" + (
        ": " + "; ".join(textwrap.shorten(t, 120, placeholder=" ...") for t in primary.loc[primary["status"] == "ok", "titles"]) if ok else "") + (
        f" (not estimable: {'; '.join(failed)}; a partial sum is not the channel: unknown)" if failed else "")}
    if bench is not None:
        inputs["event"] += f"; crypto benchmark: {bench} ({ok_market} of {total} clusters estimable)"
    if not total:
        inputs["event"] = attr.NO_EVENT
    crypto = event_study.draw_car_sum(cars, z, event_study.CRYPTO_BENCHMARK)
    crypto_q = np.quantile(crypto, [0.05, 0.5, 0.95]) if np.isfinite(crypto).all() else np.full(3, np.nan)
    extras = {"event": {"event_clusters_estimable": ok, "event_clusters_total": total,
                        **{f"crypto_benchmark_log_return_p{q}": v for q, v in zip(("05", "50", "95"), crypto_q)}}}
    if subject == attr.MINING and coverage.startswith(fleet.NO_EVIDENCE):
        inputs["hashrate"] = inputs["flow"] = coverage
    elif subject == attr.MINING:
        inputs["hashrate"] = f"{edges}" if coin_draw is None else \
            f"{coin_draw.coin} network ({coin_draw.algorithm}): {edges}; fleet hashrate: {coin_draw.hashrate_basis}"
        inputs["flow"] = f"{coverage}; market value: {r.market_value_how}"
    else:
        inputs["flow"] = f"{etf_how}; market value: {r.market_value_how}"
        inputs["hashrate"] = attr.NO_HASHRATE
    return methods, inputs, extras


def sensitivity(a: Assumptions, scenario: Simulation, labels: pd.DataFrame) -> pd.DataFrame:
    """marts.sensitivity: each headline result at the base case and with each range at its low and high end."""
    at = {(name, end): i for i, (name, end) in enumerate(zip(labels["assumption"], labels["end"]))}
    rows = []
    for key, values in scenario.headline.items():
        metric, coin, window, subject, channel = key
        for name in sorted(a.ranges):
            lo, hi = float(values[at[(name, "low")]]), float(values[at[(name, "high")]])
            rows.append(dict(metric=metric, coin=coin, window_name=window, subject=subject, channel=channel,
                             assumption=name, assumption_low=a.ranges[name].low, assumption_high=a.ranges[name].high,
                             assumption_unit=a.ranges[name].unit, result_base=float(values[0]), result_at_low=lo,
                             result_at_high=hi, swing=abs(hi - lo) if np.isfinite(hi - lo) else np.nan))
    out = pd.DataFrame(rows)
    if len(out):
        moves = out["swing"].where(out["swing"] > 0)   # an assumption that does not move the result is not ranked
        out["rank"] = moves.groupby([out[k] for k in ["metric", "coin", "window_name", "subject", "channel"]],
                                    dropna=False).rank(ascending=False, method="first").astype("Int64")
    return out


def run_models(inputs: ModelInputs, a: Assumptions, windows: dict | None = None,
               log: Callable[[str], None] | None = None) -> dict[str, pd.DataFrame]:
    """Every model mart, keyed by table name, each row stamped with the assumption set and model version.
    `log` hears what could not be modelled (a coin without a hashrate figure for the fleet, ...)."""
    chain = mining.chain_daily(inputs.network, inputs.prices, inputs.coins)
    devs = mining.devices(inputs.specs, a.fleet_device, a.fleet_device_power_w, _fleet_hashrates(a))
    profit = mining.profitability_daily(chain, devs, mining.leak_prices(inputs.lines), a.reference_usd_per_kwh,
                                        a.ranges["pue"].central, a.ranges["server_overhead"].central)
    spans = _windows(a, windows)
    cases = attribution_cases(inputs, a, event_study.log_returns(inputs.prices), spans)
    draws = a.sample()
    sim = simulate(inputs, a, draws, chain, devs, spans, cases)
    labels, scenario_draws = a.scenarios()
    scen = simulate(inputs, a, scenario_draws, chain, devs, spans, cases, summarise_fleet=False)
    for reason in sim.skipped if log else ():
        log(f"not in mining_contribution_daily: {reason}")
    marts = {
        "model_assumptions": a.table(),
        "mining_profitability_daily": profit,
        "ai_fleet_daily": sim.fleet,
        "mining_contribution_daily": contribution_daily(sim.coins, sim.power_cost, sim.days),
        "rally_attribution": pd.concat([attr.summarise(*row) for row in sim.attribution], ignore_index=True)
        if sim.attribution else pd.DataFrame(),
        "event_study": pd.concat([c.cars for c in cases], ignore_index=True) if cases else pd.DataFrame(
            columns=event_study.COLUMNS + ["subject", "window_name"]),
        "sensitivity": sensitivity(a, scen, labels),
    }
    for name, frame in marts.items():
        frame["assumption_set"] = a.set_id
        frame["model_version"] = MODEL_VERSION
    return marts
