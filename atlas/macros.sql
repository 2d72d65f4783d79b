-- Table macros stored in the database, so that queries/*.sql read activity for any period exactly.
-- activity(p_start, p_end): one row per group of engagements starting in [p_start, p_end].
-- Whole months come from the monthly rollup; the partial months at either end come from the raw
-- table (sorted by start_date, so its zone maps skip everything else).
CREATE OR REPLACE MACRO activity(p_start, p_end) AS TABLE
WITH bounds AS (
    SELECT
        CAST(date_trunc('month', CAST(p_start AS DATE) - INTERVAL 1 DAY) + INTERVAL 1 MONTH AS DATE) AS full_lo,
        CAST(date_trunc('month', CAST(p_end AS DATE) + INTERVAL 1 DAY) AS DATE) AS full_hi
)
SELECT r.month, r.iso3, r.mission_area, r.component, r.engagement_type, r.sensitivity_rank,
       r.engagements, r.planned, r.cancelled, r.participants, r.demo
FROM engagement_rollup r, bounds b
WHERE r.month >= b.full_lo AND r.month < b.full_hi
UNION ALL
SELECT CAST(date_trunc('month', e.start_date) AS DATE), e.iso3, e.mission_area, e.component,
       e.engagement_type, e.sensitivity_rank, 1, CAST(e.status = 'planned' AS BIGINT),
       CAST(e.status = 'cancelled' AS BIGINT),
       CASE WHEN e.status <> 'cancelled' THEN e.participants END, CAST(e.is_demo AS BIGINT)
FROM engagements e, bounds b
WHERE e.start_date BETWEEN CAST(p_start AS DATE) AND CAST(p_end AS DATE)
  AND NOT (e.start_date >= b.full_lo AND e.start_date < b.full_hi);

-- agreement_status_on(p_day): each agreement's status as it stood on p_day, from the status history.
CREATE OR REPLACE MACRO agreement_status_on(p_day) AS TABLE
SELECT agreement_id, arg_max(status, (changed_on, event_order)) AS status
FROM agreement_status_history
WHERE changed_on <= CAST(p_day AS DATE)
GROUP BY agreement_id;

-- The shared filters, applied in one place. Every page query reads engagements and agreements
-- through these macros, so the sensitivity ceiling ($max_rank) can never be forgotten.
-- An empty list means "no restriction" for that filter.
CREATE OR REPLACE MACRO activity_in(p_start, p_end, p_areas, p_countries, p_components, p_types, p_max_rank) AS TABLE
SELECT *
FROM activity(p_start, p_end)
WHERE sensitivity_rank <= p_max_rank
  AND (len(p_areas) = 0 OR list_contains(p_areas, mission_area))
  AND (len(p_countries) = 0 OR list_contains(p_countries, iso3))
  AND (len(p_components) = 0 OR list_contains(p_components, component))
  AND (len(p_types) = 0 OR list_contains(p_types, engagement_type));

CREATE OR REPLACE MACRO engagements_in(p_start, p_end, p_areas, p_countries, p_components, p_types, p_max_rank) AS TABLE
SELECT *
FROM engagements
WHERE start_date BETWEEN CAST(p_start AS DATE) AND CAST(p_end AS DATE)
  AND sensitivity_rank <= p_max_rank
  AND (len(p_areas) = 0 OR list_contains(p_areas, mission_area))
  AND (len(p_countries) = 0 OR list_contains(p_countries, iso3))
  AND (len(p_components) = 0 OR list_contains(p_components, component))
  AND (len(p_types) = 0 OR list_contains(p_types, engagement_type));

-- Agreements whose life overlaps the period: signed (or in force) by its end and not expired before
-- its start; agreements still in negotiation have no dates and always qualify.
CREATE OR REPLACE MACRO agreements_in(p_start, p_end, p_areas, p_countries, p_components, p_statuses, p_max_rank) AS TABLE
SELECT a.*
FROM agreements a
WHERE a.sensitivity_rank <= p_max_rank
  AND (len(p_areas) = 0 OR list_contains(p_areas, a.mission_area))
  AND (len(p_components) = 0 OR list_contains(p_components, a.component))
  AND (len(p_statuses) = 0 OR list_contains(p_statuses, a.status))
  AND (len(p_countries) = 0 OR EXISTS (
        SELECT 1 FROM agreement_parties p
        WHERE p.agreement_id = a.agreement_id AND list_contains(p_countries, p.iso3)))
  AND (coalesce(a.date_signed, a.date_in_force) IS NULL
       OR coalesce(a.date_signed, a.date_in_force) <= CAST(p_end AS DATE))
  AND (a.date_expires IS NULL OR a.date_expires >= CAST(p_start AS DATE));
