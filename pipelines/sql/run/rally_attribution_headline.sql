-- Question: how much of each rally could idle-AI mining explain, next to the spot-ETF yardstick?
-- One row per coin, window and subject: each channel's share of the rally's log return as p50 [p05, p95].
-- Shares are NULL where the window's price fell (no rally to share): share_reason says so, and the
-- channels' log-return points are in marts.rally_attribution.log_return_*.
SELECT coin, window_name, window_start, window_end, subject, rally_log_return,
       max(CASE WHEN channel = 'hashrate' THEN share_p50 END) AS hashrate_p50,
       max(CASE WHEN channel = 'hashrate' THEN share_p95 END) AS hashrate_p95,
       max(CASE WHEN channel = 'flow' THEN share_p05 END) AS flow_p05,
       max(CASE WHEN channel = 'flow' THEN share_p50 END) AS flow_p50,
       max(CASE WHEN channel = 'flow' THEN share_p95 END) AS flow_p95,
       max(CASE WHEN channel = 'event' THEN share_p05 END) AS event_p05,
       max(CASE WHEN channel = 'event' THEN share_p50 END) AS event_p50,
       max(CASE WHEN channel = 'event' THEN share_p95 END) AS event_p95,
       max(CASE WHEN channel = 'residual' THEN share_p50 END) AS residual_p50,
       max(share_reason) FILTER (WHERE share_reason LIKE 'not a rally%') AS share_reason,
       -- channels that do not apply (NULL, never 0): the yardstick's hashrate, an event channel without events
       string_agg(channel, ', ' ORDER BY channel) FILTER (WHERE share_reason LIKE 'not applicable%') AS not_applicable
FROM marts.rally_attribution
GROUP BY ALL
ORDER BY window_start, coin, subject;
-- (make run prints its summary with this file, shipped in the package as pipelines/sql/run/rally_attribution_headline.sql;
-- sql/analyst/rally_attribution_headline.sql is a link to it, so the two cannot differ.)
