"""`make devserver`: serves the site, rebuilds on save and tells the browser to reload.

The dev server runs as `make devserver` runs it (python -m tools.devserver), on a free
port, over a small fixture site. The 2-second promise is measured with Chromium on the
real content (docs/deploying.md); here a loose bound keeps a busy machine from flaking.
"""

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
from support import ROOT, minimal_files, post, write_site

from tools.build import build
from tools.devserver import dev_overrides

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


def event_stream(base):
    """A queue of the `data:` values the server pushes, in order."""
    response = urllib.request.urlopen(f"{base}/__devserver/events", timeout=HANG_SECONDS)
    events = queue.Queue()

    def pump():
        for raw in iter(response.readline, b""):
            line = raw.decode("utf-8").strip()
            if line.startswith("data: "):
                events.put(line.removeprefix("data: "))

    threading.Thread(target=pump, daemon=True).start()
    return events


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
    events = event_stream(base)
    assert events.get(timeout=HANG_SECONDS) == "0"
    (content / "posts/a-post.md").write_text(post(body="Freshly saved advice."), encoding="utf-8")
    assert events.get(timeout=HANG_SECONDS) == "1"
    _, html = fetch(f"{base}/2014/03/a-post/")
    assert "Freshly saved advice." in html and 'data-generation="1"' in html


def test_a_broken_save_keeps_the_last_good_site_and_sends_no_reload(devserver):
    base, content, _, stderr = devserver
    events = event_stream(base)
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
