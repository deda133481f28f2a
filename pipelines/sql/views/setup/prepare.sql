-- Before the analyst views are (re)created (pipelines/lib/warehouse/store.py, _apply_views): start the
-- schema `views` afresh, so a view whose file was deleted goes too, and keep the bookkeeping table
-- that records which version of pipelines/sql/views/*.sql and pipelines/sql/core/comments.sql the file carries.
DROP SCHEMA IF EXISTS views CASCADE;
CREATE SCHEMA views;
CREATE TABLE IF NOT EXISTS meta.views_digest (digest VARCHAR NOT NULL);

-- The coverage rule, the one place SQL reads it (pipelines/lib/models/attribution.py MIN_COVERAGE holds the
-- same 0.8 for the rally attribution; tests/test_partial_days.py keeps the two equal). A sum or mean over
-- days is known only when its value is known on at least min_coverage() of the days it is due on (days that
-- are, or may be, proof of work); the known days then stand for all of them (scaled up); below, NULL.
-- A span with no due day (proof of stake throughout) is a known 0.
CREATE MACRO views.min_coverage() AS CAST(0.8 AS DOUBLE);
CREATE MACRO views.is_covered(known_days, due_days) AS
    (due_days = 0 OR known_days >= views.min_coverage() * due_days);
CREATE MACRO views.covered_sum(known_total, known_days, due_days) AS
    CASE WHEN due_days = 0 THEN 0.0
         WHEN views.is_covered(known_days, due_days) THEN known_total * due_days / known_days END;

-- One path per document: the first file seen with those bytes. The views and the report name a document by it.
CREATE MACRO views.document_paths() AS TABLE
    SELECT document_id, min(path) AS path
    FROM core.document_inventory
    WHERE document_id IS NOT NULL AND duplicate_of IS NULL
    GROUP BY document_id;
