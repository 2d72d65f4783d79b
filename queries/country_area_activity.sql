-- Engagements per partner country and mission area in the period.
-- params: $start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships
SELECT a.iso3, c.name, c.region, c.lat, c.lon, c.small, a.mission_area,
       sum(a.engagements - a.cancelled) AS engagements
FROM area_activity_in($start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships) a
JOIN countries c USING (iso3)
GROUP BY ALL
HAVING sum(a.engagements - a.cancelled) > 0
ORDER BY engagements DESC, c.name, a.mission_area
