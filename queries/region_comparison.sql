-- How one country compares with the other countries of its region in the period: engagements per
-- country of the region with any activity (each counts an engagement for each of its partner countries), ranked;
-- region_engagements: the region's engagements, each once however many of its countries took part.
-- params: $iso3, $start, $end, $areas, $components, $types, $max_rank, $partnerships
WITH region_countries AS (
    SELECT iso3 FROM countries WHERE region = (SELECT region FROM countries WHERE iso3 = $iso3)
),
partner_rows AS (
    SELECT a.iso3, a.engagements - a.cancelled AS n, counted_once(a.ahead, (SELECT list(iso3) FROM region_countries)) AS once
    FROM area_activity_in($start, $end, $areas, (SELECT list(iso3) FROM region_countries), $components, $types, $max_rank, $partnerships) a
),
activity AS (
    SELECT iso3, sum(n) AS engagements FROM partner_rows GROUP BY iso3
)
SELECT c.iso3, c.name, coalesce(a.engagements, 0) AS engagements,
       (SELECT coalesce(sum(n) FILTER (WHERE once), 0) FROM partner_rows) AS region_engagements,
       c.iso3 = $iso3 AS selected,
       rank() OVER (ORDER BY coalesce(a.engagements, 0) DESC) AS rank
FROM countries c
LEFT JOIN activity a USING (iso3)
WHERE c.iso3 IN (SELECT iso3 FROM region_countries)
  AND (coalesce(a.engagements, 0) > 0 OR c.iso3 = $iso3)
ORDER BY engagements DESC, c.name
