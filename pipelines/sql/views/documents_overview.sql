-- Question: what is in the raw folder, what became of each file, and what did it contribute?
-- One row = one file under the raw folder (core.documents: files in = rows), with its status, the rows
-- its parser loaded and quarantined, the quarantine records that name it (any stage, validation
-- included), and for leaked cost sheets and capex documents what they contributed downstream.
-- Contribution counts are NULL for a duplicate (its bytes are counted under the first path).
CREATE OR REPLACE VIEW views.documents_overview AS
WITH quarantined AS (
    SELECT d.path, count(*) AS quarantine_records
    FROM core.document_inventory AS d
    JOIN core.quarantine AS q
        ON q.document_id = d.document_id
       AND (q.source_table <> 'documents' OR q.locator = 'file ' || d.path)
    WHERE d.duplicate_of IS NULL
    GROUP BY d.path
),
lines AS (
    SELECT document_id, count(*) AS cost_sheet_lines
    FROM core.cost_sheet_lines
    GROUP BY document_id
),
claims AS (
    SELECT document_id, count(*) FILTER (WHERE verdict = 'implausible') AS implausible_claims
    FROM marts.leak_plausibility
    GROUP BY document_id
),
announcements AS (
    SELECT document_id, count(*) AS capex_announcements
    FROM core.capex_announcements
    GROUP BY document_id
)
SELECT
    d.path,
    d.kind,
    d.media_type,
    d.bytes,
    d.pages,
    d.status,
    d.duplicate_of,
    d.error,
    d.rows_loaded,
    d.rows_quarantined,
    CASE WHEN d.status <> 'duplicate' THEN coalesce(qq.quarantine_records, 0) END AS quarantine_records,
    CASE WHEN d.status <> 'duplicate' AND d.kind = 'cost_sheet' THEN coalesce(l.cost_sheet_lines, 0) END AS cost_sheet_lines,
    CASE WHEN d.status <> 'duplicate' AND d.kind = 'cost_sheet' THEN coalesce(c.implausible_claims, 0) END AS implausible_claims,
    CASE WHEN d.status <> 'duplicate' AND d.kind = 'capex' THEN coalesce(a.capex_announcements, 0) END AS capex_announcements,
    d.first_seen_at,
    d.loaded_at,
    d.document_id
FROM core.documents AS d
LEFT JOIN quarantined AS qq ON qq.path = d.path
LEFT JOIN lines AS l ON l.document_id = d.document_id
LEFT JOIN claims AS c ON c.document_id = d.document_id
LEFT JOIN announcements AS a ON a.document_id = d.document_id
ORDER BY d.kind, d.path;

COMMENT ON VIEW views.documents_overview IS 'Every file under the raw folder with its status, rows loaded and quarantined, and what it contributed (cost-sheet lines, implausible claims, capex announcements). One row = one file.';
COMMENT ON COLUMN views.documents_overview.path IS 'The file, relative to the raw folder (''/''-separated).';
COMMENT ON COLUMN views.documents_overview.kind IS 'cost_sheet | capex | prices | network | hardware | fx | flows | events | unknown (from the folder it sits in).';
COMMENT ON COLUMN views.documents_overview.media_type IS 'Media type detected from the bytes (e.g. application/pdf, text/csv).';
COMMENT ON COLUMN views.documents_overview.bytes IS 'File size, bytes.';
COMMENT ON COLUMN views.documents_overview.pages IS 'Pages (PDF) or sheets (XLSX) the parser saw; NULL for other kinds.';
COMMENT ON COLUMN views.documents_overview.status IS 'loaded | quarantined | duplicate | pending (registered, its parser has not run yet).';
COMMENT ON COLUMN views.documents_overview.duplicate_of IS 'For a duplicate: the path first seen with the same bytes.';
COMMENT ON COLUMN views.documents_overview.error IS 'Why the file could not be registered or read; NULL when loaded.';
COMMENT ON COLUMN views.documents_overview.rows_loaded IS 'Records the parser loaded into the file''s core table.';
COMMENT ON COLUMN views.documents_overview.rows_quarantined IS 'Records the parser sent to core.quarantine.';
COMMENT ON COLUMN views.documents_overview.quarantine_records IS 'Records in core.quarantine for this file now, every stage (inventory, parse, validation); NULL for a duplicate.';
COMMENT ON COLUMN views.documents_overview.cost_sheet_lines IS 'Cost sheets only: lines in core.cost_sheet_lines (totals lines included).';
COMMENT ON COLUMN views.documents_overview.implausible_claims IS 'Cost sheets only: claims marts.leak_plausibility found implausible.';
COMMENT ON COLUMN views.documents_overview.capex_announcements IS 'Capex documents only: amounts in core.capex_announcements (repeats of a plan included).';
COMMENT ON COLUMN views.documents_overview.first_seen_at IS 'When the pipeline first saw this path with these bytes (TIMESTAMP WITH TIME ZONE).';
COMMENT ON COLUMN views.documents_overview.loaded_at IS 'When the parser''s outcome for the file last changed (TIMESTAMP WITH TIME ZONE); NULL when not parsed.';
COMMENT ON COLUMN views.documents_overview.document_id IS 'sha256 of the file''s bytes; NULL when the file could not be read.';
