-- First and last engagement start dates, for the "all dates" period.
-- params: none
SELECT min(month) AS first_day, max(month) + INTERVAL 1 MONTH - INTERVAL 1 DAY AS last_day
FROM engagement_rollup
