"""The fleet on partial, newer and revised inputs (issue 16, points 1-3 and 7's per-company GPU share): no fleet
evidence is an unknown fleet (NULL with a reason, never 0), a plan announced after the last modelled day adds
nothing, revised guidance and a plan inside a same-period total count once, and each company's GPU share of
capex follows the shipment estimates the assumptions file cites. Each case runs the model stage (or the
pipeline) on purpose-built inputs and asserts the published values."""
import dataclasses
import shutil

import numpy as np
import pandas as pd
import pytest
from tests.lib.models.test_models_units import (ANNOUNCEMENT_COLUMNS, FLEET, NETWORK_COLUMNS, NO_LINES, NO_PLANS, QUARTER_COLUMNS,
                               SPEC_COLUMNS, TOML, T, at, fleet_draw_set, lines_frame, tiny_inputs)

from pipelines.lib.models import assumptions, attribution, fleet, stage
from pipelines.lib.models.assumptions import AssumptionError

PLAN_COLUMNS = ANNOUNCEMENT_COLUMNS + ["horizon_end"]
JAN = {"jan": ("2024-01-01", "2024-01-20")}
QUANTILE_COLUMNS = ["gpus_p05", "gpus_p50", "gpus_p95", "idle_gpus_p05", "idle_gpus_p50", "idle_gpus_p95"]
MINED_COLUMNS = ["fleet_hashrate_hs_p50", "network_share_p05", "network_share_p50", "network_share_p95",
                 "coins_per_day_p50", "usd_per_day_p50", "fleet_to_network_p50"]


@pytest.fixture(scope="module")
def small():
    """The bundled assumptions at 2,000 draws (as the stage tests in test_models_units)."""
    return assumptions.parse(TOML.replace("draws = 10000", "draws = 2000"))


def plans(rows) -> pd.DataFrame:
    """core.capex_announcements as the models read it: (id, company, announced_on, amount_usd, scope,
    horizon_years, duplicate_of, horizon_end)."""
    return pd.DataFrame(rows, columns=PLAN_COLUMNS)


def mining_rows(marts, coin) -> pd.DataFrame:
    ra = marts["rally_attribution"]
    return ra[(ra["coin"] == coin) & (ra["subject"] == attribution.MINING)].set_index("channel")


# ---------------------------------------------------------------------------------------------------------------
# 1. no fleet evidence is not a zero fleet


def test_no_capex_plan_or_leak_leaves_the_mining_channels_and_contribution_unknown(small):
    no_evidence = dataclasses.replace(tiny_inputs(), quarterly=pd.DataFrame(columns=QUARTER_COLUMNS))
    marts = stage.run_models(no_evidence, small, JAN)
    for coin in ("BTC", "ETH"):     # ETH: proof of work on its first 10 days, unknown fleet on all of them
        rows = mining_rows(marts, coin)
        for channel in ("hashrate", "flow", "residual"):
            assert rows.loc[channel, ["share_p05", "share_p50", "share_p95", "log_return_p50"]].isna().all(), \
                (coin, channel)
        assert rows.loc["hashrate", "inputs"] == "no capex, plan or leak evidence for these days"
        assert rows.loc["flow", "inputs"] == "no capex, plan or leak evidence for these days"
    contrib = marts["mining_contribution_daily"]
    pow_days = contrib[contrib["consensus"] == "pow"]
    assert len(pow_days) == 30                                        # BTC 20 days + ETH's 10 proof-of-work days
    assert pow_days[MINED_COLUMNS].isna().all().all()                # unknown, not 0
    assert pow_days["fleet_power_cost_usd_per_day_p50"].isna().all()
    pos = contrib[contrib["consensus"] == "pos"]
    assert len(pos) == 10 and (pos["network_share_p50"] == 0).all()  # proof of stake: zero is known
    assert marts["ai_fleet_daily"].empty
    sens = marts["sensitivity"]
    idle = sens[sens["metric"] == "idle_gpus_total_at_window_end"]
    assert len(idle) == len(small.ranges) and idle["result_base"].isna().all()


