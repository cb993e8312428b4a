"""What counts as a feed file in a build's output, told from its name: one rule for the
published-URL record (plugins/redirects/record.py: a feed that disappears is an error, as
a page is), the build's summary line (tools/progress.py) and the benchmark's counts
(benchmarks/measure.py), which reach it through tools/outputfiles.py."""

import os

# Files in the output that are feeds whichever plugin wrote them; sitemaps are not feeds.
FEED_SUFFIXES = (".xml", ".rss", ".atom")
# JSON Feed files: only these .json files, since other JSON in the output is not a feed.
JSON_FEED_ENDING = ".feed.json"


def is_feed(name):
    """True for the name of a feed file: any .xml, .rss or .atom file except sitemaps, and
    any JSON Feed (.feed.json)."""
    if name.endswith(JSON_FEED_ENDING):
        return True
    return os.path.splitext(name)[1] in FEED_SUFFIXES and not name.startswith("sitemap")
