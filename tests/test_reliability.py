"""Nothing lost, nothing broken: reproducible builds, atomic swaps under interrupts, no broken links."""

import filecmp
import re
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest
from bs4 import BeautifulSoup
from killable import KILLABLE, PAUSED
from lxml import etree
from support import ROOT, TEST_SITEURL, build_site, minimal_files, soup, write_site

from tools.build import BuildFailed


def tree_differences(left, right):
    """Relative paths that differ between two folders (missing on either side, or other bytes)."""
    comparison = filecmp.dircmp(left, right)
    found = [*comparison.left_only, *comparison.right_only, *comparison.diff_files, *comparison.funny_files]
    for name, sub in comparison.subdirs.items():
        found += [f"{name}/{item}" for item in tree_differences(sub.left, sub.right)]
    return found


def test_two_builds_of_the_same_content_are_byte_identical(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    build_site(ROOT / "content", first)
    build_site(ROOT / "content", second)
    # filecmp's shallow mode trusts equal stat signatures; compare bytes instead.
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert [f for f in files if (first / f).read_bytes() != (second / f).read_bytes()] == []
    assert (first / "sitemap.xml").is_file()


def small_site(tmp_path):
    """A settings file over a small fixture site whose pages are rendered in two workers."""
    content = write_site(tmp_path, minimal_files())
    settings = tmp_path / "settings.py"
    settings.write_text(
        f"from pelicanconf import *\nPATH = {str(content)!r}\nFASTBUILD_WORKERS = 2\nFASTBUILD_MIN_BATCH = 1\n"
    )
    return settings


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_build_leaves_the_previous_output_intact(tmp_path, signum):
    settings = small_site(tmp_path)
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("the last good site", encoding="utf-8")
    # The build stops when it starts rendering pages (its workers render theirs) and
    # says so: the signal arrives at that point, however fast or loaded the machine.
    arguments = ["--settings", str(settings), "--output", str(output)]
    process = subprocess.Popen(
        [sys.executable, str(KILLABLE), "build-killed-at", "pause-rendering", "--", *arguments],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    for line in process.stdout:
        if line.strip() == PAUSED:
            break
    assert process.poll() is None, "the build ended before it could be interrupted"
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)

    assert process.returncode != 0
    assert "previous output is unchanged" in stderr
    assert "Traceback" not in stderr
    assert [p.name for p in output.iterdir()] == ["index.html"]
    assert (output / "index.html").read_text(encoding="utf-8") == "the last good site"
    assert not list(tmp_path.glob(".output-*"))


def test_a_write_error_leaves_the_previous_output_intact(tmp_path):
    files = minimal_files()
    content = write_site(tmp_path, files)
    output = tmp_path / "output"
    build_site(content, output)
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    # A limit on the size of the files this process may write (as a full disk would) makes
    # writing the first page that passes it fail mid-build. (Paths that clash, which used
    # to, are refused before anything is written: tests/test_output_paths.py.)
    import resource

    limits = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, limits[1]))
    try:
        with pytest.raises(BuildFailed, match="cannot write the site"):
            build_site(content, output)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limits)
        signal.signal(signal.SIGXFSZ, previous)
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before


# --- links -------------------------------------------------------------------------------

_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")


def links_in_html(path):
    document = soup(path)
    for tag in document.find_all(href=True):
        yield tag["href"]
    for tag in document.find_all(src=True):
        yield tag["src"]
    for tag in document.find_all(srcset=True):
        for candidate in tag["srcset"].split(","):
            yield candidate.strip().split(" ")[0]


def links_in_feed(path):
    tree = etree.parse(str(path))
    yield from tree.xpath("//link/text() | //guid[@isPermaLink='true']/text() | //@href | //@url")
    for html in tree.xpath("//*[local-name()='encoded' or local-name()='description']/text()"):
        fragment = BeautifulSoup(html, "html.parser")
        for tag in fragment.find_all(href=True):
            yield tag["href"]
        for tag in fragment.find_all(src=True):
            yield tag["src"]


def target_file(output, url, base):
    """The output file a site URL points at, or None when it leaves the site."""
    if url.startswith(("mailto:", "tel:", "data:")):
        return None
    if url.startswith("#"):
        return base
    if url.startswith(TEST_SITEURL):
        path = url[len(TEST_SITEURL) :]
    elif urlsplit(url).scheme or url.startswith("//"):
        return None
    else:
        path = (Path("/") / base.parent.relative_to(output) / url).as_posix()
    path = unquote(urlsplit(path).path).lstrip("/")
    target = output / path
    return target / "index.html" if path == "" or path.endswith("/") or target.is_dir() else target


def test_no_broken_internal_link_or_fragment_anywhere(real_site):
    sources = [
        *[(p, links_in_html(p)) for p in real_site.rglob("*.html")],
        *[(p, (m.group(1) for m in _CSS_URL.finditer(p.read_text()))) for p in real_site.rglob("*.css")],
        *[(p, links_in_feed(p)) for p in real_site.rglob("*.xml") if p.name != "sitemap.xml"],
    ]
    broken = []
    ids = {}
    checked = 0
    for source, links in sources:
        for link in links:
            url, fragment = urldefrag(link)
            target = target_file(real_site, url or "#", source)
            if target is None:
                continue
            checked += 1
            if not target.is_file():
                broken.append(f"{source.relative_to(real_site)} -> {link}")
            elif fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = {tag["id"] for tag in soup(target).find_all(id=True)}
                if fragment not in ids[target]:
                    broken.append(f"{source.relative_to(real_site)} -> {link} (no such fragment)")
    assert checked > 500
    assert broken == []
