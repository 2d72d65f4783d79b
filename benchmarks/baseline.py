"""The baseline a typical analyst would write: every table loaded whole into pandas once, then on every
rerun the rows filtered and grouped again to produce the numbers the page shows.

`python -m benchmarks.baseline --db DB --calls PAGES_JSON --out JSON` replays the query calls that the
page benchmark recorded (same queries, same parameters, same order, per rerun) with a pandas
implementation of each named query, times them, and checks each answer against the digest (row count
and numeric column sums) of the app's own answer. Only the data work is timed on both sides.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from benchmarks.pages import digest

FAR_FUTURE = pd.Timestamp("9999-12-31")


def ts(value) -> pd.Timestamp:
    return pd.Timestamp(value)


def decode(value):
    if isinstance(value, dict) and "$date" in value:
        return dt.date.fromisoformat(value["$date"])
    if isinstance(value, dict) and "$datetime" in value:
        return dt.datetime.fromisoformat(value["$datetime"])
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def _codes(value) -> list[str]:
    """A list column's value as a list (NULL: none)."""
    return [] if value is None or value is pd.NA or isinstance(value, float) else list(value)


class Tables:
    """Every table of the database as a pandas DataFrame, loaded once (as an analyst's st.cache_data would)."""

    def __init__(self, path: Path):
        con = duckdb.connect(str(path), read_only=True)
        try:
            self.E = con.execute("SELECT * FROM engagements").df()
            self.A = con.execute("SELECT * FROM agreements").df()
            self.P = con.execute("SELECT * FROM agreement_parties").df()
            self.H = con.execute("SELECT * FROM agreement_status_history").df()
            self.SH = con.execute("SELECT * FROM engagement_status_history").df()
            self.C = con.execute("SELECT * FROM countries").df()
            self.PR = con.execute("SELECT * FROM programs").df()
            self.M = con.execute("SELECT * FROM mission_areas").df()
            self.L = con.execute("SELECT * FROM import_log").df()
            self.MD = con.execute("SELECT * FROM metadata").df()
            self.O = con.execute("SELECT * FROM organizations").df()
        finally:
            con.close()
        self.names = dict(zip(self.C.iso3, self.C.name))
        self.org_names = dict(zip(self.O.code, self.O.name))
        self._partners()

    def _partners(self) -> None:
        """The partnership kind of every engagement and agreement, and the engagements one row per partner
        country (EP: iso3 is that country, the index the engagement's row in E)."""
        E = self.E
        others = E.other_countries.map(_codes)
        orgs = E.organizations.map(_codes)
        E["n_partners"] = E.iso3.notna().astype(int) + others.map(len) + orgs.map(len)
        E["with_org"] = orgs.map(len) > 0
        E["several"] = E.n_partners >= 2
        E["org_codes"] = orgs.map(lambda v: ";".join(v) if v else None)
        multi = others.map(len) > 0
        countries = (E.iso3[multi].map(lambda c: [c]) + others[multi]).map(sorted)
        E["country_names"] = E.iso3.map(self.names)  # every partner country: the first listed first
        E.loc[multi, "country_names"] = (E.iso3[multi].map(lambda c: [c]) + others[multi]).map(
            lambda codes: "; ".join(self.names[c] for c in codes if c in self.names)
        )
        spread = E[multi].drop(columns="iso3").assign(iso3=countries).explode("iso3")
        self.EP = pd.concat([E[~multi], spread[E.columns]]).sort_index(kind="stable")

        parties = self.P.groupby("agreement_id").size()
        a_orgs = self.A.organizations.map(_codes)
        self.A["with_org"] = a_orgs.map(len) > 0
        self.A["several"] = self.A.agreement_id.map(parties).fillna(0) + a_orgs.map(len) >= 2
        countries_text = self.P.assign(name=self.P.iso3.map(self.names)).sort_values("name")
        countries_text = countries_text.groupby("agreement_id").name.agg("; ".join)
        orgs_text = a_orgs.map(lambda v: "; ".join(sorted(self.org_names[c] for c in v if c in self.org_names)))
        orgs_text.index = self.A.agreement_id
        both = pd.concat([countries_text.rename("c"), orgs_text[orgs_text != ""].rename("o")], axis=1)
        self.agreement_partners = both.apply(lambda r: "; ".join(x for x in r if isinstance(x, str)), axis=1)


