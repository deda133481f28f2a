-- Input of marts.fleet_detectability: the rally windows the models ran with (marts.rally_attribution,
-- so a run-time override of the windows reaches the detectability too).
SELECT DISTINCT window_name, window_start, window_end
FROM marts.rally_attribution
ORDER BY window_start, window_name;
