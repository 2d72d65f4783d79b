-- Engagements that started between $since and today, newest first (within the other filters);
-- total counts them all, whatever the limit.
-- The count comes from the monthly rollup; the rows are read from the raw table only from the latest
-- month that still holds $limit of them (the table is sorted by start date, so older rows are skipped).
-- params: $since, $today, $areas, $countries, $components, $types, $max_rank, $partnerships, $limit
WITH months AS (
    SELECT month, sum(engagements - cancelled) AS n
    FROM area_trend_in($since, $today, $areas, $countries, $components, $types, $max_rank, $partnerships)
    GROUP BY month
),
bounds AS (
    SELECT CAST(coalesce(sum(n), 0) AS BIGINT) AS total,
           coalesce(max(month) FILTER (WHERE newer >= $limit), DATE '0001-01-01') AS cutoff
    FROM (SELECT month, n, sum(n) OVER (ORDER BY month DESC) AS newer FROM months)
)
SELECT e.start_date, e.title, partner_country_names(e.iso3, e.other_countries, nm.country_names) AS country, array_to_string(e.organizations, ';') AS organizations, e.iso3, e.mission_area, e.engagement_type, e.component,
       e.status, e.participants, e.engagement_id, e.is_demo, (SELECT total FROM bounds) AS total
FROM engagements_in(greatest(CAST($since AS DATE), (SELECT cutoff FROM bounds)), $today,
                    $areas, $countries, $components, $types, $max_rank, $partnerships) e
CROSS JOIN partner_names() nm
WHERE e.status <> 'cancelled'
ORDER BY e.start_date DESC, e.engagement_id
LIMIT $limit