# --- building blocks ----------------------------------------------------------------------------------


def kind_admits(frame: pd.DataFrame, partnerships) -> pd.Series:
    """The partnership filter: bilateral (one partner country, no organization), multilateral (several
    partners, countries and organizations together), organization (at least one); none asked: every one."""
    if not partnerships:
        return pd.Series(True, index=frame.index)
    m = pd.Series(False, index=frame.index)
    if "bilateral" in partnerships:
        m |= ~frame.several & ~frame.with_org
    if "multilateral" in partnerships:
        m |= frame.several
    if "organization" in partnerships:
        m |= frame.with_org
    return m


def _admits(F, start, end, areas, components, types, max_rank, partnerships) -> pd.Series:
    m = (F.start_date >= ts(start)) & (F.start_date <= ts(end)) & (F.sensitivity_rank <= max_rank)
    if areas:
        m &= F.mission_area.isin(areas)
    if components:
        m &= F.component.isin(components)
    if types:
        m &= F.engagement_type.isin(types)
    return m & kind_admits(F, partnerships)


def eng(T: Tables, start, end, areas, countries, components, types, max_rank, partnerships=()) -> pd.DataFrame:
    """The engagements the filters admit, one row each (the country filter: any partner country asked for)."""
    E = T.E
    m = _admits(E, start, end, areas, components, types, max_rank, partnerships)
    if countries:
        m &= E.index.isin(T.EP.index[T.EP.iso3.isin(countries)])
    return E[m]


def eng_rows(T: Tables, start, end, areas, countries, components, types, max_rank, partnerships=()) -> pd.DataFrame:
    """The same, one row per partner country (those asked for): what per-country figures count."""
    EP = T.EP
    m = _admits(EP, start, end, areas, components, types, max_rank, partnerships)
    if countries:
        m &= EP.iso3.isin(countries)
    return EP[m]


def _filters(p, start, end, countries):
    return (
        p[start],
        p[end],
        p["areas"],
        p["countries"] if countries is None else countries,
        p["components"],
        p["types"],
        p["max_rank"],
        p.get("partnerships") or (),
    )


def eng_p(T, p, start="start", end="end", countries=None):
    return eng(T, *_filters(p, start, end, countries))


def rows_p(T, p, start="start", end="end", countries=None):
    return eng_rows(T, *_filters(p, start, end, countries))


def live(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame.status != "cancelled"]


def agreements_in(T: Tables, p, countries=None) -> pd.DataFrame:
    A = T.A
    countries = p["countries"] if countries is None else countries
    m = A.sensitivity_rank <= p["max_rank"]
    if p["areas"]:
        m &= A.mission_area.isin(p["areas"])
    if p["components"]:
        m &= A.component.isin(p["components"])
    if p["statuses"]:
        m &= A.status.isin(p["statuses"])
    if countries:
        m &= A.agreement_id.isin(T.P.agreement_id[T.P.iso3.isin(countries)])
    m &= kind_admits(A, p.get("partnerships") or ())
    began = A.date_signed.fillna(A.date_in_force)
    m &= began.isna() | (began <= ts(p["end"]))
    m &= A.date_expires.isna() | (A.date_expires >= ts(p["start"]))
    return A[m]


def status_on(T: Tables, day) -> pd.DataFrame:
    H = T.H[T.H.changed_on <= ts(day)].sort_values(["agreement_id", "changed_on", "event_order"])
    return H.drop_duplicates("agreement_id", keep="last")[["agreement_id", "status"]]


def partners_text(T: Tables, ids) -> pd.Series:
    """An agreement's partners: its countries' names, then its organizations' names (each in name order)."""
    return T.agreement_partners[T.agreement_partners.index.isin(ids)]


def with_country(frame: pd.DataFrame, T: Tables, columns=("name",), how="inner") -> pd.DataFrame:
    return frame.merge(T.C[["iso3", *columns]], on="iso3", how=how)


def listed(frame: pd.DataFrame) -> pd.DataFrame:
    """Engagements as listings show them: country names every partner country, organizations their codes."""
    return frame.assign(country=frame.country_names, organizations=frame.org_codes)


