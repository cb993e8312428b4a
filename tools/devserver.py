"""Serve the site on http://127.0.0.1:8000, rebuild it on every save and reload the browser.

    python -m tools.devserver [--settings pelicanconf.py] [--output output]
                              [--bind 127.0.0.1] [--port 8000] [--content DIR]

Each rebuild is the project's atomic build (tools.build.build), so a content error prints
its problems and leaves the last good site on screen. Browsers learn of a rebuild through
Server-Sent Events, from a small script (tools/devserver.js) that this server serves itself
and injects only into the HTML it sends: the files in the output folder never contain it.
Saves are noticed with watchfiles, the watcher Pelican itself depends on.

A save that does not build shows its problems over the page, in an overlay the script
draws (styled by tools/devserver.css, also served here: the site's Content-Security-Policy
allows same-origin scripts and style sheets only); a later save that builds clears it.

The site stays in memory between saves (fastbuild/live.py): a save that changes only the
bodies of posts (their front matter as it was), or their tags among the site's tags, is
shown by reading those posts again and rendering only the pages and feeds that show them
(a fraction of a second for a body at any size of site, about 2 s for tags at 10,000
posts); any other save (front matter, a new or deleted file, a profile, a template, a
setting) builds the site again with the caches of `make html`, which renders only the
pages whose inputs changed. The search index is not updated by either.

Plugin code (plugins/*.py) is imported once: restart the server after changing it.
"""

import argparse
import functools
import gc
import http.server
import json
import logging
import queue
import signal
import sys
import tempfile
import threading
import time
import traceback
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import watchfiles

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from blogcore.errors import PipelineError  # noqa: E402
from blogcore.problems import ContentProblems, display_path  # noqa: E402
from blogcore.refresh import NotRefreshable  # noqa: E402
from fastbuild.live import LiveSite  # noqa: E402
from pelican.log import init as init_logging  # noqa: E402

from tools.build import BuildFailed, build, load_settings, plain_log_handler  # noqa: E402
from tools.swap import swap_target  # noqa: E402
from tools.templatecache import with_template_cache  # noqa: E402

CLIENT_SCRIPT = Path(__file__).resolve().with_name("devserver.js")
OVERLAY_STYLE = Path(__file__).resolve().with_name("devserver.css")
PREFIX = "/__devserver/"
KEEPALIVE_SECONDS = 15
# watchfiles yields a batch once nothing more has changed for this long: an editor's
# save (often a write plus a rename) becomes one rebuild, without a noticeable wait.
QUIET_MS = 50
# Nothing saved for this long: the server prepares the next refresh meanwhile.
IDLE_MS = 200


class Generations:
    """The number of the last good build; event streams wait for it to change."""

    def __init__(self):
        self._changed = threading.Condition()
        self.value = 0
        self.closed = False
        # What the last build reported ("" after a good one), and how often that changed.
        self.problems = ""
        self.revision = 0

    def report(self, problems):
        """Record a build's outcome: None for a good build (counted as one more), else the
        text of its problems; wake every waiting stream."""
        with self._changed:
            if problems is None:
                self.value += 1
            problems = problems or ""
            if problems != self.problems:
                self.problems, self.revision = problems, self.revision + 1
            self._changed.notify_all()

    def wait_problems_past(self, seen, timeout):
        """Wait up to `timeout` seconds for the problems to change after revision `seen`;
        return (revision, problems)."""
        with self._changed:
            self._changed.wait_for(lambda: self.revision != seen or self.closed, timeout)
            return self.revision, self.problems

    def close(self):
        """Release every waiting stream (the server is stopping)."""
        with self._changed:
            self.closed = True
            self._changed.notify_all()

    def wait_past(self, seen, timeout):
        """Wait up to `timeout` seconds for a build after `seen`; return the current number."""
        with self._changed:
            self._changed.wait_for(lambda: self.value != seen or self.closed, timeout)
            return self.value


