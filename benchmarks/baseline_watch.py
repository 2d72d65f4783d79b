"""The pandas baseline's versions of the queries of the Watchlist, Upcoming and What changed pages and the timelines' events."""

from __future__ import annotations

import pandas as pd

from benchmarks.baseline import (
    Tables,
    _codes,
    agreements_in,
    eng_p,
    listed,
    live,
    partners_text,
    rows_p,
    status_on,
    ts,
    with_country,
)

DAY = pd.Timedelta(days=1)
EVER = {"start": pd.Timestamp.min, "end": pd.Timestamp.max}  # a period no record falls outside of


def _between(p: dict, start, end) -> dict:
    return {**p, "start": start, "end": end}


def _per_country(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame.groupby("iso3").size().rename(name)


def quiet_partners(T: Tables, p: dict) -> pd.DataFrame:
    """Partner countries of an agreement in force today (each of its partners) with no engagement since `since`,
    and the month of their last engagement before it."""
    today = p["today"]
    scope = agreements_in(T, _between(p, today, today))
    on_day = status_on(T, today)
    in_force = scope[scope.agreement_id.isin(on_day.agreement_id[on_day.status == "in_force"])]
    parties = in_force[["agreement_id", "title"]].merge(T.P, on="agreement_id")
    if p["countries"]:
        parties = parties[parties.iso3.isin(p["countries"])]
    per_country = (
        parties.sort_values("title")
        .groupby("iso3")
        .agg(agreements=("agreement_id", "size"), titles=("title", "; ".join))
        .reset_index()
    )
    since = ts(p["since"])
    earlier = (
        live(rows_p(T, _between(p, p["lookback_start"], since - DAY))).groupby("iso3", as_index=False).start_date.max()
    )
    earlier["last_month"] = earlier.start_date.dt.to_period("M").dt.start_time
    # Engagements with organizations only (iso3 NULL) quiet no country.
    recent = live(rows_p(T, _between(p, since, today))).iso3.dropna().unique()
    out = with_country(per_country[~per_country.iso3.isin(recent)], T, ("name", "region"))
    out = out.merge(earlier[["iso3", "last_month"]], on="iso3", how="left")
    out = out.sort_values(["last_month", "name"], na_position="first")
    return out[["iso3", "name", "region", "agreements", "titles", "last_month"]]


def partner_activity_change(T: Tables, p: dict) -> pd.DataFrame:
    """Engagements per partner country from `since` to today and in the period of equal length just before."""
    since, today = ts(p["since"]), ts(p["today"])
    days = (today - since).days + 1
    recent = _per_country(live(rows_p(T, _between(p, since, today))), "recent")
    previous = _per_country(live(rows_p(T, _between(p, since - days * DAY, since - DAY))), "previous")
    out = pd.concat([recent, previous], axis=1).fillna(0).astype(int).reset_index()
    out = with_country(out[(out.recent > 0) | (out.previous > 0)], T, ("name", "region"))
    return out.sort_values(["previous", "name"], ascending=[False, True])[
        ["iso3", "name", "region", "recent", "previous"]
    ]


def _country_sets(T: Tables) -> pd.Series:
    """Each agreement's partner countries as one key (sorted codes), to compare agreements by their partners."""
    return T.P.sort_values("iso3").groupby("agreement_id").iso3.agg(";".join)


def renewals_at_risk(T: Tables, p: dict) -> pd.DataFrame:
    """Agreements in force expiring between today and `horizon`, each with the other agreements now in negotiation
    with the same partner countries and mission area (whatever the filters but the ceiling and partnerships)."""
    today = p["today"]
    scope = agreements_in(T, _between(p, today, today))
    due = scope[
        (scope.status == "in_force") & (scope.date_expires >= ts(today)) & (scope.date_expires <= ts(p["horizon"]))
    ].copy()
    due["days_left"] = (due.date_expires - ts(today)).dt.days
    due["partners"] = due.agreement_id.map(partners_text(T, due.agreement_id))
    everything = {"areas": [], "countries": [], "components": [], "statuses": ["negotiation"]}
    talks = agreements_in(T, _between({**p, **everything}, today, today))
    sets = _country_sets(T)
    pairs = (
        due.assign(countries=due.agreement_id.map(sets))[["agreement_id", "mission_area", "countries"]]
        .dropna()
        .merge(
            talks.assign(countries=talks.agreement_id.map(sets))[
                ["agreement_id", "mission_area", "countries", "title"]
            ],
            on=["mission_area", "countries"],
            suffixes=("", "_talks"),
        )
    )
    pairs = pairs[pairs.agreement_id != pairs.agreement_id_talks].sort_values("title")
    due["renewal"] = due.agreement_id.map(pairs.groupby("agreement_id").title.agg("; ".join))
    return due.sort_values(["date_expires", "title", "agreement_id"])[
        [
            "agreement_id",
            "title",
            "mission_area",
            "date_expires",
            "days_left",
            "partners",
            "component",
            "is_demo",
            "renewal",
        ]
    ]


def _agenda(T: Tables, p: dict) -> pd.DataFrame:
    """Planned engagements starting after today and by `horizon` (the sidebar's period does not apply)."""
    window = eng_p(T, _between(p, ts(p["today"]) + DAY, p["horizon"]))
    return window[window.status == "planned"]


def upcoming_by_week(T: Tables, p: dict) -> pd.DataFrame:
    """The agenda per week (from Monday), partner country and mission area: engagements counts an engagement for
    each partner country asked for (iso3 NULL: organizations only); once and demo at the first of them listed."""
    planned = _agenda(T, p)
    rows = planned.assign(
        week_start=planned.start_date - pd.to_timedelta(planned.start_date.dt.day_of_week, unit="D"),
        iso3=planned.iso3.map(lambda c: [c]) + planned.other_countries.map(_codes),
    ).explode("iso3")
    if p["countries"]:
        rows = rows[rows.iso3.isin(p["countries"])]
    rows = rows.assign(once=~rows.index.duplicated())
    rows = rows.assign(demo=rows.once & rows.is_demo)
    out = (
        rows.groupby(["week_start", "iso3", "mission_area"], dropna=False)
        .agg(engagements=("engagement_id", "size"), once=("once", "sum"), demo=("demo", "sum"))
        .reset_index()
    )
    return out.sort_values(["week_start", "iso3", "mission_area"], na_position="last")


def upcoming_engagements(T: Tables, p: dict) -> pd.DataFrame:
    out = listed(_agenda(T, p))
    total = len(out)
    out = out.sort_values(["start_date", "title", "engagement_id"]).head(int(p["limit"])).copy()
    out["total"] = total
    return out[
        [
            "start_date",
            "end_date",
            "title",
            "country",
            "organizations",
            "level",
            "iso3",
            "city",
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


def _status_before(frame: pd.DataFrame, events: pd.DataFrame, key: str, order: str) -> pd.DataFrame:
    """The records with the previous status of their first status event since (SQL arg_min: the first whose
    previous status is known) and whether they had one at all (has_event)."""
    first = events.dropna(subset=["previous_status"]).sort_values(order).drop_duplicates(key)
    return frame.assign(
        status_before=frame[key].map(first.set_index(key).previous_status), has_event=frame[key].isin(events[key])
    )


def _change(frame: pd.DataFrame, new: pd.Series) -> pd.Series:
    """new, else status (an event since, and the status then not the status now), else changed."""
    moved = frame.has_event & (frame.status_before.isna() | (frame.status_before != frame.status))
    return pd.Series("changed", index=frame.index).mask(moved, "status").mask(new, "new")


def _newest(frame: pd.DataFrame, by: list[str], ascending: list[bool], limit: int) -> pd.DataFrame:
    """Per change the `limit` newest rows, and total: how many that change has."""
    frame = frame.assign(total=frame.groupby("change").change.transform("size"))
    return frame.sort_values(by, ascending=ascending).groupby("change").head(limit)


def records_changed_since(T: Tables, p: dict) -> pd.DataFrame:
    """Engagements and agreements an import wrote at or after `since_at` (any dates; every other filter applies):
    per record kind and change (new, status, changed), the `limit` written last, and how many in all."""
    since, limit = ts(p["since_at"]), int(p["limit"])
    history = T.SH

    E = eng_p(T, {**p, **EVER})
    E = E[E.updated_at >= since]
    E = _status_before(
        E.reset_index(names="row_id"), history[history.changed_at >= since], "engagement_id", "changed_at"
    )
    new = E.first_imported_at >= since
    E["change"] = _change(E, new)
    E["second"] = E.updated_at.dt.floor("s")  # new ones: by the second written, then by place in the table
    E = pd.concat(
        [
            _newest(E[new], ["second", "row_id"], [False, False], limit),
            _newest(E[~new], ["updated_at", "row_id"], [False, False], limit),
        ]
    )
    organizations = E.organizations.map(
        lambda v: "; ".join(T.org_names[c] for c in sorted(_codes(v)) if c in T.org_names)
    )
    names = pd.concat([E.country_names.rename("c"), organizations.rename("o")], axis=1)
    engagements = E.assign(
        record="engagement",
        record_id=E.engagement_id,
        partners=names.apply(lambda r: "; ".join(x for x in r if isinstance(x, str) and x) or None, axis=1),
        record_date=E.start_date,
    )

    A = agreements_in(T, {**p, **EVER})
    A = A[A.updated_at >= since]
    started = T.L.import_id[T.L.started_at >= since]
    events = T.H[(T.H.source == "import") & T.H.import_id.isin(started)]
    A = _status_before(A, events, "agreement_id", "event_order")
    A["change"] = _change(A, A.first_imported_at >= since)
    A = _newest(A, ["updated_at", "agreement_id"], [False, True], limit)
    agreements = A.assign(
        record="agreement",
        record_id=A.agreement_id,
        partners=A.agreement_id.map(partners_text(T, A.agreement_id)),
        iso3=A.agreement_id.map(T.P.groupby("agreement_id").iso3.min()),
        record_date=A.date_signed.fillna(A.date_in_force),
    )

    columns = [
        "record",
        "change",
        "record_id",
        "title",
        "partners",
        "iso3",
        "mission_area",
        "record_date",
        "status_before",
        "status",
        "updated_at",
        "first_imported_at",
        "is_demo",
        "total",
    ]
    out = pd.concat([engagements[columns], agreements[columns]], ignore_index=True)
    return out.sort_values(["record", "change", "updated_at", "record_id"], ascending=[False, True, False, True])


def timeline_events(T: Tables, p: dict) -> pd.DataFrame:
    """Agreement signings and entries into force between start and end, one row per event."""
    scope = agreements_in(T, p).assign(partners=lambda a: a.agreement_id.map(T.agreement_partners))
    events = pd.concat(
        [scope.assign(day=scope.date_signed, kind="signed"), scope.assign(day=scope.date_in_force, kind="in_force")]
    )
    events = events[(events.day >= ts(p["start"])) & (events.day <= ts(p["end"]))]
    return events.rename(columns={"agreement_id": "record_id"}).sort_values(["day", "kind", "title"])[
        ["day", "kind", "title", "partners", "mission_area", "record_id", "is_demo"]
    ]


QUERIES = {
    f.__name__: f
    for f in (
        quiet_partners,
        partner_activity_change,
        renewals_at_risk,
        upcoming_by_week,
        upcoming_engagements,
        records_changed_since,
        timeline_events,
    )
}
