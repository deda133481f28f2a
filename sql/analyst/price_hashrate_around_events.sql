-- Question: what did price and network hashrate do around each dated event?
-- One row per event and coin (an event without an asset concerns every coin with prices): the close the
-- day before the event, the change in close from the day before to 1 and to 7 days after, and the change
-- in network hashrate from the day before to 7 days after, as log changes (0.05 = about +5 %). Raw moves, not abnormal returns: for those, see
-- marts.event_study. NULL where a day has no data (e.g. no ETH hashrate after the Merge).
WITH ev AS (
    SELECT e.date, e.kind, e.title, coalesce(e.asset, p.asset) AS coin
    FROM core.events AS e
    JOIN (SELECT DISTINCT asset FROM core.prices_daily) AS p ON e.asset IS NULL OR e.asset = p.asset
)
SELECT ev.date, ev.kind, ev.title, ev.coin,
       before.close_usd AS close_day_before,
       ln(after1.close_usd / before.close_usd) AS log_price_change_1d,
       ln(after7.close_usd / before.close_usd) AS log_price_change_7d,
       ln(nullif(h7.hashrate_hs, 0) / nullif(h0.hashrate_hs, 0)) AS log_hashrate_change_7d
FROM ev
LEFT JOIN core.prices_daily AS before ON before.asset = ev.coin AND before.date = ev.date - 1
LEFT JOIN core.prices_daily AS after1 ON after1.asset = ev.coin AND after1.date = ev.date + 1
LEFT JOIN core.prices_daily AS after7 ON after7.asset = ev.coin AND after7.date = ev.date + 7
LEFT JOIN core.network_daily AS h0 ON h0.coin = ev.coin AND h0.date = ev.date - 1
LEFT JOIN core.network_daily AS h7 ON h7.coin = ev.coin AND h7.date = ev.date + 7
ORDER BY ev.date, ev.coin;
