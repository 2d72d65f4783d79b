-- One international organization: its reference facts (kind, headquarters, members where public, source and
-- as-of, notes) and its numbers for the period: engagements naming it (not cancelled) and before, participants,
-- planned, multilateral (with other partners too), demo records; agreements naming it, in force on the as-of day.
-- params: $org, $start, $end, $prev_start, $prev_end, $as_of, $areas, $countries, $components, $types, $statuses, $max_rank, $partnerships
WITH cur AS (
    SELECT sum(engagements - cancelled) AS n, sum(participants) AS participants, sum(planned) AS planned,
           sum(demo_active) AS demo, sum(engagements - cancelled) FILTER (WHERE several) AS multilateral
    FROM organization_activity_in($start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships)
    WHERE org_code = $org
),
prev AS (
    SELECT sum(engagements - cancelled) AS n
    FROM organization_activity_in($prev_start, $prev_end, $areas, $countries, $components, $types, $max_rank, $partnerships)
    WHERE org_code = $org
),
agreements AS (
    SELECT count(*) FILTER (WHERE d.status = 'in_force') AS in_force,
           count(*) FILTER (WHERE a.status = 'negotiation') AS negotiation,
           count(*) AS total, count(*) FILTER (WHERE a.is_demo) AS demo
    FROM agreements_in($start, $end, $areas, $countries, $components, $statuses, $max_rank, $partnerships) a
    LEFT JOIN agreement_status_on($as_of) d USING (agreement_id)
    WHERE list_contains(a.organizations, $org)
)
SELECT o.code, o.name, o.kind, o.hq_city, o.hq_iso3, h.name AS hq_country, o.hq_lat, o.hq_lon,
       len(o.members) AS member_count,
       (SELECT string_agg(c.name, ', ' ORDER BY c.name) FROM countries c WHERE list_contains(o.members, c.iso3)) AS members,
       o.source_url, o.source_as_of, o.notes,
       coalesce(cur.n, 0) AS engagements, coalesce(prev.n, 0) AS prev_engagements,
       coalesce(cur.participants, 0) AS participants, coalesce(cur.planned, 0) AS planned,
       coalesce(cur.multilateral, 0) AS multilateral, coalesce(cur.demo, 0) AS demo_engagements,
       agreements.in_force, agreements.negotiation, agreements.total AS agreements, agreements.demo AS demo_agreements
FROM organizations o
LEFT JOIN countries h ON h.iso3 = o.hq_iso3, cur, prev, agreements
WHERE o.code = $org
