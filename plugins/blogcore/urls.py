"""Absolute URLs from site paths: one join for pages, feeds and structured data."""

from urllib.parse import urlsplit


def absolute_url(site_url, path):
    """`path` (site-relative, e.g. `2014/02/slug/`) on `site_url`; an absolute URL as it is."""
    if urlsplit(path).scheme:
        return path
    return f"{site_url.rstrip('/')}/{path.lstrip('/')}"
