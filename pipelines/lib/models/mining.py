"""Mining economics: the domain brief's formulas, and the daily profitability of every device per coin.

coins/day = miner H/s / network H/s x coins issued per day (block rewards + fees);
revenue = coins x price; power cost = W / 1000 x 24 x PUE x USD/kWh; margin = revenue - power cost;
W is power at the wall (`wall_power`): a datacenter GPU's published board power x the assumptions' server
overhead (host CPUs, NICs, fans, power-supply losses), the same basis as the fleet's power bill and the leak
checks' power band; an ASIC's, a CPU's or a consumer card's published power as it is;
hashprice = USD per TH/s per day, counting fees wherever the network data have the day's fees and the
subsidy alone (said in `hashprice_basis`) where they do not; Cambridge (CBECI) break-even efficiency in J/GH =
(network revenue USD/day / (network TH/s x 86400)) / (USD per kWh / 3.6e6) / 1000.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.lib.models.issuance import block_subsidy, nominal_rewards
from pipelines.lib.verification.devices import SAME_HASH_FUNCTION, same_device

SECONDS_PER_DAY = 86_400
J_PER_KWH = 3.6e6


def coins_per_day(miner_hs, network_hs, issued_coins_per_day):
    """A miner's expected coins per day: its share of the network's hashrate times the day's issuance."""
    return miner_hs / network_hs * issued_coins_per_day


def power_cost_usd_per_day(power_w, pue, usd_per_kwh):
    return power_w / 1000 * 24 * pue * usd_per_kwh


def hashprice_usd_per_th_day(issued_coins_per_day, close_usd, network_hs):
    """USD a miner earns per TH/s per day."""
    return issued_coins_per_day * close_usd / (network_hs / 1e12)


def breakeven_j_per_gh(issued_coins_per_day, close_usd, network_hs, usd_per_kwh):
    """Cambridge-style profitability threshold: a device whose J/GH is below it earns more than its power costs."""
    usd_per_th = hashprice_usd_per_th_day(issued_coins_per_day, close_usd, network_hs) / SECONDS_PER_DAY
    return usd_per_th / (usd_per_kwh / J_PER_KWH) / 1000


def j_per_gh(power_w, hashrate_hs):
    return power_w / (hashrate_hs / 1e9)


