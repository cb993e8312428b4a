"""Real-browser checks of the built site: axe-core accessibility, no third-party requests, phone layout,
search by keyboard, no layout shift, screenshots.

The real content is built with SITEURL pointing at a local HTTP server, so every absolute URL the
theme writes resolves to that server and any request elsewhere is a genuine third-party request.
Chromium is Debian's (`/usr/bin/chromium`, installed by `.ci/run`); Playwright never downloads one.
"""

import json
import os
from pathlib import Path
from urllib.parse import quote_plus, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect, sync_playwright
from support import CHROMIUM, CHROMIUM_ARGS, ROOT, build_site, local_server, serving

from tools.serve import HeadersHandler as QuietHandler  # the site under its own headers (CSP)
from tools.serve import host_headers

SEED_POST = "/2014/02/when-a-recruiter-calls/"
INDEX = "/"
AUTHOR = "/author/will-thomson/"
SEARCH = "/search/"
# The search page with results on it (the query in the URL runs at load).
SEARCH_RESULTS = "/search/?q=recruiter"
# Pages a reader reaches from the menu, checked for horizontal scrolling on the narrowest phone.
NARROW_PAGES = [INDEX, SEED_POST, AUTHOR, "/series/recruiter-call/", "/archives/", "/partners/", SEARCH_RESULTS]
# axe reports nothing at any impact level: minor and moderate findings fail too.
BLOCKING_IMPACTS = {"minor", "moderate", "serious", "critical"}
# Screenshots of the main pages go here (SCREENSHOTS=/tmp/reader-shots to keep them), else
# into the test's temporary folder.
SCREENSHOTS = os.environ.get("SCREENSHOTS")


@pytest.fixture(scope="module")
def site_origin(tmp_path_factory):
    """Origin (scheme://host:port) of a local server serving the real site built for that origin."""
    output = tmp_path_factory.mktemp("browser-site") / "output"
    # Bind first so the port is ours before the site is built with it baked into every URL.
    server, origin = local_server(QuietHandler, output)
    # Two posts a bundle: the search page merges several Pagefind bundles, as a large site's does.
    build_site(ROOT / "content", output, search=True, SITEURL=origin, SEARCH_POSTS_PER_BUNDLE=2)
    assert len(json.loads((output / "pagefind/bundles.json").read_text(encoding="utf-8"))["bundles"]) > 1
    QuietHandler.site_headers = tuple(host_headers(output / "_headers"))
    with serving(server):
        yield origin


@pytest.fixture(scope="module")
def one_bundle_origin(tmp_path_factory):
    """The same site indexed in one Pagefind bundle, as a site of up to 1,000 posts is."""
    output = tmp_path_factory.mktemp("one-bundle-site") / "output"
    server, origin = local_server(QuietHandler, output)
    build_site(ROOT / "content", output, search=True, SITEURL=origin)
    with serving(server):
        yield origin


@pytest.fixture(scope="module")
def browser():
    """One headless Debian Chromium for the whole module (launching it is the slow part)."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (`apt-get install -y chromium`, "
            "as .ci/run does). Never run `playwright install`."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def axe():
    """axe-core as bundled by axe-playwright-python: injected from disk, never fetched."""
    return Axe()


def open_page(browser, url, width, color_scheme="light"):
    """A new page in its own context at `width` px wide and the given colour scheme, loaded at `url`
    (for a search URL, once its results are shown)."""
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=color_scheme)
    page = context.new_page()
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"{url} answered {response and response.status}"
    if "?q=" in url:
        page.wait_for_selector("#search-results li a")
    return page


def describe(violations):
    """One readable block per violation: rule, impact, help and each offending node with axe's summary."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:200]}")
            summary = node.get("failureSummary")
            if summary:
                lines.append("      " + summary.replace("\n", "\n      "))
    return "\n".join(lines)


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("path", [SEED_POST, INDEX, AUTHOR, SEARCH, SEARCH_RESULTS])
def test_axe_finds_no_violations(browser, axe, site_origin, path, width, color_scheme):
    """axe-core (WCAG 2.1 A/AA and best practices) reports nothing, at any impact level."""
    page = open_page(browser, site_origin + path, width, color_scheme)
    try:
        # Confirm the emulation took, or a "dark" run would silently re-test the light theme.
        assert page.evaluate(f"matchMedia('(prefers-color-scheme: {color_scheme})').matches")
        results = axe.run(page).response
    finally:
        page.context.close()
    assert results["testEngine"]["name"] == "axe-core"
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"{path} at {width}px, {color_scheme}:\n{describe(blocking)}"


