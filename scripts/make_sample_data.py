#!/usr/bin/env python
"""Write the bundled sample input files under raw/ from the small fact tables.

Usage:  python scripts/make_sample_data.py

The script is deterministic: every random draw comes from
numpy.random.default_rng seeded with SEED plus a fixed per-series tag,
and every number is written with a fixed format. Running it twice gives
byte-identical files. It reads only scripts/sample_facts/*.csv (plus the
constants below). It never reads any external data directory.

What is real and what is synthesised (more in scripts/sample_facts/README.md):

* Prices (raw/prices/): the closes on every month end 2022-07-31..2024-12-31
  are the real Yahoo Finance closes (month_end_closes.csv). The days in between
  are a Brownian bridge in log space between those anchors. open is the
  previous close. high, low and volume are random. The BTCUSDT hourly bars for
  March 2024 are a bridge between the daily BTC closes. For March the daily
  BTC high and low are taken from these hourly bars.
* BTC network (raw/network/btc_network_daily.csv): the daily hashrate is noise
  around the real Bitcoin Visuals monthly means, rescaled so that each
  month's mean is exact. Difficulty is reset every 14 days from the trailing
  hashrate. blocks, issuance and the halving follow from that. Fees are noise
  around the monthly fee level, which is real from 2024-02 and approximate
  before.
* ETH hashrate (raw/network/eth_hashrate_etherscan_ghs.csv): the values for
  2022-09-01..09-20 are the real Etherscan figures. July and August 2022 are
  noise around the real monthly means. From 2022-09-16 the value is 0.
* ETC/XMR network (raw/network/*_coinmetrics.csv): the hashrate is
  interpolated between approximate anchor points with noise. Difficulty is
  hashrate x block time. Block counts are Poisson around 86400 / block time.
  Issuance is blocks x reward, and fees are small. PriceUSD is the same daily
  path that the prices files use.
* EUR/USD (raw/fx/ecb_eurusd.csv): every TARGET business day. The rates on
  2024-01-02..05 are the real ECB rates. The other days are a smooth synthetic
  path, shifted so that each month's mean equals the real ECB monthly mean
  (this holds before the 4-decimal rounding). The file keeps the two-column
  ECB shape, so the synthesis is documented only here and in the README.
* raw/fx/eurofxref-hist-excerpt.csv: the USD values are real. JPY, GBP and
  CHF are APPROXIMATE (see ECB_OTHER below).
* ETF flows (raw/flows/): the real Farside daily rows for 2024-01-11..03-28,
  printed the way Farside prints them. The summary rows are computed here.
* Hardware and events: cited constants in HARDWARE and EVENTS below.
"""
from __future__ import annotations

import calendar
import csv
import io
import math
import zlib
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
FACTS = ROOT / "scripts" / "sample_facts"
RAW = ROOT / "raw"

SEED = 20240420
START, END = pd.Timestamp("2022-07-01"), pd.Timestamp("2024-12-31")
DAYS = pd.date_range(START, END, freq="D")
HALVING = pd.Timestamp("2024-04-20")  # first day with 3.125 BTC subsidy
MERGE = pd.Timestamp("2022-09-15")
TWO32 = 2.0**32

SRC_SYNTH = ("synthetic daily path between real Yahoo month-end closes "
             "(see scripts/sample_facts/month_end_closes.csv)")
SRC_REAL_ME = "Yahoo Finance month-end close"
SRC_HOURLY = "synthetic hourly bars around the synthetic BTC-USD daily path (not Binance data)"
SRC_ALT_NETWORK = ("synthetic daily values around approximate anchors "
                   "(see scripts/sample_facts/etc_xmr_network_facts.csv)")
SRC_ETH_SYNTH = "synthetic daily values around the real Etherscan monthly mean"
SRC_ETH_REAL = "Etherscan daily value (real; see scripts/sample_facts/eth_hashrate_facts.csv)"
SRC_ETH_MERGED = "zero after the Merge (Etherscan reports no proof-of-work hashrate)"
SRC_FX_REAL = "ECB reference rate (real)"
SRC_FX_SYNTH = "synthetic daily path through real ECB monthly means (see scripts/sample_facts/eurusd_monthly.csv)"
SRC_FX_EXCERPT = "USD: real ECB rate; JPY, GBP, CHF: approximate levels"

