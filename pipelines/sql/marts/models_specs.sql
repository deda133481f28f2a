-- Models input: measured device hashrates and power (core.hardware_specs).
SELECT device, device_class, algorithm, hashrate_hs, power_w, source
FROM core.hardware_specs
ORDER BY device, algorithm, source;
