-- How many expectations were checked and how many passed.
SELECT count(*) AS expectations, count(*) FILTER (WHERE success) AS passed FROM core.validation_results;
