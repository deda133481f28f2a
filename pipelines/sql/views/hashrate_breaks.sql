-- Question: when did each proof-of-work coin's network hashrate jump or drop, and does a jump sit where a claim puts the fleet's arrival, or a drop where it puts its withdrawal?
-- One row = one level shift in a coin's daily log network hashrate (marts.hashrate_breaks), up or down,
-- as a percentage change too, and the claims it lines up with: the rally windows and leaked sheets of
-- marts.fleet_detectability whose period starts within 30 days of a step up, or ends within 30 days of a
-- step down (the withdrawal the claim predicts when AI load rises).
CREATE OR REPLACE VIEW views.hashrate_breaks AS
SELECT
    b.coin,
    b.break_date,
    b.direction,
    b.step_log,
    exp(b.step_log) - 1 AS pct_change,
    b.level_before_hs,
    b.level_after_hs,
    b.score,
    (SELECT string_agg(DISTINCT d.subject || ':' || d.subject_id, ', ' ORDER BY d.subject || ':' || d.subject_id)
     FROM marts.fleet_detectability AS d
     WHERE d.coin = b.coin
       AND ((b.direction = 'up' AND abs(datediff('day', d.period_start, b.break_date)) <= 30)
         OR (b.direction = 'down' AND abs(datediff('day', d.period_end, b.break_date)) <= 30))) AS lines_up_with,
    b.method
FROM marts.hashrate_breaks AS b
ORDER BY b.coin, b.break_date;

COMMENT ON VIEW views.hashrate_breaks IS 'Level shifts in each proof-of-work coin''s daily log network hashrate (marts.hashrate_breaks), up and down, with the claims (rally windows, leaked sheets) whose period starts near a step up or ends near a step down.';
COMMENT ON COLUMN views.hashrate_breaks.coin IS 'Coin ticker.';
COMMENT ON COLUMN views.hashrate_breaks.break_date IS 'First day of the new level.';
COMMENT ON COLUMN views.hashrate_breaks.direction IS 'up (hashrate arrived) | down (hashrate left).';
COMMENT ON COLUMN views.hashrate_breaks.step_log IS 'Signed log change of the level across the break (median of up to 14 days each side).';
COMMENT ON COLUMN views.hashrate_breaks.pct_change IS 'The same as a fraction: exp(step_log) - 1 (0.5 = +50 %).';
COMMENT ON COLUMN views.hashrate_breaks.level_before_hs IS 'Median network hashrate before the break, hashes per second.';
COMMENT ON COLUMN views.hashrate_breaks.level_after_hs IS 'Median network hashrate after the break, hashes per second.';
COMMENT ON COLUMN views.hashrate_breaks.score IS '|step_log| in standard errors at the series'' noise; above ~3 the step is not noise.';
COMMENT ON COLUMN views.hashrate_breaks.lines_up_with IS 'subject:subject_id of marts.fleet_detectability rows whose period starts within 30 days of this step up, or ends within 30 days of this step down; NULL: none.';
COMMENT ON COLUMN views.hashrate_breaks.method IS 'The detector (ruptures PELT, l2 cost, one penalty rule for every coin).';
