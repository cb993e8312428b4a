"""Redirects plugin: moving a post never breaks its old URL (DESIGN.md "URLs").

For each alias of each published post and page it writes a redirect page at the old
path (meta refresh, canonical link, noindex), plus `_redirects` (Netlify, Cloudflare
Pages) and an nginx snippet for hosts that serve real 301s. After the build it checks
the committed record of published URLs (record.py) so that no URL silently disappears; a
record line that says `retired` gets a "This post was removed" page and 410 host rules,
one that says `-> /path/` a redirect.

Why our own plugin: the published ones (pelican-alias, pelican-redirect) write meta-refresh
pages only, with no host redirect files and no record of published URLs, and read their
own headers (Alias, original_url) rather than the content model's Aliases.
"""

from pelican import signals

from .generator import RedirectsGenerator, guard_redirect_pages
from .record import enforce_record


def redirects_generator(pelican):
    """Add the redirects generator."""
    return RedirectsGenerator


def check_published_urls(pelican):
    """After the whole site is written, fail the build if a recorded URL is gone."""
    enforce_record(pelican.settings, pelican.output_path)


def register():
    """Connect the plugin's receivers."""
    signals.get_generators.connect(redirects_generator)
    signals.content_written.connect(guard_redirect_pages)
    signals.finalized.connect(check_published_urls)
