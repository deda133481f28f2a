-- Tornado data: each headline result with one assumption at its low and high end (others central);
-- only the assumptions that move the result (rank NOT NULL), most influential first.
SELECT metric, coin, window_name, subject, channel, assumption, assumption_low, assumption_high,
       assumption_unit, result_base, result_at_low, result_at_high, swing, rank
FROM marts.sensitivity
WHERE rank IS NOT NULL
ORDER BY metric, coin NULLS FIRST, window_name, subject NULLS FIRST, channel NULLS FIRST, rank;
