"""Expectations on the price tables: every file's daily bars, and the chosen bar per asset and day."""

from pipelines.defs.partitions import history_key
from pipelines.defs.validation import expectation_check
from pipelines.lib.validation import expectations as v

GENESIS = "2009-01-03"   # Bitcoin's genesis block: no crypto price exists before it


def _bar_expectations() -> list:
    return [
        v.not_null("asset", "date", "close_usd", "source", "document_id"),
        v.matches("asset", r"^[A-Z0-9]{2,10}$", "asset must be a ticker (BTC, ETH, ...)"),
        v.positive("close_usd", "open", "high", "low"),
        v.at_least("high", "low", "the day's high is below its low"),
        v.at_least("high", "close_usd", "the close is above the day's high"),
        v.at_least("close_usd", "low", "the close is below the day's low"),
        v.non_negative("volume_usd", "market_cap_usd"),
        v.not_future("date"),
        v.not_before("date", GENESIS, "the date is before Bitcoin's genesis block (2009-01-03)"),
        v.has_rows(),
    ]


PRICE_OBSERVATIONS = v.suite(
    "core.price_observations", ["document_id", "asset", "date"],
    *_bar_expectations(),
    v.in_set("quote_currency", ["USD", "USDT"]),
    v.between("bars", 1, None, "a daily bar aggregates at least one input row"),
    inputs_kind="prices",
)

PRICES_DAILY = v.suite(
    "core.prices_daily", ["asset", "date"],
    *_bar_expectations(),
    v.unique("asset", "date"),
    v.fresh("date", 3),
    inputs_kind="prices",
)

price_observations_expectations = expectation_check(PRICE_OBSERVATIONS)
prices_daily_expectations = expectation_check(PRICES_DAILY)
prices_daily_history_expectations = expectation_check(PRICES_DAILY, asset=history_key("prices_daily"))