# Daily log-return volatility and volume model (USD, lognormal median, sigma, clip).
PRICE_MODEL = {
    "BTC": dict(vol=0.030, vol_median=24e9, vol_lo=15e9, vol_hi=40e9),
    "ETH": dict(vol=0.040, vol_median=12e9, vol_lo=5e9, vol_hi=30e9),
    "ETC": dict(vol=0.050, vol_median=180e6, vol_lo=50e6, vol_hi=900e6),
    "XMR": dict(vol=0.035, vol_median=80e6, vol_lo=30e6, vol_hi=250e6),
}

# Approximate JPY/GBP/CHF per EUR for the excerpt file (NOT real ECB values;
# plausible levels for early January 2024). USD comes from eurusd_monthly.csv.
ECB_OTHER = {
    "2024-01-02": ("155.70", "0.86640", "0.9307"),
    "2024-01-03": ("155.53", "0.86518", "0.9293"),
    "2024-01-04": ("157.83", "0.86333", "0.9309"),
    "2024-01-05": ("158.29", "0.86240", "0.9314"),
}

HC = "shared/data/hardware_specs_compiled/hardware_specs.csv"
C2 = "2CryptoCalc gpu.json via github.com/2miners/2cryptocalc-hashrates@b738e49 (shared/data/gpu_hashrates_2cryptocalc)"
HARDWARE = [
    # device, class, algorithm, hashrate H/s, power W, source
    ("NVIDIA H100 SXM", "datacenter_gpu", "sha256d", 8e9, 700,
     "derived ~8 GH/s = hashcat SHA2-256 16.17 GH/s (laluka gist, hashcat 6.2.6, 2024-01-23) / 2; "
     f"700 W TDP (hawkvelt.id.au); {HC}; optimistic upper bound"),
    ("NVIDIA A100", "datacenter_gpu", "ethash", 170e6, 200,
     "NiceHash 170 MH/s @ 200 W via McDonald benchmarks.csv "
     f"(shared/data/eth_emissions_mcdonald/benchmarks.csv); {HC}"),
    ("NVIDIA A40", "datacenter_gpu", "ethash", 83e6, 190,
     f"NiceHash 83 MH/s @ 190 W via McDonald benchmarks.csv; {HC}"),
    ("Bitmain Antminer S21", "asic", "sha256d", 200e12, 3500,
     f"Bitmain spec 200 TH/s, 17.5 J/TH (BTCWire/HackerNoon 2024-03-11) => 3500 W; {HC}"),
    ("Bitmain Antminer S19 Pro", "asic", "sha256d", 110e12, 3250,
     f"110 TH/s model; 29.55 J/TH from CBECI miners.csv (shared/data/cbeci_ccaf_api) => 3250 W; {HC}"),
    ("NVIDIA GeForce RTX 4090", "consumer_gpu", "etchash", 127e6, 450,
     f"127 MH/s, {C2}; 450 W = NVIDIA board power, APPROXIMATE (not in shared/data)"),
    ("NVIDIA GeForce RTX 4090", "consumer_gpu", "kawpow", 65e6, 450,
     f"65 MH/s, {C2}; 450 W APPROXIMATE"),
    ("NVIDIA GeForce RTX 4090", "consumer_gpu", "kheavyhash", 2.18e9, 450,
     f"2.18 GH/s (unit inferred), {C2}; 450 W APPROXIMATE"),
    ("NVIDIA GeForce RTX 4090", "consumer_gpu", "randomx", 3.4e3, 450,
     f"3.4 kH/s (unit inferred), {C2}; 450 W APPROXIMATE"),
    ("NVIDIA GeForce RTX 3090", "consumer_gpu", "etchash", 120e6, 300,
     f"120 MH/s, {C2}; 300 W = mid of 279-350 W in McDonald benchmarks.csv (woolypooly 300 W)"),
    ("Bitmain Antminer E9 Pro", "asic", "etchash", 3.68e9, 2200,
     f"3680 MH/s, {C2}; 2200 W APPROXIMATE (Bitmain spec, not in shared/data)"),
    ("Bitmain Antminer KS3", "asic", "kheavyhash", 8.3e12, 3188,
     f"8300 GH/s, {C2}; 3188 W APPROXIMATE (Bitmain spec, not in shared/data)"),
    ("Bitmain Antminer X5", "asic", "randomx", 212e3, 1350,
     f"212 kH/s, {C2}; 1350 W APPROXIMATE (Bitmain spec, not in shared/data)"),
    ("AMD Ryzen 9 7950X", "cpu", "randomx", 20e3, 170,
     "APPROXIMATE: typical xmrig RandomX benchmark (~20 kH/s at ~170 W package power); "
     "no CPU figure in shared/data"),
]

