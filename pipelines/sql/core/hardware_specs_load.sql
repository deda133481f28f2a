DELETE FROM core.hardware_specs;
INSERT INTO core.hardware_specs
SELECT DISTINCT ON (device, algorithm, source) device, device_class, algorithm, hashrate_hs, power_w,
       source, source_kind, source_date, document_id, locator
FROM staged ORDER BY device, algorithm, source, path;
