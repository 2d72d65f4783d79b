-- Engagement and agreement records an import created or changed at or after the moment $since_at, whatever
-- their dates (the period filter does not apply; the others and the ceiling do): for each record kind
-- (engagement, agreement) and change (new, status, changed), the most recently written $limit records;
-- total counts every record of that kind and change. status_before: the status it had at $since_at. partners
-- names every partner: the countries (the first listed first), then the organizations (agreements: the same).
-- The records are picked first and named after, so a first import of a million records names only $limit each.
-- params: $since_at, $areas, $countries, $components, $types, $statuses, $max_rank, $partnerships, $limit
-- The engagement picks are one top-n per change and the totals a grouped count: a window numbering the changed
-- records sorted all of them (2 s for a first import of a million).
WITH engagements_top AS (
    SELECT * FROM (SELECT * FROM engagement_changes_in($since_at, $areas, $countries, $components, $types, $max_rank, $partnerships)
                   WHERE change = 'new' ORDER BY updated_at DESC, engagement_id LIMIT $limit)
    UNION ALL
    SELECT * FROM (SELECT * FROM engagement_changes_in($since_at, $areas, $countries, $components, $types, $max_rank, $partnerships)
                   WHERE change = 'status' ORDER BY updated_at DESC, engagement_id LIMIT $limit)
    UNION ALL
    SELECT * FROM (SELECT * FROM engagement_changes_in($since_at, $areas, $countries, $components, $types, $max_rank, $partnerships)
                   WHERE change = 'changed' ORDER BY updated_at DESC, engagement_id LIMIT $limit)
),
engagements_picked AS (
    SELECT p.*, t.total
    FROM engagements_top p
    JOIN (SELECT change, count(*) AS total
          FROM engagement_changes_in($since_at, $areas, $countries, $components, $types, $max_rank, $partnerships)
          GROUP BY change) t USING (change)
),
agreements_picked AS (
    SELECT a.*, count(*) OVER (PARTITION BY a.change) AS total
    FROM agreement_changes_in($since_at, $areas, $countries, $components, $statuses, $max_rank, $partnerships) a
    QUALIFY row_number() OVER (PARTITION BY a.change ORDER BY a.updated_at DESC, a.agreement_id) <= $limit
)
SELECT 'engagement' AS record, e.change, e.engagement_id AS record_id, e.title,
       nullif(concat_ws('; ', partner_country_names(e.iso3, e.other_countries, nm.country_names),
                        partner_org_names(e.organizations, nm.org_names)), '') AS partners,
       e.iso3, e.mission_area, e.start_date AS record_date, e.status_before, e.status, e.updated_at,
       e.first_imported_at, e.is_demo, e.total
FROM engagements_picked e
CROSS JOIN partner_names() nm
UNION ALL
SELECT 'agreement', a.change, a.agreement_id, a.title, a.partners, a.iso3s[1], a.mission_area,
       coalesce(a.date_signed, a.date_in_force), a.status_before, a.status, a.updated_at,
       a.first_imported_at, a.is_demo, a.total
FROM agreements_picked a
ORDER BY record DESC, change, updated_at DESC, record_id
