"""Benchmark our build against vanilla Pelican 4.12 and Hugo on the same synthetic posts.

    python -m benchmarks.run [--posts 1000] [--repeats 3] [--no-record] [--keep]

(`make bench N=1000 R=3`.) Writes a deterministic corpus (benchmarks/corpus.py) into a
temporary folder, checks it passes our audit, writes the same posts as a Hugo site
(benchmarks/hugo.py), then for each repeat builds it with our pipeline (`python -m
tools.build`, as `make html` does), with vanilla Pelican (its own command line, no
plugins, default theme) and with Hugo (its own command line, minimal templates), rotating
which goes first. Each build runs in a fresh process. Measured for each side:

- cold: a full build with no cache and no previous output;
- one post edited: one post changed, then rebuilt with the cache the cold build left
  (vanilla: a build with CACHE_CONTENT and LOAD_CONTENT_CACHE on primes its cache first,
  untimed, so its cold time stays that of a plain Pelican build; Hugo: its edited copy of
  the post, rebuilt as `hugo` does, which keeps no cache of content between runs);
- peak RSS of the largest process, and the HTML pages and feeds written;
- the peak PSS of the whole process tree, sampled in one more cold build of each side
  after the timed ones (sampling costs CPU, so timed builds are not sampled); ours is
  first brought up to date incrementally, and that output must be byte-identical to the
  sampled clean build of the same content;
- ours only: `make devserver`'s time from a save to the browser's reload event, for a
  body edit and for a tag change (benchmarks/devserver.py), --saves times each.

Prints the medians side by side with ours/vanilla and ours/hugo, and records the run in
benchmarks/results.json, results.md and build-time.svg unless --no-record.
"""

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import report
from benchmarks.corpus import edit_post, write_corpus
from benchmarks.devserver import DevServerFailed, time_saves
from benchmarks.hugo import export_post, hugo_command, write_hugo_site
from benchmarks.measure import BuildFailed, run_build
from benchmarks.sites import ROOT, ours_command, vanilla_command, write_settings

sys.path.insert(0, str(ROOT / "plugins"))

SIDES = ("ours", "vanilla", "hugo")


def check_corpus(settings_file):
    """Audit the corpus with our rules; raise SystemExit listing any problem."""
    from editorial.audit import audit_site

    from tools.build import load_settings

    audit = audit_site(load_settings(settings_file))
    if audit.problems:
        listed = "\n".join(str(problem) for problem in audit.problems[:20])
        raise SystemExit(f"The benchmark corpus fails our audit:\n{listed}")


def same_files(first, second):
    """(True when both folders hold the same files with the same bytes, files compared)."""
    files = {}
    for folder in (first, second):
        folder = Path(folder)
        files[folder] = {path.relative_to(folder): path for path in folder.rglob("*") if path.is_file()}
    one, other = files.values()
    same = one.keys() == other.keys() and all(one[name].read_bytes() == other[name].read_bytes() for name in one)
    return same, len(one)


def clear(*paths):
    """Remove folders left by an earlier build (output, caches), and the earlier sites a
    build of ours moved aside beside an output folder (tools.build.swap_in), so that a
    cold build starts with nothing of a previous one."""
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)
        for retired in Path(path).parent.glob(f".{Path(path).name}-old-*"):
            shutil.rmtree(retired, ignore_errors=True)


