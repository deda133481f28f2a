"""The layouts a hardware file comes in, each turned into rows of one shape (one per device, algorithm, source).

- rows: one row per device and algorithm (the contract: device, device_class, algorithm, hashrate[_<unit>] or
  hashrate + unit, power_w, source; a benchmark list adds coin, value_kind, source_date);
- wide: one row per device, one column per algorithm (`etchash_mhs`, `randomx_hashrate_khs`, ...);
- long: one row per metric (device, form_factor, metric, value, unit, algorithm, source, notes): hashrate
  metrics become rows, power, TDP and efficiency rows give those rows their power.

Every row carries where its figure comes from (`source`) and what kind of figure it is (`source_kind`, one of
SOURCE_KINDS): an explicit column wins, else the value_kind text, else the source and notes text.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from pipelines.lib.sources.network import UNIT_SCALE

# What kind of figure a hashrate is (a small fixed set; see docs/schema.md core.hardware_specs.source_kind).
SOURCE_KINDS = ("calculator_default", "user_log", "press", "vendor_doc", "spec", "derived", "approximate",
                "unspecified")
# Which words say which kind; when several match, the one named first in the text wins ("127 MH/s, 2CryptoCalc
# ...; 450 W APPROXIMATE" is a calculator default whose power is approximate).
_KIND_WORDS = {
    "calculator_default": r"calculator|2cryptocalc|2miners|coincalculators|whattomine|minerstat|"
                          r"nicehash(?! excavator)",
    "user_log": r"user[- ]reported|measurement|mining log|maintainer statement|nvidia-smi",
    "press": r"\bpress\b|\bnews\b|headline",
    "vendor_doc": r"\bexample\b|readme|documentation",
    "spec": r"\bspecs?\b|specification|datasheet|product brief|cbeci|watt ?list",
    "derived": r"\bderived\b|extrapolat",
    "approximate": r"approximate|\bestimate",
}
WIDE_COLUMN = re.compile(r"(?P<algo>sha256d?|ethash|etchash|kawpow|kheavyhash|randomx|autolykos2?|scrypt|equihash)"
                         r"_(?:hashrate_)?(?P<unit>[kmgtpe]?hs)")
LONG_COLUMNS = {"device", "metric", "value"}
_NUMBER = re.compile(r"~?\s*(\d+(?:\.\d+)?(?:e[+-]?\d+)?)", re.I)
_HASH_AT_POWER = re.compile(r"~?\s*(\d+(?:\.\d+)?)\s*([kmgtpe]?h/s)\s*@\s*(\d+(?:\.\d+)?)\s*w\b", re.I)
_VARIANT = re.compile(r"(sxm\d*|pcie|nvl)\b", re.I)


def unit_scale(text) -> float | None:
    """H/s per one of `text` ('MH/s', 'kH/s', 'TH', 'mhs'); None when it is not a hashrate unit."""
    key = re.sub(r"[^a-z]", "", str(text).lower()).removesuffix("ps")
    key = key if key.endswith("hs") else key + "s" if key.endswith("h") else key
    return UNIT_SCALE.get(key)


def source_kind(*texts) -> str:
    """The kind of figure (SOURCE_KINDS) the first text that names one says; 'unspecified' if none does."""
    for text in texts:
        text = "" if text is None or (isinstance(text, float) and np.isnan(text)) else str(text).lower()
        found = [(m.start(), kind) for kind, words in _KIND_WORDS.items() if (m := re.search(words, text))]
        if found:
            return min(found)[1]
    return "unspecified"


def leading_number(text) -> float:
    """The number a cell starts with ('~328 (nvidia-smi ...)' -> 328, '250 (TDP)' -> 250); NaN if none."""
    m = _NUMBER.match(str(text or "").strip())
    return float(m.group(1)) if m else np.nan


def exact_number(text) -> float:
    """A cell that is one number, optionally '~' approximate ('~8' -> 8); NaN otherwise ('350-400')."""
    m = _NUMBER.fullmatch(str(text or "").strip().replace(",", ""))
    return float(m.group(1)) if m else np.nan


def layout(columns) -> str | None:
    """'long', 'wide' or 'rows' for a normalised header; None when it is no hardware file."""
    cols = set(columns)
    if LONG_COLUMNS <= cols:
        return "long"
    if "device" in cols and any(WIDE_COLUMN.fullmatch(c) for c in cols):
        return "wide"
    if {"device", "algorithm"} <= cols and any(re.fullmatch(r"hashrate(_[kmgtpe]?hs)?", c) for c in cols):
        return "rows"
    return None


def from_wide(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per device and algorithm column with a value: hashrate (the cell) and unit (the column's)."""
    algo_cols = [c for c in frame.columns if WIDE_COLUMN.fullmatch(c)]
    keep = [c for c in frame.columns if c not in algo_cols]
    out = frame.melt(id_vars=keep, value_vars=algo_cols, var_name="_column", value_name="hashrate")
    out = out[out["hashrate"].fillna("").astype(str).str.strip() != ""]
    parts = out["_column"].str.extract(WIDE_COLUMN)
    out = out.assign(algorithm=parts["algo"], unit=parts["unit"])
    return out.drop(columns="_column").sort_values("_line", kind="stable")


