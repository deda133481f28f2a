-- Question: which leaked sites claim the most mining revenue, and do their claims hold up?
-- One row per company and site on the leaked sheets (data lines only, totals left out): claimed
-- revenue and power cost in USD (summed over the site's lines and periods), the most devices on one
-- line, coins and the period covered, with how many of the site's claims were found implausible or
-- unverifiable. Large revenue with implausible claims is the story.
WITH verdicts AS (
    SELECT document_id, table_index, row_index,
           count(*) FILTER (WHERE verdict = 'implausible') AS implausible,
           count(*) FILTER (WHERE verdict = 'unverifiable') AS unverifiable
    FROM marts.leak_plausibility
    GROUP BY document_id, table_index, row_index
)
SELECT coalesce(l.company_canonical, l.company) AS company, l.site,
       round(sum(l.claimed_revenue_usd)) AS claimed_revenue_usd,
       round(sum(l.claimed_opex_usd)) AS claimed_power_cost_usd,
       max(l.device_count) AS most_devices_on_a_line,
       string_agg(DISTINCT l.coin, ', ' ORDER BY l.coin) AS coins,
       min(l.period_start) AS period_start, max(l.period_end) AS period_end,
       count(*) AS lines,
       coalesce(sum(v.implausible), 0) AS implausible_claims,
       coalesce(sum(v.unverifiable), 0) AS unverifiable_claims
FROM core.cost_sheet_lines AS l
LEFT JOIN verdicts AS v USING (document_id, table_index, row_index)
WHERE NOT l.is_total_row
GROUP BY coalesce(l.company_canonical, l.company), l.site
ORDER BY claimed_revenue_usd DESC NULLS LAST, company, l.site
LIMIT 20;
