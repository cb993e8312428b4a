"""Search benchmark: Pagefind's index size and indexing time, and the time from a
keystroke to results in Chromium, on the synthetic corpus of `make bench`.

    python -m benchmarks.search [--posts 1000 10000] [--repeats 3] [--record]

For each size: write the corpus (benchmarks/corpus.py), build it with our pipeline for a
local origin, without the index (`build(search=False)`), then index the built site with
`tools.search_index.index_site` (a Pagefind run per bundle, then the filter files put in
order; no cache, so every bundle, as a cold build) `repeats` times into fresh copies of the
site, and report the median indexing time and the number of bundles; the index's
size (all of pagefind/, and without Pagefind's own UI files, which our page never loads:
the same since the build leaves them out) and its file count. Then Debian's Chromium opens
/search/ served locally with the site's headers and types each query with the keyboard;
the time from the last keystroke's keydown to the results list being replaced is read
in the page (performance.now(), so the browser's own clock, no test-harness delay) and
includes search.js's 150 ms debounce. "cold" is the first query on a fresh page (loads
the WebAssembly and the index chunks), "warm" the median of the next queries.
"first search downloads": the bytes fetched from pagefind/ for the first query (the bundle
list, script, worker, WebAssembly, each bundle's metadata, the index chunks and fragments
it needs), as Chromium counts
them. `--record` writes benchmarks/search-results.md.
"""

import argparse
import functools
import http.server
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "plugins"))

from benchmarks.corpus import write_corpus  # noqa: E402
from benchmarks.sites import write_settings  # noqa: E402
from tools.search_bundles import plan_bundles  # noqa: E402
from tools.search_index import BUNDLE, UI_FILES, index_site  # noqa: E402
from tools.serve import HeadersHandler as Handler  # noqa: E402
from tools.serve import host_headers  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
# Words the corpus uses (its tags and body vocabulary): every query finds posts.
QUERIES = ["recruiters", "salary negotiation", "interview preparation", "remote work", "feedback", "mentors"]
RESULTS_FILE = ROOT / "benchmarks" / "search-results.md"

# Installed before the page's scripts: the keydown time of each key, and the time the
# results list is next replaced.
TIMING = """
window.__keydown = 0; window.__results = [];
document.addEventListener('keydown', () => { window.__keydown = performance.now(); }, true);
document.addEventListener('DOMContentLoaded', () => {
  const list = document.getElementById('search-results');
  new MutationObserver(() => {
    window.__results.push(performance.now() - window.__keydown);
  }).observe(list, {childList: true});
});
"""


def folder_bytes(folder, skip=()):
    """(bytes, files) under `folder`, leaving out files whose name starts with one of `skip`."""
    sizes = [path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.name.startswith(skip)]
    return sum(sizes), len(sizes)


def build_site(corpus, output, origin):
    """Our build of the corpus for `origin`, without the search index, in a fresh process."""
    settings = write_settings(corpus)["ours"]
    with settings.open("a", encoding="utf-8") as file:
        file.write(f"SITEURL = {origin!r}\n")
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); sys.path.insert(0, sys.argv[1] + '/plugins')\n"
        "from tools.build import build\n"
        "build(sys.argv[2], sys.argv[3])\n"
    )
    subprocess.run([sys.executable, "-c", code, str(ROOT), str(settings), str(output)], check=True, cwd=corpus.root)


def time_indexing(site, repeats, scratch):
    """(median seconds, bundles) of indexing `repeats` fresh copies of `site` as
    tools.search_index.index_site does without a cache (a cold build: every bundle); leaves
    the index of the last run in `site`."""
    pages = sorted(path.relative_to(site).as_posix() for path in site.glob("*/*/*/index.html"))
    seconds = []
    for run in range(repeats):
        copy = scratch / f"copy-{run}"
        shutil.copytree(site, copy)
        started = time.perf_counter()
        index_site(copy, pages)
        seconds.append(time.perf_counter() - started)
        if run == repeats - 1:
            shutil.copytree(copy / BUNDLE, site / BUNDLE)
        shutil.rmtree(copy)
    return statistics.median(seconds), len(plan_bundles(pages))


