-- Models input: announced capex plans (core.capex_announcements); duplicates, revised guidance and plans
-- inside a same-period total are dropped by the model (horizon_end is the period).
SELECT announcement_id, company, announced_on, amount_usd, scope, horizon_years, horizon_end, duplicate_of
FROM core.capex_announcements
ORDER BY announced_on, announcement_id;
