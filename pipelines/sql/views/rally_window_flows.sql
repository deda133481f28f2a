-- Question: in each rally window, how large were spot-ETF net flows next to the USD an idle AI fleet could have mined?
-- And what share of the rally does each flow explain?
-- One row = one coin and rally window of marts.rally_attribution: the spot-ETF net inflow over the
-- window's priced days (core.fund_flows_daily, fund TOTAL, else the sum of every fund; NULL when the
-- coin has no fund data), the USD the idle fleet would have mined (sum of the daily p05/p50/p95 of
-- marts.mining_contribution_daily: sums of daily quantiles, a little wider than the quantiles of the
-- sum), both as a share of the coin's market value at the start, and the flow channel's share of the
-- rally (p50) for each subject. etf_to_idle_mining_p50: how many times larger the ETF flows were.
-- The idle fleet's sums follow the rally attribution's rule: days that may be proof of work without
-- network data (unknown_days) are not 0; the known days stand for all due days when they cover at least
-- views.min_coverage() (80 %) of them, else the sums are NULL (and NULL when a known-share day lacks USD).
CREATE OR REPLACE VIEW views.rally_window_flows AS
WITH windows AS (
    SELECT coin, window_name, window_start, window_end,
           min(first_priced_day) AS first_priced_day, max(last_priced_day) AS last_priced_day,
           max(rally_log_return) AS rally_log_return, max(market_value_usd) AS market_value_usd,
           max(share_p50) FILTER (WHERE subject = 'idle_ai_mining' AND channel = 'flow') AS idle_mining_flow_share_p50,
           max(share_p50) FILTER (WHERE subject = 'spot_etf_flows' AND channel = 'flow') AS etf_flow_share_p50
    FROM marts.rally_attribution
    GROUP BY coin, window_name, window_start, window_end
),
etf AS (
    SELECT w.coin, w.window_name,
           CASE WHEN count(*) FILTER (WHERE f.fund = 'TOTAL') > 0
                THEN sum(f.net_flow_usd) FILTER (WHERE f.fund = 'TOTAL')
                ELSE sum(f.net_flow_usd) END AS etf_net_flow_usd,
           count(DISTINCT f.date) AS etf_flow_days,
           max(f.date) AS etf_last_flow_date
    FROM windows AS w
    JOIN core.fund_flows_daily AS f
        ON f.asset = w.coin AND f.date BETWEEN w.first_priced_day AND w.last_priced_day
    GROUP BY w.coin, w.window_name
),
window_days AS (   -- every calendar day of the window's priced span, as the attribution counts them
    SELECT coin, window_name,
           CAST(unnest(generate_series(CAST(first_priced_day AS TIMESTAMP), CAST(last_priced_day AS TIMESTAMP),
                                       INTERVAL 1 DAY)) AS DATE) AS date
    FROM windows
),
days AS (
    SELECT d.coin, d.window_name, m.network_share_p50, m.coins_per_day_p50,
           m.usd_per_day_p05, m.usd_per_day_p50, m.usd_per_day_p95, m.unknown_reason,
           coalesce(m.consensus, c.consensus) AS consensus,
           coalesce(m.consensus, c.consensus) IS NULL OR coalesce(m.consensus, c.consensus) = 'pow' AS due
    FROM window_days AS d
    LEFT JOIN marts.mining_contribution_daily AS m ON m.coin = d.coin AND m.date = d.date
    LEFT JOIN core.consensus_periods AS c
        ON m.coin IS NULL AND c.coin = d.coin AND d.date >= c.valid_from AND (c.valid_to IS NULL OR d.date < c.valid_to)
),
counted AS (
    SELECT coin, window_name,
           count(*) FILTER (WHERE due) AS due_days,
           count(network_share_p50) FILTER (WHERE due) AS share_days,
           count(*) FILTER (WHERE due AND network_share_p50 IS NULL) AS unknown_days,
           -- the attribution's rule: USD mined is unknown when a day with a known share lacks it
           count(*) FILTER (WHERE due AND network_share_p50 IS NOT NULL AND usd_per_day_p50 IS NULL) AS usd_missing_days,
           count(*) FILTER (WHERE due AND network_share_p50 IS NOT NULL AND coins_per_day_p50 IS NULL) AS coins_missing_days,
           coalesce(string_agg(DISTINCT unknown_reason, '; ' ORDER BY unknown_reason) FILTER (WHERE due),
                    CASE WHEN count(*) FILTER (WHERE due AND network_share_p50 IS NULL) > 0
                         THEN 'no row in marts.mining_contribution_daily (before the modelled days, or no network data)' END)
               AS unknown_reasons,
           sum(usd_per_day_p05) FILTER (WHERE due) AS usd_p05_known,
           sum(usd_per_day_p50) FILTER (WHERE due) AS usd_p50_known,
           sum(usd_per_day_p95) FILTER (WHERE due) AS usd_p95_known,
           sum(coins_per_day_p50) FILTER (WHERE due) AS coins_p50_known,
           count(*) FILTER (WHERE consensus = 'pow' AND network_share_p50 IS NOT NULL) AS pow_days
    FROM days
    GROUP BY coin, window_name
),
mined AS (
    SELECT coin, window_name, due_days, unknown_days, unknown_reasons, pow_days,
           CASE WHEN usd_missing_days = 0 THEN views.covered_sum(usd_p05_known, share_days, due_days) END AS idle_mining_usd_p05,
           CASE WHEN usd_missing_days = 0 THEN views.covered_sum(usd_p50_known, share_days, due_days) END AS idle_mining_usd_p50,
           CASE WHEN usd_missing_days = 0 THEN views.covered_sum(usd_p95_known, share_days, due_days) END AS idle_mining_usd_p95,
           CASE WHEN coins_missing_days = 0 THEN views.covered_sum(coins_p50_known, share_days, due_days) END AS idle_mining_coins_p50
    FROM counted
)
SELECT
    w.coin,
    w.window_name,
    w.window_start,
    w.window_end,
    w.rally_log_return,
    w.market_value_usd,
    e.etf_net_flow_usd,
    e.etf_flow_days,
    e.etf_last_flow_date,
    m.idle_mining_usd_p05,
    m.idle_mining_usd_p50,
    m.idle_mining_usd_p95,
    m.idle_mining_coins_p50,
    m.pow_days,
    m.due_days,
    m.unknown_days,
    m.unknown_reasons,
    e.etf_net_flow_usd / nullif(w.market_value_usd, 0) AS etf_flow_to_market_value,
    m.idle_mining_usd_p50 / nullif(w.market_value_usd, 0) AS idle_mining_p50_to_market_value,
    e.etf_net_flow_usd / nullif(m.idle_mining_usd_p50, 0) AS etf_to_idle_mining_p50,
    w.etf_flow_share_p50,
    w.idle_mining_flow_share_p50
