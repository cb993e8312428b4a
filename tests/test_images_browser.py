"""Debian's Chromium (through Playwright, never `playwright install`) loads the real seed
post at a phone's and a laptop's width: it takes the smallest rendition that fills the
featured image's slot, and nothing moves while the page loads (no layout shift)."""

import re

import pytest
from playwright.sync_api import sync_playwright
from support import CHROMIUM, CHROMIUM_ARGS, ROOT, build_site, local_server, serving
from test_browser import QuietHandler

SEED_POST = "/2014/02/when-a-recruiter-calls/"
# Layout shifts are reported to observers registered before the page's first paint.
LAYOUT_SHIFT = """
window.__shift = 0;
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
}).observe({type: 'layout-shift', buffered: true});
"""


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory):
    """(origin, output) of the real content, built for and served from 127.0.0.1."""
    output = tmp_path_factory.mktemp("images-browser") / "output"
    server, origin = local_server(QuietHandler, output)
    build_site(ROOT / "content", output, SITEURL=origin)
    with serving(server):
        yield origin, output


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def load(browser, origin, width):
    """(what the page says of its featured image, the layout shift) at `width` CSS px."""
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.add_init_script(LAYOUT_SHIFT)
    page.goto(origin + SEED_POST, wait_until="load")
    page.wait_for_function("document.querySelector('.featured-image img').complete")
    page.wait_for_timeout(300)  # let the observer deliver the last entries (no assertion on time)
    found = page.evaluate(
        """() => {
        const img = document.querySelector('.featured-image img');
        const source = img.closest('picture').querySelector('source');
        return {current: img.currentSrc, slot: img.getBoundingClientRect().width,
                ratio: window.devicePixelRatio, srcset: source.getAttribute('srcset'),
                width: img.getAttribute('width'), height: img.getAttribute('height'),
                shift: window.__shift};
    }"""
    )
    page.close()
    return found


@pytest.mark.parametrize("width", [375, 1280])
def test_the_smallest_fitting_rendition_loads_without_layout_shift(browser, seed_site, width):
    origin, _ = seed_site
    found = load(browser, origin, width)
    candidates = sorted((int(size[:-1]), url) for url, size in (entry.split() for entry in found["srcset"].split(", ")))
    needed = found["slot"] * found["ratio"]
    # The smallest candidate at least as wide as the slot (Chromium's choice, device pixels).
    expected = next(url for size, url in candidates if size >= needed)
    assert found["current"] == expected, found
    assert found["current"].endswith(".webp")  # Chromium takes the WebP source
    assert re.search(r"-(400|800)\.webp$", found["current"])  # never the 1200 on these screens
    assert found["width"] and found["height"]
    assert found["shift"] == 0
