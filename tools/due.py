"""Is a scheduled post due? The publish workflow's first step on its 15-minute schedule.

    python3 tools/due.py [--settings publishconf.py] [--since ISO] [--now ISO]

A post is due when it is not a draft and its Date fell after `--since` (the last publish:
the workflow passes the date of the last commit of the published-URL record) and not after
`--now` (the clock by default). Without `--since`, the window is the 15 minutes before now,
one schedule interval. A post whose Date cannot be read counts as due, so that the build
runs and reports it rather than this step hiding it.

stdout gets one line for the workflow's $GITHUB_OUTPUT, `due=true` or `due=false`; stderr
names each due post. The exit status is 0 either way (1 only for a bad option), so a quiet
schedule is a green run of well under a minute: it reads headers only, and builds nothing.
"""

import argparse
import sys
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scheduled import ROOT, parse_now, read_posts, read_settings

INTERVAL = timedelta(minutes=15)  # the workflow's schedule: cron "*/15 * * * *"


def due_posts(posts, since, now):
    """The posts that went live in (since, now]: not drafts, Date in the window or unreadable."""
    return [p for p in posts if not p.draft and (p.date is None or since < p.date <= now)]


def main(argv=None):
    """Print `due=true` or `due=false`; returns the exit status."""
    parser = argparse.ArgumentParser(description="Say whether a scheduled post's Date has come since the last publish.")
    parser.add_argument("--settings", default=str(ROOT / "publishconf.py"))
    parser.add_argument("--since", help="the last publish, ISO (default: 15 minutes before --now)")
    parser.add_argument("--now", help="ISO time to compare Dates with (default: the clock)")
    args = parser.parse_args(argv)
    settings = read_settings(args.settings)
    zone = ZoneInfo(settings["TIMEZONE"])
    now = parse_now(args.now, zone)
    since = parse_now(args.since, zone, "--since") if args.since else now - INTERVAL
    due = due_posts(read_posts(settings), since, now)
    for post in due:
        print(f"due: {post.path}: Date {post.shown_date()} ({post.title})", file=sys.stderr)
    if not due:
        print(f"nothing due between {since.isoformat()} and {now.isoformat()}", file=sys.stderr)
    print(f"due={'true' if due else 'false'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
