-- Engagements per month for each partner country in $countries in the period (cancelled ones not counted).
-- params: $start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships
SELECT month, iso3, CAST(sum(engagements - cancelled) AS BIGINT) AS engagements
FROM area_activity_in($start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships)
GROUP BY month, iso3
ORDER BY month, iso3
