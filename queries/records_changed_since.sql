-- Engagement and agreement records an import created or changed at or after the moment $since_at, whatever
-- their dates (the period filter does not apply; the others and the ceiling do): for each record kind
-- (engagement, agreement) and change (new, status, changed), the most recently written $limit records;
-- total counts every record of that kind and change. status_before: the status it had at $since_at. partners
-- names every partner: the countries (the first listed first), then the organizations (agreements: the same).
-- The records are picked first and named after, so a first import of a million records names only $limit each.
-- params: $since_at, $areas, $countries, $components, $types, $statuses, $max_rank, $partnerships, $limit
-- The engagements are read once: per change, a count and the places (row_id) of the $limit most recently written,
-- kept by min_by's heap on a key that sorts by updated_at descending, then engagement_id; only those rows are then
-- read whole. (A top-n per change and a grouped count read the table four times, each top-n carrying every
-- column it shows: 107 ms at 1M engagements, 391 at 10M, when a first import made every record new.)
WITH engagements_grouped AS (
    SELECT change, count(*) AS total,
           min_by(struct_pack(row_id, status_before), struct_pack(newest_first := -epoch_us(updated_at), id := engagement_id),
                  $limit) AS picked
    FROM engagement_changes_in($since_at, $areas, $countries, $components, $types, $max_rank, $partnerships)
    GROUP BY change
),
engagements_place AS (
    SELECT change, total, unnest(picked, recursive := true) FROM engagements_grouped
),
engagements_picked AS (
    SELECT e.*, p.change, p.status_before, p.total
    FROM engagement_rows($max_rank) e
    JOIN engagements_place p USING (row_id)
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
