-- How many engagement records the filters admit, planned and cancelled included: the size of the
-- export (engagements_export) before it is built. Read from the rollup, so it costs no raw scan.
-- params: $start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships
SELECT CAST(coalesce(sum(engagements), 0) AS BIGINT) AS engagements
FROM area_trend_in($start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships)
