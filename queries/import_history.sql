-- Every import the viewer may know of (all its remaining records within the ceiling), newest first.
-- params: $max_rank, $limit
SELECT import_id, started_at, finished_at, table_name, file_name, outcome, rows_read, inserted, updated,
       unchanged, rejected, sha256, message
FROM imports_in($max_rank)
ORDER BY import_id DESC
LIMIT $limit
