DELETE FROM core.fund_flows_daily;
INSERT INTO core.fund_flows_daily
SELECT DISTINCT ON (date, asset, fund) date, asset, fund, net_flow_usd, document_id
FROM staged ORDER BY date, asset, fund, path;
