-- Planned engagements naming an international organization, starting after today and by $horizon, soonest
-- first, with every partner (names looked up for the rows listed only); total counts them all, whatever the limit.
-- The sidebar's period does not apply.
-- params: $org, $today, $horizon, $areas, $countries, $components, $types, $max_rank, $partnerships, $limit
WITH listed AS (
    SELECT e.*, count(*) OVER () AS total
    FROM organization_engagements_in(CAST($today AS DATE) + 1, $horizon, $areas, $countries, $components, $types, $max_rank, $partnerships) e
    WHERE e.status = 'planned' AND list_contains(e.organizations, $org)
    ORDER BY e.start_date, e.title, e.engagement_id
    LIMIT $limit
)
SELECT start_date, end_date, title, partner_country_names(iso3, other_countries, nm.country_names) AS country,
       partner_org_names(organizations, nm.org_names) AS organizations, iso3, city, mission_area, engagement_type, component,
       status, level, participants, engagement_id, is_demo, total
FROM listed
CROSS JOIN partner_names() nm
ORDER BY start_date, title, engagement_id
