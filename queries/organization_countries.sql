-- The partner countries that took part in an international organization's engagements in the period (not
-- cancelled): a per-country figure, each engagement counted for every partner country it lists; with a country
-- filter, only the countries asked for.
-- params: $org, $start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships
SELECT p.iso3, c.name, c.region, count(*) AS engagements, max(p.start_date) AS latest
FROM (SELECT unnest(list_prepend(e.iso3, coalesce(e.other_countries, []))) AS iso3, e.start_date
      FROM organization_engagements_in($start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships) e
      WHERE list_contains(e.organizations, $org) AND e.status <> 'cancelled') p
JOIN countries c USING (iso3)
WHERE len($countries) = 0 OR list_contains($countries, p.iso3)
GROUP BY ALL
ORDER BY engagements DESC, c.name
