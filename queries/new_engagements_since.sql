-- Engagements that started between $since and today, newest first (within the other filters);
-- total counts them all, whatever the limit.
-- The count comes from the monthly rollup; the rows are read from the raw table only from the latest
-- month that still holds $limit of them (the table is sorted by start date, so older rows are skipped).
-- Within them one narrow pass finds the day of the $limit-th newest (max(x, n): the n largest values), and only
-- the row groups from that day on are read whole (max(x, n) takes n below 10^6; a dynamic filter; at 10M 45-80 ms -> ~30).
-- params: $since, $today, $areas, $countries, $components, $types, $max_rank, $partnerships, $limit
WITH months AS (
    SELECT month, sum(engagements - cancelled) AS n
    FROM area_trend_in($since, $today, $areas, $countries, $components, $types, $max_rank, $partnerships)
    GROUP BY month
),
bounds AS (
    SELECT CAST(coalesce(sum(n), 0) AS BIGINT) AS total,
           greatest(CAST($since AS DATE), coalesce(max(month) FILTER (WHERE newer >= $limit), DATE '0001-01-01')) AS cutoff
    FROM (SELECT month, n, sum(n) OVER (ORDER BY month DESC) AS newer FROM months)
),
from_day AS (
    SELECT CASE WHEN $limit < 1000000 THEN list_min(max(e.start_date, greatest(least($limit, 999999), 1)))
                ELSE min(e.start_date) END AS day
    FROM engagements_in((SELECT cutoff FROM bounds), $today, $areas, $countries, $components, $types, $max_rank, $partnerships) e
    WHERE e.status <> 'cancelled'
),
picked AS (
    SELECT e.*
    FROM engagements_in((SELECT cutoff FROM bounds), $today, $areas, $countries, $components, $types, $max_rank, $partnerships) e
    WHERE e.status <> 'cancelled' AND e.start_date >= (SELECT day FROM from_day)
    ORDER BY e.start_date DESC, e.engagement_id
    LIMIT $limit
)
SELECT e.start_date, e.title, partner_country_names(e.iso3, e.other_countries, nm.country_names) AS country, array_to_string(e.organizations, ';') AS organizations, e.iso3, e.mission_area, e.engagement_type, e.component,
       e.status, e.participants, e.engagement_id, e.is_demo, (SELECT total FROM bounds) AS total
FROM picked e
CROSS JOIN partner_names() nm
ORDER BY e.start_date DESC, e.engagement_id
