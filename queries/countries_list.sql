-- Countries and regions for the filter choices.
-- params: none
SELECT iso3, name, region, subregion FROM countries ORDER BY name
