-- Rally attribution, one row per coin, window, subject and channel: the share of the rally's log
-- return each channel explains, p05/p50/p95 (NULL = unknown, never zero; share_reason says why, e.g. a
-- falling window, whose channels are read in log-return points). Report sections 1 and 5.
SELECT coin, window_name, window_start, window_end, subject, rally_log_return, channel,
       share_p05, share_p50, share_p95, share_reason, log_return_p05, log_return_p50, log_return_p95,
       method, left(inputs, $maxlen) AS inputs,
       assumption_set, model_version
FROM marts.rally_attribution
ORDER BY window_start, window_name, coin, subject,
         CASE channel WHEN 'hashrate' THEN 1 WHEN 'flow' THEN 2 WHEN 'event' THEN 3 ELSE 4 END, channel;
