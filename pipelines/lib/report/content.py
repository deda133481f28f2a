"""What the report says: sections built from the warehouse's rows, the crops and the charts.

Every sentence with a number is derived from the rows here; a NULL is said as 'unknown', never 0.
"""
from __future__ import annotations

import math
from collections import defaultdict

from pipelines.lib.report import text as fmt
from pipelines.lib.report.model import (
    Bullets,
    Claim,
    Document,
    Figure,
    Paragraph,
    Section,
    Table,
    U,
    joined,
    say,
    u,
)

COIN_NAMES = {"BTC": "Bitcoin", "ETH": "Ethereum", "ETC": "Ethereum Classic", "XMR": "Monero"}
CHANNEL_WORDS = {"hashrate": "the hashrate it would add", "flow": "the coins it would mine and hold",
                 "event": "announcements and leaks (event study)", "residual": "everything else (residual)"}
MAX_CROPS = 40
MAX_TABLE_ROWS = 200

SECTIONS = [
    ("verdict", "Verdict"),
    ("leaks", "Leak verification"),
    ("fleet", "The idle AI fleet and its share of each network"),
    ("profitability", "Mining profitability: H100, A100 and ASICs"),
    ("attribution", "Rally attribution by channel"),
    ("sensitivity", "Sensitivity of the headline results"),
    ("assumptions", "Assumptions"),
    ("quality", "Data quality"),
]
SECTION_TITLES = dict(SECTIONS)


def coin_name(coin) -> str:
    return COIN_NAMES.get(coin, U(fmt.clip(coin, 40)))


# ---------------------------------------------------------------- attribution helpers

def attribution_groups(rows):
    """{(window_start, window_name, window_end, coin, subject): {'rally': r, channel: row}} in order."""
    groups: dict = {}
    for row in rows:
        key = (row["window_start"], row["window_name"], row["window_end"], row["coin"], row["subject"])
        groups.setdefault(key, {"rally": row["rally_log_return"]})[row["channel"]] = row
    return groups


def headline_window(groups):
    """The window the verdict leads with: the first with a Bitcoin spot-ETF yardstick, else the first
    with Bitcoin, else the first."""
    keys = list(groups)
    for pick in (lambda k: k[3] == "BTC" and k[4] == "spot_etf_flows", lambda k: k[3] == "BTC", lambda k: True):
        for key in keys:
            if pick(key):
                return key[:3]
    return None


def _ch(group, channel, q):
    row = (group or {}).get(channel)
    return None if row is None else row[f"share_{q}"]


def _not_applicable(row) -> bool:
    """A channel the row's subject or window does not have (NULL with share_reason 'not applicable: ...', not 0)."""
    reason = row.get("share_reason") if row is not None else None
    return isinstance(reason, str) and reason.startswith("not applicable")


def _interval(group, channel) -> str:
    """A channel's share as 'p50 [p05, p95]'; 'not applicable' for a channel the row does not have (NULL, not 0)."""
    if _not_applicable((group or {}).get(channel)):
        return "not applicable"
    return fmt.interval(*(_ch(group, channel, q) for q in ("p50", "p05", "p95")))


def _points(row) -> str:
    """A channel's log return as 'p50 [p05, p95]' in log-return points; 'unknown' when the median is."""
    if row is None or fmt.is_missing(row.get("log_return_p50")):
        return fmt.UNKNOWN
    return f"{fmt.number(row['log_return_p50'])} [{fmt.number(row['log_return_p05'])}, " \
           f"{fmt.number(row['log_return_p95'])}]"


def _no_share(row) -> str:
    """Why a row states no share (a falling window: with its log-return points), '' when it states one."""
    reason = row.get("share_reason") if row is not None else None
    if fmt.is_missing(reason) or not reason:
        return ""
    known = not fmt.is_missing(row.get("log_return_p50"))
    return fmt.clip(reason, 240) + (f"; log return p50 [p05, p95]: {_points(row)}" if known else "")


