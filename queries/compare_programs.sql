-- Current programme sites and memberships for each partner country in $countries: one row per
-- country and programme, with its number of sites (real, sourced facts; not records with a sensitivity).
-- params: $countries
SELECT iso3, program, min(mission_area) AS mission_area, count(*) AS sites, bool_or(uncertain) AS uncertain
FROM programs
WHERE is_current AND list_contains($countries, iso3)
GROUP BY iso3, program
ORDER BY program, iso3
