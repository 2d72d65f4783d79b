-- Headline numbers for the partner countries in $countries, one row each in the order given: activity in
-- the period and before, agreements in force on the as-of day and in negotiation (an agreement with
-- several partners counts for each of them), current programmes present.
-- params: $start, $end, $prev_start, $prev_end, $as_of, $areas, $countries, $components, $types, $statuses, $max_rank, $partnerships
WITH cur AS (
    SELECT iso3, CAST(sum(engagements - cancelled) AS BIGINT) AS n, CAST(sum(participants) AS BIGINT) AS participants,
           CAST(sum(demo_active) AS BIGINT) AS demo  -- demo records shown: cancelled ones are not counted
    FROM area_activity_in($start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships)
    GROUP BY iso3
),
prev AS (
    SELECT iso3, CAST(sum(engagements - cancelled) AS BIGINT) AS n
    FROM area_activity_in($prev_start, $prev_end, $areas, $countries, $components, $types, $max_rank, $partnerships)
    GROUP BY iso3
),
agreements AS (
    SELECT p.iso3, count(*) FILTER (WHERE d.status = 'in_force') AS in_force,
           count(*) FILTER (WHERE a.status = 'negotiation') AS negotiation,
           count(*) AS total, count(*) FILTER (WHERE a.is_demo) AS demo
    FROM agreements_in($start, $end, $areas, $countries, $components, $statuses, $max_rank, $partnerships) a
    JOIN agreement_parties_in($max_rank) p USING (agreement_id)
    LEFT JOIN agreement_status_on($as_of) d USING (agreement_id)
    WHERE list_contains($countries, p.iso3)
    GROUP BY p.iso3
),
programmes AS (
    SELECT iso3, count(DISTINCT program) AS programs
    FROM programs
    WHERE is_current AND list_contains($countries, iso3)
    GROUP BY iso3
)
SELECT c.iso3, c.name, c.region,
       coalesce(cur.n, 0) AS engagements, coalesce(prev.n, 0) AS prev_engagements,
       coalesce(cur.participants, 0) AS participants,
       coalesce(g.in_force, 0) AS in_force, coalesce(g.negotiation, 0) AS negotiation,
       coalesce(g.total, 0) AS agreements, coalesce(pr.programs, 0) AS programs,
       coalesce(cur.demo, 0) AS demo_engagements, coalesce(g.demo, 0) AS demo_agreements
FROM countries c
LEFT JOIN cur USING (iso3)
LEFT JOIN prev USING (iso3)
LEFT JOIN agreements g USING (iso3)
LEFT JOIN programmes pr USING (iso3)
WHERE list_contains($countries, c.iso3)
ORDER BY list_position($countries, c.iso3)
