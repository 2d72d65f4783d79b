-- How many generated demo records the current filters show, so every page can label them.
-- Engagements are counted as every tile counts them: cancelled ones are not activity (demo_active: demo
-- records not cancelled, kept by the daily rollups).
-- params: $start, $end, $areas, $countries, $components, $types, $statuses, $max_rank, $partnerships
SELECT
    (SELECT coalesce(sum(demo_active), 0)
     FROM area_trend_in($start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships)) AS demo_engagements,
    (SELECT count(*) FILTER (WHERE is_demo)
     FROM agreements_in($start, $end, $areas, $countries, $components, $statuses, $max_rank, $partnerships)) AS demo_agreements
