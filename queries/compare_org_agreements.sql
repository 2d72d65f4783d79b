-- Agreements by current lifecycle status for each partner organization in $organizations (an agreement naming
-- several organizations counts for each of them). The sidebar's country choices do not apply.
-- params: $start, $end, $areas, $components, $statuses, $max_rank, $partnerships, $organizations
SELECT org_code, status, count(*) AS agreements
FROM (SELECT unnest(a.organizations) AS org_code, a.status
      FROM agreements_in($start, $end, $areas, [], $components, $statuses, $max_rank, $partnerships) a
      WHERE list_has_any(a.organizations, $organizations))
WHERE list_contains($organizations, org_code)
GROUP BY ALL
ORDER BY org_code, status
