-- Causality input: network hashrate per coin on its proof-of-work days (validated core.network_daily).
SELECT coin, date, hashrate_hs
FROM core.network_daily
WHERE hashrate_hs > 0 AND coalesce(consensus, 'pow') = 'pow'
ORDER BY coin, date;