def _why_unknown(group, channel) -> U | str:
    row = (group or {}).get(channel)
    if row is None:
        return "no row for this channel"
    if _no_share(row) and not fmt.is_missing(row.get("log_return_p50")):
        return U(fmt.clip(_no_share(row), 300))
    return u(row.get("inputs") or row.get("method") or "no reason given", 200)


def _why_nothing(group):
    """Why the mining channels are unknown or exactly zero (e.g. no proof-of-work day), from the row; for a
    falling window, why no channel has a share, with the channels' log-return points."""
    row = group.get("hashrate")
    if row is None:
        return ""
    if _no_share(row) and not fmt.is_missing(row.get("log_return_p50")):
        channels = "; ".join(f"{c} {_points(group.get(c))}" for c in ("hashrate", "flow", "event") if c in group)
        return U(" (" + fmt.clip(row["share_reason"], 200) + f": {channels})")
    if fmt.is_missing(row["share_p50"]) or (row["share_p95"] == 0 and row["share_p05"] == 0):
        return say(" ({why})", why=u(row.get("inputs") or row.get("method") or "no reason given", 160))
    return ""


def _log_return(value) -> str:
    if fmt.is_missing(value):
        return "unknown"
    return f"{value:+.3f} (price {math.expm1(value):+.0%})"


# ---------------------------------------------------------------- verdict

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
        if btc is not None and not fmt.is_missing(btc["rally"]) and btc["rally"] <= 0:
            blocks.append(Paragraph(say(
                "Bitcoin's price did not rise from {span} (log return {ret}): there is no rally for idle AI GPUs "
                "to explain, so no channel is stated as a share. In log-return points (p50 [p05, p95]) their "
                "mining would have moved it by {h} through the hashrate they would add and {f} through the coins "
                "they would mine and hold.", span=span, ret=_log_return(btc["rally"]),
                h=_points(btc.get("hashrate")), f=_points(btc.get("flow"))), "lead"))
        elif btc is not None:
            h95, f95 = _ch(btc, "hashrate", "p95"), _ch(btc, "flow", "p95")
            blocks.append(Paragraph(say(
                "Idle AI GPUs mining Bitcoin could explain at most {h95} (p95) of Bitcoin's rally from "
                "{span} (log return {ret}) through the hashrate they would add, and at most {f95} (p95) "
                "through the coins they would mine and hold (medians {h50} and {f50}).",
                h95=fmt.share(h95), f95=fmt.share(f95), h50=fmt.share(_ch(btc, "hashrate", "p50")),
                f50=fmt.share(_ch(btc, "flow", "p50")), span=span, ret=_log_return(btc["rally"])), "lead"))
            for channel, value in (("hashrate", h95), ("flow", f95)):
                if fmt.is_missing(value):
                    blocks.append(Paragraph(say("The {channel} channel is unknown: {why}.", channel=channel,
                                                why=_why_unknown(btc, channel)), "note"))
        else:
            blocks.append(Paragraph(say(
                "There is no idle-AI-mining attribution for Bitcoin in the window {name} ({span}): "
                "its share of the rally is unknown.", name=u(name, 60), span=span), "lead"))
        if etf is not None:
            e05, e50, e95 = (_ch(etf, "flow", q) for q in ("p05", "p50", "p95"))
            blocks.append(Paragraph(say(
                "The spot-ETF flows alone explain {etf} (p50 [p05, p95]) of the same rally.",
                etf=fmt.interval(e50, e05, e95)), "lead"))
            f95 = _ch(btc, "flow", "p95") if btc else None
            if not fmt.is_missing(e05) and not fmt.is_missing(f95) and f95 > 0 and e05 > f95:
                blocks.append(Paragraph(say(
                    "Even the low end of the ETF estimate (p05) is {ratio} times the high end (p95) of "
                    "idle-AI mining's flow channel.", ratio=fmt.number(e05 / f95))))
            elif not fmt.is_missing(e05) and not fmt.is_missing(f95):
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
                ret=_log_return(g["rally"]), why=_why_nothing(g)) for k, g in others]))
    blocks.append(_leak_headline(data))
    fleet_sentence = _fleet_headline(data)
    if fleet_sentence is not None:
        blocks.append(fleet_sentence)
    draws = next((r["unit"] for r in data["assumptions"] if r["name"] == "monte_carlo"), None)
    blocks.append(Paragraph(say(
        "How to read: a share is of the rally's log return; p05, p50 and p95 are the 5th, 50th and "
        "95th percentiles over the assumption ranges of section 7 ({draws}). 'unknown' means the "
        "inputs cannot tell; it is never shown as 0. Where the price fell (negative log return) there is no "
        "rally to take a share of: each channel is stated in log-return points instead.",
        draws=u(draws, 80) if draws else "Monte Carlo draws"), "note"))
    return Section("verdict", SECTION_TITLES["verdict"], blocks)


