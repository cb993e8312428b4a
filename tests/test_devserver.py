"""`make devserver`: serves the site, rebuilds on save and tells the browser to reload.

The dev server runs as `make devserver` runs it (python -m tools.devserver), on a free
port, over a small fixture site. The 2-second promise is measured with Chromium on the
real content (docs/deploying.md); here a loose bound keeps a busy machine from flaking.
"""

import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from support import CHROMIUM, CHROMIUM_ARGS, ROOT, minimal_files, post, write_site

from tools.build import build
from tools.devserver import dev_overrides, event_stream

SCRIPT_TAG = '<script src="/__devserver/client.js"'
# How long to wait for an event before calling the server hung. Not a speed requirement:
# the time from save to reload is measured by the benchmark, never asserted by a test.
HANG_SECONDS = 120


def lines_of(stream):
    """A queue filled with the lines of `stream` by a daemon thread."""
    lines = queue.Queue()

    def pump():
        for line in iter(stream.readline, b""):
            lines.put(line.decode("utf-8", "replace"))

    threading.Thread(target=pump, daemon=True).start()
    return lines


def next_match(lines, pattern, timeout):
    """The first line from `lines` matching `pattern` within `timeout` seconds, else None."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=deadline - time.monotonic())
        except queue.Empty:
            return None
        match = re.search(pattern, line)
        if match:
            return match
    return None


@pytest.fixture
def devserver(tmp_path):
    """(base URL, content folder, output folder, stderr lines) of a running dev server."""
    content = write_site(tmp_path, minimal_files())
    output = tmp_path / "output"
    temporary = tmp_path / "tmp"  # the server's own temporary folders go here
    temporary.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "tools.devserver", "--content", str(content), "--output", str(output), "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "TMPDIR": str(temporary)},
    )
    stdout, stderr = lines_of(process.stdout), lines_of(process.stderr)
    try:
        serving = next_match(stdout, r"on (http://127\.0\.0\.1:\d+)/", timeout=HANG_SECONDS)
        assert serving, "the dev server did not start"
        yield serving[1], content, output, stderr
    finally:
        process.terminate()
        process.wait(timeout=10)
    # Stopped with SIGTERM, as a process manager stops it, the server leaves nothing behind.
    assert list(temporary.iterdir()) == []


def fetch(url):
    """(status, body) of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def test_served_pages_carry_the_reload_script_and_built_files_do_not(devserver):
    base, _, output, _ = devserver
    status, html = fetch(f"{base}/2014/03/a-post/")
    assert status == 200
    assert f'{SCRIPT_TAG} data-generation="0"></script></body>' in html
    assert "__devserver" not in (output / "2014/03/a-post/index.html").read_text(encoding="utf-8")


def test_reload_script_is_served_locally(devserver):
    base, *_ = devserver
    status, script = fetch(f"{base}/__devserver/client.js")
    assert status == 200
    assert 'new EventSource("/__devserver/events")' in script
    assert "http" not in script  # nothing fetched from elsewhere


def test_unknown_path_gets_the_sites_404_page(devserver):
    base, *_ = devserver
    status, html = fetch(f"{base}/no/such/page/")
    assert status == 404
    assert SCRIPT_TAG in html


def test_saving_a_post_rebuilds_and_signals_a_reload(devserver):
    base, content, _, _ = devserver
    events = event_stream(base, HANG_SECONDS)
    assert events.get(timeout=HANG_SECONDS) == "0"
    (content / "posts/a-post.md").write_text(post(body="Freshly saved advice."), encoding="utf-8")
    assert events.get(timeout=HANG_SECONDS) == "1"
    _, html = fetch(f"{base}/2014/03/a-post/")
    assert "Freshly saved advice." in html and 'data-generation="1"' in html


