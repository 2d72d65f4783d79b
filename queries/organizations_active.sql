-- International organizations with engagements in the period, busiest first: engagements counts each engagement
-- once for each organization it names (not cancelled), multilateral those with other partners too, latest the
-- latest start date among them, with the headquarters (NULL coordinates: a forum without a seat).
-- The latest dates are read from the raw rows of the earliest organization's latest month on only.
-- params: $start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships
WITH per_org AS (
    SELECT org_code, sum(engagements - cancelled) AS engagements,
           coalesce(sum(engagements - cancelled) FILTER (WHERE several), 0) AS multilateral,
           sum(participants) AS participants, sum(demo_active) AS demo,
           max(month) FILTER (WHERE engagements > cancelled) AS latest_month
    FROM organization_activity_in($start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships)
    GROUP BY org_code
    HAVING sum(engagements - cancelled) > 0
),
latest AS (
    SELECT org_code, max(start_date) AS latest
    FROM (SELECT unnest(e.organizations) AS org_code, e.start_date
          FROM organization_engagements_in(greatest(CAST($start AS DATE), (SELECT coalesce(min(latest_month), CAST($end AS DATE)) FROM per_org)),
                              $end, $areas, $countries, $components, $types, $max_rank, $partnerships) e
          WHERE e.organizations IS NOT NULL AND e.status <> 'cancelled')
    GROUP BY org_code
)
SELECT o.code, o.name, o.kind, o.hq_city, o.hq_iso3, h.name AS hq_country, o.hq_lat, o.hq_lon,
       p.engagements, p.multilateral, p.multilateral / p.engagements AS multilateral_share,
       coalesce(p.participants, 0) AS participants, p.demo, l.latest
FROM per_org p
JOIN organizations o ON o.code = p.org_code
LEFT JOIN countries h ON h.iso3 = o.hq_iso3
LEFT JOIN latest l ON l.org_code = p.org_code
ORDER BY p.engagements DESC, o.name
