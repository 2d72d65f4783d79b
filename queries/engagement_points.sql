-- Engagement locations for the map: grouped by place (coordinates rounded to ~1 km), falling back to
-- the country centroid when a record has no coordinates.
-- params: $start, $end, $areas, $countries, $components, $types, $max_rank
SELECT round(coalesce(e.latitude, c.lat), 2) AS lat,
       round(coalesce(e.longitude, c.lon), 2) AS lon,
       any_value(coalesce(e.city, c.name)) AS place,
       c.name AS country,
       count(*) AS engagements,
       arg_max(e.mission_area, e.start_date) AS latest_area,
       mode(e.mission_area) AS top_area,
       bool_or(e.latitude IS NULL) AS approximate
FROM engagements_in($start, $end, $areas, $countries, $components, $types, $max_rank) e
JOIN countries c USING (iso3)
WHERE e.status <> 'cancelled'
GROUP BY ALL
ORDER BY engagements DESC
