"""Fastbuild plugin: the same site, built on every core and without repeating work.

- reader.py: posts' Markdown is converted in worker processes before Pelican reads them,
  or taken from the content cache when the file's bytes have not changed (FASTBUILD_CACHE);
- summaries.py: the workers also cut each post's automatic summary, as Pelican would;
- taxonomy.py: tag, category and author post lists answer `in` from an index, removing
  the part of Pelican's ArticlesGenerator that grows with the square of the posts;
- urls.py: each post's URL is computed once instead of on every use in a template;
- writer.py: the articles generator's pages are rendered in forked worker processes;
- translations.py: translations are sorted out one slug at a time, not across the site;
- incremental.py, fingerprint.py, pagerecord.py: with the cache, a page whose inputs did not
  change is taken from the previous build instead of rendered;
- live.py: the dev server's site in memory, which shows an edit of posts' bodies without
  building again.

What readers and partners get is byte for byte what Pelican alone writes
(tests/test_fastbuild.py builds fixture sites both ways and compares every file).
FASTBUILD_WORKERS = 1 does everything in the build process. tools/build.py adds this
plugin to every build it runs; `pelican` on its own (make devserver) builds without it.
"""

import logging

from . import pelican_internals

logger = logging.getLogger(__name__)


def register():
    """Connect the plugin's receivers (receivers.py).

    On a Pelican other than the one its internals were checked against
    (pelican_internals.SUPPORTED_PELICAN), warn and connect nothing: plain Pelican. The
    receivers are imported only after that check, so a Pelican lacking a name they
    import builds plainly too."""
    if not pelican_internals.supported():
        logger.warning(pelican_internals.unsupported_message())
        return
    from . import receivers

    receivers.connect()
