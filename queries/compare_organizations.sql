-- Headline numbers for the partner organizations in $organizations (codes), one row each in the order given:
-- engagements naming the organization in the period and before (cancelled ones not counted; one naming several
-- organizations counts for each), participants, agreements naming it in force on the as-of day and in negotiation.
-- programs is NULL: programme sites and memberships are countries'. The sidebar's country choices do not apply.
-- params: $start, $end, $prev_start, $prev_end, $as_of, $areas, $components, $types, $statuses, $max_rank, $partnerships, $organizations
WITH cur AS (
    SELECT org_code, CAST(sum(engagements - cancelled) AS BIGINT) AS n, CAST(sum(participants) AS BIGINT) AS participants,
           CAST(sum(demo_active) AS BIGINT) AS demo
    FROM organization_activity_in($start, $end, $areas, [], $components, $types, $max_rank, $partnerships)
    WHERE list_contains($organizations, org_code)
    GROUP BY org_code
),
prev AS (
    SELECT org_code, CAST(sum(engagements - cancelled) AS BIGINT) AS n
    FROM organization_activity_in($prev_start, $prev_end, $areas, [], $components, $types, $max_rank, $partnerships)
    WHERE list_contains($organizations, org_code)
    GROUP BY org_code
),
named AS (
    SELECT unnest(a.organizations) AS org_code, a.status, d.status AS status_on, a.is_demo
    FROM agreements_in($start, $end, $areas, [], $components, $statuses, $max_rank, $partnerships) a
    LEFT JOIN agreement_status_on($as_of) d USING (agreement_id)
    WHERE list_has_any(a.organizations, $organizations)
),
agreements AS (
    SELECT org_code, count(*) FILTER (WHERE status_on = 'in_force') AS in_force,
           count(*) FILTER (WHERE status = 'negotiation') AS negotiation,
           count(*) AS total, count(*) FILTER (WHERE is_demo) AS demo
    FROM named
    WHERE list_contains($organizations, org_code)
    GROUP BY org_code
)
SELECT o.code AS org_code, o.name, o.kind,
       coalesce(cur.n, 0) AS engagements, coalesce(prev.n, 0) AS prev_engagements,
       coalesce(cur.participants, 0) AS participants,
       coalesce(g.in_force, 0) AS in_force, coalesce(g.negotiation, 0) AS negotiation,
       coalesce(g.total, 0) AS agreements, CAST(NULL AS BIGINT) AS programs,
       coalesce(cur.demo, 0) AS demo_engagements, coalesce(g.demo, 0) AS demo_agreements
FROM organizations o
LEFT JOIN cur ON cur.org_code = o.code
LEFT JOIN prev ON prev.org_code = o.code
LEFT JOIN agreements g ON g.org_code = o.code
WHERE list_contains($organizations, o.code)
ORDER BY list_position($organizations, o.code)