def chain_daily(network: pd.DataFrame, prices: pd.DataFrame, coins: pd.DataFrame,
                rewards: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per coin and day with network data: consensus, hashrate, coins issued (block rewards, else
    reward x blocks, else the consensus rule's nominal reward x blocks per day; plus fees where known), the
    coin's algorithm, close and market cap (NULL where unknown). `pow_day` = proof of work with a positive
    hashrate; `minable` = a pow_day whose issuance is known (revenue can be computed). `unknown_reason` says
    why a day that is not known to be outside proof of work cannot be priced (no consensus for the coin, no
    hashrate, no issuance); NULL where nothing is missing or the day is known not to be proof of work."""
    net = network.copy()
    net["date"] = pd.to_datetime(net["date"])
    numeric = ["hashrate_hs", "block_reward_coins", "blocks_per_day", "issuance_coins", "fees_coins"]
    net[numeric] = net[numeric].apply(pd.to_numeric, errors="coerce").astype(float)
    subsidy, net["issuance_basis"] = block_subsidy(net, nominal_rewards() if rewards is None else rewards)
    net["issued_coins"] = subsidy + net["fees_coins"].fillna(0.0)
    net["fees_known"] = net["fees_coins"].notna()
    net["hashprice_basis"] = hashprice_basis(net["fees_known"], subsidy.notna())
    px = prices.rename(columns={"asset": "coin"})[["coin", "date", "close_usd", "market_cap_usd"]].copy()
    px["date"] = pd.to_datetime(px["date"])
    px[["close_usd", "market_cap_usd"]] = px[["close_usd", "market_cap_usd"]].apply(
        pd.to_numeric, errors="coerce").astype(float)
    out = net[["coin", "date", "consensus", "hashrate_hs", "issued_coins", "fees_known", "issuance_basis",
               "hashprice_basis"]].merge(
        px, on=["coin", "date"], how="left")
    out["algorithm"] = out["coin"].map(coins.set_index("ticker")["algorithm"])
    out["pow_day"] = out["consensus"].eq("pow") & out["hashrate_hs"].gt(0)
    out["minable"] = out["pow_day"] & out["issued_coins"].notna()
    out["unknown_reason"] = unknown_reasons(out)
    return out.sort_values(["coin", "date"], ignore_index=True)


WITH_FEES = "block subsidy + fees"
SUBSIDY_ONLY = "block subsidy only (no fee data for this day)"


def hashprice_basis(fees_known: pd.Series, subsidy_known: pd.Series) -> pd.Series:
    """What a day's revenue and hashprice count: subsidy and fees where the network data have the day's fees,
    else the subsidy alone, said so (never a silent zero for fees); None where the subsidy itself is unknown."""
    basis = np.where(fees_known, WITH_FEES, SUBSIDY_ONLY)
    return pd.Series(basis, index=fees_known.index, dtype=object).where(subsidy_known.to_numpy(), None)


NO_CONSENSUS = "consensus unknown: the coin is not in core.consensus_periods on this day"
NO_NETWORK_ROW = "no network data for this day"
NO_HASHRATE = "no positive network hashrate on this proof-of-work day"
NO_ISSUANCE = "no issuance on this proof-of-work day (neither in the network data nor in block_rewards.csv)"


def unknown_reasons(chain: pd.DataFrame) -> pd.Series:
    """Why each chain day's share or issuance is unknown (None where both are known or the day is known not to
    be proof of work: nothing to mine is a known zero)."""
    no_consensus = chain["consensus"].isna()
    pow_ = chain["consensus"].eq("pow")
    reason = np.select([no_consensus, pow_ & ~chain["hashrate_hs"].gt(0), pow_ & chain["issued_coins"].isna()],
                       [NO_CONSENSUS, NO_HASHRATE, NO_ISSUANCE], default="")
    return pd.Series(reason, index=chain.index, dtype=object).replace("", None)


def devices(specs: pd.DataFrame, fleet_device: str, fleet_power_w: float,
            fleet_hashrates: dict[str, float]) -> pd.DataFrame:
    """Every device and algorithm the models price: the measured specs (`basis` 'benchmark'), Ethash figures
    standing for Etchash and back where a device has only one ('benchmark via ethash'), and the fleet's
    device on every other algorithm at the assumptions' central hashrate ('assumption')."""
    cols = ["device", "device_class", "algorithm", "hashrate_hs", "power_w", "basis", "source"]
    measured = specs.dropna(subset=["hashrate_hs"]).assign(basis="benchmark")
    measured = measured.sort_values("hashrate_hs", ascending=False).drop_duplicates(["device", "algorithm"])
    alt = measured.assign(algorithm=measured["algorithm"].map(SAME_HASH_FUNCTION),
                          basis="benchmark via " + measured["algorithm"]).dropna(subset=["algorithm"])
    out = pd.concat([measured, alt]).drop_duplicates(["device", "algorithm"])[cols]
    fleet_rows = out[is_device(out, fleet_device)]
    power = fleet_rows["power_w"].max() if fleet_rows["power_w"].notna().any() else fleet_power_w
    name = fleet_rows["device"].iloc[0] if len(fleet_rows) else fleet_device
    have = set(fleet_rows["algorithm"])
    added = [dict(device=name, device_class="datacenter_gpu", algorithm=algo, hashrate_hs=hs, power_w=power,
                  basis="assumption", source=f"model_assumptions.toml: hashrate_fleet_{algo} (central)")
             for algo, hs in sorted(fleet_hashrates.items()) if algo not in have]
    return pd.concat([out, pd.DataFrame(added, columns=cols)], ignore_index=True)


# Device classes whose published power is the accelerator board's alone: in a server, the wall sees more.
SERVER_BOARD_CLASSES = ("datacenter_gpu",)


def wall_power(devs: pd.DataFrame, server_overhead: float) -> tuple[pd.Series, pd.Series]:
    """(power at the wall in W, its basis) per device row of `devices`: a datacenter GPU's board power x
    `server_overhead` (its share of the server's host CPUs, NICs, fans and power-supply losses); any other
    class as published (an ASIC's figure is at the plug; a CPU's or a consumer card's has no server around it)."""
    board = devs["power_w"].astype(float)
    in_server = devs["device_class"].isin(SERVER_BOARD_CLASSES).to_numpy()
    wall = board.where(~in_server, board * server_overhead)
    other = np.where(devs["device_class"].eq("asic"), "wall: published power (an ASIC's figure is at the plug)",
                     "published power (no server around the device: no overhead added)")
    basis = np.where(in_server, f"wall: board power x server overhead {server_overhead:g} (model_assumptions.toml "
                                "server_overhead, central)", other)
    basis = pd.Series(basis, index=devs.index).where(board.notna(), "unknown: no published power")
    return wall, basis


def is_device(devs: pd.DataFrame, name: str) -> np.ndarray:
    """Which rows of a device table are `name` (by name tokens: 'H100 SXM5 80GB' is the 'NVIDIA H100 SXM')."""
    return np.array([same_device(d, name) for d in devs["device"]], dtype=bool)


def leak_prices(lines: pd.DataFrame) -> pd.DataFrame:
    """(coin, date, electricity_usd_per_kwh) for every day of every leaked line that states a price:
    what the leaks say the power cost where and when they claim to have mined."""
    cols = ["coin", "date", "electricity_usd_per_kwh"]
    usable = lines.dropna(subset=["coin", "period_start", "period_end", "electricity_usd_per_kwh"])
    usable = usable[usable["electricity_usd_per_kwh"] > 0]
    if usable.empty:
        return pd.DataFrame(columns=cols)
    start, end = pd.to_datetime(usable["period_start"]), pd.to_datetime(usable["period_end"])
    days = (end - start).dt.days.clip(lower=0) + 1
    rows = usable.loc[usable.index.repeat(days)]
    offsets = pd.to_timedelta(np.concatenate([np.arange(n) for n in days]), unit="D")
    out = pd.DataFrame({"coin": rows["coin"].to_numpy(), "date": start.loc[rows.index].to_numpy() + offsets,
                        "electricity_usd_per_kwh": rows["electricity_usd_per_kwh"].round(6).to_numpy()})
    return out.drop_duplicates(ignore_index=True)


def profitability_daily(chain: pd.DataFrame, devs: pd.DataFrame, leak: pd.DataFrame,
                        reference_usd_per_kwh, pue: float, server_overhead: float) -> pd.DataFrame:
    """Revenue, power cost and margin per day for every device on every proof-of-work coin with network data
    and a price, at each reference price and at the leaks' own prices on the days they cover. No row for a
    coin on days it is not minable (Ethereum after the Merge). Power is at the wall (`wall_power` with the
    given server overhead, the assumptions' central): `device_power_w`, with `device_board_power_w` the
    published figure and `power_basis` the sentence saying which."""
    wall, basis = wall_power(devs, server_overhead)
    devs = devs.rename(columns={"power_w": "board_power_w"}).assign(power_w=wall, power_basis=basis)
    days = chain[chain["minable"] & chain["close_usd"].notna()].rename(columns={"hashrate_hs": "network_hs"})
    grid = pd.DataFrame({"electricity_usd_per_kwh": list(reference_usd_per_kwh), "price_basis": "reference"})
    ref = days.merge(grid, how="cross")
    leak = leak.astype({"coin": object, "date": days["date"].dtype, "electricity_usd_per_kwh": float})
    own = days.merge(leak, on=["coin", "date"]).assign(price_basis="leak")
    out = _device_rows(pd.concat([ref, own], ignore_index=True), devs)
    out["pue"] = pue
    out["coins_per_day"] = coins_per_day(out["hashrate_hs"], out["network_hs"], out["issued_coins"])
    out["revenue_usd_per_day"] = out["coins_per_day"] * out["close_usd"]
    out["power_cost_usd_per_day"] = power_cost_usd_per_day(out["power_w"], pue, out["electricity_usd_per_kwh"])
    out["margin_usd_per_day"] = out["revenue_usd_per_day"] - out["power_cost_usd_per_day"]
    out["profitable"] = out["margin_usd_per_day"] > 0
    out["hashprice_usd_per_th_day"] = hashprice_usd_per_th_day(out["issued_coins"], out["close_usd"],
                                                               out["network_hs"])
    out["breakeven_j_per_gh"] = breakeven_j_per_gh(out["issued_coins"], out["close_usd"], out["network_hs"],
                                                   out["electricity_usd_per_kwh"])
    out["device_j_per_gh"] = j_per_gh(out["power_w"], out["hashrate_hs"])
    out["below_breakeven"] = out["device_j_per_gh"] < out["breakeven_j_per_gh"]
    out = out.rename(columns={"hashrate_hs": "device_hashrate_hs", "power_w": "device_power_w",
                              "board_power_w": "device_board_power_w", "network_hs": "network_hashrate_hs",
                              "basis": "hashrate_basis", "source": "device_source"})
    cols = ["date", "coin", "device", "electricity_usd_per_kwh", "price_basis", "revenue_usd_per_day",
            "power_cost_usd_per_day", "margin_usd_per_day", "profitable", "algorithm", "device_class",
            "device_hashrate_hs", "device_power_w", "device_board_power_w", "power_basis", "hashrate_basis", "pue",
            "coins_per_day", "close_usd",
            "network_hashrate_hs", "issued_coins", "fees_known", "issuance_basis", "hashprice_basis",
            "hashprice_usd_per_th_day", "breakeven_j_per_gh",
            "device_j_per_gh", "below_breakeven", "device_source"]
    return out[cols]


_ROW_KEY = ["coin", "device", "price_basis", "electricity_usd_per_kwh", "date"]   # one row each, in this order


def _device_rows(priced: pd.DataFrame, devs: pd.DataFrame) -> pd.DataFrame:
    """priced.merge(devs, on="algorithm").drop_duplicates(_ROW_KEY).sort_values(_ROW_KEY, ignore_index=True):
    the join, the first row of each key and the order are worked out on row numbers and the keys' codes, and
    each column is then gathered once (this mart is the stage's widest: every device x coin day x price, with
    long text columns)."""
    if not len(priced) or not len(devs) or (set(priced) & set(devs)) - {"algorithm"}:
        return priced.merge(devs, on="algorithm").drop_duplicates(_ROW_KEY).sort_values(_ROW_KEY, ignore_index=True)
    pairs = pd.DataFrame({"algorithm": priced["algorithm"], "_p": np.arange(len(priced))}).merge(
        pd.DataFrame({"algorithm": devs["algorithm"], "_d": np.arange(len(devs))}), on="algorithm")
    p, d = pairs["_p"].to_numpy(), pairs["_d"].to_numpy()
    codes = [_sort_codes(devs[k])[d] if k == "device" else _sort_codes(priced[k])[p] for k in _ROW_KEY]
    order = np.lexsort(codes[::-1])                 # stable: a key's first row in the join comes first
    repeat = np.ones(max(len(order) - 1, 0), dtype=bool)
    for code in codes:
        ordered = code[order]
        repeat &= ordered[1:] == ordered[:-1]
    keep = order[np.r_[True, ~repeat]] if len(order) else order
    return pd.concat([priced.take(p[keep]).reset_index(drop=True),
                      devs.drop(columns="algorithm").take(d[keep]).reset_index(drop=True)], axis=1)


def _sort_codes(values: pd.Series) -> np.ndarray:
    """Integer codes in sort_values' order of `values`, a missing value after every other (na_position='last')."""
    code, uniques = pd.factorize(values, sort=True)
    return np.where(code < 0, len(uniques), code)