@pytest.mark.parametrize("first, note", [
    # 5 of 20 days without evidence: 15 < 80 % of 20, the channels are unknown and say why
    ("2024-01-06", "no capex, plan or leak evidence for these days (5 of the window's 20 proof-of-work days)"),
    # 3 of 20: the 17 covered days are scaled up, and the note says which were left out
    ("2024-01-04", "network data on 17 of 20 proof-of-work days (scaled up to all of them); 3 of the window's 20 "
                   "proof-of-work days have no capex, plan or leak evidence and count as not covered"),
])
def test_a_window_partly_before_the_first_evidence_names_the_uncovered_days(small, first, note):
    """Microsoft's only evidence is a leak covering `first` .. 2024-01-20: the window's first days have none."""
    leak = lines_frame([dict(company="Microsoft", device_count=50_000.0, utilization_share=0.5,
                             period_start=T(first).date(), period_end=T("2024-01-20").date())])
    partial = dataclasses.replace(tiny_inputs(), quarterly=pd.DataFrame(columns=QUARTER_COLUMNS), lines=leak)
    marts = stage.run_models(partial, small, JAN)
    rows = mining_rows(marts, "BTC")
    assert note in rows.loc["flow", "inputs"]
    assert np.isfinite(rows.loc["flow", "log_return_p50"]) == (first == "2024-01-04")
    # the hashrate channel is the change from the window's start to its end: the start has no evidence
    assert np.isnan(rows.loc["hashrate", "log_return_p50"])
    assert "no capex, plan or leak evidence for these days" in rows.loc["hashrate", "inputs"]
    fl = marts["ai_fleet_daily"].set_index("date")
    # the model's days start with the leak; on them the leak's 50,000 devices are the fleet in every draw
    assert fl.index.min() == T(first) and (fl["gpus_p50"] == 50_000).all()


def test_fleet_draws_unknown_before_evidence_and_after_it_retires():
    """Per company and draw: NaN before the first filed quarter and once its spend has left every service life;
    the total idle fleet is NaN only where no company is covered."""
    days = pd.date_range("2023-12-30", "2025-01-02", freq="D")
    quarterly = pd.DataFrame([("Microsoft", "MSFT", "2024-03-31", 91e9)], columns=QUARTER_COLUMNS)
    lines = lines_frame([dict(company="Oracle", device_count=100.0, period_start="2023-12-30",
                              period_end="2023-12-30")])
    draws = fleet_draw_set(gpu_service_life_years=[0.5, 5.0])
    out = fleet.fleet_draws(quarterly, NO_PLANS, lines, days, draws)
    msft = out["Microsoft"]["installed"]
    np.testing.assert_allclose(at(days, msft, "2023-12-31"), [np.nan, np.nan])
    # 6 months = 6 x 365.25 / 12 = 182.6 -> 183 days: on 2024-09-30 the last filed day (03-31) is 183 days old
    np.testing.assert_allclose(at(days, msft, "2024-09-30"), [np.nan, 1_137_500], rtol=1e-6)
    total = fleet.IdleTotal(2, len(days))
    for f in out.values():
        total.add(f["idle"])
    total = total.result()
    # 2023-12-30: only Oracle's leak (100 x 0.2 idle = 20); 12-31: nobody; 2024-01-01: Microsoft's first day
    np.testing.assert_allclose(at(days, total, "2023-12-30"), [20.0, 20.0])
    np.testing.assert_allclose(at(days, total, "2023-12-31"), [np.nan, np.nan])
    np.testing.assert_allclose(at(days, total, "2024-01-01"), [12_500 * 0.2, 12_500 * 0.2], rtol=1e-6)
    daily = pd.concat([fleet.company_daily(c, f, days, 0.2) for c, f in out.items()]).set_index(["company", "date"])
    assert daily.loc[("Microsoft", T("2023-12-31")), "basis"] == fleet.NO_EVIDENCE_DAY
    assert np.isnan(daily.loc[("Microsoft", T("2023-12-31")), "gpus_p50"])
    assert daily.loc[("Microsoft", T("2024-09-30")), "basis"] == fleet.RETIRED_IN_SOME_DRAWS
    assert daily.loc[("Microsoft", T("2024-01-01")), "basis"] == "capex"


# ---------------------------------------------------------------------------------------------------------------
# 2. a plan announced after the last modelled day is not backdated


