"""The hostile-but-accepted site in a real browser, served as GitHub Pages serves it: no
security headers at all. Nothing may run (no dialog) and nothing may take the reader away.

Every page type is opened in headless Debian Chromium twice: as built (with the CSP in its
<meta>, where the theme puts one) and with that <meta> removed, so the test does not rely on
the policy alone. After the load event a script focuses every element and dispatches focus and
mouse events on each (the autofocus, onfocus and onmouseover vectors), then the page is
inspected; no timer or frame count is waited on.
"""

import http.server
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import hostile as h
import pytest
from support import CHROMIUM, CHROMIUM_ARGS, build_site, local_server, serving, write_site

from tools.build import ContentProblems

NO_CSP = "no-csp-meta"
_CSP_META = re.compile(rb"<meta\b[^>]*http-equiv\s*=\s*[\"']?content-security-policy[\"']?[^>]*>", re.IGNORECASE)

# Recorded in every document before its own scripts run: page-initiated navigations (the
# Navigation API reports them synchronously, and cancelling one keeps the page for the checks),
# unloads and CSP violations.
RECORD = """
window.__hostile = {navigations: [], unloads: 0, csp: []};
if (window.navigation) {
  navigation.addEventListener('navigate', (event) => {
    window.__hostile.navigations.push(event.destination.url);
    if (event.cancelable && !event.hashChange) event.preventDefault();
  });
}
window.addEventListener('beforeunload', () => { window.__hostile.unloads += 1; });
document.addEventListener('securitypolicyviolation', (event) => {
  window.__hostile.csp.push(event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline'));
});
"""
# What the document is like before any event is dispatched.
OBSERVE = """() => ({
  url: location.href,
  baseURI: document.baseURI,
  refresh: [...document.querySelectorAll('meta')]
    .filter((m) => (m.getAttribute('http-equiv') || '').toLowerCase() === 'refresh')
    .map((m) => m.outerHTML),
  base: [...document.querySelectorAll('base')].map((b) => b.outerHTML),
})"""
# Focus every element and dispatch focus and mouse events on each, then report what was recorded.
EXERCISE = """() => {
  const all = [...document.querySelectorAll('*')];
  for (const element of all) {
    try { element.focus({preventScroll: true}); } catch (error) {}
    for (const type of ['focus', 'focusin', 'blur', 'focusout']) {
      element.dispatchEvent(new FocusEvent(type, {bubbles: type.startsWith('focus') && type !== 'focus'}));
    }
    for (const type of ['mouseover', 'mouseenter', 'mousemove', 'mouseout', 'pointerover']) {
      const Kind = type.startsWith('pointer') ? PointerEvent : MouseEvent;
      element.dispatchEvent(new Kind(type, {bubbles: type !== 'mouseenter', cancelable: true}));
    }
  }
  return {elements: all.length, url: location.href, recorded: window.__hostile};
}"""


class NoHeadersHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the folder as GitHub Pages does: no security headers. With ?csp=no-csp-meta an
    HTML page is served with its Content-Security-Policy <meta> removed."""

    def do_GET(self):
        """Serve the file; strip the CSP <meta> from HTML when the query asks for it."""
        parts = urlsplit(self.path)
        if parse_qs(parts.query).get("csp") == [NO_CSP]:
            path = Path(self.translate_path(parts.path))
            if path.is_dir():
                path = path / "index.html"
            if path.suffix == ".html" and path.is_file():
                data = _CSP_META.sub(b"", path.read_bytes())
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
        super().do_GET()

    def log_message(self, format, *args):
        """Drop the per-request log line."""


def browser_site_files():
    """The accepted corpora as groups of files: the text-field corpus (which must build), the
    profile bodies holding strippable markup, and the payloads whose outcome is open."""
    text = h.accepted_text_corpus().files
    stripped = {path: data for path, data in h.accepted_stripped_corpus().files.items() if path not in text}
    staff = {
        f"posts/staff-{name}.md": h.staff_post(f"staff-{name}", 1 + n, body)
        for n, (name, body) in enumerate(h.STAFF_EITHER.items())
    }
    return text, stripped, staff


def build_browser_site(root, output, origin):
    """Build every accepted payload for `origin`; return the groups left out as refused.

    The text corpus must build. The stripped-profile corpus is left out whole when the build
    refuses any of its files (its profiles are referenced by its posts); an open payload is left
    out by itself. Refusals are reported by test_hostile_corpus.py; here only what is published
    matters.
    """
    text, stripped, staff = browser_site_files()
    files = {**text, **stripped, **staff}
    left_out = []
    for _ in range(3):
        try:
            build_site(write_site(root / f"content-{len(left_out)}", files), output, SITEURL=origin)
            return left_out
        except ContentProblems as problems:
            named = {line.split(":")[0].removeprefix("content/") for line in map(str, problems.problems)}
            report = problems.report()
        if named - set(stripped) - set(staff):
            pytest.fail(f"the build refused files that must build:\n{report}", pytrace=False)
        if named & set(stripped):
            files = {path: data for path, data in files.items() if path not in stripped}
            left_out.append("stripped profile bodies")
        for path in named & set(staff):
            files.pop(path, None)
            left_out.append(path)
    pytest.fail(f"the accepted site did not build: left out {left_out}", pytrace=False)


@pytest.fixture(scope="module")
def served_site(tmp_path_factory):
    """(origin, output folder) of the hostile-but-accepted site, served with no headers."""
    root = tmp_path_factory.mktemp("no-headers")
    output = root / "output"
    output.mkdir()
    # Bind first so the port is known before the site is built with it in every URL. The
    # handler serves the output path, which the build's atomic swap replaces in place.
    server, origin = local_server(NoHeadersHandler, output)
    build_browser_site(root, output, origin)
    canary = output / "__harness__"
    canary.mkdir()
    (canary / "canary.html").write_text(CANARY, encoding="utf-8")
    with serving(server):
        yield origin, output


@pytest.fixture(scope="module")
def browser():
    """One headless Debian Chromium for the module (Playwright never downloads one)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (never `playwright install`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def same_document(url, other):
    """True when two URLs name the same document (fragments aside)."""
    return url.split("#")[0] == other.split("#")[0]


def visit(browser, origin, url):
    """Open `url`, exercise every element, and return what went wrong, one line each."""
    from playwright.sync_api import Error as PlaywrightError

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    # Nothing outside the site is reachable here; refusing it at once keeps the load event prompt.
    context.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith(origin + "/") else route.abort()
    )
    context.add_init_script(RECORD)
    page = context.new_page()
    problems, dialogs, navigated, console = [], [], [], []

    def on_dialog(dialog):
        dialogs.append(f"{dialog.type}({dialog.message!r})")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("console", lambda message: console.append(message.text))
    try:
        response = page.goto(url, wait_until="load")
        assert response is not None and response.ok, f"{url} answered {response and response.status}"
        page.on(
            "framenavigated",
            lambda frame: navigated.append(frame.url) if not same_document(frame.url, url) else None,
        )
        before = page.evaluate(OBSERVE)
        after = page.evaluate(EXERCISE)
    except PlaywrightError as error:
        problems.append(f"the page went away while it was inspected: {error.message.splitlines()[0]}")
        before, after = {}, {}
    finally:
        frames = [frame.url for frame in page.frames if frame is not page.main_frame]
        final_url = page.url
        context.close()
    problems += [f"dialog {dialog}" for dialog in dialogs]
    problems += [f"navigated to {target}" for target in navigated]
    if not same_document(final_url, url):
        problems.append(f"the page ended at {final_url}")
    if before:
        if not same_document(before["baseURI"], url):
            problems.append(f"document.baseURI is {before['baseURI']}: a <base> moved it ({before['base']})")
        problems += [f"meta refresh in the live document: {meta}" for meta in before["refresh"]]
    if after:
        recorded = after["recorded"] or {}
        problems += [
            f"the page started a navigation to {target}"
            for target in recorded.get("navigations", [])
            if not same_document(target, url)
        ]
        if recorded.get("unloads"):
            problems.append("the page began to unload")
        problems += [f"CSP violation: {violation}" for violation in recorded.get("csp", [])]
    problems += [f"frame {frame}" for frame in frames]
    problems += [
        f"console: {text}" for text in console if "Content Security Policy" in text or "Content-Security-Policy" in text
    ]
    return problems


