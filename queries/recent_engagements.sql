-- The newest engagements in the period (planned ones included), newest first.
-- params: $start, $end, $areas, $countries, $components, $types, $max_rank, $limit
SELECT e.start_date, e.end_date, e.title, c.name AS country, e.iso3, e.city, e.mission_area,
       e.engagement_type, e.component, e.status, e.participants, e.engagement_id, e.is_demo
FROM engagements_in($start, $end, $areas, $countries, $components, $types, $max_rank) e
JOIN countries c USING (iso3)
ORDER BY e.start_date DESC, e.engagement_id
LIMIT $limit
