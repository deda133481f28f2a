-- Inputs of marts.leak_plausibility: which consensus each chain ran on which dates (valid_to exclusive).
SELECT coin, valid_from, valid_to, consensus
FROM core.consensus_periods
ORDER BY coin, valid_from;
