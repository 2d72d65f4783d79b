-- One international organization's engagements per month and mission area in the period (not cancelled).
-- params: $org, $start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships
SELECT month, mission_area, sum(engagements - cancelled) AS engagements, sum(planned) AS planned
FROM organization_activity_in($start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships)
WHERE org_code = $org
GROUP BY month, mission_area
ORDER BY month, mission_area
