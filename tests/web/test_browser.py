"""A real headless browser (Debian's chromium driven by Playwright): a team user logs in, opens
its list (its own visits by name and address, on a desktop and on a 390-px phone, nothing wider
than the screen), downloads its sheet, records a result from the Korean drop-down and logs out."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web.conftest import PASSWORD
from web.sheet_contacts import sheet_contacts

CHROMIUM = Path("/usr/bin/chromium")
# elements wider than the viewport, or reaching past its right edge (the page may scroll down)
OVERFLOWING = """() => {
  const width = window.innerWidth;
  const wide = [];
  if (document.documentElement.scrollWidth > width) wide.push('document ' + document.documentElement.scrollWidth);
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.left < -0.5 || box.right > width + 0.5) {
      wide.push(el.tagName + (el.id ? '#' + el.id : '') + ' ' + Math.round(box.left) + '..' + Math.round(box.right));
    }
  }
  return wide;
}"""
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


def sign_in(page, server: str, username: str) -> None:
    page.goto(f"{server}/team")
    assert page.url.startswith(f"{server}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login")
    page.wait_for_url(f"{server}/team")


@pytest.mark.parametrize("width", [1280, 390])
def test_the_team_page_fits_the_screen_and_names_its_own_visits(
    world, server, browser, tmp_path, width
):
    sheets = world.settings.outreach_dir(world.night.isoformat()) / "sheets"
    own, other = (sheet_contacts(sheets / f"{t}.xlsx") for t in (world.team_a, world.team_b))
    context = browser.new_context(viewport={"width": width, "height": 844}, locale="ko-KR")
    page = context.new_page()
    sign_in(page, server, "team_a")
    shown = page.locator("#assignments tbody").inner_text()
    for contact in own.values():
        assert contact["name"] in shown and contact["address"] in shown
    assert not [c["address"] for c in other.values() if c["address"] in shown]
    assert "방문 결과 입력" in page.locator("#assignments").inner_text()
    page.screenshot(path=str(tmp_path / f"team_{width}.png"), full_page=True)
    assert page.evaluate(OVERFLOWING) == []
    link = page.locator("#assignments td.act a").first.bounding_box()
    line = page.evaluate("parseFloat(getComputedStyle(document.body).lineHeight)")
    assert link["height"] < 2 * line  # the link reads on one line, not a letter per line
    page.goto(f"{server}/team/results")
    page.screenshot(path=str(tmp_path / f"results_{width}.png"), full_page=True)
    assert page.evaluate(OVERFLOWING) == []
    context.close()


def test_a_team_user_works_through_the_browser(world, server, browser, tmp_path):
    context = browser.new_context(accept_downloads=True, viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, server, "team_a")
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

    rows.first.locator("td.act a").click()
    page.wait_for_url(f"{server}/team/results?key={first_key}")
    page.select_option("select[name=outcome]", label="연락 안 됨")
    page.check("input[name=services][value=counselling]")
    page.click("#record")
    page.wait_for_selector("#saved")
    entered = page.locator("#entered").inner_text()
    assert first_key in entered and "연락 안 됨" in entered and "KST" in entered

    page.click("#logout")
    page.wait_for_url(f"{server}/login")
    page.goto(f"{server}/team")
    assert page.url.startswith(f"{server}/login")
    context.close()
