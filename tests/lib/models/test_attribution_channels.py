"""The rally attribution's channels measure what they say (issue 16, defect 6), on purpose-built inputs run
through the model stage: the hashrate channel is the hashrate the fleet adds within the window (its share's
change from start to end, not its level); undated leaked sheets are no events; a partly estimable event channel
is unknown, not a partial sum; event windows stop at the rally's end; the primary event estimate is the
constant-mean model; a falling price has no shares, only log-return points. Expected numbers are computed here
from the inputs with numpy, never with the function under test."""
import math
from importlib import resources

import numpy as np
import pandas as pd
import pytest

from pipelines.lib.models import assumptions, attribution, contribution, stage

T = pd.Timestamp
TOML = resources.files("pipelines.reference").joinpath("model_assumptions.toml").read_text("utf-8")
A = assumptions.parse(TOML.replace("draws = 10000", "draws = 2000"))
DAYS = pd.date_range("2023-06-01", "2024-02-10", freq="D")
JAN = {"jan": ("2024-01-01", "2024-01-31")}
FLEET = "NVIDIA H100 SXM"
NETWORK = 5e20


def btc_returns(trend: float = 0.004, jumps: dict | None = None) -> pd.Series:
    """Daily log returns: +-0.01 alternating, `trend` a day in January 2024 and `jumps` on given days."""
    r = pd.Series(0.01 * (-1.0) ** np.arange(len(DAYS)), index=DAYS)
    r.iloc[0] = 0.0
    r[(DAYS >= T("2024-01-02")) & (DAYS <= T("2024-01-31"))] += trend
    for day, jump in (jumps or {}).items():
        r[T(day)] += jump
    return r


def build(returns: pd.Series, *, network=None, events=(), eth_returns: pd.Series | None = None,
          leak_end="2024-02-10", drop_price=()) -> stage.ModelInputs:
    """BTC (and optionally ETH) prices from daily log returns; a constant BTC network (or `network`: day ->
    hashrate); one leaked sheet claiming 100,000 H100s at Microsoft from 2023-06-01 to `leak_end` (the fleet's
    only evidence, so the fleet is constant while the sheet runs); `events`: (date, kind, title)."""
    hashrate = network or (lambda day: NETWORK)
    net = pd.DataFrame([("BTC", d.date(), hashrate(d), 7e13, 6.25, 144.0, np.nan, 20.0, "pow") for d in DAYS],
                       columns=["coin", "date", "hashrate_hs", "difficulty", "block_reward_coins", "blocks_per_day",
                                "issuance_coins", "fees_coins", "consensus"])
    prices = [("BTC", d.date(), 40_000.0 * math.exp(c), np.nan) for d, c in zip(DAYS, returns.cumsum())
              if d not in {T(x) for x in drop_price}]
    if eth_returns is not None:
        prices += [("ETH", d.date(), 2_000.0 * math.exp(c), np.nan) for d, c in zip(DAYS, eth_returns.cumsum())]
    lines = pd.DataFrame([dict(document_id="d1", table_index=0, row_index=0, company="Microsoft", device="H100",
                               device_count=100_000.0, utilization_share=np.nan, period_start=DAYS[0].date(),
                               period_end=T(leak_end).date(), coin=None, electricity_usd_per_kwh=np.nan,
                               is_total_row=False)])
    return stage.ModelInputs(
        network=net, prices=pd.DataFrame(prices, columns=["asset", "date", "close_usd", "market_cap_usd"]),
        specs=pd.DataFrame([(FLEET, "datacenter_gpu", "sha256d", 8e9, 700.0, "hashcat / 2")],
                           columns=["device", "device_class", "algorithm", "hashrate_hs", "power_w", "source"]),
        coins=pd.DataFrame({"ticker": ["BTC", "ETH"], "algorithm": ["sha256d", "ethash"]}),
        quarterly=pd.DataFrame(columns=["company", "ticker", "period_end", "capex_usd"]),
        announcements=pd.DataFrame(columns=["announcement_id", "company", "announced_on", "amount_usd", "scope",
                                            "horizon_years", "duplicate_of"]),
        lines=lines,
        events=pd.DataFrame([(T(d).date(), None, k, t) for d, k, t in events],
                            columns=["date", "asset", "kind", "title"]),
        flows=pd.DataFrame(columns=["date", "asset", "fund", "net_flow_usd"]),
        documents=pd.DataFrame({"document_id": ["d1"], "path": ["cost_sheets/leak.pdf"]}))


