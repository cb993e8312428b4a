"""Digests of the values a page is rendered from, for incremental rendering (pagerecord.py).

A template can only show what it reaches from its context: `Fingerprinter.value(v)` is a
digest of everything reachable from `v` (attributes, items, a function's code and closure)
that could change what a template prints. Two builds giving one value the same digest
gave the template the same data, so the page it renders is the same page.

Content objects (posts and pages) link to one another (related posts, neighbours, series
parts, a listing's posts); a digest that followed every link would change with any post of
the site (three links reach every post of ours). So the walk has a budget of content
objects whose fields it describes on any path: two from a context value that is itself a
post (its own fields, and those of the posts it links to: article.older.title), one from
any other value (a listing's posts' fields: articles_page.object_list[0].summary). A post
past the budget counts by its identity only (its type and file), so a template may read
one link deep from a post of its context, not two (article.older.older.title). Our
templates read one link deep at most; tests/test_incremental.py compares every file of
incremental builds with clean ones after random edits. Every object's digest is memoised
per budget, so a listing's thousands of posts are described once for all its pages.
Pages whose context includes a value this module cannot describe are always rendered.

A listing page's paginator (`articles_page.paginator`) holds every post of the listing,
not only the page's: its posts count by identity, so a page depends on which posts the
other pages hold and in what order (its page count, its links), not on their fields,
and an edit of one post re-renders the one page of each listing that shows it. The
same holds for the page's neighbours in the context (`articles_next_page`), which it
links. A template may read a paginator's page count and its pages' URLs, not the posts
of other pages.
"""

import datetime
import decimal
import enum
import functools
import hashlib
import re
import types
from collections import ChainMap
from collections.abc import Mapping

from pelican.contents import Content
from pelican.paginator import Paginator
from pelican.urlwrappers import URLWrapper

from .pelican_internals import CONTENT_BACK_REFERENCES, URLWRAPPER_BACK_REFERENCES

# How many posts' fields a digest describes on a path from a context value that is a post
# (one fewer from any other value); see above.
CONTENT_BUDGET = 2
# Values described by their repr: it is their whole value.
PLAIN = (str, bytes, int, float, complex, bool, type(None), datetime.date, datetime.time, datetime.timedelta)
PLAIN += (datetime.tzinfo, decimal.Decimal, range, enum.Enum)
# A listing page's neighbours (Pelican's `articles_previous_page`, `articles_next_page`):
# pages link them, they do not show their posts.
NEIGHBOUR_PAGES = ("_previous_page", "_next_page")
# An object's default repr, which names only its type and address.
ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


class Volatile(Exception):
    """A value reachable from a page has no stable description; the page must be rendered."""


