-- One partner country's engagements per month and mission area in the period.
-- params: $iso3, $start, $end, $areas, $components, $types, $max_rank, $partnerships
SELECT month, mission_area, sum(engagements - cancelled) AS engagements, sum(planned) AS planned
FROM area_activity_in($start, $end, $areas, [$iso3], $components, $types, $max_rank, $partnerships)
GROUP BY month, mission_area
ORDER BY month, mission_area