EVENTS = [
    ("2022-09-15", "ETH", "protocol", "Ethereum Merge (proof-of-work to proof-of-stake); Ethash mining on ETH ends",
     "shared/data/hardware_specs_compiled/key_events.csv; Etherscan hashrate 871,044 GH/s on 2022-09-14, "
     "0 from 2022-09-16 (shared/data/eth_emissions_mcdonald/eth_network_hashrate_etherscan_ghs.csv)"),
    ("2024-01-10", "BTC", "etf", "SEC approves US spot bitcoin ETFs",
     "shared/data/hardware_specs_compiled/key_events.csv (https://www.mtwwr.com/5913.html; "
     "Babalos, Bouri & Gupta 2025, QREF 102:102006)"),
    ("2024-01-11", "BTC", "etf", "US spot bitcoin ETFs start trading (Farside day-1 net flow +655.3 US$ m)",
     "Farside Investors farside.co.uk/btc via github.com/fberger-xyz/etfs "
     "(shared/data/farside_btc_etf_flows)"),
    ("2024-03-28", "", "capex", "Bloomberg: Amazon plans almost 150 bn USD data-center spend over 15 years",
     "https://bendbulletin.com/2024/03/28/amazon-bets-150-billion-on-data-centers-required-for-ai-boom "
     "(shared/data/hyperscaler_capex/ai_datacenter_announcements_2023_2024.csv)"),
    ("2024-03-29", "", "leak", "The Information: Microsoft and OpenAI plan up to 100 bn USD 'Stargate' data-center project",
     "https://www.livemint.com/technology/tech-news/microsoft-openai-plan-100-billion-data-centre-project-"
     "stargate-ai-supercomputer-report-11711761454091.html (shared/data/hyperscaler_capex/"
     "ai_datacenter_announcements_2023_2024.csv)"),
    ("2024-04-20", "BTC", "halving", "Bitcoin 4th halving (block 840000; subsidy 6.25 to 3.125 BTC)",
     "Bitcoin Visuals daily subsidy 931.25 BTC on 2024-04-19, 406.25 BTC on 2024-04-20 "
     "(shared/data/bitcoinvisuals_cbeci_krisp140/btc_network_daily.csv; key_events.csv)"),
]

FARSIDE_COLS = ["IBIT", "FBTC", "BITB", "ARKB", "BTCO", "EZBC", "BRRR", "HODL", "BTCW", "GBTC", "BTC", "Total"]


# ---------------------------------------------------------------- helpers
def rng(tag: str) -> np.random.Generator:
    return np.random.default_rng([SEED, zlib.crc32(tag.encode())])


def f(x: float, nd: int) -> str:
    s = f"{x:.{nd}f}"
    return "0" + s[2:] if s.startswith("-0") and float(s) == 0 else s


def write_csv(path: Path, header, rows, lineterminator="\n", quoting=csv.QUOTE_MINIMAL):
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=lineterminator, quoting=quoting)
    if header is not None:
        w.writerow(header)
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode("utf-8"))
    return len(rows)


