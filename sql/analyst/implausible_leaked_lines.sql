-- Question: which leaked cost-sheet lines are implausible, and why?
-- One row per line with at least one implausible claim: the company, site, device and coin, which claims
-- fail (hashrate, coins_mined, consensus, ...), the worst factor by which a claim lies outside what the
-- inputs allow (NULL when the allowed value is 0, e.g. coins claimed on a proof-of-stake chain), the
-- reasons as quotable sentences, and where to find the line: file, page, row, bounding box, text as printed.
SELECT company, site, device, coin, period_start, period_end,
       string_agg(claim, ', ' ORDER BY claim) AS implausible_claims,
       max(off_by_factor) AS worst_off_by_factor,
       string_agg(reason, ' / ' ORDER BY claim) AS reasons,
       document_path, page, table_index, row_index,
       any_value(bbox) AS bbox,
       any_value(source_text) AS source_text
FROM views.implausible_claims
GROUP BY company, site, device, coin, period_start, period_end, document_path, page, table_index, row_index
ORDER BY document_path, page, table_index, row_index;
