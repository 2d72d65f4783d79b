-- Agreements in force on the as-of day per partner country (for the map of agreements in force).
-- params: $start, $end, $as_of, $areas, $countries, $components, $statuses, $max_rank, $partnerships
SELECT c.iso3, c.name, c.lat, c.lon, c.small, c.map_index, count(*) AS agreements,
       arg_max(a.mission_area, a.date_in_force) AS latest_area
FROM agreements_in($start, $end, $areas, $countries, $components, $statuses, $max_rank, $partnerships) a
JOIN agreement_status_on($as_of) d USING (agreement_id)
JOIN agreement_parties_in($max_rank) p USING (agreement_id)
JOIN countries c ON c.iso3 = p.iso3
WHERE d.status = 'in_force'
GROUP BY ALL
ORDER BY agreements DESC, c.name
