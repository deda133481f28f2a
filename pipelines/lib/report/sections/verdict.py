"""Section 1, the verdict: the headline answers (rally shares of the lead window, the spot-ETF
yardstick, the leak count, the fleet) in a few sentences."""
from __future__ import annotations

from pipelines.lib.common.missing import is_missing
from pipelines.lib.report import text as fmt
from pipelines.lib.report.model import (
    Bullets,
    Paragraph,
    Section,
    U,
    say,
    u,
)
from pipelines.lib.report.sections.attribution import (
    attribution_groups,
    channel_share,
    headline_window,
    log_return_points,
    log_return_text,
    no_share,
    not_applicable,
)
from pipelines.lib.report.sections.chain import chain_headline
from pipelines.lib.report.sections.fleet import fleet_headline
from pipelines.lib.report.sections.leaks import leak_headline
from pipelines.lib.report.sections.shared import SECTION_TITLES, SECTIONS, coin_name


def _interval(group, channel) -> str:
    """A channel's share as 'p50 [p05, p95]'; 'not applicable' for a channel the row does not have (NULL, not 0)."""
    if not_applicable((group or {}).get(channel)):
        return "not applicable"
    return fmt.interval(*(channel_share(group, channel, q) for q in ("p50", "p05", "p95")))


def _why_unknown(group, channel) -> U | str:
    row = (group or {}).get(channel)
    if row is None:
        return "no row for this channel"
    if no_share(row) and not is_missing(row.get("log_return_p50")):
        return U(fmt.clip(no_share(row), 300))
    return u(row.get("inputs") or row.get("method") or "no reason given", 200)


def _why_nothing(group):
    """Why the mining channels are unknown or exactly zero (e.g. no proof-of-work day), from the row; for a
    falling window, why no channel has a share, with the channels' log-return points."""
    row = group.get("hashrate")
    if row is None:
        return ""
    if no_share(row) and not is_missing(row.get("log_return_p50")):
        channels = "; ".join(f"{c} {log_return_points(group.get(c))}" for c in ("hashrate", "flow", "event") if c in group)
        return U(" (" + fmt.clip(row["share_reason"], 200) + f": {channels})")
    if is_missing(row["share_p50"]) or (row["share_p95"] == 0 and row["share_p05"] == 0):
        return say(" ({why})", why=u(row.get("inputs") or row.get("method") or "no reason given", 160))
    return ""


