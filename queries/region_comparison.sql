-- How one country compares with the other countries of its region in the period: engagements per
-- country of the region with any activity, ranked.
-- params: $iso3, $start, $end, $areas, $components, $types, $max_rank, $partnerships
WITH region_countries AS (
    SELECT iso3 FROM countries WHERE region = (SELECT region FROM countries WHERE iso3 = $iso3)
),
activity AS (
    SELECT a.iso3, sum(a.engagements - a.cancelled) AS engagements
    FROM area_activity_in($start, $end, $areas, (SELECT list(iso3) FROM region_countries), $components, $types, $max_rank, $partnerships) a
    GROUP BY a.iso3
)
SELECT c.iso3, c.name, coalesce(a.engagements, 0) AS engagements,
       c.iso3 = $iso3 AS selected,
       rank() OVER (ORDER BY coalesce(a.engagements, 0) DESC) AS rank
FROM countries c
LEFT JOIN activity a USING (iso3)
WHERE c.iso3 IN (SELECT iso3 FROM region_countries)
  AND (coalesce(a.engagements, 0) > 0 OR c.iso3 = $iso3)
ORDER BY engagements DESC, c.name
