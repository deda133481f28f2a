-- Question: how much of each coin's rally could each channel explain, with what interval, by which method?
-- One row = one coin, rally window, subject and channel of marts.rally_attribution, in long form for
-- pivoting (rows coin x window, columns channel, values share_p50). subject idle_ai_mining is the claim
-- under test; spot_etf_flows runs the same flow channel on the spot-ETF net flows as a yardstick.
-- share_* is the channel's share of the rally's log return (1 = all of it; the residual is what the
-- three channels leave); share_interval prints p50 [p05, p95]. excludes_zero: the 90 % interval lies on
-- one side of 0, so the channel's sign is clear at that level. A window whose price fell (or did not move)
-- is no rally: its shares are NULL with share_reason, and log_return_interval states each channel in
-- log-return points (as for every window).
CREATE OR REPLACE VIEW views.rally_attribution_summary AS
SELECT
    coin,
    window_name,
    window_start,
    window_end,
    first_priced_day,
    last_priced_day,
    subject,
    channel,
    CASE channel WHEN 'hashrate' THEN 1 WHEN 'flow' THEN 2 WHEN 'event' THEN 3 WHEN 'residual' THEN 4 END AS channel_order,
    rally_log_return,
    exp(rally_log_return) - 1 AS rally_simple_return,
    share_p05,
    share_p50,
    share_p95,
    printf('%.3g [%.3g, %.3g]', share_p50, share_p05, share_p95) AS share_interval,
    share_reason,
    printf('%.3g [%.3g, %.3g]', log_return_p50, log_return_p05, log_return_p95) AS log_return_interval,
    (coalesce(share_p05, log_return_p05) > 0 OR coalesce(share_p95, log_return_p95) < 0) AS excludes_zero,
    log_return_p05,
    log_return_p50,
    log_return_p95,
    method,
    inputs,
    market_value_usd,
    market_value_how,
    assumption_set,
    model_version
FROM marts.rally_attribution
ORDER BY window_start, coin, subject, channel_order;

COMMENT ON VIEW views.rally_attribution_summary IS 'Rally attribution in long, pivot-friendly form: per coin, window, subject and channel, the share of the rally explained as p05/p50/p95 with the method. One row = one coin x window x subject x channel.';
COMMENT ON COLUMN views.rally_attribution_summary.coin IS 'Coin ticker (BTC, ETH, ETC, XMR).';
COMMENT ON COLUMN views.rally_attribution_summary.window_name IS 'Rally window name from the assumptions (e.g. rally, late_2024).';
COMMENT ON COLUMN views.rally_attribution_summary.window_start IS 'First day of the window (DATE, UTC).';
COMMENT ON COLUMN views.rally_attribution_summary.window_end IS 'Last day of the window (DATE, UTC).';
COMMENT ON COLUMN views.rally_attribution_summary.first_priced_day IS 'First day in the window with a close; the rally starts here (DATE, UTC).';
COMMENT ON COLUMN views.rally_attribution_summary.last_priced_day IS 'Last day in the window with a close; the rally ends here (DATE, UTC).';
COMMENT ON COLUMN views.rally_attribution_summary.subject IS 'idle_ai_mining (the claim under test) | spot_etf_flows (the yardstick).';
COMMENT ON COLUMN views.rally_attribution_summary.channel IS 'hashrate | flow | event | residual.';
COMMENT ON COLUMN views.rally_attribution_summary.channel_order IS 'Sort key for channels: 1 hashrate, 2 flow, 3 event, 4 residual.';
COMMENT ON COLUMN views.rally_attribution_summary.rally_log_return IS 'ln(close on last_priced_day / close on first_priced_day).';
COMMENT ON COLUMN views.rally_attribution_summary.rally_simple_return IS 'The rally as a simple return, exp(rally_log_return) - 1 (0.95 = +95 %).';
COMMENT ON COLUMN views.rally_attribution_summary.share_p05 IS '5th percentile of the channel''s share of the rally''s log return (1 = all of it; may be negative or above 1).';
COMMENT ON COLUMN views.rally_attribution_summary.share_p50 IS 'Median share of the rally''s log return the channel explains.';
COMMENT ON COLUMN views.rally_attribution_summary.share_p95 IS '95th percentile of the channel''s share.';
COMMENT ON COLUMN views.rally_attribution_summary.share_interval IS 'The share as text: p50 [p05, p95], 3 significant digits; NULL when the channel is unknown or the price fell (see share_reason).';
COMMENT ON COLUMN views.rally_attribution_summary.share_reason IS 'Why the share is NULL: the window''s price fell or did not move (not a rally; read log_return_interval), or the channel is unknown (see inputs). NULL when the shares are stated.';
COMMENT ON COLUMN views.rally_attribution_summary.log_return_interval IS 'The channel''s contribution in log-return points as text: p50 [p05, p95], 3 significant digits; NULL when the channel is unknown.';
COMMENT ON COLUMN views.rally_attribution_summary.excludes_zero IS 'True when the p05..p95 interval (of the share, else of the log return) lies entirely above or below 0; NULL when unknown.';
COMMENT ON COLUMN views.rally_attribution_summary.log_return_p05 IS '5th percentile of the log return the channel explains.';
COMMENT ON COLUMN views.rally_attribution_summary.log_return_p50 IS 'Median log return the channel explains.';
COMMENT ON COLUMN views.rally_attribution_summary.log_return_p95 IS '95th percentile of the log return the channel explains.';
COMMENT ON COLUMN views.rally_attribution_summary.method IS 'How the channel is computed (formula, event-study design).';
COMMENT ON COLUMN views.rally_attribution_summary.inputs IS 'What the channel used (network days, flows, event clusters, market value).';
COMMENT ON COLUMN views.rally_attribution_summary.market_value_usd IS 'The coin''s market value on first_priced_day, USD.';
COMMENT ON COLUMN views.rally_attribution_summary.market_value_how IS 'Where the market value comes from (core.prices_daily.market_cap_usd, or close x circulating supply from the assumptions).';
COMMENT ON COLUMN views.rally_attribution_summary.assumption_set IS 'Assumptions file version + sha256 prefix that produced the row.';
COMMENT ON COLUMN views.rally_attribution_summary.model_version IS 'Model code version that produced the row.';
