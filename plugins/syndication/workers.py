"""Build many posts' feed Items in forked worker processes, side by side.

Sanitising a post's HTML with BeautifulSoup is most of what feeds cost, and every post
is independent of the others: a large site shares its posts out among workers while the
build process does its own share, as the fastbuild plugin does for pages. Workers are
forked, so they see the build's posts without pickling them; only the finished Items
(strings, dates and small records) come back. The result does not depend on the number
of workers: each Item is built by the same function from the same post.
"""

import multiprocessing

from blogcore.workers import share_out


def build_items(articles, build, workers, min_batch):
    """Return {source path: build(article)} for `articles`.

    Work stays in this process when there are fewer than `min_batch` posts, one worker,
    or no fork() (starting processes would cost more than it saves, or is impossible).
    """
    if workers < 2 or len(articles) < min_batch or "fork" not in multiprocessing.get_all_start_methods():
        return {article.source_path: build(article) for article in articles}

    def build_share(share):
        return [(article.source_path, build(article)) for article in share]

    items = {}
    for built in share_out(articles, build_share, workers, "feed item"):
        items.update(built)
    return items
