-- Per mission area: engagements, partner countries and participants in the period, and engagements in
-- the previous period of equal length. Every area the filters admit gets a row, zeros included. An engagement
-- counts once however many partner countries it has (counted_once); countries counts each of them.
-- params: $start, $end, $prev_start, $prev_end, $areas, $countries, $components, $types, $max_rank, $partnerships
WITH cur AS (
    SELECT mission_area, sum(engagements - cancelled) FILTER (WHERE counted_once(ahead, $countries)) AS engagements,
           count(DISTINCT iso3) FILTER (WHERE engagements > cancelled) AS countries,
           sum(participants) FILTER (WHERE counted_once(ahead, $countries)) AS participants
    FROM area_activity_in($start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships)
    GROUP BY mission_area
),
prev AS (
    SELECT mission_area, sum(engagements - cancelled) AS prev_engagements
    FROM area_activity_in($prev_start, $prev_end, $areas, $countries, $components, $types, $max_rank, $partnerships)
    WHERE counted_once(ahead, $countries)
    GROUP BY mission_area
)
SELECT m.code AS mission_area, m.label,
       coalesce(cur.engagements, 0) AS engagements,
       coalesce(prev.prev_engagements, 0) AS prev_engagements,
       coalesce(cur.countries, 0) AS countries,
       coalesce(cur.participants, 0) AS participants
FROM mission_areas m
LEFT JOIN cur ON cur.mission_area = m.code
LEFT JOIN prev ON prev.mission_area = m.code
WHERE len($areas) = 0 OR list_contains($areas, m.code)
ORDER BY m.sort_order
