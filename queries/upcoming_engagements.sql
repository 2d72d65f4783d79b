-- Planned engagements starting after today and by $horizon, soonest first (the agenda); total counts
-- them all, whatever the limit. The sidebar's period does not apply: the agenda's window runs from today.
-- At 10M engagements the agenda's 90 days hold ~40k planned rows per mission area: sorting them whole by title
-- took 40-120 ms; counting them narrow, then reading the first day's row groups, ~15.
-- params: $today, $horizon, $areas, $countries, $components, $types, $max_rank, $partnerships, $limit
WITH counted AS (
    -- One narrow pass: how many, and the day of the $limit-th soonest (min(x, n): the n smallest values)
    SELECT count(*) AS total, CASE WHEN $limit < 1000000 THEN list_max(min(e.start_date, greatest(least($limit, 999999), 1)))
                ELSE max(e.start_date) END AS last_day
    FROM engagements_in(CAST($today AS DATE) + 1, $horizon, $areas, $countries, $components, $types, $max_rank, $partnerships) e
    WHERE e.status = 'planned'
),
picked AS (
    -- The listed rows all start by that day: read whole only the row groups up to it (min(x, n) takes n below 10^6; a dynamic filter)
    SELECT e.*
    FROM engagements_in(CAST($today AS DATE) + 1, $horizon, $areas, $countries, $components, $types, $max_rank, $partnerships) e
    WHERE e.status = 'planned' AND e.start_date <= (SELECT last_day FROM counted)
    ORDER BY e.start_date, e.title, e.engagement_id
    LIMIT $limit
)
SELECT e.start_date, e.end_date, e.title, partner_country_names(e.iso3, e.other_countries, nm.country_names) AS country,
       array_to_string(e.organizations, ';') AS organizations, e.level, e.iso3, e.city, e.mission_area,
       e.engagement_type, e.component, e.status, e.participants, e.engagement_id, e.is_demo,
       (SELECT total FROM counted) AS total
FROM picked e
CROSS JOIN partner_names() nm
ORDER BY e.start_date, e.title, e.engagement_id
