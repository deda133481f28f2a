-- Question: in each rally window, how large were spot-ETF net flows next to the USD an idle AI fleet could have mined?
-- And what share of the rally does each flow explain?
-- One row = one coin and rally window of marts.rally_attribution: the spot-ETF net inflow over the
-- window's priced days (core.fund_flows_daily, fund TOTAL, else the sum of every fund; NULL when the
-- coin has no fund data), the USD the idle fleet would have mined (sum of the daily p05/p50/p95 of
-- marts.mining_contribution_daily: sums of daily quantiles, a little wider than the quantiles of the
-- sum), both as a share of the coin's market value at the start, and the flow channel's share of the
-- rally (p50) for each subject. etf_to_idle_mining_p50: how many times larger the ETF flows were.
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
mined AS (
    SELECT w.coin, w.window_name,
           sum(m.usd_per_day_p05) AS idle_mining_usd_p05,
           sum(m.usd_per_day_p50) AS idle_mining_usd_p50,
           sum(m.usd_per_day_p95) AS idle_mining_usd_p95,
           sum(m.coins_per_day_p50) AS idle_mining_coins_p50,
           count(*) FILTER (WHERE m.consensus = 'pow') AS pow_days
    FROM windows AS w
    JOIN marts.mining_contribution_daily AS m
        ON m.coin = w.coin AND m.date BETWEEN w.first_priced_day AND w.last_priced_day
    GROUP BY w.coin, w.window_name
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
COMMENT ON COLUMN views.rally_window_flows.idle_mining_usd_p05 IS 'Sum over the window of the daily p05 USD the idle fleet would have mined, USD.';
COMMENT ON COLUMN views.rally_window_flows.idle_mining_usd_p50 IS 'Sum over the window of the daily median USD the idle fleet would have mined, USD.';
COMMENT ON COLUMN views.rally_window_flows.idle_mining_usd_p95 IS 'Sum over the window of the daily p95 USD the idle fleet would have mined, USD.';
COMMENT ON COLUMN views.rally_window_flows.idle_mining_coins_p50 IS 'Sum of the daily median coins the idle fleet would have mined, coins of `coin`.';
COMMENT ON COLUMN views.rally_window_flows.pow_days IS 'Proof-of-work days in the window with network data (0 for ETH after the Merge).';
COMMENT ON COLUMN views.rally_window_flows.etf_flow_to_market_value IS 'etf_net_flow_usd / market_value_usd (a share of the coin''s value, before any price-impact multiplier).';
COMMENT ON COLUMN views.rally_window_flows.idle_mining_p50_to_market_value IS 'idle_mining_usd_p50 / market_value_usd (the same, for everything the idle fleet would have mined, held or not).';
COMMENT ON COLUMN views.rally_window_flows.etf_to_idle_mining_p50 IS 'etf_net_flow_usd / idle_mining_usd_p50: how many times larger the ETF flows were; NULL when either is missing or mining is 0.';
COMMENT ON COLUMN views.rally_window_flows.etf_flow_share_p50 IS 'Median share of the rally''s log return the ETF flow channel explains (marts.rally_attribution, subject spot_etf_flows); NULL where the price fell (no rally to share, see marts.rally_attribution.share_reason and log_return_p50) or the channel is unknown.';
COMMENT ON COLUMN views.rally_window_flows.idle_mining_flow_share_p50 IS 'Median share of the rally''s log return the idle fleet''s flow channel explains (subject idle_ai_mining); NULL where the price fell or the channel is unknown, as etf_flow_share_p50.';
