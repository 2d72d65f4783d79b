-- Engagement and agreement records an import created or changed at or after the moment $since_at, whatever
-- their dates (the period filter does not apply; the others and the ceiling do): for each record kind
-- (engagement, agreement) and change (new, status, changed), the most recently written $limit records;
-- total counts every record of that kind and change. status_before: the status it had at $since_at. partners
-- names every partner: the countries (the first listed first), then the organizations (agreements: the same).
-- The records are picked first and named after, so a first import of a million records names only $limit each.
-- params: $since_at, $areas, $countries, $components, $types, $statuses, $max_rank, $partnerships, $limit
-- The engagements: the new ones counted and the newest $limit picked by place (row_id) in one pass over
-- engagement_new_since, which joins nothing (the filters are most of its cost: a region's list of countries tested
-- against every row); those written again since (few, unless an import rewrote everything) per change from
-- engagement_rewritten_since; only the picked rows are then read whole, with their status at $since_at. Newest is
-- by the second a record was written, then by its place in the table (a record written later in the same second
-- comes first), as one BIGINT key: row_id below 2^31, seconds since 1970 below 2^32 until 2106. (At 10M
-- engagements after a first import made every record new, one pass over every change with min_by on a struct took
-- 330 ms unfiltered and 457 ms for a region; a count and a top-n apart, 50 and 663; max_by(row_id, key, n), about
-- 200 and 395; the n largest keys themselves (max(key, n)), whose low bits are the row_id, 25-35% less CPU than that.)
WITH new_picked AS (
    SELECT count(*) AS total,
           list_transform(max((epoch_ms(updated_at) // 1000) * 2147483648 + row_id, $limit),
                          lambda k: k % 2147483648) AS places
    FROM engagement_new_since($since_at, $areas, $countries, $components, $types, $max_rank, $partnerships)
),
new_place AS (
    SELECT unnest(places) AS row_id, 'new' AS change, total FROM new_picked
),
rewritten AS (
    SELECT row_id, change, updated_at, count(*) OVER (PARTITION BY change) AS total
    FROM engagement_rewritten_since($since_at, $areas, $countries, $components, $types, $max_rank, $partnerships)
    QUALIFY row_number() OVER (PARTITION BY change ORDER BY updated_at DESC, row_id DESC) <= $limit
),
engagements_place AS (
    SELECT row_id, change, total FROM new_place
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
