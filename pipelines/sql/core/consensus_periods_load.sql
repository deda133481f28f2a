DELETE FROM core.consensus_periods;
INSERT INTO core.consensus_periods SELECT coin, valid_from, valid_to, consensus, source FROM staged;
