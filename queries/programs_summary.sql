-- Each programme's sites or members, how many are current or uncertain, and its sources' dates.
-- params: none
SELECT program, program_code, mission_area,
       count(*) AS sites,
       count(*) FILTER (WHERE is_current) AS current,
       count(*) FILTER (WHERE uncertain) AS uncertain,
       count(DISTINCT iso3) AS countries,
       string_agg(DISTINCT source_as_of, ' | ') AS sources_as_of
FROM programs
GROUP BY ALL
ORDER BY program
