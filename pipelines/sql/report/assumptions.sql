-- Every model input that is not data: its range, unit, distribution and source.
SELECT name, low, central, high, unit, distribution, left(source, $maxlen) AS source,
       assumption_set, model_version
FROM marts.model_assumptions
ORDER BY CASE WHEN low IS NULL THEN 1 ELSE 0 END, name;
