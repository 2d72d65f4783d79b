-- Real programme sites and memberships with their sources, for the chosen programmes.
-- params: $programs
SELECT p.program, p.program_code, p.mission_area, p.iso3, c.name AS country, p.place, p.site_code,
       coalesce(p.latitude, c.lat) AS lat, coalesce(p.longitude, c.lon) AS lon, p.status, p.is_current,
       p.since, p.source_url, p.source_as_of, p.uncertain, p.notes
FROM programs p
JOIN countries c USING (iso3)
WHERE list_contains($programs, p.program_code)
ORDER BY p.program_code, c.name, p.place
