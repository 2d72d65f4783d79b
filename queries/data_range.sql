-- First and last engagement start dates the viewer may see, for the "all dates" period.
-- params: $max_rank
SELECT min(month) AS first_day, max(month) + INTERVAL 1 MONTH - INTERVAL 1 DAY AS last_day
FROM activity_months($max_rank)
