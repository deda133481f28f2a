"""A raw folder of real public data: the files of ../shared/data the real-data tests and benchmarks use,
copied under the raw folder's layout (prices/, network/, fx/, flows/, events/, capex/, hardware/).

    python scripts/real_raw.py DEST [--shared PATH]

The shared folder is LEAKPIPE_SHARED_DATA, else ../shared/data beside the project. Each file keeps its
SOURCES.md where it came from; nothing is copied into the project itself.
"""
from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("LEAKPIPE_SHARED_DATA", PROJECT_ROOT.parent / "shared" / "data"))
BUNDLED_RAW = PROJECT_ROOT / "raw"

FILES = {
    "prices/BTC-USD.csv": "yahoo_prices_budydeveloper/BTC-USD_1d.csv",
    "prices/ETH-USD.csv": "yahoo_prices_budydeveloper/ETH-USD_1d.csv",
    "prices/BTCUSDT_1d.csv": "yahoo_prices_budydeveloper/BTCUSDT_1d.csv",
    "prices/btc_2018-01-01_2020-07-27.csv": "coinmetrics_sciecon_partial/btc_2018-01-01_2020-07-27.csv",
    "network/eth_network_hashrate_etherscan_ghs.csv": "eth_emissions_mcdonald/eth_network_hashrate_etherscan_ghs.csv",
    "network/btc_network_daily.csv": "bitcoinvisuals_cbeci_krisp140/btc_network_daily.csv",
    "network/etc_2018-01-01_2020-07-27.csv": "coinmetrics_sciecon_partial/etc_2018-01-01_2020-07-27.csv",
    "fx/ecb_eurusd_daily.csv": "ecb_eurofxref/ecb_eurusd_daily.csv",
    "flows/btc_spot_etf_flows_usd_m.csv": "farside_btc_etf_flows/btc_spot_etf_flows_usd_m.csv",
    "events/key_events.csv": "hardware_specs_compiled/key_events.csv",
    "prices/ETC-USD.csv": "yahoo_prices_budydeveloper/ETC-USD_1d.csv",
    "prices/XMR-USD.csv": "yahoo_prices_budydeveloper/XMR-USD_1d.csv",
    # 2021Q1-2024Q4 for all four companies, Meta 2022 included; it supersedes the 2022-2024 file (whose Meta
    # quarters are another measure, capex incl. finance-lease principal).
    "capex/hyperscaler_capex_quarterly_2021_2024.csv": "hyperscaler_capex/hyperscaler_capex_quarterly_2021_2024.csv",
    "capex/ai_datacenter_announcements_2023_2024.csv": "hyperscaler_capex/ai_datacenter_announcements_2023_2024.csv",
    # Chain statistics of the GPU coins after 2020 and Bitcoin's daily fees (Coin Metrics community, blockchain.com).
    "network/etc_daily_coinmetrics_2022_2025.csv": "coinmetrics_community_2022_2025/etc_daily_coinmetrics_2022_2025.csv",
    "network/xmr_daily_coinmetrics_2022_2025.csv": "coinmetrics_community_2022_2025/xmr_daily_coinmetrics_2022_2025.csv",
    "network/btc_fees_daily_2022_2025.csv": "btc_fees_daily/btc_fees_daily_2022_2025.csv",
    # Hardware: the compiled facts, one row per metric, and the per-device benchmarks with their sources and kinds.
    "hardware/hardware_specs_long.csv": "hardware_specs_compiled/hardware_specs.csv",
    "hardware/gpu_hashrate_benchmarks.csv": "gpu_mining_benchmarks/gpu_hashrate_benchmarks.csv",
}
# The project's own list beside them: it names the fleet device as the models do (NVIDIA H100 SXM) and carries
# powers the shared files lack (consumer cards, ASICs, a CPU), each with its source.
PROJECT_FILES = {
    "hardware/hardware_specs.csv": BUNDLED_RAW / "hardware" / "hardware_specs.csv",
}


def build(dest: Path, shared: Path = SHARED_DATA) -> Path:
    """Copy the real files (and the project's hardware list) into `dest`; returns `dest`."""
    sources = {target: shared / source for target, source in FILES.items()} | PROJECT_FILES
    for target, source in sources.items():
        (dest / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest / target)
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--shared", type=Path, default=SHARED_DATA)
    args = parser.parse_args()
    print(f"{build(args.dest, args.shared)}: {len(FILES) + len(PROJECT_FILES)} files")


if __name__ == "__main__":
    main()