# --- the named queries ----------------------------------------------------------------------------------


def kpi_engagements(T, p):
    cur, prev = eng_p(T, p), eng_p(T, p, "prev_start", "prev_end")
    lc, lp = live(cur), live(prev)
    return pd.DataFrame(
        [
            {
                "engagements": len(lc),
                "countries": live(rows_p(T, p)).iso3.nunique(),
                "participants": lc.participants.sum(),
                "planned": int((cur.status == "planned").sum()),
                "demo": int(lc.is_demo.sum()),  # demo records shown: not cancelled
                "prev_engagements": len(lp),
                "prev_countries": live(rows_p(T, p, "prev_start", "prev_end")).iso3.nunique(),
            }
        ]
    )


def _area_counts(frame):
    return frame.assign(
        n=frame.status != "cancelled",
        planned=frame.status == "planned",
        live_participants=frame.participants.where(frame.status != "cancelled"),
    )


def country_activity(T, p):
    cur = _area_counts(rows_p(T, p))
    per_area = cur.groupby(["iso3", "mission_area"], as_index=False).agg(
        n=("n", "sum"), participants=("live_participants", "sum"), planned=("planned", "sum"), demo=("is_demo", "sum")
    )
    top = per_area.sort_values(["n", "mission_area"]).drop_duplicates("iso3", keep="last")[["iso3", "mission_area"]]
    per_country = (
        per_area.groupby("iso3", as_index=False)
        .agg(
            engagements=("n", "sum"),
            participants=("participants", "sum"),
            planned=("planned", "sum"),
            demo=("demo", "sum"),
        )
        .merge(top.rename(columns={"mission_area": "top_area"}), on="iso3")
    )
    prev = live(rows_p(T, p, "prev_start", "prev_end")).groupby("iso3").size().rename("prev_engagements").reset_index()
    out = per_country.merge(prev, on="iso3", how="outer")
    for column in ("engagements", "participants", "planned", "demo", "prev_engagements"):
        out[column] = out[column].fillna(0)
    out = out[(out.engagements > 0) | (out.prev_engagements > 0)]
    out = with_country(out, T, ("name", "region", "subregion", "lat", "lon", "small", "map_index"))
    return out.sort_values(["engagements", "name"], ascending=[False, True])


def country_area_activity(T, p):
    cur = live(rows_p(T, p))
    out = cur.groupby(["iso3", "mission_area"]).size().rename("engagements").reset_index()
    out = with_country(out, T, ("name", "region", "lat", "lon", "small"))
    return out.sort_values(["engagements", "name", "mission_area"], ascending=[False, True, True])


def _monthly(frame):
    frame = _area_counts(frame)
    frame = frame.assign(month=frame.start_date.dt.to_period("M").dt.start_time)
    return frame.groupby(["month", "mission_area"], as_index=False).agg(
        engagements=("n", "sum"), planned=("planned", "sum")
    )


def monthly_activity(T, p):
    return _monthly(eng_p(T, p))


def country_monthly_activity(T, p):
    return _monthly(eng_p(T, p, countries=[p["iso3"]]))


def engagement_count(T, p):
    return pd.DataFrame([{"engagements": len(eng_p(T, p))}])


def demo_in_scope(T, p):
    return pd.DataFrame(
        [
            {
                "demo_engagements": int(live(eng_p(T, p)).is_demo.sum()),  # as the tiles count: not cancelled
                "demo_agreements": int(agreements_in(T, p).is_demo.sum()),
            }
        ]
    )


def kpi_agreements(T, p):
    scope = agreements_in(T, p)
    on_day, on_prev = status_on(T, p["as_of"]), status_on(T, p["prev_as_of"])
    today = ts(p["today"])
    return pd.DataFrame(
        [
            {
                "in_force": int(scope.merge(on_day, on="agreement_id").status_y.eq("in_force").sum()),
                "prev_in_force": int(scope.merge(on_prev, on="agreement_id").status_y.eq("in_force").sum()),
                "negotiation": int((scope.status == "negotiation").sum()),
                "expiring_12m": int(
                    (
                        (scope.status == "in_force")
                        & (scope.date_expires >= today)
                        & (scope.date_expires <= today + pd.DateOffset(months=12))
                    ).sum()
                ),
                "agreements": len(scope),
                "demo": int(scope.is_demo.sum()),
            }
        ]
    )


