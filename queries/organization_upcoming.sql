-- Planned engagements naming an international organization, starting after today and by $horizon, soonest
-- first; total counts them all, whatever the limit. The sidebar's period does not apply.
-- params: $org, $today, $horizon, $areas, $countries, $components, $types, $max_rank, $partnerships, $limit
SELECT e.start_date, e.end_date, e.title, coalesce(m.countries, c.name) AS country, m.organization_names AS organizations,
       e.iso3, e.city, e.mission_area, e.engagement_type, e.component, e.status, e.level, e.participants,
       e.engagement_id, e.is_demo, count(*) OVER () AS total
FROM engagements_in(CAST($today AS DATE) + 1, $horizon, $areas, $countries, $components, $types, $max_rank, $partnerships) e
LEFT JOIN countries c USING (iso3)
LEFT JOIN engagement_partner_names($max_rank) m USING (engagement_id)
WHERE e.status = 'planned' AND list_contains(e.organizations, $org)
ORDER BY e.start_date, e.title, e.engagement_id
LIMIT $limit
