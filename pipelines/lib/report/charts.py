"""The report's charts as PNG bytes (matplotlib's Agg canvas, no pyplot: no global backend switch,
no window). matplotlib is imported inside the functions so importing the package stays light.
Labels from the data (company, coin, device names) have their `$` escaped, so a name with `$` in it
is text, not a mathtext formula that could fail to parse (tick labels keep their mathtext)."""
from __future__ import annotations

import io
import math
from collections import defaultdict
from contextlib import contextmanager

DPI = 110
COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf",
          "#7f7f7f", "#bcbd22"]
CHANNEL_STYLE = {"hashrate": ("#1f77b4", "o"), "flow": ("#d62728", "s"), "event": ("#2ca02c", "D"),
                 "residual": ("#7f7f7f", "^")}


@contextmanager
def _style():
    import matplotlib

    with matplotlib.rc_context({"text.usetex": False, "font.size": 9,
                                "axes.titlesize": 10, "axes.spines.top": False,
                                "axes.spines.right": False, "svg.fonttype": "none"}):
        yield


def _figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _png(fig) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None}, facecolor="white")
    return out.getvalue()


def _label(value, limit: int = 40) -> str:
    """A name from the data as chart text: one line, at most `limit` characters, `$` literal."""
    text = " ".join(str(value).split())
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return text.replace("$", r"\$")


def _f(value) -> float:
    return math.nan if value is None else float(value)


def _series(rows, key, fields):
    """{key value: {field: [values]}} in row order."""
    out: dict = defaultdict(lambda: defaultdict(list))
    for row in rows:
        for name in fields:
            out[row[key]][name].append(row[name] if name == "date" else _f(row[name]))
    return out


def _count_formatter():
    from matplotlib.ticker import FuncFormatter

    def fmt(v, _):
        if abs(v) >= 1e6:
            return f"{v / 1e6:g} M"
        if abs(v) >= 1e3:
            return f"{v / 1e3:g} k"
        return f"{v:g}"

    return FuncFormatter(fmt)


def _count_axis(ax):
    ax.yaxis.set_major_formatter(_count_formatter())


def _dates(ax):
    import matplotlib.dates as mdates

    # minticks 3: a span of 4 to 5 years has too few yearly ticks for the default 5 and too many 6-monthly
    # ones for 8, and matplotlib then warns and falls back to an arbitrary interval
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def fleet(rows) -> bytes | None:
    """Installed and idle accelerators per company: p50 line, p05-p95 band."""
    if not rows:
        return None
    with _style():
        fig = _figure(10, 3.8)
        axes = fig.subplots(1, 2, sharex=True)
        series = _series(rows, "company", ["date", "gpus_p05", "gpus_p50", "gpus_p95",
                                           "idle_gpus_p05", "idle_gpus_p50", "idle_gpus_p95"])
        for k, (company, s) in enumerate(series.items()):
            color = COLORS[k % len(COLORS)]
            for ax, prefix in zip(axes, ("gpus", "idle_gpus")):
                ax.fill_between(s["date"], s[f"{prefix}_p05"], s[f"{prefix}_p95"], color=color, alpha=0.18, lw=0)
                ax.plot(s["date"], s[f"{prefix}_p50"], color=color, lw=1.6, label=_label(company))
        axes[0].set_title("Installed AI accelerators (p50, band p05-p95)")
        axes[1].set_title("Idle AI accelerators (p50, band p05-p95)")
        for ax in axes:
            _count_axis(ax)
            _dates(ax)
            ax.grid(alpha=0.3)
            ax.set_ylim(bottom=0)
        axes[0].legend(loc="upper left", frameon=False)
        return _png(fig)


