"""Section "Would the chain show it?": each proof-of-work coin's network hashrate with its level shifts
(marts.hashrate_breaks), the step the idle fleet would make there and whether the chain shows it
(marts.fleet_detectability, per coin and window and per leaked sheet), whether a step down lines up with the
withdrawal the claim predicts, the Granger tests between hashrate and price (marts.hashrate_price_causality)
and what mining earns against renting the GPU out (marts.mining_vs_rental_daily). Also the verdict's sentence."""
from __future__ import annotations

import math

from pipelines.lib.common.missing import is_missing
from pipelines.lib.report import text as fmt
from pipelines.lib.report.model import (
    Bullets,
    Paragraph,
    Section,
    Table,
    U,
    chart,
    joined,
    say,
    u,
)
from pipelines.lib.report.sections.shared import SECTION_TITLES, coin_name

VERDICT_WORDS = {
    "visible_and_absent": "the chain would show the fleet's step and shows none that large (evidence against "
                          "the claim)",
    "visible_and_present": "the chain would show the fleet's step and does show a step up at least that large "
                           "(consistent with the claim, though it does not say who mined)",
    "too_small_to_see": "the fleet's step would be too small to see at this series' noise (the chain cannot tell)",
    "unknown": "unknown",
}
VERDICTS = list(VERDICT_WORDS)
SIGNIFICANCE = 0.05   # the level at which the report calls a Granger direction supported


def step(value) -> str:
    """A step in log hashrate as the report states it; 'unknown' for NULL (never 0)."""
    return fmt.number(value)


def p_value(value) -> str:
    if is_missing(value):
        return fmt.UNKNOWN
    return f"{value:.3f}" if value >= 0.001 else f"{value:.1e}"


def _pct(step_log) -> str:
    """The step as the fleet's size against the network: exp(step) - 1."""
    return fmt.UNKNOWN if is_missing(step_log) else fmt.share(math.expm1(step_log))


def _has_unknown(row, columns) -> bool:
    return any(is_missing(row.get(c)) for c in columns)


def withdrawal_sentence(row, days: int = 30):
    """Whether a step down near the period's end lines up with the withdrawal the claim predicts."""
    wd = row.get("withdrawal_step_log")
    if is_missing(wd):
        return say("No step down within {d} days of its end: the withdrawal the claim predicts when AI load "
                   "rises does not show.", d=str(days))
    if row.get("withdrawal_matches") is True:
        return say("A step down of {wd} on {day} lines up with the withdrawal the claim predicts (at least the "
                   "implied median step {p50}).", wd=step(wd), day=fmt.day(row.get("withdrawal_break_date")),
                   p50=step(row.get("implied_step_log_p50")))
    if row.get("withdrawal_matches") is False:
        return say("The largest step down near its end, {wd} on {day}, is smaller than the implied median step "
                   "{p50}: it is not the fleet's withdrawal.", wd=step(wd),
                   day=fmt.day(row.get("withdrawal_break_date")), p50=step(row.get("implied_step_log_p50")))
    return say("A step down of {wd} on {day}; whether it is the fleet's withdrawal is unknown (the implied step "
               "is unknown).", wd=step(wd), day=fmt.day(row.get("withdrawal_break_date")))


def window_sentence(row):
    """One sentence (with its withdrawal and, where a number is unknown, the reason) per coin and window."""
    observed = row.get("observed_step_log")
    seen = (say("{s} on {d}", s=step(observed), d=fmt.day(row["observed_break_date"]))
            if not is_missing(row.get("observed_break_date")) else
            ("none" if not is_missing(observed) else fmt.UNKNOWN))
    host = ("" if row.get("host_cpus_counted") is None else
            " (the idle servers' host CPUs counted)" if row["host_cpus_counted"] else
            " (the idle servers' host CPUs not counted)")
    numbers = ("implied_step_log_p05", "implied_step_log_p50", "implied_step_log_p95", "min_detectable_step_log",
               "observed_step_log")
    why = (say(" Unknown because: {r}.", r=u(row.get("reason") or "no reason recorded", 600))
           if row["verdict"] == "unknown" or _has_unknown(row, numbers) else "")
    return say(
        "{coin}, window {w} ({start}..{end}): {verdict}, {words}. The idle fleet would be {pct} of the network at its "
        "median{host}, a step in log hashrate of p50 {p50} [p05 {p05}, p95 {p95}]; the change-point method finds a "
        "step of {mdet} in 95 % of trials at this series' noise; the largest step up observed is {seen}. "
        "{withdrawal}{why}",
        coin=coin_name(row["coin"]), w=u(row["window_name"], 60), start=fmt.day(row["period_start"]),
        end=fmt.day(row["period_end"]), verdict=u(row["verdict"], 40),
        words=VERDICT_WORDS.get(row["verdict"], "unknown"), pct=_pct(row.get("implied_step_log_p50")), host=host,
        p50=step(row.get("implied_step_log_p50")), p05=step(row.get("implied_step_log_p05")),
        p95=step(row.get("implied_step_log_p95")), mdet=step(row.get("min_detectable_step_log")), seen=seen,
        withdrawal=withdrawal_sentence(row), why=why)


