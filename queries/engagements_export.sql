-- Every engagement the filters admit, for download.
-- params: $start, $end, $areas, $countries, $components, $types, $max_rank
SELECT e.engagement_id, e.title, e.start_date, e.end_date, c.name AS country, e.iso3, c.region, e.city,
       e.latitude, e.longitude, e.mission_area, e.engagement_type, e.component, e.status, e.participants,
       e.summary, e.sensitivity, e.is_demo AS demo
FROM engagements_in($start, $end, $areas, $countries, $components, $types, $max_rank) e
JOIN countries c USING (iso3)
ORDER BY e.start_date, e.engagement_id
