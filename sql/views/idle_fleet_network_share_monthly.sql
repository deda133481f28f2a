-- Question: what share of each proof-of-work network could the idle AI fleet have been, month by month?
-- One row = one coin and calendar month of marts.mining_contribution_daily: the month's mean of the daily
-- p05/p50/p95 share of blocks the idle fleet would win if it joined the network as observed
-- (fleet / (network + fleet), 0..1), how large the fleet is next to the network, and what it would
-- have earned. Read network_share_p50_mean against p05/p95 as an interval, not a point: a mean of
-- daily quantiles, not the quantile of the monthly mean. 0 on proof-of-stake days (ETH after the Merge).
CREATE OR REPLACE VIEW views.idle_fleet_network_share_monthly AS
SELECT
    coin,
    CAST(date_trunc('month', date) AS DATE) AS month,
    min(algorithm) AS algorithm,
    count(*) AS days,
    count(*) FILTER (WHERE consensus = 'pow') AS pow_days,
    avg(network_share_p05) AS network_share_p05_mean,
    avg(network_share_p50) AS network_share_p50_mean,
    avg(network_share_p95) AS network_share_p95_mean,
    max(network_share_p95) AS network_share_p95_max,
    avg(network_hashrate_hs) AS network_hashrate_hs_mean,
    avg(fleet_hashrate_hs_p50) AS fleet_hashrate_hs_p50_mean,
    max(fleet_to_network_p50) AS fleet_to_network_p50_max,
    sum(coins_per_day_p50) AS coins_p50_sum,
    sum(usd_per_day_p50) AS usd_p50_sum,
    min(hashrate_basis) AS hashrate_basis,
    min(assumption_set) AS assumption_set,
    min(model_version) AS model_version
FROM marts.mining_contribution_daily
GROUP BY coin, month
ORDER BY coin, month;

COMMENT ON VIEW views.idle_fleet_network_share_monthly IS 'The idle AI fleet''s share of each proof-of-work network per coin and month (means of the daily p05/p50/p95 of marts.mining_contribution_daily). One row = one coin and calendar month.';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.coin IS 'Coin ticker (BTC, ETH, ETC, XMR, ...).';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.month IS 'First day of the calendar month (DATE, UTC).';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.algorithm IS 'The coin''s proof-of-work algorithm (sha256d, ethash, etchash, randomx, ...).';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.days IS 'Days of the month with a row in marts.mining_contribution_daily.';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.pow_days IS 'Of those, days on which the coin was proof of work (core.consensus_periods).';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.network_share_p05_mean IS 'Mean over the month''s days of the daily p05 share of blocks the idle fleet would win, 0..1.';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.network_share_p50_mean IS 'Mean over the month''s days of the daily median share of blocks, 0..1.';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.network_share_p95_mean IS 'Mean over the month''s days of the daily p95 share of blocks, 0..1.';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.network_share_p95_max IS 'Highest daily p95 share of the month, 0..1.';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.network_hashrate_hs_mean IS 'Mean observed network hashrate, hashes per second.';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.fleet_hashrate_hs_p50_mean IS 'Mean median hashrate of the idle fleet on this coin''s algorithm, hashes per second.';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.fleet_to_network_p50_max IS 'Highest daily median fleet / observed network hashrate; above 1 the observed network could not have contained such a fleet.';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.coins_p50_sum IS 'Sum of the daily median coins the fleet''s share would earn, coins of `coin`.';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.usd_p50_sum IS 'Sum of the daily median USD the fleet''s share would earn (coins x close), USD; days without a price count as nothing.';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.hashrate_basis IS 'Where the fleet device''s hashrate comes from: benchmark (with source) or assumption range <name>.';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.assumption_set IS 'Assumptions file version + sha256 prefix that produced the rows.';
COMMENT ON COLUMN views.idle_fleet_network_share_monthly.model_version IS 'Model code version that produced the rows.';
