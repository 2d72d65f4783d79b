-- Headline numbers for one partner country: activity in the period and before, agreements in force
-- on the as-of day, programme presence.
-- params: $iso3, $start, $end, $prev_start, $prev_end, $as_of, $areas, $components, $types, $statuses, $max_rank, $partnerships
WITH cur AS (
    SELECT sum(engagements - cancelled) AS n, sum(participants) AS participants, sum(planned) AS planned,
           sum(demo_active) AS demo  -- demo records shown: cancelled ones are not counted, as in the tiles
    FROM area_activity_in($start, $end, $areas, [$iso3], $components, $types, $max_rank, $partnerships)
),
prev AS (
    SELECT sum(engagements - cancelled) AS n
    FROM area_activity_in($prev_start, $prev_end, $areas, [$iso3], $components, $types, $max_rank, $partnerships)
),
agreements AS (
    SELECT count(*) FILTER (WHERE d.status = 'in_force') AS in_force,
           count(*) FILTER (WHERE a.status = 'negotiation') AS negotiation,
           count(*) AS total
    FROM agreements_in($start, $end, $areas, [$iso3], $components, $statuses, $max_rank, $partnerships) a
    LEFT JOIN agreement_status_on($as_of) d USING (agreement_id)
)
SELECT c.iso3, c.name, c.official_name, c.region, c.subregion, c.lat, c.lon,
       coalesce(cur.n, 0) AS engagements, coalesce(prev.n, 0) AS prev_engagements,
       coalesce(cur.participants, 0) AS participants, coalesce(cur.planned, 0) AS planned,
       coalesce(cur.demo, 0) AS demo,
       agreements.in_force, agreements.negotiation, agreements.total AS agreements,
       (SELECT count(*) FROM programs p WHERE p.iso3 = $iso3 AND p.is_current) AS programs
FROM countries c, cur, prev, agreements
WHERE c.iso3 = $iso3
