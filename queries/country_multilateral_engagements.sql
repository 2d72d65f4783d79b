-- The engagements in the period that partner country $iso3 took part in together with other partners (another
-- country or an international organization), newest first, at most $limit of them (planned and cancelled
-- included, with their status); total counts every one and cancelled the cancelled ones among them.
-- other_countries names the other partner countries (the first listed first), organizations the partner
-- organizations (in code order), both '; '-separated.
-- params: $iso3, $start, $end, $areas, $components, $types, $max_rank, $partnerships, $limit
WITH listed AS (
    SELECT e.engagement_id, e.start_date, e.end_date, e.title, e.mission_area, e.engagement_type, e.component,
           e.status, e.participants, e.level, e.is_demo,
           list_filter(list_prepend(e.iso3, coalesce(e.other_countries, [])), lambda x: x <> $iso3) AS others,
           e.organizations AS orgs,
           count(*) OVER () AS total, sum(CAST(e.status = 'cancelled' AS BIGINT)) OVER () AS cancelled
    FROM multilateral_engagements_in($start, $end, $areas, [$iso3], $components, $types, $max_rank, $partnerships) e
    ORDER BY e.start_date DESC, e.engagement_id
    LIMIT $limit
)
SELECT l.start_date, l.end_date, l.title,
       nullif(array_to_string(list_transform(l.others, lambda x: nm.country_names[x]), '; '), '') AS other_countries,
       partner_org_names(l.orgs, nm.org_names) AS organizations,
       l.mission_area, l.engagement_type, l.component, l.status, l.participants, l.level, l.engagement_id, l.is_demo,
       l.total, l.cancelled
FROM listed l
CROSS JOIN partner_names() nm
ORDER BY l.start_date DESC, l.engagement_id
