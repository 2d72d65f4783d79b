-- Engagements per partner country from $since to today and in the period of equal length just before
-- (cancelled ones not counted): the page flags the countries whose activity fell.
-- params: $since, $today, $areas, $countries, $components, $types, $max_rank, $partnerships
WITH cur AS (
    SELECT iso3, CAST(sum(engagements - cancelled) AS BIGINT) AS n
    FROM area_activity_in($since, $today, $areas, $countries, $components, $types, $max_rank, $partnerships)
    GROUP BY iso3
),
prev AS (
    -- [since - days, since - 1], days = the length of [since, today]; written out so it folds to constants
    SELECT iso3, CAST(sum(engagements - cancelled) AS BIGINT) AS n
    FROM area_activity_in(CAST($since AS DATE) - CAST(CAST($today AS DATE) - CAST($since AS DATE) + 1 AS INTEGER),
                          CAST($since AS DATE) - 1, $areas, $countries, $components, $types, $max_rank, $partnerships)
    GROUP BY iso3
)
SELECT c.iso3, c.name, c.region, coalesce(cur.n, 0) AS recent, coalesce(prev.n, 0) AS previous
FROM prev
FULL JOIN cur USING (iso3)
JOIN countries c ON c.iso3 = coalesce(prev.iso3, cur.iso3)
WHERE coalesce(cur.n, 0) > 0 OR coalesce(prev.n, 0) > 0
ORDER BY previous DESC, c.name
