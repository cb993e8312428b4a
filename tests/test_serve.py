"""`make serve` (python -m tools.serve): the built site, with its 404 page for a missing URL."""

import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from support import ROOT, build_site, minimal_files, write_site


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """(base URL, output folder) of tools.serve serving a freshly built fixture site."""
    root = tmp_path_factory.mktemp("serve")
    output = root / "output"
    build_site(write_site(root, minimal_files()), output)
    process = subprocess.Popen(
        [sys.executable, "-m", "tools.serve", "--output", str(output), "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert " on http://127.0.0.1:" in line, line
        yield line.split(" on ")[1].split("/ ")[0], output
    finally:
        process.terminate()
        process.wait(timeout=10)


def fetch(url, method="GET"):
    """(status, content type, body bytes) of a request."""
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def test_a_missing_url_gets_the_sites_404_page(site):
    base, output = site
    status, content_type, body = fetch(f"{base}/2014/03/no-such-post/")
    assert status == 404
    assert content_type == "text/html; charset=utf-8"
    assert body == (output / "404.html").read_bytes()


def test_a_head_request_for_a_missing_url_is_404_without_a_body(site):
    base, _ = site
    status, _, body = fetch(f"{base}/missing.css", method="HEAD")
    assert (status, body) == (404, b"")


def test_a_post_is_served_as_built(site):
    base, output = site
    status, _, body = fetch(f"{base}/2014/03/a-post/")
    assert status == 200
    assert body == (output / "2014/03/a-post/index.html").read_bytes()


def test_a_folder_without_a_built_site_is_refused(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "tools.serve", "--output", str(tmp_path / "nothing"), "--port", "0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr == f"error: {tmp_path / 'nothing'}: no built site here; run make html first\n"


def test_make_serve_runs_this_server():
    recipe = (ROOT / "Makefile").read_text(encoding="utf-8").split("\nserve:")[1].split("\n\n")[0]
    assert "-m tools.serve --output $(OUTPUT) --bind 127.0.0.1 --port 8000" in recipe