def test_no_third_party_requests(browser, site_origin):
    """Loading the index and the seed post requests nothing outside the site's own origin."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    requested = []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    try:
        for path in (INDEX, SEED_POST):
            page.goto(site_origin + path, wait_until="networkidle")
    finally:
        context.close()
    origins = {f"{parts.scheme}://{parts.netloc}" for parts in map(urlsplit, requested)}
    # The stylesheet at least must have been fetched, or the recording proves nothing.
    assert any(url.endswith(".css") for url in requested), requested
    foreign = sorted(url for url in requested if not url.startswith(site_origin + "/"))
    assert origins == {site_origin}, f"third-party requests: {foreign}"


@pytest.mark.parametrize("path", NARROW_PAGES)
def test_no_horizontal_scrolling_at_320px(browser, site_origin, path):
    """At 320 px wide (WCAG 1.4.10 reflow) nothing makes the page wider than the viewport."""
    page = open_page(browser, site_origin + path, 320)
    try:
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        too_wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > 320.5)
                .slice(0, 5)
                .map(el => el.outerHTML.slice(0, 120))"""
        )
    finally:
        page.context.close()
    assert scroll_width <= 320, f"{path} is {scroll_width}px wide at a 320px viewport; too wide: {too_wide}"


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_skip_link_is_first_visible_focus_and_moves_focus_to_main(browser, axe, site_origin, color_scheme):
    """The first Tab shows the skip link, legible and outlined; following it focuses <main>."""
    page = open_page(browser, site_origin + SEED_POST, 375, color_scheme)
    try:
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const el = document.activeElement, box = el.getBoundingClientRect(), style = getComputedStyle(el);
                return {cls: el.className, href: el.getAttribute('href'), top: box.top, bottom: box.bottom,
                        outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth)};
            }"""
        )
        # The page-wide axe runs never see the skip link: it is off screen until focused.
        contrast = axe.run(page, context=".skip-link", options={"runOnly": ["color-contrast"]}).response
        page.keyboard.press("Enter")
        after = page.evaluate("document.activeElement.tagName + '#' + document.activeElement.id")
    finally:
        page.context.close()
    assert focused["cls"] == "skip-link" and focused["href"] == "#content", focused
    assert 0 <= focused["top"] < focused["bottom"] <= 800, f"skip link off screen when focused: {focused}"
    assert focused["outline"] != "none" and focused["outlineWidth"] >= 2, f"no visible focus outline: {focused}"
    assert not contrast["violations"], describe(contrast["violations"])
    assert contrast["passes"], "axe did not check the focused skip link's contrast"
    assert after == "MAIN#content"


# Main page types: a reader's whole journey, checked under the served Content-Security-Policy.
CSP_PAGES = [
    INDEX,
    SEED_POST,
    "/archives/",
    "/author/will-thomson/",
    "/authors/",
    "/category/job-interviews/",
    "/tag/recruiters/",
    "/series/recruiter-call/",
    "/partner/bulls-eye-recruiting/",
    "/about/",
    "/syndication/",
    "/404.html",
    SEARCH,
    "/search/?q=passive+candidates&category=Job+Interviews",
]
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline'));
});
"""


