-- Question: what share of each proof-of-work network could the idle AI fleet have been, month by month?
-- One row = one coin and calendar month of marts.mining_contribution_daily: the month's mean of the daily
-- p05/p50/p95 share of blocks the idle fleet would win if it joined the network as observed
-- (fleet / (network + fleet), 0..1), how large the fleet is next to the network, and what it would
-- have earned. Read network_share_p50_mean against p05/p95 as an interval, not a point: a mean of
-- daily quantiles, not the quantile of the monthly mean. 0 on proof-of-stake days (ETH after the Merge).
-- Days that may be proof of work but lack network data (unknown_days, with unknown_reasons) are not 0:
-- the month's means and sums stand on its known days scaled up to all due days when those cover at least
-- views.min_coverage() (80 %) of them (the rally attribution's rule), and are NULL below.
CREATE OR REPLACE VIEW views.idle_fleet_network_share_monthly AS
WITH days AS (
    SELECT *, consensus IS NULL OR consensus = 'pow' AS due   -- proof of work, or not known not to be
    FROM marts.mining_contribution_daily
),
months AS (
    SELECT
        coin,
        CAST(date_trunc('month', date) AS DATE) AS month,
        min(algorithm) AS algorithm,
        count(*) AS days,
        count(*) FILTER (WHERE consensus = 'pow') AS pow_days,
        count(*) FILTER (WHERE due) AS due_days,
        count(network_share_p50) FILTER (WHERE due) AS share_days,
        count(usd_per_day_p50) FILTER (WHERE due) AS usd_days,
        count(coins_per_day_p50) FILTER (WHERE due) AS coin_days,
        count(*) FILTER (WHERE due AND network_share_p50 IS NULL) AS unknown_days,
        count(*) FILTER (WHERE due AND usd_per_day_p50 IS NULL) AS usd_unknown_days,
        string_agg(DISTINCT unknown_reason, '; ' ORDER BY unknown_reason) AS unknown_reasons,
        sum(network_share_p05) FILTER (WHERE due) AS share_p05_known,
        sum(network_share_p50) FILTER (WHERE due) AS share_p50_known,
        sum(network_share_p95) FILTER (WHERE due) AS share_p95_known,
        max(network_share_p95) AS share_p95_max,
        avg(network_hashrate_hs) AS network_hashrate_hs_mean,
        avg(fleet_hashrate_hs_p50) AS fleet_hashrate_hs_p50_mean,
        max(fleet_to_network_p50) AS fleet_to_network_p50_max,
        sum(coins_per_day_p50) FILTER (WHERE due) AS coins_p50_known,
        sum(usd_per_day_p50) FILTER (WHERE due) AS usd_p50_known,
        min(hashrate_basis) AS hashrate_basis,
        min(assumption_set) AS assumption_set,
        min(model_version) AS model_version
    FROM days
    GROUP BY coin, month
)
SELECT
    coin,
    month,
    algorithm,
    days,
    pow_days,
    due_days,
    unknown_days,
    usd_unknown_days,
    unknown_reasons,
    views.covered_sum(share_p05_known, share_days, due_days) / days AS network_share_p05_mean,
    views.covered_sum(share_p50_known, share_days, due_days) / days AS network_share_p50_mean,
    views.covered_sum(share_p95_known, share_days, due_days) / days AS network_share_p95_mean,
    CASE WHEN views.is_covered(share_days, due_days) THEN share_p95_max END AS network_share_p95_max,
    CASE WHEN views.is_covered(share_days, due_days) THEN network_hashrate_hs_mean END AS network_hashrate_hs_mean,
    fleet_hashrate_hs_p50_mean,
    CASE WHEN views.is_covered(share_days, due_days) THEN fleet_to_network_p50_max END AS fleet_to_network_p50_max,
    views.covered_sum(coins_p50_known, coin_days, due_days) AS coins_p50_sum,
    views.covered_sum(usd_p50_known, usd_days, due_days) AS usd_p50_sum,
    hashrate_basis,
    assumption_set,
    model_version
FROM months
ORDER BY coin, month;

COMMENT ON VIEW views.idle_fleet_network_share_monthly IS 'The idle AI fleet''s share of each proof-of-work network per coin and month (means of the daily p05/p50/p95 of marts.mining_contribution_daily). One row = one coin and calendar month.';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.coin IS 'Coin ticker (BTC, ETH, ETC, XMR, ...).';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.month IS 'First day of the calendar month (DATE, UTC).';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.algorithm IS 'The coin''s proof-of-work algorithm (sha256d, ethash, etchash, randomx, ...).';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.days IS 'Days of the month with a row in marts.mining_contribution_daily.';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.pow_days IS 'Of those, days on which the coin was proof of work (core.consensus_periods).';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.due_days IS 'Days that were, or may have been, proof of work (pow, or a coin the consensus table does not list): the days the means and sums must cover.';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.unknown_days IS 'Due days whose share is unknown (no network data, no hashrate, no consensus); 0 when every due day is known.';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.usd_unknown_days IS 'Due days whose USD is unknown (share, issuance or close missing).';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.unknown_reasons IS 'The distinct reasons of the unknown days (marts.mining_contribution_daily.unknown_reason); NULL when none.';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.network_share_p05_mean IS 'Mean over the month''s days of the daily p05 share of blocks the idle fleet would win, 0..1 (proof-of-stake days count 0; unknown days take the known due days'' mean); NULL when the share is known on under 80 % of the due days (views.min_coverage()).';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.network_share_p50_mean IS 'Mean over the month''s days of the daily median share of blocks, 0..1; NULL under 80 % coverage of the due days.';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.network_share_p95_mean IS 'Mean over the month''s days of the daily p95 share of blocks, 0..1; NULL under 80 % coverage of the due days.';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.network_share_p95_max IS 'Highest daily p95 share of the month, 0..1; NULL under 80 % coverage of the due days.';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.network_hashrate_hs_mean IS 'Mean observed network hashrate over the month''s days with data, hashes per second; NULL under 80 % coverage of the due days.';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.fleet_hashrate_hs_p50_mean IS 'Mean median hashrate of the idle fleet on this coin''s algorithm, hashes per second.';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.fleet_to_network_p50_max IS 'Highest daily median fleet / observed network hashrate; above 1 the observed network could not have contained such a fleet; NULL under 80 % coverage.';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.coins_p50_sum IS 'Sum of the daily median coins the fleet''s share would earn, coins of `coin` (known days scaled up to all due days); NULL when known on under 80 % of them.';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.usd_p50_sum IS 'Sum of the daily median USD the fleet''s share would earn (coins x close), USD (known days scaled up to all due days); NULL when known on under 80 % of them.';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.hashrate_basis IS 'Where the fleet device''s hashrate comes from: benchmark (with source) or assumption range <name>.';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.assumption_set IS 'Assumptions file version + sha256 prefix that produced the rows.';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.model_version IS 'Model code version that produced the rows.';
