"""agreement_summary follows every agreements import: partner names and first event stay right."""
from __future__ import annotations

from atlas import ingest


def test_summary_follows_changed_parties(empty_db, kit, tmp_path):
    first = kit.write_csv(tmp_path / "a1.csv", [kit.agreement("A1", countries="FRA;CAN"),
                                                kit.agreement("A2", countries="MEX", status="negotiation",
                                                              date_signed="", date_in_force="", date_expires="")])
    assert ingest.import_file(first, "agreements", empty_db).outcome == "success"
    rows = kit.query(empty_db, "SELECT agreement_id, partners, iso3s, n_partners, first_event "
                               "FROM agreement_summary ORDER BY 1")
    assert [(r[0], r[1], list(r[2]), r[3]) for r in rows] == [("A1", "Canada; France", ["CAN", "FRA"], 2),
                                                             ("A2", "Mexico", ["MEX"], 1)]
    assert str(rows[0][4]) == "2020-01-15"   # signed: the first event in its history
    second = kit.write_csv(tmp_path / "a2.csv", [kit.agreement("A1", countries="GBR")])
    assert ingest.import_file(second, "agreements", empty_db).updated == 1
    rows = kit.query(empty_db, "SELECT agreement_id, partners, n_partners FROM agreement_summary ORDER BY 1")
    assert rows == [("A1", "United Kingdom", 1), ("A2", "Mexico", 1)]