FROM windows AS w
LEFT JOIN etf AS e ON e.coin = w.coin AND e.window_name = w.window_name
LEFT JOIN mined AS m ON m.coin = w.coin AND m.window_name = w.window_name
ORDER BY w.window_start, w.coin;

COMMENT ON VIEW views.rally_window_flows IS 'Spot-ETF net flows vs the USD an idle AI fleet could have mined, per coin and rally window, with each flow''s share of the rally. One row = one coin x rally window.';
COMMENT ON COLUMN views.rally_window_flows.coin IS 'Coin ticker (BTC, ETH, ETC, XMR).';
COMMENT ON COLUMN views.rally_window_flows.window_name IS 'Rally window name from the assumptions (e.g. rally, late_2024).';
COMMENT ON COLUMN views.rally_window_flows.window_start IS 'First day of the window (DATE, UTC).';
COMMENT ON COLUMN views.rally_window_flows.window_end IS 'Last day of the window (DATE, UTC).';
COMMENT ON COLUMN views.rally_window_flows.rally_log_return IS 'ln(close on the window''s last priced day / close on its first).';
COMMENT ON COLUMN views.rally_window_flows.market_value_usd IS 'The coin''s market value on the first priced day, USD.';
COMMENT ON COLUMN views.rally_window_flows.etf_net_flow_usd IS 'Net spot-ETF flows over the window''s priced days, USD (fund TOTAL, else the sum of every fund; outflows negative); NULL without fund data for the coin.';
COMMENT ON COLUMN views.rally_window_flows.etf_flow_days IS 'Trading days with a flow in the window.';
COMMENT ON COLUMN views.rally_window_flows.etf_last_flow_date IS 'Last day with flow data in the window (DATE, UTC); before window_end the flows are a lower bound.';
COMMENT ON COLUMN views.rally_window_flows.idle_mining_usd_p05 IS 'Sum over the window of the daily p05 USD the idle fleet would have mined, USD (known days scaled up to all due days); NULL when the share is known on under 80 % of the due days (views.min_coverage()) or a day with a known share has no USD.';
COMMENT ON COLUMN views.rally_window_flows.idle_mining_usd_p50 IS 'Sum over the window of the daily median USD the idle fleet would have mined, USD; NULL as for idle_mining_usd_p05.';
COMMENT ON COLUMN views.rally_window_flows.idle_mining_usd_p95 IS 'Sum over the window of the daily p95 USD the idle fleet would have mined, USD; NULL as for idle_mining_usd_p05.';
COMMENT ON COLUMN views.rally_window_flows.idle_mining_coins_p50 IS 'Sum of the daily median coins the idle fleet would have mined, coins of `coin`; NULL as for idle_mining_usd_p05.';
COMMENT ON COLUMN views.rally_window_flows.pow_days IS 'Proof-of-work days in the window with network data (0 for ETH after the Merge).';
COMMENT ON COLUMN views.rally_window_flows.due_days IS 'Days of the window that were, or may have been, proof of work (the consensus table, NULL consensus counting as may).';
COMMENT ON COLUMN views.rally_window_flows.unknown_days IS 'Due days of the window whose share is unknown (no network data or consensus); 0 when every due day is known.';
COMMENT ON COLUMN views.rally_window_flows.unknown_reasons IS 'Why those days are unknown (marts.mining_contribution_daily.unknown_reason); NULL when none.';
COMMENT ON COLUMN views.rally_window_flows.etf_flow_to_market_value IS 'etf_net_flow_usd / market_value_usd (a share of the coin''s value, before any price-impact multiplier).';
COMMENT ON COLUMN views.rally_window_flows.idle_mining_p50_to_market_value IS 'idle_mining_usd_p50 / market_value_usd (the same, for everything the idle fleet would have mined, held or not).';
COMMENT ON COLUMN views.rally_window_flows.etf_to_idle_mining_p50 IS 'etf_net_flow_usd / idle_mining_usd_p50: how many times larger the ETF flows were; NULL when either is missing or mining is 0.';
COMMENT ON COLUMN views.rally_window_flows.etf_flow_share_p50 IS 'Median share of the rally''s log return the ETF flow channel explains (marts.rally_attribution, subject spot_etf_flows); NULL where the price fell (no rally to share, see marts.rally_attribution.share_reason and log_return_p50) or the channel is unknown.';
COMMENT ON COLUMN views.rally_window_flows.idle_mining_flow_share_p50 IS 'Median share of the rally''s log return the idle fleet''s flow channel explains (subject idle_ai_mining); NULL where the price fell or the channel is unknown, as etf_flow_share_p50.';
