-- When each table last changed through a successful import that brought records the viewer may see, and
-- how many such records it holds (an import of restricted rows only sets nothing for a lower viewer).
-- params: $max_rank
SELECT t.table_name,
       (SELECT max(finished_at) FROM imports_admitted($max_rank) l
        WHERE l.table_name = t.table_name AND l.outcome IN ('success', 'partial')) AS last_import,
       CASE t.table_name WHEN 'engagements' THEN (SELECT count(*) FROM engagement_records($max_rank))
                         ELSE (SELECT count(*) FROM agreement_records($max_rank)) END AS records,
       CASE t.table_name WHEN 'engagements' THEN (SELECT count(*) FILTER (WHERE is_demo) FROM engagement_records($max_rank))
                         ELSE (SELECT count(*) FILTER (WHERE is_demo) FROM agreement_records($max_rank)) END AS demo_records,
       CASE t.table_name WHEN 'engagements' THEN (SELECT max(start_date) FILTER (WHERE status <> 'planned')
                                                  FROM engagement_records($max_rank))
                         ELSE (SELECT max(greatest(date_signed, date_in_force)) FROM agreement_records($max_rank)) END AS latest_date,
       (SELECT value FROM metadata WHERE key = 'built_at') AS built_at
FROM (VALUES ('engagements'), ('agreements')) t(table_name)
