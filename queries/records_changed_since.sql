-- Engagement and agreement records an import created or changed at or after the moment $since_at, whatever
-- their dates (the period filter does not apply; the others and the ceiling do): for each record kind
-- (engagement, agreement) and change (new, status, changed), the most recently written $limit records;
-- total counts every record of that kind and change. status_before: the status it had at $since_at. partners
-- names every partner: the countries (the first listed first), then the organizations (agreements: the same).
-- The records are picked first and named after, so a first import of a million records names only $limit each.
-- params: $since_at, $areas, $countries, $components, $types, $statuses, $max_rank, $partnerships, $limit
-- The engagements: the new ones counted and the newest $limit picked by place (row_id) from engagement_new_since,
-- which joins nothing; those written again since (few, unless an import rewrote everything) per change from
-- engagement_rewritten_since; only the picked rows are then read whole, with their status at $since_at. Among records
-- written at the same moment (one import), the later row in the table comes first (row_id): a fixed order that needs
-- no comparison of ids. (One pass with min_by over every change took 487 ms at 10M engagements after a first import
-- made every record new, and sorting ties by engagement_id 190 ms of it; this takes about 100.)
WITH new_total AS (
    SELECT count(*) AS total
    FROM engagement_new_since($since_at, $areas, $countries, $components, $types, $max_rank, $partnerships)
),
new_place AS (
    SELECT row_id, 'new' AS change
    FROM engagement_new_since($since_at, $areas, $countries, $components, $types, $max_rank, $partnerships)
    ORDER BY updated_at DESC, row_id DESC
    LIMIT $limit
),
rewritten AS (
    SELECT row_id, change, updated_at, count(*) OVER (PARTITION BY change) AS total
    FROM engagement_rewritten_since($since_at, $areas, $countries, $components, $types, $max_rank, $partnerships)
    QUALIFY row_number() OVER (PARTITION BY change ORDER BY updated_at DESC, row_id DESC) <= $limit
),
engagements_place AS (
    SELECT n.row_id, n.change, t.total FROM new_place n, new_total t
    UNION ALL
    SELECT row_id, change, total FROM rewritten
),
engagements_picked AS (
    SELECT e.*, p.change, s.status_before, p.total
    FROM engagement_rows($max_rank) e
    JOIN engagements_place p USING (row_id)
    LEFT JOIN engagement_status_before($since_at) s USING (engagement_id)
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
