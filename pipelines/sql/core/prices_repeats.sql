-- Good rows that share an asset and timestamp with another good row (exact; a hash over all rows).
SELECT count(*) - (SELECT count(*) FROM (SELECT DISTINCT asset, ts FROM price_rows WHERE reason IS NULL))
FROM price_rows WHERE reason IS NULL;
