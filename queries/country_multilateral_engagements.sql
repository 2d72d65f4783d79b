-- The engagements in the period that partner country $iso3 took part in together with other partners (another
-- country or an international organization), newest first, at most $limit of them (planned and cancelled
-- included, with their status); total counts every one and cancelled the cancelled ones among them.
-- other_countries names the other partner countries (the first listed first), organizations the partner
-- organizations (in code order), both '; '-separated.
-- Counted in one narrow pass, which also finds the day of the $limit-th newest (max(x, n): the n largest; n below
-- 10^6); whole rows are read only from that day on (a dynamic filter): at 10M, 12 months of Canada's 94 -> 24 ms.
-- params: $iso3, $start, $end, $areas, $components, $types, $max_rank, $partnerships, $limit
WITH counted AS (
    SELECT count(*) AS total, count(*) FILTER (WHERE e.status = 'cancelled') AS cancelled,
           CASE WHEN $limit < 1000000 THEN list_min(max(e.start_date, greatest(least($limit, 999999), 1)))
                ELSE min(e.start_date) END AS from_day
    FROM multilateral_engagements_in($start, $end, $areas, [$iso3], $components, $types, $max_rank, $partnerships) e
),
listed AS (
    SELECT e.engagement_id, e.start_date, e.end_date, e.title, e.mission_area, e.engagement_type, e.component,
           e.status, e.participants, e.level, e.is_demo, e.iso3, e.other_countries, e.organizations AS orgs
    FROM multilateral_engagements_in($start, $end, $areas, [$iso3], $components, $types, $max_rank, $partnerships) e
    WHERE e.start_date >= (SELECT from_day FROM counted)
    ORDER BY e.start_date DESC, e.engagement_id
    LIMIT $limit
)
SELECT l.start_date, l.end_date, l.title,
       nullif(array_to_string(list_transform(list_filter(list_prepend(l.iso3, coalesce(l.other_countries, [])), lambda x: x <> $iso3),
                                             lambda x: nm.country_names[x]), '; '), '') AS other_countries,
       partner_org_names(l.orgs, nm.org_names) AS organizations,
       l.mission_area, l.engagement_type, l.component, l.status, l.participants, l.level, l.engagement_id, l.is_demo,
       c.total, c.cancelled
FROM listed l
CROSS JOIN partner_names() nm
CROSS JOIN counted c
ORDER BY l.start_date DESC, l.engagement_id
