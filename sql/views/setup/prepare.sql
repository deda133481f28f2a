-- Before the analyst views are (re)created (pipelines/lib/warehouse.py, _apply_views): start the
-- schema `views` afresh, so a view whose file was deleted goes too, and keep the bookkeeping table
-- that records which version of sql/views/*.sql and sql/core/comments.sql the file carries.
DROP SCHEMA IF EXISTS views CASCADE;
CREATE SCHEMA views;
CREATE TABLE IF NOT EXISTS meta.views_digest (digest VARCHAR NOT NULL);
