-- Question: does a coin's network hashrate lead its price (what a mining-driven rally needs), or does price lead hashrate?
-- One row per coin, sample (full_history or a rally window) and frequency: the Granger F-test p-value in each
-- direction (small = that direction is supported), the VAR lag order and the periods tested. A NULL p-value
-- is a test that could not run: `reason` says why (a window is too short at weekly frequency).
SELECT coin, sample, frequency, sample_start, sample_end,
       max(CASE WHEN direction = 'hashrate_to_price' THEN round(p_value, 4) END) AS p_hashrate_to_price,
       max(CASE WHEN direction = 'price_to_hashrate' THEN round(p_value, 4) END) AS p_price_to_hashrate,
       max(lags) AS lags,
       max(n_obs) AS n_obs,
       max(reason) AS reason
FROM marts.hashrate_price_causality
GROUP BY coin, sample, frequency, sample_start, sample_end
ORDER BY coin, frequency, sample <> 'full_history', sample;
