-- Question: how much capital spending did each company announce for a year, and how much did it file as spent?
-- One row = one company and calendar year, all amounts USD:
-- - total-capex guidance for that year (core.capex_announcements, scope total_capex; the year its horizon
--   ends, else the year it was given): the latest figure, since guidance is revised rather than added up;
-- - AI data-center (and other) plans announced that year, summed (each plan once: repeats with duplicate_of
--   set are left out); such a plan usually runs several years, so ai_datacenter_usd_per_plan_year spreads
--   each over its horizon where the text gives one;
-- - purchases of property and equipment filed for quarters ending that year (core.capex_quarterly).
-- Read total_capex_guidance_to_filed: about 1 = spent as guided. NULL where one side is missing.
CREATE OR REPLACE VIEW views.capex_announced_vs_spent AS
WITH plans AS (
    SELECT
        company,
        CAST(year(announced_on) AS INTEGER) AS year,
        count(*) AS plans_announced,
        sum(amount_usd) FILTER (WHERE scope = 'ai_datacenter') AS announced_ai_datacenter_usd,
        sum(amount_usd / nullif(horizon_years, 0)) FILTER (WHERE scope = 'ai_datacenter') AS ai_datacenter_usd_per_plan_year,
        sum(amount_usd) FILTER (WHERE scope = 'other') AS announced_other_usd,
        count(*) FILTER (WHERE amount_usd IS NULL) AS plans_without_usd
    FROM core.capex_announcements
    WHERE duplicate_of IS NULL AND scope <> 'total_capex'
    GROUP BY company, year
),
guidance AS (
    SELECT
        company,
        CAST(year(coalesce(horizon_end, announced_on)) AS INTEGER) AS year,
        arg_max(amount_usd, (announced_on, announcement_id)) AS total_capex_guidance_usd,
        arg_max(amount_low_usd, (announced_on, announcement_id)) AS total_capex_guidance_low_usd,
        arg_max(amount_high_usd, (announced_on, announcement_id)) AS total_capex_guidance_high_usd,
        max(announced_on) AS guidance_given_on,
        count(*) AS guidance_updates
    FROM core.capex_announcements
    WHERE duplicate_of IS NULL AND scope = 'total_capex'
    GROUP BY company, year
),
filed AS (
    SELECT
        company,
        CAST(year(period_end) AS INTEGER) AS year,
        min(ticker) AS ticker,
        sum(capex_usd) AS filed_capex_usd,
        count(*) AS quarters_filed
    FROM core.capex_quarterly
    GROUP BY company, year
),
company_years AS (
    SELECT company, year FROM plans
    UNION SELECT company, year FROM guidance
    UNION SELECT company, year FROM filed
)
SELECT
    k.company,
    f.ticker,
    k.year,
    g.total_capex_guidance_usd,
    g.total_capex_guidance_low_usd,
    g.total_capex_guidance_high_usd,
    g.guidance_given_on,
    g.guidance_updates,
    p.plans_announced,
    p.announced_ai_datacenter_usd,
    p.ai_datacenter_usd_per_plan_year,
    p.announced_other_usd,
    p.plans_without_usd,
    f.filed_capex_usd,
    f.quarters_filed,
    g.total_capex_guidance_usd / nullif(f.filed_capex_usd, 0) AS total_capex_guidance_to_filed
FROM company_years AS k
LEFT JOIN plans AS p ON p.company = k.company AND p.year = k.year
LEFT JOIN guidance AS g ON g.company = k.company AND g.year = k.year
LEFT JOIN filed AS f ON f.company = k.company AND f.year = k.year
ORDER BY k.company, k.year;

COMMENT ON VIEW views.capex_announced_vs_spent IS 'Capex announced (latest total-capex guidance; AI data-center plans) vs capex filed as spent, per company and calendar year, USD. One row = one company and year with guidance, a plan or a filed quarter.';
COMMENT ON COLUMN views.capex_announced_vs_spent.company IS 'Canonical company name (pipelines/reference/capex_company_aliases.csv): Microsoft, Amazon, Alphabet, Meta, ...';
COMMENT ON COLUMN views.capex_announced_vs_spent.ticker IS 'Stock ticker from the filings; NULL in a year without filed quarters.';
COMMENT ON COLUMN views.capex_announced_vs_spent.year IS 'Calendar year: the guidance''s target year, the plans'' announcement year, the filed quarters'' period-end year.';
COMMENT ON COLUMN views.capex_announced_vs_spent.total_capex_guidance_usd IS 'The latest total-capex figure given for this year (scope total_capex; a range at its midpoint), USD.';
COMMENT ON COLUMN views.capex_announced_vs_spent.total_capex_guidance_low_usd IS 'Low end of that latest guidance, USD; NULL for an up-to figure.';
COMMENT ON COLUMN views.capex_announced_vs_spent.total_capex_guidance_high_usd IS 'High end of that latest guidance, USD; NULL for an at-least figure.';
COMMENT ON COLUMN views.capex_announced_vs_spent.guidance_given_on IS 'Date the latest guidance for this year was given (DATE, UTC).';
COMMENT ON COLUMN views.capex_announced_vs_spent.guidance_updates IS 'Total-capex figures given for this year (the first and each revision).';
COMMENT ON COLUMN views.capex_announced_vs_spent.plans_announced IS 'AI data-center and other plans announced this year, each plan once.';
COMMENT ON COLUMN views.capex_announced_vs_spent.announced_ai_datacenter_usd IS 'Sum of AI data-center plans (scope ai_datacenter) announced this year, whole plans whatever their horizon, USD.';
COMMENT ON COLUMN views.capex_announced_vs_spent.ai_datacenter_usd_per_plan_year IS 'The same plans each divided by its horizon in years, summed, USD per year; plans without a horizon are left out.';
COMMENT ON COLUMN views.capex_announced_vs_spent.announced_other_usd IS 'Sum of other announced amounts (scope other) this year, USD.';
COMMENT ON COLUMN views.capex_announced_vs_spent.plans_without_usd IS 'Plans left out of the sums because no USD rate exists for their currency (see core.capex_announcements.fx_note).';
COMMENT ON COLUMN views.capex_announced_vs_spent.filed_capex_usd IS 'Purchases of property and equipment filed for the quarters ending this year, USD.';
COMMENT ON COLUMN views.capex_announced_vs_spent.quarters_filed IS 'Quarters filed this year (4 = a full year).';
COMMENT ON COLUMN views.capex_announced_vs_spent.total_capex_guidance_to_filed IS 'total_capex_guidance_usd / filed_capex_usd: above 1 the company guided more than its filings show spent; NULL without both.';
