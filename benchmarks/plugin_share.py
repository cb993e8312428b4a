"""What share of a build our plugins take: the editorial plugin and the feeds.

    .venv/bin/python -m benchmarks.plugin_share [--posts 1000] [--runs 3] [--workers N]

Writes the benchmark corpus (benchmarks/corpus.py: ~1,000-word posts with authors,
partners, series, images) into a temporary folder and builds it with the project's real
settings `--runs` times, alternating a build with every plugin and one without the
syndication plugin. The time inside each plugin's entry points is summed per build.
Reports medians of wall-clock and CPU seconds (CPU: the build process plus its worker
processes) and each plugin's share, as time inside / whole build; for the feeds also as
the difference between builds with and without them. The editorial plugin cannot be left
out (the theme displays what it attaches), so it has only the inside figure. `--workers 1`
keeps everything in one process, where the inside figures are exact. Writes nothing into
the repository.
"""

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "plugins"))

import editorial  # noqa: E402
import syndication  # noqa: E402
from editorial.pages import EditorialPagesGenerator  # noqa: E402
from syndication.feeds import FeedsGenerator  # noqa: E402

from benchmarks.corpus import CATEGORIES, write_corpus  # noqa: E402
from tools.build import build, load_settings  # noqa: E402


def clocks():
    """(wall seconds, CPU seconds of this process and of its finished worker processes)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter(), time.process_time() + children.ru_utime + children.ru_stime


class PluginClock:
    """Wall and CPU time spent inside wrapped entry points of one plugin."""

    def __init__(self):
        self.wall = self.cpu = 0.0

    def wrap(self, function):
        """Return `function` timed into this clock."""

        def timed(*args, **kwargs):
            started = clocks()
            try:
                return function(*args, **kwargs)
            finally:
                now = clocks()
                self.wall += now[0] - started[0]
                self.cpu += now[1] - started[1]

        return timed


def instrument():
    """Wrap each plugin's entry points before Pelican connects them; return the clocks.

    Receivers are looked up on the package when `register()` runs (each build), and
    Pelican calls generate_output on the class, so wrapping the attributes is enough.
    """
    editorial_clock, feeds_clock = PluginClock(), PluginClock()
    for name in ("audit_content", "normalise_post", "attach_display_values"):
        setattr(editorial, name, editorial_clock.wrap(getattr(editorial, name)))
    EditorialPagesGenerator.generate_output = editorial_clock.wrap(EditorialPagesGenerator.generate_output)
    syndication.plan_feeds = feeds_clock.wrap(syndication.plan_feeds)
    FeedsGenerator.generate_output = feeds_clock.wrap(FeedsGenerator.generate_output)
    return {"editorial": editorial_clock, "feeds": feeds_clock}


def timed_build(content, output, plugins, workers):
    """(wall, CPU) seconds of one build of `content` with `plugins`."""
    overrides = {
        "PATH": str(content),
        "SITEURL": "https://bench.example",
        "PLUGINS": plugins,
        "EDITORIAL_CATEGORIES": list(CATEGORIES),
        "REDIRECTS_RECORD": "",
    }
    if workers:
        overrides.update(FASTBUILD_WORKERS=workers, SYNDICATION_WORKERS=workers)
    started = clocks()
    build(ROOT / "pelicanconf.py", output, overrides)
    now = clocks()
    return now[0] - started[0], now[1] - started[1]


def main(argv=None):
    """Command-line entry point: print the shares."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: one per CPU)")
    args = parser.parse_args(argv)
    every_plugin = list(load_settings(ROOT / "pelicanconf.py")["PLUGINS"])
    without_feeds = [plugin for plugin in every_plugin if plugin != "syndication"]
    clocks_by_plugin = instrument()
    runs = {"with": [], "without": [], "editorial": [], "feeds": []}
    with tempfile.TemporaryDirectory() as folder:
        content = write_corpus(folder, args.posts).content
        for run in range(args.runs):
            # Alternate the two builds so that drift (caches, CPU clock) hits both alike.
            runs["without"].append(timed_build(content, Path(folder) / f"without-{run}", without_feeds, args.workers))
            for clock in clocks_by_plugin.values():
                clock.wall = clock.cpu = 0.0
            runs["with"].append(timed_build(content, Path(folder) / f"with-{run}", every_plugin, args.workers))
            for name, clock in clocks_by_plugin.items():
                runs[name].append((clock.wall, clock.cpu))
    wall = {name: statistics.median(value[0] for value in values) for name, values in runs.items()}
    cpu = {name: statistics.median(value[1] for value in values) for name, values in runs.items()}
    print(f"{args.posts} posts; medians of {args.runs} builds each; workers: {args.workers or 'one per CPU'}")
    print(f"  {'':40} {'wall':>8} {'CPU':>8}")
    rows = [
        ("with", "whole build"),
        ("without", "whole build without feeds"),
        ("editorial", "inside the editorial plugin"),
        ("feeds", "inside the syndication plugin"),
    ]
    for name, label in rows:
        print(f"  {label:40} {wall[name]:7.2f}s {cpu[name]:7.2f}s")
    for name in ("editorial", "feeds"):
        label = f"{name} share: inside / whole build"
        print(f"  {label:40} {wall[name] / wall['with']:8.1%} {cpu[name] / cpu['with']:8.1%}")
    difference = "feeds share: (with - without) / with"
    print(
        f"  {difference:40} {(wall['with'] - wall['without']) / wall['with']:8.1%} "
        f"{(cpu['with'] - cpu['without']) / cpu['with']:8.1%}"
    )


if __name__ == "__main__":
    main()
