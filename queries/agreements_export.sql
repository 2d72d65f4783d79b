-- Every agreement the filters admit, in the import's columns (countries as ISO3 codes, ';'-separated),
-- plus partner names, for download: a corrected file can be imported again.
-- params: $start, $end, $areas, $countries, $components, $statuses, $max_rank, $partnerships
SELECT a.agreement_id, a.title, a.agreement_type, array_to_string(a.iso3s, ';') AS countries, a.mission_area,
       a.status, a.date_signed, a.date_in_force, a.date_expires, a.component, a.summary, s.sensitivity,
       a.is_demo AS demo, a.partners
FROM agreements_in($start, $end, $areas, $countries, $components, $statuses, $max_rank, $partnerships) a
JOIN agreement_records($max_rank) s USING (agreement_id)
ORDER BY a.agreement_id