def inject(html, generation):
    """`html` with the reload script before </body>, tagged with the build it came from."""
    tag = f'<script src="{PREFIX}client.js" data-generation="{generation}"></script>'
    index = html.lower().rfind("</body>")
    return html + tag if index < 0 else html[:index] + tag + html[index:]


class DevRequestHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the output folder, the reload script and the rebuild event stream."""

    def __init__(self, *args, generations, **kwargs):
        self.generations = generations
        super().__init__(*args, **kwargs)

    def end_headers(self):
        # A reload must fetch the new build, never the browser's cached copy.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format, *args):
        """Stay quiet: the terminal is for build results."""

    def do_GET(self):
        """Serve the script, the event stream, HTML with the script injected, or a file."""
        path = urlsplit(self.path).path
        if path == PREFIX + "client.js":
            return self._send(200, CLIENT_SCRIPT.read_bytes(), "text/javascript; charset=utf-8")
        if path == PREFIX + "overlay.css":
            return self._send(200, OVERLAY_STYLE.read_bytes(), "text/css; charset=utf-8")
        if path == PREFIX + "events":
            return self._stream_events()
        if path == PREFIX + "problems":
            return self._stream_problems()
        file = Path(self.translate_path(self.path))
        if file.is_dir() and path.endswith("/"):
            file = file / "index.html"
        if file.suffix == ".html" and file.is_file():
            return self._send_html(200, file)
        not_found = Path(self.directory) / "404.html"
        if not file.exists() and not_found.is_file():
            return self._send_html(404, not_found)
        return super().do_GET()

    def _send(self, status, body, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _send_html(self, status, file):
        html = inject(file.read_text(encoding="utf-8"), self.generations.value)
        self._send(status, html.encode("utf-8"), "text/html; charset=utf-8")

    def _stream_events(self):
        # The first event tells a page that was served before the latest build to reload.
        generations = self.generations

        def builds(seen, timeout):
            value = generations.wait_past(seen, timeout)
            return value, str(value)

        self._stream((generations.value, str(generations.value)), builds)

    def _stream_problems(self):
        # The last build's problems now and after every change, each as one JSON data line.
        generations = self.generations

        def problems(seen, timeout):
            revision, text = generations.wait_problems_past(seen, timeout)
            return revision, json.dumps({"problems": text})

        self._stream((generations.revision, json.dumps({"problems": generations.problems})), problems)

    def _stream(self, first, wait):
        """A text/event-stream: `first` is (key, data) now; `wait(seen, timeout)` gives
        (key, data) once the key differs from `seen`, or when `timeout` passes (then a
        keep-alive comment goes out), until the server closes."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        seen, data = first
        try:
            self.wfile.write(f"retry: 500\ndata: {data}\n\n".encode())
            self.wfile.flush()
            while not self.generations.closed:
                current, data = wait(seen, KEEPALIVE_SECONDS)
                message = f"data: {data}\n\n" if current != seen else ": keep-alive\n\n"
                seen = current
                self.wfile.write(message.encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page went away or reloaded
        self.close_connection = True


def event_stream(base, timeout):
    """A queue of the `data:` values the server at `base` pushes on its reload stream, in
    order, as a browser's EventSource receives them: for the tests and the benchmark."""
    response = urllib.request.urlopen(f"{base}/__devserver/events", timeout=timeout)
    events = queue.Queue()

    def pump():
        for raw in iter(response.readline, b""):
            line = raw.decode("utf-8").strip()
            if line.startswith("data: "):
                events.put(line.removeprefix("data: "))

    threading.Thread(target=pump, daemon=True).start()
    return events


def make_server(output, bind, port, generations):
    """A threading HTTP server for `output`; port 0 picks a free one."""
    handler = functools.partial(DevRequestHandler, directory=str(output), generations=generations)
    server = http.server.ThreadingHTTPServer((bind, port), handler)
    server.daemon_threads = True
    return server


class _ErrorLines(logging.Handler):
    """Collects the ERROR records logged during a build, for the browser's overlay."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.lines = []

    def emit(self, record):
        self.lines.append(f"error: {record.getMessage()}")


def rebuild(settings_file, output, overrides, live=None):
    """Build once with the project's build (kept in `live`, a LiveSite, when given) and
    print the outcome; return None when it succeeded, else the text of its problems (for
    the browser's overlay)."""
    started = time.perf_counter()
    logged = _ErrorLines()
    logging.getLogger().addHandler(logged)
    try:
        build(settings_file, output, overrides, live=live)
    except ContentProblems as problems:
        text = problems.report()
        print(text, file=sys.stderr, flush=True)
    except (BuildFailed, PipelineError) as error:
        text = "\n".join([*logged.lines, f"Build failed: {error}"])
        print(f"Build failed: {error}", file=sys.stderr, flush=True)
    except Exception:  # a plugin bug must not stop the server an editor is looking at
        text = traceback.format_exc()
        print(text, file=sys.stderr, end="", flush=True)
    else:
        print(f"Rebuilt in {time.perf_counter() - started:.2f} s.", flush=True)
        return None
    finally:
        logging.getLogger().removeHandler(logged)
    print("The browser keeps the last good site: fix the problem and save again.", file=sys.stderr, flush=True)
    return text


class Site:
    """The site on screen: its LiveSite and the files saved since it was made."""

    def __init__(self, settings_file, output, overrides):
        self.settings_file, self.output, self.overrides = settings_file, output, overrides
        self.live = None
        self.pending = set()  # saved since the site on screen was made or last refreshed

    def build(self):
        """Build the whole site; return None when it built, else its problems' text."""
        # The site in memory goes first: two at once would double the server's memory. A
        # failed build then leaves none, and the next save builds again.
        self.live = None
        gc.unfreeze()  # the site on screen may go now
        live = LiveSite()
        problems = rebuild(self.settings_file, self.output, self.overrides, live)
        if problems is None:
            self.live, self.pending = live, set()
            # The site stays for many saves: out of the collector's sight, or each full
            # collection walks all of it (about 1 s at 10,000 posts) in some refresh.
            gc.collect()
            gc.freeze()
        return problems

    def update(self, paths):
        """Show the saves of `paths`: refresh the site in memory when only posts' bodies
        or tags changed (LiveSite.refresh), else build; return None when it worked, else
        the problems' text."""
        self.pending |= set(paths)
        if self.live is not None:
            try:
                return self._refresh()
            except NotRefreshable as reason:
                print(f"Building the site: {reason}.", flush=True)
            except Exception:  # a plugin bug: the whole build is the safe answer
                print(traceback.format_exc(), file=sys.stderr, end="", flush=True)
                self.live = None
        return self.build()

    def _refresh(self):
        result = self.live.refresh(sorted(self.pending))
        for problem in result.warnings:
            print(f"warning: {problem}", file=sys.stderr, flush=True)
        if result.errors:
            text = ContentProblems(result.errors).report()
            print(text, file=sys.stderr, flush=True)
            print("The browser keeps the last good site: fix the problem and save again.", file=sys.stderr, flush=True)
            return text
        self.pending.clear()
        print(f"Refreshed {len(result.written)} pages in {result.seconds:.2f} s.", flush=True)
        return None

    def prepare(self):
        """Work out, between saves, what the next refresh needs (LiveSite.index)."""
        if self.live is not None and not self.live.indexed:
            self.live.index()
            gc.freeze()  # the index stays as long as the site (see build)


def watched_paths(settings, settings_file):
    """Content, theme and settings files: what an editor or designer saves."""
    candidates = [settings["PATH"], settings["THEME"], settings_file, ROOT / "pelicanconf.py"]
    return sorted({str(Path(path).resolve()) for path in candidates if Path(path).exists()})


def dev_overrides(settings_file, host, port, content, cache_folder):
    """Settings for the dev server: its own address as SITEURL, an optional content
    folder, a Jinja bytecode cache, and the caches of `make html` in `cache_folder`
    (converted Markdown, audit results, photos' renditions and drawn social cards).
    Pelican compiles every template afresh on each build, half of a small site's rebuild;
    the bytecode cache is keyed on each template's source, so an edited template is still
    recompiled, and the pages are byte-identical. With the build caches a save converts and
    checks only the posts whose bytes changed and renders only the pages whose inputs
    changed (the others are linked from the site on screen); their own keys and checks
    keep every page what a clean build writes (tests/test_incremental.py)."""
    overrides = {
        "SITEURL": f"http://{host}:{port}",
        "FASTBUILD_CACHE": True,
        "FASTBUILD_CACHE_PATH": str(Path(cache_folder) / "fastbuild"),
        "EDITORIAL_CACHE": True,
        "EDITORIAL_CACHE_PATH": str(Path(cache_folder) / "editorial"),
        "IMAGES_CACHE": True,
        "IMAGES_CACHE_PATH": str(Path(cache_folder) / "images"),
    }
    if content:
        overrides["PATH"] = str(Path(content).resolve())
    return with_template_cache(load_settings(settings_file, overrides), overrides, cache_folder)


def serve(settings_file, output, bind, port, content=None):
    """Build, serve and rebuild on every change until interrupted."""
    generations = Generations()
    server = make_server(output, bind, port, generations)
    host, port = server.server_address[:2]
    with tempfile.TemporaryDirectory(prefix="devserver-templates-") as cache_folder:
        overrides = dev_overrides(settings_file, host, port, content, cache_folder)
        paths = watched_paths(load_settings(settings_file, overrides), settings_file)
        site = Site(settings_file, output, overrides)
        # The watcher starts watching on its first step, so it takes that step before the
        # first build: a save made while the site builds, or the moment "Serving" is
        # printed, waits in the watcher instead of being missed. What that step saw (at
        # most IDLE_MS of saves) the build that follows reads anyway.
        watcher = watchfiles.watch(*paths, step=QUIET_MS, rust_timeout=IDLE_MS, yield_on_timeout=True)
        next(watcher)
        problems = site.build()
        if problems:  # the first build is build 0: only a failure has news
            generations.report(problems)
        threading.Thread(target=server.serve_forever, name="devserver", daemon=True).start()
        print(f"Serving {display_path(output)} on http://{host}:{port}/ (Ctrl-C stops).", flush=True)
        try:
            # Builds run here, in the main thread, where the build may install its signal
            # handlers. An empty batch (nothing saved for a while) is the time to prepare
            # the next refresh.
            for changes in watcher:
                if not changes:
                    site.prepare()
                    continue
                names = sorted({display_path(path) for _, path in changes})
                print(f"Changed: {', '.join(names)}", flush=True)
                generations.report(site.update(path for _, path in changes))
        except KeyboardInterrupt:
            print("Stopped.")
        finally:
            watcher.close()
            generations.close()
            server.shutdown()
            server.server_close()


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv=None):
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--settings", default=str(ROOT / "pelicanconf.py"))
    parser.add_argument("--output", default=str(ROOT / "output"))
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    parser.add_argument("--content", help="content folder to build instead of the settings' PATH")
    args = parser.parse_args(argv)
    init_logging(logging.WARNING, handler=plain_log_handler())
    # `kill` and process managers stop a server with SIGTERM: unwind as for Ctrl-C, so the
    # server closes and its temporary template cache is removed.
    signal.signal(signal.SIGTERM, _interrupt)
    serve(args.settings, swap_target(args.output), args.bind, args.port, args.content)
    return 0


if __name__ == "__main__":
    sys.exit(main())
