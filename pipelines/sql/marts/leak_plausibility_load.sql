-- Write marts.leak_plausibility from the staged verdicts, in one transaction: the rows of every document
-- when everything is true, else only those of the documents in dropped (recomputed, or gone) are replaced.
DELETE FROM marts.leak_plausibility
WHERE $everything OR document_id IN (SELECT document_id FROM dropped);
INSERT INTO marts.leak_plausibility
SELECT document_id, CAST(page AS INTEGER), CAST(table_index AS INTEGER), CAST(row_index AS INTEGER), claim,
       claimed_value, expected_low, expected_high, verdict, reason, unit, company, site, device, coin, CAST(period_start AS DATE), CAST(period_end AS DATE), inputs,
       rule_version
FROM staged
ORDER BY document_id, table_index, row_index, claim;
