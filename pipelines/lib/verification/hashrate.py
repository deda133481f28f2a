"""The `hashrate` claim: the per-device hashrate vs the best published figure for that device and algorithm."""
from __future__ import annotations

import pandas as pd

from pipelines.lib.common.missing import is_missing
from pipelines.lib.verification.devices import device_specs
from pipelines.lib.verification.lines import data_lines, per_device_hashrate
from pipelines.lib.verification.verdicts import algorithm_name, empty, fmt_hashrate, fmt_times, result, verdict_of


# A published hashrate is a benchmark, not a ceiling: tuned kernels and overclocking gain up to about
# a fifth. A claim above the best published figure x (1 + this) is more than tuning can explain.
HASHRATE_TOLERANCE = 0.25


def check_hashrate(lines: pd.DataFrame, specs: pd.DataFrame) -> pd.DataFrame:
    """Claimed hashrate per device vs the best published figure for that device and algorithm."""
    lines = data_lines(lines)
    lines = lines[lines["claimed_hashrate_hs"].notna() | lines["claimed_hashrate_per_device_hs"].notna()]
    if lines.empty:
        return empty()
    spec = device_specs(lines, specs)
    claimed = per_device_hashrate(lines)
    high = spec["known_hs"] * (1 + HASHRATE_TOLERANCE)
    bound = spec["fastest_hs"] * (1 + HASHRATE_TOLERANCE)
    known = spec["known_hs"].notna() & claimed.notna()
    above_any = spec["known_hs"].isna() & claimed.notna() & (claimed > bound)
    verdict = verdict_of(claimed, pd.Series(0.0, index=lines.index), high.where(known, bound.where(above_any)),
                       known | above_any)
    reasons, inputs = [], []
    for i in lines.index:
        row, s, c = lines.loc[i], spec.loc[i], claimed.loc[i]
        algo = algorithm_name(row["algorithm"])
        if is_missing(c):
            reasons.append("The sheet gives a hashrate for the whole line but no device count, so the "
                           "per-device figure cannot be compared.")
            inputs.append("device_count missing")
        elif is_missing(row["device"]) or is_missing(row["algorithm"]):
            what = "device" if is_missing(row["device"]) else "algorithm (or a coin that names one)"
            reasons.append(f"The sheet claims {fmt_hashrate(c)} per device but names no {what}, so there "
                           "is no published figure to compare it with.")
            inputs.append(f"{'device' if is_missing(row['device']) else 'algorithm'} missing")
        elif known.loc[i]:
            via = (f" (its {algorithm_name(s['known_via'])} figure: the same hash function)"
                   if isinstance(s["known_via"], str) else "")
            base = (f"The sheet claims {fmt_hashrate(c)} per {row['device']} on {algo}; the best published "
                    f"figure is about {fmt_hashrate(s['known_hs'])}{via}")
            if verdict.loc[i] == "implausible":
                reasons.append(f"{base}, so the claim is {fmt_times(c / s['known_hs'])}.")
            else:
                reasons.append(f"{base}, and the claim is within {HASHRATE_TOLERANCE:.0%} of it or below.")
            algo_used = s["known_via"] if isinstance(s["known_via"], str) else row["algorithm"]
            inputs.append(f"hardware_specs: {s['known_device']} {algo_used} "
                          f"{fmt_hashrate(s['known_hs'])} ({s['known_source']})")
        else:
            published = s["published_algorithms"]
            have = (f"the only published figures for {row['device']} are for "
                    f"{', '.join(algorithm_name(a) for a in published)}, none for {algo}"
                    if isinstance(published, list) else f"no published figure exists for {row['device']}")
            if above_any.loc[i]:
                reasons.append(f"The sheet claims {fmt_hashrate(c)} per {row['device']} on {algo}; {have}, but "
                               f"the fastest machine of any kind on {algo}, the {s['fastest_device']}, does "
                               f"about {fmt_hashrate(s['fastest_hs'])}, so the claim is "
                               f"{fmt_times(c / s['fastest_hs'])} even for that.")
                inputs.append(f"hardware_specs: fastest {row['algorithm']} device {s['fastest_device']} "
                              f"{fmt_hashrate(s['fastest_hs'])}")
            else:
                reasons.append(f"The sheet claims {fmt_hashrate(c)} per {row['device']} on {algo}; {have}, so "
                               "the claim cannot be checked.")
                inputs.append(f"hardware_specs: no {row['algorithm']} figure for {row['device']}")
    return result(lines, "hashrate", claimed, 0.0, high.where(known, bound.where(above_any)), verdict, reasons,
                   "H/s per device", inputs)
