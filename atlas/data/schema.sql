-- Partner Atlas schema. Documented for users in data/README.md; keep the two in step.

CREATE TABLE countries (
    iso3            VARCHAR PRIMARY KEY,
    iso2            VARCHAR,
    name            VARCHAR NOT NULL,
    official_name   VARCHAR,
    region          VARCHAR,
    subregion       VARCHAR,
    lat             DOUBLE,
    lon             DOUBLE,
    independent     BOOLEAN,
    un_member       BOOLEAN,
    in_boundaries   BOOLEAN,   -- has a polygon in the shipped boundaries
    small           BOOLEAN,   -- too small to see on a world map: drawn as a point too
    iso_official    BOOLEAN,   -- false for Kosovo (XKX), which ISO 3166-1 does not list
    map_index       INTEGER    -- row position in data/countries.csv = properties.i in countries.geojson
);

CREATE TABLE country_aliases (
    alias_key       VARCHAR PRIMARY KEY,  -- vocab.fold(alias)
    alias           VARCHAR NOT NULL,
    iso3            VARCHAR NOT NULL
);

CREATE TABLE mission_areas (
    code            VARCHAR PRIMARY KEY,
    label           VARCHAR NOT NULL,
    colour          VARCHAR NOT NULL,
    description     VARCHAR,
    sort_order      INTEGER
);

-- An engagement has one or more partners: countries (iso3 and other_countries) and international
-- organizations (organizations). Most have one partner country: other_countries and organizations NULL.
CREATE TABLE engagements (
    engagement_id     VARCHAR NOT NULL,  -- unique; enforced by import (an index costs too much at 10M rows)
    title             VARCHAR NOT NULL,
    start_date        DATE NOT NULL,
    end_date          DATE,
    iso3              VARCHAR,           -- the first partner country listed (NULL: organizations only)
    city              VARCHAR,
    latitude          DOUBLE,
    longitude         DOUBLE,
    mission_area      VARCHAR NOT NULL,
    engagement_type   VARCHAR,
    component         VARCHAR,
    status            VARCHAR NOT NULL,
    participants      INTEGER,
    summary           VARCHAR,
    sensitivity       VARCHAR NOT NULL,
    sensitivity_rank  TINYINT NOT NULL,
    is_demo           BOOLEAN NOT NULL,
    import_id         BIGINT,
    updated_at        TIMESTAMP,         -- when an import last created or changed it
    first_imported_at TIMESTAMP,         -- when an import first created it (NULL: before this was kept)
    other_countries   VARCHAR[],         -- the other partner countries, sorted (NULL: none)
    organizations     VARCHAR[],         -- partner organizations (organizations.code), sorted (NULL: none)
    level             VARCHAR            -- principal, senior or working (NULL: not given)
);

-- The engagements with several partners (several_partners in macros.sql: countries and organizations together) or
-- with an organization, a copy kept in start-date order and rebuilt with the rollups: a few percent of the rows, so
-- the lists of a country's multilateral engagements and every organization query read these instead of every
-- engagement of the period (multilateral_engagements_in, organization_engagements_in). Same columns.
CREATE TABLE engagement_multilateral AS SELECT * FROM engagements LIMIT 0;

CREATE TABLE agreements (
    agreement_id      VARCHAR NOT NULL,  -- unique; enforced by import
    title             VARCHAR NOT NULL,
    agreement_type    VARCHAR,
    mission_area      VARCHAR NOT NULL,
    status            VARCHAR NOT NULL,
    date_signed       DATE,
    date_in_force     DATE,
    date_expires      DATE,
    component         VARCHAR,
    summary           VARCHAR,
    sensitivity       VARCHAR NOT NULL,
    sensitivity_rank  TINYINT NOT NULL,
    is_demo           BOOLEAN NOT NULL,
    import_id         BIGINT,
    updated_at        TIMESTAMP,         -- when an import last created or changed it
    first_imported_at TIMESTAMP,         -- when an import first created it (NULL: before this was kept)
    organizations     VARCHAR[]          -- partner organizations (organizations.code), sorted (NULL: none)
);