def _hash(*parts):
    # One digest of parts that are text (a value's type and repr) or digests (hex text).
    return hashlib.blake2b("\x1f".join(map(str, parts)).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _is_short_plain(value, plain_types=frozenset(PLAIN)):
    # The exact types first: nearly every field of a post is one of them.
    if type(value) in plain_types:
        return not (type(value) in (str, bytes) and len(value) > 256)
    return isinstance(value, PLAIN) and not (isinstance(value, str | bytes) and len(value) > 256)


class Fingerprinter:
    """Digests of values, memoised for one build (the values must not change meanwhile)."""

    def __init__(self, settings=None):
        # The site's settings, wherever a value reaches them (a plugin's ChainMap over
        # them), stand as one token: the site digest (incremental.py) covers them.
        self._settings = settings
        # Digests of values reaching no post, whatever the budget: id -> (object, digest);
        # of the others, (id, budget) -> (object, digest). The object keeps its id its own.
        self._free = {}
        self._known = {}
        self._busy = set()  # (id, budget) being described: a cycle back to one is a token

    def value(self, value, name=""):
        """The digest of `value` (the context's `name`) and of everything reachable from
        it (raises Volatile)."""
        return self._digest(value, starting_budget(value, name))[0]

    def _digest(self, value, budget):
        """(digest, whether it reaches a post)."""
        if _is_short_plain(value):
            return _hash(type(value).__qualname__, repr(value)), False
        free = self._free.get(id(value))
        if free is not None:
            return free[1], False
        if value is self._settings and value is not None:
            return "<site settings>", False
        budget = budget_inside(value, budget)
        if budget is None:  # past the budget: which post, not what it holds
            return _hash("<content>", type(value).__qualname__, getattr(value, "source_path", "")), True
        key = (id(value), budget)
        known = self._known.get(key)
        if known is not None:
            return known[1], True
        if key in self._busy:
            return "<cycle>", True
        self._busy.add(key)
        try:
            digest, reaches_content = self._describe(value, budget)
        finally:
            self._busy.discard(key)
        if reaches_content or isinstance(value, Content):
            self._known[key] = (value, digest)
            return digest, True
        self._free[id(value)] = (value, digest)
        return digest, False

    def _describe(self, value, budget):
        kind = type(value)
        parts = [f"<{kind.__module__}.{kind.__qualname__}>"]
        children = ()
        reaches_content = False
        if isinstance(value, str | bytes):
            parts.append(value)
        elif isinstance(value, set | frozenset):
            # Sets have no order of their own: their items' digests, sorted.
            digests = [self._digest(item, budget) for item in value]
            parts += sorted(digest for digest, _ in digests)
            reaches_content = any(reaches for _, reaches in digests)
        elif isinstance(value, type | types.ModuleType | types.BuiltinFunctionType):
            parts.append(f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', value.__name__)}")
        else:
            children = _children(value)
            if children is None:
                text = repr(value)
                if ADDRESS.search(text):
                    raise Volatile(f"{kind.__module__}.{kind.__qualname__}")
                parts.append(text)
                children = ()
        for child in children:
            # A short plain value joins the description as its text, without a digest of
            # its own: most of a post's fields are, and hashing each took most of the time.
            if _is_short_plain(child):
                parts.append(f"{type(child).__qualname__}:{child!r}")
            else:
                digest, reaches = self._digest(child, budget)
                parts.append(digest)
                reaches_content = reaches_content or reaches
        return _hash(*parts), reaches_content


def budget_inside(value, budget):
    """The budget of a walk inside `value` reached with `budget`: a paginator's posts count
    by identity (see the module's text); a post spends one; None for a post past the
    budget, which counts by identity only."""
    if isinstance(value, Paginator):
        return 0
    if isinstance(value, Content):
        return budget - 1 if budget > 0 else None
    return budget


def starting_budget(value, name):
    """The budget a digest of the context's `name` starts with (see the module's text)."""
    if name.endswith(NEIGHBOUR_PAGES):
        return 0
    return CONTENT_BUDGET if isinstance(value, Content) else CONTENT_BUDGET - 1


def _children(value):
    """The values a digest of a container or object `value` is made of, in order; None
    for a value described by its repr alone. (Strings, sets, types and modules are
    described by Fingerprinter._describe itself.)"""
    if isinstance(value, ChainMap):  # its maps, so that the site's settings are known
        return value.maps
    if isinstance(value, Mapping):
        return [item for pair in value.items() for item in pair]
    if isinstance(value, list | tuple):
        return value
    if isinstance(value, types.FunctionType):
        return _function_parts(value)
    if isinstance(value, types.MethodType):
        return [value.__func__, value.__self__]
    if isinstance(value, re.Pattern):
        return [value.pattern, value.flags]
    if hasattr(value, "__dict__") or hasattr(type(value), "__slots__"):
        return _attributes(value)
    return None


class Reach:
    """Which posts' fields a page's key describes: the posts a page can show anything of
    but their identity, with Fingerprinter's budget and walk (memoised per build).

    The dev server re-renders, after an edit to a post's body, only the pages whose
    context reaches that post's fields (fastbuild/live.py)."""

    def __init__(self, settings=None):
        self._settings = settings
        self._known = {}  # (id, budget) -> (object, frozenset of the ids of posts reached)
        self._busy = set()

    def forget(self, values):
        """Work out again what `values` reach, the next time they are asked about: they
        changed in place (a list given other posts, a post other related posts)."""
        ids = {id(value) for value in values}
        for key in [key for key in self._known if key[0] in ids]:
            del self._known[key]

    def of(self, value, name=""):
        """The ids of the posts whose fields the digest of `value` (the context's `name`)
        describes."""
        return self._reach(value, starting_budget(value, name))[0]

    def _reach(self, value, budget):
        """(ids of the posts reached, whether the answer is whole: not cut by a cycle)."""
        if _is_short_plain(value) or isinstance(value, _OPAQUE) or value is self._settings:
            return _NOTHING, True
        budget = budget_inside(value, budget)
        if budget is None:
            return _NOTHING, True
        key = (id(value), budget)
        known = self._known.get(key)
        if known is not None:
            return known[1], True
        if key in self._busy:
            return _NOTHING, False
        self._busy.add(key)
        try:
            found, whole = set(), True
            if isinstance(value, Content):
                found.add(id(value))
            children = value if isinstance(value, set | frozenset) else _children(value) or ()
            for child in children:
                reached, child_whole = self._reach(child, budget)
                found |= reached
                whole = whole and child_whole
        finally:
            self._busy.discard(key)
        found = frozenset(found) if found else _NOTHING
        if whole:  # a part of a cycle is worked out again where the cycle is entered
            self._known[key] = (value, found)
        return found, whole


_NOTHING = frozenset()
# Values Reach does not look into: Fingerprinter describes them by their text or name.
_OPAQUE = (str, bytes, type, types.ModuleType, types.BuiltinFunctionType)


def _function_parts(function):
    # Its name, its code (a changed function is another function) and what it closes over
    # or defaults to: a template calling it gets what those give.
    code = function.__code__
    parts = [function.__module__, function.__qualname__, code.co_code, tuple(_constants(code))]
    parts += [function.__defaults__, function.__kwdefaults__]
    for cell in function.__closure__ or ():
        try:
            parts.append(cell.cell_contents)
        except ValueError:  # an empty cell
            parts.append(None)
    return parts


def _attributes(value):
    # [name, value, ...] of an object's attributes, sorted by name, without the site-wide
    # back references of Pelican's content and URL wrappers.
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
    return [part for name in sorted(attributes) if name not in skipped for part in (name, attributes[name])]


@functools.cache
def _slots(kind):
    names = []
    for klass in kind.__mro__:
        slots = klass.__dict__.get("__slots__", ())
        names += [slots] if isinstance(slots, str) else list(slots)
    return tuple(names)


def _constants(code):
    # A code object's constants, nested functions' code described by their own constants.
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            yield constant.co_code
            yield from _constants(constant)
        else:
            yield constant