def transferred(request):
    """Bytes of a finished request's response: headers and body."""
    sizes = request.sizes()
    return sizes["responseHeadersSize"] + sizes["responseBodySize"]


def keystroke_to_results(origin):
    """(cold ms, warm median ms) from the last keystroke of a query to its results, and
    the bytes the page fetched from pagefind/ for the first query."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 375, "height": 800})
        context.add_init_script(TIMING)
        page = context.new_page()
        fetched = []  # (url, bytes): the page's and its worker's requests, as Playwright reports them
        page.on("requestfinished", lambda request: fetched.append((request.url, request)))
        page.goto(origin + "/search/", wait_until="networkidle")
        times = []
        first_query_bytes = None
        for query in QUERIES:
            page.fill("#search-q", "")
            page.evaluate("window.__results = []")
            page.focus("#search-q")
            page.keyboard.type(query)
            page.wait_for_selector("#search-results li a")
            page.wait_for_timeout(400)  # let a late, superseded search finish too
            times.append(page.evaluate("window.__results.at(-1)"))
            if first_query_bytes is None:
                first_query_bytes = sum(transferred(request) for url, request in fetched if f"/{BUNDLE}/" in url)
        browser.close()
    return times[0], statistics.median(times[1:]), first_query_bytes


def bench(posts, repeats):
    """One size: the corpus, the build, the index and the browser timings."""
    with tempfile.TemporaryDirectory(prefix=f"search-bench-{posts}-") as folder:
        folder = Path(folder)
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Handler, directory=str(folder / "output"))
        )
        origin = f"http://127.0.0.1:{server.server_address[1]}"
        corpus = write_corpus(folder / "corpus", posts)
        build_site(corpus, folder / "output", origin)
        seconds, bundles = time_indexing(folder / "output", repeats, folder)
        total, files = folder_bytes(folder / "output" / BUNDLE)
        loadable, _ = folder_bytes(folder / "output" / BUNDLE, skip=UI_FILES)
        Handler.site_headers = tuple(host_headers(folder / "output" / "_headers"))
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            cold, warm, first_query = keystroke_to_results(origin)
        finally:
            server.shutdown()
            server.server_close()
    return {
        "posts": posts,
        "seconds": seconds,
        "bundles": bundles,
        "bytes": total,
        "loadable": loadable,
        "files": files,
        "cold": cold,
        "warm": warm,
        "first_query": first_query,
    }


def table(rows, repeats):
    """The results as a Markdown table."""
    lines = [
        f"| posts | indexing (median of {repeats}) | bundles | index size "
        "| without Pagefind's UI files | files | first search downloads | keystroke to results, cold | warm (median) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['posts']:,} | {row['seconds']:.2f} s | {row['bundles']} "
            f"| {row['bytes'] / 1e6:.1f} MB | {row['loadable'] / 1e6:.1f} MB | {row['files']:,} "
            f"| {row['first_query'] / 1e3:.0f} kB | {row['cold']:.0f} ms | {row['warm']:.0f} ms |"
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--record", action="store_true", help="write benchmarks/search-results.md")
    args = parser.parse_args(argv)
    rows = []
    for posts in args.posts:
        rows.append(bench(posts, args.repeats))
        print(table(rows[-1:], args.repeats).splitlines()[-1], flush=True)
    text = table(rows, args.repeats)
    print(text)
    if args.record:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
        RESULTS_FILE.write_text(
            "# Search benchmark\n\n`python -m benchmarks.search --record` (see its docstring), code at commit "
            f"{commit.stdout.strip()}, Pagefind 1.5.2, Debian's Chromium, on this machine (2 cores, shared).\n\n"
            + text
            + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
