-- Engagements that started between $since and today, newest first (within the other filters);
-- total counts them all, whatever the limit.
-- params: $since, $today, $areas, $countries, $components, $types, $max_rank, $limit
SELECT e.start_date, e.title, c.name AS country, e.iso3, e.mission_area, e.engagement_type, e.component,
       e.status, e.participants, e.engagement_id, e.is_demo, count(*) OVER () AS total
FROM engagements_in($since, $today, $areas, $countries, $components, $types, $max_rank) e
JOIN countries c USING (iso3)
WHERE e.status <> 'cancelled'
ORDER BY e.start_date DESC, e.engagement_id
LIMIT $limit