def page_paths(output):
    """One path of each page type of the built site."""
    corpus = h.accepted_text_corpus()
    staff = next(spec for spec in corpus.posts if not spec.guest)
    guest = next(spec for spec in corpus.posts if spec.guest)
    tags = sorted(p.parent.relative_to(output).as_posix() for p in (output / "tag").glob("*/index.html"))
    hostile_tags = [tag for tag in tags if tag.startswith("tag/tag-")]
    return {
        "home": "/",
        "post": f"/{Path(staff.page).parent.as_posix()}/",
        "guest-post": f"/{Path(guest.page).parent.as_posix()}/",
        "archives": "/archives/",
        "tag": f"/{(hostile_tags or tags)[0]}/",
        "category": "/category/job-interviews/",
        "author": f"/author/{corpus.author['id']}/",
        "partner": f"/partner/{corpus.partner['id']}/",
        "series": f"/series/{corpus.series['id']}/",
        "not-found": "/404.html",
        "syndication": "/syndication/",
    }


PAGE_TYPES = [
    *("home", "post", "guest-post", "archives", "tag", "category", "author", "partner", "series"),
    *("not-found", "syndication"),
]


@pytest.mark.parametrize("csp", ["as-built", NO_CSP])
@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_no_dialog_and_no_navigation_on_any_page_type(browser, served_site, page_type, csp):
    """Served without headers, every page type opens, is focused and hovered element by element,
    and shows no dialog, goes nowhere, gets no <base> or refresh, and violates no CSP."""
    origin, output = served_site
    path = page_paths(output)[page_type]
    url = origin + path + (f"?csp={NO_CSP}" if csp == NO_CSP else "")
    problems = visit(browser, origin, url)
    assert not problems, f"{page_type} {path} ({csp}):\n" + "\n".join(problems)


def test_the_posts_with_open_payloads_that_were_published_are_safe_too(browser, served_site):
    """Staff posts whose markup the build let through (handlers, meta, base, style, forms ...)
    are as quiet as the rest, with the CSP <meta> removed."""
    origin, output = served_site
    published = [
        f"/2014/03/staff-{name}/"
        for name in h.STAFF_EITHER
        if (output / "2014" / "03" / f"staff-{name}" / "index.html").is_file()
    ]
    problems = []
    for path in published:
        problems += [f"{path}: {problem}" for problem in visit(browser, origin, f"{origin}{path}?csp={NO_CSP}")]
    assert not problems, "\n".join(problems)


# A page that does what the hostile corpus tries, to prove the harness sees it.
CANARY = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>canary</title>
<meta http-equiv="refresh" content="30;url=/__harness__/away.html"></head>
<body>
<base href="https://evil.example/">
<img src="/__harness__/missing.png" alt="" onerror="alert('onerror')">
<p onmouseover="alert('mouseover')">hover</p>
<input aria-label="x" onfocus="alert('focus')">
<a href="/elsewhere/" onmouseout="location.href='/__harness__/away.html'">away</a>
</body></html>
"""


def test_the_harness_sees_dialogs_navigation_base_and_refresh(browser, served_site):
    """The checks can fail: a page with an onerror, an onmouseover, an onfocus, a script
    navigation, a <base> and a meta refresh is reported for each."""
    origin, _ = served_site
    problems = "\n".join(visit(browser, origin, f"{origin}/__harness__/canary.html"))
    for expected in (
        "dialog alert('onerror')",
        "dialog alert('mouseover')",
        "dialog alert('focus')",
        "/__harness__/away.html",
        "document.baseURI is https://evil.example/",
        "meta refresh in the live document",
    ):
        assert expected in problems, f"the harness missed {expected!r}:\n{problems}"
