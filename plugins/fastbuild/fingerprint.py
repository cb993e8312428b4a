"""Digests of the values a page is rendered from, for incremental rendering (pagerecord.py).

A template can only show what it reaches from its context: `Fingerprinter.value(v)` is a
digest of everything reachable from `v` (attributes, items, a function's code and closure)
that could change what a template prints. Two builds giving one value the same digest
gave the template the same data, so the page it renders is the same page.

Content objects (posts and pages) link to one another (related posts, neighbours, series
parts, a listing's posts, a feed's newest posts); a digest that followed every link would
change with any post of the site (three links reach every post of ours). So the digest of
a context value holds its own fields (`own`: everything but the content it links to) and
the own fields of each content object it links to, MAX_HOPS links further on: with 0, a
template may read the fields of the content a context value links to (article.older.title,
a listing's post's summary), not of content linked from there (article.older.older.title).
Our templates read one link deep at most; tests/test_incremental.py compares every file of
incremental builds with clean ones after random edits. Pages whose context includes a value
this module cannot describe are always rendered.

What the walk skips: a content object's `settings` and `_context`, a tag's, category's
or author's `settings`, and the site's settings wherever else they are reached (the whole
site, whose
parts a template reaches only through its own context; both are in the site digest of
incremental.py), and nothing else. A value with no stable description (an object known
only by its address) makes the digest VOLATILE: such a page is rendered every time.
"""

import datetime
import decimal
import enum
import hashlib
import re
import types
from collections import ChainMap
from collections.abc import Mapping

from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

from .pelican_internals import CONTENT_BACK_REFERENCES, URLWRAPPER_BACK_REFERENCES

# How many links past the first a digest follows (see above): content one link away from
# a context value counts with its own fields; 1 would count two links away, and with our
# feeds' and neighbours' links that already reaches every post, so no page would be reused.
MAX_HOPS = 0
# Values described by their repr: it is their whole value.
PLAIN = (str, bytes, int, float, complex, bool, type(None), datetime.date, datetime.time, datetime.timedelta)
PLAIN += (datetime.tzinfo, decimal.Decimal, range, enum.Enum)
# An object's default repr, which names only its type and address.
ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


class Volatile(Exception):
    """A value reachable from a page has no stable description; the page must be rendered."""


def _hash(*parts):
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass"))
        hasher.update(b"\x00")
    return hasher.digest()


