-- How many generated demo records the current filters show, so every page can label them.
-- Engagements are counted as every tile counts them: cancelled ones are not activity. The rollups keep
-- no count of cancelled demo records, so a group of demo records only is exact (demo - cancelled); a
-- group mixing demo and real records counts at most its records not cancelled.
-- params: $start, $end, $areas, $countries, $components, $types, $statuses, $max_rank
SELECT
    (SELECT coalesce(sum(CASE WHEN demo = engagements THEN engagements - cancelled
                              ELSE least(demo, engagements - cancelled) END), 0)
     FROM area_activity_in($start, $end, $areas, $countries, $components, $types, $max_rank)) AS demo_engagements,
    (SELECT count(*) FILTER (WHERE is_demo)
     FROM agreements_in($start, $end, $areas, $countries, $components, $statuses, $max_rank)) AS demo_agreements