-- An agreement can have several partner countries (and organizations: agreements.organizations).
CREATE TABLE agreement_parties (
    agreement_id    VARCHAR NOT NULL,
    iso3            VARCHAR NOT NULL,
    PRIMARY KEY (agreement_id, iso3)
);

-- Every status an agreement has been seen in, with the date it took effect.
-- source: 'dates' (derived from date_signed / date_in_force / date_expires on first import),
--         'import' (a later import changed the status; changed_on = import date),
--         'first_seen' (status without a date, e.g. negotiation; changed_on = import date).
CREATE TABLE agreement_status_history (
    agreement_id    VARCHAR NOT NULL,
    status          VARCHAR NOT NULL,
    previous_status VARCHAR,
    changed_on      DATE NOT NULL,
    source          VARCHAR NOT NULL,
    import_id       BIGINT,
    event_order     BIGINT NOT NULL    -- breaks ties between events on the same day
);

-- Every status change of a known engagement made by an import (planned -> completed, cancelled, ...),
-- when it was written: for "added or changed since". Agreements keep theirs in agreement_status_history.
CREATE TABLE engagement_status_history (
    engagement_id   VARCHAR NOT NULL,
    previous_status VARCHAR,
    status          VARCHAR NOT NULL,
    changed_at      TIMESTAMP NOT NULL,  -- the record's updated_at as that import wrote it
    import_id       BIGINT
);

-- International organizations and forums (data/reference/organizations.csv), with their sources.
CREATE TABLE organizations (
    code            VARCHAR PRIMARY KEY,
    name            VARCHAR NOT NULL,
    kind            VARCHAR,
    hq_city         VARCHAR,
    hq_iso3         VARCHAR,
    hq_lat          DOUBLE,            -- NULL: a forum without a seat
    hq_lon          DOUBLE,
    members         VARCHAR[],         -- member countries (iso3) where the list is public and short; else NULL
    source_url      VARCHAR NOT NULL,
    source_as_of    VARCHAR NOT NULL,
    notes           VARCHAR
);

-- Real programme sites and memberships, each with its source and as-of date.
CREATE TABLE programs (
    program         VARCHAR NOT NULL,   -- programme name as the source gives it
    program_code    VARCHAR NOT NULL,   -- vwp, preclearance, csi, pcsc, vsp, tsa, iap, cbp_attache, hsi
    mission_area    VARCHAR NOT NULL,   -- primary mission area code
    mission_areas   VARCHAR,            -- as the source lists them
    iso3            VARCHAR NOT NULL,
    place           VARCHAR,
    site_code       VARCHAR,            -- IATA or UN/LOCODE
    latitude        DOUBLE,
    longitude       DOUBLE,
    status          VARCHAR,
    is_current      BOOLEAN NOT NULL,   -- false for rescinded/terminated memberships
    since           VARCHAR,
    source_url      VARCHAR NOT NULL,
    source_as_of    VARCHAR NOT NULL,
    uncertain       BOOLEAN NOT NULL,
    notes           VARCHAR
);

-- Dated headline figures about the department's international footprint.
CREATE TABLE footprint_headlines (
    program         VARCHAR,
    mission_area    VARCHAR,
    metric          VARCHAR,
    value           VARCHAR,
    scope           VARCHAR,
    source_url      VARCHAR,
    source_as_of    VARCHAR,
    notes           VARCHAR
);

CREATE SEQUENCE import_id_seq START 1;

CREATE TABLE import_log (
    import_id       BIGINT PRIMARY KEY,
    file_name       VARCHAR NOT NULL,
    sha256          VARCHAR,
    table_name      VARCHAR NOT NULL,
    rows_read       BIGINT,
    accepted        BIGINT,
    rejected        BIGINT,
    inserted        BIGINT,
    updated         BIGINT,
    unchanged       BIGINT,
    started_at      TIMESTAMP NOT NULL,
    finished_at     TIMESTAMP,
    outcome         VARCHAR NOT NULL,   -- success, partial (--skip-invalid), rejected, error
    message         VARCHAR
);

