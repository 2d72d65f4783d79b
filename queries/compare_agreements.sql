-- Agreements by current lifecycle status for each partner country in $countries (an agreement with
-- several partners counts for each of them).
-- params: $start, $end, $areas, $countries, $components, $statuses, $max_rank, $partnerships
SELECT p.iso3, a.status, count(*) AS agreements
FROM agreements_in($start, $end, $areas, $countries, $components, $statuses, $max_rank, $partnerships) a
JOIN agreement_parties_in($max_rank) p USING (agreement_id)
WHERE list_contains($countries, p.iso3)
GROUP BY ALL
ORDER BY p.iso3, a.status