def _range(lo, hi) -> str:
    if is_missing(lo) or is_missing(hi):
        return fmt.UNKNOWN
    return step(lo) if lo == hi else f"{step(lo)} to {step(hi)}"


def sheet_sentence(row):
    """One sentence per leaked document and coin: its lines counted per verdict, their steps as ranges."""
    where = u(row["path"], 200) if row.get("path") else U(f"document {fmt.clip(row['document_id'], 16)}")
    counts = ", ".join(f"{row[v]:,} {v}" for v in VERDICTS if row.get(v))
    summed = ""
    if not is_missing(row.get("document_verdict")):
        summed = say(" Its lines summed per period: {v} (step {s} vs detectable {d}).", v=u(row["document_verdict"], 40),
                     s=step(row.get("document_step")), d=step(row.get("document_detectable")))
    unknown = (say(" Unknown because (e.g.): {r}.", r=u(row["unknown_reason"], 400))
               if row.get("unknown") and row.get("unknown_reason") else "")
    withdrawal = (say(" {n} line(s) are followed by a step down as large as claimed (the predicted withdrawal).",
                      n=f"{row['withdrawal_matching_lines']:,}") if row.get("withdrawal_matching_lines") else "")
    return say("{where} ({coin}, {start}..{end}): {n} line(s): {counts}; claimed steps {claimed} against "
               "detectable {det}; largest step up observed {obs}.{summed}{withdrawal}{unknown}",
               where=where, coin=coin_name(row["coin"]), start=fmt.day(row.get("period_start")),
               end=fmt.day(row.get("period_end")), n=f"{row['lines']:,}", counts=counts or "none",
               claimed=_range(row.get("claimed_step_min"), row.get("claimed_step_max")),
               det=_range(row.get("detectable_min"), row.get("detectable_max")), obs=step(row.get("observed_max")),
               summed=summed, withdrawal=withdrawal, unknown=unknown)


def strongest_window(rows):
    """The finding the verdict leads with: visible_and_absent by the largest margin of the p05 step over the
    detection limit, else visible_and_present, else too_small_to_see (the largest p95), else None."""
    def margin(r):
        p05, mdet = r.get("implied_step_log_p05"), r.get("min_detectable_step_log")
        return -math.inf if is_missing(p05) or is_missing(mdet) else p05 - mdet
    for verdict, key in (("visible_and_absent", margin), ("visible_and_present", margin),
                         ("too_small_to_see", lambda r: r.get("implied_step_log_p95") or 0)):
        hits = [r for r in rows if r["verdict"] == verdict]
        if hits:
            return max(hits, key=key)
    return None


def causality_summary(rows):
    """Per coin, the full-history daily test (else the first tested row): which direction is supported at 5 %."""
    picked = {}
    for r in rows:
        best = picked.get(r["coin"])
        rank = (r["sample"] != "full_history", r["frequency"] != "daily")
        if best is None or rank < (best["sample"] != "full_history", best["frequency"] != "daily"):
            picked[r["coin"]] = r
    return list(picked.values())


def _direction_coins(rows, column):
    return [coin_name(r["coin"]) for r in rows if not is_missing(r.get(column)) and r[column] < SIGNIFICANCE]


