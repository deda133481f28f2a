"""Device specs -> one row per device and algorithm: hashrate in H/s, power in W.

Shapes: the contract's own (device, device_class, algorithm, hashrate_hs, power_w, source), with
the hashrate column allowed any unit suffix (hashrate_mhs, hashrate_ths, ...) or a separate
`unit`/`hashrate_unit` column (MH/s, TH/s, kH/s, ...).
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pandas as pd

from pipelines.lib.common.csvfile import InputError, read_head
from pipelines.lib.common.missing import says_missing
from pipelines.lib.sources.network import UNIT_SCALE
from pipelines.lib.common.parsed import Parsed
from pipelines.lib.sources.tabular import RowChecks, parse_numbers, read_frame

DEVICE_CLASSES = {"datacenter_gpu", "consumer_gpu", "asic", "cpu"}
CLASS_SYNONYMS = {"datacenter gpu": "datacenter_gpu", "data center gpu": "datacenter_gpu", "gpu": "consumer_gpu",
                  "consumer gpu": "consumer_gpu", "asic miner": "asic"}
ALGORITHM_SYNONYMS = {"sha256": "sha256d", "sha-256": "sha256d", "sha-256d": "sha256d", "sha256d": "sha256d",
                      "kawpow": "kawpow", "kheavyhash": "kheavyhash", "randomx": "randomx",
                      "etchash": "etchash", "ethash": "ethash"}


def unit_scale(text: str) -> float | None:
    key = re.sub(r"[^a-z]", "", str(text).lower()).removesuffix("ps")
    key = key if key.endswith("hs") else key + "s" if key.endswith("h") else key
    return UNIT_SCALE.get(key)


def parse_hardware_file(path: Path, today: dt.date) -> Parsed:
    try:
        frame = read_frame(path, read_head(path))
    except InputError as exc:
        return Parsed.failed(str(exc), "hardware.unreadable_file")
    hashrate_col = next((c for c in frame.columns if re.fullmatch(r"hashrate(_[kmgtpe]?hs)?", c)), None)
    if not {"device", "algorithm"} <= set(frame.columns) or hashrate_col is None:
        return Parsed.failed("unknown hardware header: expected device, device_class, algorithm, hashrate_hs, "
                             "power_w, source", "hardware.unreadable_file")
    unit_col = next((c for c in ("hashrate_unit", "unit") if c in frame.columns), None)
    if unit_col:
        scale = frame[unit_col].map(unit_scale)
    else:
        suffix = hashrate_col.removeprefix("hashrate").lstrip("_") or "hs"
        scale = pd.Series(UNIT_SCALE[suffix], index=frame.index)
    hashrate = parse_numbers(frame[hashrate_col]) * scale
    power = parse_numbers(frame["power_w"]) if "power_w" in frame.columns else pd.Series(np.nan, index=frame.index)
    device_class = (frame["device_class"].str.strip().str.lower().replace(CLASS_SYNONYMS)
                    if "device_class" in frame.columns else pd.Series("", index=frame.index))
    algorithm = frame["algorithm"].str.strip().str.lower().map(lambda a: ALGORITHM_SYNONYMS.get(a, a))

    checks = RowChecks(frame, "hardware_specs")
    checks.reject(frame["device"].str.strip() == "", "missing_device", "no device name")
    checks.reject(algorithm == "", "missing_algorithm", "no algorithm")
    checks.reject(~device_class.isin(DEVICE_CLASSES), "unknown_device_class",
                  lambda r: f"device class {r.get('device_class', '')!r} is not one of "
                            + ", ".join(sorted(DEVICE_CLASSES)))
    checks.reject(scale.isna(), "unknown_unit", lambda r: f"unknown hashrate unit {r.get(unit_col, '')!r}")
    checks.reject(hashrate.isna() & ~says_missing(frame[hashrate_col]), "unparseable_number",
                  lambda r: f"hashrate {r[hashrate_col]!r} is not a number")
    checks.reject((hashrate <= 0) | (power <= 0), "non_positive_value", "hashrate or power is zero or negative")
    kept = checks.keep()
    rows = pd.DataFrame({
        "device": kept["device"].str.strip(), "device_class": device_class.loc[kept.index],
        "algorithm": algorithm.loc[kept.index], "hashrate_hs": hashrate.loc[kept.index],
        "power_w": power.loc[kept.index],
        "source": kept["source"].str.strip() if "source" in kept.columns else f"file:{path.name}",
        "locator": "line " + kept["_line"].astype(str),
    })
    rows["source"] = rows["source"].where(rows["source"] != "", f"file:{path.name}")
    dup = rows.duplicated(["device", "algorithm", "source"], keep=False)
    checks.reject(frame.index.isin(rows.index[dup]), "conflicting_duplicate",
                  "the same device, algorithm and source appear more than once")
    return Parsed(rows=rows[~dup].reset_index(drop=True), rejected=checks.rejected)
