-- Question: which leaked cost sheets hold up, and which contain figures that cannot be true?
-- One row = one cost-sheet file under the raw folder (loaded, quarantined or a duplicate), with how many
-- of its lines were read and how many claims on them were found plausible, implausible or unverifiable.
-- Counts are NULL for a file that was not read (quarantined) or is a byte-for-byte duplicate of another.
CREATE OR REPLACE VIEW views.leak_verdicts_by_document AS
WITH claims AS (
    SELECT
        document_id,
        count(*) AS claims,
        count(*) FILTER (WHERE verdict = 'plausible') AS plausible_claims,
        count(*) FILTER (WHERE verdict = 'implausible') AS implausible_claims,
        count(*) FILTER (WHERE verdict = 'unverifiable') AS unverifiable_claims,
        count(DISTINCT (table_index, row_index)) FILTER (WHERE verdict = 'implausible' AND row_index IS NOT NULL)
            AS lines_with_implausible_claims,   -- metadata_* claims are on the file, not a line
        string_agg(DISTINCT claim, ', ' ORDER BY claim) FILTER (WHERE verdict = 'implausible') AS implausible_claim_kinds
    FROM marts.leak_plausibility
    GROUP BY document_id
),
lines AS (
    SELECT
        document_id,
        count(*) FILTER (WHERE NOT is_total_row) AS data_lines,
        count(*) FILTER (WHERE is_total_row) AS total_lines,
        string_agg(DISTINCT coalesce(company_canonical, company), ', ' ORDER BY coalesce(company_canonical, company))
            AS companies,
        string_agg(DISTINCT coin, ', ' ORDER BY coin) AS coins,
        min(period_start) AS period_start,
        max(period_end) AS period_end,
        sum(claimed_revenue_usd) FILTER (WHERE NOT is_total_row) AS claimed_revenue_usd,
        string_agg(DISTINCT extraction_method, ', ' ORDER BY extraction_method) AS extraction_method,
        string_agg(DISTINCT locale, ', ' ORDER BY locale) AS locale
    FROM core.cost_sheet_lines
    GROUP BY document_id
)
SELECT
    d.path,
    d.status,
    d.duplicate_of,
    d.error,
    d.pages,
    l.companies,
    l.coins,
    l.period_start,
    l.period_end,
    -- a file that was read has a known count, 0 included (an archive or e-mail holds no lines itself: its
    -- members are rows of their own); NULL only for a file that was not read
    CASE WHEN d.status = 'loaded' THEN coalesce(l.data_lines, 0) END AS data_lines,
    CASE WHEN d.status = 'loaded' THEN coalesce(l.total_lines, 0) END AS total_lines,
    l.claimed_revenue_usd,
    c.claims,
    c.plausible_claims,
    c.implausible_claims,
    c.unverifiable_claims,
    c.lines_with_implausible_claims,
    c.implausible_claim_kinds,
    CASE
        WHEN d.status = 'duplicate' THEN 'duplicate of ' || d.duplicate_of
        WHEN d.status <> 'loaded' THEN 'not read: ' || coalesce(d.error, d.status)
        WHEN coalesce(c.claims, 0) = 0 THEN 'no claim could be checked'
        WHEN c.implausible_claims > 0 THEN 'contains implausible claims'
        WHEN c.unverifiable_claims > 0 THEN 'no implausible claim; some could not be verified'
        ELSE 'every checked claim is plausible'
    END AS document_verdict,
    l.extraction_method,
    l.locale,
    d.document_id
FROM core.documents AS d
LEFT JOIN lines AS l ON l.document_id = d.document_id AND d.status = 'loaded'
LEFT JOIN claims AS c ON c.document_id = d.document_id AND d.status = 'loaded'
WHERE d.kind = 'cost_sheet'
ORDER BY d.path;

COMMENT ON VIEW views.leak_verdicts_by_document IS 'Per leaked cost-sheet file: lines read and claims found plausible, implausible or unverifiable, with a one-phrase verdict. One row = one file under raw/cost_sheets/.';
COMMENT ON COLUMN views.leak_verdicts_by_document.path IS 'The file, relative to the raw folder.';
COMMENT ON COLUMN views.leak_verdicts_by_document.status IS 'loaded | quarantined | duplicate | pending (core.documents).';
COMMENT ON COLUMN views.leak_verdicts_by_document.duplicate_of IS 'For a duplicate: the path first seen with the same bytes; else NULL.';
COMMENT ON COLUMN views.leak_verdicts_by_document.error IS 'Why the file could not be read (NULL when loaded).';
COMMENT ON COLUMN views.leak_verdicts_by_document.pages IS 'Pages (PDF) or sheets (XLSX) the parser saw; 1 for CSV; NULL when not read.';
COMMENT ON COLUMN views.leak_verdicts_by_document.companies IS 'Companies on the sheet''s lines (canonical name where the alias table knows it), comma-separated.';
COMMENT ON COLUMN views.leak_verdicts_by_document.coins IS 'Coins the sheet claims to mine, comma-separated tickers.';
COMMENT ON COLUMN views.leak_verdicts_by_document.period_start IS 'Earliest day any line covers (DATE, UTC).';
COMMENT ON COLUMN views.leak_verdicts_by_document.period_end IS 'Latest day any line covers (DATE, UTC).';
COMMENT ON COLUMN views.leak_verdicts_by_document.data_lines IS 'Data lines read (totals lines not counted); 0 for a read file without lines (an archive or e-mail: its members are rows of their own); NULL for a file not read.';
COMMENT ON COLUMN views.leak_verdicts_by_document.total_lines IS 'Totals lines read; 0 for a read file without any; NULL for a file not read.';
COMMENT ON COLUMN views.leak_verdicts_by_document.claimed_revenue_usd IS 'Sum of the data lines'' claimed mining revenue, USD (converted with core.fx_daily on each line''s period end).';
COMMENT ON COLUMN views.leak_verdicts_by_document.claims IS 'Claims checked by marts.leak_plausibility on this document.';
COMMENT ON COLUMN views.leak_verdicts_by_document.plausible_claims IS 'Claims within what the inputs allow.';
COMMENT ON COLUMN views.leak_verdicts_by_document.implausible_claims IS 'Claims the inputs rule out (see views.implausible_claims).';
COMMENT ON COLUMN views.leak_verdicts_by_document.unverifiable_claims IS 'Claims that could not be checked because an input is missing (never guessed).';
COMMENT ON COLUMN views.leak_verdicts_by_document.lines_with_implausible_claims IS 'Lines with at least one implausible claim.';
COMMENT ON COLUMN views.leak_verdicts_by_document.implausible_claim_kinds IS 'Kinds of implausible claims found (hashrate, coins_mined, consensus, ...), comma-separated.';
COMMENT ON COLUMN views.leak_verdicts_by_document.document_verdict IS 'One phrase: contains implausible claims | no implausible claim; some could not be verified | every checked claim is plausible | no claim could be checked | not read: <why> | duplicate of <path>.';
COMMENT ON COLUMN views.leak_verdicts_by_document.extraction_method IS 'How the lines were read (pdf_lines, pdf_text, ocr, xlsx, csv), comma-separated when pages differ.';
COMMENT ON COLUMN views.leak_verdicts_by_document.locale IS 'Number locale(s) the document was read with (de, en).';
COMMENT ON COLUMN views.leak_verdicts_by_document.document_id IS 'sha256 of the file''s bytes; NULL when the file could not be read at all.';
