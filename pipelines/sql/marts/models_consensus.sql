-- Models input: which consensus each chain ran on which dates (valid_to exclusive), so a window day
-- without network rows is still known to be proof of stake (ETH after the Merge).
SELECT coin, valid_from, valid_to, consensus
FROM core.consensus_periods
ORDER BY coin, valid_from;