def read_facts(name: str) -> pd.DataFrame:
    return pd.read_csv(FACTS / name, dtype=str, keep_default_na=False)


def loglinear(anchors: dict, days: pd.DatetimeIndex) -> np.ndarray:
    """Interpolate log(value) linearly between dated anchors; flat outside."""
    t = np.array([pd.Timestamp(d).toordinal() for d in anchors], dtype=float)
    v = np.log(np.array(list(anchors.values()), dtype=float))
    order = np.argsort(t)
    x = np.array([d.toordinal() for d in days], dtype=float)
    return np.exp(np.interp(x, t[order], v[order]))


def rescale_to_monthly_means(values: np.ndarray, days: pd.DatetimeIndex, means: dict) -> np.ndarray:
    out = values.copy()
    months = days.strftime("%Y-%m")
    for m, target in means.items():
        sel = months == m
        if sel.any():
            out[sel] *= target / out[sel].mean()
    return out


# ---------------------------------------------------------------- prices
def month_end_anchors(asset: str) -> pd.Series:
    me = read_facts("month_end_closes.csv")
    me = me[me.asset == asset]
    return pd.Series(me.close_usd.astype(float).values, index=pd.to_datetime(me.month_end)).sort_index()


def bridge_closes(anchors: pd.Series, vol: float, g: np.random.Generator) -> pd.Series:
    """Daily closes: Brownian bridge in log space, exact at every anchor date."""
    out = {}
    dates = list(anchors.index)
    for t0, t1 in zip(dates[:-1], dates[1:]):
        p0, p1 = anchors[t0], anchors[t1]
        n = (t1 - t0).days
        w = np.cumsum(g.normal(0.0, vol, n))
        k = np.arange(1, n + 1)
        lp = math.log(p0) + k / n * (math.log(p1) - math.log(p0)) + (w - k / n * w[-1])
        for i in range(1, n):
            out[t0 + pd.Timedelta(days=i)] = round(math.exp(lp[i - 1]), 6)
        out[t1] = p1
    return pd.Series(out).sort_index().loc[START:END]


def ohlcv(asset: str, closes: pd.Series, first_open: float, g: np.random.Generator) -> pd.DataFrame:
    m = PRICE_MODEL[asset]
    c = closes.values
    o = np.concatenate([[first_open], c[:-1]])
    up = np.abs(g.normal(0.0, m["vol"] * 0.45, len(c)))
    dn = np.abs(g.normal(0.0, m["vol"] * 0.45, len(c)))
    hi = np.maximum(np.round(np.maximum(o, c) * np.exp(up), 6), np.maximum(o, c))
    lo = np.minimum(np.round(np.minimum(o, c) * np.exp(-dn), 6), np.minimum(o, c))
    v = np.clip(m["vol_median"] * np.exp(g.normal(0.0, 0.25, len(c))), m["vol_lo"], m["vol_hi"])
    return pd.DataFrame({"open": o, "high": hi, "low": lo, "close": c, "volume": np.round(v)}, index=closes.index)


def make_price_paths():
    paths = {}
    for asset in ["BTC", "ETH", "ETC", "XMR"]:
        anchors = month_end_anchors(asset)
        g = rng(f"price-{asset}")
        closes = bridge_closes(anchors, PRICE_MODEL[asset]["vol"], g)
        paths[asset] = ohlcv(asset, closes, anchors.iloc[0], g)
    return paths


