"""List the posts a build holds back: scheduled ones (a Date still to come) and drafts.

    python3 tools/scheduled.py [--settings pelicanconf.py] [--now 2026-12-02T09:00-08:00]

`make scheduled` runs it. Each line gives the post's Date (site time zone), its authors by
name, its title and its file, oldest first; scheduled posts first, then drafts.

It reads post headers only, with the shared header reader (blogcore.source: `Key: value`
and YAML front matter alike), never Pelican, so tools/due.py, which stands on it, answers
in the publish workflow's first step in a second.
"""

import argparse
import runpy
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from blogcore.content import content_files  # noqa: E402
from blogcore.problems import site_relative  # noqa: E402
from blogcore.source import UnreadableSource, read_source, split_list  # noqa: E402

DATE_SHOWN = "%Y-%m-%d %H:%M"
# Pelican's defaults for what pelicanconf.py may leave out.
DEFAULTS = {"PATH": "content", "ARTICLE_PATHS": [""], "ARTICLE_EXCLUDES": [], "TIMEZONE": "UTC"}


@dataclass(frozen=True)
class Post:
    """What the schedule needs of one post's header."""

    path: str  # as editors see it: content/posts/x.md
    title: str
    authors: tuple  # names, from the author profiles where there is one
    date: datetime | None  # aware, in the site's time zone; None when the Date is unreadable
    draft: bool  # Status: draft

    def shown_date(self):
        """The Date as the guide writes it, or a note that it cannot be read."""
        return self.date.strftime(DATE_SHOWN) if self.date else "(no valid Date)"


def read_settings(settings_file):
    """The few settings the schedule reads, from a settings file run as Python.

    Paths are made absolute against the settings file's folder, as Pelican does."""
    settings_file = Path(settings_file).resolve()
    sys.path.insert(0, str(settings_file.parent))
    try:
        values = runpy.run_path(str(settings_file))
    finally:
        sys.path.remove(str(settings_file.parent))
    settings = {name: values.get(name, default) for name, default in DEFAULTS.items()}
    settings["PATH"] = str((settings_file.parent / settings["PATH"]).resolve())
    return settings


def parse_date(value, zone):
    """The aware datetime of a Date value (ISO form; a time without offset is in `zone`),
    or None when it is not one."""
    try:
        date = datetime.fromisoformat(value.strip().replace("_", " ").replace("Z", "+00:00"))
    except ValueError:
        return None
    return date.replace(tzinfo=zone) if date.tzinfo is None else date.astimezone(zone)


def author_names(content_path):
    """{author id: Name} from content/authors/."""
    names = {}
    for path, problem in content_files(content_path, ["authors"], []):
        if problem:
            continue
        try:
            names[path.stem] = read_source(path).get("Name") or path.stem
        except (OSError, UnreadableSource):
            continue
    return names


def read_posts(settings):
    """Every readable post under ARTICLE_PATHS, as Post records, in file order."""
    zone = ZoneInfo(settings["TIMEZONE"])
    content = Path(settings["PATH"])
    names = author_names(content)
    posts = []
    for path, problem in content_files(content, settings["ARTICLE_PATHS"], settings["ARTICLE_EXCLUDES"]):
        if problem:
            continue
        try:
            source = read_source(path)
        except (OSError, UnreadableSource):
            continue  # the build reports it
        authors = tuple(names.get(a, a) for a in split_list(source.get("Authors") or source.get("Author")) if a)
        posts.append(
            Post(
                path=site_relative(path, content.parent),
                title=source.get("Title").strip("\"'"),
                authors=authors,
                date=parse_date(source.get("Date").strip("\"'"), zone),
                draft=source.get("Status").strip("\"'").casefold() == "draft",
            )
        )
    return posts


def _order(post):
    # Oldest first; an unreadable Date last.
    return (post.date is None, post.date or datetime.min.replace(tzinfo=ZoneInfo("UTC")), post.path)


def scheduled_posts(posts, now):
    """Posts that are not drafts and whose Date is after `now`, oldest first."""
    return sorted((p for p in posts if not p.draft and p.date and p.date > now), key=_order)


def draft_posts(posts):
    """Posts with Status: draft, oldest first."""
    return sorted((p for p in posts if p.draft), key=_order)


def _line(post):
    authors = ", ".join(post.authors) or "(no author)"
    return f"  {post.shown_date()}  {authors}  {post.title or '(no title)'}  {post.path}"


def report(posts, now, zone_name):
    """The lines `make scheduled` prints."""
    scheduled, drafts = scheduled_posts(posts, now), draft_posts(posts)
    lines = [f"Scheduled ({len(scheduled)}; each goes live within 15 minutes of its Date, {zone_name}):"]
    lines += [_line(post) for post in scheduled] or ["  none"]
    lines.append(f"Drafts ({len(drafts)}; Status: draft, never published until you remove it):")
    lines += [_line(post) for post in drafts] or ["  none"]
    return lines


def parse_now(value, zone, option="--now"):
    """A time option (ISO, with an offset or in the site's time zone), or the clock."""
    if value is None:
        return datetime.now(zone)
    now = parse_date(value, zone)
    if now is None:
        raise SystemExit(f"{option}: '{value}' is not a date such as 2026-12-02T09:00-08:00")
    return now


def main(argv=None):
    """Print the scheduled posts and the drafts; returns the exit status."""
    parser = argparse.ArgumentParser(description="List scheduled posts and drafts by date and author.")
    parser.add_argument("--settings", default=str(ROOT / "pelicanconf.py"))
    parser.add_argument("--now", help="the time to compare Dates with (default: the clock)")
    args = parser.parse_args(argv)
    settings = read_settings(args.settings)
    zone = ZoneInfo(settings["TIMEZONE"])
    print("\n".join(report(read_posts(settings), parse_now(args.now, zone), settings["TIMEZONE"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
