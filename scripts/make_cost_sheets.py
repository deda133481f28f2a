#!/usr/bin/env python
"""Write the bundled sample "leaked cost sheets" under raw/cost_sheets/ and their truth.

Usage:  python scripts/make_cost_sheets.py

Outputs (all deterministic: two runs give byte-identical files):
  raw/cost_sheets/*                      PDFs (ruled, unruled, multi-page, scan, bad ones),
                                         one XLSX and one German CSV export
  tests/lib/costsheets/truth/cost_sheets_truth.csv      one row per printed data line and totals line
  tests/lib/costsheets/truth/cost_sheet_documents.csv   the expected load status of every file

The sheets are ALLEGED leaks made up here: they name real hyperscalers because the claim
under test names them, and every page says "SAMPLE DATA". Most lines are physically sound
(real device hashrates and power, rough network figures); a few carry planted false claims
that the validation must catch (column planted_flag in the truth file).

Also importable:  build_bench_corpus(out_dir) writes a ~200-page PDF corpus for benchmarks.

Physical figures used (rough, period-level; good enough for sample data, not for analysis)
------------------------------------------------------------------------------------------
Devices (hashrate per GPU, power per GPU including server overhead):
  H100 SXM   700 W board (NVIDIA H100 datasheet) -> 0.875 kW incl. 25 % server overhead.
             SHA-256d (BTC) 8 GH/s: hashcat SHA-256 ~16.2 GH/s, double SHA-256 halves it.
             Etchash 240 MH/s, KawPow 70 MH/s, kHeavyHash 2.0 GH/s, RandomX 3.5 kH/s:
             ASSUMPTIONS (no published H100 mining figure exists), scaled from A100.
  A100 80GB  Ethash/Etchash 170 MH/s at ~200-250 W board (pre-Merge mining reports)
             -> 0.32 kW per GPU incl. server overhead.
  A100 40GB  Ethash/Etchash 165 MH/s -> 0.30 kW per GPU incl. overhead.
  A100 (both) KawPow 45 MH/s, kHeavyHash 1.3 GH/s, RandomX 2.5 kH/s (rough, from
             consumer Ampere results such as RTX 3090: ~58 MH/s KawPow, ~1.2 GH/s kHeavyHash).
Networks (hashrate; coins issued per day), day by day:
  BTC, ETH before the Merge, ETC and XMR: the daily rows of raw/network/ (written by
       scripts/make_sample_data.py, so run that first; `make sample-data` does), read with the
       pipeline's own parser, and coins issued on the models' basis (pipelines.lib.models.issuance: the
       file's issuance, else reward x blocks, else block_rewards.csv: Ethereum's export gives only
       the hashrate) plus the day's fees. The rough figures below are used only where raw/network
       has no row for the coin and day (RVN, KAS; ETH after the Merge):
  BTC  ~210 EH/s (2022Q3) rising to ~500 EH/s (2024Q1, brief) and ~750 EH/s (2024Q4);
       900 BTC/day (144 blocks x 6.25), 450 BTC/day from the halving 2024-04-20.
       Sources: Bitcoin Visuals / blockchain.com hashrate charts; domain.md.
  ETH  pre-Merge ~900 TH/s, ~13,000 ETH/day (Etherscan); 0 after 2022-09-15 (the Merge).
  ETC  ~170 TH/s after the Merge (~25 TH/s before), 2.56 ETC x ~6,300 blocks = 16,128/day
       (2minersstats / etcblockexplorer).
  RVN  KawPow ~7 TH/s, 2,500 RVN x 1,440 blocks = 3,600,000 RVN/day (ravencoin.org).
  XMR  RandomX ~2.5 GH/s, 0.6 XMR tail x 720 blocks = 432 XMR/day (xmrchain.net).
  KAS  kHeavyHash ~15 PH/s (2022Q3) to ~1 EH/s (2024Q4, ASIC-led from late 2023);
       chromatic emission ~440 KAS/s in 2022-05 halving yearly (kaspa.org, explorer).
Prices (USD, rough quarterly averages from CoinGecko / Yahoo charts) in PRICE_USD below;
EUR/USD 1.01 (2022Q3), 1.02 (2022Q4), 1.08 (2023-2024) from ECB reference rates.
Electricity: 0.06-0.12 USD/kWh (US sites), 0.10-0.30 EUR/kWh (EU sites), PUE 1.08-1.35.

Formulas (domain.md): idle_hours = hours in the period x (1 - utilization) per device;
opex = power_kw (whole line) x PUE x idle_hours x price per kWh;
coins = sum over the period's days of line hashrate / network hashrate that day x coins issued
that day, x idle_hours / hours in the period (the idle share of every day);
revenue = coins x coin price. Every figure is rounded to its printed precision first, and
the next one is computed from the rounded value, so the truth always equals the page.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import random
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

# openpyxl writes other XML bytes when lxml is installed: the stdlib writer keeps the samples
# byte-identical whether or not lxml is there (it came with issue 19's dependencies).
os.environ.setdefault("OPENPYXL_LXML", "False")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from openpyxl import Workbook
from openpyxl.styles import Font
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "raw" / "cost_sheets"
TRUTH = ROOT / "tests" / "lib" / "costsheets" / "truth"
FOOTER = "SAMPLE DATA — synthetic leak generated by scripts/make_cost_sheets.py"
FIXED_TIME = dt.datetime(2024, 1, 1, 0, 0, 0)
D = Decimal

MERGE = dt.date(2022, 9, 15)
HALVING = dt.date(2024, 4, 20)
ALGORITHM = {"BTC": "sha256d", "ETH": "ethash", "ETC": "etchash", "RVN": "kawpow",
             "XMR": "randomx", "KAS": "kheavyhash"}

KW_PER_GPU = {"H100 SXM": D("0.875"), "A100 80GB": D("0.32"), "A100 40GB": D("0.30")}
HASH_PER_GPU = {  # H/s per device
    "H100": {"BTC": 8e9, "ETH": 240e6, "ETC": 240e6, "RVN": 70e6, "XMR": 3.5e3, "KAS": 2.0e9},
    "A100": {"BTC": 4e9, "ETH": 170e6, "ETC": 170e6, "RVN": 45e6, "XMR": 2.5e3, "KAS": 1.3e9},
}
HASH_PER_GPU_A100_40 = {"ETH": 165e6, "ETC": 165e6}
INFLATED_BTC_PER_GPU = 200e12  # an Antminer S21's hashrate claimed for one H100

QUARTERS = ["2022Q3", "2022Q4", "2023Q1", "2023Q2", "2023Q3", "2023Q4",
            "2024Q1", "2024Q2", "2024Q3", "2024Q4"]
PRICE_USD = {
    "BTC": [21500, 18500, 23000, 28000, 28000, 37000, 53000, 65000, 60000, 85000],
    "ETH": [1550, 1300, 1600, 1850, 1750, 2000, 3000, 3400, 2700, 3200],
    "ETC": [30, 20, 20, 19, 16, 19, 28, 27, 20, 25],
    "RVN": [0.033, 0.022, 0.028, 0.022, 0.017, 0.019, 0.030, 0.024, 0.018, 0.020],
    "XMR": [150, 150, 160, 155, 155, 160, 130, 130, 165, 175],
    "KAS": [0.003, 0.004, 0.015, 0.025, 0.045, 0.10, 0.14, 0.16, 0.15, 0.13],
}
BTC_NET = [210e18, 250e18, 320e18, 360e18, 400e18, 460e18, 500e18, 600e18, 630e18, 750e18]
KAS_NET = [15e15, 30e15, 60e15, 150e15, 250e15, 400e15, 450e15, 800e15, 900e15, 1e18]
EURUSD = [1.01, 1.02, 1.08, 1.08, 1.08, 1.08, 1.08, 1.08, 1.08, 1.08]


def quarter_index(day: dt.date) -> int:
    return QUARTERS.index(f"{day.year}Q{(day.month - 1) // 3 + 1}")


def network_hs(coin: str, day: dt.date) -> float:
    q = quarter_index(day)
    return {"BTC": BTC_NET[q], "ETH": 900e12, "ETC": 170e12 if day >= MERGE else 25e12,
            "RVN": 7e12, "XMR": 2.5e9, "KAS": KAS_NET[q]}[coin]


def coins_per_day(coin: str, day: dt.date) -> float:
    if coin == "BTC":
        return 900.0 if day < HALVING else 450.0
    if coin == "KAS":
        months = (day.year - 2022) * 12 + day.month - 5
        return 440 * 2 ** (-months / 12) * 86400
    # ETH: the sheets claiming ETH after the Merge pretend proof of work still ran
    return {"ETH": 13000.0, "ETC": 16128.0, "RVN": 3_600_000.0, "XMR": 432.0}[coin]


_CHAIN: dict[tuple[str, dt.date], tuple[float, float]] | None = None


def chain_day(coin: str, day: dt.date) -> tuple[float, float]:
    """(network H/s, coins issued incl. fees) on one day: raw/network's figures where it has them (the
    pipeline's parser and issuance basis), else the rough figures above."""
    global _CHAIN
    if _CHAIN is None:
        from pipelines.lib.models.issuance import block_subsidy
        from pipelines.lib.sources.network import parse_network_file

        parsed = [parse_network_file(path, dt.date.max).rows   # every row, whatever the clock says
                  for path in sorted((ROOT / "raw" / "network").glob("*.csv"))]
        net = pd.concat([p for p in parsed if p is not None and not p.empty], ignore_index=True)
        # several files for one coin and day: each value from the best-ranked file that has it
        net = net.sort_values(["source_rank", "source"]).groupby(["coin", "date"], as_index=False).first()
        subsidy, _ = block_subsidy(net)
        net["issued"] = subsidy + net["fees_coins"].fillna(0.0)
        net = net[net["hashrate_hs"].gt(0) & net["issued"].notna()]
        _CHAIN = {(c, d): (h, i) for c, d, h, i in zip(net["coin"], net["date"], net["hashrate_hs"], net["issued"])}
    return _CHAIN.get((coin, day)) or (network_hs(coin, day), coins_per_day(coin, day))