def chain_headline(data):
    """The verdict's sentence on the chain's evidence: the strongest detectability finding, the leaked sheet
    lines the chain contradicts, and which way the Granger tests point. None when the marts are empty."""
    rows = data["chain_detectability_windows"]
    sheets = data["chain_detectability_sheets"]
    if not rows and not sheets:
        return None
    parts = []
    top = strongest_window(rows)
    if top is None and rows:
        parts.append(say("Whether the chain would show the idle fleet is unknown on every coin ({r})",
                         r=u(rows[0].get("reason") or "no reason recorded", 300)))
    elif top is not None:
        where = say("{coin} ({w})", coin=coin_name(top["coin"]), w=u(top["window_name"], 60))
        if top["verdict"] == "visible_and_absent":
            parts.append(say("The chain shows no step of the size the idle fleet implies on {where} "
                             "(visible_and_absent, implied p05 step {p05} vs detectable {mdet}; largest step up "
                             "observed {obs})", where=where, p05=step(top["implied_step_log_p05"]),
                             mdet=step(top["min_detectable_step_log"]), obs=step(top["observed_step_log"])))
        elif top["verdict"] == "visible_and_present":
            parts.append(say("The chain shows a step up as large as the idle fleet implies on {where} "
                             "(visible_and_present, observed {obs} on {d} vs implied p05 {p05}), which does not say "
                             "who mined", where=where, obs=step(top["observed_step_log"]),
                             d=fmt.day(top["observed_break_date"]), p05=step(top["implied_step_log_p05"])))
        else:
            parts.append(say("The idle fleet's step would be too small for the chain to show on {where} "
                             "(too_small_to_see, implied p95 step {p95} vs detectable {mdet})", where=where,
                             p95=step(top["implied_step_log_p95"]), mdet=step(top["min_detectable_step_log"])))
    absent = sum(r["visible_and_absent"] for r in sheets)
    if sheets:
        parts.append(say("{n} of {m} leaked sheet lines naming a coin and a period claim a step the chain would show "
                         "and does not", n=f"{absent:,}", m=f"{sum(r['lines'] for r in sheets):,}"))
    tested = causality_summary(data["chain_causality"])
    if tested:
        h2p, p2h = _direction_coins(tested, "p_hashrate_to_price"), _direction_coins(tested, "p_price_to_hashrate")
        parts.append(say("Granger tests find hashrate leading price in {h} and price leading hashrate in {p}",
                         h=joined(h2p, ", ") if h2p else "no coin", p=joined(p2h, ", ") if p2h else "no coin"))
    return Paragraph(say("{x}.", x=joined(parts, "; ")))


def _detectability_blocks(data, charts):
    blocks = [Paragraph(say(
        "Had hundreds of thousands of data-centre GPUs started mining a coin, its network hashrate would have "
        "jumped when they did. Below, each proof-of-work coin's daily hashrate with its level shifts "
        "(marts.hashrate_breaks: change points in log hashrate, one penalty rule for every coin), the step the "
        "idle fleet would make where the claim places it, and whether the chain shows it "
        "(marts.fleet_detectability: the smallest step the method detects with 95 % probability, by injecting "
        "steps into the real series around that date)."))]
    blocks += chart(charts, "chain",
                    say("Network hashrate per coin with detected level shifts and the fleet's implied step"),
                    say("Daily network hashrate, log scale (core.network_daily); dashed lines: level shifts "
                        "found (green up, red down); band: the level the idle fleet's step would lift the "
                        "network to, p05-p95, from the window's start to its end."))
    breaks = data["chain_breaks"]
    if breaks:
        blocks.append(Table(["coin", "break date", "direction", "step (log)", "change", "before, H/s", "after, H/s",
                             "score"],
                            [[u(r["coin"]), fmt.day(r["break_date"]), u(r["direction"]), step(r["step_log"]),
                              _signed_pct(r["step_log"]), fmt.number(r["level_before_hs"]),
                              fmt.number(r["level_after_hs"]), fmt.number(r["score"])] for r in breaks],
                            numeric={3, 4, 5, 6, 7}))
    else:
        blocks.append(Paragraph(say("No level shift is recorded in 2022-2024: marts.hashrate_breaks is empty "
                                    "for these years (or the coins have no daily hashrate)."), "note"))
    rows = data["chain_detectability_windows"]
    if rows:
        blocks.append(Paragraph(say("Per coin and rally window (the models' idle fleet):")))
        blocks.append(Bullets([window_sentence(r) for r in rows]))
        matched = [r for r in rows if r.get("withdrawal_matches") is True]
        blocks.append(Paragraph(say(
            "Withdrawal: the claim predicts the fleet leaves when AI load rises, a step down in the same series. "
            "{n} of {m} coin-windows show a step down near their end at least as large as the implied median step{which}.",
            n=str(len(matched)), m=str(len(rows)),
            which=say(" ({x})", x=joined([say("{c} {w}", c=coin_name(r["coin"]), w=u(r["window_name"], 60))
                                           for r in matched], ", ")) if matched else "")))
    else:
        blocks.append(Paragraph(say("Whether the chain would show the idle fleet is unknown: "
                                    "marts.fleet_detectability has no rally-window row."), "note"))
    sheets = data["chain_detectability_sheets"]
    if sheets:
        lines = sum(r["lines"] for r in sheets)
        totals = ", ".join(f"{sum(r[v] for r in sheets):,} {v}" for v in VERDICTS)
        blocks.append(Paragraph(say(
            "Per leaked sheet: {n} lines naming a coin and a period, in {d} document-coin pairs ({t}); each line's "
            "claimed hashrate is a step at its period's start:", n=f"{lines:,}", d=f"{len(sheets):,}", t=totals)))
        blocks.append(Bullets([sheet_sentence(r) for r in sheets]))
    return blocks


def _signed_pct(step_log) -> str:
    if is_missing(step_log):
        return fmt.UNKNOWN
    value = fmt.share(math.expm1(step_log))
    return value if value.startswith("-") else "+" + value


