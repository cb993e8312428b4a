"""Posts and pages a build holds back from publishing, and why.

Pelican already keeps them out of the site: `Status: draft` makes a draft, and with
WITH_FUTURE_DATES = False a post dated in the future becomes a draft until a build
runs after its date. This module only names them: the editorial plugin attaches each
one's record as `held_back` (a preview page says whether it is a draft or scheduled), and
the build's report lists them.
"""

from dataclasses import dataclass
from pathlib import Path

from blogcore.problems import site_relative

DATE_SHOWN = "%Y-%m-%d %H:%M"


@dataclass(frozen=True)
class HeldBack:
    """One post or page left out of the published site."""

    source_path: str  # as editors see it: content/posts/x.md
    reason: str
    scheduled: bool  # True: published by the first build after its Date
    url: str

    def __str__(self):
        return f"{self.source_path}: {self.reason}"


def held_back(content):
    """Return a HeldBack for a Pelican Article or Page whose status is 'draft'."""
    # Pelican turns a future-dated post into a draft but leaves its metadata as written,
    # so a draft without 'Status: draft' in its header is one waiting for its date.
    written_status = str(content.metadata.get("status", "")).strip().casefold()
    scheduled = written_status != "draft" and hasattr(content, "date")
    reason = f"Date {content.date.strftime(DATE_SHOWN)} is in the future" if scheduled else "Status: draft"
    site_root = Path(content.settings["PATH"]).parent
    return HeldBack(site_relative(content.source_path, site_root), reason, scheduled, content.url)