-- Monthly rollups of engagements, rebuilt after each import (atlas.ingest.rebuild_rollup): they answer
-- period queries on whole months without scanning the raw table (see the macros in atlas/macros.sql).
-- engagement_rollup has every dimension the filters use.
-- The rollups with iso3 hold one row per partner country: an engagement with three partner countries is in
-- three rows, so a per-country figure counts it for each. `ahead` lists its partner countries before this
-- one (by code; NULL for the first and for an engagement with one partner country): a total counts each
-- engagement once, at its first partner among the countries asked for (the macro counted_once).
-- An engagement with organizations only has one row with iso3 NULL. several and with_org: the partnership kind
-- the sidebar filters on (bilateral / multilateral / with an organization), kept so the filter stays exact.
CREATE TABLE engagement_rollup (
    month             DATE NOT NULL,
    iso3              VARCHAR,           -- NULL: an engagement with organizations only
    mission_area      VARCHAR NOT NULL,
    component         VARCHAR,
    engagement_type   VARCHAR,
    sensitivity_rank  TINYINT NOT NULL,
    engagements       BIGINT NOT NULL,
    planned           BIGINT NOT NULL,
    cancelled         BIGINT NOT NULL,
    participants      BIGINT,            -- of engagements not cancelled
    demo              BIGINT NOT NULL,
    ahead             VARCHAR[],         -- partner countries before iso3 (see above)
    several           BOOLEAN NOT NULL,  -- several partners (several_partners in macros.sql)
    with_org          BOOLEAN NOT NULL,  -- at least one partner organization
    demo_active       BIGINT             -- demo engagements not cancelled (last: an upgrade adds it at the end)
);

-- engagement_rollup without component and engagement_type: a fraction of its rows, for the whole months
-- of long periods in area_activity_in (demo_active: see the daily rollups below).
CREATE TABLE engagement_area_rollup (
    month             DATE NOT NULL,
    iso3              VARCHAR,           -- NULL: an engagement with organizations only
    mission_area      VARCHAR NOT NULL,
    sensitivity_rank  TINYINT NOT NULL,
    engagements       BIGINT NOT NULL,
    planned           BIGINT NOT NULL,
    cancelled         BIGINT NOT NULL,
    participants      BIGINT,            -- of engagements not cancelled
    demo              BIGINT NOT NULL,
    demo_active       BIGINT NOT NULL,   -- demo engagements not cancelled
    ahead             VARCHAR[],         -- partner countries before iso3 (see above)
    several           BOOLEAN NOT NULL,  -- several partners (several_partners in macros.sql)
    with_org          BOOLEAN NOT NULL   -- at least one partner organization
);