def make_btc_hourly(btc: pd.DataFrame) -> pd.DataFrame:
    """Hourly BTCUSDT bars for March 2024 bridging the daily BTC closes."""
    g = rng("btc-hourly")
    rows = []
    march = btc.loc["2024-03-01":"2024-03-31"]
    hv = PRICE_MODEL["BTC"]["vol"] / math.sqrt(24)
    seasonal = 1.0 + 0.5 * np.sin(np.linspace(0, 2 * np.pi, 24, endpoint=False) - 2.0)  # busier in US hours
    for day, r in march.iterrows():
        p0, p1 = r.open, r.close
        w = np.cumsum(g.normal(0.0, hv, 24))
        k = np.arange(1, 25)
        lp = math.log(p0) + k / 24 * (math.log(p1) - math.log(p0)) + (w - k / 24 * w[-1])
        closes = np.round(np.exp(lp), 2)
        closes[-1] = round(p1, 2)
        opens = np.concatenate([[round(p0, 2)], closes[:-1]])
        hi = np.maximum(np.round(np.maximum(opens, closes) * np.exp(np.abs(g.normal(0, hv * 0.6, 24))), 2),
                        np.maximum(opens, closes))
        lo = np.minimum(np.round(np.minimum(opens, closes) * np.exp(-np.abs(g.normal(0, hv * 0.6, 24))), 2),
                        np.minimum(opens, closes))
        vol = np.round(2500.0 * seasonal * np.exp(g.normal(0.0, 0.35, 24)), 5)
        trades = np.round(vol * g.uniform(60.0, 110.0, 24)).astype(np.int64)
        taker = np.round(vol * g.uniform(0.42, 0.58, 24), 5)
        typical = (opens + hi + lo + closes) / 4.0
        for h in range(24):
            ot = (calendar.timegm(day.timetuple()) + 3600 * h) * 1000
            rows.append((ot, opens[h], hi[h], lo[h], closes[h], vol[h], ot + 3_599_999,
                         round(vol[h] * typical[h], 8), int(trades[h]), taker[h],
                         round(taker[h] * typical[h], 8)))
    return pd.DataFrame(rows, columns=["open_time", "open", "high", "low", "close", "volume", "close_time",
                                       "quote_volume", "trades", "taker_base", "taker_quote"])


def write_prices(paths, hourly):
    me_dates = set(read_facts("month_end_closes.csv").month_end)
    btc = paths["BTC"].copy()
    # March 2024: daily high/low consistent with the hourly bars.
    hourly_day = pd.to_datetime(hourly.open_time, unit="ms").dt.normalize()
    hh = hourly.groupby(hourly_day).high.max()
    ll = hourly.groupby(hourly_day).low.min()
    for d in hh.index:
        r = btc.loc[d]
        btc.loc[d, "high"] = max(hh[d], r.open, r.close)
        btc.loc[d, "low"] = min(ll[d], r.open, r.close)
    paths = dict(paths, BTC=btc)
    counts = {}
    for asset in ["BTC", "ETH"]:
        df = paths[asset]
        rows = []
        for d, r in df.iterrows():
            ds = d.strftime("%Y-%m-%d")
            rows.append((ds, f(r.open, 6), f(r.high, 6), f(r.low, 6), f(r.close, 6), f(r.volume, 0),
                         SRC_REAL_ME if ds in me_dates else SRC_SYNTH))
        counts[f"prices/{asset}-USD.csv"] = write_csv(
            RAW / "prices" / f"{asset}-USD.csv",
            ["datetime", "open", "high", "low", "close", "volume", "source"], rows)
    rows = [(int(r.open_time), f(r.open, 8), f(r.high, 8), f(r.low, 8), f(r.close, 8), f(r.volume, 8),
             int(r.close_time), f(r.quote_volume, 8), int(r.trades), f(r.taker_base, 8), f(r.taker_quote, 8), "0",
             SRC_HOURLY) for r in hourly.itertuples()]
    counts["prices/BTCUSDT-1h-2024-03.csv"] = write_csv(
        RAW / "prices" / "BTCUSDT-1h-2024-03.csv",
        ["open_time", "open", "high", "low", "close", "volume", "close_time", "quote_asset_volume",
         "number_of_trades", "taker_buy_base_volume", "taker_buy_quote_volume", "ignore", "source"], rows)
    return counts


