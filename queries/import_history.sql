-- Every import, newest first.
-- params: $limit
SELECT import_id, started_at, finished_at, table_name, file_name, outcome, rows_read, inserted, updated,
       unchanged, rejected, sha256, message
FROM import_log
ORDER BY import_id DESC
LIMIT $limit
