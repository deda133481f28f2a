-- Inputs of marts.leak_plausibility: what each leaked cost sheet says about itself (core.document_metadata),
-- with the period its lines report (earliest start, latest end) and the companies they name.
WITH periods AS (
    SELECT document_id, min(period_start) AS period_start, max(period_end) AS period_end,
           string_agg(DISTINCT company, ', ' ORDER BY company) AS company
    FROM core.cost_sheet_lines
    GROUP BY document_id
), sheets AS (
    SELECT DISTINCT document_id FROM core.document_inventory WHERE kind = 'cost_sheet' AND document_id IS NOT NULL
)
SELECT m.*, p.period_start, p.period_end, p.company
FROM core.document_metadata AS m
JOIN sheets USING (document_id)
LEFT JOIN periods AS p USING (document_id)
ORDER BY m.document_id;
