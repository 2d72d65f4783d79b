-- Engagements per partner organization in $organizations and mission area in the period (cancelled ones not
-- counted; an engagement naming several organizations counts for each), with the organization's name.
-- params: $start, $end, $areas, $components, $types, $max_rank, $partnerships, $organizations
SELECT a.org_code, o.name, a.mission_area, CAST(sum(a.engagements - a.cancelled) AS BIGINT) AS engagements
FROM organization_activity_in($start, $end, $areas, [], $components, $types, $max_rank, $partnerships) a
JOIN organizations o ON o.code = a.org_code
WHERE list_contains($organizations, a.org_code)
GROUP BY ALL
HAVING sum(a.engagements - a.cancelled) > 0
ORDER BY engagements DESC, o.name, a.mission_area