def run(inputs: stage.ModelInputs) -> dict[str, pd.DataFrame]:
    return stage.run_models(inputs, A, JAN)


def btc_rows(marts, subject=attribution.MINING) -> pd.DataFrame:
    ra = marts["rally_attribution"]
    return ra[(ra["coin"] == "BTC") & (ra["subject"] == subject)].set_index("channel")


def constant_mean_car(returns: pd.Series, event_day: str, days: list[str]) -> float:
    """sum over `days` of (r - mean r over the estimation window [event - 120, event - 11])."""
    start, end = T(event_day) - pd.Timedelta(days=120), T(event_day) - pd.Timedelta(days=11)
    mean = returns[(returns.index >= start) & (returns.index <= end)].mean()
    return float(sum(returns[T(d)] - mean for d in days))


# ---------------------------------------------------------------------------------------------- hashrate

def coin(fleet_hs: np.ndarray, network_hs: np.ndarray) -> contribution.CoinDraws:
    days = fleet_hs.shape[1]
    return contribution.CoinDraws(
        coin="BTC", algorithm="sha256d", dates=pd.date_range("2024-01-01", periods=days, freq="D"),
        fleet_hs=fleet_hs, network_hs=network_hs, issued_coins=np.full(days, 450.0), close_usd=np.full(days, 1.0),
        pow_day=np.ones(days, dtype=bool), consensus=np.array(["pow"] * days, dtype=object), hashrate_basis="test")


def test_hashrate_channel_is_the_change_in_the_fleets_share_over_the_window():
    # 20 days, network 9e18; draw 0: a constant fleet of 1e18; draw 1: a fleet rising 0, 1e17, ..., 1.9e18
    fleet_hs = np.vstack([np.full(20, 1e18), np.arange(20) * 1e17])
    r = attribution.Rally("BTC", attribution.Window("jan", T("2024-01-01"), T("2024-01-20")),
                          T("2024-01-01"), T("2024-01-20"), 0.1, 1e12, "cap")
    start, end, note = attribution.window_hashrate_added(coin(fleet_hs, np.full(20, 9e18)), r, 2)
    # -ln(1 - s) = ln((N + F) / N), averaged over the first and the last 7 days
    first = [math.log((9e18 + f) / 9e18) for f in fleet_hs[1, :7]]
    last = [math.log((9e18 + f) / 9e18) for f in fleet_hs[1, -7:]]
    np.testing.assert_allclose(start, [math.log(10 / 9), sum(first) / 7], rtol=1e-9)
    np.testing.assert_allclose(end, [math.log(10 / 9), sum(last) / 7], rtol=1e-9)
    assert "first 7 proof-of-work days 2024-01-01..2024-01-07" in note
    assert "last 7 proof-of-work days 2024-01-14..2024-01-20" in note
    # with an elasticity of 0.05: the constant fleet adds nothing within the window, the rising one
    # 0.05 x (mean of ln(1 + F/N) over 01-14..20 - over 01-01..07)
    ch = attribution.hashrate_log_return(start, end, np.array([0.05, 0.05]))
    assert ch[0] == 0.0
    assert ch[1] == pytest.approx(0.05 * (sum(last) - sum(first)) / 7, rel=1e-9) and ch[1] > 0.006
    # no network data on the window's last days: the share at its end, so the channel, is unknown
    net = np.full(20, 9e18)
    gap = coin(fleet_hs[:, :15], net[:15])
    start, end, note = attribution.window_hashrate_added(gap, r, 2, pd.date_range("2024-01-01", "2024-01-20"))
    assert np.isfinite(start).all() and np.isnan(end).all()
    assert "network data cover 2 of the window's last 7 proof-of-work days" in note
    assert "the fleet's share at the window's end is unknown" in note


