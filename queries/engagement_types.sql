-- Engagements per engagement type and mission area in the period (each once, however many partners).
-- params: $start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships
SELECT coalesce(engagement_type, 'unspecified') AS engagement_type, mission_area,
       sum(engagements - cancelled) AS engagements
FROM activity_in($start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships)
WHERE counted_once(ahead, $countries)
GROUP BY ALL
HAVING sum(engagements - cancelled) > 0
ORDER BY engagements DESC
