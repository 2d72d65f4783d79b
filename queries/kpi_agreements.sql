-- Agreement headline numbers: in force on the as-of day and on the previous period's end (from the
-- status history, as spans), in negotiation now, and in force now but expiring within 12 months of today.
-- params: $start, $end, $as_of, $prev_as_of, $today, $areas, $countries, $components, $statuses, $max_rank, $partnerships
SELECT count(*) FILTER (WHERE d.status = 'in_force') AS in_force,
       count(*) FILTER (WHERE p.status = 'in_force') AS prev_in_force,
       count(*) FILTER (WHERE s.status = 'negotiation') AS negotiation,
       count(*) FILTER (WHERE s.status = 'in_force'
                          AND s.date_expires BETWEEN CAST($today AS DATE)
                                                 AND CAST($today AS DATE) + INTERVAL 12 MONTH) AS expiring_12m,
       count(*) AS agreements,
       count(*) FILTER (WHERE s.is_demo) AS demo
FROM agreements_in($start, $end, $areas, $countries, $components, $statuses, $max_rank, $partnerships) s
LEFT JOIN agreement_status_on($as_of) d USING (agreement_id)
LEFT JOIN agreement_status_on($prev_as_of) p USING (agreement_id)
