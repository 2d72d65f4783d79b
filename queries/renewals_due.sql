-- Agreements in force that expire between today and $horizon: the renewals to prepare.
-- params: $start, $end, $areas, $countries, $components, $statuses, $max_rank, $partnerships, $today, $horizon
SELECT a.agreement_id, a.title, a.mission_area, a.date_expires,
       CAST(a.date_expires - CAST($today AS DATE) AS INTEGER) AS days_left,
       a.partners, a.component, a.is_demo
FROM agreements_in($start, $end, $areas, $countries, $components, $statuses, $max_rank, $partnerships) a
WHERE a.status = 'in_force'
  AND a.date_expires BETWEEN CAST($today AS DATE) AND CAST($horizon AS DATE)
ORDER BY a.date_expires, a.title, a.agreement_id