def agreement_pipeline(T, p):
    return agreements_in(T, p).groupby(["status", "mission_area"]).size().rename("agreements").reset_index()


def _days(series, today):
    return (series - ts(today)).dt.days


# The columns of queries/agreements_list.sql (and of an organization's agreements)
AGREEMENT_LIST = [
    "agreement_id",
    "title",
    "agreement_type",
    "mission_area",
    "status",
    "partners",
    "date_signed",
    "date_in_force",
    "date_expires",
    "days_to_expiry",
    "lifecycle_start",
    "component",
    "summary",
    "is_demo",
]


def agreements_list(T, p):
    scope = agreements_in(T, p)
    started = T.H.groupby("agreement_id").changed_on.min().rename("first_event")
    out = scope.assign(partners=scope.agreement_id.map(T.agreement_partners))
    out = out.merge(started, left_on="agreement_id", right_index=True, how="left")
    out["days_to_expiry"] = _days(out.date_expires, p["today"])
    out["lifecycle_start"] = out.date_signed.fillna(out.date_in_force).fillna(out.first_event)
    search = (p.get("search") or "").lower()
    if search:
        hit = (
            out.title.str.lower().str.contains(search, regex=False)
            | out.summary.fillna("").str.lower().str.contains(search, regex=False)
            | out.partners.fillna("").str.lower().str.contains(search, regex=False)
        )
        out = out[hit]
    out = out.assign(_order=out.date_expires.fillna(FAR_FUTURE)).sort_values(["_order", "title"])
    return out[AGREEMENT_LIST]


def agreements_export(T, p):
    scope = agreements_in(T, p)
    parties = T.P[T.P.agreement_id.isin(scope.agreement_id)].assign(name=lambda d: d.iso3.map(T.names))
    codes = parties.sort_values("iso3").groupby("agreement_id").iso3.agg(";".join).rename("countries")
    out = scope.merge(codes, left_on="agreement_id", right_index=True, how="left")
    out = out.assign(partners=out.agreement_id.map(T.agreement_partners)).sort_values("agreement_id")
    return out.rename(columns={"is_demo": "demo"})[
        [
            "agreement_id",
            "title",
            "agreement_type",
            "countries",
            "mission_area",
            "status",
            "date_signed",
            "date_in_force",
            "date_expires",
            "component",
            "summary",
            "sensitivity",
            "demo",
            "partners",
        ]
    ]


def agreements_by_country(T, p):
    scope = agreements_in(T, p)
    on_day = status_on(T, p["as_of"])
    live_ids = on_day.agreement_id[on_day.status == "in_force"]
    rows = scope[scope.agreement_id.isin(live_ids)].merge(T.P, on="agreement_id")
    rows = rows.sort_values("date_in_force")
    out = (
        rows.groupby("iso3")
        .agg(agreements=("agreement_id", "size"), latest_area=("mission_area", "last"))
        .reset_index()
    )
    out = with_country(out, T, ("name", "lat", "lon", "small", "map_index"))
    return out.sort_values(["agreements", "name"], ascending=[False, True])


def renewals_due(T, p):
    scope = agreements_in(T, p)
    due = scope[
        (scope.status == "in_force") & (scope.date_expires >= ts(p["today"])) & (scope.date_expires <= ts(p["horizon"]))
    ].copy()
    due["days_left"] = _days(due.date_expires, p["today"])
    due["partners"] = due.agreement_id.map(partners_text(T, due.agreement_id))
    return due.sort_values(["date_expires", "title"])[
        ["agreement_id", "title", "mission_area", "date_expires", "days_left", "partners", "component", "is_demo"]
    ]


def status_changes(T, p):
    scope = agreements_in(T, p)
    H = T.H[(T.H.changed_on >= ts(p["since"])) & (T.H.changed_on <= ts(p["today"])) & (T.H.source != "first_seen")]
    out = H.merge(scope[["agreement_id", "title", "mission_area", "is_demo"]], on="agreement_id")
    out = out.sort_values(["changed_on", "event_order"], ascending=False)
    total = len(out)
    out = out.head(int(p["limit"])).copy()
    out["partners"] = out.agreement_id.map(partners_text(T, out.agreement_id))
    out["total"] = total
    return out[
        [
            "changed_on",
            "title",
            "previous_status",
            "status",
            "source",
            "agreement_id",
            "mission_area",
            "partners",
            "is_demo",
            "total",
        ]
    ]


