-- leakpipe status: what is in quarantine, by table and rule, with one example reason each.
SELECT source_table, check_name, count(*) AS records, count(DISTINCT document_id) AS documents,
       min(reason) AS example_reason
FROM core.quarantine
GROUP BY source_table, check_name
ORDER BY records DESC, source_table, check_name;
