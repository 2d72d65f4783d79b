-- Engagements the filters admit whose title, summary, city or country name contains $search
-- (case-insensitive; the text is matched literally: % and _ are not wildcards; '' finds nothing), newest
-- first, at most $limit of them; total counts every match.
-- params: $start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships, $search, $limit
WITH found AS (
    SELECT e.start_date, e.title, partner_country_names(e.iso3, e.other_countries, nm.country_names) AS country, e.iso3, e.city, e.mission_area, e.engagement_type,
           e.component, e.status, e.participants, e.summary, e.engagement_id, e.is_demo
    FROM engagements_in($start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships) e
    CROSS JOIN partner_names() nm
    WHERE $search <> ''
      AND (contains(lower(e.title), lower($search))
           OR contains(lower(coalesce(e.summary, '')), lower($search))
           OR contains(lower(coalesce(e.city, '')), lower($search))
           OR contains(lower(coalesce(partner_country_names(e.iso3, e.other_countries, nm.country_names), '')), lower($search)))
)
SELECT *, count(*) OVER () AS total
FROM found
ORDER BY start_date DESC, engagement_id
LIMIT $limit
