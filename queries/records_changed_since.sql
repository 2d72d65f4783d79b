-- Engagement and agreement records an import created or changed at or after the moment $since_at, whatever
-- their dates (the period filter does not apply; the others and the ceiling do): for each record kind
-- (engagement, agreement) and change (new, status, changed), the most recently written $limit records;
-- total counts every record of that kind and change. status_before: the status it had at $since_at. partners
-- names every partner: the countries (the first listed first), then the organizations (agreements: the same).
-- params: $since_at, $areas, $countries, $components, $types, $statuses, $max_rank, $partnerships, $limit
WITH changed AS (
    SELECT 'engagement' AS record, e.change, e.engagement_id AS record_id, e.title,
           nullif(concat_ws('; ', coalesce(m.countries, c.name), m.organization_names), '') AS partners,
           e.iso3, e.mission_area, e.start_date AS record_date, e.status_before, e.status, e.updated_at,
           e.first_imported_at, e.is_demo
    FROM engagement_changes_in($since_at, $areas, $countries, $components, $types, $max_rank, $partnerships) e
    LEFT JOIN countries c USING (iso3)
    LEFT JOIN engagement_partner_names($max_rank) m USING (engagement_id)
    UNION ALL
    SELECT 'agreement', a.change, a.agreement_id, a.title, a.partners, a.iso3s[1], a.mission_area,
           coalesce(a.date_signed, a.date_in_force), a.status_before, a.status, a.updated_at,
           a.first_imported_at, a.is_demo
    FROM agreement_changes_in($since_at, $areas, $countries, $components, $statuses, $max_rank, $partnerships) a
)
SELECT *, count(*) OVER (PARTITION BY record, change) AS total
FROM changed
QUALIFY row_number() OVER (PARTITION BY record, change ORDER BY updated_at DESC, record_id) <= $limit
ORDER BY record DESC, change, updated_at DESC, record_id
