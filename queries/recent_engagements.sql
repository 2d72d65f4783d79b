-- The newest engagements in the period (planned ones included), newest first.
-- The monthly rollup gives the latest month from which at least $limit engagements start (per the
-- filters); only the raw rows from that month on are read and sorted (the table is sorted by start date,
-- so the others are skipped), which gives the same rows as sorting the whole period.
-- Within those months one narrow pass finds the day of the $limit-th newest (max(x, n): the n largest values), and
-- only the row groups from that day on are read whole (max(x, n) takes n below 10^6; a dynamic filter): at 10M engagements a month is ~80k rows,
-- which sorted whole took 40-85 ms, this 25-45.
-- params: $start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships, $limit
WITH from_month AS (
    SELECT greatest(CAST($start AS DATE), (
            SELECT coalesce(max(month) FILTER (WHERE newer >= $limit), DATE '0001-01-01')
            FROM (SELECT month, sum(sum(engagements)) OVER (ORDER BY month DESC) AS newer
                  FROM area_trend_in($start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships)
                  GROUP BY month))) AS day
),
from_day AS (
    SELECT CASE WHEN $limit < 1000000 THEN list_min(max(e.start_date, greatest(least($limit, 999999), 1)))
                ELSE min(e.start_date) END AS day
    FROM engagements_in((SELECT day FROM from_month), $end, $areas, $countries, $components, $types, $max_rank, $partnerships) e
),
picked AS (
    SELECT e.*
    FROM engagements_in((SELECT day FROM from_month), $end, $areas, $countries, $components, $types, $max_rank, $partnerships) e
    WHERE e.start_date >= (SELECT day FROM from_day)
    ORDER BY e.start_date DESC, e.engagement_id
    LIMIT $limit
)
SELECT e.start_date, e.end_date, e.title, partner_country_names(e.iso3, e.other_countries, nm.country_names) AS country, array_to_string(e.organizations, ';') AS organizations, e.iso3, e.city, e.mission_area,
       e.engagement_type, e.component, e.status, e.participants, e.engagement_id, e.is_demo
FROM picked e
CROSS JOIN partner_names() nm
ORDER BY e.start_date DESC, e.engagement_id
