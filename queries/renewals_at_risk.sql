-- Agreements in force that expire between today and $horizon (the end of the notice period), each with
-- the renewal in negotiation if there is one: another agreement, in negotiation now, with the same
-- partner countries and mission area (organizations are not compared). Renewals are looked for whatever the
-- sidebar's mission areas, countries, components and statuses; the ceiling and the partnership filter apply.
-- params: $today, $horizon, $areas, $countries, $components, $statuses, $max_rank, $partnerships
WITH due AS (
    SELECT a.agreement_id, a.title, a.mission_area, a.date_expires, a.partners, a.iso3s, a.component, a.is_demo,
           CAST(a.date_expires - CAST($today AS DATE) AS INTEGER) AS days_left
    FROM agreements_in($today, $today, $areas, $countries, $components, $statuses, $max_rank, $partnerships) a
    WHERE a.status = 'in_force'
      AND a.date_expires BETWEEN CAST($today AS DATE) AND CAST($horizon AS DATE)
),
talks AS (
    SELECT agreement_id, title, mission_area, iso3s
    FROM agreements_in($today, $today, []::VARCHAR[], []::VARCHAR[], []::VARCHAR[], ['negotiation'], $max_rank, $partnerships)
)
SELECT d.agreement_id, d.title, d.mission_area, d.date_expires, d.days_left, d.partners, d.component, d.is_demo,
       (SELECT string_agg(t.title, '; ' ORDER BY t.title) FROM talks t
        WHERE t.agreement_id <> d.agreement_id AND t.mission_area = d.mission_area AND t.iso3s = d.iso3s)
           AS renewal
FROM due d
ORDER BY d.date_expires, d.title, d.agreement_id
