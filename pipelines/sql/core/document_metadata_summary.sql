-- What core.document_metadata holds, for the asset's metadata: documents, and how many have each kind of fact.
SELECT count(*) AS documents,
       count(producer) AS with_producer,
       count(*) FILTER (WHERE created_at IS NOT NULL OR xmp_created_at IS NOT NULL) AS with_dates,
       count(*) FILTER (WHERE incremental_updates > 0) AS incrementally_updated,
       count(*) FILTER (WHERE signed) AS signed,
       count(notes) AS with_notes
FROM core.document_metadata;
