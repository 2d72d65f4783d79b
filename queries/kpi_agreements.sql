-- Agreement headline numbers: in force on the as-of day and on the previous period's end (from the
-- status history), in negotiation now, and in force now but expiring within 12 months of today.
-- params: $start, $end, $as_of, $prev_as_of, $today, $areas, $countries, $components, $statuses, $max_rank
WITH scope AS (
    SELECT * FROM agreements_in($start, $end, $areas, $countries, $components, $statuses, $max_rank)
),
on_day AS (SELECT * FROM agreement_status_on($as_of)),
on_prev AS (SELECT * FROM agreement_status_on($prev_as_of))
SELECT
    (SELECT count(*) FROM scope s JOIN on_day d USING (agreement_id) WHERE d.status = 'in_force') AS in_force,
    (SELECT count(*) FROM scope s JOIN on_prev d USING (agreement_id) WHERE d.status = 'in_force') AS prev_in_force,
    (SELECT count(*) FROM scope WHERE status = 'negotiation') AS negotiation,
    (SELECT count(*) FROM scope WHERE status = 'in_force'
        AND date_expires BETWEEN CAST($today AS DATE) AND CAST($today AS DATE) + INTERVAL 12 MONTH) AS expiring_12m,
    (SELECT count(*) FROM scope) AS agreements,
    (SELECT count(*) FROM scope WHERE is_demo) AS demo
