-- Cells or rows the typed reader could not read (fast path only).
SELECT count(*) FROM price_reader_rejects;
