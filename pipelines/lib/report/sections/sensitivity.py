"""Section 6, sensitivity: each headline result with one assumption at the low and the high end
of its range (the tornado charts' panels)."""
from __future__ import annotations

from collections import defaultdict

from pipelines.lib.report import text as fmt
from pipelines.lib.report.model import (
    Paragraph,
    Section,
    Table,
    U,
    chart,
    say,
    u,
)
from pipelines.lib.report.sections.attribution import attribution_groups, headline_window
from pipelines.lib.report.sections.shared import COIN_NAMES, SECTION_TITLES


HEADLINE_METRICS = [
    ("rally_share", "idle_ai_mining", "hashrate", "share"),
    ("rally_share", "idle_ai_mining", "flow", "share"),
    ("rally_share", "spot_etf_flows", "flow", "share"),
    ("fleet_network_share_mean", None, None, "share"),
    ("idle_gpus_total_at_window_end", None, None, "count"),
]
MAX_BARS = 6


def sensitivity_panels(data):
    """[(title, base, unit, [(assumption, result at low, result at high)])] for the headline results:
    Bitcoin (or the first coin) in the verdict's window."""
    rows = data["sensitivity"]
    window = headline_window(attribution_groups(data["attribution"]))
    if not rows:
        return [], None
    window_name = window[1] if window else rows[0]["window_name"]
    coins = [r["coin"] for r in rows if r["coin"]]
    coin = "BTC" if "BTC" in coins else (coins[0] if coins else None)
    grouped = defaultdict(list)
    for r in rows:
        if r["window_name"] == window_name:
            grouped[(r["metric"], r["coin"], r["subject"], r["channel"])].append(r)
    panels = []
    for metric, subject, channel, unit in HEADLINE_METRICS:
        key = (metric, None if metric == "idle_gpus_total_at_window_end" else coin, subject, channel)
        bars = sorted(grouped.get(key, []), key=lambda r: r["rank"])[:MAX_BARS]
        if not bars:
            continue
        what = {"rally_share": f"{COIN_NAMES.get(coin, coin)} rally share: {subject}, {channel} channel",
                "fleet_network_share_mean": f"fleet's mean share of the {COIN_NAMES.get(coin, coin)} network",
                "idle_gpus_total_at_window_end": "idle AI accelerators at the window's end"}[metric]
        base = bars[0]["result_base"]
        value = fmt.share(base) if unit == "share" else fmt.number(base)
        panels.append((f"{what} (central {value})", float(base), unit,
                       [(r["assumption"], r["result_at_low"], r["result_at_high"]) for r in bars]))
    return panels, window_name


def sensitivity_section(data, charts: dict) -> Section:
    panels, window_name = sensitivity_panels(data)
    if not panels:
        return Section("sensitivity", SECTION_TITLES["sensitivity"], [Paragraph(say(
            "The sensitivity of the headline results is unknown: marts.sensitivity has no ranked rows."), "note")])
    blocks = [Paragraph(say(
        "Each headline result recomputed with one assumption at the low and then the high end of its range, "
        "the others central (marts.sensitivity, window {w}); the assumptions that move it most come first.",
        w=u(window_name, 40)))]
    blocks += chart(charts, "sensitivity", say("Tornado charts of the headline results"),
                    say("Tornado: blue = the assumption at its low end, red = at its high end; the black "
                        "line is the result with every assumption central."))
    table = []
    for title, base, unit, bars in panels:
        show = fmt.share if unit == "share" else fmt.number
        for assumption, at_low, at_high in bars:
            table.append([U(title), u(assumption), show(at_low), show(base), show(at_high)])
    blocks.append(Table(["result", "assumption", "at its low end", "central", "at its high end"], table,
                        numeric={2, 3, 4}))
    return Section("sensitivity", SECTION_TITLES["sensitivity"], blocks)
