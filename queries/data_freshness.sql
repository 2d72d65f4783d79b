-- When each table last changed through a successful import, and what the database holds.
-- params: none
SELECT t.table_name,
       (SELECT max(finished_at) FROM import_log l
        WHERE l.table_name = t.table_name AND l.outcome IN ('success', 'partial')) AS last_import,
       CASE t.table_name WHEN 'engagements' THEN (SELECT count(*) FROM engagements)
                         ELSE (SELECT count(*) FROM agreements) END AS records,
       CASE t.table_name WHEN 'engagements' THEN (SELECT count(*) FILTER (WHERE is_demo) FROM engagements)
                         ELSE (SELECT count(*) FILTER (WHERE is_demo) FROM agreements) END AS demo_records,
       CASE t.table_name WHEN 'engagements' THEN (SELECT max(start_date) FILTER (WHERE status <> 'planned') FROM engagements)
                         ELSE (SELECT max(greatest(date_signed, date_in_force)) FROM agreements) END AS latest_date,
       (SELECT value FROM metadata WHERE key = 'built_at') AS built_at
FROM (VALUES ('engagements'), ('agreements')) t(table_name)