def _leak_counts(data):
    counts = {r["verdict"]: r for r in data["leak_verdicts"]}
    total = sum(r["claims"] for r in data["leak_verdicts"])
    return counts, total


def _leak_headline(data) -> Paragraph:
    counts, total = _leak_counts(data)
    if not total:
        return Paragraph(say("No leaked claim was checked: marts.leak_plausibility is empty, so whether "
                             "the leaked cost sheets are plausible is unknown."), "lead")
    bad = counts.get("implausible", {})
    kinds = joined([say("{n} {claim}", n=f"{r['claims']:,}", claim=u(str(r["claim"]).replace("_", " "), 60))
                    for r in data["leak_implausible_by_claim"]], ", ")
    return Paragraph(say(
        "{n} of {m} claims checked in the leaked cost sheets are implausible ({lines} lines in {docs} "
        "documents){kinds}; {unver} could not be checked and {ok} are plausible.",
        n=f"{bad.get('claims', 0):,}", m=f"{total:,}", lines=f"{bad.get('lines', 0):,}",
        docs=f"{bad.get('documents', 0):,}", kinds=say(": {k}", k=kinds) if kinds.values else "",
        unver=f"{counts.get('unverifiable', {}).get('claims', 0):,}",
        ok=f"{counts.get('plausible', {}).get('claims', 0):,}"), "lead")


def _fleet_headline(data):
    rows = data["fleet_daily"]
    if not rows:
        return Paragraph(say("The idle AI fleet is unknown: marts.ai_fleet_daily is empty."), "note")
    last = max(r["date"] for r in rows)
    at_last = [r for r in rows if r["date"] == last]
    known = [r["idle_gpus_p50"] for r in at_last if not fmt.is_missing(r["idle_gpus_p50"])]
    summary = {r["coin"]: r for r in data["network_share_summary"]}
    shares = joined([say("{coin} {share}{day}", coin=coin_name(c), share=fmt.share(r["max_share_p95"]),
                         day=say(" (on {d})", d=fmt.day(r["max_share_day"]))
                         if not fmt.is_missing(r.get("max_share_day")) else "")
                     for c, r in summary.items()])
    unknown = len(at_last) - len(known)     # companies no capex, plan or leak covers that day: not counted
    return Paragraph(say(
        "On {day} the modelled idle AI fleet of {n} companies was about {idle} accelerators (sum of the "
        "companies' medians{unknown}); had it mined, its largest daily share of each network over the modelled days "
        "(p95) would be: {shares}.",
        day=fmt.day(last), n=str(len(known)), idle=fmt.number(sum(known)) if known else "unknown",
        unknown=f"; {unknown} more without capex, plan or leak evidence that day, unknown" if unknown else "",
        shares=shares if shares.values else "unknown"))


# ---------------------------------------------------------------- leaks

