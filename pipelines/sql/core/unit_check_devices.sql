-- The known devices per algorithm, for the hashrate-unit cross-check of network files.
SELECT device, algorithm, hashrate_hs, power_w FROM core.hardware_specs
