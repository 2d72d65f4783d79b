-- Planned engagements starting after today and by $horizon, per week (weeks start on Monday), partner
-- country and mission area: the agenda's counts, exact however many rows the agenda itself lists.
-- params: $today, $horizon, $areas, $countries, $components, $types, $max_rank
SELECT CAST(date_trunc('week', e.start_date) AS DATE) AS week_start, e.iso3, e.mission_area,
       count(*) AS engagements, count(*) FILTER (WHERE e.is_demo) AS demo
FROM engagements_in(CAST($today AS DATE) + 1, $horizon, $areas, $countries, $components, $types, $max_rank) e
WHERE e.status = 'planned'
GROUP BY ALL
ORDER BY week_start, e.iso3, e.mission_area
