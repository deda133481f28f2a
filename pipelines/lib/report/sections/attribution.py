"""Section 5, rally attribution by channel, and the reading of marts.rally_attribution's rows that
the verdict and the sensitivity share (which window leads, a channel's share, a falling window's points)."""
from __future__ import annotations

import math

from pipelines.lib.common.missing import is_missing
from pipelines.lib.report import text as fmt
from pipelines.lib.report.model import (
    Paragraph,
    Section,
    Table,
    U,
    chart,
    joined,
    say,
    u,
)
from pipelines.lib.report.sections.shared import SECTION_TITLES


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


def channel_share(group, channel, q):
    row = (group or {}).get(channel)
    return None if row is None else row[f"share_{q}"]


def not_applicable(row) -> bool:
    """A channel the row's subject or window does not have (NULL with share_reason 'not applicable: ...', not 0)."""
    reason = row.get("share_reason") if row is not None else None
    return isinstance(reason, str) and reason.startswith("not applicable")


def log_return_points(row) -> str:
    """A channel's log return as 'p50 [p05, p95]' in log-return points; 'unknown' when the median is."""
    if row is None or is_missing(row.get("log_return_p50")):
        return fmt.UNKNOWN
    return f"{fmt.number(row['log_return_p50'])} [{fmt.number(row['log_return_p05'])}, " \
           f"{fmt.number(row['log_return_p95'])}]"


def no_share(row) -> str:
    """Why a row states no share (a falling window: with its log-return points), '' when it states one."""
    reason = row.get("share_reason") if row is not None else None
    if is_missing(reason) or not reason:
        return ""
    known = not is_missing(row.get("log_return_p50"))
    return fmt.clip(reason, 240) + (f"; log return p50 [p05, p95]: {log_return_points(row)}" if known else "")


def log_return_text(value) -> str:
    if is_missing(value):
        return "unknown"
    return f"{value:+.3f} (price {math.expm1(value):+.0%})"


def attribution_chart_groups(data):
    out = []
    for (start, name, end, coin, subject), g in attribution_groups(data["attribution"]).items():
        label = f"{coin} {name} ({fmt.day(start)}..{fmt.day(end)}) {subject}"
        out.append((label, {c: (channel_share(g, c, "p05"), channel_share(g, c, "p50"), channel_share(g, c, "p95"))
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
    blocks += chart(charts, "attribution",
                    say("Rally attribution by channel with p05-p95 intervals"),
                    say("Share of each rally's log return per channel: marker p50, bar p05-p95; a channel "
                        "marked 'unknown' has no estimate. Tiny shares sit on the 0 line: the table gives "
                        "them exactly."))
    blocks.append(Table(
        ["coin", "window", "subject", "log return", "channel", "p05", "p50", "p95", "channel log return p50 [p05, p95]",
         "method", "inputs"],
        [[u(r["coin"]), U(f"{fmt.clip(r['window_name'], 40)} {fmt.day(r['window_start'])}..{fmt.day(r['window_end'])}"),
          u(r["subject"]), log_return_text(r["rally_log_return"]), u(r["channel"]),
          *(("not applicable",) * 4 if not_applicable(r) else
            (fmt.share(r["share_p05"]), fmt.share(r["share_p50"]), fmt.share(r["share_p95"]), log_return_points(r))),
          u(r["method"], 160),
          u(("no share: " + fmt.clip(r["share_reason"], 200) + ". " if no_share(r) and not not_applicable(r) else "")
            + (r["inputs"] or ""),
            400)]
         for r in rows], numeric={3, 5, 6, 7}))
    sets = sorted({(r["assumption_set"], r["model_version"]) for r in rows}, key=str)
    blocks.append(Paragraph(say("Assumption set and model version: {sets}.",
                                sets=joined([say("{s} / {v}", s=u(s, 80), v=u(v, 40)) for s, v in sets], ", ")), "note"))
    return Section("attribution", SECTION_TITLES["attribution"], blocks)
