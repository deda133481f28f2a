"""Which published device a cost-sheet device name is, and what is published for it.

Device names are matched on their model numbers (H100 is not A100) with the other words not
contradicting (SXM vs PCIe); a hash function's figure holds for its twin (Ethash for Etchash). Used by
the claim checks and by the models (pipelines.lib.models.mining): it imports no claim check.
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd


# Etchash is Ethash with a longer DAG epoch (ECIP-1099): the same hash function, so a device's Ethash
# figure is its Etchash figure (2CryptoCalc lists an RTX 3090 at ~120 MH/s on both).
SAME_HASH_FUNCTION = {"etchash": "ethash", "ethash": "etchash"}


# Device names
_VENDORS = {"nvidia", "amd", "intel", "bitmain", "geforce", "tesla", "radeon", "instinct", "quadro",
            "antminer", "gpu", "asic", "miner"}
_MEMORY = re.compile(r"^\d+(gb|g|gib)$")
_FORM_FACTOR = re.compile(r"^(sxm|pcie|nvl|hgx|dgx|oam)\d*$")


@lru_cache(maxsize=4096)
def device_tokens(name: str) -> tuple[frozenset, frozenset]:
    """(model tokens, variant tokens) of a device name, without vendor and memory size.

    "NVIDIA H100 SXM5 80GB" -> ({'h100'}, {'sxm'}); "Antminer S19 Pro" -> ({'s19'}, {'pro'})."""
    text = re.sub(r"(\d+)\s*(gb|gib)\b", r"\1gb", str(name).lower())
    tokens = [t for t in re.split(r"[^a-z0-9]+", text) if t and t not in _VENDORS and not _MEMORY.match(t)]
    model = frozenset(t for t in tokens if re.search(r"\d", t) and not _FORM_FACTOR.match(t))
    variant = frozenset(re.sub(r"\d+$", "", t) if _FORM_FACTOR.match(t) else t
                        for t in tokens if t not in model)
    return model, variant


def same_device(leak_name, spec_name) -> bool:
    """Whether a device named on a sheet is the device of a spec row.

    The model numbers must be equal (H100 is not A100, RTX 4090 is not 3090); the other words
    (SXM, PCIe, Pro, Ti) must not contradict: one side's may be missing, as a sheet often writes
    just "H100" or "A100 80GB" for "NVIDIA H100 SXM" / "NVIDIA A100". Memory size and vendor are
    ignored. Form factors contradict each other (SXM vs PCIe: different power and clocks)."""
    if not isinstance(leak_name, str) or not isinstance(spec_name, str):
        return False
    leak_model, leak_variant = device_tokens(leak_name)
    spec_model, spec_variant = device_tokens(spec_name)
    if not leak_model or leak_model != spec_model:
        return False
    return leak_variant <= spec_variant or spec_variant <= leak_variant


def device_specs(lines: pd.DataFrame, specs: pd.DataFrame) -> pd.DataFrame:
    """Per line: the best published hashrate for its device on its algorithm (Ethash stands for
    Etchash), its source, the device's board power, and what is published for the device at all;
    plus the fastest machine of any kind on that algorithm."""
    devices = lines["device"].dropna().unique()
    spec_names = specs["device"].unique()
    pairs = pd.DataFrame([(d, s) for d in devices for s in spec_names if same_device(d, s)],
                         columns=["device", "spec_device"])
    matched = pairs.merge(specs.rename(columns={"device": "spec_device"}), on="spec_device")
    out = pd.DataFrame(index=lines.index)
    keyed = lines[["device", "algorithm"]].copy()
    keyed["algorithm_alt"] = keyed["algorithm"].map(SAME_HASH_FUNCTION)

    def best(frame: pd.DataFrame, on: list[str], names: dict) -> pd.DataFrame:
        frame = frame.sort_values(["hashrate_hs", "spec_device", "source"], ascending=[False, True, True])
        top = frame.dropna(subset=["hashrate_hs"]).drop_duplicates(on)
        return top[on + list(names)].rename(columns=names)

    exact = best(matched, ["device", "algorithm"], {"hashrate_hs": "known_hs", "spec_device": "known_device",
                                                     "source": "known_source"})
    alt = best(matched.rename(columns={"algorithm": "algorithm_alt"}), ["device", "algorithm_alt"],
               {"hashrate_hs": "alt_hs", "spec_device": "alt_device", "source": "alt_source"})
    joined = keyed.reset_index().merge(exact, on=["device", "algorithm"], how="left")
    joined = joined.merge(alt, on=["device", "algorithm_alt"],
                          how="left").set_index("index")
    use_alt = joined["known_hs"].isna() & joined["alt_hs"].notna()
    out["known_hs"] = joined["known_hs"].where(~use_alt, joined["alt_hs"])
    out["known_device"] = joined["known_device"].where(~use_alt, joined["alt_device"])
    out["known_source"] = joined["known_source"].where(~use_alt, joined["alt_source"])
    out["known_via"] = np.where(use_alt, joined["algorithm_alt"], None)
    power = matched.groupby("device")["power_w"].max()
    out["board_power_w"] = lines["device"].map(power)
    published = matched.groupby("device")["algorithm"].agg(lambda a: sorted(set(a)))
    out["published_algorithms"] = lines["device"].map(published)
    fastest = specs.dropna(subset=["hashrate_hs"]).sort_values(["hashrate_hs", "device"], ascending=[False, True])
    fastest = fastest.drop_duplicates("algorithm").set_index("algorithm")
    out["fastest_hs"] = lines["algorithm"].map(fastest["hashrate_hs"])
    out["fastest_device"] = lines["algorithm"].map(fastest["device"])
    return out
