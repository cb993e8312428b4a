"""Preview the built site on http://127.0.0.1:8000, as a host would serve it.

    python -m tools.serve [--output output] [--bind 127.0.0.1] [--port 8000]

Pelican's own `--listen` server answers a missing URL with an empty reply; the hosts the
site is published on answer it with the site's 404 page and status 404, and so does this
one. It serves the files as they are: run `make html` (or `make devserver`) to rebuild.
"""

import argparse
import functools
import http.server
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.swap import swap_target  # noqa: E402

NOT_FOUND_PAGE = "404.html"


class SiteRequestHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder; a missing file gets the folder's 404.html with status 404."""

    def send_error(self, code, message=None, explain=None):
        """The site's 404 page for a missing file; the standard reply for anything else."""
        page = Path(self.directory) / NOT_FOUND_PAGE
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):
        """One plain line per request, without the client address."""
        path = urlsplit(self.path).path if hasattr(self, "path") else "-"
        status = args[1] if len(args) > 1 else ""
        sys.stderr.write(f"{self.command} {path} {status}\n")


class HeadersHandler(SiteRequestHandler):
    """SiteRequestHandler sending `site_headers` (a site's `_headers`: its CSP above all)
    with every response, as a host does, and logging nothing: for the browser tests,
    `make audit` and the search benchmark, which must see the site under its policy."""

    site_headers = ()

    def end_headers(self):
        """Add the site's headers before the blank line."""
        for name, value in self.site_headers:
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format, *args):
        """Quiet: the caller's output is what matters."""


def host_headers(path):
    """(name, value) pairs of the `/*` rule of a Netlify-style `_headers` file."""
    pairs = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith("  ") and ": " in line:
            name, _, value = line.strip().partition(": ")
            pairs.append((name, value))
    return pairs


def make_server(output, bind, port):
    """A threading HTTP server for `output`; port 0 picks a free one."""
    handler = functools.partial(SiteRequestHandler, directory=str(output))
    server = http.server.ThreadingHTTPServer((bind, port), handler)
    server.daemon_threads = True
    return server


def main(argv=None):
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", default=str(ROOT / "output"))
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    args = parser.parse_args(argv)
    output = swap_target(args.output)
    if not (output / "index.html").is_file():
        print(f"error: {args.output}: no built site here; run make html first", file=sys.stderr)
        return 1
    server = make_server(output, args.bind, args.port)
    host, port = server.server_address[:2]
    print(f"Serving {args.output} on http://{host}:{port}/ (Ctrl-C stops).", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("Stopped.")
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
