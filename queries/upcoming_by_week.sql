-- Planned engagements starting after today and by $horizon, per week (weeks start on Monday), partner
-- country and mission area: the agenda's counts, exact however many rows the agenda itself lists.
-- engagements counts an engagement for each partner country (those the filter asks for; iso3 NULL: one with
-- organizations only); once and demo count it once, at its first such partner: sum those for a total.
-- params: $today, $horizon, $areas, $countries, $components, $types, $max_rank, $partnerships
WITH partners AS (
    SELECT CAST(date_trunc('week', e.start_date) AS DATE) AS week_start, e.mission_area, e.is_demo,
           list_filter(list_prepend(e.iso3, coalesce(e.other_countries, [])),
                       lambda x: len($countries) = 0 OR list_contains($countries, x)) AS iso3s
    FROM engagements_in(CAST($today AS DATE) + 1, $horizon, $areas, $countries, $components, $types, $max_rank, $partnerships) e
    WHERE e.status = 'planned'
),
rows AS (
    SELECT week_start, mission_area, is_demo, unnest(iso3s) AS iso3, generate_subscripts(iso3s, 1) AS i
    FROM partners
)
SELECT week_start, iso3, mission_area, count(*) AS engagements, count(*) FILTER (WHERE i = 1) AS once,
       count(*) FILTER (WHERE i = 1 AND is_demo) AS demo
FROM rows
GROUP BY ALL
ORDER BY week_start, iso3 NULLS LAST, mission_area
