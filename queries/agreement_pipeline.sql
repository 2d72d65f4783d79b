-- Agreements by current lifecycle status and mission area.
-- params: $start, $end, $areas, $countries, $components, $statuses, $max_rank
SELECT status, mission_area, count(*) AS agreements
FROM agreements_in($start, $end, $areas, $countries, $components, $statuses, $max_rank)
GROUP BY ALL
ORDER BY status, mission_area
