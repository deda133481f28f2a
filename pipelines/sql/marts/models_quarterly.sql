-- Models input: filed quarterly capex per company (core.capex_quarterly).
SELECT company, ticker, period_end, capex_usd
FROM core.capex_quarterly
ORDER BY company, period_end;
