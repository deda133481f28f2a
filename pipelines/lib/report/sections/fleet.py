"""Section 3, the idle AI fleet per company and its share of each network (and the verdict's fleet
sentence)."""
from __future__ import annotations

from pipelines.lib.common.missing import is_missing
from pipelines.lib.report import text as fmt
from pipelines.lib.report.model import (
    Paragraph,
    Section,
    Table,
    chart,
    joined,
    say,
    u,
)
from pipelines.lib.report.sections.shared import SECTION_TITLES, coin_name


def fleet_headline(data):
    rows = data["fleet_daily"]
    if not rows:
        return Paragraph(say("The idle AI fleet is unknown: marts.ai_fleet_daily is empty."), "note")
    last = max(r["date"] for r in rows)
    at_last = [r for r in rows if r["date"] == last]
    known = [r["idle_gpus_p50"] for r in at_last if not is_missing(r["idle_gpus_p50"])]
    summary = {r["coin"]: r for r in data["network_share_summary"]}
    shares = joined([say("{coin} {share}{day}", coin=coin_name(c), share=fmt.share(r["max_share_p95"]),
                         day=say(" (on {d})", d=fmt.day(r["max_share_day"]))
                         if not is_missing(r.get("max_share_day")) else "")
                     for c, r in summary.items()])
    unknown = len(at_last) - len(known)     # companies no capex, plan or leak covers that day: not counted
    return Paragraph(say(
        "On {day} the modelled idle AI fleet of {n} companies was about {idle} accelerators (sum of the "
        "companies' medians{unknown}); had it mined, its largest daily share of each network over the modelled days "
        "(p95) would be: {shares}.",
        day=fmt.day(last), n=str(len(known)), idle=fmt.number(sum(known)) if known else "unknown",
        unknown=f"; {unknown} more without capex, plan or leak evidence that day, unknown" if unknown else "",
        shares=shares if shares.values else "unknown"))


def fleet_section(data, charts: dict) -> Section:
    blocks = []
    rows = data["fleet_daily"]
    blocks += chart(charts, "fleet", say("Installed and idle AI accelerators per company over time"),
                    say("Installed and idle AI accelerators per company (marts.ai_fleet_daily): line p50, "
                        "band p05-p95. Quantiles do not add up across companies, so no total band is drawn."))
    if rows:
        last = max(r["date"] for r in rows)
        blocks.append(Paragraph(say("Per company on {day}:", day=fmt.day(last))))
        blocks.append(Table(
            ["company", "installed p05", "p50", "p95", "idle p05", "p50", "p95", "basis"],
            [[u(r["company"]), *(fmt.number(r[c]) for c in ("gpus_p05", "gpus_p50", "gpus_p95", "idle_gpus_p05",
                                                               "idle_gpus_p50", "idle_gpus_p95")), u(r["basis"])]
             for r in rows if r["date"] == last], numeric={1, 2, 3, 4, 5, 6}))
    else:
        blocks.append(Paragraph(say("The idle AI fleet is unknown: marts.ai_fleet_daily is empty."), "note"))
    blocks += chart(charts, "network_share",
                    say("The idle fleet's share of each network over time, log scale"),
                    say("The idle fleet's share of each network if it mined that coin "
                        "(marts.mining_contribution_daily, fleet / (network + fleet)): line p50, band p05-p95, "
                        "log scale. Days with a zero share (no proof-of-work day, e.g. Ethereum after the "
                        "Merge) cannot be drawn on a log axis and are left out of the chart; days whose "
                        "share is unknown (no network data) are gaps."))
    summary = data["network_share_summary"]
    if summary:
        blocks.append(Table(
            ["coin", "first day", "last day", "days", "largest daily share p95", "mean share p50",
             "days the fleet exceeds the network", "days unknown"],
            [[u(r["coin"]), fmt.day(r["first_day"]), fmt.day(r["last_day"]), f"{r['days']:,}",
              fmt.share(r["max_share_p95"]), fmt.share(r["mean_share_p50"]),
              f"{r['days_fleet_above_network']:,}", f"{r['days_unknown']:,}"] for r in summary],
            numeric={3, 4, 5, 6, 7}))
        for r in summary:
            if r.get("days_unknown"):
                blocks.append(Paragraph(say(
                    "{coin}: the share is unknown on {n} day(s) that were or may have been proof of work ({why}); "
                    "they are not counted as 0, and where they exceed {gap} of those days the largest and mean "
                    "shares are unknown.", coin=u(r["coin"]), n=f"{r['days_unknown']:,}",
                    why=u(r.get("unknown_reasons") or "no reason recorded", 400),
                    gap=f"{1 - r['min_coverage']:.0%}"), "note"))
    else:
        blocks.append(Paragraph(say("The fleet's share of any network is unknown: "
                                    "marts.mining_contribution_daily is empty."), "note"))
    return Section("fleet", SECTION_TITLES["fleet"], blocks)
