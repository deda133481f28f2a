-- Question: what share of each proof-of-work network could the idle AI fleet have been, by month?
-- One row per coin and month: the mean daily share of blocks the idle fleet would win (p50, with the
-- p05..p95 band), as a percentage. Read it as "even at p95, the fleet would have been X % of the
-- network": tiny for Bitcoin, 0 for ETH after the Merge, large for ETC and XMR, whose networks are
-- small next to an H100 fleet. fleet_to_network_max > 1 means the observed network could not
-- have contained the fleet at all. unknown_days: days that may have been proof of work without network data
-- (not 0); a month whose known days cover under 80 % of its due days has NULL shares and sums.
SELECT coin, month, pow_days, unknown_days,
       round(100 * network_share_p05_mean, 6) AS share_p05_pct,
       round(100 * network_share_p50_mean, 6) AS share_p50_pct,
       round(100 * network_share_p95_mean, 6) AS share_p95_pct,
       fleet_to_network_p50_max AS fleet_to_network_max,
       round(usd_p50_sum) AS usd_mined_p50
FROM views.idle_fleet_network_share_monthly
ORDER BY coin, month;
