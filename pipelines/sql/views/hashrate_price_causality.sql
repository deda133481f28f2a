-- Question: does each coin's network hashrate lead its price (what a mining-driven rally needs), or does its price lead its hashrate?
-- One row = one proof-of-work coin, sample (full_history or a rally window) and frequency of
-- marts.hashrate_price_causality, both Granger directions side by side: the F-test p-value (small = that
-- direction is supported), the VAR lag order, the periods tested, and which direction holds at 5 %.
-- A NULL p-value is a test that could not run (never 0): `reason` says why.
CREATE OR REPLACE VIEW views.hashrate_price_causality AS
SELECT
    coin,
    sample,
    frequency,
    sample_start,
    sample_end,
    max(p_value) FILTER (WHERE direction = 'hashrate_to_price') AS p_hashrate_to_price,
    max(lags) FILTER (WHERE direction = 'hashrate_to_price') AS lags_hashrate_to_price,
    max(p_value) FILTER (WHERE direction = 'price_to_hashrate') AS p_price_to_hashrate,
    max(lags) FILTER (WHERE direction = 'price_to_hashrate') AS lags_price_to_hashrate,
    max(n_obs) AS n_obs,
    CASE
        WHEN max(p_value) IS NULL THEN NULL
        WHEN coalesce(max(p_value) FILTER (WHERE direction = 'hashrate_to_price') < 0.05, false)
         AND coalesce(max(p_value) FILTER (WHERE direction = 'price_to_hashrate') < 0.05, false) THEN 'both'
        WHEN coalesce(max(p_value) FILTER (WHERE direction = 'hashrate_to_price') < 0.05, false) THEN 'hashrate_to_price'
        WHEN coalesce(max(p_value) FILTER (WHERE direction = 'price_to_hashrate') < 0.05, false) THEN 'price_to_hashrate'
        ELSE 'neither'
    END AS supported_at_5pct,
    string_agg(DISTINCT reason, '; ' ORDER BY reason) AS reason
FROM marts.hashrate_price_causality
GROUP BY coin, sample, frequency, sample_start, sample_end
ORDER BY coin, frequency, sample <> 'full_history', sample_start, sample;

COMMENT ON VIEW views.hashrate_price_causality IS 'Granger tests between log hashrate changes and log returns (marts.hashrate_price_causality), both directions side by side per coin, sample and frequency, with the direction supported at 5 %.';
COMMENT ON COLUMN views.hashrate_price_causality.coin IS 'Coin ticker.';
COMMENT ON COLUMN views.hashrate_price_causality.sample IS 'full_history (every day both series are known) or a rally window''s name.';
COMMENT ON COLUMN views.hashrate_price_causality.frequency IS 'daily | weekly.';
COMMENT ON COLUMN views.hashrate_price_causality.sample_start IS 'First period end with both changes in the sample.';
COMMENT ON COLUMN views.hashrate_price_causality.sample_end IS 'Last period end with both changes in the sample.';
COMMENT ON COLUMN views.hashrate_price_causality.p_hashrate_to_price IS 'p-value of the F-test that past hashrate changes add nothing to predicting returns; small = hashrate leads price. NULL: not tested (see reason).';
COMMENT ON COLUMN views.hashrate_price_causality.lags_hashrate_to_price IS 'VAR lag order of that test, in periods.';
COMMENT ON COLUMN views.hashrate_price_causality.p_price_to_hashrate IS 'p-value of the reverse test; small = price leads hashrate (miners follow the price). NULL: not tested.';
COMMENT ON COLUMN views.hashrate_price_causality.lags_price_to_hashrate IS 'VAR lag order of that test, in periods.';
COMMENT ON COLUMN views.hashrate_price_causality.n_obs IS 'Periods (days or weeks) with both changes in the sample.';
COMMENT ON COLUMN views.hashrate_price_causality.supported_at_5pct IS 'hashrate_to_price | price_to_hashrate | both | neither at p < 0.05; NULL when neither direction was tested.';
COMMENT ON COLUMN views.hashrate_price_causality.reason IS 'Why a test did not run (sample too short, a series missing); NULL when both ran.';
