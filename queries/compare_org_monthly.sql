-- Engagements per month naming each partner organization in $organizations in the period (cancelled ones not
-- counted; an engagement naming several organizations counts for each). The sidebar's country choices do not apply.
-- params: $start, $end, $areas, $components, $types, $max_rank, $partnerships, $organizations
SELECT month, org_code, CAST(sum(engagements - cancelled) AS BIGINT) AS engagements
FROM organization_activity_in($start, $end, $areas, [], $components, $types, $max_rank, $partnerships)
WHERE list_contains($organizations, org_code)
GROUP BY month, org_code
ORDER BY month, org_code
