-- Planned engagements starting after today and by $horizon, soonest first (the agenda); total counts
-- them all, whatever the limit. The sidebar's period does not apply: the agenda's window runs from today.
-- params: $today, $horizon, $areas, $countries, $components, $types, $max_rank, $partnerships, $limit
SELECT e.start_date, e.end_date, e.title, partner_country_names(e.iso3, e.other_countries, nm.country_names) AS country, array_to_string(e.organizations, ';') AS organizations, e.level, e.iso3, e.city, e.mission_area,
       e.engagement_type, e.component, e.status, e.participants, e.engagement_id, e.is_demo,
       count(*) OVER () AS total
FROM engagements_in(CAST($today AS DATE) + 1, $horizon, $areas, $countries, $components, $types, $max_rank, $partnerships) e
CROSS JOIN partner_names() nm
WHERE e.status = 'planned'
ORDER BY e.start_date, e.title, e.engagement_id
LIMIT $limit
