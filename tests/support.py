"""Tiny helpers for tests: fixture sites written into temporary folders, built for real."""

import copy
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from bs4 import BeautifulSoup
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "plugins"))

from tools.build import build  # noqa: E402

TEST_SITEURL = "https://blog.example.test"

AUTHOR = """\
Name: Ada Writer
Role: Staff Writer

Ada writes about interviews.
"""

PARTNER = """\
Name: Acme Hiring
Url: https://acme.example/
Rel: sponsored

Acme Hiring is a fictional recruiting firm.
"""

SERIES = """\
Name: Test Series

A series used by the tests.
"""


def post(title="A Post", **fields):
    """Return the text of a post with sensible defaults; `fields` override or add header keys.

    Pass a value of None to leave a default field out. Keys use underscores (Series_index).
    """
    header = {
        "Title": title,
        "Date": "2014-03-05 09:00",
        "Category": "Job Interviews",
        "Tags": "Recruiters, Interviews",
        "Authors": "ada-writer",
    }
    header.update(fields)
    body = header.pop("body", "A paragraph of advice.\n\nAnother paragraph.")
    lines = [f"{key}: {value}" for key, value in header.items() if value is not None]
    return "\n".join(lines) + "\n\n" + body + "\n"


def minimal_files():
    """The files of a small valid site: one author, partner and series profile, one post."""
    return {
        "authors/ada-writer.md": AUTHOR,
        "partners/acme-hiring.md": PARTNER,
        "series/test-series.md": SERIES,
        "posts/a-post.md": post(),
    }


def write_site(root, files):
    """Write `files` ({relative path: text}) under root/content and return the content path."""
    content = Path(root) / "content"
    for relative, text in files.items():
        path = content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text) if text.startswith(" ") else text, encoding="utf-8")
    return content


def overrides_for(content, **overrides):
    """Settings overrides that point the real pelicanconf.py at a fixture content folder."""
    return {"PATH": str(content), "SITEURL": TEST_SITEURL, **overrides}


def iframe_hosts(*hosts):
    """Overrides allowing staff iframes from `hosts`: EDITORIAL_IFRAME_HOSTS and the
    sanitiser's list in MARKDOWN, which the editorial plugin requires to agree."""
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    markdown = copy.deepcopy(settings["MARKDOWN"])
    markdown["extension_configs"]["blogcore.markdown_guard"]["iframe_hosts"] = list(hosts)
    return {"EDITORIAL_IFRAME_HOSTS": list(hosts), "MARKDOWN": markdown}


def build_site(content, output, settings_file="pelicanconf.py", **overrides):
    """Build `content` into `output` with the project's real settings, plugins and theme."""
    return build(ROOT / settings_file, output, overrides_for(content, **overrides))


def run_build_cli(*args, cwd=ROOT):
    """Run `python -m tools.build ARGS` and return the CompletedProcess (text output)."""
    return subprocess.run(
        [sys.executable, "-m", "tools.build", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def soup(path):
    """Parse an HTML file with BeautifulSoup."""
    return BeautifulSoup(Path(path).read_text(encoding="utf-8"), "html.parser")


def html_pages(output):
    """Every HTML file under `output`, sorted."""
    return sorted(Path(output).rglob("*.html"))


# What a temporary copy of the repository leaves out: environments, outputs, caches, history.
NOT_COPIED = (".venv", "output", ".git", ".output-*", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis")


def copy_repository(destination):
    """Copy the working tree to `destination` with the project's .venv linked in; return it."""
    shutil.copytree(ROOT, destination, ignore=shutil.ignore_patterns(*NOT_COPIED), symlinks=True)
    (destination / ".venv").symlink_to(ROOT / ".venv")
    return destination


def clean_env(**extra):
    """The environment without a calling make's flags (make test runs pytest)."""
    env = {key: value for key, value in os.environ.items() if key not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    return {**env, **extra}


def run_make(repo, *args, env=None, timeout=300):
    """Run `make ARGS` in `repo`; return the CompletedProcess (text output)."""
    # STAMP= keeps make from reinstalling the shared .venv when requirements files look new.
    return subprocess.run(
        ["make", "--no-print-directory", "STAMP=", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env or clean_env(),
        check=False,
        timeout=timeout,
    )
