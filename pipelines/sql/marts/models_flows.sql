-- Models input: fund flows per day (core.fund_flows_daily).
SELECT date, asset, fund, net_flow_usd
FROM core.fund_flows_daily
ORDER BY date, asset, fund;
