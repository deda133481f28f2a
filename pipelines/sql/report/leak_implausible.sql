-- Every implausible claim with its reason and where it was printed: the document's path (a
-- byte-identical copy is a 'duplicate' row of core.documents with the same document_id: the loaded
-- path is named, the copies counted), page, table, row and the line's bbox (x0, top, x1, bottom in
-- PDF points from the page's top left, as pdfplumber gives them; NULL off PDFs).
-- Long texts are cut to $maxlen characters (their full length is given); at most $limit rows.
WITH paths AS (
    SELECT document_id,
           first(path ORDER BY CASE status WHEN 'loaded' THEN 0 WHEN 'quarantined' THEN 1 ELSE 2 END, path) AS path,
           first(media_type ORDER BY CASE status WHEN 'loaded' THEN 0 WHEN 'quarantined' THEN 1 ELSE 2 END, path) AS media_type,
           count(*) - 1 AS copies
    FROM core.documents
    GROUP BY document_id
)
SELECT p.document_id, d.path, d.media_type, coalesce(d.copies, 0) AS copies,
       p.page, p.table_index, p.row_index, p.claim, p.claimed_value, p.expected_low, p.expected_high,
       p.unit, left(p.reason, $maxlen) AS reason, length(p.reason) AS reason_length,
       p.company, p.site, p.device, p.coin, p.period_start, p.period_end,
       l.bbox, l.extraction_method,
       left(l.source_text, $maxlen) AS source_text, length(l.source_text) AS source_text_length
FROM marts.leak_plausibility AS p
LEFT JOIN paths AS d USING (document_id)
LEFT JOIN core.cost_sheet_lines AS l USING (document_id, page, table_index, row_index)
WHERE p.verdict = 'implausible'
ORDER BY d.path NULLS LAST, p.document_id, p.page, p.table_index, p.row_index, p.claim
LIMIT $limit;
