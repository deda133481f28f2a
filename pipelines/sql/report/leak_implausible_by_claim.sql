-- Implausible claims per kind of claim (hashrate, coins_mined, consensus, totals, ...).
SELECT claim, count(*) AS claims
FROM marts.leak_plausibility
WHERE verdict = 'implausible'
GROUP BY claim
ORDER BY claims DESC, claim;
