-- Agreement status changes on or after $since (and not in the future), newest first. First sightings
-- of an agreement whose status has no date are not changes and are left out. total counts them all.
-- params: $since, $today, $start, $end, $areas, $countries, $components, $statuses, $max_rank, $partnerships, $limit
SELECT h.changed_on, a.title, h.previous_status, h.status, h.source, a.agreement_id, a.mission_area,
       a.partners, a.is_demo, count(*) OVER () AS total
FROM agreement_history_in($max_rank) h
JOIN agreements_in($start, $end, $areas, $countries, $components, $statuses, $max_rank, $partnerships) a USING (agreement_id)
WHERE h.changed_on BETWEEN CAST($since AS DATE) AND CAST($today AS DATE)
  AND h.source <> 'first_seen'
ORDER BY h.changed_on DESC, h.event_order DESC
LIMIT $limit
