"""Reading the record of published URLs (content/published-urls.txt by default).

The redirects plugin keeps the record and fails a build that loses one of its URLs; the
editorial audit reads it to tell a published post from a new one. Both read it here.
"""

from pathlib import Path

RECORD_SETTING = "REDIRECTS_RECORD"
DEFAULT_RECORD = "published-urls.txt"


def record_entries(path):
    """Return [(line number, URL, the words after it)] from the record; blank and #
    lines are skipped. What may follow a URL (`retired`, `-> /path/`) is the redirects
    plugin's to check."""
    entries = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        parts = line.split()
        if parts and not parts[0].startswith("#"):
            entries.append((number, parts[0], parts[1:]))
    return entries


def recorded_urls(settings):
    """The site paths in the record of the site of `settings` (Pelican settings), or an
    empty set when there is no record (turned off, not written yet or unreadable)."""
    name = settings.get(RECORD_SETTING, DEFAULT_RECORD)
    if not name:
        return frozenset()
    try:
        return frozenset(url for _, url, _ in record_entries(Path(settings["PATH"]) / name))
    except (OSError, UnicodeDecodeError):
        return frozenset()
