-- Agreement headline numbers: in force on the as-of day and on the previous period's end (from the
-- status history), in negotiation now, and in force now but expiring within 12 months of today.
-- One pass: each agreement's status on both days comes from one grouping of the status history.
-- params: $start, $end, $as_of, $prev_as_of, $today, $areas, $countries, $components, $statuses, $max_rank
WITH scope AS (
    SELECT agreement_id, status, date_expires, is_demo
    FROM agreements_in($start, $end, $areas, $countries, $components, $statuses, $max_rank)
),
stood AS (
    SELECT agreement_id,
           arg_max(status, (changed_on, event_order)) FILTER (WHERE changed_on <= CAST($as_of AS DATE)) AS on_day,
           arg_max(status, (changed_on, event_order)) FILTER (WHERE changed_on <= CAST($prev_as_of AS DATE)) AS on_prev
    FROM agreement_status_history
    GROUP BY agreement_id
)
SELECT count(*) FILTER (WHERE d.on_day = 'in_force') AS in_force,
       count(*) FILTER (WHERE d.on_prev = 'in_force') AS prev_in_force,
       count(*) FILTER (WHERE s.status = 'negotiation') AS negotiation,
       count(*) FILTER (WHERE s.status = 'in_force'
                          AND s.date_expires BETWEEN CAST($today AS DATE)
                                                 AND CAST($today AS DATE) + INTERVAL 12 MONTH) AS expiring_12m,
       count(*) AS agreements,
       count(*) FILTER (WHERE s.is_demo) AS demo
FROM scope s
LEFT JOIN stood d USING (agreement_id)
