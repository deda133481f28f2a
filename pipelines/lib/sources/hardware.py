"""Device specs -> one row per device, algorithm and source: hashrate in H/s, power in W, and what kind of figure.

Layouts (pipelines/lib/sources/hardware_layouts.py): one row per device and algorithm (the contract: device,
device_class, algorithm, hashrate_hs, power_w, source; the hashrate column may carry a unit suffix,
hashrate_mhs, ..., or come with a `unit`/`hashrate_unit` column; a benchmark list adds coin, value_kind and
source_date), wide (one column per algorithm, `etchash_mhs`), and long (one row per metric: device,
form_factor, metric, value, unit, algorithm, source, notes). Each kept row says where its hashrate comes from
(`source`) and what kind of figure it is (`source_kind`: calculator_default, user_log, press, vendor_doc, spec,
derived, approximate, unspecified).
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pandas as pd

from pipelines.lib.common.csvfile import InputError, read_head
from pipelines.lib.common.missing import says_missing
from pipelines.lib.common.parsed import Parsed
from pipelines.lib.sources.hardware_layouts import (SOURCE_KINDS, exact_number, from_long, from_wide, layout,
                                                    leading_number, source_kind, unit_scale)
from pipelines.lib.sources.network import UNIT_SCALE
from pipelines.lib.sources.tabular import RowChecks, read_frame

__all__ = ["parse_hardware_file", "unit_scale", "DEVICE_CLASSES", "SOURCE_KINDS"]

DEVICE_CLASSES = {"datacenter_gpu", "consumer_gpu", "mining_gpu", "asic", "cpu"}
CLASS_SYNONYMS = {"datacenter gpu": "datacenter_gpu", "data center gpu": "datacenter_gpu", "gpu": "consumer_gpu",
                  "consumer gpu": "consumer_gpu", "asic miner": "asic", "mining gpu": "mining_gpu"}
ALGORITHM_SYNONYMS = {"sha256": "sha256d", "sha-256": "sha256d", "sha-256d": "sha256d", "sha256d": "sha256d",
                      "kawpow": "kawpow", "kheavyhash": "kheavyhash", "randomx": "randomx",
                      "etchash": "etchash", "ethash": "ethash", "ethash/etchash": "etchash",
                      "etchash/ethash": "etchash", "autolykos": "autolykos2", "autolykos2": "autolykos2"}
HEADER_HELP = ("unknown hardware header: expected one row per device and algorithm (device, device_class, "
               "algorithm, hashrate_hs or hashrate + unit, power_w, source), one column per algorithm (device, "
               "etchash_mhs, ...) or one row per metric (device, metric, value, unit, algorithm, source)")


def device_class(text) -> str:
    """'datacenter GPU' -> datacenter_gpu, 'kHeavyHash ASIC' -> asic, 'mining GPU (GA100)' -> mining_gpu."""
    t = re.sub(r"\s*\(.*?\)\s*", " ", str(text or "")).strip().lower().replace("_", " ")
    if re.search(r"\basic\b", t):
        return "asic"
    return CLASS_SYNONYMS.get(t, t.replace(" ", "_"))


def algorithm(text) -> str:
    """'Etchash (ETC)' -> etchash, 'KAWPOW' -> kawpow, 'SHA-256d (Bitcoin)' -> sha256d."""
    a = re.sub(r"\s*\(.*?\)\s*", "", str(text or "")).strip().lower()
    return ALGORITHM_SYNONYMS.get(a, a)


def parse_hardware_file(path: Path, today: dt.date) -> Parsed:
    try:
        frame = read_frame(path, read_head(path))
    except InputError as exc:
        return Parsed.failed(str(exc), "hardware.unreadable_file")
    shape = layout(frame.columns)
    if shape is None:
        return Parsed.failed(HEADER_HELP, "hardware.unreadable_file")
    rejected = []
    if shape == "long":
        long_checks = RowChecks(frame, "hardware_specs")
        rows, unused = from_long(frame)
        long_checks.reject(frame.index.isin(unused.index), "not_a_device_hashrate", lambda r: unused.loc[r.name, "_why"])
        rejected = long_checks.rejected
        frame = rows.assign(_malformed=rows["_malformed"].fillna("")).reset_index(drop=True)
        if frame.empty:
            return Parsed(rows=_empty(), rejected=rejected,
                          error=None if rejected else "the long hardware file has no hashrate metric rows")
    elif shape == "wide":
        frame = from_wide(frame).reset_index(drop=True)
    return _rows(frame, path, rejected)


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=["device", "device_class", "algorithm", "hashrate_hs", "power_w", "source",
                                 "source_kind", "source_date", "locator"])


def _rows(frame: pd.DataFrame, path: Path, rejected: list) -> Parsed:
    hashrate_col = next(c for c in frame.columns if re.fullmatch(r"hashrate(_[kmgtpe]?hs)?", c))
    unit_col = next((c for c in ("hashrate_unit", "unit") if c in frame.columns), None)
    if unit_col:
        scale = frame[unit_col].map(unit_scale)
    else:
        suffix = hashrate_col.removeprefix("hashrate").lstrip("_") or "hs"
        scale = pd.Series(UNIT_SCALE[suffix], index=frame.index)
    hashrate = frame[hashrate_col].map(exact_number).astype(float) * scale
    raw_power = frame["power_w"] if "power_w" in frame.columns else pd.Series("", index=frame.index)
    power = raw_power.map(lambda v: v if isinstance(v, float) else leading_number(v)).astype(float)
    classes = frame["device_class"].map(device_class) if "device_class" in frame.columns \
        else pd.Series("", index=frame.index)
    algos = frame["algorithm"].map(algorithm)
    source = (frame["source"].fillna("").astype(str).str.strip() if "source" in frame.columns
              else pd.Series("", index=frame.index))
    if "source_kind" in frame.columns:
        kind = frame["source_kind"].fillna("").astype(str).str.strip().str.lower()
        kind = kind.where(kind != "", "unspecified")
    else:
        notes = frame["value_kind"] if "value_kind" in frame.columns else pd.Series("", index=frame.index)
        kind = pd.Series([source_kind(n, s) for n, s in zip(notes, source)], index=frame.index)
    date = (frame["source_date"].fillna("").astype(str).str.strip() if "source_date" in frame.columns
            else pd.Series("", index=frame.index))

    checks = RowChecks(frame, "hardware_specs")
    checks.reject(frame["device"].fillna("").str.strip() == "", "missing_device", "no device name")
    checks.reject(algos == "", "missing_algorithm", "no algorithm")
    checks.reject(~classes.isin(DEVICE_CLASSES), "unknown_device_class",
                  lambda r: f"device class {r.get('device_class', '')!r} is not one of "
                            + ", ".join(sorted(DEVICE_CLASSES)))
    checks.reject(~kind.isin(SOURCE_KINDS), "unknown_source_kind",
                  lambda r: f"source kind {r.get('source_kind', '')!r} is not one of " + ", ".join(SOURCE_KINDS))
    checks.reject(scale.isna(), "unknown_unit", lambda r: f"unknown hashrate unit {r.get(unit_col, '')!r}")
    checks.reject(hashrate.isna() & ~says_missing(frame[hashrate_col]), "unparseable_number",
                  lambda r: f"hashrate {r[hashrate_col]!r} is not a number")
    checks.reject(power.isna() & ~says_missing(raw_power.astype(str)) & ~raw_power.map(lambda v: isinstance(v, float)),
                  "unparseable_number", lambda r: f"power {r['power_w']!r} does not start with a number of watts")
    checks.reject((hashrate <= 0) | (power <= 0), "non_positive_value", "hashrate or power is zero or negative")
    kept = checks.keep()
    rows = pd.DataFrame({
        "device": kept["device"].str.strip(), "device_class": classes.loc[kept.index],
        "algorithm": algos.loc[kept.index], "hashrate_hs": hashrate.loc[kept.index],
        "power_w": power.loc[kept.index], "source": source.loc[kept.index],
        "source_kind": kind.loc[kept.index], "source_date": date.loc[kept.index].replace("", None),
        "locator": "line " + kept["_line"].astype(int).astype(str),
    })
    rows["source"] = rows["source"].where(rows["source"] != "", f"file:{path.name}")
    dup = rows.duplicated(["device", "algorithm", "source"], keep=False)
    checks.reject(frame.index.isin(rows.index[dup]), "conflicting_duplicate",
                  "the same device, algorithm and source appear more than once")
    return Parsed(rows=rows[~dup].reset_index(drop=True), rejected=rejected + checks.rejected)
