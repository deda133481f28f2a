"""What a file's name says about its content: the asset (coin) and the quote currency."""
from __future__ import annotations

import re
from pathlib import Path

USD_QUOTES = ("USDT", "USDC", "BUSD", "USD")
OTHER_QUOTES = ("EUR", "GBP", "JPY", "BTC", "ETH")


def asset_from_name(name: str) -> tuple[str | None, str | None]:
    """('BTC', 'USD') from 'BTC-USD.csv', 'BTCUSDT-1m-2024-03.csv', 'etc-usd-max.csv', 'btc.csv'."""
    tokens = [t for t in re.split(r"[-_. ]+", Path(name).stem.upper()) if t]
    if not tokens or not re.fullmatch(r"[A-Z][A-Z0-9]{1,9}", tokens[0]):
        return None, None
    first = tokens[0]
    for quote in USD_QUOTES + OTHER_QUOTES:
        if first.endswith(quote) and len(first) > len(quote) + 1:
            return first[: -len(quote)], quote
    if len(tokens) > 1 and tokens[1] in USD_QUOTES + OTHER_QUOTES:
        return first, tokens[1]
    return first, None


