"""Expectations on chain statistics, consensus periods and the daily network table."""

from pipelines.defs.partitions import history_key
from pipelines.defs.validation import expectation_check
from pipelines.lib.validation import expectations as v

VALUES = ("hashrate_hs", "difficulty", "block_reward_coins", "blocks_per_day", "issuance_coins", "fees_coins")
GENESIS = "2009-01-03"


def _network_expectations() -> list:
    return [
        v.not_null("coin", "date"),
        v.matches("coin", r"^[A-Z0-9]{2,10}$", "coin must be a ticker (BTC, ETC, ...)"),
        v.non_negative(*VALUES),
        # Kaspa makes 10 blocks a second (864,000 a day); more than ten times that is a unit slip.
        v.between("blocks_per_day", 0, 10_000_000, "more than 10 million blocks a day is not a chain",
                  label="bound"),
        v.not_future("date"),
        v.not_before("date", GENESIS, "the date is before Bitcoin's genesis block (2009-01-03)"),
        v.has_rows(),
    ]


NETWORK_OBSERVATIONS = v.suite(
    "core.network_observations", ["document_id", "coin", "date"],
    *_network_expectations(),
    v.not_null("source", "document_id"),
    inputs_kind="network",
)

NETWORK_DAILY = v.suite(
    "core.network_daily", ["coin", "date"],
    *_network_expectations(),
    v.unique("coin", "date"),
    v.in_set("consensus", ["pow", "pos"]),
    v.fresh("date", 3),
    inputs_kind="network",
)

CONSENSUS_PERIODS = v.suite(
    "core.consensus_periods", ["coin", "valid_from"],
    v.not_null("coin", "valid_from", "consensus", "source"),
    v.unique("coin", "valid_from"),
    v.in_set("consensus", ["pow", "pos"]),
    v.at_least("valid_to", "valid_from", "the period ends before it starts"),
    v.has_rows(),
    inputs_kind="*",   # shipped with the code: never empty
)

network_observations_expectations = expectation_check(NETWORK_OBSERVATIONS)
network_daily_expectations = expectation_check(NETWORK_DAILY)
network_daily_history_expectations = expectation_check(NETWORK_DAILY, asset=history_key("network_daily"))
consensus_periods_expectations = expectation_check(CONSENSUS_PERIODS)