def verdict_section(data) -> Section:
    blocks = []
    groups = attribution_groups(data["attribution"])
    window = headline_window(groups)
    if window is None:
        blocks.append(Paragraph(say(
            "The model marts hold no rally attribution, so how much of any rally an idle AI fleet "
            "mining crypto could explain is unknown, and so is the spot-ETF yardstick."), "lead"))
    else:
        start, name, end = window
        span = f"{fmt.day(start)} to {fmt.day(end)}"
        btc = groups.get((*window, "BTC", "idle_ai_mining"))
        etf = groups.get((*window, "BTC", "spot_etf_flows"))
        if btc is not None and not is_missing(btc["rally"]) and btc["rally"] <= 0:
            blocks.append(Paragraph(say(
                "Bitcoin's price did not rise from {span} (log return {ret}): there is no rally for idle AI GPUs "
                "to explain, so no channel is stated as a share. In log-return points (p50 [p05, p95]) their "
                "mining would have moved it by {h} through the hashrate they would add and {f} through the coins "
                "they would mine and hold.", span=span, ret=log_return_text(btc["rally"]),
                h=log_return_points(btc.get("hashrate")), f=log_return_points(btc.get("flow"))), "lead"))
        elif btc is not None:
            h95, f95 = channel_share(btc, "hashrate", "p95"), channel_share(btc, "flow", "p95")
            blocks.append(Paragraph(say(
                "Idle AI GPUs mining Bitcoin could explain at most {h95} (p95) of Bitcoin's rally from "
                "{span} (log return {ret}) through the hashrate they would add, and at most {f95} (p95) "
                "through the coins they would mine and hold (medians {h50} and {f50}).",
                h95=fmt.share(h95), f95=fmt.share(f95), h50=fmt.share(channel_share(btc, "hashrate", "p50")),
                f50=fmt.share(channel_share(btc, "flow", "p50")), span=span, ret=log_return_text(btc["rally"])), "lead"))
            for channel, value in (("hashrate", h95), ("flow", f95)):
                if is_missing(value):
                    blocks.append(Paragraph(say("The {channel} channel is unknown: {why}.", channel=channel,
                                                why=_why_unknown(btc, channel)), "note"))
        else:
            blocks.append(Paragraph(say(
                "There is no idle-AI-mining attribution for Bitcoin in the window {name} ({span}): "
                "its share of the rally is unknown.", name=u(name, 60), span=span), "lead"))
        if etf is not None:
            e05, e50, e95 = (channel_share(etf, "flow", q) for q in ("p05", "p50", "p95"))
            blocks.append(Paragraph(say(
                "The spot-ETF flows alone explain {etf} (p50 [p05, p95]) of the same rally.",
                etf=fmt.interval(e50, e05, e95)), "lead"))
            f95 = channel_share(btc, "flow", "p95") if btc else None
            if not is_missing(e05) and not is_missing(f95) and f95 > 0 and e05 > f95:
                blocks.append(Paragraph(say(
                    "Even the low end of the ETF estimate (p05) is {ratio} times the high end (p95) of "
                    "idle-AI mining's flow channel.", ratio=fmt.number(e05 / f95))))
            elif not is_missing(e05) and not is_missing(f95):
                blocks.append(Paragraph(say(
                    "The intervals of the ETF flows and of idle-AI mining's flow channel overlap "
                    "(ETF p05 {e05}, mining p95 {f95}): the data do not separate them.",
                    e05=fmt.share(e05), f95=fmt.share(f95))))
            basis = etf.get("flow", {}).get("inputs") if etf.get("flow") else None
            if basis:
                blocks.append(Paragraph(say("ETF flow basis: {basis}", basis=u(basis, 300)), "note"))
        else:
            blocks.append(Paragraph(say(
                "The spot-ETF yardstick is unknown for this window (no spot_etf_flows attribution).")))
        others = [(k, g) for k, g in groups.items() if k[:3] == window and k[4] == "idle_ai_mining"
                  and k[3] != "BTC"]
        if others:
            blocks.append(Paragraph(say("The other coins in the same window, idle-AI mining p50 [p05, p95]:")))
            blocks.append(Bullets([say(
                "{coin}: hashrate {h}; coins mined and held {f}; announcements and leaks {e}; log return {ret}{why}.",
                coin=coin_name(k[3]), h=_interval(g, "hashrate"),
                f=_interval(g, "flow"),
                e=_interval(g, "event"),
                ret=log_return_text(g["rally"]), why=_why_nothing(g)) for k, g in others]))
    chain_sentence = chain_headline(data)
    if chain_sentence is not None:
        blocks.append(chain_sentence)
    blocks.append(leak_headline(data))
    fleet_sentence = fleet_headline(data)
    if fleet_sentence is not None:
        blocks.append(fleet_sentence)
    draws = next((r["unit"] for r in data["assumptions"] if r["name"] == "monte_carlo"), None)
    blocks.append(Paragraph(say(
        "How to read: a share is of the rally's log return; p05, p50 and p95 are the 5th, 50th and "
        "95th percentiles over the assumption ranges of section {n} ({draws}). 'unknown' means the "
        "inputs cannot tell; it is never shown as 0. Where the price fell (negative log return) there is no "
        "rally to take a share of: each channel is stated in log-return points instead.",
        n=str([k for k, _ in SECTIONS].index("assumptions") + 1),
        draws=u(draws, 80) if draws else "Monte Carlo draws"), "note"))
    return Section("verdict", SECTION_TITLES["verdict"], blocks)
