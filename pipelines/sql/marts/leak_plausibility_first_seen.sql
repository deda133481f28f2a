-- Inputs of marts.leak_plausibility: the first day each document was seen under the raw folder (UTC).
SELECT document_id, CAST(min(first_seen_at AT TIME ZONE 'UTC') AS DATE) AS first_seen
FROM core.document_inventory
WHERE document_id IS NOT NULL
GROUP BY document_id
ORDER BY document_id;