def test_hashrate_channel_is_zero_for_a_constant_share_and_positive_for_a_rising_one():
    constant = btc_rows(run(build(btc_returns())))
    # fleet (the leak's 100,000 GPUs) and network constant all window: no hashrate added within it
    assert constant.loc["hashrate", ["log_return_p05", "log_return_p50", "log_return_p95"]].tolist() == [0, 0, 0]
    assert constant.loc["hashrate", "share_p50"] == 0
    assert "first 7 proof-of-work days 2024-01-01..2024-01-07" in constant.loc["hashrate", "inputs"]
    # the network halves on 2024-01-15: the same fleet's share doubles between the window's start and its end
    rising = btc_rows(run(build(btc_returns(), network=lambda d: NETWORK if d < T("2024-01-15") else NETWORK / 2)))
    hashrate = rising.loc["hashrate"]
    assert hashrate["log_return_p05"] >= 0 and hashrate["log_return_p50"] > 0 and hashrate["share_p50"] > 0
    # the fleet (1e14 .. 2e15 H/s: 100,000 x idle share x 8e9) is a tiny share: ln(1 + F/2.5e20) - ln(1 + F/5e20)
    # ~ F / 5e20 <= 4e-6, times an elasticity <= 0.1
    assert hashrate["log_return_p95"] < 4e-7


# ---------------------------------------------------------------------------------------------- events

def test_undated_leak_sheets_are_no_events():
    marts = run(build(btc_returns(), leak_end="2024-01-25"))   # the sheet's period ends inside the window
    assert len(marts["event_study"]) == 0
    event = btc_rows(marts).loc["event"]
    # no dated event in the window: the channel does not apply (NULL with the reason), not an effect of 0
    assert event[["log_return_p05", "log_return_p50", "log_return_p95"]].isna().all()
    assert event["share_reason"] == "not applicable: no dated public event in the window"
    assert (event["event_clusters_estimable"], event["event_clusters_total"]) == (0, 0)
    # a leak with a publication date (core.events kind 'leak') is an event
    dated = run(build(btc_returns(), leak_end="2024-01-25", events=[("2024-01-10", "leak", "sheet published")]))
    es = dated["event_study"]
    assert set(es["cluster_start"]) == {T("2024-01-10")} and set(es["titles"]) == {"leak: sheet published"}


def test_a_partly_estimable_event_channel_is_unknown_and_says_how_much_was_covered():
    # the 01-21 close is missing: the 01-20 event's window (01-20..22) lacks two returns
    marts = run(build(btc_returns(), events=[("2024-01-05", "capex", "plan A"), ("2024-01-20", "capex", "plan B")],
                      drop_price=["2024-01-21"]))
    rows = btc_rows(marts)
    assert np.isnan(rows.loc["event", ["log_return_p05", "log_return_p50", "log_return_p95"]].astype(float)).all()
    assert np.isnan(rows.loc["residual", "log_return_p50"]) and np.isnan(rows.loc["event", "share_p50"])
    assert (rows.loc["event", "event_clusters_estimable"], rows.loc["event", "event_clusters_total"]) == (1, 2)
    assert rows.loc["event", "inputs"].startswith("1 of 2 clusters estimable")
    assert rows.loc["event", "share_reason"] == "the channel is unknown (see inputs), so is its share"
    es = marts["event_study"]
    primary = es[es["model"] == "constant_mean"].set_index("cluster_start")["status"]
    assert primary.to_dict() == {T("2024-01-05"): "ok", T("2024-01-20"): "event window has days without a return"}


