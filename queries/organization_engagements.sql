-- The newest engagements naming an international organization in the period (planned and cancelled ones
-- included), newest first, with every partner. As recent_engagements: only the raw rows from the latest month
-- from which at least $limit of them start are read.
-- params: $org, $start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships, $limit
SELECT e.start_date, e.end_date, e.title, coalesce(m.countries, c.name) AS country, m.organization_names AS organizations,
       e.iso3, e.city, e.mission_area, e.engagement_type, e.component, e.status, e.level, e.participants,
       e.engagement_id, e.is_demo
FROM engagements_in(
        greatest(CAST($start AS DATE), (
            SELECT coalesce(max(month) FILTER (WHERE newer >= $limit), DATE '0001-01-01')
            FROM (SELECT month, sum(sum(engagements)) OVER (ORDER BY month DESC) AS newer
                  FROM organization_activity_in($start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships)
                  WHERE org_code = $org
                  GROUP BY month))),
        $end, $areas, $countries, $components, $types, $max_rank, $partnerships) e
LEFT JOIN countries c USING (iso3)
LEFT JOIN engagement_partner_names($max_rank) m USING (engagement_id)
WHERE list_contains(e.organizations, $org)
ORDER BY e.start_date DESC, e.engagement_id
LIMIT $limit
