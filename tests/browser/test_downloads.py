"""The indicator page's data downloads in a real Chromium, at phone and desktop widths: every
link is there and answers with a file named for what it holds; axe finds nothing; screenshots
of the Download section go to test-artifacts/screenshots/ (or DOWNLOADS_SHOTS)."""

import os
from pathlib import Path
from urllib.parse import urljoin

import pytest

from .conftest import SCREENSHOTS
from .test_accessibility import check_axe

SHOTS = Path(os.environ.get("DOWNLOADS_SHOTS") or SCREENSHOTS)


@pytest.mark.parametrize("width", [375, 1280])
def test_download_links_work_and_pass_axe(make_context, width):
    context = make_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    response = page.goto("/statistics/population/?area=XK", wait_until="load")
    assert response.status == 200
    section = page.locator("#download")
    links = section.locator("p.downloads").first.locator("a")
    labels = [" ".join(text.split()) for text in links.all_inner_texts()]
    assert labels[:4] == [
        "CSV",
        "CSV for Excel (regional) (“;” and decimal comma)",
        "XLSX (Excel workbook)",
        "ZIP (CSV with a README)",
    ]
    for n in range(4):
        href = links.nth(n).get_attribute("href")
        file = page.request.get(urljoin(page.url, href))
        assert file.status == 200, href
        assert "population_XK_" in file.headers["content-disposition"], href
    # Nothing wider than the screen: the links wrap on a phone.
    width_used = page.evaluate("document.documentElement.scrollWidth")
    assert width_used <= width
    check_axe(page, f"indicator download section at {width}px")
    SHOTS.mkdir(parents=True, exist_ok=True)
    section.scroll_into_view_if_needed()
    section.screenshot(path=str(SHOTS / f"downloads-{width}.png"))
