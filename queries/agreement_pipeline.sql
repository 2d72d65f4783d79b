-- Agreements by current lifecycle status and mission area.
-- params: $start, $end, $areas, $countries, $components, $statuses, $max_rank, $partnerships
SELECT status, mission_area, count(*) AS agreements
FROM agreements_in($start, $end, $areas, $countries, $components, $statuses, $max_rank, $partnerships)
GROUP BY ALL
ORDER BY status, mission_area
