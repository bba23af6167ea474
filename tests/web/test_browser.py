"""A real headless browser (Debian's chromium driven by Playwright): a team user logs in, opens
its list, downloads its sheet, records a result and logs out."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web.conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (apt-get)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


def test_a_team_user_works_through_the_browser(world, server, browser, tmp_path):
    context = browser.new_context(accept_downloads=True, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{server}/team")
    assert page.url.startswith(f"{server}/login")
    page.fill("input[name=username]", "team_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("#login")
    page.wait_for_url(f"{server}/team")
    rows = page.locator("#assignments tbody tr")
    assert rows.count() >= 1
    first_key = rows.first.locator("code").inner_text()

    with page.expect_download() as caught:
        page.click("#download-sheet")
    saved = tmp_path / caught.value.suggested_filename
    caught.value.save_as(saved)
    night = world.settings.outreach_dir(world.night.isoformat())
    assert saved.name == f"{world.team_a}_{world.night.isoformat()}.xlsx"
    assert saved.read_bytes() == (night / "sheets" / f"{world.team_a}.xlsx").read_bytes()

    page.goto(f"{server}/team/results?key={first_key}")
    page.select_option("select[name=outcome]", "unreachable")
    page.check("input[name=services][value=counselling]")
    page.click("#record")
    page.wait_for_selector("#saved")
    assert first_key in page.locator("#entered").inner_text()

    page.click("#logout")
    page.wait_for_url(f"{server}/login")
    page.goto(f"{server}/team")
    assert page.url.startswith(f"{server}/login")
    context.close()
