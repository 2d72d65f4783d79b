-- Programmes present in one country (current and former), each with its source and as-of date.
-- params: $iso3
SELECT p.program, p.program_code, p.mission_area, p.place, p.site_code, p.status, p.is_current, p.since,
       p.uncertain, p.source_url, p.source_as_of, p.notes
FROM programs p
WHERE p.iso3 = $iso3
ORDER BY p.is_current DESC, p.program, p.place
