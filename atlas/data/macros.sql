-- Table macros stored in the database, so that queries/*.sql read activity for any period exactly.
--
-- Engagement activity for a period [p_start, p_end] is read in three parts: the whole months from a
-- monthly rollup, and the partial months at either end (the "lead" before the first whole month and
-- the "tail" after the last one) from the raw table. The raw table is sorted by start_date, so each
-- edge range reads only the row groups of its own days (zone maps), and a period of whole months
-- reads no raw rows at all. Parameters are bound as constants before planning, so the month bounds
-- below fold to dates and every range becomes a zone-map filter.
--
-- The bounds, for any p_start <= p_end:
--   full_lo = first day of the first whole month  = date_trunc('month', p_start - 1 day) + 1 month
--   full_hi = first day after the last whole month = date_trunc('month', p_end + 1 day)
--   lead    = [p_start, least(p_end, full_lo - 1 day)]
--   months  = [full_lo, full_hi)                     (empty when full_lo >= full_hi)
--   tail    = [greatest(full_lo, full_hi), p_end]
-- The three are disjoint and together cover exactly [p_start, p_end].
CREATE OR REPLACE MACRO period_full_lo(p_start) AS
    CAST(date_trunc('month', CAST(p_start AS DATE) - INTERVAL 1 DAY) + INTERVAL 1 MONTH AS DATE);
CREATE OR REPLACE MACRO period_full_hi(p_end) AS
    CAST(date_trunc('month', CAST(p_end AS DATE) + INTERVAL 1 DAY) AS DATE);

-- Raw engagements starting in the lead or tail of the period (never in one of its whole months).
CREATE OR REPLACE MACRO period_edges(p_start, p_end) AS TABLE
SELECT * FROM engagements
WHERE start_date BETWEEN CAST(p_start AS DATE) AND least(CAST(p_end AS DATE), period_full_lo(p_start) - 1)
UNION ALL
SELECT * FROM engagements
WHERE start_date BETWEEN greatest(period_full_lo(p_start), period_full_hi(p_end)) AND CAST(p_end AS DATE);

-- The partnership kind of an engagement or agreement (the sidebar's "bilateral / multilateral / with an
-- organization", atlas.data.vocab.PARTNERSHIPS): several partners (countries and organizations together), and
-- at least one organization. The rollups keep both, so the filter is exact at any grain.
CREATE OR REPLACE MACRO several_partners(p_iso3, p_others, p_orgs) AS
    CAST(p_iso3 IS NOT NULL AS INTEGER) + len(coalesce(p_others, [])) + len(coalesce(p_orgs, [])) >= 2;

-- Whether a record of that kind is admitted by the partnerships asked for ([]: every one): bilateral is one
-- partner country and no organization, multilateral several partners, organization at least one organization.
CREATE OR REPLACE MACRO partnership_admits(p_several, p_with_org, p_partnerships) AS
    len(p_partnerships) = 0
    OR (list_contains(p_partnerships, 'bilateral') AND NOT p_several AND NOT p_with_org)
    OR (list_contains(p_partnerships, 'multilateral') AND p_several)
    OR (list_contains(p_partnerships, 'organization') AND p_with_org);

-- Raw engagements starting in [p_lo, p_hi], one row per partner country: iso3 is that country and ahead lists
-- the engagement's partner countries before it (by code; NULL for the first). An engagement with one partner
-- country (other_countries NULL, nearly all of them) or with organizations only keeps its one row, ahead NULL.
-- several and with_org: its partnership kind (several_partners). The rollups with iso3 are made of these rows
-- (atlas.data.schema.rebuild_rollup).
CREATE OR REPLACE MACRO partner_rows_between(p_lo, p_hi) AS TABLE
SELECT *, CAST(NULL AS VARCHAR[]) AS ahead, several_partners(iso3, other_countries, organizations) AS several,
       organizations IS NOT NULL AS with_org
FROM engagements
WHERE start_date BETWEEN CAST(p_lo AS DATE) AND CAST(p_hi AS DATE) AND other_countries IS NULL
UNION ALL
SELECT * EXCLUDE (partners, i) REPLACE (partners[i] AS iso3), CASE WHEN i > 1 THEN partners[1:i - 1] END AS ahead,
       true AS several, organizations IS NOT NULL AS with_org
FROM (SELECT *, generate_subscripts(partners, 1) AS i
      FROM (SELECT *, list_sort(list_prepend(iso3, other_countries)) AS partners
            FROM engagements
            WHERE start_date BETWEEN CAST(p_lo AS DATE) AND CAST(p_hi AS DATE) AND other_countries IS NOT NULL));

-- Whether a per-partner row (with its ahead) is the one a total counts, for the countries p_countries asked
-- for ([]: every country): the engagement's first partner among them. Sum measures of per-country macros
-- (activity_in, area_activity_in) across countries only over the rows this admits, or an engagement with
-- three partner countries is counted three times.
CREATE OR REPLACE MACRO counted_once(p_ahead, p_countries) AS
    p_ahead IS NULL OR (len(p_countries) > 0 AND NOT list_has_any(p_ahead, p_countries));

-- Whether an engagement's other partner countries (a short list, or NULL) hold one of p_countries: list_has_any, but
-- that cost 213 ms per 10M engagements for a region's forty countries, on the multilateral rows alone; each element
-- looked up in the list, 45 ms. p_countries must be a value (a bound list), not a subquery (a lambda cannot hold one:
-- counted_once, which region_comparison calls with one, keeps list_has_any).
CREATE OR REPLACE MACRO lists_meet(p_short, p_countries) AS
    p_short IS NOT NULL AND len(list_filter(p_short, lambda c: list_contains(p_countries, c))) > 0;

-- Whether an engagement (a raw row) has a partner country in p_countries ([]: always).
CREATE OR REPLACE MACRO has_partner_in(p_iso3, p_others, p_countries) AS
    len(p_countries) = 0 OR list_contains(p_countries, p_iso3) OR lists_meet(p_others, p_countries);

-- Whether the filters admit a raw engagement (its columns first, then the filters; everything but the period):
-- the ceiling, mission areas, a partner country asked for, component, type and partnership kind.
CREATE OR REPLACE MACRO engagement_admitted(e_rank, e_area, e_iso3, e_others, e_component, e_type, e_orgs, p_areas, p_countries, p_components, p_types, p_max_rank, p_partnerships) AS
    e_rank <= p_max_rank
    AND (len(p_areas) = 0 OR list_contains(p_areas, e_area))
    AND has_partner_in(e_iso3, e_others, p_countries)
    AND (len(p_components) = 0 OR list_contains(p_components, e_component))
    AND (len(p_types) = 0 OR list_contains(p_types, e_type))
    AND partnership_admits(several_partners(e_iso3, e_others, e_orgs), e_orgs IS NOT NULL, p_partnerships);

-- activity(p_start, p_end): one row per group of engagements starting in [p_start, p_end], with every
-- dimension (month, iso3, mission_area, component, engagement_type, sensitivity_rank), one per partner country
-- (ahead: see partner_rows_between).
CREATE OR REPLACE MACRO activity(p_start, p_end) AS TABLE
SELECT r.month, r.iso3, r.mission_area, r.component, r.engagement_type, r.sensitivity_rank,
       r.engagements, r.planned, r.cancelled, r.participants, r.demo, r.ahead, r.several, r.with_org
FROM engagement_rollup r
WHERE r.month >= period_full_lo(p_start) AND r.month < period_full_hi(p_end)
UNION ALL
SELECT CAST(date_trunc('month', e.start_date) AS DATE), e.iso3, e.mission_area, e.component,
       e.engagement_type, e.sensitivity_rank, 1, CAST(e.status = 'planned' AS BIGINT),
       CAST(e.status = 'cancelled' AS BIGINT),
       CASE WHEN e.status <> 'cancelled' THEN e.participants END, CAST(e.is_demo AS BIGINT), e.ahead, e.several,
       e.with_org
FROM (SELECT * FROM partner_rows_between(p_start, least(CAST(p_end AS DATE), period_full_lo(p_start) - 1))
      UNION ALL
      SELECT * FROM partner_rows_between(greatest(period_full_lo(p_start), period_full_hi(p_end)), p_end)) e;

-- agreement_status_on(p_day): each agreement's status as it stood on p_day (agreements with no event
-- by then have no row), from the status history kept as spans.
CREATE OR REPLACE MACRO agreement_status_on(p_day) AS TABLE
SELECT agreement_id, status
FROM agreement_status_spans
WHERE valid_from <= CAST(p_day AS DATE) AND (valid_to IS NULL OR valid_to > CAST(p_day AS DATE));

-- The shared filters, applied in one place. Every page query reads engagements and agreements
-- through these macros, so the sensitivity ceiling ($max_rank) can never be forgotten.
-- An empty list means "no restriction" for that filter. p_partnerships: see partnership_admits.
CREATE OR REPLACE MACRO activity_in(p_start, p_end, p_areas, p_countries, p_components, p_types, p_max_rank, p_partnerships) AS TABLE
SELECT *
FROM activity(p_start, p_end)
WHERE sensitivity_rank <= p_max_rank
  AND partnership_admits(several, with_org, p_partnerships)
  AND (len(p_areas) = 0 OR list_contains(p_areas, mission_area))
  AND (len(p_countries) = 0 OR list_contains(p_countries, iso3))
  AND (len(p_components) = 0 OR list_contains(p_components, component))
  AND (len(p_types) = 0 OR list_contains(p_types, engagement_type));

-- Raw engagements starting in [p_start, p_end] of the components and types asked for, one row each with
-- the measures of the daily rollups, one per partner country: what area_activity_in reads for the partial months
-- of a period when a component or type filter is set (the daily rollups have neither). The table is sorted by
-- start_date, so only the period's row groups are read.
CREATE OR REPLACE MACRO engagement_measures_in(p_start, p_end, p_components, p_types) AS TABLE
SELECT CAST(date_trunc('month', start_date) AS DATE) AS month, start_date AS day, iso3, mission_area,
       component, engagement_type, sensitivity_rank, 1 AS engagements, CAST(status = 'planned' AS BIGINT) AS planned,
       CAST(status = 'cancelled' AS BIGINT) AS cancelled,
       CASE WHEN status <> 'cancelled' THEN participants END AS participants, CAST(is_demo AS BIGINT) AS demo,
       CAST(is_demo AND status <> 'cancelled' AS BIGINT) AS demo_active, ahead, several, with_org
FROM partner_rows_between(p_start, p_end)
WHERE (len(p_components) = 0 OR list_contains(p_components, component))
  AND (len(p_types) = 0 OR list_contains(p_types, engagement_type));

-- area_activity_in: activity_in without the component and engagement_type columns (month, iso3,
-- mission_area, sensitivity_rank, the measures and ahead, several rows per month: sum them, and across
-- countries only WHERE counted_once(ahead, $countries)), for the queries that
-- do not show those two. With no component or type filter the period is one range scan of
-- engagement_day_country_rollup (whole and partial months alike); with one, its whole months are read from
-- engagement_rollup and its partial months from the raw table. The branches not taken are constant-false
-- filters on bound parameters and are pruned when the query is planned.
CREATE OR REPLACE MACRO area_activity_in(p_start, p_end, p_areas, p_countries, p_components, p_types, p_max_rank, p_partnerships) AS TABLE
SELECT month, iso3, mission_area, sensitivity_rank, engagements, planned, cancelled, participants, demo, demo_active,
       ahead
FROM (
    SELECT CAST(date_trunc('month', r.day) AS DATE) AS month, r.iso3, r.mission_area, r.sensitivity_rank,
           r.engagements, r.planned, r.cancelled, r.participants, r.demo, r.demo_active, r.ahead, r.several, r.with_org
    FROM engagement_day_country_rollup r
    WHERE len(p_components) = 0 AND len(p_types) = 0 AND CAST(p_end AS DATE) - CAST(p_start AS DATE) < 400
      AND r.day BETWEEN CAST(p_start AS DATE) AND CAST(p_end AS DATE)
    UNION ALL
    -- A long period (over 400 days, e.g. "all dates"): its whole months from the monthly rollup, its
    -- partial months (lead and tail) from the daily one.
    SELECT r.month, r.iso3, r.mission_area, r.sensitivity_rank, r.engagements, r.planned, r.cancelled,
           r.participants, r.demo, r.demo_active, r.ahead, r.several, r.with_org
    FROM engagement_area_rollup r
    WHERE len(p_components) = 0 AND len(p_types) = 0 AND CAST(p_end AS DATE) - CAST(p_start AS DATE) >= 400
      AND r.month >= period_full_lo(p_start) AND r.month < period_full_hi(p_end)
    UNION ALL
    SELECT CAST(date_trunc('month', r.day) AS DATE), r.iso3, r.mission_area, r.sensitivity_rank,
           r.engagements, r.planned, r.cancelled, r.participants, r.demo, r.demo_active, r.ahead, r.several, r.with_org
    FROM engagement_day_country_rollup r
    WHERE len(p_components) = 0 AND len(p_types) = 0 AND CAST(p_end AS DATE) - CAST(p_start AS DATE) >= 400
      AND (r.day BETWEEN CAST(p_start AS DATE) AND least(CAST(p_end AS DATE), period_full_lo(p_start) - 1)
           OR r.day BETWEEN greatest(period_full_lo(p_start), period_full_hi(p_end)) AND CAST(p_end AS DATE))
    UNION ALL
    -- A component or engagement type asked for: the whole months from engagement_rollup (every dimension; at 10M
    -- engagements a third of the raw rows, and sorted by month), the partial months from the raw table.
    SELECT r.month, r.iso3, r.mission_area, r.sensitivity_rank, r.engagements, r.planned, r.cancelled,
           r.participants, r.demo, r.demo_active, r.ahead, r.several, r.with_org
    FROM engagement_rollup r
    WHERE NOT (len(p_components) = 0 AND len(p_types) = 0)
      AND r.month >= period_full_lo(p_start) AND r.month < period_full_hi(p_end)
      AND (len(p_components) = 0 OR list_contains(p_components, r.component))
      AND (len(p_types) = 0 OR list_contains(p_types, r.engagement_type))
    UNION ALL
    SELECT e.month, e.iso3, e.mission_area, e.sensitivity_rank, e.engagements, e.planned, e.cancelled,
           e.participants, e.demo, e.demo_active, e.ahead, e.several, e.with_org
    FROM (SELECT * FROM engagement_measures_in(p_start, least(CAST(p_end AS DATE), period_full_lo(p_start) - 1),
                                               p_components, p_types)
          UNION ALL
          SELECT * FROM engagement_measures_in(greatest(period_full_lo(p_start), period_full_hi(p_end)), p_end,
                                               p_components, p_types)) e
    WHERE NOT (len(p_components) = 0 AND len(p_types) = 0)
)
WHERE sensitivity_rank <= p_max_rank
  AND (len(p_areas) = 0 OR list_contains(p_areas, mission_area))
  AND (len(p_countries) = 0 OR list_contains(p_countries, iso3))
  AND partnership_admits(several, with_org, p_partnerships);

-- area_trend_in: area_activity_in without iso3 (month, mission_area, sensitivity_rank and the measures),
-- for the trends and totals that neither show nor count countries: each engagement counts once, however many
-- partner countries it has (counted_once). With no country, component or type filter it reads
-- engagement_day_rollup, a table whose size is bounded by the days, not the data.
CREATE OR REPLACE MACRO area_trend_in(p_start, p_end, p_areas, p_countries, p_components, p_types, p_max_rank, p_partnerships) AS TABLE
SELECT month, mission_area, sensitivity_rank, engagements, planned, cancelled, participants, demo, demo_active
FROM (
    SELECT CAST(date_trunc('month', r.day) AS DATE) AS month, r.mission_area, r.sensitivity_rank, r.engagements,
           r.planned, r.cancelled, r.participants, r.demo, r.demo_active
    FROM engagement_day_rollup r
    WHERE len(p_countries) = 0 AND len(p_components) = 0 AND len(p_types) = 0
      AND r.day BETWEEN CAST(p_start AS DATE) AND CAST(p_end AS DATE)
      AND r.sensitivity_rank <= p_max_rank
      AND (len(p_areas) = 0 OR list_contains(p_areas, r.mission_area))
      AND partnership_admits(r.several, r.with_org, p_partnerships)
    UNION ALL
    SELECT a.month, a.mission_area, a.sensitivity_rank, a.engagements, a.planned, a.cancelled, a.participants,
           a.demo, a.demo_active
    FROM area_activity_in(p_start, p_end, p_areas, p_countries, p_components, p_types, p_max_rank, p_partnerships) a
    WHERE NOT (len(p_countries) = 0 AND len(p_components) = 0 AND len(p_types) = 0)
      AND counted_once(a.ahead, p_countries)
);

-- place_activity_in: engagements that were not cancelled, per place (coordinates rounded to 2 decimals,
-- ~1 km, falling back to the country centroid), mission area and month, with the latest start date,
-- whether any of them had no coordinates, and one place name. A place counts an engagement once, in the first
-- partner country listed (iso3); the country filter admits it when any partner country is asked for.
-- Engagements with organizations only and no coordinates have no place. Whole months come from
-- engagement_place_rollup when no component or type filter is set; everything else from the raw table.
CREATE OR REPLACE MACRO place_activity_in(p_start, p_end, p_areas, p_countries, p_components, p_types, p_max_rank, p_partnerships) AS TABLE
SELECT iso3, lat, lon, mission_area, engagements, latest, approximate, place
FROM (
    SELECT r.iso3, r.lat, r.lon, r.mission_area, r.sensitivity_rank, r.engagements, r.latest, r.approximate, r.place,
           r.others, r.several, r.with_org
    FROM engagement_place_rollup r
    WHERE len(p_components) = 0 AND len(p_types) = 0
      AND r.month >= period_full_lo(p_start) AND r.month < period_full_hi(p_end)
    UNION ALL
    SELECT e.iso3, round(coalesce(e.latitude, c.lat), 2), round(coalesce(e.longitude, c.lon), 2), e.mission_area,
           e.sensitivity_rank, 1, e.start_date, e.latitude IS NULL, coalesce(e.city, c.name), e.other_countries,
           several_partners(e.iso3, e.other_countries, e.organizations), e.organizations IS NOT NULL
    FROM (SELECT * FROM period_edges(p_start, p_end)
          WHERE len(p_components) = 0 AND len(p_types) = 0
          UNION ALL
          SELECT * FROM engagements
          WHERE NOT (len(p_components) = 0 AND len(p_types) = 0)
            AND start_date BETWEEN CAST(p_start AS DATE) AND CAST(p_end AS DATE)
            AND (len(p_components) = 0 OR list_contains(p_components, component))
            AND (len(p_types) = 0 OR list_contains(p_types, engagement_type))) e
    LEFT JOIN countries c USING (iso3)
    WHERE e.status <> 'cancelled' AND coalesce(e.latitude, c.lat) IS NOT NULL
)
WHERE sensitivity_rank <= p_max_rank
  AND (len(p_areas) = 0 OR list_contains(p_areas, mission_area))
  AND has_partner_in(iso3, others, p_countries)
  AND partnership_admits(several, with_org, p_partnerships);

-- Raw engagements, one row each, with a partner country in p_countries when it is given.
CREATE OR REPLACE MACRO engagements_in(p_start, p_end, p_areas, p_countries, p_components, p_types, p_max_rank, p_partnerships) AS TABLE
SELECT *
FROM engagements
WHERE start_date BETWEEN CAST(p_start AS DATE) AND CAST(p_end AS DATE)
  AND engagement_admitted(sensitivity_rank, mission_area, iso3, other_countries, component, engagement_type,
                          organizations, p_areas, p_countries, p_components, p_types, p_max_rank, p_partnerships);

-- multilateral_engagements_in: engagements_in for the engagements with several partners only, read from their
-- copy (engagement_multilateral, a few percent of the rows, in start-date order).
CREATE OR REPLACE MACRO multilateral_engagements_in(p_start, p_end, p_areas, p_countries, p_components, p_types, p_max_rank, p_partnerships) AS TABLE
SELECT *
FROM engagement_multilateral
WHERE start_date BETWEEN CAST(p_start AS DATE) AND CAST(p_end AS DATE)
  AND several_partners(iso3, other_countries, organizations)
  AND engagement_admitted(sensitivity_rank, mission_area, iso3, other_countries, component, engagement_type,
                          organizations, p_areas, p_countries, p_components, p_types, p_max_rank, p_partnerships);

-- organization_engagements_in: engagements_in for the engagements naming an organization, from the same copy (at
-- 10M engagements the copy holds about 6% of them, so an organization's list reads that, not the period's all).
CREATE OR REPLACE MACRO organization_engagements_in(p_start, p_end, p_areas, p_countries, p_components, p_types, p_max_rank, p_partnerships) AS TABLE
SELECT *
FROM engagement_multilateral
WHERE start_date BETWEEN CAST(p_start AS DATE) AND CAST(p_end AS DATE)
  AND organizations IS NOT NULL
  AND engagement_admitted(sensitivity_rank, mission_area, iso3, other_countries, component, engagement_type,
                          organizations, p_areas, p_countries, p_components, p_types, p_max_rank, p_partnerships);

-- organization_activity_in: engagements per month, partner organization (org_code) and mission area, one row
-- per organization an engagement names (a figure per organization counts it for each; never sum these across
-- organizations for a total). The country filter admits an engagement with a partner country asked for.
-- several: the rows' engagements have other partners too (countries or organizations): the multilateral share.
-- Whole months come from engagement_org_rollup when no country, component or type filter is set; raw rows from the
-- copy of the engagements with an organization (engagement_multilateral).
CREATE OR REPLACE MACRO organization_activity_in(p_start, p_end, p_areas, p_countries, p_components, p_types, p_max_rank, p_partnerships) AS TABLE
SELECT month, org_code, mission_area, engagements, planned, cancelled, participants, demo_active, several
FROM (
    SELECT r.month, r.org_code, r.mission_area, r.sensitivity_rank, r.engagements, r.planned, r.cancelled,
           r.participants, r.demo_active, r.several
    FROM engagement_org_rollup r
    WHERE len(p_countries) = 0 AND len(p_components) = 0 AND len(p_types) = 0
      AND r.month >= period_full_lo(p_start) AND r.month < period_full_hi(p_end)
    UNION ALL
    SELECT CAST(date_trunc('month', e.start_date) AS DATE), unnest(e.organizations), e.mission_area,
           e.sensitivity_rank, 1, CAST(e.status = 'planned' AS BIGINT), CAST(e.status = 'cancelled' AS BIGINT),
           CASE WHEN e.status <> 'cancelled' THEN e.participants END,
           CAST(e.is_demo AND e.status <> 'cancelled' AS BIGINT),
           several_partners(e.iso3, e.other_countries, e.organizations)
    FROM (SELECT * FROM engagement_multilateral  -- the period's partial months at either end (see period_edges)
          WHERE len(p_countries) = 0 AND len(p_components) = 0 AND len(p_types) = 0
            AND (start_date BETWEEN CAST(p_start AS DATE) AND least(CAST(p_end AS DATE), period_full_lo(p_start) - 1)
                 OR start_date BETWEEN greatest(period_full_lo(p_start), period_full_hi(p_end)) AND CAST(p_end AS DATE))
          UNION ALL
          SELECT * FROM engagement_multilateral
          WHERE NOT (len(p_countries) = 0 AND len(p_components) = 0 AND len(p_types) = 0)
            AND start_date BETWEEN CAST(p_start AS DATE) AND CAST(p_end AS DATE)
            AND has_partner_in(iso3, other_countries, p_countries)
            AND (len(p_components) = 0 OR list_contains(p_components, component))
            AND (len(p_types) = 0 OR list_contains(p_types, engagement_type))) e
    WHERE e.organizations IS NOT NULL
)
WHERE sensitivity_rank <= p_max_rank
  AND (len(p_areas) = 0 OR list_contains(p_areas, mission_area))
  AND partnership_admits(several, true, p_partnerships);

-- Agreements whose life overlaps the period: signed (or in force) by its end and not expired before
-- its start; agreements still in negotiation have no dates and always qualify. Read from
-- agreement_facts, so every agreement comes with its partners (partners, iso3s, n_partners) and
-- first_event beside it.
CREATE OR REPLACE MACRO agreements_in(p_start, p_end, p_areas, p_countries, p_components, p_statuses, p_max_rank, p_partnerships) AS TABLE
SELECT a.*
FROM agreement_facts a
WHERE a.sensitivity_rank <= p_max_rank
  AND (len(p_areas) = 0 OR list_contains(p_areas, a.mission_area))
  AND (len(p_components) = 0 OR list_contains(p_components, a.component))
  AND (len(p_statuses) = 0 OR list_contains(p_statuses, a.status))
  AND (len(p_countries) = 0 OR list_has_any(a.iso3s, p_countries))
  AND partnership_admits(coalesce(a.n_partners, 0) + len(coalesce(a.organizations, [])) >= 2,
                         a.organizations IS NOT NULL, p_partnerships)
  AND (a.dated_from IS NULL OR a.dated_from <= CAST(p_end AS DATE))
  AND (a.date_expires IS NULL OR a.date_expires >= CAST(p_start AS DATE));

-- The sensitivity ceiling for the queries that read whole tables (counts, the import history, the date
-- range): records, rollup months and imports a viewer with rank p_max_rank may know of.
CREATE OR REPLACE MACRO engagement_records(p_max_rank) AS TABLE
SELECT * FROM engagements WHERE sensitivity_rank <= p_max_rank;

-- engagement_records with each row's place in the table (row_id: DuckDB's rowid, stable within one statement): a
-- query that picked a few rows by place (engagement_new_since gives row_id too) fetches them and reads no other.
CREATE OR REPLACE MACRO engagement_rows(p_max_rank) AS TABLE
SELECT *, rowid AS row_id FROM engagements WHERE sensitivity_rank <= p_max_rank;

CREATE OR REPLACE MACRO agreement_records(p_max_rank) AS TABLE
SELECT * FROM agreements WHERE sensitivity_rank <= p_max_rank;

CREATE OR REPLACE MACRO activity_months(p_max_rank) AS TABLE
SELECT * FROM engagement_area_rollup WHERE sensitivity_rank <= p_max_rank;

CREATE OR REPLACE MACRO agreement_parties_in(p_max_rank) AS TABLE
SELECT p.* FROM agreement_parties p JOIN agreements a USING (agreement_id) WHERE a.sensitivity_rank <= p_max_rank;

CREATE OR REPLACE MACRO agreement_history_in(p_max_rank) AS TABLE
SELECT h.* FROM agreement_status_history h JOIN agreements a USING (agreement_id) WHERE a.sensitivity_rank <= p_max_rank;

-- Records an import created or changed at or after the moment p_since (a TIMESTAMP), whatever their dates:
-- "added or changed since", in two parts so that neither reads what it does not need. The other filters and the
-- ceiling apply as everywhere (the country filter admits an engagement with any partner country asked for); the
-- period does not. row_id: see engagement_rows.
-- engagement_new_since: first imported since (change 'new'). It joins nothing, so after a first import (every record
-- new) counting them is a scan of the table's zone maps and listing the newest a top-n over two columns.
CREATE OR REPLACE MACRO engagement_new_since(p_since, p_areas, p_countries, p_components, p_types, p_max_rank, p_partnerships) AS TABLE
SELECT e.*, e.rowid AS row_id
FROM engagements e
WHERE e.first_imported_at >= CAST(p_since AS TIMESTAMP)
  AND e.updated_at >= CAST(p_since AS TIMESTAMP)
  AND engagement_admitted(e.sensitivity_rank, e.mission_area, e.iso3, e.other_countries, e.component,
                          e.engagement_type, e.organizations, p_areas, p_countries, p_components, p_types, p_max_rank,
                          p_partnerships);

-- The status an engagement had at p_since, for those whose status an import changed since (its first change's
-- previous status).
CREATE OR REPLACE MACRO engagement_status_before(p_since) AS TABLE
SELECT engagement_id, arg_min(previous_status, changed_at) AS status_before
FROM engagement_status_history WHERE changed_at >= CAST(p_since AS TIMESTAMP)
GROUP BY engagement_id;

-- engagement_rewritten_since: first imported before p_since (or before first_imported_at was kept: NULL) and
-- written again since; change 'status' when its status is not what it was at p_since, else 'changed'.
CREATE OR REPLACE MACRO engagement_rewritten_since(p_since, p_areas, p_countries, p_components, p_types, p_max_rank, p_partnerships) AS TABLE
SELECT e.*, e.rowid AS row_id, s.status_before,
       CASE WHEN s.status_before IS DISTINCT FROM e.status AND s.engagement_id IS NOT NULL THEN 'status'
            ELSE 'changed' END AS change
FROM engagements e
LEFT JOIN engagement_status_before(p_since) s USING (engagement_id)
WHERE (e.first_imported_at < CAST(p_since AS TIMESTAMP) OR e.first_imported_at IS NULL)
  AND e.updated_at >= CAST(p_since AS TIMESTAMP)
  AND engagement_admitted(e.sensitivity_rank, e.mission_area, e.iso3, e.other_countries, e.component,
                          e.engagement_type, e.organizations, p_areas, p_countries, p_components, p_types, p_max_rank,
                          p_partnerships);

-- The same for agreements, with their partners from agreement_facts; a status change is an import's event in
-- the status history (renewals are changes, not status changes), timed by its import's start.
CREATE OR REPLACE MACRO agreement_changes_in(p_since, p_areas, p_countries, p_components, p_statuses, p_max_rank, p_partnerships) AS TABLE
SELECT a.*, f.partners, f.iso3s, s.status_before,
       CASE WHEN a.first_imported_at >= CAST(p_since AS TIMESTAMP) THEN 'new'
            WHEN s.status_before IS DISTINCT FROM a.status AND s.agreement_id IS NOT NULL THEN 'status'
            ELSE 'changed' END AS change
FROM agreements a
JOIN agreement_facts f USING (agreement_id)
LEFT JOIN (SELECT h.agreement_id, arg_min(h.previous_status, h.event_order) AS status_before
           FROM agreement_status_history h JOIN import_log l USING (import_id)
           WHERE h.source = 'import' AND l.started_at >= CAST(p_since AS TIMESTAMP)
           GROUP BY h.agreement_id) s USING (agreement_id)
WHERE a.updated_at >= CAST(p_since AS TIMESTAMP)
  AND a.sensitivity_rank <= p_max_rank
  AND (len(p_areas) = 0 OR list_contains(p_areas, a.mission_area))
  AND (len(p_components) = 0 OR list_contains(p_components, a.component))
  AND (len(p_statuses) = 0 OR list_contains(p_statuses, a.status))
  AND (len(p_countries) = 0 OR list_has_any(f.iso3s, p_countries))
  AND partnership_admits(coalesce(f.n_partners, 0) + len(coalesce(f.organizations, [])) >= 2,
                         f.organizations IS NOT NULL, p_partnerships);

-- The sensitivity of each import, from the records that still carry its import_id (import_log has no
-- level of its own): min_rank and max_rank of those records. An import none of whose records remain
-- (rejected, failed, unchanged, or since replaced) has no row here: its level is unknown.
CREATE OR REPLACE MACRO import_ranks() AS TABLE
SELECT import_id, min(sensitivity_rank) AS min_rank, max(sensitivity_rank) AS max_rank
FROM (SELECT import_id, sensitivity_rank FROM engagements
      UNION ALL
      SELECT import_id, sensitivity_rank FROM agreements)
WHERE import_id IS NOT NULL
GROUP BY import_id;

-- imports_in: the imports whose every remaining record is within the ceiling. An import of unknown level
-- is shown only at the highest level (2, restricted): its file name, counts and messages (which quote
-- cell values) may be about restricted records.
CREATE OR REPLACE MACRO imports_in(p_max_rank) AS TABLE
SELECT l.* FROM import_log l LEFT JOIN import_ranks() r USING (import_id)
WHERE coalesce(r.max_rank, 2) <= p_max_rank;

-- imports_admitted: the imports that brought at least one record the viewer sees, which alone may set
-- "data as of" for them.
CREATE OR REPLACE MACRO imports_admitted(p_max_rank) AS TABLE
SELECT l.* FROM import_log l JOIN import_ranks() r USING (import_id)
WHERE r.min_rank <= p_max_rank;

-- Text as an export wrote it, back to the original (the rule is in atlas/data/export.py, which has the
-- same two functions in Python): exports put one apostrophe before text a spreadsheet would run as a
-- formula; the import takes exactly that one away.
CREATE OR REPLACE MACRO formula_like(v) AS
    v <> ''
    AND NOT regexp_full_match(trim(v, ' ' || chr(160) || chr(12288) || chr(9) || chr(13) || chr(10)),
                              '[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?')
    AND (regexp_matches(v, '^[\t\r\n]') OR regexp_matches(v, '^[ \x{a0}\x{3000}]*[=+\-@＝＋－＠]'));

CREATE OR REPLACE MACRO original_text(x) AS
    CASE WHEN starts_with(x, '''') AND formula_like(ltrim(x, '''')) THEN x[2:] ELSE x END;

-- Partner names for listings, which show every partner, not only the first. partner_names() is one row of two
-- maps (country code -> name, organization code -> name) from the reference tables; a listing cross-joins it
-- and names its rows with the scalar macros below, which cost a map lookup per row (a join on list_contains
-- against the reference tables cost a nested loop per multilateral record: 4 s at 1M engagements).
CREATE OR REPLACE MACRO partner_names() AS TABLE
SELECT (SELECT map(list(iso3), list(name)) FROM countries) AS country_names,
       (SELECT map(list(code), list(name)) FROM organizations) AS org_names;

-- Every partner country's name, the first listed first, '; '-separated (as an import reads them back); NULL
-- for an engagement with organizations only. p_names: partner_names().country_names.
CREATE OR REPLACE MACRO partner_country_names(p_iso3, p_others, p_names) AS
CASE WHEN p_others IS NULL THEN p_names[p_iso3]
     ELSE array_to_string(list_transform(list_prepend(p_iso3, p_others), lambda x: p_names[x]), '; ') END;

-- The partner organizations' names in code order, '; '-separated (NULL: none). p_names: partner_names().org_names.
CREATE OR REPLACE MACRO partner_org_names(p_orgs, p_names) AS
CASE WHEN p_orgs IS NOT NULL THEN array_to_string(list_transform(list_sort(p_orgs), lambda x: p_names[x]), '; ') END;
