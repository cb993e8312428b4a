"""Posts-per-tag, -category and -author lists that answer `post in list` without a scan.

For every tag, category and author page Pelican's ArticlesGenerator filters the dates
list with `[article for article in self.dates if article in articles]`: a scan of the
term's posts for each post of the site, which grows with posts x posts (at 10,000 posts
about 5 x 10^8 comparisons, a quarter of vanilla Pelican's build). Posts compare by
identity (Pelican's Content defines no __eq__), so a set of ids answers the same.

The lists are swapped in at `article_generator_finalized`, the signal for plugins to
adjust what the generator collected, rather than by changing Pelican's methods.
"""

import functools

from .pelican_internals import update_context


@functools.cache  # a fact about a class, asked about for every post of every tag
def _type_compares_by_identity(kind):
    return kind.__eq__ is object.__eq__


def _compares_by_identity(value):
    return _type_compares_by_identity(type(value))


class IdentityIndexedList(list):
    """A list whose `in` looks items up in an index of ids when every item, and the one
    looked for, compare by identity; otherwise it scans, as any list does."""

    def __init__(self, items=()):
        super().__init__(items)
        self._ids = None

    def __contains__(self, item):
        if not _compares_by_identity(item):
            return super().__contains__(item)
        if self._ids is None:
            if not all(_compares_by_identity(element) for element in self):
                return super().__contains__(item)
            self._ids = {id(element) for element in self}
        return id(item) in self._ids

    def _changed(self):
        self._ids = None

    # Anything that may change which items the list holds drops the index.
    def append(self, item):
        self._changed()
        super().append(item)

    def extend(self, items):
        self._changed()
        super().extend(items)

    def insert(self, index, item):
        self._changed()
        super().insert(index, item)

    def remove(self, item):
        self._changed()
        super().remove(item)

    def pop(self, index=-1):
        self._changed()
        return super().pop(index)

    def clear(self):
        self._changed()
        super().clear()

    def __setitem__(self, index, value):
        self._changed()
        super().__setitem__(index, value)

    def __delitem__(self, index):
        self._changed()
        super().__delitem__(index)

    def __iadd__(self, items):
        self._changed()
        return super().__iadd__(items)

    def __imul__(self, times):
        self._changed()
        return super().__imul__(times)


def index_taxonomies(generator):
    """Give the articles generator's tags, categories and authors indexed post lists,
    in the generator and in the context templates see."""
    for tag in generator.tags:
        generator.tags[tag] = IdentityIndexedList(generator.tags[tag])
    generator.categories[:] = [(category, IdentityIndexedList(posts)) for category, posts in generator.categories]
    generator.authors[:] = [(author, IdentityIndexedList(posts)) for author, posts in generator.authors]
    # The context holds tags as a list of pairs (Pelican flattens the dict into it), and
    # the very categories and authors lists updated in place above.
    update_context(generator, ("tags",))
