-- Headline engagement numbers for the period and the period of equal length before it.
-- Cancelled engagements are not counted as activity. An engagement counts once however many partner
-- countries it has (counted_once); countries counts each of its partner countries.
-- params: $start, $end, $prev_start, $prev_end, $areas, $countries, $components, $types, $max_rank, $partnerships
WITH cur AS (
    SELECT sum(engagements - cancelled) FILTER (WHERE counted_once(ahead, $countries)) AS engagements,
           count(DISTINCT iso3) FILTER (WHERE engagements > cancelled) AS countries,
           sum(participants) FILTER (WHERE counted_once(ahead, $countries)) AS participants,
           sum(planned) FILTER (WHERE counted_once(ahead, $countries)) AS planned,
           sum(demo_active) FILTER (WHERE counted_once(ahead, $countries)) AS demo  -- shown: not cancelled
    FROM area_activity_in($start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships)
),
prev AS (
    SELECT sum(engagements - cancelled) FILTER (WHERE counted_once(ahead, $countries)) AS engagements,
           count(DISTINCT iso3) FILTER (WHERE engagements > cancelled) AS countries
    FROM area_activity_in($prev_start, $prev_end, $areas, $countries, $components, $types, $max_rank, $partnerships)
)
SELECT coalesce(cur.engagements, 0) AS engagements,
       cur.countries,
       coalesce(cur.participants, 0) AS participants,
       coalesce(cur.planned, 0) AS planned,
       coalesce(cur.demo, 0) AS demo,
       coalesce(prev.engagements, 0) AS prev_engagements,
       prev.countries AS prev_countries
FROM cur, prev