def test_event_windows_are_clipped_to_the_rally_window():
    # +0.3 on 02-01, the day after the window: an unclipped (0, 2) window from 01-30 would count it
    returns = btc_returns(jumps={"2024-01-30": 0.05, "2024-02-01": 0.3})
    marts = run(build(returns, events=[("2024-01-30", "capex", "plan")]))
    es = marts["event_study"].set_index("model")
    assert es.loc["constant_mean", "window_start"] == T("2024-01-30")
    assert es.loc["constant_mean", "window_end"] == T("2024-01-31")
    car = constant_mean_car(returns, "2024-01-30", ["2024-01-30", "2024-01-31"])
    assert es.loc["constant_mean", "car"] == pytest.approx(car, rel=1e-9)
    event = btc_rows(marts).loc["event"]
    # the median draw is the CAR (z's median ~ 0 in 2,000 draws; se ~ 0.02)
    assert event["log_return_p50"] == pytest.approx(car, abs=0.003) and car < 0.1
    # an event before the window whose window reaches into it counts for its days inside only
    early = run(build(returns, events=[("2023-12-31", "capex", "plan")]))["event_study"].set_index("model")
    assert (early.loc["constant_mean", "window_start"], early.loc["constant_mean", "window_end"]) == (
        T("2024-01-02"), T("2024-01-02"))


def test_the_primary_event_estimate_is_the_constant_mean_model():
    # BTC and ETH both jump +0.05 on the event day: a crypto-wide reaction, which the claim asserts
    btc = btc_returns(jumps={"2024-01-10": 0.05})
    eth = btc + 0.002 * np.sin(1.3 * np.arange(len(DAYS)))
    marts = run(build(btc, events=[("2024-01-10", "capex", "plan")], eth_returns=eth))
    es = marts["event_study"]
    es = es[es["asset"] == "BTC"].set_index("model")
    assert sorted(es.index) == ["constant_mean", "market"] and (es["status"] == "ok").all()
    car = constant_mean_car(btc, "2024-01-10", ["2024-01-10", "2024-01-11", "2024-01-12"])
    assert es.loc["constant_mean", "car"] == pytest.approx(car, rel=1e-9) and car > 0.045
    assert abs(es.loc["market", "car"]) < 0.01               # the crypto benchmark nets the reaction out
    assert es.loc["market", "benchmark"] == "equal-weighted daily log return of ETH"
    event = btc_rows(marts).loc["event"]
    assert event["log_return_p50"] == pytest.approx(car, abs=0.003)
    assert event["crypto_benchmark_log_return_p50"] == pytest.approx(es.loc["market", "car"], abs=0.003)
    assert "constant-mean event study" in event["method"]


# ---------------------------------------------------------------------------------------------- falling price

def test_a_falling_window_states_log_return_points_and_no_shares():
    returns = btc_returns(trend=-0.01, jumps={"2024-01-10": 0.05})
    marts = run(build(returns, events=[("2024-01-10", "capex", "plan")]))
    rows = btc_rows(marts)
    rally = float(rows["rally_log_return"].iloc[0])
    assert rally == pytest.approx(returns["2024-01-02":"2024-01-31"].sum(), rel=1e-9) and rally < -0.2
    assert rows[["share_p05", "share_p50", "share_p95"]].isna().all().all()
    for channel in attribution.CHANNELS:
        assert rows.loc[channel, "share_reason"].startswith(
            f"not a rally: the price fell over the window (log return {rally:+.4f})"), channel
    # the log-return points are stated: hashrate 0 (constant fleet and network), event ~ its CAR, the residual
    # the rest of the fall
    assert rows.loc["hashrate", "log_return_p50"] == 0
    car = constant_mean_car(returns, "2024-01-10", ["2024-01-10", "2024-01-11", "2024-01-12"])
    assert rows.loc["event", "log_return_p50"] == pytest.approx(car, abs=0.003)
    assert rows.loc["residual", "log_return_p50"] == pytest.approx(rally - car - rows.loc["flow", "log_return_p50"],
                                                                   abs=0.003)
    sens = marts["sensitivity"]
    shares = sens[(sens["metric"] == "rally_share") & (sens["coin"] == "BTC")]
    assert len(shares) and shares["result_base"].isna().all()


