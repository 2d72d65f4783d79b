-- Agreements the filters admit that name an international organization as a partner, with their partners
-- (countries and organizations) and lifecycle dates, soonest expiry first.
-- params: $org, $start, $end, $areas, $countries, $components, $statuses, $max_rank, $partnerships, $today
SELECT a.agreement_id, a.title, a.agreement_type, a.mission_area, a.status, a.partners, a.date_signed,
       a.date_in_force, a.date_expires,
       CAST(a.date_expires - CAST($today AS DATE) AS INTEGER) AS days_to_expiry,
       coalesce(a.dated_from, a.first_event) AS lifecycle_start,
       a.component, a.summary, a.is_demo
FROM agreements_in($start, $end, $areas, $countries, $components, $statuses, $max_rank, $partnerships) a
WHERE list_contains(a.organizations, $org)
ORDER BY coalesce(a.date_expires, DATE '9999-12-31'), a.title, a.agreement_id
