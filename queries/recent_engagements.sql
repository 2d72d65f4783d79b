-- The newest engagements in the period (planned ones included), newest first.
-- The monthly rollup gives the latest month from which at least $limit engagements start (per the
-- filters); only the raw rows from that month on are read and sorted (the table is sorted by start date,
-- so the others are skipped), which gives the same rows as sorting the whole period.
-- params: $start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships, $limit
SELECT e.start_date, e.end_date, e.title, partner_country_names(e.iso3, e.other_countries, nm.country_names) AS country, array_to_string(e.organizations, ';') AS organizations, e.iso3, e.city, e.mission_area,
       e.engagement_type, e.component, e.status, e.participants, e.engagement_id, e.is_demo
FROM engagements_in(
        greatest(CAST($start AS DATE), (
            SELECT coalesce(max(month) FILTER (WHERE newer >= $limit), DATE '0001-01-01')
            FROM (SELECT month, sum(sum(engagements)) OVER (ORDER BY month DESC) AS newer
                  FROM area_trend_in($start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships)
                  GROUP BY month))),
        $end, $areas, $countries, $components, $types, $max_rank, $partnerships) e
CROSS JOIN partner_names() nm
ORDER BY e.start_date DESC, e.engagement_id
LIMIT $limit