def network_share(rows) -> bytes | None:
    """The idle fleet's share of each network over time, log scale; zero shares are not drawable."""
    import numpy as np

    if not rows:
        return None
    with _style():
        fig = _figure(10, 4.2)
        ax = fig.subplots()
        series = _series(rows, "coin", ["date", "network_share_p05", "network_share_p50", "network_share_p95"])
        drawn = False
        for k, (coin, s) in enumerate(series.items()):
            color = COLORS[k % len(COLORS)]
            lo, mid, hi = (np.array(s[f"network_share_{q}"], dtype=float) for q in ("p05", "p50", "p95"))
            lo, mid, hi = (np.where(a > 0, a, np.nan) for a in (lo, mid, hi))
            if np.all(np.isnan(hi)):
                continue
            drawn = True
            ax.fill_between(s["date"], lo, hi, color=color, alpha=0.18, lw=0)
            ax.plot(s["date"], mid, color=color, lw=1.6, label=_label(coin))
        if not drawn:
            return None
        ax.set_yscale("log")
        ax.set_ylabel("share of the network's hashrate")
        ax.set_title("Idle AI fleet's share of each network if it mined (p50, band p05-p95; log scale)")
        _dates(ax)
        ax.grid(alpha=0.3, which="both")
        ax.legend(loc="best", frameon=False)
        return _png(fig)


def profitability(rows, price) -> bytes | None:
    """Margin per device per day at one power price, one panel per coin (symmetric log scale:
    an ASIC's dollars and a GPU's cents on one axis)."""
    if not rows:
        return None
    coins = list(dict.fromkeys(r["coin"] for r in rows))
    cols = 2 if len(coins) > 1 else 1
    nrows = math.ceil(len(coins) / cols)
    with _style():
        fig = _figure(10, 2.9 * nrows + 0.4)
        axes = fig.subplots(nrows, cols, squeeze=False).ravel()
        devices = list(dict.fromkeys(r["device"] for r in rows))
        color_of = {d: COLORS[k % len(COLORS)] for k, d in enumerate(devices)}
        for ax, coin in zip(axes, coins):
            series = _series([r for r in rows if r["coin"] == coin], "device", ["date", "margin_usd_per_day"])
            for device, s in series.items():
                ax.plot(s["date"], s["margin_usd_per_day"], color=color_of[device], lw=1.4, label=_label(device))
            ax.axhline(0, color="black", lw=0.8)
            ax.set_yscale("symlog", linthresh=0.01)
            ax.set_title(_label(coin))
            ax.set_ylabel("margin, USD per device per day")
            _dates(ax)
            ax.grid(alpha=0.3)
            ax.legend(loc="best", frameon=False, fontsize=7)
        for ax in axes[len(coins):]:
            ax.set_visible(False)
        fig.suptitle(f"Margin at {price:g} USD/kWh (revenue minus power cost; above 0 = profitable)")
        return _png(fig)


def attribution(groups) -> bytes | None:
    """Interval chart: per coin, window and subject, each channel's share p50 with its p05-p95 bar.
    `groups`: [(label, {channel: (p05, p50, p95)})]; an unknown channel is written, not drawn."""
    if not groups:
        return None
    channels = ["hashrate", "flow", "event"]
    with _style():
        fig = _figure(10, 0.62 * len(groups) + 1.4)
        ax = fig.subplots()
        labels = []
        for g, (label, shares) in enumerate(groups):
            y0 = len(groups) - 1 - g
            labels.append((y0, _label(label, 60)))
            for c, channel in enumerate(channels):
                color, marker = CHANNEL_STYLE[channel]
                y = y0 + 0.22 - 0.22 * c
                p05, p50, p95 = shares.get(channel, (None, None, None))
                if p50 is None or p50 != p50:
                    ax.text(0, y, f"  {channel}: unknown", va="center", fontsize=7, color=color)
                    continue
                lo, hi = (p50 if v is None or v != v else v for v in (p05, p95))
                ax.errorbar([p50], [y], xerr=[[max(p50 - lo, 0)], [max(hi - p50, 0)]], fmt=marker,
                            color=color, ms=4, capsize=2, lw=1.2,
                            label=channel if g == 0 else None)
        ax.axvline(0, color="black", lw=0.8)
        ax.set_yticks([y for y, _ in labels], [t for _, t in labels])
        ax.set_xlabel("share of the rally's log return explained (p50, bar p05-p95)")
        ax.xaxis.set_major_formatter(_pct_formatter())
        ax.grid(alpha=0.3, axis="x")
        ax.legend(loc="lower right", frameon=False, ncols=3)
        ax.set_ylim(-0.7, len(groups) - 0.3)
        return _png(fig)


def _pct_formatter():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _: f"{v * 100:.3g} %")