def test_the_report_says_why_a_falling_window_has_no_shares():
    from pipelines.lib.report.sections.attribution import attribution_section
    from pipelines.lib.report.sections.verdict import verdict_section

    marts = run(build(btc_returns(trend=-0.01), events=[("2024-01-10", "capex", "plan")]))
    rows = marts["rally_attribution"].to_dict("records")
    data = {"attribution": rows, "leak_verdicts": [], "leak_implausible_by_claim": [], "fleet_daily": [],
            "assumptions": [], "chain_detectability_windows": [], "chain_detectability_sheets": [],
            "chain_causality": []}
    lead = verdict_section(data).blocks[0].text.plain()
    assert lead.startswith("Bitcoin's price did not rise from 2024-01-01 to 2024-01-31 (log return -0.")
    assert "no channel is stated as a share" in lead and "by 0 [0, 0] through the hashrate" in lead
    table = next(b for b in attribution_section(data, {}).blocks if b.kind == "table")
    event = next(r for r in table.rows if r[4] == "event")
    assert event[6] == "unknown" and event[8] != "unknown"      # no share; its log-return points instead
    assert event[10].startswith("no share: not a rally: the price fell over the window")


def test_a_channel_the_yardstick_does_not_have_is_null_not_applicable_not_zero():
    """Net spot-ETF flows add no hashrate: the yardstick's hashrate channel is NULL with 'not applicable' (it was 0),
    and its residual is the rally minus the channels it has."""
    w = attribution.Window("jan", T("2024-01-01"), T("2024-01-31"))
    r = attribution.Rally("BTC", w, T("2024-01-01"), T("2024-01-31"), 0.3, 1e12, "test")
    draws = A.sample(500)
    channels = attribution.channel_draws(r, attribution.YARDSTICK, draws, flow_usd=5e9)
    assert np.isnan(channels["hashrate"]).all()
    expected_flow = np.log1p(draws["price_impact_multiplier"] * 5e9 / 1e12)
    np.testing.assert_allclose(channels["flow"], expected_flow)
    np.testing.assert_allclose(channels["residual"], 0.3 - expected_flow)
    methods = {c: "m" for c in attribution.CHANNELS}
    rows = attribution.summarise(r, attribution.YARDSTICK, channels, methods, {}).set_index("channel")
    assert rows.loc["hashrate", ["share_p05", "share_p50", "share_p95", "log_return_p50"]].isna().all()
    assert rows.loc["hashrate", "share_reason"].startswith("not applicable")
    assert rows.loc["residual", "share_p50"] == pytest.approx(np.median((0.3 - expected_flow) / 0.3))
    mining = attribution.channel_draws(r, attribution.MINING, draws, hashrate_added=(np.zeros(500), np.zeros(500)))
    assert (mining["hashrate"] == 0).all(), "the claim's own hashrate channel stays a known 0 when nothing is added"


def test_a_window_without_any_dated_event_has_no_event_channel_rather_than_a_zero_one():
    """No dated public event in the window: the event channel does not apply (NULL, 'not applicable'), it is not an
    event effect of 0; the residual is the rally minus the channels that apply."""
    w = attribution.Window("jan", T("2024-01-01"), T("2024-01-31"))
    r = attribution.Rally("BTC", w, T("2024-01-01"), T("2024-01-31"), 0.3, 1e12, "test")
    draws = A.sample(200)
    no_events = pd.DataFrame({"model": pd.Series(dtype=object), "status": pd.Series(dtype=object),
                              "car": pd.Series(dtype=float), "car_se": pd.Series(dtype=float)})
    ch = attribution.channel_draws(r, attribution.MINING, draws, hashrate_added=(np.zeros(200), np.full(200, 0.1)),
                                   flow_usd=np.full(200, 1e9), cars=no_events)
    assert np.isnan(ch["event"]).all()
    np.testing.assert_allclose(ch["residual"], 0.3 - ch["hashrate"] - ch["flow"])
    rows = attribution.summarise(r, attribution.MINING, ch, {c: "m" for c in attribution.CHANNELS},
                                 {"event": "not applicable: no dated public event in the window"}).set_index("channel")
    assert rows.loc["event", "share_reason"] == "not applicable: no dated public event in the window"
    assert rows.loc["event", ["share_p50", "log_return_p50"]].isna().all()
    assert np.isfinite(rows.loc["residual", "share_p50"])
