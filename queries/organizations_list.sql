-- The international organizations and forums of the reference table, for the organization picker.
-- params: none
SELECT code, name, kind FROM organizations ORDER BY name
