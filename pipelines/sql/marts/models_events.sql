-- Models input: dated events (core.events).
SELECT date, asset, kind, title
FROM core.events
ORDER BY date, kind, title;
