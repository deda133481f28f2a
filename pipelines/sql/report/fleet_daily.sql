-- Installed and idle AI accelerators per company and day, p05/p50/p95 of the Monte Carlo.
SELECT company, date, gpus_p05, gpus_p50, gpus_p95, idle_gpus_p05, idle_gpus_p50, idle_gpus_p95, basis
FROM marts.ai_fleet_daily
ORDER BY company, date;
