-- Question: what were the largest jumps and drops in each proof-of-work coin's network hashrate, and did any drop line up with the end of a claimed mining period?
-- One row per detected level shift with a score of at least 5 (clearly not noise), largest first per coin,
-- with the claims (rally windows, leaked sheets) it lines up with: a step up near a period's start, a step
-- down near its end (the withdrawal the claim predicts when AI load rises).
SELECT coin, break_date, direction, round(step_log, 3) AS step_log, round(pct_change * 100, 1) AS pct_change,
       level_before_hs, level_after_hs, round(score, 1) AS score, lines_up_with
FROM views.hashrate_breaks
WHERE score >= 5
ORDER BY coin, abs(step_log) DESC, break_date;
