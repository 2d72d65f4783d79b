-- Countries with an engagement between $since and today but none in the year before $since.
-- params: $since, $today, $lookback_start, $areas, $countries, $components, $types, $max_rank
WITH recent AS (
    SELECT iso3, count(*) AS engagements, min(start_date) AS first_date
    FROM engagements_in($since, $today, $areas, $countries, $components, $types, $max_rank)
    WHERE status <> 'cancelled'
    GROUP BY iso3
),
before AS (
    SELECT DISTINCT iso3
    FROM area_activity_in($lookback_start, CAST($since AS DATE) - INTERVAL 1 DAY, $areas, $countries, $components, $types, $max_rank)
    WHERE engagements > cancelled
)
SELECT r.iso3, c.name, c.region, r.engagements, r.first_date
FROM recent r JOIN countries c USING (iso3)
WHERE r.iso3 NOT IN (SELECT iso3 FROM before)
ORDER BY r.first_date, c.name