def mined_coins(line_hs: float, coin: str, start: dt.date, end: dt.date, idle_share: float) -> float:
    """Coins a line mines: its share of the network's hashrate x the coins issued, day by day over
    its period, on the idle share of every day."""
    total, day = 0.0, start
    while day <= end:
        network, issued = chain_day(coin, day)
        total += line_hs / network * issued
        day += dt.timedelta(days=1)
    return total * idle_share


def coin_price(coin: str, day: dt.date, currency: str) -> float:
    q = quarter_index(day)
    usd = PRICE_USD[coin][q]
    return usd if currency == "USD" else usd / EURUSD[q]


# ---------------------------------------------------------------------------------------
# Periods and number formats
MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
             "Dec"]
MONTHS_DE = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
             "September", "Oktober", "November", "Dezember"]


def month_period(year: int, month: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, month, 1)
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return start, nxt - dt.timedelta(days=1)


def quarter_period(year: int, q: int) -> tuple[dt.date, dt.date]:
    return month_period(year, 3 * q - 2)[0], month_period(year, 3 * q)[1]


def q(value, decimals: int) -> Decimal:
    return D(str(value)).quantize(D(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def fmt(value: Decimal, decimals: int, lang: str) -> str:
    s = f"{q(value, decimals):,.{decimals}f}"
    if lang == "de":
        s = s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return s


def plain(value) -> str:
    """A Decimal as plain text without exponent or trailing zeros ('' for None)."""
    if value is None:
        return ""
    d = D(str(value))
    if d == d.to_integral_value():
        return str(d.quantize(D(1)))
    return format(d.normalize(), "f")


# ---------------------------------------------------------------------------------------
# One cost-sheet line: physics first, then rounding to what a document prints.
@dataclass
class Spec:
    """Printed precision of a document (decimals in the printed unit, unit scale)."""
    util_dec: int = 2           # decimals of the share (0.62 -> 2, 0.585 -> 3)
    idle_dec: int = 0
    power_scale: Decimal = D(1)  # printed unit in kW (W -> 0.001, kW -> 1)
    power_dec: int = 2
    price_scale: Decimal = D(1)  # printed unit in currency/kWh (ct -> 0.01)
    price_dec: int = 3
    hs_scale: Decimal = D("1e12")
    hs_dec: int = 3
    hs_per_device: bool = False
    coins_dec: int = 2
    money_scale: Decimal = D(1)
    money_dec: int = 2
    opex_scale: Decimal = D(1)


@dataclass
class Line:
    site: str
    period: tuple[dt.date, dt.date]
    period_label: str
    device: str
    count: int
    util: float
    coin: str
    pue: float
    price: float            # currency per kWh
    planted: str = ""       # h100_btc_profit | eth_after_merge | ...
    tamper: str = ""        # inflate_hs | coins_x10000
    flags: str = ""
    company: str = ""
    power_override: Decimal | None = None
    # filled by finalize(): canonical values (Decimal), and printed values
    v: dict = field(default_factory=dict)


def gpu_hashrate(device: str, coin: str) -> float:
    if device == "A100 40GB" and coin in HASH_PER_GPU_A100_40:
        return HASH_PER_GPU_A100_40[coin]
    return HASH_PER_GPU[device.split()[0]][coin]


def finalize(line: Line, spec: Spec, currency: str) -> Line:
    start, end = line.period
    hours = D(((end - start).days + 1) * 24)
    util = q(line.util, spec.util_dec)
    idle = q(hours * (1 - util), spec.idle_dec)
    power_kw = line.power_override or KW_PER_GPU[line.device] * line.count
    power_p = q(power_kw / spec.power_scale, spec.power_dec)
    power_kw = power_p * spec.power_scale
    pue = q(line.pue, 2)
    price_p = q(D(str(line.price)) / spec.price_scale, spec.price_dec)
    price = price_p * spec.price_scale
    per_dev = INFLATED_BTC_PER_GPU if line.tamper == "inflate_hs" else gpu_hashrate(
        line.device, line.coin)
    if spec.hs_per_device:
        hs_p = q(D(str(per_dev)) / spec.hs_scale, spec.hs_dec)
        hs_dev = hs_p * spec.hs_scale
        hs_line = hs_dev * line.count
    else:
        hs_p = q(D(str(per_dev)) * line.count / spec.hs_scale, spec.hs_dec)
        hs_line = hs_p * spec.hs_scale
        hs_dev = (hs_line / line.count).quantize(D("0.001"), rounding=ROUND_HALF_UP)
    mid = start + (end - start) / 2
    coins = mined_coins(float(hs_line), line.coin, start, end, float(idle / hours))
    if line.tamper == "coins_x10000":
        coins *= 10000
    coins = q(coins, spec.coins_dec)
    revenue_p = q(float(coins) * coin_price(line.coin, mid, currency) / float(spec.money_scale),
                  spec.money_dec)
    opex_p = q(power_kw * pue * idle * price / spec.opex_scale, spec.money_dec
               if spec.opex_scale == spec.money_scale else 2)
    line.v = dict(util=util, idle=idle, power_kw=power_kw, power_p=power_p, pue=pue,
                  price=price, price_p=price_p, hs_line=hs_line, hs_dev=hs_dev, hs_p=hs_p,
                  coins=coins, revenue=revenue_p * spec.money_scale, revenue_p=revenue_p,
                  opex=opex_p * spec.opex_scale, opex_p=opex_p)
    return line


TRUTH_COLUMNS = [
    "file", "page", "table_index", "row_index", "is_total_row", "company", "site",
    "period_start", "period_end", "device", "device_count", "utilization_share",
    "idle_hours", "power_kw", "pue", "electricity_price_native", "currency", "coin",
    "algorithm", "claimed_hashrate_hs", "claimed_hashrate_per_device_hs",
    "claimed_coins_mined", "claimed_revenue_native", "claimed_opex_native",
    "expected_flags", "extraction", "planted_flag"]


def truth_row(file, page, table, row, line: Line, company, currency, extraction):
    v = line.v
    return {
        "file": file, "page": page, "table_index": table, "row_index": row,
        "is_total_row": "false", "company": line.company or company, "site": line.site,
        "period_start": line.period[0].isoformat(), "period_end": line.period[1].isoformat(),
        "device": line.device, "device_count": line.count,
        "utilization_share": plain(v["util"]), "idle_hours": plain(v["idle"]),
        "power_kw": plain(v["power_kw"]), "pue": plain(v["pue"]),
        "electricity_price_native": plain(v["price"]), "currency": currency,
        "coin": line.coin, "algorithm": ALGORITHM[line.coin],
        "claimed_hashrate_hs": plain(v["hs_line"]),
        "claimed_hashrate_per_device_hs": plain(v["hs_dev"]),
        "claimed_coins_mined": plain(v["coins"]), "claimed_revenue_native": plain(v["revenue"]),
        "claimed_opex_native": plain(v["opex"]), "expected_flags": line.flags,
        "extraction": extraction, "planted_flag": line.planted}


def total_truth_row(file, page, table, row, label, company, currency, extraction, period,
                    planted="", **values):
    row_ = {c: "" for c in TRUTH_COLUMNS}
    row_.update(file=file, page=page, table_index=table, row_index=row, is_total_row="true",
                company=company, site=label, currency=currency, extraction=extraction,
                planted_flag=planted)
    if period:
        row_.update(period_start=period[0].isoformat(), period_end=period[1].isoformat())
    for key, value in values.items():
        row_[key] = plain(value)
    return row_


def totals(lines: list[Line]) -> dict:
    return dict(count=sum(ln.count for ln in lines),
                power_p=sum(ln.v["power_p"] for ln in lines),
                coins=sum(ln.v["coins"] for ln in lines),
                revenue_p=sum(ln.v["revenue_p"] for ln in lines),
                opex_p=sum(ln.v["opex_p"] for ln in lines))


# ---------------------------------------------------------------------------------------
# Drawing helpers (reportlab, Helvetica: WinAnsi covers €, –, ä, ¹, ²)
FONT, BOLD = "Helvetica", "Helvetica-Bold"
PAD = 3.0


def new_canvas(target, pagesize=landscape(A4), encrypt=None, title="Cost sheet"):
    c = canvas.Canvas(target, pagesize=pagesize, invariant=1, encrypt=encrypt)
    c.setTitle(title)
    c.setAuthor("")
    c.setCreator("scripts/make_cost_sheets.py")
    return c


def column_widths(headers, rows, size):
    widths = []
    for i, h in enumerate(headers):
        cells = [stringWidth(r[i], FONT, size) for r in rows]
        widths.append(max([stringWidth(h, BOLD, size)] + cells) + 2 * PAD)
    return widths


def fit_size(headers, rows, avail, start=8.0):
    size = start
    while sum(column_widths(headers, rows, size)) > avail and size > 4:
        size -= 0.25
    return size


def draw_table(c, x0, y_top, headers, rows, widths, size, numeric, ruled=True,
               row_h=None, bold_last=False):
    """Draw header + rows top-down from y_top; return the y of the bottom edge."""
    row_h = row_h or size * 2.1
    all_rows = [headers] + rows
    xs = [x0]
    for w in widths:
        xs.append(xs[-1] + w)
    y = y_top
    for r_i, cells in enumerate(all_rows):
        font = BOLD if r_i == 0 or (bold_last and r_i == len(all_rows) - 1) else FONT
        c.setFont(font, size)
        base = y - row_h + (row_h - size) / 2 + 1.5
        for i, text in enumerate(cells):
            if numeric[i] and r_i > 0:
                c.drawRightString(xs[i + 1] - PAD, base, text)
            else:
                c.drawString(xs[i] + PAD, base, text)
        y -= row_h
    if ruled:
        c.setLineWidth(0.5)
        for k in range(len(all_rows) + 1):
            yy = y_top - k * row_h
            c.line(xs[0], yy, xs[-1], yy)
        for xx in xs:
            c.line(xx, y_top, xx, y)
    return y


def footer(c, width, page=None, pages=None):
    c.setFont(FONT, 7)
    c.drawString(30, 20, FOOTER)
    if page:
        c.drawRightString(width - 30, 20, f"Page {page} of {pages}")


def heading(c, y, lines, size=13):
    c.setFont(BOLD, size)
    c.drawString(30, y, lines[0])
    c.setFont(FONT, 9)
    for i, text in enumerate(lines[1:]):
        c.drawString(30, y - 18 - 13 * i, text)
    return y - 18 - 13 * (len(lines) - 1) - 10


# ---------------------------------------------------------------------------------------
# Document 1: German, ruled, Q1 2024, Microsoft Azure
DE_HEADERS = ["Standort", "GPU-Typ", "Anzahl", "Auslastung", "Leerlauf (h)", "Leistung (kW)",
              "PUE", "Strompreis (€/kWh)", "Coin", "Hashrate (TH/s)", "Coins", "Erlös (€)",
              "Betriebskosten (€)"]
DE_NUMERIC = [False, False, True, True, True, True, True, True, False, True, True, True, True]
DOC1_SPEC = Spec(util_dec=2, hs_scale=D("1e12"), hs_dec=3, price_dec=3)


def doc1_lines() -> list[Line]:
    p = quarter_period(2024, 1)
    lab = "Q1 2024"
    return [finalize(ln, DOC1_SPEC, "EUR") for ln in [
        Line("Frankfurt am Main", p, lab, "H100 SXM", 2048, 0.62, "BTC", 1.18, 0.142,
             planted="h100_btc_profit", tamper="inflate_hs"),
        Line("Berlin", p, lab, "A100 80GB", 4096, 0.55, "ETC", 1.22, 0.151),
        Line("Amsterdam", p, lab, "H100 SXM", 1024, 0.70, "BTC", 1.15, 0.128,
             planted="h100_btc_profit", tamper="coins_x10000"),
        Line("Dublin", p, lab, "A100 80GB", 3072, 0.48, "RVN", 1.25, 0.139),
        Line("Gävle", p, lab, "A100 40GB", 1536, 0.40, "KAS", 1.10, 0.098),
        Line("Zürich", p, lab, "H100 SXM", 512, 0.75, "ETC", 1.20, 0.165),
        Line("Wien", p, lab, "A100 80GB", 2560, 0.58, "ETH", 1.24, 0.147,
             planted="eth_after_merge"),
        Line("Mailand", p, lab, "H100 SXM", 768, 0.66, "RVN", 1.28, 0.171),
    ]]


def de_row(ln: Line, with_period=False, price_dec=3, rev_dec=2, marker=None) -> list[str]:
    v = ln.v
    cells = [ln.site] + ([ln.period_label] if with_period else []) + [
        ln.device, fmt(D(ln.count), 0, "de"), f"{fmt(v['util'] * 100, 0, 'de')} %",
        fmt(v["idle"], 0, "de"), fmt(v["power_p"], 2, "de"), fmt(v["pue"], 2, "de"),
        fmt(v["price_p"], price_dec, "de"), ln.coin, fmt(v["hs_p"], 3, "de"),
        fmt(v["coins"], 2, "de"), fmt(v["revenue_p"], rev_dec, "de"), fmt(v["opex_p"], 2, "de")]
    if marker:
        idx, sign = marker
        cells[idx] += sign
    return cells


def write_doc1(target, rows_out: list | None, file="de_kostenrechnung_q1_2024.pdf",
               encrypt=None):
    lines = doc1_lines()
    company, currency = "Microsoft Azure", "EUR"
    t = totals(lines)
    body = [de_row(ln) for ln in lines]
    body.append(["Summe", "", fmt(D(t["count"]), 0, "de"), "", "", fmt(t["power_p"], 2, "de"),
                 "", "", "", "", fmt(t["coins"], 2, "de"), fmt(t["revenue_p"], 2, "de"),
                 fmt(t["opex_p"], 2, "de")])
    w, h = landscape(A4)
    c = new_canvas(target, encrypt=encrypt, title="Interne Kostenrechnung Q1 2024")
    y = heading(c, h - 40, ["Vertraulich – Interne Kostenrechnung: Mining in GPU-Leerlaufzeiten",
                            "Unternehmen: Microsoft Azure",
                            "Zeitraum: 01.01.2024 – 31.03.2024",
                            "Erstellt von: Controlling Rechenzentren EMEA"])
    size = fit_size(DE_HEADERS, body, w - 60)
    y = draw_table(c, 30, y - 10, DE_HEADERS, body, column_widths(DE_HEADERS, body, size),
                   size, DE_NUMERIC, bold_last=True)
    c.setFont(FONT, 8)
    c.drawString(30, y - 20, "Leerlauf (h) je GPU; Leistung, Hashrate und Kosten je Zeile "
                 "(alle GPUs des Standorts). Nur für den internen Gebrauch.")
    footer(c, w, 1, 1)
    c.showPage()
    c.save()
    if rows_out is not None:
        for i, ln in enumerate(lines):
            rows_out.append(truth_row(file, 1, 0, i, ln, company, currency, "pdf"))
        rows_out.append(total_truth_row(
            file, 1, 0, len(lines), "Summe", company, currency, "pdf", lines[0].period,
            device_count=t["count"], power_kw=t["power_p"], claimed_coins_mined=t["coins"],
            claimed_revenue_native=t["revenue_p"], claimed_opex_native=t["opex_p"]))


# ---------------------------------------------------------------------------------------
# Document 2: English, unruled, per-row period, per-GPU hashrate, Amazon Web Services
EN2_HEADERS = ["Site", "Period", "GPU model", "Units", "AI utilization", "Idle hours",
               "Power (W)", "PUE", "Power price (ct/kWh)", "Coin", "Hashrate per GPU (MH/s)",
               "Coins mined", "Revenue ($)", "Operating cost ($)"]
EN2_NUMERIC = [False, False, False, True, True, True, True, True, True, False, True, True,
               True, True]
DOC2_SPEC = Spec(util_dec=2, power_scale=D("0.001"), power_dec=0, price_scale=D("0.01"),
                 price_dec=2, hs_scale=D("1e6"), hs_dec=2, hs_per_device=True)


def doc2_lines() -> list[Line]:
    jul, aug, sep = month_period(2023, 7), month_period(2023, 8), month_period(2023, 9)
    q4 = quarter_period(2023, 4)
    return [finalize(ln, DOC2_SPEC, "USD") for ln in [
        Line("US East (N. Virginia)", jul, "Jul 2023", "H100 SXM", 4096, 0.71, "KAS", 1.12,
             0.0785),
        Line("US West (Oregon)", jul, "Jul 2023", "A100 80GB", 12500, 0.64, "ETC", 1.09,
             0.0612, flags="ambiguous_number:device_count"),
        Line("US East (Ohio)", aug, "Aug 2023", "A100 80GB", 2048, 0.58, "ETH", 1.14, 0.0833,
             planted="eth_after_merge"),
        Line("Europe (Ireland)", aug, "Aug 2023", "H100 SXM", 3072, 0.69, "BTC", 1.16, 0.1420,
             planted="h100_btc_profit", tamper="inflate_hs"),
        Line("Asia Pacific (Tokyo)", sep, "Sep 2023", "A100 40GB", 1024, 0.52, "RVN", 1.31,
             0.1675),
        Line("Europe (Frankfurt)", sep, "Sep 2023", "H100 SXM", 2560, 0.77, "ETC", 1.18,
             0.1590),
        Line("US East (N. Virginia)", q4, "Q4 2023", "A100 80GB", 8192, 0.60, "ETH", 1.12,
             0.0790, planted="eth_after_merge"),
        Line("US West (Oregon)", q4, "Q4 2023", "H100 SXM", 6144, 0.73, "KAS", 1.09, 0.0598),
    ]]


def en_row2(ln: Line) -> list[str]:
    v = ln.v
    units = "12.500" if ln.flags.startswith("ambiguous") else fmt(D(ln.count), 0, "en")
    return [ln.site, ln.period_label, ln.device, units, f"{fmt(v['util'] * 100, 0, 'en')}%",
            fmt(v["idle"], 0, "en"), fmt(v["power_p"], 0, "en"), fmt(v["pue"], 2, "en"),
            fmt(v["price_p"], 2, "en"), ln.coin, fmt(v["hs_p"], 2, "en"),
            fmt(v["coins"], 2, "en"), fmt(v["revenue_p"], 2, "en"), fmt(v["opex_p"], 2, "en")]


def write_doc2(target, rows_out):
    file = "en_idle_mining_h2_2023.pdf"
    lines = doc2_lines()
    body = [en_row2(ln) for ln in lines]
    w, h = landscape(A4)
    c = new_canvas(target, title="Idle-time mining H2 2023")
    y = heading(c, h - 40, ["CONFIDENTIAL – Idle GPU capacity: crypto mining results",
                            "Company: Amazon Web Services",
                            "Period: Q3 2023 – Q4 2023 (see Period column)",
                            "Prepared by: Infrastructure Finance, AWS Compute"])
    size = fit_size(EN2_HEADERS, body, w - 60, start=7.5)
    widths = [x + 6 for x in column_widths(EN2_HEADERS, body, size)]
    size_fit = size
    while sum(widths) > w - 60:
        size_fit -= 0.25
        widths = [x + 6 for x in column_widths(EN2_HEADERS, body, size_fit)]
    draw_table(c, 30, y - 10, EN2_HEADERS, body, widths, size_fit, EN2_NUMERIC, ruled=False,
               row_h=size_fit * 2.4)
    footer(c, w, 1, 1)
    c.showPage()
    c.save()
    for i, ln in enumerate(lines):
        rows_out.append(truth_row(file, 1, 0, i, ln, "Amazon Web Services", "USD", "pdf"))


# ---------------------------------------------------------------------------------------
# Document 3: multi-page ruled English table, Google Cloud, months 2022-07 .. 2023-06
EN3_HEADERS = ["Site", "Period", "Device", "Count", "Utilization (%)", "Idle hours",
               "Power (kW)", "PUE", "Electricity ($/kWh)", "Coin", "Hashrate (GH/s)",
               "Coins mined", "Revenue (USD)", "Opex (USD)"]
EN3_NUMERIC = [False, False, False, True, True, True, True, True, True, False, True, True,
               True, True]
DOC3_SPEC = Spec(util_dec=3, idle_dec=1, hs_scale=D("1e9"), hs_dec=2, coins_dec=4)
DOC3_SITES = [
    # site, device, count, PUE, $/kWh, coin before the Merge, coin after
    ("Council Bluffs, IA", "A100 80GB", 4096, 1.10, 0.071, "ETH", "RVN"),
    ("The Dalles, OR", "A100 80GB", 2048, 1.09, 0.052, "ETH", "ETH*"),
    ("Hamina, FI", "A100 40GB", 1536, 1.08, 0.094, "RVN", "ETC"),
    ("St. Ghislain, BE", "A100 80GB", 1024, 1.11, 0.118, "KAS", "KAS"),
    ("Eemshaven, NL", "A100 40GB", 3072, 1.12, 0.109, "RVN", "RVN"),
    ("Changhua, TW", "A100 80GB", 2048, 1.13, 0.084, "ETC", "ETC"),
]


def doc3_lines() -> list[Line]:
    rng = random.Random(3)
    months = [(2022, m) for m in range(7, 13)] + [(2023, m) for m in range(1, 7)]
    lines = []
    for year, month in months:
        period = month_period(year, month)
        label = f"{year}-{month:02d}"
        for site, device, count, pue, price, pre, post in DOC3_SITES:
            coin, planted, tamper = (pre if period[1] < MERGE else post), "", ""
            if (year, month) == (2022, 9) and coin == "ETH":
                coin = "ETC"  # the Merge month: the sheet switches these sites early
            if coin == "ETH*":
                coin = "ETH" if (year, month) in [(2022, 11), (2023, 2)] else "ETC"
                planted = "eth_after_merge" if coin == "ETH" else ""
            if site.startswith("Changhua") and (year, month) >= (2023, 3):
                device, count = "H100 SXM", 1024
                coin = "BTC"
                if (year, month) in [(2023, 4), (2023, 5)]:
                    planted, tamper = "h100_btc_profit", "coins_x10000"
            util = round(rng.uniform(0.55, 0.82), 3)
            lines.append(Line(site, period, label, device, count, util, coin, pue,
                              round(price * rng.uniform(0.95, 1.05), 3), planted=planted,
                              tamper=tamper))
    return [finalize(ln, DOC3_SPEC, "USD") for ln in lines]


def en_row3(ln: Line) -> list[str]:
    v = ln.v
    return [ln.site, ln.period_label, ln.device, fmt(D(ln.count), 0, "en"),
            fmt(v["util"] * 100, 1, "en"), fmt(v["idle"], 1, "en"), fmt(v["power_p"], 2, "en"),
            fmt(v["pue"], 2, "en"), fmt(v["price_p"], 3, "en"), ln.coin,
            fmt(v["hs_p"], 2, "en"), fmt(v["coins"], 4, "en"), fmt(v["revenue_p"], 2, "en"),
            fmt(v["opex_p"], 2, "en")]


def write_doc3(target, rows_out, rows_per_page=20):
    file = "multi_page_fleet_2023.pdf"
    lines = doc3_lines()
    t = totals(lines)
    body = [en_row3(ln) for ln in lines]
    body.append(["Total", "", "", fmt(D(t["count"]), 0, "en"), "", "",
                 fmt(t["power_p"], 2, "en"), "", "", "", "", fmt(t["coins"], 4, "en"),
                 fmt(t["revenue_p"], 2, "en"), fmt(t["opex_p"], 2, "en")])
    chunks = [body[i:i + rows_per_page] for i in range(0, len(body), rows_per_page)]
    w, h = landscape(A4)
    size = fit_size(EN3_HEADERS, body, w - 60)
    widths = column_widths(EN3_HEADERS, body, size)
    c = new_canvas(target, title="GPU fleet idle-time mining FY2023")
    row_no = 0
    for p_i, chunk in enumerate(chunks, start=1):
        if p_i == 1:
            y = heading(c, h - 40, ["Internal – GPU fleet idle-time mining, fiscal year 2023",
                                    "Company: Google Cloud",
                                    "Period: 2022-07-01 – 2023-06-30 (monthly lines)"])
            c.setFont(BOLD, 9)
            c.drawString(30, y - 4, "Table 1: Idle-time mining by site and month")
        else:
            y = h - 40
            c.setFont(BOLD, 9)
            c.drawString(30, y, "Table 1: Idle-time mining by site and month (continued)")
            y -= 6
        draw_table(c, 30, y - 10, EN3_HEADERS, chunk, widths, size, EN3_NUMERIC,
                   bold_last=(p_i == len(chunks)))
        footer(c, w, p_i, len(chunks))
        c.showPage()
        for _ in chunk:
            if row_no < len(lines):
                rows_out.append(truth_row(file, p_i, 0, row_no, lines[row_no], "Google Cloud",
                                          "USD", "pdf"))
            else:
                rows_out.append(total_truth_row(
                    file, p_i, 0, row_no, "Total", "Google Cloud", "USD", "pdf",
                    (dt.date(2022, 7, 1), dt.date(2023, 6, 30)),   # the document's own 'Period:' line
                    device_count=t["count"], power_kw=t["power_p"],
                    claimed_coins_mined=t["coins"], claimed_revenue_native=t["revenue_p"],
                    claimed_opex_native=t["opex_p"]))
            row_no += 1
    c.save()
    return len(chunks)


# ---------------------------------------------------------------------------------------
# Document 4: two German tables with footnotes, Meta Platforms, Q2 2024
DE4_HEADERS = ["Standort", "Zeitraum", "GPU-Typ", "Anzahl", "Auslastung", "Leerlauf (h)",
               "Leistung (kW)", "PUE", "Strompreis¹ (ct/kWh)", "Coin", "Hashrate (TH/s)",
               "Coins", "Erlös (Mio. €)", "Betriebskosten (€)"]
DE4_NUMERIC = [False, False] + DE_NUMERIC[1:]
DOC4_SPEC = Spec(util_dec=2, price_scale=D("0.01"), price_dec=2, hs_scale=D("1e12"),
                 hs_dec=3, money_scale=D("1e6"), money_dec=2)


def doc4_tables() -> list[list[Line]]:
    q2 = quarter_period(2024, 2)
    apr, mai, jun = month_period(2024, 4), month_period(2024, 5), month_period(2024, 6)
    north = [
        Line("Odense (DK)", q2, "Q2 2024", "A100 80GB", 5750, 0.61, "ETC", 1.10, 0.212,
             power_override=D("1840.00")),
        Line("Luleå (SE)", q2, "Q2 2024", "H100 SXM", 8192, 0.68, "BTC", 1.08, 0.061,
             planted="h100_btc_profit", tamper="inflate_hs"),
        Line("Clonee (IE)", apr, "April 2024", "A100 80GB", 4096, 0.57, "RVN", 1.14, 0.248),
        Line("Clonee (IE)", mai, "Mai 2024", "A100 80GB", 4096, 0.54, "KAS", 1.14, 0.251),
    ]
    south = [
        Line("Mailand (IT)", q2, "Q2 2024", "H100 SXM", 3072, 0.72, "ETC", 1.21, 0.265),
        Line("Madrid (ES)", jun, "Juni 2024", "A100 80GB", 6144, 0.49, "ETC", 1.19, 0.187),
        Line("Marseille (FR)", q2, "Q2 2024", "A100 80GB", 2048, 0.63, "RVN", 1.17, 0.176),
        Line("Athen (GR)", apr, "April 2024", "H100 SXM", 1024, 0.70, "KAS", 1.26, 0.224),
    ]
    return [[finalize(ln, DOC4_SPEC, "EUR") for ln in t] for t in (north, south)]


def write_doc4(target, rows_out):
    file = "two_tables_footnotes.pdf"
    company = "Meta Platforms"
    tables = doc4_tables()
    w, h = landscape(A4)
    c = new_canvas(target, title="Kostenrechnung Q2 2024 Nord/Süd")
    y = heading(c, h - 40, ["Streng vertraulich – Leerlauf-Mining der KI-Cluster, Q2 2024",
                            "Unternehmen: Meta Platforms",
                            "Zeitraum: 01.04.2024 – 30.06.2024"])
    bodies = []
    for t_i, lines in enumerate(tables):
        t = totals(lines)
        body = [de_row(ln, with_period=True, price_dec=2, marker=(6, "²")
                       if ln.power_override else None) for ln in lines]
        # planted in table 2: the Betriebskosten total is 20 % higher than its lines
        opex_total = q(t["opex_p"] * (D("1.2") if t_i == 1 else 1), 2)
        body.append(["Summe", "", "", fmt(D(t["count"]), 0, "de"), "", "",
                     fmt(t["power_p"], 2, "de"), "", "", "", "", fmt(t["coins"], 2, "de"),
                     fmt(t["revenue_p"], 2, "de"), fmt(opex_total, 2, "de")])
        bodies.append((body, t, opex_total))
    all_rows = [r for b in bodies for r in b[0]]
    size = fit_size(DE4_HEADERS, all_rows, w - 60)
    widths = column_widths(DE4_HEADERS, all_rows, size)
    captions = ["Tabelle 1: Standorte Nord", "Tabelle 2: Standorte Süd"]
    for t_i, (body, t, opex_total) in enumerate(bodies):
        c.setFont(BOLD, 9)
        c.drawString(30, y - 6, captions[t_i])
        y = draw_table(c, 30, y - 14, DE4_HEADERS, body, widths, size, DE4_NUMERIC,
                       bold_last=True) - 28
        lines = tables[t_i]
        for i, ln in enumerate(lines):
            rows_out.append(truth_row(file, 1, t_i, i, ln, company, "EUR", "pdf"))
        rows_out.append(total_truth_row(
            file, 1, t_i, len(lines), "Summe", company, "EUR", "pdf", quarter_period(2024, 2),
            planted="totals_mismatch" if t_i == 1 else "", device_count=t["count"],
            power_kw=t["power_p"], claimed_coins_mined=t["coins"],
            claimed_revenue_native=t["revenue_p"] * D("1e6"), claimed_opex_native=opex_total))
    c.setFont(FONT, 8)
    c.drawString(30, y, "¹ inkl. Netzentgelte und Stromsteuer")
    c.drawString(30, y - 12, "² Schätzung der Finanzabteilung")
    footer(c, w, 1, 1)
    c.showPage()
    c.save()


# ---------------------------------------------------------------------------------------
# Document 5: XLSX, two sheets, Microsoft Azure Q2 2024, EUR
XLSX_HEADERS = ["Site", "Period", "Device", "Count", "Utilization", "Idle hours",
                "Power (kW)", "PUE", "Electricity (EUR/kWh)", "Coin", "Hashrate (TH/s)",
                "Coins mined", "Revenue (EUR)", "Opex (EUR)"]
XLSX_SPEC = Spec(util_dec=3, idle_dec=1, hs_scale=D("1e12"), hs_dec=9, coins_dec=4,
                 price_dec=4)


def xlsx_sheets() -> dict[str, list[Line]]:
    apr, mai, jun = month_period(2024, 4), month_period(2024, 5), month_period(2024, 6)
    fra = [
        Line("Frankfurt FRA-01", apr, "2024-04", "A100 80GB", 4096, 0.615, "ETC", 1.21, 0.1875),
        Line("Frankfurt FRA-01", mai, "2024-05", "A100 80GB", 4096, 0.642, "ETC", 1.21, 0.1812),
        Line("Frankfurt FRA-02", apr, "2024-04", "H100 SXM", 2048, 0.734, "XMR", 1.19, 0.1875),
        Line("Frankfurt FRA-02", jun, "2024-06", "H100 SXM", 2048, 0.701, "RVN", 1.19, 0.1790),
        Line("Frankfurt FRA-03", jun, "2024-06", "A100 40GB", 1536, 0.553, "KAS", 1.24, 0.1790),
    ]
    dub = [
        Line("Dublin DUB-07", apr, "2024-04", "H100 SXM", 6144, 0.688, "BTC", 1.16, 0.2140,
             planted="h100_btc_profit", tamper="inflate_hs"),
        Line("Dublin DUB-07", mai, "2024-05", "A100 80GB", 3072, 0.571, "XMR", 1.16, 0.2095),
        Line("Dublin DUB-09", mai, "2024-05", "A100 80GB", 2048, 0.603, "ETC", 1.14, 0.2095),
        Line("Dublin DUB-09", jun, "2024-06", "H100 SXM", 1024, 0.759, "KAS", 1.14, 0.2050),
    ]
    return {name: [finalize(ln, XLSX_SPEC, "EUR") for ln in lines]
            for name, lines in (("Frankfurt", fra), ("Dublin", dub))}


def deterministic_zip(data: bytes) -> bytes:
    """Rewrite an XLSX zip with fixed timestamps and fixed core-property dates."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*",
                                 rb"\g<1>2024-07-01T00:00:00Z", content)
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, content)
    return out.getvalue()


def write_xlsx(target: Path, rows_out):
    file = target.name
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "Controlling EMEA"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    formats = ["@", "@", "@", "#,##0", "0.0%", "#,##0.0", "#,##0.00", "0.00", "0.0000", "@",
               "0.000000000", "#,##0.0000", "#,##0.00", "#,##0.00"]
    for s_i, (name, lines) in enumerate(xlsx_sheets().items()):
        ws = wb.create_sheet(name)
        ws["A1"] = f"Idle GPU mining – {name} data center (confidential)"
        ws["A1"].font = Font(bold=True, size=14)
        ws["A2"] = "Company: Microsoft Azure"
        ws["A3"] = "Period: 2024-04-01 to 2024-06-30"
        header_row = 6
        for j, hdr in enumerate(XLSX_HEADERS, start=1):
            ws.cell(header_row, j, hdr).font = Font(bold=True)
        for i, ln in enumerate(lines):
            v = ln.v
            values = [ln.site, ln.period_label, ln.device, ln.count, float(v["util"]),
                      float(v["idle"]), float(v["power_p"]), float(v["pue"]),
                      float(v["price_p"]), ln.coin, float(v["hs_p"]), float(v["coins"]),
                      float(v["revenue_p"]), float(v["opex_p"])]
            for j, value in enumerate(values, start=1):
                cell = ws.cell(header_row + 1 + i, j, value)
                cell.number_format = formats[j - 1] if j > 3 and j != 10 else "General"
            rows_out.append(truth_row(file, s_i + 1, s_i, i, ln, "Microsoft Azure", "EUR",
                                      "xlsx"))
        for j, width in enumerate([18, 9, 11, 8, 11, 10, 11, 6, 20, 6, 15, 13, 14, 14],
                                  start=1):
            ws.column_dimensions[chr(64 + j)].width = width
        ws.cell(header_row + len(lines) + 3, 1, FOOTER)
    buf = io.BytesIO()
    wb.save(buf)
    target.write_bytes(deterministic_zip(buf.getvalue()))


# ---------------------------------------------------------------------------------------
# Document 6: German Excel CSV export, Q4 2024
CSV_HEADERS = ["Unternehmen", "Standort", "Zeitraum", "GPU-Typ", "Anzahl", "Auslastung",
               "Leerlaufstunden", "Leistung (kW)", "PUE", "Strompreis (ct/kWh)", "Coin",
               "Hashrate (MH/s)", "Coins", "Erlös (EUR)", "Betriebskosten (EUR)"]
CSV_SPEC = Spec(util_dec=3, idle_dec=1, price_scale=D("0.01"), price_dec=2,
                hs_scale=D("1e6"), hs_dec=2, coins_dec=4)


def csv_row(ln: Line) -> list[str]:
    """One line of the German CSV export (CSV_HEADERS' order, German number formats)."""
    v = ln.v
    return [ln.company, ln.site, ln.period_label, ln.device, fmt(D(ln.count), 0, "de"),
            f"{fmt(v['util'] * 100, 1, 'de')} %", fmt(v["idle"], 1, "de"), fmt(v["power_p"], 2, "de"),
            fmt(v["pue"], 2, "de"), fmt(v["price_p"], 2, "de"), ln.coin, fmt(v["hs_p"], 2, "de"),
            fmt(v["coins"], 4, "de"), fmt(v["revenue_p"], 2, "de"), fmt(v["opex_p"], 2, "de")]


def csv_lines() -> list[Line]:
    p = quarter_period(2024, 4)
    lab = "01.10.2024–31.12.2024"
    aws, msft = "Amazon Web Services", "Microsoft Azure"
    specs = [
        (aws, "Frankfurt (DE)", "A100 80GB", 4096, 0.585, "ETC", 1.18, 0.2150, "", ""),
        (aws, "Frankfurt (DE)", "H100 SXM", 2048, 0.712, "XMR", 1.18, 0.2150, "", ""),
        (aws, "Dublin (IE)", "A100 40GB", 3072, 0.547, "RVN", 1.21, 0.1980, "", ""),
        (aws, "Dublin (IE)", "H100 SXM", 4096, 0.689, "BTC", 1.21, 0.1980, "h100_btc_profit",
         "inflate_hs"),
        (aws, "Stockholm (SE)", "A100 80GB", 1536, 0.498, "KAS", 1.09, 0.0870, "", ""),
        (aws, "Mailand (IT)", "A100 80GB", 2048, 0.603, "ETH", 1.26, 0.2410, "eth_after_merge",
         ""),
        (msft, "Amsterdam (NL)", "H100 SXM", 3072, 0.744, "ETC", 1.17, 0.1890, "", ""),
        (msft, "Amsterdam (NL)", "A100 80GB", 2560, 0.566, "XMR", 1.17, 0.1890, "", ""),
        (msft, "Berlin (DE)", "A100 40GB", 1024, 0.512, "RVN", 1.23, 0.2280, "", ""),
        (msft, "Zürich (CH)", "H100 SXM", 1024, 0.777, "KAS", 1.14, 0.1760, "", ""),
    ]
    return [finalize(Line(site, p, lab, dev, n, u, coin, pue, price, planted=pl, tamper=tp,
                          company=co), CSV_SPEC, "EUR")
            for co, site, dev, n, u, coin, pue, price, pl, tp in specs]


def write_csv(target: Path, rows_out):
    file = target.name
    lines = csv_lines()
    t = totals(lines)
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    for i, ln in enumerate(lines):
        writer.writerow(csv_row(ln))
        rows_out.append(truth_row(file, 1, 0, i, ln, "", "EUR", "csv"))
    writer.writerow(["", "Summe", "", "", fmt(D(t["count"]), 0, "de"), "", "",
                     fmt(t["power_p"], 2, "de"), "", "", "", "", fmt(t["coins"], 4, "de"),
                     fmt(t["revenue_p"], 2, "de"), fmt(t["opex_p"], 2, "de")])
    rows_out.append(total_truth_row(
        file, 1, 0, len(lines), "Summe", "", "EUR", "csv", None, device_count=t["count"],
        power_kw=t["power_p"], claimed_coins_mined=t["coins"],
        claimed_revenue_native=t["revenue_p"], claimed_opex_native=t["opex_p"]))
    target.write_bytes(("\ufeff" + buf.getvalue()).encode("utf-8"))


# ---------------------------------------------------------------------------------------
# Document 7: image-only scan of a ruled English table (Dublin, Microsoft Azure, Q1 2024)
SCAN_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
SCAN_FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def scan_lines() -> list[Line]:
    spec = DOC3_SPEC
    specs = [
        ("Dublin DUB-07", 1, "A100 80GB", 4096, 0.612, "ETC", 1.16, 0.124),
        ("Dublin DUB-07", 2, "A100 80GB", 4096, 0.655, "ETC", 1.16, 0.121),
        ("Dublin DUB-07", 3, "A100 80GB", 4096, 0.634, "RVN", 1.16, 0.119),
        ("Dublin DUB-09", 1, "H100 SXM", 2048, 0.741, "KAS", 1.14, 0.124),
        ("Dublin DUB-09", 2, "H100 SXM", 2048, 0.768, "KAS", 1.14, 0.121),
        ("Dublin DUB-09", 3, "H100 SXM", 2048, 0.722, "ETC", 1.14, 0.119),
        ("Dublin DUB-11", 2, "A100 40GB", 1536, 0.583, "RVN", 1.19, 0.121),
        ("Dublin DUB-11", 3, "A100 40GB", 1536, 0.547, "ETC", 1.19, 0.119),
    ]
    return [finalize(Line(s, month_period(2024, m), f"2024-{m:02d}", dev, n, u, coin, pue, pr),
                     spec, "USD") for s, m, dev, n, u, coin, pue, pr in specs]


def scan_font(path: str, size: int):
    """DejaVu when installed (the bytes are then reproducible), else Pillow's own font."""
    try:
        return ImageFont.truetype(path, size)
    except OSError:
        return ImageFont.load_default(size=size)


def write_scan(target: Path, rows_out):
    file = target.name
    lines = scan_lines()
    body = [en_row3(ln) for ln in lines]
    dpi = 300
    width, height = int(11.69 * dpi), int(8.27 * dpi)
    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    margin = 150
    size = 40
    while True:
        font = scan_font(SCAN_FONT, size)
        bold = scan_font(SCAN_FONT_BOLD, size)
        widths = [max([draw.textlength(EN3_HEADERS[i], font=bold)]
                      + [draw.textlength(r[i], font=font) for r in body]) + 24
                  for i in range(len(EN3_HEADERS))]
        if sum(widths) <= width - 2 * margin or size <= 20:
            break
        size -= 1
    title_font = scan_font(SCAN_FONT_BOLD, 56)
    text_font = scan_font(SCAN_FONT, 40)
    draw.text((margin, 140), "Site report Dublin – idle GPU mining, Q1 2024 (confidential)",
              font=title_font, fill=20)
    draw.text((margin, 230), "Company: Microsoft Azure", font=text_font, fill=30)
    draw.text((margin, 285), "Period: 2024-01-01 – 2024-03-31", font=text_font, fill=30)
    xs = [margin]
    for w_ in widths:
        xs.append(xs[-1] + w_)
    row_h = int(size * 2.0)
    y0 = 400
    for r_i, cells in enumerate([EN3_HEADERS] + body):
        y = y0 + r_i * row_h
        f = bold if r_i == 0 else font
        for i, text in enumerate(cells):
            ty = y + (row_h - size) // 2 - 4
            if EN3_NUMERIC[i] and r_i > 0:
                draw.text((xs[i + 1] - 12 - draw.textlength(text, font=f), ty), text, font=f,
                          fill=25)
            else:
                draw.text((xs[i] + 12, ty), text, font=f, fill=25)
    n_rows = len(body) + 1
    for k in range(n_rows + 1):
        draw.line([(xs[0], y0 + k * row_h), (xs[-1], y0 + k * row_h)], fill=40, width=3)
    for x in xs:
        draw.line([(x, y0), (x, y0 + n_rows * row_h)], fill=40, width=3)
    draw.text((margin, height - 140), FOOTER, font=scan_font(SCAN_FONT, 30), fill=40)
    draw.text((width - margin - 250, height - 140), "Page 1 of 1",
              font=scan_font(SCAN_FONT, 30), fill=40)
    # light scanner dust: sparse dark specks and a slightly grey paper tone
    arr = np.asarray(img, dtype=np.int16) - 8
    rng = np.random.default_rng(7)
    specks = rng.random(arr.shape) < 0.0015
    arr[specks] -= rng.integers(60, 160, int(specks.sum()))
    arr = np.clip(arr, 0, 255).astype(np.uint8)
    fixed = FIXED_TIME.timetuple()
    Image.fromarray(arr, "L").save(target, "PDF", resolution=dpi, creationDate=fixed,
                                   modDate=fixed, title="Dublin scan")
    for i, ln in enumerate(lines):
        rows_out.append(truth_row(file, 1, 0, i, ln, "Microsoft Azure", "USD", "ocr"))


# ---------------------------------------------------------------------------------------
# Bad files and the document list
def write_bad_files(out: Path) -> None:
    write_doc1(str(out / "encrypted_leak.pdf"), None, encrypt=StandardEncryption(
        "leak-2024", ownerPassword="owner-2024", strength=128))
    full = io.BytesIO()
    write_doc1(full, None)
    data = full.getvalue()
    (out / "truncated_leak.pdf").write_bytes(data[: int(len(data) * 0.55)])
    (out / "not_a_pdf.pdf").write_text(
        "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n<body><h1>Not "
        "Found</h1><p>The requested leak was not found on this server.</p>\n<p>" + FOOTER
        + "</p></body></html>\n", encoding="utf-8")
    (out / "empty.pdf").write_bytes(b"")
    shutil.copyfile(out / "de_kostenrechnung_q1_2024.pdf",
                    out / "de_kostenrechnung_q1_2024_kopie.pdf")


def write_documents_csv(path: Path, doc3_pages: int, containers: list[tuple] = ()) -> None:
    rows = [
        ("de_kostenrechnung_q1_2024.pdf", "loaded", "", 1, ""),
        ("en_idle_mining_h2_2023.pdf", "loaded", "", 1, ""),
        ("multi_page_fleet_2023.pdf", "loaded", "", doc3_pages, ""),
        ("two_tables_footnotes.pdf", "loaded", "", 1, ""),
        ("cost_sheet_2024.xlsx", "loaded", "", "", ""),
        ("kostenblatt_export.csv", "loaded", "", "", ""),
        ("scan_standort_dublin.pdf", "loaded", "", 1, "needs ocr"),
        ("encrypted_leak.pdf", "quarantined", "encrypt", "", ""),
        ("truncated_leak.pdf", "quarantined", "truncat|damaged", "", ""),
        ("not_a_pdf.pdf", "quarantined", "not a pdf", "", ""),
        ("empty.pdf", "quarantined", "empty", "", ""),
        ("de_kostenrechnung_q1_2024_kopie.pdf", "duplicate", "", 1, ""),
        *containers,   # archive and e-mail, and each member by its path: scripts/make_leak_containers.py
    ]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["file", "expected_status", "reason_contains", "pages",
                     "reason_without_ocr"])
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def totals_span_their_lines(rows: list[dict]) -> None:
    """A totals row printed without a period covers its table's lines: first start to last end."""
    for total in rows:
        if total["is_total_row"] != "true" or total["period_start"]:
            continue
        lines = [r for r in rows if r["file"] == total["file"] and r["table_index"] == total["table_index"]
                 and r["is_total_row"] != "true" and r["period_start"]]
        if lines:
            total["period_start"] = min(r["period_start"] for r in lines)
            total["period_end"] = max(r["period_end"] for r in lines)


def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    TRUTH.mkdir(parents=True, exist_ok=True)
    rows: list[dict] = []
    write_doc1(str(OUT / "de_kostenrechnung_q1_2024.pdf"), rows)
    write_doc2(str(OUT / "en_idle_mining_h2_2023.pdf"), rows)
    doc3_pages = write_doc3(str(OUT / "multi_page_fleet_2023.pdf"), rows)
    write_doc4(str(OUT / "two_tables_footnotes.pdf"), rows)
    write_xlsx(OUT / "cost_sheet_2024.xlsx", rows)
    write_csv(OUT / "kostenblatt_export.csv", rows)
    write_scan(OUT / "scan_standort_dublin.pdf", rows)
    from make_leak_containers import write_containers   # the sample archive and e-mail (issue 19)

    container_docs = write_containers(OUT, rows)
    write_bad_files(OUT)
    totals_span_their_lines(rows)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=TRUTH_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (TRUTH / "cost_sheets_truth.csv").write_text(buf.getvalue(), encoding="utf-8")
    write_documents_csv(TRUTH / "cost_sheet_documents.csv", doc3_pages, container_docs)
    print(f"wrote {len(list(OUT.iterdir()))} files to {OUT} and {len(rows)} truth rows")


# ---------------------------------------------------------------------------------------
# Benchmark corpus: long PDFs of prose with a ruled cost table on one page in table_every
WORDS = ("the data center fleet capacity report quarter cooling power utilization cluster "
         "training inference workload schedule maintenance network storage budget review "
         "procurement contract region expansion efficiency emissions renewable supply chain "
         "latency availability customer demand forecast accelerator server rack").split()


def _prose(rng: random.Random, sentences: int) -> str:
    out = []
    for _ in range(sentences):
        words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
        out.append(" ".join(words).capitalize() + ".")
    return " ".join(out)


def _wrap(text: str, size: float, width: float) -> list[str]:
    lines, cur = [], ""
    for word in text.split():
        trial = f"{cur} {word}".strip()
        if stringWidth(trial, FONT, size) > width and cur:
            lines.append(cur)
            cur = word
        else:
            cur = trial
    return lines + ([cur] if cur else [])


def build_bench_corpus(out_dir: Path, pages: int = 200, table_every: int = 5,
                       seed: int = 0) -> list[Path]:
    """Write ~pages/20 PDFs of ~20 pages: prose pages, one page in table_every a cost table.

    The table page within each block of table_every pages is drawn at random (seeded), and
    the table alternates between the German (doc 1) and English (doc 3) layouts.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    table_pages = set()
    for block in range(0, pages, table_every):
        table_pages.add(block + rng.randrange(min(table_every, pages - block)))
    de_lines, en_lines = doc1_lines(), doc3_lines()
    n_docs = max(1, round(pages / 20))
    per_doc = [pages // n_docs + (1 if i < pages % n_docs else 0) for i in range(n_docs)]
    paths, page_no = [], 0
    for d_i, n_pages in enumerate(per_doc):
        path = out_dir / f"bench_report_{d_i:02d}.pdf"
        w, h = A4
        c = new_canvas(str(path), pagesize=A4, title=f"Bench report {d_i}")
        for p_i in range(1, n_pages + 1):
            if page_no in table_pages:
                lw, lh = landscape(A4)
                c.setPageSize((lw, lh))
                if rng.random() < 0.5:
                    rows = [de_row(ln) for ln in rng.sample(de_lines, 6)]
                    headers, numeric, cap = DE_HEADERS, DE_NUMERIC, "Tabelle: Kostenrechnung"
                else:
                    rows = [en_row3(ln) for ln in rng.sample(en_lines, 12)]
                    headers, numeric, cap = EN3_HEADERS, EN3_NUMERIC, "Table: Idle-time mining"
                c.setFont(BOLD, 12)
                y = lh - 50 - rng.randint(0, 120)
                c.drawString(30, y, cap)
                size = fit_size(headers, rows, lw - 60)
                draw_table(c, 30, y - 14, headers, rows, column_widths(headers, rows, size),
                           size, numeric)
                footer(c, lw, p_i, n_pages)
            else:
                c.setPageSize((w, h))
                y = h - 60
                c.setFont(BOLD, 14)
                c.drawString(50, y, f"{p_i}. " + _prose(rng, 1)[:60].rstrip("."))
                y -= 28
                while y > 90:
                    para = _wrap(_prose(rng, rng.randint(3, 6)), 10, w - 100)
                    if y - 13 * len(para) < 80:
                        break
                    c.setFont(FONT, 10)
                    for text in para:
                        c.drawString(50, y, text)
                        y -= 13
                    y -= 10
                footer(c, w, p_i, n_pages)
            c.showPage()
            page_no += 1
        c.save()
        paths.append(path)
    return paths


if __name__ == "__main__":
    main()
