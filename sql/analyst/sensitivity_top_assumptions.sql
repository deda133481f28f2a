-- Question: which assumption moves each headline result most?
-- One row per headline result (idle accelerators at the window's end, the fleet's mean network share,
-- each channel's share of each rally) with the three assumptions that move it most (rank 1..3): the
-- result at the assumptions' central values, and at this assumption's low and high end. A large
-- swing from a judgement call (e.g. idle_share) is where more evidence would change the answer.
SELECT metric, coin, window_name, subject, channel, rank, assumption,
       assumption_low, assumption_high, assumption_unit,
       result_base, result_at_low, result_at_high, swing
FROM marts.sensitivity
WHERE rank <= 3
ORDER BY metric, window_name, coin NULLS FIRST, subject NULLS FIRST, channel NULLS FIRST, rank;
