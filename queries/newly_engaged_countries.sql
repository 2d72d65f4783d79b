-- Countries with an engagement between $since and today but none in the year before $since. A per-country
-- figure: an engagement with several partner countries counts for each of them (those the filter asks for).
-- params: $since, $today, $lookback_start, $areas, $countries, $components, $types, $max_rank, $partnerships
WITH recent AS (
    SELECT iso3, count(*) AS engagements, min(start_date) AS first_date
    FROM (SELECT unnest(list_prepend(e.iso3, coalesce(e.other_countries, []))) AS iso3, e.start_date
          FROM engagements_in($since, $today, $areas, $countries, $components, $types, $max_rank, $partnerships) e
          WHERE e.status <> 'cancelled')
    WHERE len($countries) = 0 OR list_contains($countries, iso3)
    GROUP BY iso3
),
before AS (
    SELECT DISTINCT iso3
    FROM area_activity_in($lookback_start, CAST($since AS DATE) - INTERVAL 1 DAY, $areas, $countries, $components, $types, $max_rank, $partnerships)
    WHERE engagements > cancelled
)
SELECT r.iso3, c.name, c.region, r.engagements, r.first_date
FROM recent r JOIN countries c USING (iso3)
WHERE r.iso3 NOT IN (SELECT iso3 FROM before WHERE iso3 IS NOT NULL)
ORDER BY r.first_date, c.name
