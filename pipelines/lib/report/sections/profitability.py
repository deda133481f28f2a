"""Section 4, mining profitability: margin per device and day for the H100, the A100 and the ASICs."""
from __future__ import annotations

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
from pipelines.lib.report.sections.shared import SECTION_TITLES


def profitability_section(data, charts: dict) -> Section:
    blocks = []
    price = data.profit_price
    if price is None or not data["profitability_summary"]:
        blocks.append(Paragraph(say("Mining profitability is unknown: marts.mining_profitability_daily has no "
                                    "reference-price rows for the H100, the A100 or an ASIC."), "note"))
        return Section("profitability", SECTION_TITLES["profitability"], blocks)
    blocks.append(Paragraph(say(
        "Margin = revenue (coins per day x price) minus power cost (W x 24 h x PUE x {price} USD/kWh), per device "
        "and day, for the AI accelerators the story is about and the ASICs built for each coin "
        "(marts.mining_profitability_daily at the reference price {price} USD/kWh).", price=f"{price:g}")))
    blocks += chart(charts, "profitability",
                    say("Margin per device and day at {price} USD/kWh, one panel per coin", price=f"{price:g}"),
                    say("Margin per device per day at {price} USD/kWh (symmetric log scale; above 0 = "
                        "profitable on operating cost).", price=f"{price:g}"))
    rows = data["profitability_summary"]
    blocks.append(Table(
        ["coin", "device", "class", "days", "days unknown", "first day", "last day", "days profitable",
         "median margin", "margin on the last day", "hashrate basis"],
        [[u(r["coin"]), u(r["device"]), u(r["device_class"]), f"{r['days']:,}", f"{r.get('days_unknown', 0):,}",
          fmt.day(r["first_day"]), fmt.day(r["last_day"]), fmt.share(r["profitable_share"]),
          fmt.usd(r["median_margin"]), fmt.usd(r["last_margin"]), u(r["hashrate_basis"], 80)] for r in rows],
        numeric={3, 4, 7, 8, 9}))
    gpus = [r for r in rows if r["device_class"] != "asic"]
    asics = [r for r in rows if r["device_class"] == "asic"]
    if gpus and asics:
        blocks.append(Paragraph(say(
            "AI accelerators profitable on the most days: {gpu}; ASICs: {asic}.",
            gpu=U(_best(gpus)), asic=U(_best(asics)))))
    return Section("profitability", SECTION_TITLES["profitability"], blocks)


def _best(rows) -> str:
    best = max(rows, key=lambda r: (r["profitable_share"] or 0))
    return f"{best['device']} on {best['coin']} ({fmt.share(best['profitable_share'])} of {best['days']:,} days)"
