-- Agreements the filters admit, with their partner countries and lifecycle dates; $search narrows
-- to titles, summaries and partner names containing the text (case-insensitive; '' for all).
-- Agreements with the same expiry date and title are listed by id.
-- params: $start, $end, $areas, $countries, $components, $statuses, $max_rank, $partnerships, $today, $search
SELECT a.agreement_id, a.title, a.agreement_type, a.mission_area, a.status, a.partners, a.date_signed,
       a.date_in_force, a.date_expires,
       CAST(a.date_expires - CAST($today AS DATE) AS INTEGER) AS days_to_expiry,
       coalesce(a.dated_from, a.first_event) AS lifecycle_start,
       a.component, a.summary, a.is_demo
FROM agreements_in($start, $end, $areas, $countries, $components, $statuses, $max_rank, $partnerships) a
WHERE $search = ''
   OR contains(lower(a.title), lower($search))
   OR contains(lower(coalesce(a.summary, '')), lower($search))
   OR contains(lower(coalesce(a.partners, '')), lower($search))
ORDER BY coalesce(a.date_expires, DATE '9999-12-31'), a.title, a.agreement_id