def test_a_plan_dated_after_the_chain_data_adds_no_gpus_on_any_modelled_day(small):
    base = tiny_inputs()      # chain data 2024-01-01 .. 01-20; Microsoft filed up to 2023-12-31
    late = dataclasses.replace(base, announcements=plans([
        ("p1", "Microsoft", T("2025-01-07").date(), 100e9, "ai_datacenter", np.nan, None, None),
        ("p2", "Oracle", T("2025-01-07").date(), 100e9, "total_capex", 4.0, None, None)]))
    with_plan, without = stage.run_models(late, small, JAN), stage.run_models(base, small, JAN)
    fl = with_plan["ai_fleet_daily"]
    msft = fl[fl["company"] == "Microsoft"].reset_index(drop=True)
    pd.testing.assert_frame_equal(msft[QUANTILE_COLUMNS], without["ai_fleet_daily"][QUANTILE_COLUMNS])
    oracle = fl[fl["company"] == "Oracle"]
    assert len(oracle) == 20 and oracle["gpus_p95"].isna().all() and (oracle["basis"] == fleet.NO_EVIDENCE_DAY).all()
    pd.testing.assert_frame_equal(with_plan["mining_contribution_daily"][MINED_COLUMNS],
                                  without["mining_contribution_daily"][MINED_COLUMNS])
    pd.testing.assert_series_equal(with_plan["rally_attribution"]["share_p50"],
                                   without["rally_attribution"]["share_p50"])


def test_fleet_draws_a_plan_after_the_days_is_no_evidence():
    days = pd.date_range("2024-01-01", "2024-06-30", freq="D")
    out = fleet.fleet_draws(pd.DataFrame(columns=QUARTER_COLUMNS),
                            plans([("p1", "Amazon", "2024-07-15", 365.25e9, "ai_datacenter", 1.0, None, None)]),
                            NO_LINES, days, fleet_draw_set())
    assert np.isnan(out["Amazon"]["installed"]).all() and np.isnan(out["Amazon"]["idle"]).all()


# ---------------------------------------------------------------------------------------------------------------
# 3. revised guidance and overlapping plans count once


def year_inputs(announcements: pd.DataFrame) -> stage.ModelInputs:
    """BTC chain data for all of 2024; Meta's filings end 2024-06-30, two quarters before them."""
    days = pd.date_range("2024-01-01", "2024-12-31", freq="D")
    net = pd.DataFrame([("BTC", d.date(), 5e20, 7e13, 6.25, 144.0, np.nan, 20.0, "pow") for d in days],
                       columns=NETWORK_COLUMNS)
    prices = pd.DataFrame({"asset": "BTC", "date": days.date, "close_usd": 40_000.0 * np.exp(0.002 * np.arange(len(days))),
                           "market_cap_usd": np.nan})
    return dataclasses.replace(
        tiny_inputs(), network=net, prices=prices, announcements=announcements,
        specs=pd.DataFrame([(FLEET, "datacenter_gpu", "sha256d", 8e9, 700.0, "hashcat / 2")], columns=SPEC_COLUMNS),
        quarterly=pd.DataFrame([("Meta", "META", "2024-03-31", 14e9), ("Meta", "META", "2024-06-30", 8.5e9)],
                               columns=QUARTER_COLUMNS))


# FY2024 guidance as core.capex_announcements holds it (horizon 'FY2024': one year, ending 2024-12-31)
APRIL = ("g1", "Meta", T("2024-04-24").date(), 37.5e9, "total_capex", 1.0, None, T("2024-12-31").date())
JULY = ("g2", "Meta", T("2024-07-31").date(), 38.5e9, "total_capex", 1.0, None, T("2024-12-31").date())
OCTOBER = ("g3", "META", T("2024-10-30").date(), 39e9, "total_capex", 1.0, None, T("2024-12-31").date())
H2 = {"h2": ("2024-07-01", "2024-12-31")}


def test_three_revisions_of_one_years_guidance_count_as_the_latest_alone(small):
    revised = stage.run_models(year_inputs(plans([APRIL, JULY, OCTOBER])), small, H2)
    latest = stage.run_models(year_inputs(plans([OCTOBER])), small, H2)
    pd.testing.assert_frame_equal(revised["ai_fleet_daily"][QUANTILE_COLUMNS], latest["ai_fleet_daily"][QUANTILE_COLUMNS])
    pd.testing.assert_frame_equal(revised["mining_contribution_daily"][MINED_COLUMNS],
                                  latest["mining_contribution_daily"][MINED_COLUMNS])
    pd.testing.assert_frame_equal(mining_rows(revised, "BTC").loc[["hashrate", "flow"], ["share_p50", "log_return_p50"]],
                                  mining_rows(latest, "BTC").loc[["hashrate", "flow"], ["share_p50", "log_return_p50"]])


