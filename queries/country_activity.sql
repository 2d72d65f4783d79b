-- Engagement intensity per partner country for the period, with the previous period for growth
-- and the country's leading mission area. One row per country with any activity in either period.
-- params: $start, $end, $prev_start, $prev_end, $areas, $countries, $components, $types, $max_rank, $partnerships
WITH cur AS (
    SELECT iso3, mission_area, sum(engagements - cancelled) AS n, sum(participants) AS participants,
           sum(planned) AS planned, sum(demo) AS demo
    FROM area_activity_in($start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships)
    GROUP BY iso3, mission_area
),
per_country AS (
    SELECT iso3, sum(n) AS engagements, sum(participants) AS participants, sum(planned) AS planned,
           sum(demo) AS demo, arg_max(mission_area, (n, mission_area)) AS top_area
    FROM cur GROUP BY iso3
),
prev AS (
    SELECT iso3, sum(engagements - cancelled) AS prev_engagements
    FROM area_activity_in($prev_start, $prev_end, $areas, $countries, $components, $types, $max_rank, $partnerships)
    GROUP BY iso3
)
SELECT c.iso3, c.name, c.region, c.subregion, c.lat, c.lon, c.small, c.map_index,
       coalesce(p.engagements, 0) AS engagements,
       coalesce(p.participants, 0) AS participants,
       coalesce(p.planned, 0) AS planned,
       coalesce(p.demo, 0) AS demo,
       coalesce(q.prev_engagements, 0) AS prev_engagements,
       p.top_area
FROM per_country p
FULL JOIN prev q USING (iso3)
JOIN countries c ON c.iso3 = coalesce(p.iso3, q.iso3)
WHERE coalesce(p.engagements, 0) > 0 OR coalesce(q.prev_engagements, 0) > 0
ORDER BY engagements DESC, c.name
