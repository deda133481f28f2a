-- Question: how much of each rally does each channel explain, with its interval?
-- One row per coin, window and subject; one column per channel with the share of the rally's log
-- return as "p50 [p05, p95]" (1 = the whole rally). idle_ai_mining is the claim under test,
-- spot_etf_flows the yardstick. A channel whose interval straddles 0 has no clear sign; the residual is
-- what none of the channels explains. A window whose price fell has no shares: its cells read
-- "log return p50 [p05, p95]" in log-return points instead (share_reason in views.rally_attribution_summary).
SELECT coin, window_name, window_start, window_end, subject,
       round(rally_simple_return, 3) AS rally_return,
       max(coalesce(share_interval, 'log return ' || log_return_interval)) FILTER (WHERE channel = 'hashrate') AS hashrate,
       max(coalesce(share_interval, 'log return ' || log_return_interval)) FILTER (WHERE channel = 'flow') AS flow,
       max(coalesce(share_interval, 'log return ' || log_return_interval)) FILTER (WHERE channel = 'event') AS event,
       max(coalesce(share_interval, 'log return ' || log_return_interval)) FILTER (WHERE channel = 'residual') AS residual
FROM views.rally_attribution_summary
GROUP BY coin, window_name, window_start, window_end, subject, rally_simple_return
ORDER BY window_start, coin, subject;
