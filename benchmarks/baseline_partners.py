"""The pandas baseline's versions of the queries of the Compare and Organization profile pages, organizations on the Overview, a country's multilateral engagements."""

from __future__ import annotations

import pandas as pd

from benchmarks.baseline import (
    AGREEMENT_LIST,
    FAR_FUTURE,
    Tables,
    _area_counts,
    _codes,
    _days,
    _monthly,
    agreements_in,
    eng_p,
    listed,
    live,
    rows_p,
    status_on,
    ts,
    with_country,
)

# --- building blocks ----------------------------------------------------------------------------------


def naming(frame: pd.DataFrame, org: str) -> pd.DataFrame:
    """The engagements (or agreements) that name organization `org` as a partner."""
    codes = frame.organizations[frame.with_org].explode()
    return frame[frame.index.isin(codes.index[codes == org])]


def org_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per organization an engagement names (org_code): what the per-organization figures count."""
    named = frame[frame.with_org]
    return named.assign(org_code=named.organizations).explode("org_code")


def month(frame: pd.DataFrame) -> pd.Series:
    return frame.start_date.dt.to_period("M").dt.start_time


def party_rows(T: Tables, p: dict) -> pd.DataFrame:
    """The agreements the filters admit, one row per partner country asked for (iso3)."""
    rows = agreements_in(T, p).merge(T.P, on="agreement_id")
    return rows[rows.iso3.isin(p["countries"])]


def names_of(codes, names: dict) -> str | None:
    """Codes as '; '-separated names (the unknown left out), None for none."""
    return "; ".join(names[c] for c in codes if c in names) or None


def _listing(frame: pd.DataFrame, T: Tables) -> pd.DataFrame:
    """listed(), with the partner organizations' names (code order) instead of their codes."""
    out = listed(frame)
    return out.assign(organizations=frame.organizations.map(lambda v: names_of(sorted(_codes(v)), T.org_names)))


LISTING = [
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
    "level",
    "participants",
    "engagement_id",
    "is_demo",
]
SEAT = ["code", "name", "kind", "hq_city", "hq_iso3", "hq_country", "hq_lat", "hq_lon"]


def _seats(T: Tables, orgs: pd.DataFrame) -> pd.DataFrame:
    return orgs.assign(hq_country=orgs.hq_iso3.map(T.names))


# --- the named queries ----------------------------------------------------------------------------------


def compare_agreements(T, p):
    out = party_rows(T, p).groupby(["iso3", "status"]).size().rename("agreements").reset_index()
    return out.sort_values(["iso3", "status"])


def compare_countries(T, p):
    countries = list(p["countries"])
    rows = _area_counts(rows_p(T, p))
    cur = (
        rows.assign(demo=rows.n & rows.is_demo)
        .groupby("iso3")
        .agg(engagements=("n", "sum"), participants=("live_participants", "sum"), demo_engagements=("demo", "sum"))
    )
    prev = live(rows_p(T, p, "prev_start", "prev_end")).groupby("iso3").size().rename("prev_engagements")
    parties = party_rows(T, p).merge(status_on(T, p["as_of"]), on="agreement_id", how="left", suffixes=("", "_on"))
    agreements = (
        parties.assign(in_force=parties.status_on == "in_force", negotiation=parties.status == "negotiation")
        .groupby("iso3")
        .agg(
            in_force=("in_force", "sum"),
            negotiation=("negotiation", "sum"),
            agreements=("agreement_id", "size"),
            demo_agreements=("is_demo", "sum"),
        )
    )
    PR = T.PR[T.PR.is_current & T.PR.iso3.isin(countries)]
    programmes = PR.groupby("iso3").program.nunique().rename("programs")
    out = T.C[T.C.iso3.isin(countries)][["iso3", "name", "region"]].set_index("iso3")
    out = out.join([cur, prev, agreements, programmes]).fillna(
        {c: 0 for c in (*cur.columns, "prev_engagements", *agreements.columns, "programs")}
    )
    out = out.reset_index().assign(_order=lambda d: d.iso3.map({c: countries.index(c) for c in countries}))
    return out.sort_values("_order")[
        [
            "iso3",
            "name",
            "region",
            "engagements",
            "prev_engagements",
            "participants",
            "in_force",
            "negotiation",
            "agreements",
            "programs",
            "demo_engagements",
            "demo_agreements",
        ]
    ]


def compare_monthly(T, p):
    cur = _area_counts(rows_p(T, p))
    out = (
        cur.assign(month=month(cur))
        .groupby(["month", "iso3"], as_index=False, dropna=False)
        .agg(engagements=("n", "sum"))
    )
    return out.sort_values(["month", "iso3"])


def country_multilateral_engagements(T, p):
    """A country's engagements with several partners; other_countries names the partner countries but this one."""
    iso = p["iso3"]
    found = eng_p(T, p, countries=[iso])
    found = found[found.several]
    out = found.sort_values(["start_date", "engagement_id"], ascending=[False, True]).head(int(p["limit"]))
    partners = out.iso3.map(lambda c: [c]) + out.other_countries.map(_codes)
    out = out.assign(
        other_countries=partners.map(lambda codes: names_of([c for c in codes if c != iso], T.names)),
        organizations=out.organizations.map(lambda v: names_of(sorted(_codes(v)), T.org_names)),
        total=len(found),
        cancelled=int((found.status == "cancelled").sum()),
    )
    return out[
        [
            "start_date",
            "end_date",
            "title",
            "other_countries",
            "organizations",
            "mission_area",
            "engagement_type",
            "component",
            "status",
            "participants",
            "level",
            "engagement_id",
            "is_demo",
            "total",
            "cancelled",
        ]
    ]