# ---------------------------------------------------------------- network
def make_btc_network():
    fm = read_facts("btc_network_monthly.csv")
    g = rng("btc-network")
    months = fm.month.tolist()
    mid = {pd.Timestamp(m + "-15"): float(h) for m, h in zip(months, fm.hashrate_hs_mean)}
    h = loglinear(mid, DAYS) * np.exp(g.normal(0.0, 0.05, len(DAYS)))
    h = rescale_to_monthly_means(h, DAYS, dict(zip(months, fm.hashrate_hs_mean.astype(float))))
    diff = np.empty(len(DAYS))
    for start in range(0, len(DAYS), 14):
        trailing = h[start:start + 14] if start == 0 else h[start - 14:start]
        diff[start:start + 14] = trailing.mean() * 600.0 / TWO32
    blocks = h * 86400.0 / (diff * TWO32)
    reward = np.where(DAYS < HALVING, 6.25, 3.125)
    fees = np.exp(g.normal(0.0, 0.35, len(DAYS)))
    fees = rescale_to_monthly_means(fees, DAYS, dict(zip(months, fm.fees_btc_per_day_mean.astype(float))))
    status = dict(zip(months, fm.fees_status))
    rows = []
    for i, d in enumerate(DAYS):
        st = status[d.strftime("%Y-%m")]
        src = ("synthetic daily values around real monthly means (hashrate: Bitcoin Visuals; fees: "
               + ("blockchain.com" if st.startswith("real") else "APPROXIMATE level")
               + "), see scripts/sample_facts/btc_network_monthly.csv")
        rows.append((d.strftime("%Y-%m-%d"), f(h[i], 0), f(diff[i], 2), f(reward[i], 3), f(blocks[i], 4),
                     f(blocks[i] * reward[i], 4), f(fees[i], 8), src))
    return write_csv(RAW / "network" / "btc_network_daily.csv",
                     ["date", "hashrate_hs", "difficulty", "block_reward_coins", "blocks_per_day",
                      "issuance_coins", "fees_coins", "source"], rows)


def make_eth_hashrate():
    ef = read_facts("eth_hashrate_facts.csv")
    days = pd.date_range("2022-07-01", "2022-12-06", freq="D")
    g = rng("eth-hashrate")
    monthly = {r.period: float(r.hashrate_ghs) for r in ef.itertuples() if r.granularity == "monthly_mean"}
    daily = {r.period: float(r.hashrate_ghs) for r in ef.itertuples() if r.granularity == "daily"}
    pre = days[days < pd.Timestamp("2022-09-01")]
    v = np.full(len(pre), np.nan)
    for m, mean in monthly.items():
        sel = pre.strftime("%Y-%m") == m
        x = np.exp(g.normal(0.0, 0.025, sel.sum()))
        v[sel] = mean * x / x.mean()
    rows = []
    for i, d in enumerate(days):
        ds = d.strftime("%Y-%m-%d")
        if d < pd.Timestamp("2022-09-01"):
            val, src = v[i], SRC_ETH_SYNTH
        elif ds in daily:
            val, src = daily[ds], SRC_ETH_REAL
        else:
            val, src = 0.0, SRC_ETH_MERGED  # after the Merge
        rows.append((f"{d.month}/{d.day}/{d.year}", str(calendar.timegm(d.timetuple())), f(val, 4), src))
    return write_csv(RAW / "network" / "eth_hashrate_etherscan_ghs.csv",
                     ["Date(UTC)", "UnixTimeStamp", "Value", "source"],
                     rows, lineterminator="\r\n", quoting=csv.QUOTE_ALL)


def coin_facts(coin: str):
    nf = read_facts("etc_xmr_network_facts.csv")
    nf = nf[(nf.coin == coin) & (nf.status != "real")]
    get = lambda metric: nf[nf.metric == metric]
    hashrate = {pd.Timestamp(r.date): float(r.value) for r in get("hashrate").itertuples()}
    unit = get("hashrate").unit.iloc[0]
    bt = float(get("block_time").value.iloc[0])
    rewards = sorted((pd.Timestamp(r.date), float(r.value)) for r in get("block_reward").itertuples())
    supply0 = float(get("supply").value.iloc[0])
    fee = float(get("fees").value.iloc[0])
    return hashrate, unit, bt, rewards, supply0, fee


