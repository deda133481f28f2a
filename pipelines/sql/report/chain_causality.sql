-- marts.hashrate_price_causality with both directions side by side: one row per coin, sample and frequency.
SELECT coin, sample, frequency, sample_start, sample_end,
       max(p_value) FILTER (WHERE direction = 'hashrate_to_price') AS p_hashrate_to_price,
       max(lags) FILTER (WHERE direction = 'hashrate_to_price') AS lags_hashrate_to_price,
       max(p_value) FILTER (WHERE direction = 'price_to_hashrate') AS p_price_to_hashrate,
       max(lags) FILTER (WHERE direction = 'price_to_hashrate') AS lags_price_to_hashrate,
       max(n_obs) AS n_obs,
       left(string_agg(DISTINCT reason, '; ' ORDER BY reason), $maxlen) AS reason
FROM marts.hashrate_price_causality
GROUP BY coin, sample, frequency, sample_start, sample_end
ORDER BY coin, frequency, sample <> 'full_history', sample_start, sample;