class Fingerprinter:
    """Digests of values, memoised for one build (the values must not change meanwhile)."""

    def __init__(self, settings=None):
        # The site's settings, wherever a value reaches them (a plugin's ChainMap over
        # them), stand as one token: the site digest (incremental.py) covers them.
        self._settings = settings
        self._own = {}  # id -> (object, own digest, linked content objects)
        self._linked = {}  # (id, hops) -> digest
        self._strings = {}  # id -> (string, digest): a post's HTML is reached many times

    def value(self, value):
        """The digest of `value` and of everything reachable from it (raises Volatile)."""
        return self._with_links(value, 0)

    def _with_links(self, value, hops):
        if isinstance(value, PLAIN) and not isinstance(value, str | bytes):
            return _hash(type(value).__qualname__, repr(value))
        key = (id(value), hops)
        known = self._linked.get(key)
        if known is not None:
            return known
        own, links = self.own(value)
        if hops >= MAX_HOPS:
            parts = [own] + [self.own(link)[0] for link in links]
        else:
            parts = [own] + [self._with_links(link, hops + 1) for link in links]
        digest = _hash(*parts)
        self._linked[key] = digest
        return digest

    def own(self, value):
        """(digest, linked content objects): `value`'s own description, in which each
        content object it reaches (other than itself) is a placeholder in `links`."""
        known = self._own.get(id(value))
        if known is not None:
            return known[1], known[2]
        links = []
        hasher = hashlib.blake2b(digest_size=16)
        self._describe(value, hasher, links, set(), top=True)
        own = hasher.digest()
        self._own[id(value)] = (value, own, links)  # the value is kept: its id stays its own
        return own, links

    def _string(self, text):
        known = self._strings.get(id(text))
        if known is None:
            known = (text, _hash(type(text).__qualname__, text))
            self._strings[id(text)] = known
        return known[1]

    def _describe(self, value, hasher, links, seen, top=False):
        update = hasher.update
        if isinstance(value, str | bytes):
            update(self._string(value) if len(value) > 256 else _hash(type(value).__qualname__, value))
            return
        if isinstance(value, PLAIN):
            update(_hash(type(value).__qualname__, repr(value)))
            return
        if isinstance(value, Content) and not top:
            update(b"<link>")
            links.append(value)
            return
        if value is self._settings and value is not None:
            update(b"<site settings>")
            return
        if id(value) in seen:  # a cycle inside one object's description
            update(b"<cycle>")
            return
        seen.add(id(value))
        try:
            self._describe_object(value, hasher, links, seen)
        finally:
            seen.discard(id(value))

    def _describe_object(self, value, hasher, links, seen):
        update = hasher.update
        kind = type(value)
        update(f"<{kind.__module__}.{kind.__qualname__}>".encode())
        if isinstance(value, ChainMap):  # its maps, so that the site's settings are known
            self._describe(value.maps, hasher, links, seen)
        elif isinstance(value, Mapping):
            for key, item in value.items():
                self._describe(key, hasher, links, seen)
                self._describe(item, hasher, links, seen)
        elif isinstance(value, list | tuple):
            for item in value:
                self._describe(item, hasher, links, seen)
        elif isinstance(value, set | frozenset):
            # Sets have no order of their own: describe each item apart, sorted.
            parts = []
            for item in value:
                part = hashlib.blake2b(digest_size=16)
                self._describe(item, part, links, seen)
                parts.append(part.digest())
            for part in sorted(parts):
                update(part)
        elif isinstance(value, types.FunctionType):
            self._describe_function(value, hasher, links, seen)
        elif isinstance(value, types.MethodType):
            self._describe(value.__func__, hasher, links, seen)
            self._describe(value.__self__, hasher, links, seen)
        elif isinstance(value, type | types.ModuleType | types.BuiltinFunctionType):
            update(f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', value.__name__)}".encode())
        elif isinstance(value, re.Pattern):
            self._describe((value.pattern, value.flags), hasher, links, seen)
        elif hasattr(value, "__dict__") or hasattr(kind, "__slots__"):
            self._describe_attributes(value, hasher, links, seen)
        else:
            text = repr(value)
            if ADDRESS.search(text):
                raise Volatile(f"{kind.__module__}.{kind.__qualname__}")
            update(_hash(text))

    def _describe_function(self, function, hasher, links, seen):
        # Its name, its code (a changed function is another function) and what it closes
        # over or defaults to: a template calling it gets what those give.
        code = function.__code__
        self._describe((function.__module__, function.__qualname__, code.co_code), hasher, links, seen)
        self._describe(tuple(_constants(code)), hasher, links, seen)
        self._describe((function.__defaults__, function.__kwdefaults__), hasher, links, seen)
        for cell in function.__closure__ or ():
            try:
                contents = cell.cell_contents
            except ValueError:  # an empty cell
                contents = None
            self._describe(contents, hasher, links, seen)

    def _describe_attributes(self, value, hasher, links, seen):
        attributes = dict(getattr(value, "__dict__", {}))
        for name in _slots(type(value)):
            if hasattr(value, name):
                attributes[name] = getattr(value, name)
        if isinstance(value, Content):
            skipped = CONTENT_BACK_REFERENCES
        elif isinstance(value, URLWrapper):
            skipped = URLWRAPPER_BACK_REFERENCES
        else:
            skipped = ()
        for name in sorted(attributes):
            if name in skipped:
                continue
            hasher.update(name.encode())
            self._describe(attributes[name], hasher, links, seen)


def _slots(kind):
    for klass in kind.__mro__:
        slots = klass.__dict__.get("__slots__", ())
        yield from (slots,) if isinstance(slots, str) else slots


def _constants(code):
    # A code object's constants, nested functions' code described by their own constants.
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            yield constant.co_code
            yield from _constants(constant)
        else:
            yield constant
