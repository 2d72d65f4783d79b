-- How many generated demo records the compared partners show, each once however many of them it names:
-- engagements not cancelled (as every tile counts them) with a partner country in $countries or an organization
-- in $organizations, and agreements likewise. For a comparison with organizations (demo_in_scope counts countries).
-- params: $start, $end, $areas, $countries, $organizations, $components, $types, $statuses, $max_rank, $partnerships
SELECT
    (SELECT count(*)
     FROM engagements_in($start, $end, $areas, [], $components, $types, $max_rank, $partnerships) e
     WHERE e.is_demo AND e.status <> 'cancelled'
       AND ((len($countries) > 0 AND has_partner_in(e.iso3, e.other_countries, $countries))
            OR list_has_any(coalesce(e.organizations, []), $organizations))) AS demo_engagements,
    (SELECT count(*)
     FROM agreements_in($start, $end, $areas, [], $components, $statuses, $max_rank, $partnerships) a
     WHERE a.is_demo
       AND (list_has_any(coalesce(a.iso3s, []), $countries) OR list_has_any(coalesce(a.organizations, []), $organizations)))
        AS demo_agreements
