-- Every engagement the filters admit, for download: country lists every partner country (the first listed
-- first, '; '-separated) and organizations the partner organizations, so that the file imports back.
-- params: $start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships
SELECT e.engagement_id, e.title, e.start_date, e.end_date, partner_country_names(e.iso3, e.other_countries, nm.country_names) AS country, e.iso3, c.region, e.city,
       e.latitude, e.longitude, e.mission_area, e.engagement_type, e.component, e.status, e.participants,
       e.summary, e.sensitivity, e.is_demo AS demo, array_to_string(e.organizations, ';') AS organizations, e.level
FROM engagements_in($start, $end, $areas, $countries, $components, $types, $max_rank, $partnerships) e
LEFT JOIN countries c USING (iso3)
CROSS JOIN partner_names() nm
ORDER BY e.start_date, e.engagement_id
