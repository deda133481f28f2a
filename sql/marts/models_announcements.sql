-- Models input: announced capex plans (core.capex_announcements); duplicates are dropped by the model.
SELECT announcement_id, company, announced_on, amount_usd, scope, horizon_years, duplicate_of
FROM core.capex_announcements
ORDER BY announced_on, announcement_id;
