-- Inputs of marts.leak_plausibility: published device figures (H/s, W).
SELECT device, device_class, algorithm, hashrate_hs, power_w, source
FROM core.hardware_specs
ORDER BY device, algorithm, source;
