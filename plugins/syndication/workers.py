"""Build many posts' feed Items in forked worker processes, side by side.

Sanitising a post's HTML with BeautifulSoup is most of what feeds cost, and every post
is independent of the others: a large site shares its posts out among workers while the
build process does its own share, as the fastbuild plugin does for pages. Workers are
forked, so they see the build's posts without pickling them; only the finished Items
(strings, dates and small records) come back. The result does not depend on the number
of workers: each Item is built by the same function from the same post.
"""

import multiprocessing

from blogcore.lifetime import forking_workers, start_worker


def _work(share, build, sender):
    # In the worker: send the built Items, or None so that the build process builds the
    # share itself and any error surfaces there, with its traceback, exactly once.
    # The build's SIGTERM handler (tools/build.py) is for the build process: a worker the
    # build stops just ends, one killed outright takes its workers with it, and Ctrl-C
    # is left to the build process.
    start_worker()
    try:
        built = [build(article) for article in share]
    except Exception:
        built = None
    sender.send(built)
    sender.close()


def build_items(articles, build, workers, min_batch):
    """Return {source path: build(article)} for `articles`.

    Work stays in this process when there are fewer than `min_batch` posts, one worker,
    or no fork() (starting processes would cost more than it saves, or is impossible).
    """
    if workers < 2 or len(articles) < min_batch or "fork" not in multiprocessing.get_all_start_methods():
        return {article.source_path: build(article) for article in articles}
    context = multiprocessing.get_context("fork")
    shares = [articles[index::workers] for index in range(workers)]
    children = []
    try:
        with forking_workers():
            for share in shares[1:]:
                receiver, sender = context.Pipe(duplex=False)
                process = context.Process(target=_work, args=(share, build, sender), daemon=True)
                process.start()
                sender.close()
                children.append((process, receiver, share))
        items = {article.source_path: build(article) for article in shares[0]}
        for process, receiver, share in children:
            try:
                built = receiver.recv()
            except EOFError:  # the worker died before it answered
                built = None
            process.join()
            if built is None:
                built = [build(article) for article in share]
            items.update(zip((article.source_path for article in share), built, strict=True))
        return items
    finally:
        for process, receiver, _ in children:
            receiver.close()
            if process.is_alive():  # only when this process failed or was interrupted
                process.terminate()
            process.join()
