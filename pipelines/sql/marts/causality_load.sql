-- Rebuild marts.hashrate_price_causality from the staged tests (whole mart, one transaction).
DELETE FROM marts.hashrate_price_causality;
INSERT INTO marts.hashrate_price_causality
SELECT coin, sample, frequency, CAST(sample_start AS DATE), CAST(sample_end AS DATE), direction,
       CAST(lags AS INTEGER), statistic, p_value, CAST(df_num AS INTEGER), CAST(df_denom AS INTEGER),
       CAST(n_obs AS INTEGER), CAST(differences AS INTEGER), adf_p_hashrate, adf_p_price, criterion,
       CAST(max_lag AS INTEGER), method, reason
FROM staged
ORDER BY coin, frequency, sample, direction;
