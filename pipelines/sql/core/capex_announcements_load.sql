-- Rebuild core.capex_announcements from the parsed rows (staged_announcements), converting to USD
-- with the latest core.fx_daily rate on or before the announcement day. USD needs no rate.
DELETE FROM core.capex_announcements;

INSERT INTO core.capex_announcements
WITH rows AS (
    SELECT md5(document_id || '|' || locator) AS announcement_id, *, TRY_CAST(announced_on AS DATE) AS day
    FROM staged_announcements
), rated AS (
    SELECT r.*, f.date AS rate_date, f.usd_per_unit AS rate
    FROM rows AS r
    ASOF LEFT JOIN core.fx_daily AS f ON f.currency = r.currency AND r.day >= f.date
)
SELECT
    announcement_id, company, ticker, day, announced_on_source,
    amount_native * usd, amount_low_native * usd, amount_high_native * usd,
    amount_native, amount_low_native, amount_high_native, currency, currency_how, qualifier, scope,
    horizon_years, TRY_CAST(horizon_end AS DATE), horizon_text, document_id, locator,
    char_start, char_end, amount_text, snippet, language, company_how, extraction_method,
    CASE WHEN currency <> 'USD' THEN rate_date END,
    usd,
    CASE WHEN usd IS NULL THEN 'no USD rate for ' || currency || ' on or before ' || day || ' in core.fx_daily' END,
    NULL,
    coalesce(is_synthetic, false)
FROM (SELECT *, CASE WHEN currency = 'USD' THEN 1.0 ELSE rate END AS usd FROM rated)
ORDER BY day, company, announcement_id;

-- The same plan reported by several documents: later rows point at the first (by day, then id).
UPDATE core.capex_announcements AS a
SET duplicate_of = d.first_id
FROM (
    SELECT b.announcement_id, arg_min(f.announcement_id, (f.announced_on, f.announcement_id)) AS first_id
    FROM core.capex_announcements AS b
    JOIN core.capex_announcements AS f
      ON f.company = b.company AND f.scope = b.scope AND f.currency = b.currency
     AND f.amount_native = b.amount_native
     AND abs(f.announced_on - b.announced_on) <= 7
     AND (f.announced_on, f.announcement_id) < (b.announced_on, b.announcement_id)
    GROUP BY b.announcement_id
) AS d
WHERE a.announcement_id = d.announcement_id;
