-- The imports that wrote records at or after the moment $since_at, newest first, as far as the viewer may
-- know of them (imports_in: every remaining record of the import within the ceiling).
-- params: $since_at, $max_rank
SELECT import_id, started_at, table_name, file_name, inserted, updated
FROM imports_in($max_rank)
WHERE started_at >= CAST($since_at AS TIMESTAMP) AND outcome IN ('success', 'partial') AND inserted + updated > 0
ORDER BY started_at DESC
