-- marts.fleet_detectability for the leaked sheets, one row per document and coin (a sheet's lines are
-- counted per verdict rather than listed): the lines' claimed steps and detection limits as ranges, the
-- withdrawal steps that line up, the verdict of the sheet's lines summed (subject sheet_document, NULL when the
-- sheet has one line for that coin) and the first file holding the document.
WITH doc AS (SELECT * FROM views.document_paths()),   -- one path per document
d AS (
    SELECT *, split_part(subject_id, ':', 1) AS document_id
    FROM marts.fleet_detectability
    WHERE subject IN ('sheet_line', 'sheet_document')
)
SELECT d.document_id, doc.path, d.coin,
       count(*) FILTER (WHERE subject = 'sheet_line') AS lines,
       count(*) FILTER (WHERE subject = 'sheet_line' AND verdict = 'visible_and_absent') AS visible_and_absent,
       count(*) FILTER (WHERE subject = 'sheet_line' AND verdict = 'visible_and_present') AS visible_and_present,
       count(*) FILTER (WHERE subject = 'sheet_line' AND verdict = 'too_small_to_see') AS too_small_to_see,
       count(*) FILTER (WHERE subject = 'sheet_line' AND verdict = 'unknown') AS unknown,
       min(period_start) AS period_start, max(period_end) AS period_end,
       min(claimed_step_log) FILTER (WHERE subject = 'sheet_line') AS claimed_step_min,
       max(claimed_step_log) FILTER (WHERE subject = 'sheet_line') AS claimed_step_max,
       min(min_detectable_step_log) FILTER (WHERE subject = 'sheet_line') AS detectable_min,
       max(min_detectable_step_log) FILTER (WHERE subject = 'sheet_line') AS detectable_max,
       max(observed_step_log) FILTER (WHERE subject = 'sheet_line') AS observed_max,
       count(*) FILTER (WHERE subject = 'sheet_line' AND withdrawal_matches) AS withdrawal_matching_lines,
       any_value(verdict) FILTER (WHERE subject = 'sheet_document') AS document_verdict,
       any_value(claimed_step_log) FILTER (WHERE subject = 'sheet_document') AS document_step,
       any_value(min_detectable_step_log) FILTER (WHERE subject = 'sheet_document') AS document_detectable,
       left(any_value(reason) FILTER (WHERE subject = 'sheet_document'), $maxlen) AS document_reason,
       left(min(reason) FILTER (WHERE subject = 'sheet_line' AND verdict = 'unknown'), $maxlen) AS unknown_reason
FROM d
LEFT JOIN doc ON doc.document_id = d.document_id
GROUP BY d.document_id, doc.path, d.coin
ORDER BY visible_and_absent DESC, d.coin, doc.path NULLS LAST, d.document_id
LIMIT $limit;