def leak_lines(rows):
    """Implausible claims grouped by the line they are printed on, in the query's order."""
    lines: dict = {}
    for row in rows:
        key = (row["document_id"], row["page"], row["table_index"], row["row_index"])
        lines.setdefault(key, []).append(row)
    return list(lines.values())


def leaks_section(data, crops: dict) -> Section:
    blocks = [_leak_headline(data)]
    counts, total = _leak_counts(data)
    if total:
        blocks.append(Table(["verdict", "claims", "lines", "documents"],
                            [[U(r["verdict"]), f"{r['claims']:,}", f"{r['lines']:,}", f"{r['documents']:,}"]
                             for r in data["leak_verdicts"]], numeric={1, 2, 3}))
    if data["leak_implausible_by_claim"]:
        blocks.append(Table(["implausible claim", "claims"],
                            [[U(r["claim"]), f"{r['claims']:,}"] for r in data["leak_implausible_by_claim"]],
                            numeric={1}))
    lines = leak_lines(data["leak_implausible"])
    shown = sum(r["claims"] for r in data["leak_implausible_by_claim"])
    if lines:
        blocks.append(Paragraph(say(
            "Each implausible line below: where it is printed, what the sheet claims, what physics and the "
            "chain allow, and the spot on the page (PDF lines; the line framed in red).")))
    if shown > len(data["leak_implausible"]):
        blocks.append(Paragraph(say("Listed: the first {k} of {n} implausible claims.",
                                    k=f"{len(data['leak_implausible']):,}", n=f"{shown:,}"), "note"))
    for k, claims in enumerate(lines):
        first = claims[0]
        crop = crops.get(k)
        where = say("{path}, page {page}, table_index {table}, row_index {row}",
                    path=u(first["path"] or first["document_id"], 200), page=fmt.cell(first["page"]),
                    table=fmt.cell(first["table_index"]), row=fmt.cell(first["row_index"]))
        fields = [("company", u(first["company"])), ("site", u(first["site"])), ("device", u(first["device"])),
                  ("coin", u(first["coin"])),
                  ("period", f"{fmt.day(first['period_start'])} to {fmt.day(first['period_end'])}"),
                  ("printed row", u(first["source_text"], 400))]
        if first.get("copies"):
            fields.append(("copies", f"{first['copies']} byte-identical cop{'y' if first['copies'] == 1 else 'ies'} "
                                     "of this file in the raw folder"))
        for c in claims:
            expected = (f"{fmt.number(c['expected_low'])} to {fmt.number(c['expected_high'])}"
                        if not (fmt.is_missing(c["expected_low"]) and fmt.is_missing(c["expected_high"])) else "unknown")
            fields.append((U(f"claim: {fmt.clip(c['claim'], 60)}"),
                           U(f"claimed {fmt.number(c['claimed_value'])} {fmt.clip(c['unit'], 40)}; "
                             f"expected {expected}. {fmt.clip(c['reason'], 1000)}")))
        if crop is None:
            figure, note = None, say("no page image: the report shows at most {n} crops.", n=str(MAX_CROPS))
        else:
            figure = (Figure(f"crop-{k + 1:02d}", crop.png, say("The line on the leaked page: {w}", w=U(where.plain())),
                             say("{note}", note=U(crop.note)), crop=True) if crop.png else None)
            note = say("{note}", note=U(crop.note))
        blocks.append(Claim(where, [(label, value) for label, value in fields if value != ""], figure, note))
    left_out = max(0, len(lines) - MAX_CROPS)
    if left_out:
        blocks.append(Paragraph(say("{n} implausible lines are listed without a page image (at most {m} crops).",
                                    n=str(left_out), m=str(MAX_CROPS)), "note"))
    return Section("leaks", SECTION_TITLES["leaks"], blocks)


# ---------------------------------------------------------------- fleet, network share

