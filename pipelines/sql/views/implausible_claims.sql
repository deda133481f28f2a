-- Question: which figures in the leaked cost sheets cannot be true, why, and where exactly are they printed?
-- One row = one implausible claim (marts.leak_plausibility, verdict 'implausible') on one cost-sheet line,
-- with the rule's quotable reason, the file (path under the raw folder), page, table, row, the line as
-- printed and, for PDFs, its bounding box, so a reader can find it in the original document.
CREATE OR REPLACE VIEW views.implausible_claims AS
WITH doc AS (SELECT * FROM views.document_paths())   -- one path per document
SELECT
    p.company,
    p.site,
    p.device,
    p.coin,
    p.period_start,
    p.period_end,
    p.claim,
    p.claimed_value,
    p.expected_low,
    p.expected_high,
    p.unit,
    CASE
        WHEN p.claimed_value > p.expected_high AND p.expected_high > 0 THEN p.claimed_value / p.expected_high
        WHEN p.claimed_value < p.expected_low AND p.claimed_value > 0 THEN p.expected_low / p.claimed_value
    END AS off_by_factor,
    p.reason,
    p.inputs,
    doc.path AS document_path,
    p.page,
    p.table_index,
    p.row_index,
    l.bbox,
    l.source_text,
    l.extraction_method,
    l.is_total_row,
    p.document_id,
    p.rule_version
FROM marts.leak_plausibility AS p
LEFT JOIN core.cost_sheet_lines AS l
    ON l.document_id = p.document_id AND l.table_index = p.table_index AND l.row_index = p.row_index
LEFT JOIN doc ON doc.document_id = p.document_id
WHERE p.verdict = 'implausible'
ORDER BY document_path, p.page, p.table_index, p.row_index, p.claim;

COMMENT ON VIEW views.implausible_claims IS 'Every implausible leaked claim with its reason and where it is printed (document path, page, table, row, bbox, the line as printed). One row = one claim of one cost-sheet line that the inputs rule out.';
COMMENT ON COLUMN views.implausible_claims.company IS 'Company as printed on the sheet (e.g. Amazon Web Services).';
COMMENT ON COLUMN views.implausible_claims.site IS 'Site (data center) as printed on the sheet.';
COMMENT ON COLUMN views.implausible_claims.device IS 'Accelerator or miner as printed on the sheet (e.g. H100 SXM).';
COMMENT ON COLUMN views.implausible_claims.coin IS 'Coin the line claims to mine (ticker: BTC, ETH, ETC, XMR, ...).';
COMMENT ON COLUMN views.implausible_claims.period_start IS 'First day the line covers (DATE, UTC).';
COMMENT ON COLUMN views.implausible_claims.period_end IS 'Last day the line covers (DATE, UTC).';
COMMENT ON COLUMN views.implausible_claims.claim IS 'What was checked: hashrate | power_cost | coins_mined | consensus | period | total_<column>, or for the whole file metadata_dates | metadata_producer (page, table_index and row_index NULL).';
COMMENT ON COLUMN views.implausible_claims.claimed_value IS 'What the sheet says, in `unit`.';
COMMENT ON COLUMN views.implausible_claims.expected_low IS 'Lowest value the checked inputs allow, tolerance included, in `unit`.';
COMMENT ON COLUMN views.implausible_claims.expected_high IS 'Highest value the checked inputs allow, in `unit`; NULL = no upper bound from this rule.';
COMMENT ON COLUMN views.implausible_claims.unit IS 'Unit of claimed_value and expected_*: H/s per device, the sheet''s currency, coins of `coin`, kW, devices, H/s or days.';
COMMENT ON COLUMN views.implausible_claims.off_by_factor IS 'How many times the claim lies outside the allowed range (claimed / expected_high above it, expected_low / claimed below it); NULL when the bound is 0 or missing (e.g. coins claimed where none could be mined).';
COMMENT ON COLUMN views.implausible_claims.reason IS 'A quotable sentence with the numbers and units that rule the claim out.';
COMMENT ON COLUMN views.implausible_claims.inputs IS 'What the expectation used (hardware spec, network days, consensus periods, ...).';
COMMENT ON COLUMN views.implausible_claims.document_path IS 'The leaked file, relative to the raw folder (the first path seen with these bytes).';
COMMENT ON COLUMN views.implausible_claims.page IS '1-based PDF page (sheet number for XLSX, 1 for CSV); NULL for a claim on the whole file (metadata_*).';
COMMENT ON COLUMN views.implausible_claims.table_index IS '0-based table in the document (a table stitched across pages counts once).';
COMMENT ON COLUMN views.implausible_claims.row_index IS '0-based data line in that table (header lines not counted).';
COMMENT ON COLUMN views.implausible_claims.bbox IS 'Where the line is printed: x0, top, x1, bottom in PDF points; NULL for XLSX and CSV sheets.';
COMMENT ON COLUMN views.implausible_claims.source_text IS 'The line as printed in the document.';
COMMENT ON COLUMN views.implausible_claims.extraction_method IS 'How the line was read: pdf_lines | pdf_text | ocr | xlsx | csv.';
COMMENT ON COLUMN views.implausible_claims.is_total_row IS 'True for a totals line of the sheet (checked against the sum of its lines).';
COMMENT ON COLUMN views.implausible_claims.document_id IS 'sha256 of the document''s bytes (key into core.documents and core.cost_sheet_lines).';
COMMENT ON COLUMN views.implausible_claims.rule_version IS 'Version of the plausibility rules that gave the verdict.';
