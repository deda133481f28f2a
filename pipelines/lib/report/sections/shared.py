"""What every section shares: the sections in order with their titles, and coin names."""
from __future__ import annotations

from pipelines.lib.report import text as fmt
from pipelines.lib.report.model import U


COIN_NAMES = {"BTC": "Bitcoin", "ETH": "Ethereum", "ETC": "Ethereum Classic", "XMR": "Monero"}
CHANNEL_WORDS = {"hashrate": "the hashrate it would add", "flow": "the coins it would mine and hold",
                 "event": "announcements and leaks (event study)", "residual": "everything else (residual)"}
SECTIONS = [
    ("verdict", "Verdict"),
    ("leaks", "Leak verification"),
    ("fleet", "The idle AI fleet and its share of each network"),
    ("profitability", "Mining profitability: H100, A100 and ASICs"),
    ("attribution", "Rally attribution by channel"),
    ("chain", "Would the chain show it?"),
    ("sensitivity", "Sensitivity of the headline results"),
    ("assumptions", "Assumptions"),
    ("quality", "Data quality"),
]
SECTION_TITLES = dict(SECTIONS)


def coin_name(coin) -> str:
    return COIN_NAMES.get(coin, U(fmt.clip(coin, 40)))
