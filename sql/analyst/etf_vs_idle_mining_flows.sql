-- Question: in the rally windows, how large were spot-ETF flows next to what an idle AI fleet could mine?
-- One row per coin and rally window: net spot-ETF inflows and the USD the idle fleet would have mined
-- (p50, with p05..p95), in millions of USD and as a share of the coin's market value, and the share of
-- the rally each explains (flow channel, p50). etf_to_mining: how many times larger the ETF flows were.
-- ETF flows exist only for Bitcoin in the bundled data. unknown_days: window days that may have been proof
-- of work without network data; the mined USD is NULL when the known days cover under 80 % of them.
SELECT coin, window_name, window_start, window_end, unknown_days,
       round(etf_net_flow_usd / 1e6, 1) AS etf_flows_musd,
       etf_last_flow_date,
       round(idle_mining_usd_p05 / 1e6, 3) AS mined_p05_musd,
       round(idle_mining_usd_p50 / 1e6, 3) AS mined_p50_musd,
       round(idle_mining_usd_p95 / 1e6, 3) AS mined_p95_musd,
       etf_flow_to_market_value,
       idle_mining_p50_to_market_value,
       round(etf_to_idle_mining_p50) AS etf_to_mining,
       etf_flow_share_p50,
       idle_mining_flow_share_p50
FROM views.rally_window_flows
ORDER BY window_start, coin;