-- Engagements not cancelled per month and place (coordinates rounded to 2 decimals, the country centroid
-- when a record has none), for the map's engagement places (place_activity_in).
CREATE TABLE engagement_place_rollup (
    month             DATE NOT NULL,
    iso3              VARCHAR,           -- NULL: an engagement with organizations only
    lat               DOUBLE,
    lon               DOUBLE,
    mission_area      VARCHAR NOT NULL,
    sensitivity_rank  TINYINT NOT NULL,
    engagements       BIGINT NOT NULL,
    latest            DATE NOT NULL,     -- latest start date among them
    approximate       BOOLEAN NOT NULL,  -- any of them without coordinates
    place             VARCHAR,           -- a city name there (or the country's name)
    others            VARCHAR[],         -- the engagements' other partner countries (NULL: none)
    several           BOOLEAN NOT NULL,  -- several partners (several_partners in macros.sql)
    with_org          BOOLEAN NOT NULL   -- at least one partner organization
);

-- Engagements per month and partner organization (one row per organization an engagement names), for the
-- organization panels and profiles (organization_activity_in).
CREATE TABLE engagement_org_rollup (
    month             DATE NOT NULL,
    org_code          VARCHAR NOT NULL,
    mission_area      VARCHAR NOT NULL,
    sensitivity_rank  TINYINT NOT NULL,
    engagements       BIGINT NOT NULL,
    planned           BIGINT NOT NULL,
    cancelled         BIGINT NOT NULL,
    participants      BIGINT,            -- of engagements not cancelled
    demo_active       BIGINT NOT NULL,   -- demo engagements not cancelled
    several           BOOLEAN NOT NULL   -- several partners (several_partners in macros.sql)
);

-- Daily pre-aggregates shaped to the page queries: a period [start, end] is one range scan of a table
-- sorted by day, so no partial month is read from the raw table (see area_activity_in, area_trend_in).
-- demo_active counts demo records not cancelled, so "demo records shown" is exact at any grain.
-- engagement_day_rollup has neither country, component nor type: at most days x areas x ranks rows
-- whatever the number of engagements, for trends and totals over every country.
CREATE TABLE engagement_day_rollup (
    day               DATE NOT NULL,
    mission_area      VARCHAR NOT NULL,
    sensitivity_rank  TINYINT NOT NULL,
    engagements       BIGINT NOT NULL,
    planned           BIGINT NOT NULL,
    cancelled         BIGINT NOT NULL,
    participants      BIGINT,            -- of engagements not cancelled
    demo              BIGINT NOT NULL,
    demo_active       BIGINT NOT NULL,   -- demo engagements not cancelled
    several           BOOLEAN NOT NULL,  -- several partners (several_partners in macros.sql)
    with_org          BOOLEAN NOT NULL   -- at least one partner organization
);

-- engagement_day_rollup per country too, for the maps, country tables and country counts.
CREATE TABLE engagement_day_country_rollup (
    day               DATE NOT NULL,
    iso3              VARCHAR,           -- NULL: an engagement with organizations only
    mission_area      VARCHAR NOT NULL,
    sensitivity_rank  TINYINT NOT NULL,
    engagements       BIGINT NOT NULL,
    planned           BIGINT NOT NULL,
    cancelled         BIGINT NOT NULL,
    participants      BIGINT,            -- of engagements not cancelled
    demo              BIGINT NOT NULL,
    demo_active       BIGINT NOT NULL,   -- demo engagements not cancelled
    ahead             VARCHAR[],         -- partner countries before iso3 (see above)
    several           BOOLEAN NOT NULL,  -- several partners (several_partners in macros.sql)
    with_org          BOOLEAN NOT NULL   -- at least one partner organization
);

-- What the pages read about agreements, rebuilt after each agreements import (a few thousand rows at
-- most): every agreement with its partner countries and first recorded event beside it, so that page
-- queries read one table (no join to the parties, no re-aggregation), and each agreement's status history
-- as spans, so that "its status on day D" is a range test rather than a grouping of the history.
CREATE TABLE agreement_facts (
    agreement_id      VARCHAR NOT NULL,
    title             VARCHAR NOT NULL,
    agreement_type    VARCHAR,
    mission_area      VARCHAR NOT NULL,
    status            VARCHAR NOT NULL,
    date_signed       DATE,
    date_in_force     DATE,
    date_expires      DATE,
    component         VARCHAR,
    summary           VARCHAR,
    sensitivity_rank  TINYINT NOT NULL,
    is_demo           BOOLEAN NOT NULL,
    dated_from        DATE,               -- signed, else in force: where its life starts (NULL: not yet)
    partners          VARCHAR,            -- partner country names, '; '-separated, in name order
    iso3s             VARCHAR[],          -- their ISO3 codes, sorted
    n_partners        BIGINT,             -- partner countries
    first_event       DATE,               -- the earliest date in its status history
    organizations     VARCHAR[]           -- partner organizations (their names are in partners too)
);

CREATE TABLE agreement_status_spans (
    agreement_id      VARCHAR NOT NULL,
    status            VARCHAR NOT NULL,
    valid_from        DATE NOT NULL,      -- the day it took this status
    valid_to          DATE                -- the day it took the next one (NULL: still holds)
);

CREATE TABLE metadata (
    key             VARCHAR PRIMARY KEY,
    value           VARCHAR
);
