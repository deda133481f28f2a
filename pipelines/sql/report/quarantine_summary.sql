-- Quarantined records per document, table, check and reason, with one example locator.
WITH paths AS (
    SELECT document_id,
           first(path ORDER BY CASE status WHEN 'loaded' THEN 0 WHEN 'quarantined' THEN 1 ELSE 2 END, path) AS path
    FROM core.documents
    GROUP BY document_id
)
SELECT coalesce(d.path, q.document_id) AS document, q.source_table, q.stage, q.check_name,
       left(q.reason, $maxlen) AS reason, count(*) AS records, min(left(q.locator, 80)) AS example_locator
FROM core.quarantine AS q
LEFT JOIN paths AS d USING (document_id)
GROUP BY ALL
ORDER BY records DESC, document, source_table, check_name, reason
LIMIT $limit;
