-- Question: how much capex did each company announce, and how much did it file as spent, per year?
-- One row per company and year, in billions of USD: the latest total-capex guidance for the year, the
-- AI data-center plans announced that year (whole plans, and spread per year over their horizon),
-- and the capex filed for the year's quarters. guidance_to_filed near 1: spent as guided. A plan far
-- above a year's filed capex is spread over many years (see plan_per_year_bn).
SELECT company, year,
       round(total_capex_guidance_usd / 1e9, 2) AS guidance_bn,
       round(announced_ai_datacenter_usd / 1e9, 2) AS ai_plans_bn,
       round(ai_datacenter_usd_per_plan_year / 1e9, 2) AS plan_per_year_bn,
       round(filed_capex_usd / 1e9, 2) AS filed_bn,
       quarters_filed,
       round(total_capex_guidance_to_filed, 3) AS guidance_to_filed
FROM views.capex_announced_vs_spent
ORDER BY company, year;