def make_alt_network(coin: str, price: pd.Series):
    hashrate, unit, bt, rewards, supply0, fee = coin_facts(coin)
    g = rng(f"network-{coin}")
    hr = loglinear(hashrate, DAYS) * np.exp(g.normal(0.0, 0.04, len(DAYS)))
    hr_hs = hr * (1e12 if unit == "TH/s" else 1.0)
    diff = hr_hs * bt
    blk = g.poisson(86400.0 / bt, len(DAYS))
    reward = np.array([[r for d0, r in rewards if d0 <= d][-1] for d in DAYS])
    iss = blk * reward
    fees = fee * np.exp(g.normal(0.0, 0.3, len(DAYS)))
    supply = supply0 + np.concatenate([[0.0], np.cumsum(iss)[:-1]])  # supply at start of day
    rows = [(d.strftime("%Y-%m-%d"), f(price.iloc[i], 6), f(hr[i], 6 if unit == "TH/s" else 1), f(diff[i], 1),
             str(int(blk[i])), f(iss[i], 4), f(fees[i], 6), SRC_ALT_NETWORK) for i, d in enumerate(DAYS)]
    n = write_csv(RAW / "network" / f"{coin.lower()}_coinmetrics.csv",
                  ["time", "PriceUSD", "HashRate", "DiffMean", "BlkCnt", "IssTotNtv", "FeeTotNtv", "source"], rows)
    return n, supply


def write_alt_prices(paths, supply):
    etc = paths["ETC"]
    me_dates = set(read_facts("month_end_closes.csv").month_end)
    src = lambda d: SRC_REAL_ME if d.strftime("%Y-%m-%d") in me_dates else SRC_SYNTH  # noqa: E731
    rows = [(f"{d.strftime('%Y-%m-%d')} 00:00:00 UTC", f(r.close, 6), f(r.close * supply["ETC"][i], 2),
             f(r.volume, 2), src(d)) for i, (d, r) in enumerate(etc.iterrows())]
    n1 = write_csv(RAW / "prices" / "etc-usd-max.csv",
                   ["snapped_at", "price", "market_cap", "total_volume", "source"], rows)
    xmr = paths["XMR"]
    rows = [(d.strftime("%Y-%m-%d"), f(r.close, 6), f(r.close * supply["XMR"][i], 2), src(d))
            for i, (d, r) in enumerate(xmr.iterrows())]
    n2 = write_csv(RAW / "prices" / "xmr_coinmetrics.csv", ["time", "PriceUSD", "CapMrktCurUSD", "source"], rows)
    return {"prices/etc-usd-max.csv": n1, "prices/xmr_coinmetrics.csv": n2}


