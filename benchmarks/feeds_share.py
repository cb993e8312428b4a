"""What share of a 1,000-post build the feeds take.

    .venv/bin/python benchmarks/feeds_share.py [--posts 1000] [--runs 3]

Writes synthetic posts (about 700 words each, with links, a heading anchor and a
featured image; 6 categories, 40 tags, 12 authors, guest partners, series and two
partner blogs) into a temporary folder, then builds the site with the project's real
settings, once with the syndication plugin and once without it, `--runs` times each.
Reports median wall-clock and CPU times (CPU: the build process plus its worker
processes, which render pages and build feed items) and the share the feeds take, two
ways: the time spent inside the plugin (planning plus writing the feeds) over the whole
build, and the difference between builds with and without it. On a busy machine the
wall-clock figures and the difference blur; CPU inside / with is the steadiest figure.
Writes nothing into the repository.
"""

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "plugins"))

import syndication  # noqa: E402
from syndication.feeds import FeedsGenerator  # noqa: E402

from tools.build import build, load_settings  # noqa: E402

CATEGORIES = ["Job Interviews", "Job Offers", "Career Moves", "Internships", "Networking", "Resumes"]
WORDS = [
    "career", "interview", "recruiter", "offer", "salary", "manager", "team", "intern", "resume", "network",
    "skills", "growth", "feedback", "question", "answer", "company", "role", "project", "learn", "honest",
    "prepare", "follow", "call", "week",
]  # fmt: skip


def paragraph(rng, words=60):
    text = " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()
    return text + "."


def post_text(number, rng):
    tags = ", ".join(sorted({f"Topic {rng.randrange(40)}" for _ in range(3)}))
    authors = ", ".join(sorted({f"author-{rng.randrange(12)}" for _ in range(rng.choice((1, 1, 2)))}))
    header = {
        "Title": f"Synthetic Post {number}",
        "Id": f"00000000-0000-4000-8000-{number:012d}",
        "Date": f"{2010 + number % 14}-{1 + number % 12:02d}-{1 + number % 28:02d} 09:{number % 60:02d}",
        "Category": CATEGORIES[number % len(CATEGORIES)],
        "Tags": tags,
        "Authors": authors,
        "Image": "images/pic.svg",
        "Image_alt": "A picture",
    }
    if number % 10 == 0:
        header["Partner"] = f"guest-{number % 3}"
    if number % 25 == 0:
        header["Syndicate"] = "no"
    body = [paragraph(rng) for _ in range(5)]
    body.insert(
        1, f"See [the details](#details) and [our about page](/about/), or [elsewhere](https://example.org/{number}/)."
    )
    body.append("## Details")
    body.extend(paragraph(rng) for _ in range(5))
    lines = [f"{key}: {value}" for key, value in header.items()]
    return "\n".join(lines) + "\n\n" + "\n\n".join(body) + "\n"


def write_content(content, posts, seed=5):
    rng = random.Random(seed)
    (content / "posts").mkdir(parents=True)
    (content / "authors").mkdir()
    (content / "partners").mkdir()
    (content / "images").mkdir()
    (content / "images/pic.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"></svg>\n')
    for index in range(12):
        (content / f"authors/author-{index}.md").write_text(f"Name: Author {index}\n\nAuthor {index} writes.\n")
    for index in range(3):
        (content / f"partners/guest-{index}.md").write_text(
            f"Name: Guest {index}\nUrl: https://guest-{index}.example/\n\nA guest partner.\n"
        )
    (content / "partners/blog-all.md").write_text(
        "Name: Blog All\nUrl: https://all.example/\nSyndicate: all\n\nA blog.\n"
    )
    (content / "partners/blog-interns.md").write_text(
        "Name: Blog Interns\nUrl: https://interns.example/\nSyndicate: Internships\n\nA blog.\n"
    )
    for number in range(posts):
        (content / f"posts/post-{number}.md").write_text(post_text(number, rng), encoding="utf-8")


def clocks():
    """(wall seconds, CPU seconds of this process and of its finished worker processes)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter(), time.process_time() + children.ru_utime + children.ru_stime


def elapsed(since):
    """(wall, CPU) seconds since `since`, a value of clocks()."""
    now = clocks()
    return now[0] - since[0], now[1] - since[1]


class FeedClock:
    """Time spent planning and writing feeds, by wrapping the plugin's two entry points."""

    def __init__(self):
        self.wall = self.cpu = 0.0

    def wrap(self, function):
        def timed(*args, **kwargs):
            started = clocks()
            try:
                return function(*args, **kwargs)
            finally:
                wall, cpu = elapsed(started)
                self.wall += wall
                self.cpu += cpu

        return timed


def timed_build(content, output, plugins):
    """(wall, CPU) seconds of one build of `content` with `plugins`."""
    overrides = {"PATH": str(content), "SITEURL": "https://bench.example", "PLUGINS": plugins}
    started = clocks()
    build(ROOT / "pelicanconf.py", output, overrides)
    return elapsed(started)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with_feeds = list(load_settings(ROOT / "pelicanconf.py")["PLUGINS"])
    without_feeds = [plugin for plugin in with_feeds if plugin != "syndication"]
    runs = {"with": [], "without": [], "inside": []}
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content"
        write_content(content, args.posts)
        clock = FeedClock()
        # plan_site_feeds looks plan_feeds up in the package at call time; Pelican calls
        # generate_output on the class: both can be wrapped after the plugin registered.
        syndication.plan_feeds = clock.wrap(syndication.plan_feeds)
        FeedsGenerator.generate_output = clock.wrap(FeedsGenerator.generate_output)
        for run in range(args.runs):
            # Alternate the two builds so that drift (caches, CPU clock) hits both alike.
            runs["without"].append(timed_build(content, Path(folder) / f"out-without-{run}", without_feeds))
            clock.wall = clock.cpu = 0.0
            runs["with"].append(timed_build(content, Path(folder) / f"out-with-{run}", with_feeds))
            runs["inside"].append((clock.wall, clock.cpu))
        feeds = len(list((Path(folder) / "out-with-0/feeds").rglob("*.xml")))
    wall = {name: statistics.median(value[0] for value in values) for name, values in runs.items()}
    cpu = {name: statistics.median(value[1] for value in values) for name, values in runs.items()}
    print(f"{args.posts} posts, {feeds} feeds; medians of {args.runs} builds each")
    print(f"  {'':34} {'wall':>8} {'CPU':>8}")
    for name, label in (
        ("with", "build with syndication"),
        ("without", "build without syndication"),
        ("inside", "inside the plugin"),
    ):
        print(f"  {label:34} {wall[name]:7.2f}s {cpu[name]:7.2f}s")
    print(
        f"  {'feeds share: inside / with':34} {wall['inside'] / wall['with']:8.1%} {cpu['inside'] / cpu['with']:8.1%}"
    )
    print(
        f"  {'feeds share: (with - without) / with':34} "
        f"{(wall['with'] - wall['without']) / wall['with']:8.1%} {(cpu['with'] - cpu['without']) / cpu['with']:8.1%}"
    )


if __name__ == "__main__":
    main()
