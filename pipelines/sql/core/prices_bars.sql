-- Daily bars (UTC) from the good rows of one file. Snapshot shapes (one price per timestamp, no
-- OHLC) give open/high/low only when a day has several snapshots; a trailing-24h volume takes
-- the day's last value, a per-bar volume is summed (coins converted to USD at the bar's close).
SELECT
    asset,
    CAST(ts AS DATE) AS date,
    CASE WHEN getvariable('snapshot') AND count(*) = 1 THEN NULL
         ELSE arg_min(coalesce(open, close), ts) END AS open,
    CASE WHEN getvariable('snapshot') AND count(*) = 1 THEN NULL
         ELSE max(coalesce(high, close)) END AS high,
    CASE WHEN getvariable('snapshot') AND count(*) = 1 THEN NULL
         ELSE min(coalesce(low, close)) END AS low,
    arg_max(close, ts) AS close_usd,
    CASE getvariable('volume_unit')
        WHEN 'usd' THEN sum(volume)
        WHEN 'coins' THEN sum(volume * close)
        WHEN 'usd_trailing_24h' THEN arg_max(volume, ts)
    END AS volume_usd,
    arg_max(market_cap, ts) AS market_cap_usd,
    bool_or(is_synthetic) AS is_synthetic,
    count(*)::INTEGER AS bars
FROM price_rows
WHERE reason IS NULL
GROUP BY asset, CAST(ts AS DATE)
ORDER BY asset, date;
