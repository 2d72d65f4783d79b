-- Engagement locations for the map: grouped by place (coordinates rounded to ~1 km), falling back to
-- the country centroid when a record has no coordinates. Cancelled engagements are left out.
-- Read per place and mission area first (place_activity_in: rollup for whole months), then per place:
-- top_area is the area with the most engagements there, latest_area the area of the latest one.
-- params: $start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships
WITH per_area AS (
    SELECT iso3, lat, lon, mission_area, sum(engagements) AS n, max(latest) AS latest,
           any_value(place) AS place, bool_or(approximate) AS approximate
    FROM place_activity_in($start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships)
    GROUP BY iso3, lat, lon, mission_area
)
SELECT p.lat, p.lon, any_value(p.place) AS place, c.name AS country, CAST(sum(p.n) AS BIGINT) AS engagements,
       arg_max(p.mission_area, (p.latest, p.mission_area)) AS latest_area,
       arg_max(p.mission_area, (p.n, p.mission_area)) AS top_area,
       bool_or(p.approximate) AS approximate
FROM per_area p
LEFT JOIN countries c USING (iso3)
GROUP BY p.lat, p.lon, c.name
ORDER BY engagements DESC, p.lat, p.lon, c.name