def test_pages_work_under_the_content_security_policy(browser, site_origin):
    """No page type triggers a CSP violation when served with the site's own headers."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    console = []
    page = context.new_page()
    page.on("console", lambda message: console.append(message.text))
    violations = {}
    try:
        for path in CSP_PAGES:
            response = page.goto(site_origin + path, wait_until="networkidle")
            if "?q=" in path:  # Pagefind's worker, WebAssembly and index files, all under the policy
                page.wait_for_selector("#search-results li a")
            assert "script-src 'self'" in response.headers["content-security-policy"], path
            found = page.evaluate("window.__cspViolations")
            if found:
                violations[path] = found
    finally:
        context.close()
    refused = [text for text in console if "Content Security Policy" in text]
    assert violations == {} and refused == []


def test_search_by_keyboard_finds_the_seed_post_and_opens_it(browser, site_origin):
    """From the home page's header box to the seed post with the keyboard alone: type
    "passive candidates", Enter, results as you type on /search/, Tab to the result, Enter."""
    page = open_page(browser, site_origin + INDEX, 375)
    try:
        for _ in range(20):  # Tab through the skip link and the site name to the search box
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == "site-search-q":
                break
        else:
            pytest.fail("Tab never reached the header's search box")
        page.keyboard.type("passive candidates")
        page.keyboard.press("Enter")
        page.wait_for_url("**/search/?q=passive+candidates")
        page.wait_for_selector("#search-results li a")
        status = page.inner_text("#search-status")
        titles = page.locator("#search-results li h2").all_inner_texts()
        # Type again in the search page's own box: results follow each keystroke.
        page.focus("#search-q")
        page.keyboard.press("Control+A")
        page.keyboard.type("passive candidates")
        expect(page.locator("#search-status")).to_contain_text("found")
        for _ in range(10):  # past the button and the filters to the first result
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.closest('#search-results') !== null"):
                break
        else:
            pytest.fail("Tab never reached a search result")
        focused = page.evaluate("document.activeElement.textContent")
        page.keyboard.press("Enter")
        page.wait_for_url(f"**{SEED_POST}")
    finally:
        page.context.close()
    assert status == "1 post found for \u201cpassive candidates\u201d."
    assert titles == ["When a Recruiter Calls: Should You Consider a Career Change?"]
    assert focused == titles[0]


def found_titles(browser, origin, query):
    """The titles /search/ lists for `query` at `origin`, sorted, once its status says what it found."""
    page = browser.new_context().new_page()
    try:
        page.goto(f"{origin}{SEARCH}?q={quote_plus(query)}")
        expect(page.locator("#search-status")).to_contain_text("found")
        return sorted(page.locator("#search-results li h2").all_inner_texts())
    finally:
        page.context.close()


# Words every post has, words few have, one no post has, a phrase.
MERGED_QUERIES = [
    "passive candidates",
    "recruiter",
    "offer negotiation",
    "first week",
    "recruiter qwzxv",
    '"counter-offer"',
]


def test_several_bundles_find_what_one_bundle_finds(browser, site_origin, one_bundle_origin):
    """Merged in the page, the bundles of site_origin find the very posts one index of the
    site finds (search.js keeps a post only if it has every word some post has)."""
    merged = {query: found_titles(browser, site_origin, query) for query in MERGED_QUERIES}
    single = {query: found_titles(browser, one_bundle_origin, query) for query in MERGED_QUERIES}
    assert merged == single
    assert merged["passive candidates"] == ["When a Recruiter Calls: Should You Consider a Career Change?"]
    assert len(merged["recruiter"]) == 5 and merged["recruiter qwzxv"] == merged["recruiter"]


def test_a_bundle_that_failed_to_load_is_loaded_again_at_the_next_search(browser, site_origin):
    """A connection dropped while the index loads: that search says search is not available,
    the next one loads the index again and finds the posts."""
    page = browser.new_context().new_page()
    dropped = []

    def drop_the_first_request(route):
        if dropped:
            route.continue_()
        else:
            dropped.append(route.request.url)
            route.abort()

    page.route("**/pagefind/1/pagefind-entry.json*", drop_the_first_request)
    try:
        page.goto(site_origin + SEARCH)
        page.fill("#search-q", "recruiter")
        page.press("#search-q", "Enter")
        expect(page.locator("#search-status")).to_contain_text("not available")
        page.press("#search-q", "Enter")
        expect(page.locator("#search-status")).to_contain_text("found")
        status = page.inner_text("#search-status")
    finally:
        page.context.close()
    assert len(dropped) == 1
    assert status == "5 posts found for \u201crecruiter\u201d."


def test_search_filters_by_category_and_author(browser, site_origin):
    page = open_page(browser, site_origin + SEARCH_RESULTS, 1280)
    try:
        everything = len(page.locator("#search-results li").all())
        page.select_option("#search-category", "Job Interviews")
        expect(page.locator("#search-results li")).to_have_count(2)
        in_category = page.locator("#search-results li .search-result-meta").all_inner_texts()
        page.select_option("#search-author", "Will Thomson")
        expect(page.locator("#search-results li")).to_have_count(1)
        by_both = page.locator("#search-results li h2").all_inner_texts()
        url = page.url
    finally:
        page.context.close()
    assert everything == 5
    assert in_category and all(meta.startswith("Job Interviews") for meta in in_category)
    assert by_both == ["When a Recruiter Calls: Should You Consider a Career Change?"]
    assert url.endswith("?q=recruiter&category=Job+Interviews&author=Will+Thomson")


def test_search_results_are_text_never_markup(browser, site_origin):
    """Result titles and excerpts are built as text nodes: a page's markup never runs."""
    page = open_page(browser, site_origin + "/search/?q=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E+recruiter", 375)
    try:
        elements = page.evaluate(
            "[...document.querySelectorAll('#search-results *')].map(el => el.tagName.toLowerCase())"
        )
    finally:
        page.context.close()
    assert set(elements) <= {"li", "h2", "a", "p", "mark"}


