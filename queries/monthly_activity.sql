-- Engagements per month and mission area in the period (the mix over time).
-- params: $start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships
SELECT month, mission_area, sum(engagements - cancelled) AS engagements, sum(planned) AS planned
FROM area_trend_in($start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships)
GROUP BY month, mission_area
ORDER BY month, mission_area
