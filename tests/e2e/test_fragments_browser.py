"""Controls inside a section rerun that section only (st.fragment), in a real Chromium against `streamlit run`:
the server reports a fragment run, not a page run, and the section shows the new answer."""

from __future__ import annotations

from conftest import WAIT_MS, wait_for_app

from benchmarks.browser import Runs as BenchmarkRuns

# The renewals table: the first grid in the section of the renewals window.
ROWS_JS = (
    "document.querySelector('.st-key-renewal_months').closest('[data-testid=\"stVerticalBlock\"]')"
    ".querySelector('[data-testid=\"stDataFrame\"] table[aria-rowcount]')"
)


class Runs(BenchmarkRuns):
    """The benchmark's record of the server's script runs on this page, with a wait for the next one."""

    def wait_for_another(self, page, seen: int) -> list[str]:
        page.wait_for_function("() => true")  # let queued frames through
        deadline = WAIT_MS
        while len(self.statuses) <= seen and deadline > 0:
            page.wait_for_timeout(50)
            deadline -= 50
        assert len(self.statuses) > seen, "the server reported no run after the change"
        wait_for_app(page)
        return self.statuses[seen:]


def test_agreement_search_and_renewal_window_rerun_their_section_only(server, open_session):
    session = open_session()
    page = session.page
    runs = Runs(page)
    page.goto(server.url + "/Agreements")
    wait_for_app(page)
    main = page.locator("[data-testid='stMain']")
    main.get_by_text("Find an agreement").first.wait_for()
    assert runs.statuses and runs.statuses[-1] == "FINISHED_SUCCESSFULLY"

    # The search box: a fragment run, and the count of matches in the section.
    seen = len(runs.statuses)
    box = page.get_by_label("Search titles, summaries and partner countries")
    box.fill("a")
    box.press("Enter")
    assert runs.wait_for_another(page, seen) == ["FINISHED_FRAGMENT_RUN_SUCCESSFULLY"]
    main.get_by_text("agreements match.").first.wait_for()

    # The renewals window: a fragment run, the choice shown as chosen, and a longer list (the grid's row count,
    # from its screen-reader table: 14 agreements expire within 12 months on the demo data, 25 within 24).
    page.wait_for_function(f"() => {ROWS_JS}")
    before = page.evaluate(f"() => Number({ROWS_JS}.getAttribute('aria-rowcount'))")
    seen = len(runs.statuses)
    window = page.locator(".st-key-renewal_months")
    window.get_by_role("radio", name="24 months").click()
    assert runs.wait_for_another(page, seen) == ["FINISHED_FRAGMENT_RUN_SUCCESSFULLY"]
    assert window.locator("[role='radio'][aria-checked='true']").inner_text().strip() == "24 months"
    page.wait_for_function(f"(n) => Number({ROWS_JS}.getAttribute('aria-rowcount')) > n", arg=before, timeout=WAIT_MS)

    assert session.page_errors == [], session.page_errors
    content = page.content()
    assert "Traceback" not in content and "stException" not in content


def test_the_since_date_reruns_what_changed_only_and_keeps_it_in_the_link(server, open_session):
    session = open_session()
    page = session.page
    runs = Runs(page)
    page.goto(server.url + "/What_Changed")
    wait_for_app(page)
    main = page.locator("[data-testid='stMain']")
    main.get_by_text("What changed since").first.wait_for()
    seen = len(runs.statuses)
    # The field is in segments (year, month, day; the default is 30 days ago, or the last briefing's day, which
    # another test may have recorded); each is typed, and the date is sent when the field loses focus.
    for segment, value in (("year", "2026"), ("month", "10"), ("day", "15")):
        field = main.get_by_role("spinbutton", name=f"{segment}, Since")
        field.scroll_into_view_if_needed()
        field.click()
        field.press_sequentially(value)
    main.get_by_text("What changed since").first.click()
    assert runs.wait_for_another(page, seen) == ["FINISHED_FRAGMENT_RUN_SUCCESSFULLY"]
    main.get_by_text("Showing changes since 15 Oct 2026 (the date chosen)").first.wait_for()
    page.wait_for_function("() => location.search.includes('since=2026-10-15')")
    assert session.page_errors == [], session.page_errors