LAYOUT_SHIFT = """
window.__shift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
}).observe({type: 'layout-shift', buffered: true});
"""


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("path", [INDEX, SEED_POST, AUTHOR, SEARCH_RESULTS])
def test_no_layout_shift(browser, site_origin, path, width):
    """Nothing moves while a page loads: images keep their box, search results fill the
    space below the status line."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    context.add_init_script(LAYOUT_SHIFT)
    page = context.new_page()
    try:
        page.goto(site_origin + path, wait_until="networkidle")
        if "?q=" in path:
            page.wait_for_selector("#search-results li a")
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # the lazy images load
        page.wait_for_load_state("networkidle")
        shift = page.evaluate("new Promise(resolve => requestAnimationFrame(() => resolve(window.__shift)))")
    finally:
        context.close()
    assert shift == 0


SHOTS = {"home": INDEX, "post": SEED_POST, "search": SEARCH_RESULTS}


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
def test_screenshots_of_the_main_pages(browser, site_origin, tmp_path, width, color_scheme):
    """PNGs of the home page, a post and the search page with results, to look at; the page
    background follows the colour scheme."""
    folder = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    backgrounds = set()
    for name, path in SHOTS.items():
        page = open_page(browser, site_origin + path, width, color_scheme)
        try:
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            page.wait_for_load_state("networkidle")
            page.evaluate("window.scrollTo(0, 0)")
            shot = folder / f"{name}-{width}-{color_scheme}.png"
            page.screenshot(path=str(shot), full_page=True)
            backgrounds.add(page.evaluate("getComputedStyle(document.body).backgroundColor"))
        finally:
            page.context.close()
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert backgrounds == {"rgb(255, 255, 255)" if color_scheme == "light" else "rgb(18, 23, 28)"}
