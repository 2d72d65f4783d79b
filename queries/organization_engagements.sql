-- The newest engagements naming an international organization in the period (planned and cancelled ones
-- included), newest first, with every partner. As recent_engagements: only the raw rows from the latest month
-- from which at least $limit of them start are read; the partners' names are looked up for the rows listed only.
-- params: $org, $start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships, $limit
WITH listed AS (
    SELECT e.*
    FROM organization_engagements_in(
            greatest(CAST($start AS DATE), (
                SELECT coalesce(max(month) FILTER (WHERE newer >= $limit), DATE '0001-01-01')
                FROM (SELECT month, sum(sum(engagements)) OVER (ORDER BY month DESC) AS newer
                      FROM organization_activity_in($start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships)
                      WHERE org_code = $org
                      GROUP BY month))),
            $end, $areas, $countries, $components, $types, $max_rank, $partnerships) e
    WHERE list_contains(e.organizations, $org)
    ORDER BY e.start_date DESC, e.engagement_id
    LIMIT $limit
)
SELECT start_date, end_date, title, partner_country_names(iso3, other_countries, nm.country_names) AS country,
       partner_org_names(organizations, nm.org_names) AS organizations, iso3, city, mission_area, engagement_type, component,
       status, level, participants, engagement_id, is_demo
FROM listed
CROSS JOIN partner_names() nm
ORDER BY start_date DESC, engagement_id