def device_name(device: str, form_factor: str) -> str:
    """The device with its form factor's variant word (H100 + 'SXM5 80GB' -> 'H100 SXM5'): SXM and PCIe
    parts differ in power and clocks; memory sizes and 'air' cooling are left out."""
    m = _VARIANT.match(str(form_factor or "").strip())
    variant = m.group(1).upper().replace("PCIE", "PCIe") if m else ""
    return f"{device.strip()} {variant}".strip() if variant and variant.lower() not in device.lower() else device.strip()


def _variant_key(form_factor) -> str:
    m = _VARIANT.match(str(form_factor or "").strip())
    return m.group(1).lower() if m else ""


def from_long(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rows, unused): one row per hashrate metric (columns device, device_class, algorithm, hashrate, unit,
    power_w, source, source_kind, _line), its power from the same row ('140 TH/s @ 3010 W'), else the device's
    efficiency (J/TH x TH/s), else the one TDP/power row of the same device and form factor; and the metric rows
    no hashrate used (with `_why`)."""
    f = frame.copy()
    for col in ("form_factor", "unit", "algorithm", "source", "notes", "device_class", "source_url_or_path"):
        if col not in f.columns:
            f[col] = ""
    f["metric"] = f["metric"].fillna("").str.strip().str.lower()
    f["_variant"] = f["form_factor"].map(_variant_key)
    f["_device"] = [device_name(d, ff) for d, ff in zip(f["device"].fillna(""), f["form_factor"])]
    combo = f["value"].fillna("").str.extract(_HASH_AT_POWER)
    is_combo = combo[0].notna()
    is_hash = f["metric"].str.fullmatch(r"(?:[a-z0-9]+_)*hashrate") | is_combo
    is_eff = f["metric"].str.fullmatch(r"(?:[a-z0-9]+_)*efficiency") & f["unit"].str.match(r"(?i)\s*j/")
    is_power = f["metric"].str.fullmatch(r"(?:max_)?power(?:_[a-z]+)*|tdp|board_power") \
        & f["unit"].str.fullmatch(r"(?i)\s*w\s*")
    used = pd.Series(False, index=f.index)
    rows = []
    for idx in f.index[is_hash]:
        r = f.loc[idx]
        if is_combo[idx]:
            hashrate, unit, power = combo.loc[idx, 0], combo.loc[idx, 1], float(combo.loc[idx, 2])
        else:
            hashrate, unit, power = r["value"], r["unit"], np.nan
        same = (f["device"] == r["device"]) & ((f["_variant"] == r["_variant"]) | (f["_variant"] == "")
                                             | (r["_variant"] == ""))
        if np.isnan(power):
            eff = f[same & is_eff]
            scale_h, value = unit_scale(unit), exact_number(hashrate)
            if len(eff) == 1 and scale_h and not np.isnan(value):
                per = unit_scale(eff["unit"].iloc[0].split("/", 1)[1])
                power = exact_number(eff["value"].iloc[0]) * value * scale_h / per if per else np.nan
                used[eff.index] = not np.isnan(power)
        if np.isnan(power):
            tdp = f[same & is_power]
            watts = {exact_number(v) for v in tdp["value"]} - {np.nan}
            if len(watts) == 1 and not any(np.isnan(w) for w in watts):
                power = watts.pop()
                used[tdp.index] = True
        used[idx] = True
        rows.append({"device": r["_device"], "device_class": r["device_class"], "algorithm": r["algorithm"],
                     "hashrate": hashrate, "unit": unit, "power_w": power,
                     "source": "; ".join(s for s in (r["source"], r["source_url_or_path"]) if str(s or "").strip()),
                     "source_kind": source_kind(r["source"], r["notes"]), "_line": r["_line"],
                     "_malformed": r.get("_malformed", "")})
    unused = f[~used].copy()
    unused["_why"] = np.where(
        is_power[~used] | is_eff[~used],
        "a power or efficiency row with no hashrate row of the same device and form factor to apply to",
        "metric " + unused["metric"].map(repr) + " is not a mining hashrate, power or efficiency "
        "(hashrate metrics are named *_hashrate; hashcat rates are not mining hashrates)")
    cols = ["device", "device_class", "algorithm", "hashrate", "unit", "power_w", "source", "source_kind", "_line",
            "_malformed"]
    return pd.DataFrame(rows, columns=cols), unused
