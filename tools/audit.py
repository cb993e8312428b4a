"""`make audit`: Lighthouse's four scores, mobile and desktop, for the main page types.

    python -m tools.audit --lighthouse .audit/node_modules/.bin/lighthouse [--folder .audit]

Builds the site with its search index for the origin it is served from (every URL the
theme writes is absolute, so a site built for another origin would load its stylesheet
across origins, which the CSP blocks), serves it with tools/serve.py's server and the
site's own `_headers` (the CSP and the rest, as Netlify or Cloudflare send them), and
runs Lighthouse with Debian's Chromium (CHROME_PATH, headless, no sandbox) on the home
page, a post, an author page and the search page, empty and with results. Prints one line per page and form
factor with the four scores and every audit that cost points; exits 1 when any score is
below 100, 2 when Lighthouse could not run.
"""

import argparse
import functools
import http.server
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "plugins"))

from tools.build import build  # noqa: E402
from tools.serve import HeadersHandler, host_headers  # noqa: E402

PAGES = {
    "home": "/",
    "post": "/2014/02/when-a-recruiter-calls/",
    "author": "/author/will-thomson/",
    "search": "/search/",
    # The search page with results: Pagefind's worker, WebAssembly and index at work.
    "results": "/search/?q=recruiter",
}
FORM_FACTORS = {"mobile": [], "desktop": ["--preset=desktop"]}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")


def lighthouse(binary, url, flags, report):
    """Run Lighthouse on `url`; return its JSON report (written to `report`)."""
    command = [
        str(binary),
        url,
        *flags,
        "--output=json",
        f"--output-path={report}",
        "--quiet",
        "--chrome-flags=--headless --no-sandbox --disable-gpu",
    ]
    result = subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROME}, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"Lighthouse failed on {url} (exit {result.returncode}):\n{result.stderr.strip()}")
    return json.loads(Path(report).read_text(encoding="utf-8"))


def lost_points(report):
    """Ids of the audits that cost points in any category (weight > 0, score < 1)."""
    lost = []
    for category in report["categories"].values():
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight") and audit.get("score") is not None and audit["score"] < 1:
                lost.append(f"{ref['id']} ({audit['score']:.2f})")
    return lost


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lighthouse", required=True, help="the lighthouse command (npm-installed)")
    parser.add_argument("--folder", default=str(ROOT / ".audit"), help="where the site and reports go")
    args = parser.parse_args(argv)
    folder = Path(args.folder).resolve()
    if not Path(CHROME).is_file():
        print(f"error: {CHROME} is missing: apt-get install chromium (or set CHROME_PATH)", file=sys.stderr)
        return 2
    handler = functools.partial(HeadersHandler, directory=str(folder / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    build(ROOT / "pelicanconf.py", folder / "site", {"SITEURL": origin}, search=True)
    HeadersHandler.site_headers = tuple(host_headers(folder / "site" / "_headers"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    below = 0
    try:
        print(f"Lighthouse {lighthouse_version(args.lighthouse)}, Chromium {CHROME}, site served at {origin}")
        print(f"{'page':8} {'form':8} " + " ".join(f"{name:>15}" for name in CATEGORIES) + "    CLS")
        for page, path in PAGES.items():
            for form, flags in FORM_FACTORS.items():
                report = lighthouse(args.lighthouse, origin + path, flags, folder / f"{page}-{form}.json")
                scores = [round(report["categories"][name]["score"] * 100) for name in CATEGORIES]
                below += sum(score < 100 for score in scores)
                lost = lost_points(report)
                shift = report["audits"]["cumulative-layout-shift"]["numericValue"]
                line = f"{page:8} {form:8} " + " ".join(f"{score:>15}" for score in scores)
                print(f"{line} {shift:>6.3f}", flush=True)
                if lost:
                    print(f"{'':17} lost points: {', '.join(lost)}", flush=True)
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    finally:
        server.shutdown()
        server.server_close()
    print(f"Reports: {folder}/*.json. " + ("Every score is 100." if not below else f"{below} scores below 100."))
    return 1 if below else 0


def lighthouse_version(binary):
    """The version the lighthouse command reports."""
    return subprocess.run([str(binary), "--version"], capture_output=True, text=True).stdout.strip()


if __name__ == "__main__":
    sys.exit(main())