def test_fleet_draws_revised_guidance_by_hand():
    days = pd.date_range("2024-01-01", "2025-03-31", freq="D")
    quarterly = pd.DataFrame([("Meta", "META", "2024-03-31", 91e9), ("Meta", "META", "2024-06-30", 91e9)],
                             columns=QUARTER_COLUMNS)
    # 365.25e9 over one year = 1e9 USD per day; the April and July figures would add 184 and 154 more days
    guidance = plans([(*APRIL[:3], 365.25e9, *APRIL[4:]), (*JULY[:3], 365.25e9, *JULY[4:]),
                      (*OCTOBER[:3], 365.25e9, *OCTOBER[4:])])
    meta = fleet.fleet_draws(quarterly, guidance, NO_LINES, days, fleet_draw_set())["Meta"]["installed"]
    # filed: 182e9 x 0.5 GPU share x 25,000 / 1e9 = 2,275,000 on every day from 06-30 on; nothing is planned
    # before the October figure's announcement (July to October: the filings' GPUs only)
    np.testing.assert_allclose(at(days, meta, "2024-10-29"), [2_275_000], rtol=1e-6)
    # + October 30 .. December 31 = 63 days x 1e9 x 0.5 x 0.8 realised x 25,000 / 1e9 = 630,000
    np.testing.assert_allclose(at(days, meta, "2024-12-31"), [2_905_000], rtol=1e-6)
    # the guidance is for 2024: nothing of it is spent in 2025 (all of it stays in service for 5 years)
    np.testing.assert_allclose(at(days, meta, "2025-03-31"), [2_905_000], rtol=1e-6)


def test_an_ai_plan_inside_the_same_periods_total_guidance_is_not_stacked(small):
    inside = [("a1", "Meta", T("2024-08-01").date(), 20e9, "ai_datacenter", 0.42, None, T("2024-12-31").date()),
              ("a2", "Meta", T("2024-11-15").date(), 5e9, "ai_datacenter", 0.13, None, T("2024-12-31").date())]
    stacked = stage.run_models(year_inputs(plans([OCTOBER, *inside])), small, H2)
    total = stage.run_models(year_inputs(plans([OCTOBER])), small, H2)
    pd.testing.assert_frame_equal(stacked["ai_fleet_daily"][QUANTILE_COLUMNS], total["ai_fleet_daily"][QUANTILE_COLUMNS])
    # (the AI plans are dated events of the claim, so only the event channel may differ)
    pd.testing.assert_frame_equal(mining_rows(stacked, "BTC").loc[["hashrate", "flow"], ["share_p50", "log_return_p50"]],
                                  mining_rows(total, "BTC").loc[["hashrate", "flow"], ["share_p50", "log_return_p50"]])


def test_counted_plans_one_per_company_and_period():
    rows = plans([
        APRIL, JULY, OCTOBER,                                                             # Meta FY2024: OCTOBER
        ("a1", "Meta", "2024-11-15", 5e9, "ai_datacenter", 0.13, None, "2024-12-31"),       # inside FY2024's total
        ("a2", "Meta", "2024-11-15", 60e9, "ai_datacenter", 4.1, None, "2028-12-31"),       # another period: kept
        ("m1", "Microsoft", "2024-03-29", 100e9, "ai_datacenter", 4.76, None, "2028-12-31"),
        ("m2", "Microsoft Azure", "2024-09-01", 80e9, "ai_datacenter", 4.3, None, "2028-12-31"),  # revises m1
        ("m3", "Microsoft", "2024-03-29", 100e9, "ai_datacenter", 4.76, "m1", "2028-12-31"),     # duplicate
        ("z1", "Amazon", "2024-03-28", 150e9, "ai_datacenter", 15.0, None, None),            # no stated end: own
        ("z2", "Amazon", "2024-06-28", 150e9, "ai_datacenter", 15.0, None, None),
        ("x1", "Amazon", "2024-06-28", 1e9, "other", 1.0, None, "2024-12-31"),                # not a plan scope
    ])
    kept = fleet.counted_plans(rows)
    assert sorted(kept["announcement_id"]) == ["a2", "g3", "m2", "z1", "z2"]
    assert set(kept["company"]) == {"Meta", "Microsoft", "Amazon"}


# ---------------------------------------------------------------------------------------------------------------
# 7c. each company's GPU share of capex


BUNDLED_QUARTERS = "raw/capex/hyperscaler_capex_quarterly_2022_2024.csv"