def fleet_section(data, charts: dict) -> Section:
    blocks = []
    rows = data["fleet_daily"]
    if charts.get("fleet"):
        blocks.append(Figure("fleet", charts["fleet"], say("Installed and idle AI accelerators per company over time"),
                             say("Installed and idle AI accelerators per company (marts.ai_fleet_daily): line p50, "
                                 "band p05-p95. Quantiles do not add up across companies, so no total band is drawn.")))
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
    if charts.get("network_share"):
        blocks.append(Figure("network_share", charts["network_share"],
                             say("The idle fleet's share of each network over time, log scale"),
                             say("The idle fleet's share of each network if it mined that coin "
                                 "(marts.mining_contribution_daily, fleet / (network + fleet)): line p50, band p05-p95, "
                                 "log scale. Days with a zero share (no proof-of-work day, e.g. Ethereum after the "
                                 "Merge) cannot be drawn on a log axis and are left out of the chart; days whose "
                                 "share is unknown (no network data) are gaps.")))
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


# ---------------------------------------------------------------- profitability

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
    if charts.get("profitability"):
        blocks.append(Figure("profitability", charts["profitability"],
                             say("Margin per device and day at {price} USD/kWh, one panel per coin", price=f"{price:g}"),
                             say("Margin per device per day at {price} USD/kWh (symmetric log scale; above 0 = "
                                 "profitable on operating cost).", price=f"{price:g}")))
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


# ---------------------------------------------------------------- attribution

def attribution_chart_groups(data):
    out = []
    for (start, name, end, coin, subject), g in attribution_groups(data["attribution"]).items():
        label = f"{coin} {name} ({fmt.day(start)}..{fmt.day(end)}) {subject}"
        out.append((label, {c: (_ch(g, c, "p05"), _ch(g, c, "p50"), _ch(g, c, "p95"))
                            for c in ("hashrate", "flow", "event")}))
    return out


def attribution_section(data, charts: dict) -> Section:
    rows = data["attribution"]
    if not rows:
        return Section("attribution", SECTION_TITLES["attribution"], [Paragraph(say(
            "The rally attribution is unknown: marts.rally_attribution is empty."), "note")])
    blocks = [Paragraph(say(
        "Each rally's log return split into channels, p50 with its p05-p95 interval "
        "(marts.rally_attribution). idle_ai_mining: an idle AI fleet mining that coin; spot_etf_flows: "
        "the spot-ETF net flows through the same flow model, as a yardstick. The residual is what the "
        "channels leave unexplained. A window whose price fell has no shares (a share of a fall is not a share "
        "of a rally): its channels are stated in log-return points, with the reason."))]
    if charts.get("attribution"):
        blocks.append(Figure("attribution", charts["attribution"],
                             say("Rally attribution by channel with p05-p95 intervals"),
                             say("Share of each rally's log return per channel: marker p50, bar p05-p95; a channel "
                                 "marked 'unknown' has no estimate. Tiny shares sit on the 0 line: the table gives "
                                 "them exactly.")))
    blocks.append(Table(
        ["coin", "window", "subject", "log return", "channel", "p05", "p50", "p95", "channel log return p50 [p05, p95]",
         "method", "inputs"],
        [[u(r["coin"]), U(f"{fmt.clip(r['window_name'], 40)} {fmt.day(r['window_start'])}..{fmt.day(r['window_end'])}"),
          u(r["subject"]), _log_return(r["rally_log_return"]), u(r["channel"]),
          *(("not applicable",) * 4 if _not_applicable(r) else
            (fmt.share(r["share_p05"]), fmt.share(r["share_p50"]), fmt.share(r["share_p95"]), _points(r))),
          u(r["method"], 160),
          u(("no share: " + fmt.clip(r["share_reason"], 200) + ". " if _no_share(r) and not _not_applicable(r) else "")
            + (r["inputs"] or ""),
            400)]
         for r in rows], numeric={3, 5, 6, 7}))
    sets = sorted({(r["assumption_set"], r["model_version"]) for r in rows}, key=str)
    blocks.append(Paragraph(say("Assumption set and model version: {sets}.",
                                sets=joined([say("{s} / {v}", s=u(s, 80), v=u(v, 40)) for s, v in sets], ", ")), "note"))
    return Section("attribution", SECTION_TITLES["attribution"], blocks)


