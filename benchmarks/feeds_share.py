"""What share of a 1,000-post build the feeds take.

    .venv/bin/python benchmarks/feeds_share.py [--posts 1000] [--runs 3]

Writes synthetic posts (about 700 words each, with links, a heading anchor and a
featured image; 6 categories, 40 tags, 12 authors, guest partners, series and two
partner blogs) into a temporary folder, then builds the site with the project's real
settings, once with the syndication plugin and once without it, `--runs` times each.
Reports the median wall-clock build times and the share the feeds take, two ways: the
difference between the builds (blurred by anything else the machine does), and the
time spent inside the plugin during the builds with it (planning the feeds plus writing
them; the steadier figure). Wall clock, not CPU time: the build renders pages in worker
processes, and the feeds are written in the build process while they run. Writes
nothing into the repository.
"""

import argparse
import random
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


class FeedClock:
    """Time spent planning and writing feeds, by wrapping the plugin's two entry points."""

    def __init__(self):
        self.seconds = 0.0

    def wrap(self, function):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started

        return timed


def timed_build(content, output, plugins):
    """Seconds one build of `content` with `plugins` takes."""
    overrides = {"PATH": str(content), "SITEURL": "https://bench.example", "PLUGINS": plugins}
    started = time.perf_counter()
    build(ROOT / "pelicanconf.py", output, overrides)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with_feeds = list(load_settings(ROOT / "pelicanconf.py")["PLUGINS"])
    without_feeds = [plugin for plugin in with_feeds if plugin != "syndication"]
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content"
        write_content(content, args.posts)
        times = {"with": [], "without": [], "inside": []}
        clock = FeedClock()
        # plan_site_feeds looks plan_feeds up in the package at call time; Pelican calls
        # generate_output on the class: both can be wrapped after the plugin registered.
        syndication.plan_feeds = clock.wrap(syndication.plan_feeds)
        FeedsGenerator.generate_output = clock.wrap(FeedsGenerator.generate_output)
        for run in range(args.runs):
            # Alternate the two builds so that drift (caches, CPU clock) hits both alike.
            times["without"].append(timed_build(content, Path(folder) / f"out-without-{run}", without_feeds))
            clock.seconds = 0.0
            times["with"].append(timed_build(content, Path(folder) / f"out-with-{run}", with_feeds))
            times["inside"].append(clock.seconds)
        feeds = len(list((Path(folder) / "out-with-0/feeds").rglob("*.xml")))
    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"{args.posts} posts, {feeds} feeds; median seconds of {args.runs} builds each")
    for name, label in (("with", "build with syndication"), ("without", "build without syndication")):
        print(f"  {label:28} {median[name]:6.2f} s  {sorted(round(t, 2) for t in times[name])}")
    print(f"  {'inside the plugin':28} {median['inside']:6.2f} s  {sorted(round(t, 2) for t in times['inside'])}")
    print(f"  feeds' share, difference of builds: {(median['with'] - median['without']) / median['with']:.1%}")
    print(f"  feeds' share, inside the plugin:    {median['inside'] / median['with']:.1%}")


if __name__ == "__main__":
    main()