def test_per_company_gpu_shares_follow_the_shipment_estimates(small):
    """The bundled filings (2022-2024) at the base case (every range at its central value; a 5-year service
    life keeps all of them in service on 2024-12-31): installed = filed capex x the company's central share x
    28,500 GPUs per bn USD. One share for all (0.20) made Amazon, the largest spender, the largest fleet
    (199.4 bn x 0.2 x 28.5 = 1.14 M); Omdia's 2023 and 2024 estimates put Microsoft and Meta ahead."""
    from pipelines.lib.common.settings import PROJECT_ROOT

    quarterly = pd.read_csv(PROJECT_ROOT / BUNDLED_QUARTERS)
    assert small.company_ranges("gpu_share_of_capex") == {
        "Microsoft": "gpu_share_of_capex_microsoft", "Meta": "gpu_share_of_capex_meta",
        "Amazon": "gpu_share_of_capex_amazon", "Alphabet": "gpu_share_of_capex_alphabet"}
    labels, draws = small.scenarios()
    days = pd.date_range("2024-12-31", "2024-12-31")
    out = fleet.fleet_draws(quarterly, NO_PLANS, NO_LINES, days, draws, small.company_ranges("gpu_share_of_capex"))
    base = {company: float(f["installed"][0, 0]) for company, f in out.items()}
    # filed 2022-2024: Microsoft 115.522 bn x 0.23; Meta 99.334 x 0.19; Amazon 199.373 x 0.06; Alphabet 116.271 x 0.08
    assert base == {"Microsoft": pytest.approx(115.522 * 0.23 * 28_500, rel=1e-5),
                    "Meta": pytest.approx(99.334 * 0.19 * 28_500, rel=1e-5),
                    "Amazon": pytest.approx(199.373 * 0.06 * 28_500, rel=1e-5),
                    "Alphabet": pytest.approx(116.271 * 0.08 * 28_500, rel=1e-5)}
    # the Monte Carlo's medians keep the order: Microsoft > Meta > Amazon > Alphabet
    medians = {company: float(np.median(f["installed"][:, 0]))
               for company, f in fleet.fleet_draws(quarterly, NO_PLANS, NO_LINES, days, small.sample(),
                                                   small.company_ranges("gpu_share_of_capex")).items()}
    assert sorted(medians, key=medians.get, reverse=True) == ["Microsoft", "Meta", "Amazon", "Alphabet"]


def test_a_company_range_is_named_after_its_general_range():
    amazon = '\n[ranges.{name}]\ncompany = "Amazon"\nlow = 0.1\ncentral = 0.2\nhigh = 0.3\nunit = "x"\nsource = "s"\n'
    with pytest.raises(AssumptionError, match="range 'share_amazon' .* is not named <range>_<company>"):
        assumptions.parse(TOML + amazon.format(name="share_amazon"))
    with pytest.raises(AssumptionError, match="range 'gpu_share_of_capex_aws' .* is not named"):
        assumptions.parse(TOML + amazon.format(name="gpu_share_of_capex_aws"))


# ---------------------------------------------------------------------------------------------------------------
# the pipeline on a raw folder without capex texts, filings or leaked sheets


@pytest.mark.e2e
def test_pipeline_without_capex_or_leaks_publishes_an_unknown_fleet(bundled_raw, pipeline):
    for folder in ("capex", "cost_sheets"):
        shutil.rmtree(bundled_raw / folder)
    run = pipeline(bundled_raw)
    run.run()
    rows = run.query("SELECT coin, window_name, channel, share_p50, log_return_p50, inputs FROM marts.rally_attribution "
                     "WHERE subject = 'idle_ai_mining' AND channel IN ('hashrate', 'flow', 'residual') "
                     "AND coin IN ('BTC', 'ETC', 'XMR') ORDER BY 1, 2, 3")
    assert len(rows) == 18                          # 3 coins x 2 windows x 3 channels
    for coin, window, channel, share, log_return, inputs in rows:
        assert share is None and log_return is None, (coin, window, channel)
        if channel != "residual":
            assert inputs == "no capex, plan or leak evidence for these days", (coin, window, channel)
    mined = run.query("SELECT count(*), count(network_share_p50), count(usd_per_day_p50) "
                      "FROM marts.mining_contribution_daily WHERE consensus = 'pow'")[0]
    assert mined[0] > 0 and mined[1:] == (0, 0)
    assert run.query("SELECT count(*) FROM marts.ai_fleet_daily")[0][0] == 0


def test_the_reports_fleet_headline_counts_only_companies_with_evidence():
    from pipelines.lib.report.sections.fleet import fleet_headline

    day = T("2024-12-31").date()
    rows = [{"company": "Microsoft", "date": day, "idle_gpus_p50": 1000.0},
            {"company": "Oracle", "date": day, "idle_gpus_p50": None}]          # no evidence that day
    text = fleet_headline({"fleet_daily": rows, "network_share_summary": []}).text.plain()
    assert "idle AI fleet of 1 companies was about 1,000 accelerators (sum of the companies' medians; 1 more " \
           "without capex, plan or leak evidence that day, unknown)" in text
