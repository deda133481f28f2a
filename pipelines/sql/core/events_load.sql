DELETE FROM core.events;
INSERT INTO core.events
SELECT date, asset, kind, title, source, document_id, locator FROM staged ORDER BY date, path, locator;
