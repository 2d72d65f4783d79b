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
       CAST(e.status = 'cancelled' AS BIGINT), e.participants, CAST(e.is_demo AS BIGINT)
FROM engagements e, bounds b
WHERE e.start_date BETWEEN CAST(p_start AS DATE) AND CAST(p_end AS DATE)
  AND NOT (e.start_date >= b.full_lo AND e.start_date < b.full_hi);

-- agreement_status_on(p_day): each agreement's status as it stood on p_day, from the status history.
CREATE OR REPLACE MACRO agreement_status_on(p_day) AS TABLE
SELECT agreement_id, arg_max(status, epoch(changed_on) * 1e9 + event_order) AS status
FROM agreement_status_history
WHERE changed_on <= CAST(p_day AS DATE)
GROUP BY agreement_id;
