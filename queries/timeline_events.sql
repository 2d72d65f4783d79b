-- What happened on the trend charts' time axis: agreement signings and entries into force between $start and
-- $end, one row per event (kind 'signed' or 'in_force'), within the filters and the ceiling (agreements_in).
-- Other kinds (e.g. principal-level visits) are rows of the same shape from their own query.
-- params: $start, $end, $areas, $countries, $components, $statuses, $max_rank, $partnerships
SELECT day, kind, title, partners, mission_area, agreement_id AS record_id, is_demo
FROM (
    SELECT date_signed AS day, 'signed' AS kind, *
    FROM agreements_in($start, $end, $areas, $countries, $components, $statuses, $max_rank, $partnerships)
    UNION ALL
    SELECT date_in_force, 'in_force', *
    FROM agreements_in($start, $end, $areas, $countries, $components, $statuses, $max_rank, $partnerships)
)
WHERE day BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
ORDER BY day, kind, title
