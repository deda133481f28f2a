-- Leak verification counts per verdict: claims, the cost-sheet lines they sit on, documents.
SELECT verdict,
       count(*) AS claims,
       count(DISTINCT (document_id, page, table_index, row_index)) AS lines,
       count(DISTINCT document_id) AS documents
FROM marts.leak_plausibility
GROUP BY verdict
ORDER BY CASE verdict WHEN 'implausible' THEN 1 WHEN 'unverifiable' THEN 2 WHEN 'plausible' THEN 3 ELSE 4 END;