def _causality_blocks(data):
    rows = data["chain_causality"]
    if not rows:
        return [Paragraph(say("Whether hashrate leads price or price leads hashrate is unknown: "
                              "marts.hashrate_price_causality is empty."), "note")]
    tested = causality_summary(rows)
    h2p, p2h = _direction_coins(tested, "p_hashrate_to_price"), _direction_coins(tested, "p_price_to_hashrate")
    summary = joined([say("{coin} ({sample}, {freq}): hashrate to price p {a} (lags {la}), price to hashrate "
                          "p {b} (lags {lb})", coin=coin_name(r["coin"]), sample=u(r["sample"], 60),
                          freq=u(r["frequency"], 20), a=p_value(r["p_hashrate_to_price"]),
                          la=fmt.cell(r["lags_hashrate_to_price"]) or fmt.UNKNOWN, b=p_value(r["p_price_to_hashrate"]),
                          lb=fmt.cell(r["lags_price_to_hashrate"]) or fmt.UNKNOWN) for r in tested])
    blocks = [Paragraph(say(
        "Does hashrate lead price, or price hashrate? Granger F-tests in both directions between daily (and weekly) "
        "log changes of network hashrate and log returns, lag order by an information criterion, stationarity "
        "checked first (marts.hashrate_price_causality). What these data show: {summary}. At 5 %, hashrate leads "
        "price in {h} and price leads hashrate in {p}. A rally driven by mining would need the hashrate_to_price "
        "direction: the fleet's hashrate would have to arrive first and the price follow; the published studies "
        "find the reverse for Bitcoin, miners following the price (Kristoufek 2020; Fantazzini and Kolodin 2020).",
        summary=summary, h=joined(h2p, ", ") if h2p else "no coin", p=joined(p2h, ", ") if p2h else "no coin"))]
    blocks.append(Table(
        ["coin", "sample", "frequency", "period", "p hashrate to price", "lags", "p price to hashrate", "lags",
         "periods", "why untested"],
        [[u(r["coin"]), u(r["sample"], 60), u(r["frequency"], 20),
          f"{fmt.day(r['sample_start'])}..{fmt.day(r['sample_end'])}", p_value(r["p_hashrate_to_price"]),
          fmt.cell(r["lags_hashrate_to_price"]) or fmt.UNKNOWN, p_value(r["p_price_to_hashrate"]),
          fmt.cell(r["lags_price_to_hashrate"]) or fmt.UNKNOWN, fmt.cell(r["n_obs"]), u(r["reason"] or "", 300)]
         for r in rows], numeric={4, 5, 6, 7, 8}))
    return blocks


def _share_range(low, high) -> str:
    return fmt.UNKNOWN if is_missing(low) and is_missing(high) else f"{fmt.share(low)} to {fmt.share(high)}"


def _rental_blocks(data):
    rows = data["chain_rental_yearly"]
    if not rows:
        return [Paragraph(say("What mining earns against renting the GPU out is unknown: "
                              "marts.mining_vs_rental_daily is empty."), "note")]
    known = [r for r in rows if not is_missing(r["ratio_median"])]
    blocks = [Paragraph(say(
        "The leaks count only power and cooling. The same idle GPU-hour could have been rented out: mining revenue "
        "divided by the public list price of renting the GPU that day (marts.mining_vs_rental_daily), median per coin, "
        "year and device, with the range from the highest and lowest list prices."))]
    if known:
        best = max(known, key=lambda r: r["ratio_median"])
        blocks.append(Paragraph(say(
            "Even at best ({coin} on the {device} in {year}) mining earns a median {ratio} of what renting the GPU "
            "out would; an operator who mines gives up the rest.", coin=coin_name(best["coin"]),
            device=u(best["device"], 60), year=str(best["year"]), ratio=fmt.share(best["ratio_median"]))))
    blocks.append(Table(
        ["coin", "year", "device", "mining / rental, median", "range", "mining USD/day", "rental USD/day",
         "days known", "days unknown", "why unknown"],
        [[u(r["coin"]), str(r["year"]), u(r["device"], 60),
          fmt.share(r["ratio_median"]), _share_range(r["ratio_low_median"], r["ratio_high_median"]),
          fmt.usd(r["mining_usd_median"]), fmt.usd(r["rental_usd_median"]), f"{r['known_days']:,}",
          f"{r['unknown_days']:,}", u("e.g. " + r["reason"] if r["reason"] else "", 300)] for r in rows],
        numeric={1, 3, 5, 6, 7, 8}))
    return blocks


def chain_section(data, charts: dict) -> Section:
    blocks = _detectability_blocks(data, charts) + _causality_blocks(data) + _rental_blocks(data)
    return Section("chain", SECTION_TITLES["chain"], blocks)
