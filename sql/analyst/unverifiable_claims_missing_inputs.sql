-- Question: which leaked claims could not be verified, and what input is missing?
-- One row per kind of claim and missing input: how many claims, on how many documents, an example
-- reason (a sentence naming what is missing) and the devices and coins concerned. Supplying that
-- input (a hardware benchmark, network data for the coin, ...) lets the next run check them.
SELECT p.claim, p.inputs AS missing_or_used_input, count(*) AS claims,
       count(DISTINCT p.document_id) AS documents,
       string_agg(DISTINCT p.device, ', ' ORDER BY p.device) AS devices,
       string_agg(DISTINCT p.coin, ', ' ORDER BY p.coin) AS coins,
       min(p.reason) AS example_reason
FROM marts.leak_plausibility AS p
WHERE p.verdict = 'unverifiable'
GROUP BY p.claim, p.inputs
ORDER BY claims DESC, p.claim, p.inputs;
