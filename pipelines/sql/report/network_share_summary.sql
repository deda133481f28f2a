-- Per coin: the days covered, the largest daily p95 share and its day, the mean p50 share and the days on which
-- the fleet's median hashrate exceeds the observed network (the network could not have contained it).
-- days_unknown: days that were, or may have been, proof of work without a known share (never counted as 0);
-- the largest and mean shares are NULL when the known days cover under views.min_coverage() (80 %) of those
-- due days, and the mean stands on the known days scaled up to all of them (the rally attribution's rule).
WITH days AS (
    SELECT *, consensus IS NULL OR consensus = 'pow' AS due
    FROM marts.mining_contribution_daily
),
coins AS (
    SELECT coin, min(date) AS first_day, max(date) AS last_day, count(*) AS days,
           count(*) FILTER (WHERE due) AS due_days,
           count(network_share_p50) FILTER (WHERE due) AS known_days,
           max(network_share_p95) AS max_share_p95, arg_max(date, network_share_p95) AS max_share_day,
           sum(network_share_p50) FILTER (WHERE due) AS share_p50_known,
           count(*) FILTER (WHERE fleet_to_network_p50 > 1) AS days_fleet_above_network,
           count(*) FILTER (WHERE due AND network_share_p50 IS NULL) AS days_unknown,
           string_agg(DISTINCT unknown_reason, '; ' ORDER BY unknown_reason) AS unknown_reasons
    FROM days
    GROUP BY coin
)
SELECT coin, first_day, last_day, days,
       CASE WHEN views.is_covered(known_days, due_days) THEN max_share_p95 END AS max_share_p95,
       CASE WHEN views.is_covered(known_days, due_days) THEN max_share_day END AS max_share_day,
       views.covered_sum(share_p50_known, known_days, due_days) / days AS mean_share_p50,
       days_fleet_above_network, days_unknown, unknown_reasons, views.min_coverage() AS min_coverage
FROM coins
ORDER BY coin;
