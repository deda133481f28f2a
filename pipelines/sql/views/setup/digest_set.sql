-- Record the sha256 of the view and comment files just applied (one row).
DELETE FROM meta.views_digest;
INSERT INTO meta.views_digest VALUES ($digest);