def organization_agreements(T, p):
    scope = naming(agreements_in(T, p), p["org"])
    started = T.H.groupby("agreement_id").changed_on.min()
    out = scope.assign(
        partners=scope.agreement_id.map(T.agreement_partners),
        days_to_expiry=_days(scope.date_expires, p["today"]),
        lifecycle_start=scope.date_signed.fillna(scope.date_in_force).fillna(scope.agreement_id.map(started)),
        _order=scope.date_expires.fillna(FAR_FUTURE),
    )
    return out.sort_values(["_order", "title", "agreement_id"])[AGREEMENT_LIST]


def organization_countries(T, p):
    """Every partner country of the organization's engagements (each engagement counted for each of them)."""
    found = live(naming(eng_p(T, p), p["org"]))
    rows = T.EP[T.EP.index.isin(found.index)]
    if p["countries"]:
        rows = rows[rows.iso3.isin(p["countries"])]
    out = rows.groupby("iso3").agg(engagements=("engagement_id", "size"), latest=("start_date", "max")).reset_index()
    out = with_country(out, T, ("name", "region"))
    return out.sort_values(["engagements", "name"], ascending=[False, True])[
        ["iso3", "name", "region", "engagements", "latest"]
    ]


def organization_engagements(T, p):
    found = naming(eng_p(T, p), p["org"])
    out = found.sort_values(["start_date", "engagement_id"], ascending=[False, True]).head(int(p["limit"]))
    return _listing(out, T)[LISTING]


def organization_monthly_activity(T, p):
    return _monthly(naming(eng_p(T, p), p["org"]))


def organization_profile(T, p):
    org = p["org"]
    cur = _area_counts(naming(eng_p(T, p), org))
    prev = live(naming(eng_p(T, p, "prev_start", "prev_end"), org))
    scope = naming(agreements_in(T, p), org).merge(
        status_on(T, p["as_of"]), on="agreement_id", how="left", suffixes=("", "_on")
    )
    facts = T.O[T.O.code == org]
    members = facts.members.map(_codes)
    return _seats(T, facts).assign(
        member_count=members.map(len).where(facts.members.notna()).astype(float),
        members=members.map(lambda codes: ", ".join(sorted(T.names[c] for c in codes if c in T.names)) or None),
        engagements=int(cur.n.sum()),
        prev_engagements=len(prev),
        participants=cur.live_participants.sum(),
        planned=int(cur.planned.sum()),
        multilateral=int((cur.n & cur.several).sum()),
        demo_engagements=int((cur.n & cur.is_demo).sum()),
        in_force=int((scope.status_on == "in_force").sum()),
        negotiation=int((scope.status == "negotiation").sum()),
        agreements=len(scope),
        demo_agreements=int(scope.is_demo.sum()),
    )[
        [
            *SEAT,
            "member_count",
            "members",
            "source_url",
            "source_as_of",
            "notes",
            "engagements",
            "prev_engagements",
            "participants",
            "planned",
            "multilateral",
            "demo_engagements",
            "in_force",
            "negotiation",
            "agreements",
            "demo_agreements",
        ]
    ]


def organization_upcoming(T, p):
    """Planned engagements naming the organization from the day after today to the horizon."""
    window = {**p, "after": ts(p["today"]) + pd.Timedelta(days=1)}
    found = naming(eng_p(T, window, "after", "horizon"), p["org"])
    found = found[found.status == "planned"]
    out = found.sort_values(["start_date", "title", "engagement_id"]).head(int(p["limit"]))
    return _listing(out, T)[LISTING].assign(total=len(found))


def organizations_active(T, p):
    rows = _area_counts(org_rows(eng_p(T, p)))
    rows = rows.assign(
        multilateral=rows.n & rows.several, demo=rows.n & rows.is_demo, latest=rows.start_date.where(rows.n)
    )
    per_org = rows.groupby("org_code").agg(
        engagements=("n", "sum"),
        multilateral=("multilateral", "sum"),
        participants=("live_participants", "sum"),
        demo=("demo", "sum"),
        latest=("latest", "max"),
    )
    per_org = per_org[per_org.engagements > 0]
    out = _seats(T, T.O).merge(per_org, left_on="code", right_index=True)
    out["multilateral_share"] = out.multilateral / out.engagements
    return out.sort_values(["engagements", "name"], ascending=[False, True])[
        [*SEAT, "engagements", "multilateral", "multilateral_share", "participants", "demo", "latest"]
    ]


QUERIES = {
    f.__name__: f
    for f in (
        compare_agreements,
        compare_countries,
        compare_monthly,
        country_multilateral_engagements,
        organization_agreements,
        organization_countries,
        organization_engagements,
        organization_monthly_activity,
        organization_profile,
        organization_upcoming,
        organizations_active,
    )
}