class Bench:
    """The builds of one benchmark run, in one corpus folder."""

    def __init__(self, corpus, settings, hugo_site):
        self.corpus = corpus
        self.settings = settings
        self.hugo_site = hugo_site
        self.folder = Path(corpus.root)
        self.samples = {side: [] for side in SIDES}
        self.peak_tree_mb = dict.fromkeys(SIDES, 0.0)
        self.identical = (False, 0)
        self.saves = {"body_s": [], "tag_s": []}

    def ours(self, revision):
        """Cold build, then one post edited and rebuilt with our cache."""
        output = self.folder / "out-ours"
        clear(output, self.folder / "cache")
        cold = run_build(ours_command(self.settings["ours"], output), output, ROOT)
        edit_post(self.corpus, revision)
        edited = run_build(ours_command(self.settings["ours"], output), output, ROOT)
        self.samples["ours"].append((cold, edited))

    def vanilla(self, revision):
        """Plain cold build; then, with the content cache on, prime it, edit one post, rebuild."""
        output = self.folder / "out-vanilla"
        clear(output, self.folder / "vanilla-cache")
        cold = run_build(vanilla_command(self.settings["vanilla"], output), output, ROOT)
        clear(output)
        run_build(vanilla_command(self.settings["vanilla_cached"], output), output, ROOT)
        edit_post(self.corpus, revision)
        edited = run_build(vanilla_command(self.settings["vanilla_cached"], output), output, ROOT)
        self.samples["vanilla"].append((cold, edited))

    def hugo(self, revision):
        """Cold build (no output, no Hugo cache), then one post edited and built again."""
        output = self.folder / "out-hugo"
        clear(output, self.folder / "hugo-cache")
        cold = run_build(hugo_command(self.hugo_site, output), output, ROOT)
        edited_post = edit_post(self.corpus, revision)
        export_post(self.corpus, edited_post.relative_to(self.corpus.content))
        edited = run_build(hugo_command(self.hugo_site, output), output, ROOT)
        self.samples["hugo"].append((cold, edited))

    def command(self, side, output):
        """The command line of one cold build of `side` into `output`."""
        if side == "hugo":
            return hugo_command(self.hugo_site, output)
        command = ours_command if side == "ours" else vanilla_command
        return command(self.settings[side], output)

    def sample_memory(self, side):
        """One more cold build of `side`, its process tree's PSS sampled; return the peak MB.

        Ours: its last output is first rebuilt incrementally (untimed) for the content as
        it is now, then compared with this clean build, file by file."""
        output = self.folder / f"out-{side}"
        if side == "ours":
            run_build(self.command(side, output), output, ROOT)
            output = self.folder / "out-ours-clean"
        clear(output, self.folder / "cache", self.folder / "vanilla-cache", self.folder / "hugo-cache")
        measured = run_build(self.command(side, output), output, ROOT, sample_memory=True)
        self.peak_tree_mb[side] = measured.peak_tree_mb
        if side == "ours":
            self.identical = same_files(self.folder / "out-ours", output)

    def devserver(self, saves):
        """Time `saves` saves of each kind in `make devserver` over the corpus."""
        self.saves = time_saves(self.corpus, self.settings["ours"], self.folder / "out-dev", ROOT, saves)

    def medians(self, side):
        """The medians of one side's samples, as report.COLUMNS keys."""
        samples = self.samples[side]
        cold = [c for c, _ in samples]
        stats = {
            "cold_s": statistics.median(m.seconds for m in cold),
            "edit_s": statistics.median(e.seconds for _, e in samples),
            "cpu_s": statistics.median(m.cpu_seconds for m in cold),
            "peak_rss_mb": statistics.median(max(c.peak_rss_mb, e.peak_rss_mb) for c, e in samples),
            "peak_tree_mb": self.peak_tree_mb[side],
            "pages": cold[-1].pages,
            "feeds": cold[-1].feeds,
        }
        stats["ms_per_post"] = 1000 * stats["cold_s"] / self.corpus.posts
        stats["runs_cold_s"] = [round(m.seconds, 3) for m in cold]
        stats["runs_edit_s"] = [round(e.seconds, 3) for _, e in samples]
        return stats


def benchmark(posts, repeats, folder, progress=print, saves=3):
    """Run the whole benchmark in `folder`; return the run as a dict for the report."""
    machine = report.machine_facts()  # load average before we add our own
    progress(f"Writing {posts:,} posts into {folder} ...")
    corpus = write_corpus(folder, posts)
    settings = write_settings(corpus)
    check_corpus(settings["ours"])
    bench = Bench(corpus, settings, write_hugo_site(corpus))
    for repeat in range(repeats):
        # Rotate which goes first, so none always runs on a warmer (or busier) machine.
        order = SIDES[repeat % len(SIDES) :] + SIDES[: repeat % len(SIDES)]
        for side in order:
            progress(f"Repeat {repeat + 1}/{repeats}: {side} ...")
            getattr(bench, side)(revision=f"{repeat}-{side}")
    progress(f"Dev server: {saves} saves of a body edit and {saves} of a tag change ...")
    bench.devserver(saves)
    for side in SIDES:
        progress(f"Memory: one more cold build of {side}, its process tree sampled ...")
        bench.sample_memory(side)
    return {
        "date": time.strftime("%Y-%m-%d"),
        "posts": posts,
        "repeats": repeats,
        "machine": machine,
        "hugo_version": report.hugo_version(),
        **{side: bench.medians(side) for side in SIDES},
        "incremental_identical": bench.identical[0],
        "files_compared": bench.identical[1],
        "devserver": {
            "body_s": statistics.median(bench.saves["body_s"]),
            "tag_s": statistics.median(bench.saves["tag_s"]),
            "runs_body_s": [round(seconds, 3) for seconds in bench.saves["body_s"]],
            "runs_tag_s": [round(seconds, 3) for seconds in bench.saves["tag_s"]],
        },
    }


def main(argv=None):
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--saves", type=int, default=3, help="dev server saves timed of each kind")
    parser.add_argument("--no-record", action="store_true", help="print only; leave benchmarks/results.* alone")
    parser.add_argument("--keep", action="store_true", help="keep the corpus folder and outputs")
    args = parser.parse_args(argv)
    if args.posts < 1 or args.repeats < 1 or args.saves < 1:
        parser.error("--posts, --repeats and --saves must be at least 1")
    folder = Path(tempfile.mkdtemp(prefix=f"bench-{args.posts}-"))
    try:
        run = benchmark(
            args.posts, args.repeats, folder, progress=lambda line: print(line, flush=True), saves=args.saves
        )
    except (BuildFailed, DevServerFailed) as error:
        print(f"A build failed: {error}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"Kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    print()
    print(report.run_heading(run))
    print()
    print(report.run_table(run))
    if not run["incremental_identical"]:
        print("\nOurs after its edits differs from a clean build of the same content.", file=sys.stderr)
        return 1
    if not args.no_record:
        report.record(run)
        print(f"\nRecorded in {report.RESULTS_DIR / 'results.md'} and build-time.svg")
    return 0


if __name__ == "__main__":
    sys.exit(main())