def recent_engagements(T, p):
    out = listed(eng_p(T, p))
    out = out.sort_values(["start_date", "engagement_id"], ascending=[False, True]).head(int(p["limit"]))
    return out[
        [
            "start_date",
            "end_date",
            "title",
            "country",
            "organizations",
            "iso3",
            "city",
            "mission_area",
            "engagement_type",
            "component",
            "status",
            "participants",
            "engagement_id",
            "is_demo",
        ]
    ]


def new_engagements_since(T, p):
    out = listed(live(eng_p(T, p, "since", "today")))
    total = len(out)
    out = out.sort_values(["start_date", "engagement_id"], ascending=[False, True]).head(int(p["limit"])).copy()
    out["total"] = total
    return out[
        [
            "start_date",
            "title",
            "country",
            "organizations",
            "iso3",
            "mission_area",
            "engagement_type",
            "component",
            "status",
            "participants",
            "engagement_id",
            "is_demo",
            "total",
        ]
    ]


def newly_engaged_countries(T, p):
    recent = (
        live(rows_p(T, p, "since", "today"))
        .groupby("iso3")
        .agg(engagements=("engagement_id", "size"), first_date=("start_date", "min"))
        .reset_index()
    )
    before_end = ts(p["since"]) - pd.Timedelta(days=1)
    before = live(eng_rows(T, *_filters({**p, "before_end": before_end}, "lookback_start", "before_end", None))).iso3
    before = before.dropna().unique()
    out = with_country(recent[~recent.iso3.isin(before)], T, ("name", "region"))
    return out.sort_values(["first_date", "name"])