def test_a_save_renders_only_the_pages_that_show_what_changed(tmp_path):
    # Four posts sharing no tag, category or author with the last: a save of its body
    # leaves the first post's page (which shows neither it nor a feed holding it) as it
    # was, linked from the site on screen; the saved post's page shows the edit.
    files = minimal_files()
    files["authors/ben-writer.md"] = "Name: Ben Writer\nRole: Staff Writer\n\nBen writes about offers.\n"
    topics = [("Job Offers", "Salary"), ("Career Moves", "Feedback"), ("Resumes", "Portfolio")]
    for number, (category, tag) in enumerate(topics, start=1):
        files[f"posts/old-{number}.md"] = post(
            f"Old post {number}", Date=f"2013-0{number}-01 09:00", Category=category, Tags=tag, Authors="ben-writer"
        )
    content = write_site(tmp_path, files)
    output = tmp_path / "output"
    process = subprocess.Popen(
        [sys.executable, "-m", "tools.devserver", "--content", str(content), "--output", str(output), "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        serving = next_match(lines_of(process.stdout), r"on (http://127\.0\.0\.1:\d+)/", timeout=HANG_SECONDS)
        assert serving, "the dev server did not start"
        events = event_stream(serving[1], HANG_SECONDS)
        assert events.get(timeout=HANG_SECONDS) == "0"
        # The server watches from just after it says it serves: on a busy machine a save
        # at once can come first, and is then saved again.
        time.sleep(1)
        (content / "posts/a-post.md").write_text(post(body="Saved with a new paragraph."), encoding="utf-8")
        try:
            generation = events.get(timeout=20)
        except queue.Empty:
            (content / "posts/a-post.md").write_text(post(body="Saved with a new paragraph. "), encoding="utf-8")
            generation = events.get(timeout=HANG_SECONDS)
        assert generation == "1"
        untouched = output / "2013/01/old-post-1/index.html"
        assert os.stat(untouched).st_nlink == 2  # one file in the site on screen and the new one
        assert os.stat(output / "2014/03/a-post/index.html").st_nlink == 1
        assert "Saved with a new paragraph." in (output / "2014/03/a-post/index.html").read_text(encoding="utf-8")
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_broken_save_keeps_the_last_good_site_and_sends_no_reload(devserver):
    base, content, _, stderr = devserver
    events = event_stream(base, HANG_SECONDS)
    assert events.get(timeout=HANG_SECONDS) == "0"
    (content / "posts/a-post.md").write_text(post(Authors="nobody-known"), encoding="utf-8")
    assert next_match(stderr, r"unknown author 'nobody-known'", timeout=HANG_SECONDS)
    with pytest.raises(queue.Empty):
        events.get(timeout=1)
    status, html = fetch(f"{base}/2014/03/a-post/")
    assert status == 200 and "A paragraph of advice." in html
    (content / "posts/a-post.md").write_text(post(body="Fixed."), encoding="utf-8")
    assert events.get(timeout=HANG_SECONDS) == "1"


def test_template_cache_leaves_the_pages_byte_identical(tmp_path):
    content = write_site(tmp_path, minimal_files())
    settings = ROOT / "pelicanconf.py"
    overrides = dev_overrides(settings, "127.0.0.1", 8000, content, tmp_path / "cache")
    assert (tmp_path / "cache").is_dir()  # made by dev_overrides for the compiled templates
    plain = {key: value for key, value in overrides.items() if key != "JINJA_ENVIRONMENT"}
    for name, settings_overrides in (("plain", plain), ("first", overrides), ("cached", overrides)):
        build(settings, tmp_path / name, settings_overrides)
    assert any((tmp_path / "cache").iterdir()), "no template was cached"
    for name in ("first", "cached"):
        assert tree(tmp_path / "plain") == tree(tmp_path / name)


def tree(folder):
    """{relative path: bytes} of every file under `folder`."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def problem_stream(base):
    """A queue of the problem texts the server pushes ("" when the last build was good)."""
    response = urllib.request.urlopen(f"{base}/__devserver/problems", timeout=HANG_SECONDS)
    reports = queue.Queue()

    def pump():
        for raw in iter(response.readline, b""):
            line = raw.decode("utf-8").strip()
            if line.startswith("data: "):
                reports.put(json.loads(line.removeprefix("data: "))["problems"])

    threading.Thread(target=pump, daemon=True).start()
    return reports


UNKNOWN_AUTHOR = (
    "content/posts/a-post.md:5: Authors: unknown author 'nobody-known'; "
    "add content/authors/<id>.md or use a known id (ada-writer)"
)


def test_a_broken_save_pushes_its_problems_and_a_good_one_clears_them(devserver):
    base, content, _, _ = devserver
    reports = problem_stream(base)
    assert reports.get(timeout=HANG_SECONDS) == ""
    (content / "posts/a-post.md").write_text(post(Authors="nobody-known"), encoding="utf-8")
    problems = reports.get(timeout=HANG_SECONDS)
    assert problems.splitlines()[0] == UNKNOWN_AUTHOR
    (content / "posts/a-post.md").write_text(post(body="Fixed."), encoding="utf-8")
    assert reports.get(timeout=HANG_SECONDS) == ""


def test_the_overlay_style_sheet_is_served_locally(devserver):
    base, *_ = devserver
    status, css = fetch(f"{base}/__devserver/overlay.css")
    assert status == 200
    assert ".devserver-overlay {" in css and "http" not in css


def site_policy(output):
    """The Content-Security-Policy the site's _headers file gives every page."""
    for line in (output / "_headers").read_text(encoding="utf-8").splitlines():
        name, _, value = line.strip().partition(": ")
        if name == "Content-Security-Policy":
            return value
    raise AssertionError("no Content-Security-Policy in _headers")


@pytest.fixture
def browser_page(devserver):
    """(page, content folder, CSP violations) of Chromium on the dev server's post page,
    every response carrying the site's Content-Security-Policy, as the hosts send it."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed")
    base, content, output, _ = devserver
    policy = site_policy(output)
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            violations = []
            page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message))

            def with_policy(route):
                if route.request.url.endswith(("/events", "/problems")):
                    return route.continue_()  # event streams never end: leave them unrouted
                response = route.fetch()
                route.fulfill(response=response, headers={**response.headers, "content-security-policy": policy})

            page.route("**/*", with_policy)
            page.goto(f"{base}/2014/03/a-post/")
            yield page, content, violations
        finally:
            browser.close()


def test_a_broken_save_shows_its_problems_over_the_page_until_a_save_builds(browser_page):
    page, content, violations = browser_page
    overlay = page.locator("#devserver-overlay")
    assert overlay.count() == 0
    (content / "posts/a-post.md").write_text(post(Authors="nobody-known"), encoding="utf-8")
    overlay.wait_for(state="visible", timeout=HANG_SECONDS * 1000)
    assert page.locator(".devserver-overlay__title").inner_text() == "The last save did not build"
    lines = page.locator(".devserver-overlay__problems").inner_text().splitlines()
    assert lines[0] == UNKNOWN_AUTHOR
    # The style sheet loaded under the policy: the overlay covers the page.
    assert overlay.evaluate("node => getComputedStyle(node).position") == "fixed"
    assert page.locator("main").inner_text().count("A paragraph of advice.") == 1  # the last good page
    (content / "posts/a-post.md").write_text(post(body="Fixed and saved."), encoding="utf-8")
    # The good save reloads the page (a string waited on would be eval, which the policy forbids).
    page.get_by_text("Fixed and saved.").wait_for(timeout=HANG_SECONDS * 1000)
    assert page.locator("#devserver-overlay").count() == 0
    assert violations == []


def test_the_overlay_can_be_dismissed_and_returns_for_new_problems(browser_page):
    page, content, violations = browser_page
    (content / "posts/a-post.md").write_text(post(Authors="nobody-known"), encoding="utf-8")
    page.locator("#devserver-overlay").wait_for(state="visible", timeout=HANG_SECONDS * 1000)
    page.get_by_role("button", name="Dismiss").click()
    assert page.locator("#devserver-overlay").count() == 0
    (content / "posts/a-post.md").write_text(post(Category="No Such Category"), encoding="utf-8")
    page.locator("#devserver-overlay").wait_for(state="visible", timeout=HANG_SECONDS * 1000)
    assert "Category: unknown category 'No Such Category'" in page.locator(".devserver-overlay__problems").inner_text()
    page.keyboard.press("Escape")
    assert page.locator("#devserver-overlay").count() == 0
    assert violations == []


def test_a_page_opened_while_the_site_is_broken_shows_the_overlay(browser_page):
    page, content, _ = browser_page
    (content / "posts/a-post.md").write_text(post(Authors="nobody-known"), encoding="utf-8")
    page.locator("#devserver-overlay").wait_for(state="visible", timeout=HANG_SECONDS * 1000)
    page.reload()
    page.locator("#devserver-overlay").wait_for(state="visible", timeout=HANG_SECONDS * 1000)
    assert page.locator(".devserver-overlay__problems").inner_text().splitlines()[0] == UNKNOWN_AUTHOR