# ---------------------------------------------------------------- sensitivity

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
    if charts.get("sensitivity"):
        blocks.append(Figure("sensitivity", charts["sensitivity"], say("Tornado charts of the headline results"),
                             say("Tornado: blue = the assumption at its low end, red = at its high end; the black "
                                 "line is the result with every assumption central.")))
    table = []
    for title, base, unit, bars in panels:
        show = fmt.share if unit == "share" else fmt.number
        for assumption, at_low, at_high in bars:
            table.append([U(title), u(assumption), show(at_low), show(base), show(at_high)])
    blocks.append(Table(["result", "assumption", "at its low end", "central", "at its high end"], table,
                        numeric={2, 3, 4}))
    return Section("sensitivity", SECTION_TITLES["sensitivity"], blocks)


# ---------------------------------------------------------------- assumptions

def assumptions_section(data) -> Section:
    rows = data["assumptions"]
    if not rows:
        return Section("assumptions", SECTION_TITLES["assumptions"], [Paragraph(say(
            "No assumptions are recorded: marts.model_assumptions is empty."), "note")])
    sets = sorted({(r["assumption_set"], r["model_version"]) for r in rows}, key=str)
    return Section("assumptions", SECTION_TITLES["assumptions"], [
        Paragraph(say("Every model input that is not data, as a range (marts.model_assumptions; assumption set "
                      "and model version {sets}). Fixed settings have no range; their value is in the unit column.",
                      sets=joined([say("{s} / {v}", s=u(s, 80), v=u(v, 40)) for s, v in sets], ", "))),
        Table(["name", "low", "central", "high", "unit / value", "distribution", "source"],
              [[u(r["name"], 60), fmt.cell(r["low"]), fmt.cell(r["central"]), fmt.cell(r["high"]),
                u(r["unit"], 200), u(r["distribution"], 40), u(r["source"], 400)] for r in rows],
              numeric={1, 2, 3})])


# ---------------------------------------------------------------- data quality

def sample_notice(data):
    check = data.sample
    if check is None or not check.is_sample:
        return None
    signs = []
    if check.raw_is_bundled:
        signs.append("the raw folder is the project's bundled raw/")
    if check.matching > check.matching_reference:
        signs.append(f"{check.matching - check.matching_reference} of {check.documents} documents are "
                     f"byte-identical (sha256) to files of the bundled sample")
    synthetic = [f"{r['synthetic']:,} of {r['total']:,} rows of core.{r['source_table']}"
                 for r in check.synthetic if r["synthetic"]]
    if synthetic:
        signs.append("the inputs mark " + ", ".join(synthetic) + " as synthesised or approximate")
    return say("Sample data: {signs}. The bundled sample interpolates real month-end figures with synthesised "
               "daily paths and contains made-up leaked sheets; the numbers here show the method, not findings "
               "about the world.", signs=joined(signs))