# ---------------------------------------------------------------- fx
def easter(year: int) -> pd.Timestamp:
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g_ = (8 * b + 13) // 25
    h = (19 * a + b - d - g_ + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return pd.Timestamp(year=year, month=month, day=day)


def target_days(start, end) -> pd.DatetimeIndex:
    days = pd.date_range(start, end, freq="D")
    hol = set()
    for y in range(start.year, end.year + 1):
        e = easter(y)
        hol |= {pd.Timestamp(y, 1, 1), e - pd.Timedelta(days=2), e + pd.Timedelta(days=1),
                pd.Timestamp(y, 5, 1), pd.Timestamp(y, 12, 25), pd.Timestamp(y, 12, 26)}
    return days[(days.day_of_week < 5) & ~days.isin(list(hol))]


def make_fx():
    fx = read_facts("eurusd_monthly.csv")
    monthly = {r.period: float(r.usd_per_eur) for r in fx.itertuples() if r.granularity == "monthly_mean"}
    real = {r.period: float(r.usd_per_eur) for r in fx.itertuples() if r.granularity == "daily"}
    days = target_days(START, END)
    g = rng("eurusd")
    base = loglinear({pd.Timestamp(m + "-15"): v for m, v in monthly.items()}, days)
    ar = np.zeros(len(days))
    eps = g.normal(0.0, 0.0025, len(days))
    for i in range(1, len(days)):
        ar[i] = 0.9 * ar[i - 1] + eps[i]
    x = base * np.exp(ar)
    ds = days.strftime("%Y-%m-%d")
    fixed = np.isin(ds, list(real))
    x[fixed] = [real[d] for d in ds[fixed]]
    months = days.strftime("%Y-%m")
    for m, target in monthly.items():
        sel = months == m
        free = sel & ~fixed
        x[free] += (target * sel.sum() - x[sel & fixed].sum()) / free.sum() - x[free].mean()
    rows = [(d, f(v, 4), SRC_FX_REAL if d in real else SRC_FX_SYNTH) for d, v in zip(ds, x)]
    n1 = write_csv(RAW / "fx" / "ecb_eurusd.csv", ["date", "usd_per_eur", "source"], rows)
    lines = ["Date,USD,JPY,GBP,CHF,source"]
    for d in sorted(real, reverse=True):  # the ECB history file is newest first
        jpy, gbp, chf = ECB_OTHER[d]
        lines.append(f'{d},{real[d]:.4f},{jpy},{gbp},{chf},"{SRC_FX_EXCERPT}"')
    (RAW / "fx" / "eurofxref-hist-excerpt.csv").write_bytes(("\n".join(lines) + "\n").encode())
    return {"fx/ecb_eurusd.csv": n1, "fx/eurofxref-hist-excerpt.csv": len(lines) - 1}


# ---------------------------------------------------------------- flows
def farside_fmt(v) -> str:
    if v is None:
        return "-"
    q = v.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    s = f"{abs(q):,.1f}"
    return f"({s})" if q < 0 else s


def make_flows():
    fl = read_facts("etf_flows_2024q1.csv")
    rows, vals = [], {c: [] for c in FARSIDE_COLS}
    for r in fl.itertuples(index=False):
        r = r._asdict()
        out = [pd.Timestamp(r["date"]).strftime("%d %b %Y")]
        for c in FARSIDE_COLS:
            v = Decimal(r[c]) if r[c] != "" else None
            if v is not None:
                vals[c].append(v)
            out.append(farside_fmt(v))
        rows.append(out)
    summary = {"Total": lambda xs: sum(xs, Decimal(0)), "Average": lambda xs: sum(xs, Decimal(0)) / len(xs),
               "Maximum": max, "Minimum": min}
    for name, fn in summary.items():
        rows.append([name] + [farside_fmt(fn(vals[c]) if vals[c] else None) for c in FARSIDE_COLS])
    write_csv(RAW / "flows" / "farside_btc_etf_flows_2024q1.csv", ["Date"] + FARSIDE_COLS, rows)
    return len(rows)


# ---------------------------------------------------------------- static tables
def make_hardware():
    rows = [(d, c, a, f(h, 0), str(p), s) for d, c, a, h, p, s in HARDWARE]
    return write_csv(RAW / "hardware" / "hardware_specs.csv",
                     ["device", "device_class", "algorithm", "hashrate_hs", "power_w", "source"], rows)


def make_events():
    return write_csv(RAW / "events" / "events.csv", ["date", "asset", "kind", "title", "source"], EVENTS)


def main():
    counts = {}
    paths = make_price_paths()
    hourly = make_btc_hourly(paths["BTC"])
    counts.update(write_prices(paths, hourly))
    supply = {}
    for coin in ["ETC", "XMR"]:
        counts[f"network/{coin.lower()}_coinmetrics.csv"], supply[coin] = make_alt_network(coin, paths[coin].close)
    counts.update(write_alt_prices(paths, supply))
    counts["network/btc_network_daily.csv"] = make_btc_network()
    counts["network/eth_hashrate_etherscan_ghs.csv"] = make_eth_hashrate()
    counts.update(make_fx())
    counts["flows/farside_btc_etf_flows_2024q1.csv"] = make_flows()
    counts["hardware/hardware_specs.csv"] = make_hardware()
    counts["events/events.csv"] = make_events()
    for k in sorted(counts):
        print(f"raw/{k}: {counts[k]} rows")


if __name__ == "__main__":
    main()
