-- How many generated demo records the current filters show, so every page can label them.
-- params: $start, $end, $areas, $countries, $components, $types, $statuses, $max_rank
SELECT
    (SELECT coalesce(sum(demo), 0)
     FROM area_activity_in($start, $end, $areas, $countries, $components, $types, $max_rank)) AS demo_engagements,
    (SELECT count(*) FILTER (WHERE is_demo)
     FROM agreements_in($start, $end, $areas, $countries, $components, $statuses, $max_rank)) AS demo_agreements
