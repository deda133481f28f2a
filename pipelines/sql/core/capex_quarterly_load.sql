-- Rebuild core.capex_quarterly (staged_quarterly). Several files may give the same quarter: an
-- observed figure beats a synthesised one, then the first file by path.
DELETE FROM core.capex_quarterly;

INSERT INTO core.capex_quarterly
SELECT DISTINCT ON (ticker, period_end)
    company, ticker, CAST(period_end AS DATE), fiscal_label, capex_usd, document_id, locator, source,
    coalesce(is_synthetic, false)
FROM staged_quarterly
ORDER BY ticker, period_end, coalesce(is_synthetic, false), path, locator;