def round2(values: pd.Series) -> pd.Series:
    """SQL's round(x, 2) in DuckDB: the exact binary value rounded, halves away from zero. pandas' round
    works on x * 100 and sends exact halves to the even neighbour, so values within a hair of a half are
    redone exactly (a handful per million)."""
    scaled = values.to_numpy(dtype=float) * 100
    out = np.round(scaled) / 100
    frac = np.abs(scaled) - np.floor(np.abs(scaled))
    near = np.flatnonzero(np.abs(frac - 0.5) < 1e-6)
    for i in near:
        out[i] = float(Decimal(float(values.iloc[i])).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    return pd.Series(out, index=values.index)


def engagement_points(T, p):
    rows = with_country(live(eng_p(T, p)), T, ("name", "lat", "lon"), how="left").rename(
        columns={"name": "country", "lat": "c_lat", "lon": "c_lon"}
    )
    rows = rows[rows.latitude.notna() | rows.c_lat.notna()]  # no coordinates and no country: no place
    rows = rows.assign(
        lat=round2(rows.latitude.fillna(rows.c_lat)),
        lon=round2(rows.longitude.fillna(rows.c_lon)),
        place=rows.city.fillna(rows.country),
        approximate=rows.latitude.isna(),
    )
    keys = ["lat", "lon", "country"]
    per_area = (
        rows.groupby(keys + ["mission_area"], dropna=False)
        .agg(
            n=("engagement_id", "size"),
            latest=("start_date", "max"),
            place=("place", "first"),
            approximate=("approximate", "any"),
        )
        .reset_index()
    )
    top = per_area.sort_values(["n", "mission_area"]).drop_duplicates(keys, keep="last")
    late = per_area.sort_values(["latest", "mission_area"]).drop_duplicates(keys, keep="last")
    out = (
        per_area.groupby(keys, dropna=False)
        .agg(place=("place", "first"), engagements=("n", "sum"), approximate=("approximate", "any"))
        .reset_index()
    )
    out = out.merge(late[keys + ["mission_area"]].rename(columns={"mission_area": "latest_area"}), on=keys)
    out = out.merge(top[keys + ["mission_area"]].rename(columns={"mission_area": "top_area"}), on=keys)
    return out.sort_values("engagements", ascending=False)[
        ["lat", "lon", "place", "country", "engagements", "latest_area", "top_area", "approximate"]
    ]


def area_summary(T, p):
    cur = live(eng_p(T, p))
    agg = cur.groupby("mission_area").agg(engagements=("engagement_id", "size"), participants=("participants", "sum"))
    agg["countries"] = live(rows_p(T, p)).groupby("mission_area").iso3.nunique()
    prev = live(eng_p(T, p, "prev_start", "prev_end")).groupby("mission_area").size().rename("prev_engagements")
    M = T.M[T.M.code.isin(p["areas"])] if p["areas"] else T.M
    out = M.rename(columns={"code": "mission_area"}).merge(agg, left_on="mission_area", right_index=True, how="left")
    out = out.merge(prev, left_on="mission_area", right_index=True, how="left").fillna(
        {"engagements": 0, "prev_engagements": 0, "countries": 0, "participants": 0}
    )
    return out.sort_values("sort_order")[
        ["mission_area", "label", "engagements", "prev_engagements", "countries", "participants"]
    ]


def engagement_types(T, p):
    cur = live(eng_p(T, p))
    out = (
        cur.assign(engagement_type=cur.engagement_type.fillna("unspecified"))
        .groupby(["engagement_type", "mission_area"])
        .size()
        .rename("engagements")
        .reset_index()
    )
    return out[out.engagements > 0].sort_values("engagements", ascending=False)


def country_profile(T, p):
    iso = p["iso3"]
    cur, prev = eng_p(T, p, countries=[iso]), eng_p(T, p, "prev_start", "prev_end", countries=[iso])
    scope = agreements_in(T, p, countries=[iso]).merge(
        status_on(T, p["as_of"]), on="agreement_id", how="left", suffixes=("", "_on")
    )
    c = T.C[T.C.iso3 == iso]
    if c.empty:
        return pd.DataFrame()
    lc = live(cur)
    row = c.iloc[0]
    return pd.DataFrame(
        [
            {
                "iso3": iso,
                "name": row["name"],
                "official_name": row.official_name,
                "region": row.region,
                "subregion": row.subregion,
                "lat": row.lat,
                "lon": row.lon,
                "engagements": len(lc),
                "prev_engagements": len(live(prev)),
                "participants": lc.participants.sum(),
                "planned": int((cur.status == "planned").sum()),
                "demo": int(lc.is_demo.sum()),  # demo records shown: not cancelled
                "in_force": int((scope.status_on == "in_force").sum()),
                "negotiation": int((scope.status == "negotiation").sum()),
                "agreements": len(scope),
                "programs": int(((T.PR.iso3 == iso) & T.PR.is_current).sum()),
            }
        ]
    )


def country_programs(T, p):
    out = T.PR[T.PR.iso3 == p["iso3"]]
    return out.sort_values(["is_current", "program", "place"], ascending=[False, True, True])


def region_comparison(T, p):
    region = T.C.region[T.C.iso3 == p["iso3"]]
    members = (
        T.C.iso3[T.C.region == region.iloc[0]] if len(region) and pd.notna(region.iloc[0]) else pd.Series([], dtype=str)
    )
    counts = live(rows_p(T, p, countries=list(members))).groupby("iso3").size()
    out = T.C[T.C.iso3.isin(members)][["iso3", "name"]].copy()
    out["engagements"] = out.iso3.map(counts).fillna(0).astype(int)
    # The region's engagements, each once however many of its countries took part (no countries: none, not all).
    out["region_engagements"] = len(live(eng_p(T, p, countries=list(members)))) if len(members) else 0
    out["selected"] = out.iso3 == p["iso3"]
    out = out[(out.engagements > 0) | out.selected]
    out["rank"] = out.engagements.rank(method="min", ascending=False).astype(int)
    return out.sort_values(["engagements", "name"], ascending=[False, True])


def countries_list(T, p):
    return T.C[["iso3", "name", "region", "subregion"]].sort_values("name")


def data_range(T, p):
    lo, hi = T.E.start_date.min(), T.E.start_date.max()
    return pd.DataFrame(
        [
            {
                "first_day": lo.to_period("M").start_time if pd.notna(lo) else pd.NaT,
                "last_day": hi.to_period("M").end_time.normalize() if pd.notna(hi) else pd.NaT,
            }
        ]
    )


def data_freshness(T, p):
    ok = T.L[T.L.outcome.isin(["success", "partial"])]
    built = T.MD.value[T.MD.key == "built_at"]
    rows = []
    for table, frame in (("engagements", T.E), ("agreements", T.A)):
        latest = (
            frame.start_date[frame.status != "planned"].max()
            if table == "engagements"
            else frame[["date_signed", "date_in_force"]].max(axis=1).max()
        )
        rows.append(
            {
                "table_name": table,
                "last_import": ok.finished_at[ok.table_name == table].max(),
                "records": len(frame),
                "demo_records": int(frame.is_demo.sum()),
                "latest_date": latest,
                "built_at": built.iloc[0] if len(built) else None,
            }
        )
    return pd.DataFrame(rows)


def programs(T, p):
    out = with_country(T.PR[T.PR.program_code.isin(p["programs"])], T, ("name", "lat", "lon")).rename(
        columns={"name": "country", "lat": "c_lat", "lon": "c_lon"}
    )
    out["lat"], out["lon"] = out.latitude.fillna(out.c_lat), out.longitude.fillna(out.c_lon)
    return out.sort_values(["program_code", "country", "place"])


QUERIES = {
    f.__name__: f
    for f in (
        kpi_engagements,
        country_activity,
        country_area_activity,
        monthly_activity,
        country_monthly_activity,
        demo_in_scope,
        engagement_count,
        kpi_agreements,
        agreement_pipeline,
        agreements_list,
        agreements_export,
        agreements_by_country,
        renewals_due,
        status_changes,
        recent_engagements,
        new_engagements_since,
        newly_engaged_countries,
        engagement_points,
        area_summary,
        engagement_types,
        country_profile,
        country_programs,
        region_comparison,
        countries_list,
        data_range,
        data_freshness,
        programs,
    )
}


def agrees(ours: dict | None, theirs: dict) -> bool:
    if ours is None:
        return True
    if ours["rows"] != theirs["rows"]:
        return False
    for column, value in ours["sums"].items():
        other = theirs["sums"].get(column)
        if other is None or not np.isclose(value, other, rtol=1e-9, atol=1e-6):
            return False
    return True


def every_query() -> dict:
    """The pandas version of every named query: the ones here and those of the watch and partner pages."""
    from benchmarks.baseline_partners import QUERIES as partners
    from benchmarks.baseline_watch import QUERIES as watch

    return {**QUERIES, **partners, **watch}


def replay(db: Path, pages: dict) -> dict:
    queries = every_query()
    started = time.perf_counter()
    T = Tables(db)
    load_s = time.perf_counter() - started
    out_pages = []
    checked = agreed = 0
    mismatches: list[str] = []
    missing: set[str] = set()
    for page in pages["pages"]:
        reruns = []
        for run in page["runs"]:
            if run["phase"] not in ("miss", "widget-miss"):
                continue
            base_s = ours_s = 0.0
            covered = 0
            for call in run["calls"]:
                fn = queries.get(call["name"])
                if fn is None:
                    missing.add(call["name"])
                    continue
                params = {k: decode(v) for k, v in call["params"].items()}
                t0 = time.perf_counter()
                frame = fn(T, params)
                base_s += time.perf_counter() - t0
                ours_s += call["seconds"]
                covered += 1
                if call.get("digest") is not None:
                    checked += 1
                    if agrees(call["digest"], digest(frame)):
                        agreed += 1
                    elif len(mismatches) < 20:
                        mismatches.append(
                            f"{call['name']} {call['params']}: ours {call['digest']} pandas {digest(frame)}"
                        )
            reruns.append(
                {
                    "phase": run["phase"],
                    "baseline_ms": base_s * 1000,
                    "ours_ms": ours_s * 1000,
                    "covered": covered,
                    "calls": len(run["calls"]),
                }
            )
        out_pages.append({"page": page["page"], "reruns": reruns})
    return {
        "load_s": load_s,
        "pages": out_pages,
        "checked": checked,
        "agreed": agreed,
        "mismatches": mismatches,
        "not_covered": sorted(missing),
        "rows": len(T.E),
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--calls", type=Path, required=True, help="the JSON benchmarks.pages wrote")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    result = replay(args.db, json.loads(args.calls.read_text()))
    args.out.write_text(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