def quality_section(data) -> Section:
    blocks = []
    notice = sample_notice(data)
    check = data.sample
    if notice is not None:
        blocks.append(Paragraph(notice, "warning"))
    else:
        blocks.append(Paragraph(say("No sign of the bundled sample: no document matches its made-up files (sha256), "
                                    "the raw folder is not the project's raw/ and no row is marked synthetic.")))
    if check is not None and check.matching_reference:
        blocks.append(Paragraph(say(
            "{n} document(s) are the project's own reference tables (hardware specifications, dated events): "
            "hand-written facts with cited sources, which do not make this the made-up sample.",
            n=str(check.matching_reference)), "note"))
    if check is not None:
        blocks.append(Paragraph(say(
            "How the sample is detected: the raw folder's resolved path is compared with the project's raw/; "
            "each document's sha256 (core.documents.document_id) with the sha256 of the {n} non-empty files of "
            "the project's raw/ (so a copy of the sample anywhere is recognised, and an empty file proves "
            "nothing); and rows the inputs mark is_synthetic are counted.", n=str(check.bundled_files)), "note"))
    status = data["documents_by_status"]
    if status:
        blocks.append(Table(["status", "kind", "files"],
                            [[u(r["status"]), u(r["kind"]), f"{r['files']:,}"] for r in status], numeric={2}))
    else:
        blocks.append(Paragraph(say("core.documents is empty: no input file was recorded."), "note"))
    not_loaded = data["documents_not_loaded"]
    if not_loaded:
        blocks.append(Paragraph(say("Files not loaded, with the reason:")))
        blocks.append(_capped(["path", "kind", "status", "reason"],
                              [[u(r["path"], 200), u(r["kind"]), u(r["status"]), u(r["reason"], 300)]
                               for r in not_loaded], None))
    total = data["quarantine_total"][0] if data["quarantine_total"] else {"records": 0, "documents": 0}
    blocks.append(Paragraph(say("{n} records are quarantined (core.quarantine), from {d} documents.",
                                n=f"{total['records']:,}", d=f"{total['documents']:,}")))
    if data["quarantine_summary"]:
        blocks.append(_capped(
            ["document", "table", "stage", "check", "reason", "records", "e.g. at"],
            [[u(r["document"], 200), u(r["source_table"]), u(r["stage"]), u(r["check_name"], 80),
              u(r["reason"], 300), f"{r['records']:,}", u(r["example_locator"], 80)]
             for r in data["quarantine_summary"]], None, numeric={5}))
    checked = data["validation_total"][0] if data["validation_total"] else {"expectations": 0, "passed": 0}
    blocks.append(Paragraph(say("Validation (great-expectations, core.validation_results): {p} of {n} "
                                "expectations met on their latest run.", p=f"{checked['passed'] or 0:,}",
                                n=f"{checked['expectations']:,}")))
    if data["validation_failures"]:
        blocks.append(_capped(["table", "expectation", "severity", "failing rows", "observed", "why"],
                              [[u(r["source_table"]), u(r["expectation"], 120), u(r["severity"]),
                                fmt.cell(r["unexpected_count"]), u(r["observed"], 120), u(r["why"], 300)]
                               for r in data["validation_failures"]], None, numeric={3}))
    for missing in data.missing:
        blocks.append(Paragraph(say("Not in this warehouse: {m}", m=u(missing, 300)), "note"))
    return Section("quality", SECTION_TITLES["quality"], blocks)


def _capped(headers, rows, note, numeric=frozenset()):
    if len(rows) >= MAX_TABLE_ROWS:
        note = say("The first {n} rows are shown.", n=f"{MAX_TABLE_ROWS:,}")
        rows = rows[:MAX_TABLE_ROWS]
    return Table(headers, rows, note, set(numeric))


# ---------------------------------------------------------------- the document

def document(data, crops: dict, charts: dict) -> Document:
    subtitle = say("Built {when} from the warehouse {wh} (read-only) and the raw folder {raw}.",
                   when=fmt.day(data.generated_at), wh=u(str(data.warehouse), 300), raw=u(str(data.raw_dir), 300))
    return Document(
        title="Do leaked cost sheets show Big Tech mining crypto on idle AI GPUs, and did it drive the rally?",
        subtitle=subtitle,
        notice=sample_notice(data),
        sections=[verdict_section(data), leaks_section(data, crops), fleet_section(data, charts),
                  profitability_section(data, charts), attribution_section(data, charts),
                  sensitivity_section(data, charts), assumptions_section(data), quality_section(data)])
