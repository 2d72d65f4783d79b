-- Every engagement the filters admit, for download: country lists every partner country (the first listed
-- first, '; '-separated) and organizations the partner organizations, so that the file imports back.
-- params: $start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships
SELECT e.engagement_id, e.title, e.start_date, e.end_date, coalesce(m.countries, c.name) AS country, e.iso3, c.region, e.city,
       e.latitude, e.longitude, e.mission_area, e.engagement_type, e.component, e.status, e.participants,
       e.summary, e.sensitivity, e.is_demo AS demo, m.organizations, e.level
FROM engagements_in($start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships) e
LEFT JOIN countries c USING (iso3)
LEFT JOIN engagement_partner_names($max_rank) m USING (engagement_id)
ORDER BY e.start_date, e.engagement_id