def tornado(panels) -> bytes | None:
    """Sensitivity: per headline result, each assumption at its low and high end (others central).
    `panels`: [(title, base, unit, [(assumption label, result at low, result at high)])]."""
    import textwrap

    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    if not panels:
        return None
    cols = 2 if len(panels) > 1 else 1
    nrows = math.ceil(len(panels) / cols)
    tallest = max(len(p[3]) for p in panels)
    low_color, high_color = "#1f77b4", "#d62728"
    with _style():
        fig = _figure(10, nrows * (0.3 * tallest + 1.3) + 0.5)
        axes = fig.subplots(nrows, cols, squeeze=False).ravel()
        for ax, (title, base, unit, bars) in zip(axes, panels):
            for k, (label, at_low, at_high) in enumerate(bars):
                y = len(bars) - 1 - k
                for value, color in ((at_low, low_color), (at_high, high_color)):
                    if value is not None and value == value:
                        ax.barh(y, value - base, left=base, color=color, height=0.6)
            ax.axvline(base, color="black", lw=0.8)
            ax.set_yticks(range(len(bars) - 1, -1, -1), [_label(b[0], 32) for b in bars])
            ax.set_title("\n".join(textwrap.wrap(_label(title, 110), 46)), fontsize=8.5)
            ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
            if unit == "share":
                ax.xaxis.set_major_formatter(_pct_formatter())
            else:
                ax.xaxis.set_major_formatter(_count_formatter())
            ax.grid(alpha=0.3, axis="x")
        for ax in axes[len(panels):]:
            ax.set_visible(False)
        fig.legend(handles=[Patch(color=low_color, label="assumption at its low end"),
                            Patch(color=high_color, label="assumption at its high end"),
                            Patch(color="black", label="all assumptions central")],
                   loc="outside lower center", ncols=3, frameon=False)
        return _png(fig)


def chain(hashrate, breaks, steps) -> bytes | None:
    """Each coin's daily network hashrate over 2022-2024 (log scale), its detected level shifts (green: up,
    red: down) and, per rally window, the level the idle fleet's step would have lifted it to: a p05-p95 band
    from the window's start to its end over the network's level on that day. A step that is unknown is not drawn."""
    import datetime as dt

    import numpy as np

    series = _series(hashrate, "coin", ["date", "hashrate_hs"])
    if not series:
        return None
    coins = list(series)
    cols = 2 if len(coins) > 1 else 1
    nrows = math.ceil(len(coins) / cols)
    with _style():
        fig = _figure(10, 3.0 * nrows + 0.4)
        axes = fig.subplots(nrows, cols, squeeze=False).ravel()
        for ax, coin in zip(axes, coins):
            s = series[coin]
            ax.plot(s["date"], s["hashrate_hs"], color="#333333", lw=1.0, label="network hashrate")
            for b in (r for r in breaks if r["coin"] == coin):
                up = b["step_log"] > 0
                ax.axvline(b["break_date"], color="#2ca02c" if up else "#d62728", lw=0.9, alpha=0.7, ls="--")
            for k, w in enumerate(r for r in steps if r["coin"] == coin):
                net, p05, p95 = (_f(w[c]) for c in ("network_hashrate_hs", "implied_step_log_p05",
                                                    "implied_step_log_p95"))
                if not all(np.isfinite(v) for v in (net, p05, p95)) or net <= 0:
                    continue
                start, end = w["period_start"], w["period_end"] or w["period_start"] + dt.timedelta(days=1)
                color = COLORS[(k + 4) % len(COLORS)]
                ax.fill_between([start, end], [net * math.exp(p05)] * 2, [net * math.exp(p95)] * 2, color=color,
                                alpha=0.3, lw=0, label=_label(f"fleet's step p05-p95 ({w['window_name']})"))
                ax.hlines(net, start, end, color=color, lw=1.2)
            ax.set_yscale("log")
            ax.set_xlim(dt.date(2022, 1, 1), dt.date(2024, 12, 31))   # one time axis for every coin
            ax.set_title(_label(coin))
            ax.set_ylabel("hashes per second")
            _dates(ax)
            ax.grid(alpha=0.3, which="both")
            ax.legend(loc="best", frameon=False, fontsize=7)
        for ax in axes[len(coins):]:
            ax.set_visible(False)
        fig.suptitle("Network hashrate with detected level shifts (dashed: green up, red down) and the idle "
                     "fleet's implied step (band p05-p95)")
        return _png(fig)
