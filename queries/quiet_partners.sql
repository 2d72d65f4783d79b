-- Partner countries gone quiet: an agreement in force today and no engagement (cancelled ones not
-- counted) from $since to today. With the month of their last engagement since $lookback_start.
-- An agreement with several partners counts for each of them. The two activity ranges do not overlap (before
-- $since, and from it), so no engagement is read twice; a quiet partner's last month is before $since.
-- params: $since, $today, $lookback_start, $areas, $countries, $components, $types, $statuses, $max_rank, $partnerships
WITH in_force AS (
    SELECT p.iso3, count(*) AS agreements, string_agg(a.title, '; ' ORDER BY a.title) AS titles
    FROM agreements_in($today, $today, $areas, $countries, $components, $statuses, $max_rank, $partnerships) a
    JOIN agreement_status_on($today) d USING (agreement_id)
    JOIN agreement_parties_in($max_rank) p USING (agreement_id)
    WHERE d.status = 'in_force'
      AND (len($countries) = 0 OR list_contains($countries, p.iso3))
    GROUP BY p.iso3
),
earlier AS (
    SELECT iso3, max(month) AS last_month
    FROM area_activity_in($lookback_start, CAST($since AS DATE) - 1, $areas, $countries, $components, $types, $max_rank, $partnerships)
    WHERE engagements > cancelled
    GROUP BY iso3
),
recent AS (
    SELECT DISTINCT iso3
    FROM area_activity_in($since, $today, $areas, $countries, $components, $types, $max_rank, $partnerships)
    WHERE engagements > cancelled
)
SELECT c.iso3, c.name, c.region, f.agreements, f.titles, a.last_month
FROM in_force f
JOIN countries c USING (iso3)
LEFT JOIN earlier a USING (iso3)
WHERE f.iso3 NOT IN (SELECT iso3 FROM recent WHERE iso3 IS NOT NULL)  -- an organization-only one has no country (NULL)
ORDER BY a.last_month NULLS FIRST, c.name
